package domain

import (
	"reflect"
	"slices"
	"sort"
	"time"
)

// Comparison is what moved in a negotiation between two moments of
// negotiation time: per topic its state on each side and every demand,
// objection, rebuttal and endorsement that was added, changed or removed; then the
// moves of the negotiation itself, its rounds and delegations.
type Comparison struct {
	NegotiationID string `json:"negotiation_id"`
	// From is the first instant of the window: the comparison starts from
	// the state just before it. Null when the comparison starts from the
	// present (which leaves nothing to compare).
	From *time.Time `json:"from"`
	// To is the last instant of the window, included; null for now.
	To *time.Time `json:"to"`
	// RecordedAsOf is the record time both sides were read as of; null
	// for everything recorded.
	RecordedAsOf *time.Time        `json:"recorded_as_of"`
	Topics       []TopicComparison `json:"topics"`
	// OtherMoves are the moves of the negotiation (its participants,
	// status), its rounds and its delegations.
	OtherMoves []Move `json:"other_moves"`
}

// TopicComparison is one topic on both sides. Every topic of either side
// is listed, in the matrix's order, moved or not.
type TopicComparison struct {
	TopicID    string `json:"topic_id"`
	TopicTitle string `json:"topic_title"`
	// StateFrom and StateTo are the topic's state (open, convergent,
	// contested, agreed) on each side; null where it was not yet (or is
	// no longer) on the table.
	StateFrom *string `json:"state_from"`
	StateTo   *string `json:"state_to"`
	// Summary says how the state went: "contested → agreed", "still open".
	Summary string `json:"summary"`
	Moves   []Move `json:"moves"`
}

// Moved reports whether anything on the topic moved, its state included.
func (t TopicComparison) Moved() bool {
	return len(t.Moves) > 0 || !sameState(t.StateFrom, t.StateTo)
}

// Move is one resource that moved between the two sides.
type Move struct {
	ResourceType Kind   `json:"resource_type"`
	ResourceID   string `json:"resource_id"`
	// PartyID is whose position moved: the demanding, objecting or
	// endorsing party, a delegation's party; absent for topics, rounds
	// and the negotiation.
	PartyID string `json:"party_id,omitempty"`
	Party   string `json:"party,omitempty"`
	// DemandID is the demand moved, or the one an objection or
	// endorsement is about (a rebuttal: its objection's); DemandTitle its
	// title.
	DemandID    string `json:"demand_id,omitempty"`
	DemandTitle string `json:"demand_title,omitempty"`
	// Kind is "added", "changed" or "removed".
	Kind   string      `json:"kind"`
	Fields []FieldMove `json:"fields"`
	// Summary is the move in one sentence.
	Summary string `json:"summary"`
	// EffectiveAt is when the state on the "to" side took effect; null
	// for a removal.
	EffectiveAt *time.Time `json:"effective_at"`
}

// Compare computes what moved from one snapshot of a negotiation to a
// later one. It is pure: the caller reads the two snapshots. A resource
// absent from both sides (recorded in error) makes no move, and neither
// does one whose only differences are metadata (version, updated_at,
// effective_at). Topic states come from TopicState, as the matrix's do.
func Compare(from, to *Snapshot) *Comparison {
	c := &Comparison{NegotiationID: to.Negotiation.ID, Topics: []TopicComparison{}, OtherMoves: []Move{}}
	if !from.AsOf.IsZero() {
		t := from.AsOf.Add(time.Microsecond).UTC()
		c.From = &t
	}
	if !to.AsOf.IsZero() {
		t := to.AsOf.UTC()
		c.To = &t
	}
	if !to.RecordedAsOf.IsZero() {
		t := to.RecordedAsOf.UTC()
		c.RecordedAsOf = &t
	}
	fx, tx := indexSnapshot(from), indexSnapshot(to)
	cmp := comparer{from: fx, to: tx, names: NamesOf(to, from), byTopic: map[string][]Move{},
		demandTopic: map[string]string{}, objectionDemand: map[string]string{}}
	// A demand's topic at "to", else at "from": where its objections and
	// endorsements are filed; an objection's demand likewise, where its
	// rebuttals are filed.
	for _, s := range []*Snapshot{from, to} {
		for _, d := range s.Demands {
			cmp.demandTopic[d.ID] = d.TopicID
		}
		for _, o := range s.Objections {
			cmp.objectionDemand[o.ID] = o.DemandID
		}
	}
	fromTopics, toTopics := topicSet(fx), topicSet(tx)
	cmp.collect(KindNegotiation, []Resource{from.Negotiation}, []Resource{to.Negotiation})
	cmp.collect(KindRound, resources(from.Rounds), resources(to.Rounds))
	cmp.collect(KindDelegation, resources(from.Delegations), resources(to.Delegations))
	cmp.collect(KindTopic, resources(from.Topics), resources(to.Topics))
	cmp.collect(KindDemand, resources(from.Demands), resources(to.Demands))
	cmp.collect(KindObjection, resources(from.Objections), resources(to.Objections))
	cmp.collect(KindRebuttal, resources(from.Rebuttals), resources(to.Rebuttals))
	cmp.collect(KindEndorsement, resources(from.Endorsements), resources(to.Endorsements))

	for _, t := range cmp.topics(toTopics) {
		tc := TopicComparison{TopicID: t.ID, TopicTitle: t.Title, Moves: cmp.byTopic[t.ID]}
		if fromTopics[t.ID] {
			st := string(fx.summary(t.ID).State)
			tc.StateFrom = &st
		}
		if toTopics[t.ID] {
			st := string(tx.summary(t.ID).State)
			tc.StateTo = &st
		}
		if tc.Moves == nil {
			tc.Moves = []Move{}
		}
		cmp.sortMoves(tc.Moves)
		tc.Summary = stateSummary(tc.StateFrom, tc.StateTo)
		c.Topics = append(c.Topics, tc)
	}
	c.OtherMoves = append(c.OtherMoves, cmp.other...)
	return c
}

// MoveCount is the number of moves, on topics and elsewhere.
func (c *Comparison) MoveCount() int {
	n := len(c.OtherMoves)
	for _, t := range c.Topics {
		n += len(t.Moves)
	}
	return n
}

func resources[T Resource](items []T) []Resource {
	out := make([]Resource, len(items))
	for i, r := range items {
		out[i] = r
	}
	return out
}

// comparer gathers the moves of a comparison, by topic.
type comparer struct {
	from, to        *snapshotIndex
	names           Names
	demandTopic     map[string]string
	objectionDemand map[string]string
	byTopic         map[string][]Move
	other           []Move
}

// collect pairs the resources of one kind on both sides by id and files
// a move for each that was added, removed or changed.
func (c *comparer) collect(k Kind, before, after []Resource) {
	was := make(map[string]Resource, len(before))
	for _, r := range before {
		if r != nil && !reflect.ValueOf(r).IsNil() {
			was[r.Base().ID] = r
		}
	}
	for _, r := range after {
		if r == nil || reflect.ValueOf(r).IsNil() {
			continue
		}
		id := r.Base().ID
		b, existed := was[id]
		delete(was, id)
		switch {
		case !existed:
			c.file(k, nil, r, MoveAdded)
		case !sameContent(b, r):
			c.file(k, b, r, MoveChanged)
		}
	}
	// What is left was on the "from" side only, in its order.
	for _, r := range before {
		if r != nil && !reflect.ValueOf(r).IsNil() && was[r.Base().ID] != nil {
			c.file(k, r, nil, MoveRemoved)
		}
	}
}

// sameContent reports whether two states of a resource hold the same
// fields, metadata aside: a cheap first look, before the field-by-field
// diff that also treats differently written empty values as the same.
func sameContent(a, b Resource) bool {
	if a == b {
		return true
	}
	// A stored state carries the metadata of the revision that wrote it:
	// the same version written at the same instant is the same revision.
	// (A state never stored has no updated_at and takes the long way.)
	ma, mb := a.Base(), b.Base()
	if !ma.UpdatedAt.IsZero() && ma.Version == mb.Version && ma.UpdatedAt.Equal(mb.UpdatedAt) && ma.EffectiveAt.Equal(mb.EffectiveAt) {
		return true
	}
	va, vb := reflect.ValueOf(a).Elem(), reflect.ValueOf(b).Elem()
	ca, cb := reflect.New(va.Type()).Elem(), reflect.New(vb.Type()).Elem()
	ca.Set(va)
	cb.Set(vb)
	ca.FieldByName("Meta").SetZero()
	cb.FieldByName("Meta").SetZero()
	return reflect.DeepEqual(ca.Interface(), cb.Interface())
}

// file describes one moved resource and files it under its topics (a
// demand moved to another topic shows under both), or with the other
// moves. Differences the reader would not see (empty values written
// differently) make no move.
func (c *comparer) file(k Kind, before, after Resource, kind string) {
	bm, am := resourceMap(before), resourceMap(after)
	fields := diffMoves(bm, am, kind, c.names)
	if kind == MoveChanged && len(fields) == 0 {
		return
	}
	cur := after
	if cur == nil {
		cur = before
	}
	m := Move{ResourceType: k, ResourceID: cur.Base().ID, Kind: kind, Fields: fields,
		Summary: summarize(k, kind, bm, am, fields, c.names)}
	if after != nil && !after.Base().EffectiveAt.IsZero() {
		t := after.Base().EffectiveAt.UTC()
		m.EffectiveAt = &t
	}
	cm := am
	if cm == nil {
		cm = bm
	}
	if p := str(cm, "party_id"); p != "" {
		m.PartyID, m.Party = p, c.names.name(KindParty, p)
	}
	var topics []string
	switch k {
	case KindDemand:
		m.DemandID = m.ResourceID
		topics = distinct(str(bm, "topic_id"), str(am, "topic_id"))
	case KindObjection, KindEndorsement:
		m.DemandID = str(cm, "demand_id")
		topics = distinct(c.demandTopic[m.DemandID])
	case KindRebuttal:
		m.DemandID = c.objectionDemand[str(cm, "objection_id")]
		topics = distinct(c.demandTopic[m.DemandID])
	case KindTopic:
		topics = []string{m.ResourceID}
	}
	if m.DemandID != "" {
		m.DemandTitle = c.names.name(KindDemand, m.DemandID)
	}
	if len(topics) == 0 {
		c.other = append(c.other, m)
		return
	}
	for _, t := range topics {
		c.byTopic[t] = append(c.byTopic[t], m)
	}
}

// distinct lists the non-empty ids once each, in order.
func distinct(ids ...string) []string {
	var out []string
	for _, id := range ids {
		if id != "" && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// topics lists the topics of both sides: the "to" side's in the matrix's
// order, then any only on the "from" side.
func (c *comparer) topics(onTo map[string]bool) []*Topic {
	out := append([]*Topic(nil), c.to.topics...)
	for _, t := range c.from.topics {
		if !onTo[t.ID] {
			out = append(out, t)
		}
	}
	return out
}

// sortMoves orders a topic's moves as they happened, then by party as the
// matrix orders its columns; removals, which have no date, come last.
func (c *comparer) sortMoves(moves []Move) {
	rank := map[Kind]int{KindTopic: 0, KindDemand: 1, KindObjection: 2, KindRebuttal: 3, KindEndorsement: 4}
	sort.SliceStable(moves, func(i, j int) bool {
		a, b := moves[i], moves[j]
		if (a.EffectiveAt == nil) != (b.EffectiveAt == nil) {
			return a.EffectiveAt != nil
		}
		if a.EffectiveAt != nil && !a.EffectiveAt.Equal(*b.EffectiveAt) {
			return a.EffectiveAt.Before(*b.EffectiveAt)
		}
		if a.PartyID != b.PartyID {
			return c.to.partyLess(a.PartyID, b.PartyID)
		}
		if rank[a.ResourceType] != rank[b.ResourceType] {
			return rank[a.ResourceType] < rank[b.ResourceType]
		}
		return a.ResourceID < b.ResourceID
	})
}

// topicSet is the set of an index's topics.
func topicSet(ix *snapshotIndex) map[string]bool {
	out := make(map[string]bool, len(ix.topics))
	for _, t := range ix.topics {
		out[t.ID] = true
	}
	return out
}

func sameState(a, b *string) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

// stateSummary says how a topic's state went: "contested → agreed",
// "still open", "new topic, open".
func stateSummary(from, to *string) string {
	switch {
	case from == nil && to == nil:
		return ""
	case from == nil:
		return "new topic, " + *to
	case to == nil:
		return "was " + *from + ", no longer on the table"
	case *from == *to:
		return "still " + *to
	}
	return *from + " → " + *to
}
