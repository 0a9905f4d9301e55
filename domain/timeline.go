package domain

import (
	"encoding/json"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"
)

// Timeline is a negotiation over negotiation time: the rounds on a date
// axis, each topic's state as bands, and each party's value of each
// numeric term as a step series. It is what the timeline picture is drawn
// from, in the UI and in the reports.
type Timeline struct {
	// Start and End bound the axis: from the first thing that took effect
	// to the later of the last one and the end of the latest round, never
	// past the instant the timeline is built as of.
	Start  time.Time       `json:"start"`
	End    time.Time       `json:"end"`
	Rounds []TimelineRound `json:"rounds"`
	Topics []TimelineTopic `json:"topics"`
}

// TimelineRound is a round on the date axis, from the start of its first
// day to the end of its last.
type TimelineRound struct {
	ID    string    `json:"id"`
	Title string    `json:"title"`
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
}

// TimelineTopic is one topic over time.
type TimelineTopic struct {
	TopicID string `json:"topic_id"`
	Title   string `json:"title"`
	// Bands cover the topic from when it or anything in it first took
	// effect to the end of the axis, one per state it stood in.
	Bands []StateBand `json:"bands"`
	// Terms are the numeric terms stated on the topic, by name.
	Terms []TermTrack `json:"terms"`
}

// StateBand is a stretch of negotiation time during which a topic stood in
// one state (open, convergent, contested, agreed: TopicState's).
type StateBand struct {
	From  time.Time `json:"from"`
	To    time.Time `json:"to"`
	State string    `json:"state"`
}

// TermTrack is one numeric term of a topic: a step series per party that
// stated it.
type TermTrack struct {
	Term   string       `json:"term"`
	Series []TermSeries `json:"series"`
}

// TermSeries is one party's value of a term over time.
type TermSeries struct {
	PartyID string      `json:"party_id"`
	Party   string      `json:"party"`
	Points  []TermPoint `json:"points"`
}

// TermPoint is where a party's value of a term changed: it holds from At
// until the next point (or the end of the axis). A null Value ends the
// line: the party no longer states the term on the topic, and Ended says
// why: "withdrawn" or "rejected" (the demand that carried it left the
// table), "moved" (it moved to another topic) or "dropped" (the demand no
// longer states the term).
type TermPoint struct {
	At       time.Time `json:"at"`
	Value    *float64  `json:"value"`
	DemandID string    `json:"demand_id,omitempty"`
	Ended    string    `json:"ended,omitempty"`
}

// Why a party's line of a term ends, besides the demand statuses
// "withdrawn" and "rejected".
const (
	TermEndedMoved   = "moved"
	TermEndedDropped = "dropped"
)

// BuildTimeline replays a negotiation's revisions (as Store.Timeline lists
// them: in negotiation-time order, each body the whole resource as of that
// revision) into its timeline. Names and the rounds come from current, the
// snapshot the timeline is shown beside; revisions that took effect after
// current.AsOf are left out, so that a report as of an instant draws the
// talks up to it.
//
// A topic's state is recomputed with TopicState, and only at the instants
// when something in that topic (or the negotiation's principals) changed.
// Where a party has several live demands on a topic stating a term, its
// value is the one set last (its latest word on the term); when that demand
// leaves the table the value falls back to the next live one, and when none
// is left the line ends with a null point saying why.
func BuildTimeline(current *Snapshot, revs []Revision) *Timeline {
	if !current.AsOf.IsZero() {
		revs = tookEffectBy(revs, current.AsOf)
	}
	rp := newReplay(current)
	changes := decodeRevisions(revs)
	for i := 0; i < len(changes); {
		at := changes[i].at
		j := i
		for ; j < len(changes) && changes[j].at.Equal(at); j++ {
			rp.apply(changes[j], j)
		}
		rp.settle(at)
		i = j
	}
	tl := &Timeline{Rounds: timelineRounds(current), Topics: []TimelineTopic{}}
	if len(changes) > 0 {
		tl.Start = changes[0].at
		tl.End = changes[len(changes)-1].at
	}
	for _, r := range tl.Rounds {
		if r.End.After(tl.End) {
			tl.End = r.End
		}
	}
	if !current.AsOf.IsZero() && tl.End.After(current.AsOf) {
		tl.End = current.AsOf.UTC()
	}
	tl.Topics = rp.topics(tl.End)
	return tl
}

// tookEffectBy keeps the revisions that took effect by t; revs are in
// negotiation-time order, so they are a prefix.
func tookEffectBy(revs []Revision, t time.Time) []Revision {
	n := sort.Search(len(revs), func(i int) bool { return revs[i].EffectiveAt.After(t) })
	return revs[:n]
}

func timelineRounds(s *Snapshot) []TimelineRound {
	rounds := make([]TimelineRound, 0, len(s.Rounds))
	for _, r := range s.Rounds {
		rounds = append(rounds, TimelineRound{ID: r.ID, Title: r.Title, Start: RoundStart(r), End: RoundEnd(r)})
	}
	sort.SliceStable(rounds, func(i, j int) bool {
		if !rounds[i].Start.Equal(rounds[j].Start) {
			return rounds[i].Start.Before(rounds[j].Start)
		}
		return rounds[i].Title < rounds[j].Title
	})
	return rounds
}

// timelineChange is a revision decoded for the replay: only what a topic's
// state and terms depend on.
type timelineChange struct {
	at          time.Time
	kind        Kind
	id          string
	negotiation *Negotiation
	demand      *Demand
	objection   *Objection
	endorsement *Endorsement
}

// The parts of stored bodies the replay reads; decoding only these skips
// the citations, details and notes that make up most of a body.
type (
	negotiationBody struct {
		Participants []Participant `json:"participants"`
	}
	demandBody struct {
		PartyID string         `json:"party_id"`
		TopicID string         `json:"topic_id"`
		State   string         `json:"status"`
		Terms   map[string]any `json:"terms"`
	}
	claimBody struct {
		DemandID string `json:"demand_id"`
		PartyID  string `json:"party_id"`
		State    string `json:"status"`
	}
)

// decodeRevisions decodes the bodies the replay needs on every core, the
// bulk of the work at conference scale. Rounds, delegations and parties do
// not shape a topic and are skipped; a topic needs only its id. A body
// that does not decode is left out rather than failing the whole picture.
func decodeRevisions(revs []Revision) []timelineChange {
	out := make([]timelineChange, len(revs))
	keep := make([]bool, len(revs))
	workers := min(runtime.GOMAXPROCS(0), len(revs)/512+1)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; i < len(revs); i += workers {
				out[i], keep[i] = decodeRevision(revs[i])
			}
		}(w)
	}
	wg.Wait()
	kept := out[:0]
	for i, c := range out {
		if keep[i] {
			kept = append(kept, c)
		}
	}
	return kept
}

func decodeRevision(rev Revision) (timelineChange, bool) {
	c := timelineChange{at: rev.EffectiveAt.UTC(), kind: rev.ResourceType, id: rev.ResourceID}
	switch rev.ResourceType {
	case KindNegotiation:
		var b negotiationBody
		if json.Unmarshal(rev.Resource, &b) != nil {
			return c, false
		}
		c.negotiation = &Negotiation{Meta: Meta{ID: rev.ResourceID}, Participants: b.Participants}
	case KindTopic:
	case KindDemand:
		var b demandBody
		if json.Unmarshal(rev.Resource, &b) != nil {
			return c, false
		}
		c.demand = &Demand{Meta: Meta{ID: rev.ResourceID}, PartyID: b.PartyID, TopicID: b.TopicID, State: b.State, Terms: b.Terms}
	case KindObjection:
		var b claimBody
		if json.Unmarshal(rev.Resource, &b) != nil {
			return c, false
		}
		c.objection = &Objection{Meta: Meta{ID: rev.ResourceID}, DemandID: b.DemandID, PartyID: b.PartyID, State: b.State}
	case KindEndorsement:
		var b claimBody
		if json.Unmarshal(rev.Resource, &b) != nil {
			return c, false
		}
		c.endorsement = &Endorsement{Meta: Meta{ID: rev.ResourceID}, DemandID: b.DemandID, PartyID: b.PartyID}
	default:
		return c, false
	}
	return c, true
}

// replay is the negotiation's state while its revisions are applied in
// order, with each topic's track so far.
type replay struct {
	current      *Snapshot
	principals   []string
	demands      map[string]*Demand
	byTopic      map[string]map[string]*Demand
	objections   map[string]*Objection
	objByDemand  map[string]map[string]*Objection
	endorsements map[string]*Endorsement
	endByDemand  map[string]map[string]*Endorsement
	// setAt[demand][term] is the order of the change that last set the
	// term's value, so that a party's latest word wins.
	setAt  map[string]map[string]int
	tracks map[string]*topicTrack
	dirty  map[string]bool
}

// topicTrack is one topic's timeline as it is built.
type topicTrack struct {
	bands  []StateBand
	holds  map[termParty]termHold
	series map[termParty]*TermSeries
}

type termParty struct{ term, party string }

// termHold is the value a party holds on a term and the demand it is from.
type termHold struct {
	value    float64
	demandID string
	setAt    int
}

func newReplay(current *Snapshot) *replay {
	return &replay{
		current:      current,
		demands:      map[string]*Demand{},
		byTopic:      map[string]map[string]*Demand{},
		objections:   map[string]*Objection{},
		objByDemand:  map[string]map[string]*Objection{},
		endorsements: map[string]*Endorsement{},
		endByDemand:  map[string]map[string]*Endorsement{},
		setAt:        map[string]map[string]int{},
		tracks:       map[string]*topicTrack{},
		dirty:        map[string]bool{},
	}
}

// apply takes one change into the state and marks the topics it touches;
// order is the change's place in the replay.
func (rp *replay) apply(c timelineChange, order int) {
	switch c.kind {
	case KindNegotiation:
		principals := c.negotiation.Principals()
		if !sameStrings(principals, rp.principals) {
			rp.principals = principals
			for id := range rp.tracks {
				rp.dirty[id] = true
			}
		}
	case KindTopic:
		rp.touch(c.id)
	case KindDemand:
		rp.applyDemand(c.demand, order)
	case KindObjection:
		if old := rp.objections[c.id]; old != nil {
			delete(rp.objByDemand[old.DemandID], c.id)
			rp.touchDemand(old.DemandID)
		}
		rp.objections[c.id] = c.objection
		addTo(rp.objByDemand, c.objection.DemandID, c.id, c.objection)
		rp.touchDemand(c.objection.DemandID)
	case KindEndorsement:
		if old := rp.endorsements[c.id]; old != nil {
			delete(rp.endByDemand[old.DemandID], c.id)
			rp.touchDemand(old.DemandID)
		}
		rp.endorsements[c.id] = c.endorsement
		addTo(rp.endByDemand, c.endorsement.DemandID, c.id, c.endorsement)
		rp.touchDemand(c.endorsement.DemandID)
	}
}

func (rp *replay) applyDemand(d *Demand, order int) {
	old := rp.demands[d.ID]
	if old != nil {
		delete(rp.byTopic[old.TopicID], d.ID)
		rp.touch(old.TopicID)
	}
	stamps := rp.setAt[d.ID]
	if stamps == nil {
		stamps = map[string]int{}
		rp.setAt[d.ID] = stamps
	}
	for k, v := range d.Terms {
		if old == nil || !sameTerm(old.Terms[k], v) {
			stamps[k] = order
		}
	}
	rp.demands[d.ID] = d
	addTo(rp.byTopic, d.TopicID, d.ID, d)
	rp.touch(d.TopicID)
}

func sameTerm(a, b any) bool {
	fa, oka := TermNumber(a)
	fb, okb := TermNumber(b)
	if oka || okb {
		return oka && okb && fa == fb
	}
	return a == b
}

func addTo[T any](m map[string]map[string]T, key, id string, v T) {
	inner := m[key]
	if inner == nil {
		inner = map[string]T{}
		m[key] = inner
	}
	inner[id] = v
}

// touch marks a topic as changed, starting its track if it is new.
func (rp *replay) touch(topicID string) {
	if topicID == "" {
		return
	}
	if rp.tracks[topicID] == nil {
		rp.tracks[topicID] = &topicTrack{holds: map[termParty]termHold{}, series: map[termParty]*TermSeries{}}
	}
	rp.dirty[topicID] = true
}

func (rp *replay) touchDemand(demandID string) {
	if d := rp.demands[demandID]; d != nil {
		rp.touch(d.TopicID)
	}
}

// settle recomputes every topic changed at instant at.
func (rp *replay) settle(at time.Time) {
	for id := range rp.dirty {
		rp.recompute(id, at)
		delete(rp.dirty, id)
	}
}

func (rp *replay) recompute(topicID string, at time.Time) {
	tr := rp.tracks[topicID]
	demands := make([]*Demand, 0, len(rp.byTopic[topicID]))
	var objections []*Objection
	var endorsements []*Endorsement
	for id, d := range rp.byTopic[topicID] {
		demands = append(demands, d)
		for _, o := range rp.objByDemand[id] {
			objections = append(objections, o)
		}
		for _, e := range rp.endByDemand[id] {
			endorsements = append(endorsements, e)
		}
	}
	state := TopicState(demands, objections, endorsements, rp.principals)
	if n := len(tr.bands); n == 0 || tr.bands[n-1].State != state {
		if n > 0 {
			tr.bands[n-1].To = at
		}
		tr.bands = append(tr.bands, StateBand{From: at, State: state})
	}
	rp.recomputeTerms(tr, topicID, demands, at)
}

// recomputeTerms finds each party's value of each numeric term now and adds
// a point wherever it differs from what the party held.
func (rp *replay) recomputeTerms(tr *topicTrack, topicID string, demands []*Demand, at time.Time) {
	now := map[termParty]termHold{}
	for _, d := range demands {
		if !d.Live() {
			continue
		}
		for k, v := range d.Terms {
			f, ok := TermNumber(v)
			if !ok {
				continue
			}
			key := termParty{k, d.PartyID}
			h := termHold{value: f, demandID: d.ID, setAt: rp.setAt[d.ID][k]}
			if cur, ok := now[key]; !ok || h.setAt > cur.setAt || (h.setAt == cur.setAt && h.demandID > cur.demandID) {
				now[key] = h
			}
		}
	}
	for key, h := range now {
		if prev, ok := tr.holds[key]; ok && prev.value == h.value {
			continue
		}
		v := h.value
		rp.addPoint(tr, key, TermPoint{At: at, Value: &v, DemandID: h.demandID})
	}
	for key, prev := range tr.holds {
		if _, ok := now[key]; !ok {
			rp.addPoint(tr, key, TermPoint{At: at, DemandID: prev.demandID, Ended: rp.endedWhy(prev.demandID, topicID)})
		}
	}
	tr.holds = now
}

func (rp *replay) addPoint(tr *topicTrack, key termParty, p TermPoint) {
	s := tr.series[key]
	if s == nil {
		s = &TermSeries{PartyID: key.party}
		tr.series[key] = s
	}
	s.Points = append(s.Points, p)
}

// endedWhy says why the value a demand gave a term on a topic is gone.
func (rp *replay) endedWhy(demandID, topicID string) string {
	d := rp.demands[demandID]
	switch {
	case d == nil:
		return TermEndedDropped
	case !d.Live():
		return d.State
	case d.TopicID != topicID:
		return TermEndedMoved
	}
	return TermEndedDropped
}

// topics lays the tracks out in the matrix's topic order, with the current
// names, closing each topic's last band at end.
func (rp *replay) topics(end time.Time) []TimelineTopic {
	ix := timelineNames(rp.current)
	topics := append([]*Topic(nil), rp.current.Topics...)
	sort.SliceStable(topics, func(i, j int) bool { return topicLess(topics[i], topics[j]) })
	out := make([]TimelineTopic, 0, len(topics))
	for _, t := range topics {
		tt := TimelineTopic{TopicID: t.ID, Title: t.Title, Bands: []StateBand{}, Terms: []TermTrack{}}
		if tr := rp.tracks[t.ID]; tr != nil {
			tt.Bands = tr.bands
			if n := len(tt.Bands); n > 0 {
				tt.Bands[n-1].To = end
			}
			tt.Terms = ix.termTracks(tr)
		}
		out = append(out, tt)
	}
	return out
}

// timelineNamer is what the timeline needs to name and order parties.
type timelineNamer struct {
	party map[string]string
	order map[string]int
}

func timelineNames(s *Snapshot) timelineNamer {
	n := timelineNamer{party: make(map[string]string, len(s.Parties)), order: map[string]int{}}
	for _, p := range s.Parties {
		n.party[p.ID] = p.Name
	}
	if s.Negotiation != nil {
		for i, p := range s.Negotiation.Participants {
			n.order[p.PartyID] = i
		}
	}
	return n
}

// termTracks groups a topic's series by term, terms by name, each term's
// parties as the negotiation lists its participants, then by name.
func (n timelineNamer) termTracks(tr *topicTrack) []TermTrack {
	byTerm := map[string][]TermSeries{}
	for key, s := range tr.series {
		s.Party = n.name(key.party)
		byTerm[key.term] = append(byTerm[key.term], *s)
	}
	tracks := make([]TermTrack, 0, len(byTerm))
	for _, term := range sortedKeys(byTerm) {
		series := byTerm[term]
		sort.Slice(series, func(i, j int) bool { return n.less(series[i], series[j]) })
		tracks = append(tracks, TermTrack{Term: term, Series: series})
	}
	return tracks
}

func (n timelineNamer) name(id string) string {
	if name, ok := n.party[id]; ok {
		return name
	}
	return id
}

func (n timelineNamer) less(a, b TermSeries) bool {
	oa, aok := n.order[a.PartyID]
	ob, bok := n.order[b.PartyID]
	switch {
	case aok && bok:
		return oa < ob
	case aok != bok:
		return aok
	}
	if la, lb := strings.ToLower(a.Party), strings.ToLower(b.Party); la != lb {
		return la < lb
	}
	return a.PartyID < b.PartyID
}

func sameStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
