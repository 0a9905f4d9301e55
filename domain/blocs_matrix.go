package domain

import (
	"slices"
	"strings"
	"time"
)

// MatrixOptions chooses what a matrix shows. Every filter is optional.
type MatrixOptions struct {
	// PartyIDs narrows the columns to these participants (or, grouped by
	// bloc, these columns), in this order.
	PartyIDs []string
	// Roles keeps the participants holding any of these roles.
	Roles []string
	// TopicIDs keeps these topics; States the topics in these states.
	TopicIDs []string
	States   []string
	// GroupBy is "" (a column per participant) or "bloc".
	GroupBy string
	// Today is the day memberships are read on when the snapshot is of
	// the present (as_of unset).
	Today time.Time
}

// MatrixGroupings are the values of group_by.
var MatrixGroupings = []string{"bloc"}

// InheritedPosition is what a bloc states on a topic, shown in the cell of
// a member that states nothing of its own there.
type InheritedPosition struct {
	BlocID       string         `json:"bloc_id"`
	Demands      []*Demand      `json:"demands"`
	Endorsements []*Endorsement `json:"endorsements"`
	Objections   []*Objection   `json:"objections"`
}

// BuildMatrixView computes the matrix with options: columns by role or
// grouped by bloc, topics filtered by id and state, and every party's bloc
// positions inherited or marked as divergences. A bad option is a
// *ValidationError naming its parameter.
func BuildMatrixView(s *Snapshot, o MatrixOptions) (*Matrix, error) {
	if err := checkMatrixOptions(s, o); err != nil {
		return nil, err
	}
	day := matrixDay(s, o.Today)
	blocs := blocMembers(s, day)
	columns, grouped := matrixColumnIDs(s, o, blocs)
	if len(o.PartyIDs) > 0 {
		var errs FieldErrors
		columns = narrowColumns(columns, o.PartyIDs, &errs)
		if err := errs.Err(); err != nil {
			return nil, err
		}
	}
	if len(columns) == 0 {
		// An empty choice shows no column rather than every participant.
		columns = []string{}
	}
	m, err := buildMatrixColumns(s, columns)
	if err != nil {
		return nil, err
	}
	st := indexStatements(s)
	for i := range m.Parties {
		m.Parties[i].Grouped = grouped[m.Parties[i].ID]
	}
	for i := range m.Cells {
		c := &m.Cells[i]
		if members := grouped[c.PartyID]; members != nil {
			addDivergentMembers(c, members, st)
			continue
		}
		markBlocPositions(c, blocs.of[c.PartyID], st)
	}
	if grouped != nil {
		// A bloc's cell gained its divergent members' objections: their
		// answers follow them.
		byObjection := rebuttalsByObjection(s)
		for i := range m.Cells {
			attachRebuttals(&m.Cells[i], byObjection)
		}
	}
	filterTopics(m, o)
	return m, nil
}

// buildMatrixColumns is BuildMatrix over exactly these columns, none
// meaning none.
func buildMatrixColumns(s *Snapshot, columns []string) (*Matrix, error) {
	if len(columns) > 0 {
		return BuildMatrix(s, columns)
	}
	m, err := BuildMatrix(s, nil)
	if err != nil {
		return nil, err
	}
	m.Parties, m.Cells, m.Terms = []MatrixParty{}, []MatrixCell{}, []TermRow{}
	return m, nil
}

func checkMatrixOptions(s *Snapshot, o MatrixOptions) error {
	var errs FieldErrors
	if o.GroupBy != "" && !slices.Contains(MatrixGroupings, o.GroupBy) {
		errs.Add("group_by", "must be bloc (or absent for a column per participant)")
	}
	for _, r := range o.Roles {
		if !participantRoles.Has(ParticipantRole(r)) {
			errs.Add("role", "%q is not a role; one of %s", r, participantRoles)
		}
	}
	for _, st := range o.States {
		if !topicStates.Has(TopicState(st)) {
			errs.Add("state", "%q is not a topic state; one of %s", st, topicStates)
		}
	}
	topics := make(map[string]bool, len(s.Topics))
	for _, t := range s.Topics {
		topics[t.ID] = true
	}
	for _, id := range o.TopicIDs {
		if !topics[id] {
			errs.Add("topic_id", "%q is not a topic of this negotiation", id)
		}
	}
	return errs.Err()
}

// matrixDay is the day memberships are read on: the snapshot's as_of, else
// today.
func matrixDay(s *Snapshot, today time.Time) string {
	if !s.AsOf.IsZero() {
		return s.AsOf.UTC().Format(DateLayout)
	}
	return today.UTC().Format(DateLayout)
}

// blocIndex is who belongs to which bloc on one day, among the snapshot's
// parties.
type blocIndex struct {
	members map[string][]string // bloc -> members
	of      map[string][]string // member -> blocs
}

func blocMembers(s *Snapshot, day string) blocIndex {
	ix := blocIndex{members: map[string][]string{}, of: map[string][]string{}}
	for _, b := range s.Parties {
		if b.PartyKind != PartyKindBloc {
			continue
		}
		seen := map[string]bool{}
		for _, m := range b.Members {
			if m.ActiveOn(day) && !seen[m.PartyID] {
				seen[m.PartyID] = true
				ix.members[b.ID] = append(ix.members[b.ID], m.PartyID)
				ix.of[m.PartyID] = append(ix.of[m.PartyID], b.ID)
			}
		}
	}
	return ix
}

// matrixColumnIDs lists the columns: the participants holding one of the
// roles asked for (all without), or grouped by bloc the blocs among them
// followed by those in none of those blocs. grouped maps each bloc column
// to the participants it stands for.
func matrixColumnIDs(s *Snapshot, o MatrixOptions, blocs blocIndex) (columns []string, grouped map[string][]string) {
	var ids []string
	for _, id := range s.Negotiation.ParticipantIDs() {
		if len(o.Roles) == 0 || holdsAny(s.Negotiation, id, o.Roles) {
			ids = append(ids, id)
		}
	}
	if o.GroupBy != "bloc" {
		return ids, nil
	}
	shown := make(map[string]bool, len(ids))
	for _, id := range ids {
		shown[id] = true
	}
	grouped = map[string][]string{}
	for _, id := range ids {
		if _, isBloc := blocs.members[id]; isBloc || isBlocParty(s, id) {
			columns = append(columns, id)
			grouped[id] = []string{}
			for _, m := range blocs.members[id] {
				if shown[m] {
					grouped[id] = append(grouped[id], m)
				}
			}
		}
	}
	for _, id := range ids {
		if _, isBloc := grouped[id]; isBloc {
			continue
		}
		inShownBloc := false
		for _, b := range blocs.of[id] {
			if _, ok := grouped[b]; ok {
				inShownBloc = true
			}
		}
		if !inShownBloc {
			columns = append(columns, id)
		}
	}
	return columns, grouped
}

func isBlocParty(s *Snapshot, id string) bool {
	for _, p := range s.Parties {
		if p.ID == id {
			return p.PartyKind == PartyKindBloc
		}
	}
	return false
}

func holdsAny(n *Negotiation, partyID string, roles []string) bool {
	for _, r := range roles {
		if n.HasRole(partyID, ParticipantRole(r)) {
			return true
		}
	}
	return false
}

// narrowColumns keeps the columns named, in the order named; a name that is
// no column is an error on party_id.
func narrowColumns(columns, want []string, errs *FieldErrors) []string {
	has := make(map[string]bool, len(columns))
	for _, c := range columns {
		has[c] = true
	}
	seen := map[string]bool{}
	out := []string{}
	for _, id := range want {
		id = strings.TrimSpace(id)
		if seen[id] {
			continue
		}
		seen[id] = true
		if !has[id] {
			errs.Add("party_id", "%q is not a column of this matrix: not a participant, or not one with the role or grouping asked for", id)
			continue
		}
		out = append(out, id)
	}
	return out
}

// statements is what each party says on each topic.
type statements struct {
	byTopicParty map[[2]string]*InheritedPosition
	demandTopic  map[string]string
	// endorsedBy and objectedBy map a demand to the parties that endorse
	// it and that stand against it.
	endorsedBy map[string]map[string]bool
	objectedBy map[string]map[string]bool
	demands    map[string]*Demand
}

func indexStatements(s *Snapshot) *statements {
	st := &statements{
		byTopicParty: map[[2]string]*InheritedPosition{},
		demandTopic:  make(map[string]string, len(s.Demands)),
		endorsedBy:   map[string]map[string]bool{},
		objectedBy:   map[string]map[string]bool{},
		demands:      make(map[string]*Demand, len(s.Demands)),
	}
	at := func(topic, party string) *InheritedPosition {
		k := [2]string{topic, party}
		p := st.byTopicParty[k]
		if p == nil {
			p = &InheritedPosition{BlocID: party, Demands: []*Demand{}, Endorsements: []*Endorsement{}, Objections: []*Objection{}}
			st.byTopicParty[k] = p
		}
		return p
	}
	for _, d := range s.Demands {
		st.demandTopic[d.ID] = d.TopicID
		st.demands[d.ID] = d
		p := at(d.TopicID, d.PartyID)
		p.Demands = append(p.Demands, d)
	}
	for _, e := range s.Endorsements {
		if t, ok := st.demandTopic[e.DemandID]; ok {
			p := at(t, e.PartyID)
			p.Endorsements = append(p.Endorsements, e)
			addTo(st.endorsedBy, e.DemandID, e.PartyID)
		}
	}
	for _, o := range s.Objections {
		if t, ok := st.demandTopic[o.DemandID]; ok {
			p := at(t, o.PartyID)
			p.Objections = append(p.Objections, o)
			if o.Standing() {
				addTo(st.objectedBy, o.DemandID, o.PartyID)
			}
		}
	}
	return st
}

func addTo(m map[string]map[string]bool, k, v string) {
	if m[k] == nil {
		m[k] = map[string]bool{}
	}
	m[k][v] = true
}

func (st *statements) of(topic, party string) *InheritedPosition {
	return st.byTopicParty[[2]string{topic, party}]
}

// markBlocPositions gives a cell the positions of the party's blocs: each
// bloc's, inherited, where the party states nothing on the topic; else the
// blocs its own statements differ from.
func markBlocPositions(c *MatrixCell, blocs []string, st *statements) {
	own := st.of(c.TopicID, c.PartyID)
	for _, b := range blocs {
		bloc := st.of(c.TopicID, b)
		if bloc == nil {
			continue
		}
		if own == nil {
			c.Inherited = append(c.Inherited, *bloc)
			continue
		}
		if st.diverges(c.PartyID, own, bloc) {
			c.DivergesFrom = append(c.DivergesFrom, b)
		}
	}
}

// diverges reports whether a member's own statements on a topic differ
// from its bloc's there: it objects to a live demand the bloc makes or
// endorses; it endorses a demand the bloc stands against; or it makes live
// demands of its own without endorsing every live demand of the bloc's.
func (st *statements) diverges(member string, own, bloc *InheritedPosition) bool {
	backed := map[string]bool{}
	for _, d := range bloc.Demands {
		if d.Live() {
			backed[d.ID] = true
		}
	}
	for _, e := range bloc.Endorsements {
		if d := st.demands[e.DemandID]; d != nil && d.Live() {
			backed[d.ID] = true
		}
	}
	for _, o := range own.Objections {
		if o.Standing() && backed[o.DemandID] {
			return true
		}
	}
	for _, e := range own.Endorsements {
		if st.objectedBy[e.DemandID][bloc.BlocID] {
			return true
		}
	}
	ownLive := false
	for _, d := range own.Demands {
		ownLive = ownLive || d.Live()
	}
	if !ownLive {
		return false
	}
	for _, d := range bloc.Demands {
		if d.Live() && !st.endorsedBy[d.ID][member] {
			return true
		}
	}
	return false
}

// addDivergentMembers adds to a bloc's cell the statements of the members
// it stands for that differ from the bloc's.
func addDivergentMembers(c *MatrixCell, members []string, st *statements) {
	bloc := st.of(c.TopicID, c.PartyID)
	if bloc == nil {
		return
	}
	for _, m := range members {
		own := st.of(c.TopicID, m)
		if own == nil || !st.diverges(m, own, bloc) {
			continue
		}
		c.DivergentMembers = append(c.DivergentMembers, m)
		c.Demands = append(c.Demands, own.Demands...)
		c.Endorsements = append(c.Endorsements, own.Endorsements...)
		c.Objections = append(c.Objections, own.Objections...)
	}
}

// filterTopics keeps the rows asked for by topic id and state.
func filterTopics(m *Matrix, o MatrixOptions) {
	if len(o.TopicIDs) == 0 && len(o.States) == 0 {
		return
	}
	wantID := map[string]bool{}
	for _, id := range o.TopicIDs {
		wantID[id] = true
	}
	keep := make(map[string]bool, len(m.Topics))
	topics := []*Topic{}
	summaries := []TopicSummary{}
	for i, t := range m.Topics {
		sum := m.TopicSummaries[i]
		if (len(wantID) == 0 || wantID[t.ID]) && (len(o.States) == 0 || slices.Contains(o.States, string(sum.State))) {
			keep[t.ID] = true
			topics = append(topics, t)
			summaries = append(summaries, sum)
		}
	}
	cells := []MatrixCell{}
	for _, c := range m.Cells {
		if keep[c.TopicID] {
			cells = append(cells, c)
		}
	}
	terms := []TermRow{}
	for _, a := range m.Terms {
		if keep[a.TopicID] {
			terms = append(terms, a)
		}
	}
	m.Topics, m.TopicSummaries, m.Cells, m.Terms = topics, summaries, cells, terms
}
