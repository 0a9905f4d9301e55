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
	// Terms lines up, per topic, every term the topic defines that a demand
	// of a shown party states: the values side by side, and the gap or
	// split between them (see BuildTermRows).
	Terms []TermRow `json:"terms"`
	// States defines the topic states, for the legend.
	States []StateDefinition `json:"states"`
	// Stances defines the cells' stances, for the legend.
	Stances []StanceDefinition `json:"stances"`
	// AsOf is the instant the matrix shows; null for the present.
	AsOf *time.Time `json:"as_of"`
	// RecordedAsOf is the record time the matrix was read at; null for
	// everything recorded.
	RecordedAsOf *time.Time `json:"recorded_as_of"`
}

// MatrixParty is a column of the matrix: the party and its roles (Role is
// the first of them).
type MatrixParty struct {
	*Party
	Role  ParticipantRole   `json:"role"`
	Roles []ParticipantRole `json:"roles"`
	// Grouped lists, in a matrix grouped by bloc, the participants a bloc
	// column stands for.
	Grouped []string `json:"grouped,omitempty"`
}

// MatrixCell is what one party says on one topic: its own demands, its
// endorsements of demands there and its objections to demands there.
type MatrixCell struct {
	TopicID      string         `json:"topic_id"`
	PartyID      string         `json:"party_id"`
	Demands      []*Demand      `json:"demands"`
	Endorsements []*Endorsement `json:"endorsements"`
	Objections   []*Objection   `json:"objections"`
	// Rebuttals are the answers to the cell's objections, whoever gave
	// them, each naming the objection it answers: a thread reads demand,
	// objection, rebuttal. A rebuttal never changes a stance or a state.
	Rebuttals []*Rebuttal `json:"rebuttals"`
	// Stance is the party's stance on the topic (see JudgeStance).
	Stance string `json:"stance"`
	// Inherited holds the positions of the party's blocs on the topic
	// where the party states none of its own; DivergesFrom names the blocs
	// whose position the party's own differs from; DivergentMembers, in a
	// bloc's column grouped by bloc, the members whose statements the cell
	// adds because they differ. See blocs_matrix.go.
	Inherited        []InheritedPosition `json:"inherited,omitempty"`
	DivergesFrom     []string            `json:"diverges_from,omitempty"`
	DivergentMembers []string            `json:"divergent_members,omitempty"`
}

// TopicSummary is a topic's state with the counts behind it; each count
// counts what its name says.
type TopicSummary struct {
	TopicID string     `json:"topic_id"`
	State   TopicState `json:"state"`
	// PendingSecondary counts the live secondary demands still pending on
	// an agreed topic; DivergentTerms names the defined terms principals
	// state different values of on a divergent one.
	PendingSecondary int      `json:"pending_secondary"`
	DivergentTerms   []string `json:"divergent_terms"`
	Demands          int      `json:"demands"`
	LiveDemands      int      `json:"live_demands"`
	// Objections counts every objection to the topic's demands;
	// StandingObjections the standing ones, and
	// StandingObjectionsToLive those of them to live demands.
	Objections               int `json:"objections"`
	StandingObjections       int `json:"standing_objections"`
	StandingObjectionsToLive int `json:"standing_objections_to_live"`
	// Endorsements counts every endorsement of the topic's demands,
	// EndorsementsOfLive those of live demands.
	Endorsements       int `json:"endorsements"`
	EndorsementsOfLive int `json:"endorsements_of_live"`
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
		Terms:          []TermRow{},
		States:         TopicStateDefinitions,
		Stances:        StanceDefinitions,
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
			row[pi] = MatrixCell{TopicID: t.ID, PartyID: c.ID, Demands: []*Demand{}, Endorsements: []*Endorsement{}, Objections: []*Objection{}, Rebuttals: []*Rebuttal{}}
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
		for pi := range row {
			row[pi].Stance = JudgeStance(row[pi], ix.demandLive)
			attachRebuttals(&row[pi], ix.rebuttalsByObjection)
		}
		m.TopicSummaries[ti] = ix.summary(t.ID)
		m.Terms = append(m.Terms, BuildTermRows(t, demands, column)...)
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
		return MatrixParty{Party: p, Role: role, Roles: s.Negotiation.Roles(id)}
	}
	if len(partyIDs) == 0 {
		ids := s.Negotiation.ParticipantIDs()
		cols := make([]MatrixParty, 0, len(ids))
		for _, id := range ids {
			cols = append(cols, column(id, s.Negotiation.Role(id)))
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
	topicByID            map[string]*Topic
	demandByID           map[string]*Demand
	parties              map[string]*Party
	rounds               map[string]*Round
	demandsByTopic       map[string][]*Demand
	objectionsByDemand   map[string][]*Objection
	rebuttalsByObjection map[string][]*Rebuttal
	endorsementsByDemand map[string][]*Endorsement
	principals           []string
	participantOrder     map[string]int
}

func indexSnapshot(s *Snapshot) *snapshotIndex {
	ix := &snapshotIndex{
		s:                    s,
		topics:               append([]*Topic(nil), s.Topics...),
		topicByID:            make(map[string]*Topic, len(s.Topics)),
		demandByID:           make(map[string]*Demand, len(s.Demands)),
		parties:              make(map[string]*Party, len(s.Parties)),
		rounds:               make(map[string]*Round, len(s.Rounds)),
		demandsByTopic:       make(map[string][]*Demand, len(s.Topics)),
		objectionsByDemand:   make(map[string][]*Objection, len(s.Demands)),
		rebuttalsByObjection: rebuttalsByObjection(s),
		endorsementsByDemand: make(map[string][]*Endorsement, len(s.Demands)),
		principals:           s.Negotiation.Principals(),
		participantOrder:     make(map[string]int, len(s.Negotiation.Participants)),
	}
	if ix.topics == nil {
		ix.topics = []*Topic{}
	}
	sort.SliceStable(ix.topics, func(i, j int) bool { return topicLess(ix.topics[i], ix.topics[j]) })
	for _, t := range ix.topics {
		ix.topicByID[t.ID] = t
	}
	for _, p := range s.Parties {
		ix.parties[p.ID] = p
	}
	for _, r := range s.Rounds {
		ix.rounds[r.ID] = r
	}
	for i, p := range s.Negotiation.Participants {
		if _, listed := ix.participantOrder[p.PartyID]; !listed {
			ix.participantOrder[p.PartyID] = i
		}
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
		ix.demandByID[d.ID] = d
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
// JudgeTopic only the topic's own objections and endorsements.
func (ix *snapshotIndex) summary(topicID string) TopicSummary {
	demands := ix.demandsByTopic[topicID]
	var objections []*Objection
	var endorsements []*Endorsement
	sum := TopicSummary{TopicID: topicID, Demands: len(demands), DivergentTerms: []string{}}
	for _, d := range demands {
		objections = append(objections, ix.objectionsByDemand[d.ID]...)
		endorsements = append(endorsements, ix.endorsementsByDemand[d.ID]...)
		sum.Objections += len(ix.objectionsByDemand[d.ID])
		sum.Endorsements += len(ix.endorsementsByDemand[d.ID])
		for _, o := range ix.objectionsByDemand[d.ID] {
			if o.Standing() {
				sum.StandingObjections++
				if d.Live() {
					sum.StandingObjectionsToLive++
				}
			}
		}
		if d.Live() {
			sum.LiveDemands++
			sum.EndorsementsOfLive += len(ix.endorsementsByDemand[d.ID])
		}
	}
	var defs []TermDefinition
	if t := ix.topicByID[topicID]; t != nil {
		defs = t.TermDefinitions
	}
	j := JudgeTopic(defs, demands, objections, endorsements, ix.principals)
	sum.State, sum.PendingSecondary = j.State, j.PendingSecondary
	if j.DivergentTerms != nil {
		sum.DivergentTerms = j.DivergentTerms
	}
	return sum
}

// demandLive reports whether the snapshot's demand id is live.
func (ix *snapshotIndex) demandLive(id string) bool {
	d := ix.demandByID[id]
	return d != nil && d.Live()
}

// partyName returns the party's name, or its id if the snapshot lacks it.
func (ix *snapshotIndex) partyName(id string) string {
	if p := ix.parties[id]; p != nil {
		return p.Name
	}
	return id
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

// partyLess orders parties as the negotiation lists its participants, then
// any other party by name.
func (ix *snapshotIndex) partyLess(a, b string) bool {
	oa, aok := ix.participantOrder[a]
	ob, bok := ix.participantOrder[b]
	switch {
	case aok && bok:
		return oa < ob
	case aok != bok:
		return aok
	}
	na, nb := strings.ToLower(ix.partyName(a)), strings.ToLower(ix.partyName(b))
	if na != nb {
		return na < nb
	}
	return a < b
}
