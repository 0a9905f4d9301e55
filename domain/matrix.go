package domain

import (
	"encoding/json"
	"math"
	"sort"
	"strings"
	"time"
)

// Matrix is the side-by-side comparison of a negotiation: topics as rows,
// parties as columns, and in each cell what the party demands, endorses and
// objects to on that topic.
type Matrix struct {
	Negotiation    *Negotiation   `json:"negotiation"`
	Parties        []MatrixParty  `json:"parties"`
	Topics         []*Topic       `json:"topics"`
	Cells          []MatrixCell   `json:"cells"`
	TopicSummaries []TopicSummary `json:"topic_summaries"`
	// Terms lines up the numeric terms that two or more of the shown parties
	// state on one topic, so that the gap between them can be read off.
	Terms []TermAlignment `json:"terms"`
	// AsOf is the instant the matrix shows; null for the present.
	AsOf *time.Time `json:"as_of"`
	// RecordedAsOf is the record time the matrix was read at; null for
	// everything recorded.
	RecordedAsOf *time.Time `json:"recorded_as_of"`
}

// MatrixParty is a column of the matrix: the party and its role.
type MatrixParty struct {
	*Party
	Role ParticipantRole `json:"role"`
}

// MatrixCell is what one party says on one topic: its own demands, its
// endorsements of demands there and its objections to demands there.
type MatrixCell struct {
	TopicID      string         `json:"topic_id"`
	PartyID      string         `json:"party_id"`
	Demands      []*Demand      `json:"demands"`
	Endorsements []*Endorsement `json:"endorsements"`
	Objections   []*Objection   `json:"objections"`
}

// TopicSummary is a topic's state with the counts behind it.
type TopicSummary struct {
	TopicID            string     `json:"topic_id"`
	State              TopicState `json:"state"`
	Demands            int        `json:"demands"`
	LiveDemands        int        `json:"live_demands"`
	StandingObjections int        `json:"standing_objections"`
	Endorsements       int        `json:"endorsements"`
}

// TermAlignment is one numeric term stated on one topic by several parties.
type TermAlignment struct {
	TopicID string      `json:"topic_id"`
	Term    string      `json:"term"`
	Values  []TermValue `json:"values"`
	Min     float64     `json:"min"`
	Max     float64     `json:"max"`
	// Gap is Max - Min: how far apart the parties are.
	Gap float64 `json:"gap"`
}

// TermValue is one party's value of a term, from one of its live demands.
type TermValue struct {
	PartyID  string  `json:"party_id"`
	DemandID string  `json:"demand_id"`
	Value    float64 `json:"value"`
}

// BuildMatrix computes the comparison matrix of a snapshot. partyIDs narrows
// the columns to those parties, in the order given; each must be a
// participant, else the error is a *ValidationError on "party_id". Without
// partyIDs the columns are all participants in the negotiation's order.
// Topic states always count every party, whatever the columns shown.
func BuildMatrix(s *Snapshot, partyIDs []string) (*Matrix, error) {
	columns, err := matrixColumns(s, partyIDs)
	if err != nil {
		return nil, err
	}
	ix := indexSnapshot(s)
	m := &Matrix{
		Negotiation:    s.Negotiation,
		Parties:        columns,
		Topics:         ix.topics,
		Cells:          make([]MatrixCell, len(ix.topics)*len(columns)),
		TopicSummaries: make([]TopicSummary, len(ix.topics)),
		Terms:          []TermAlignment{},
	}
	if !s.AsOf.IsZero() {
		at := s.AsOf.UTC()
		m.AsOf = &at
	}
	if !s.RecordedAsOf.IsZero() {
		at := s.RecordedAsOf.UTC()
		m.RecordedAsOf = &at
	}
	column := make(map[string]int, len(columns))
	for i, c := range columns {
		column[c.ID] = i
	}
	for ti, t := range ix.topics {
		row := m.Cells[ti*len(columns) : (ti+1)*len(columns)]
		for pi, c := range columns {
			row[pi] = MatrixCell{TopicID: t.ID, PartyID: c.ID, Demands: []*Demand{}, Endorsements: []*Endorsement{}, Objections: []*Objection{}}
		}
		demands := ix.demandsByTopic[t.ID]
		for _, d := range demands {
			if pi, ok := column[d.PartyID]; ok {
				row[pi].Demands = append(row[pi].Demands, d)
			}
			for _, e := range ix.endorsementsByDemand[d.ID] {
				if pi, ok := column[e.PartyID]; ok {
					row[pi].Endorsements = append(row[pi].Endorsements, e)
				}
			}
			for _, o := range ix.objectionsByDemand[d.ID] {
				if pi, ok := column[o.PartyID]; ok {
					row[pi].Objections = append(row[pi].Objections, o)
				}
			}
		}
		m.TopicSummaries[ti] = ix.summary(t.ID)
		m.Terms = append(m.Terms, alignTerms(t.ID, demands, column)...)
	}
	return m, nil
}

// matrixColumns resolves the parties to show, refusing any that is not a
// participant.
func matrixColumns(s *Snapshot, partyIDs []string) ([]MatrixParty, error) {
	parties := make(map[string]*Party, len(s.Parties))
	for _, p := range s.Parties {
		parties[p.ID] = p
	}
	column := func(id string, role ParticipantRole) MatrixParty {
		p := parties[id]
		if p == nil {
			// A participant always exists; should the snapshot lack it, the
			// id still labels the column rather than failing the view.
			p = &Party{Meta: Meta{ID: id}, Name: id}
		}
		return MatrixParty{Party: p, Role: role}
	}
	if len(partyIDs) == 0 {
		cols := make([]MatrixParty, 0, len(s.Negotiation.Participants))
		for _, pt := range s.Negotiation.Participants {
			cols = append(cols, column(pt.PartyID, pt.Role))
		}
		return cols, nil
	}
	var errs FieldErrors
	seen := map[string]bool{}
	cols := make([]MatrixParty, 0, len(partyIDs))
	for _, id := range partyIDs {
		id = strings.TrimSpace(id)
		if seen[id] {
			continue
		}
		seen[id] = true
		role := s.Negotiation.Role(id)
		if role == "" {
			errs.Add("party_id", "%q is not a participant of this negotiation", id)
			continue
		}
		cols = append(cols, column(id, role))
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return cols, nil
}

// snapshotIndex groups a snapshot's resources the way the views read them,
// so that building a view is linear in the snapshot's size.
type snapshotIndex struct {
	s                    *Snapshot
	topics               []*Topic
	parties              map[string]*Party
	rounds               map[string]*Round
	demandsByTopic       map[string][]*Demand
	objectionsByDemand   map[string][]*Objection
	endorsementsByDemand map[string][]*Endorsement
	principals           []string
	participantOrder     map[string]int
}

func indexSnapshot(s *Snapshot) *snapshotIndex {
	ix := &snapshotIndex{
		s:                    s,
		topics:               append([]*Topic(nil), s.Topics...),
		parties:              make(map[string]*Party, len(s.Parties)),
		rounds:               make(map[string]*Round, len(s.Rounds)),
		demandsByTopic:       make(map[string][]*Demand, len(s.Topics)),
		objectionsByDemand:   make(map[string][]*Objection, len(s.Demands)),
		endorsementsByDemand: make(map[string][]*Endorsement, len(s.Demands)),
		principals:           s.Negotiation.Principals(),
		participantOrder:     make(map[string]int, len(s.Negotiation.Participants)),
	}
	if ix.topics == nil {
		ix.topics = []*Topic{}
	}
	sort.SliceStable(ix.topics, func(i, j int) bool { return topicLess(ix.topics[i], ix.topics[j]) })
	for _, p := range s.Parties {
		ix.parties[p.ID] = p
	}
	for _, r := range s.Rounds {
		ix.rounds[r.ID] = r
	}
	for i, p := range s.Negotiation.Participants {
		ix.participantOrder[p.PartyID] = i
	}
	demands := append([]*Demand(nil), s.Demands...)
	sort.SliceStable(demands, func(i, j int) bool {
		if demands[i].StatedOn != demands[j].StatedOn {
			return demands[i].StatedOn < demands[j].StatedOn
		}
		return demands[i].ID < demands[j].ID
	})
	for _, d := range demands {
		ix.demandsByTopic[d.TopicID] = append(ix.demandsByTopic[d.TopicID], d)
	}
	for _, o := range s.Objections {
		ix.objectionsByDemand[o.DemandID] = append(ix.objectionsByDemand[o.DemandID], o)
	}
	for _, e := range s.Endorsements {
		ix.endorsementsByDemand[e.DemandID] = append(ix.endorsementsByDemand[e.DemandID], e)
	}
	return ix
}

// topicLess orders topics by sort order, then title (ignoring case), then id
// so that the order never depends on how the store returned them.
func topicLess(a, b *Topic) bool {
	if a.SortOrder != b.SortOrder {
		return a.SortOrder < b.SortOrder
	}
	if ka, kb := a.TitleKey(), b.TitleKey(); ka != kb {
		return ka < kb
	}
	return a.ID < b.ID
}

// summary computes a topic's state and counts from the index, passing
// TopicState only the topic's own objections and endorsements.
func (ix *snapshotIndex) summary(topicID string) TopicSummary {
	demands := ix.demandsByTopic[topicID]
	var objections []*Objection
	var endorsements []*Endorsement
	sum := TopicSummary{TopicID: topicID, Demands: len(demands)}
	for _, d := range demands {
		objections = append(objections, ix.objectionsByDemand[d.ID]...)
		endorsements = append(endorsements, ix.endorsementsByDemand[d.ID]...)
		if !d.Live() {
			continue
		}
		sum.LiveDemands++
		for _, o := range ix.objectionsByDemand[d.ID] {
			if o.Standing() {
				sum.StandingObjections++
			}
		}
		sum.Endorsements += len(ix.endorsementsByDemand[d.ID])
	}
	sum.State = TopicStateOf(demands, objections, endorsements, ix.principals)
	return sum
}

// partyName returns the party's name, or its id if the snapshot lacks it.
func (ix *snapshotIndex) partyName(id string) string {
	if p := ix.parties[id]; p != nil {
		return p.Name
	}
	return id
}

// alignTerms collects, for one topic, the numeric terms of live demands that
// at least two of the shown parties state, in the order the analyst gave
// them: as the first demand stating each lists its terms.
func alignTerms(topicID string, demands []*Demand, column map[string]int) []TermAlignment {
	byTerm := map[string][]TermValue{}
	var order []string
	for _, d := range demands {
		if _, shown := column[d.PartyID]; !shown || !d.Live() {
			continue
		}
		for _, k := range d.OrderedTermKeys() {
			if f, ok := TermNumber(d.Terms[k]); ok {
				if _, seen := byTerm[k]; !seen {
					order = append(order, k)
				}
				byTerm[k] = append(byTerm[k], TermValue{PartyID: d.PartyID, DemandID: d.ID, Value: f})
			}
		}
	}
	var out []TermAlignment
	for _, term := range order {
		values := byTerm[term]
		parties := map[string]bool{}
		for _, v := range values {
			parties[v.PartyID] = true
		}
		if len(parties) < 2 {
			continue
		}
		sort.SliceStable(values, func(i, j int) bool { return column[values[i].PartyID] < column[values[j].PartyID] })
		a := TermAlignment{TopicID: topicID, Term: term, Values: values, Min: math.Inf(1), Max: math.Inf(-1)}
		for _, v := range values {
			a.Min = math.Min(a.Min, v.Value)
			a.Max = math.Max(a.Max, v.Value)
		}
		a.Gap = a.Max - a.Min
		out = append(out, a)
	}
	return out
}

// TermNumber reports a term's value as a number, if it is one.
func TermNumber(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, !math.IsNaN(x) && !math.IsInf(x, 0)
	case json.Number:
		f, err := x.Float64()
		return f, err == nil
	case int:
		return float64(x), true
	case int64:
		return float64(x), true
	}
	return 0, false
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// humanize turns an enumeration value into words: "senior_official" ->
// "senior official".
func humanize(v string) string { return strings.ReplaceAll(v, "_", " ") }
