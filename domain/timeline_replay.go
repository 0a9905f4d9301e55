package domain

import (
	"slices"
	"sort"
	"time"
)

// replay is the negotiation's state while its revisions are applied in
// order, with each topic's track so far. It keeps, per demand, the claims
// made on it and its numeric terms, so that recomputing a topic reads only
// that topic's demands, in slices rather than maps: at conference scale a
// topic is recomputed thousands of times.
type replay struct {
	current      *Snapshot
	principals   []string
	demands      map[string]*replayDemand
	byTopic      map[string][]*replayDemand
	objections   map[string]*Objection
	endorsements map[string]*Endorsement
	tracks       map[string]*topicTrack
	dirty        map[string]bool
	// Terms and parties as small numbers, so that a (term, party) key is
	// one integer.
	terms, parties      map[string]int32
	termNames, partyIDs []string
	// Scratch slices reused by every recompute.
	demandBuf      []*Demand
	objectionBuf   []*Objection
	endorsementBuf []*Endorsement
}

// replayDemand is a demand as the replay holds it. d is nil while only
// claims on it have taken effect (an objection dated before the demand).
type replayDemand struct {
	d            *Demand
	party        int32
	objections   []*Objection
	endorsements []*Endorsement
	numbers      []numericTerm
}

// numericTerm is a numeric term of a demand and the order of the change
// that last set its value, so that a party's latest word wins.
type numericTerm struct {
	term  int32
	value float64
	setAt int
}

// topicTrack is one topic's timeline as it is built.
type topicTrack struct {
	bands  []StateBand
	holds  map[termParty]termHold
	spare  map[termParty]termHold
	series map[termParty]*TermSeries
}

// termParty packs a term number and a party number.
type termParty uint64

func keyOf(term, party int32) termParty {
	return termParty(uint64(uint32(term))<<32 | uint64(uint32(party)))
}

func (k termParty) term() int32  { return int32(uint32(k >> 32)) }
func (k termParty) party() int32 { return int32(uint32(k)) }

// termHold is the value a party holds on a term and the demand it is from.
type termHold struct {
	value  float64
	demand *replayDemand
	setAt  int
}

func newReplay(current *Snapshot) *replay {
	return &replay{
		current:      current,
		demands:      map[string]*replayDemand{},
		byTopic:      map[string][]*replayDemand{},
		objections:   map[string]*Objection{},
		endorsements: map[string]*Endorsement{},
		tracks:       map[string]*topicTrack{},
		dirty:        map[string]bool{},
		terms:        map[string]int32{},
		parties:      map[string]int32{},
	}
}

func intern(m map[string]int32, names *[]string, s string) int32 {
	if n, ok := m[s]; ok {
		return n
	}
	n := int32(len(*names))
	m[s] = n
	*names = append(*names, s)
	return n
}

// demand returns the replay's entry for a demand id, making it if new.
func (rp *replay) demand(id string) *replayDemand {
	e := rp.demands[id]
	if e == nil {
		e = &replayDemand{}
		rp.demands[id] = e
	}
	return e
}

// apply takes one change into the state and marks the topics it touches;
// order is the change's place in the replay.
func (rp *replay) apply(c timelineChange, order int) {
	switch c.kind {
	case KindNegotiation:
		principals := c.negotiation.Principals()
		if !slices.Equal(principals, rp.principals) {
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
			e := rp.demand(old.DemandID)
			e.objections = without(e.objections, c.id)
			rp.touchDemand(e)
		}
		rp.objections[c.id] = c.objection
		e := rp.demand(c.objection.DemandID)
		e.objections = append(e.objections, c.objection)
		rp.touchDemand(e)
	case KindEndorsement:
		if old := rp.endorsements[c.id]; old != nil {
			e := rp.demand(old.DemandID)
			e.endorsements = without(e.endorsements, c.id)
			rp.touchDemand(e)
		}
		rp.endorsements[c.id] = c.endorsement
		e := rp.demand(c.endorsement.DemandID)
		e.endorsements = append(e.endorsements, c.endorsement)
		rp.touchDemand(e)
	}
}

// without drops the resource with that id from a demand's claims.
func without[T Resource](list []T, id string) []T {
	for i, r := range list {
		if r.Base().ID == id {
			return append(list[:i], list[i+1:]...)
		}
	}
	return list
}

func (rp *replay) applyDemand(d *Demand, order int) {
	e := rp.demand(d.ID)
	old := e.d
	if old != nil && old.TopicID != d.TopicID {
		rp.byTopic[old.TopicID] = removeDemand(rp.byTopic[old.TopicID], e)
		rp.touch(old.TopicID)
	}
	if old == nil || old.TopicID != d.TopicID {
		rp.byTopic[d.TopicID] = append(rp.byTopic[d.TopicID], e)
	}
	previous := e.numbers
	e.numbers = nil
	for k, v := range d.Terms {
		f, ok := TermNumber(v)
		if !ok {
			continue
		}
		n := numericTerm{term: intern(rp.terms, &rp.termNames, k), value: f, setAt: order}
		for _, p := range previous {
			if p.term == n.term && p.value == f {
				n.setAt = p.setAt // the same word, restated
			}
		}
		e.numbers = append(e.numbers, n)
	}
	e.d, e.party = d, intern(rp.parties, &rp.partyIDs, d.PartyID)
	rp.touch(d.TopicID)
}

func removeDemand(list []*replayDemand, e *replayDemand) []*replayDemand {
	for i, x := range list {
		if x == e {
			return append(list[:i], list[i+1:]...)
		}
	}
	return list
}

// touch marks a topic as changed, starting its track if it is new.
func (rp *replay) touch(topicID string) {
	if topicID == "" {
		return
	}
	if rp.tracks[topicID] == nil {
		rp.tracks[topicID] = &topicTrack{holds: map[termParty]termHold{}, spare: map[termParty]termHold{}, series: map[termParty]*TermSeries{}}
	}
	rp.dirty[topicID] = true
}

func (rp *replay) touchDemand(e *replayDemand) {
	if e.d != nil {
		rp.touch(e.d.TopicID)
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
	entries := rp.byTopic[topicID]
	demands, objections, endorsements := rp.demandBuf[:0], rp.objectionBuf[:0], rp.endorsementBuf[:0]
	for _, e := range entries {
		demands = append(demands, e.d)
		objections = append(objections, e.objections...)
		endorsements = append(endorsements, e.endorsements...)
	}
	state := string(TopicStateOf(demands, objections, endorsements, rp.principals))
	rp.demandBuf, rp.objectionBuf, rp.endorsementBuf = demands, objections, endorsements
	if n := len(tr.bands); n == 0 || tr.bands[n-1].State != state {
		if n > 0 {
			tr.bands[n-1].To = at
		}
		tr.bands = append(tr.bands, StateBand{From: at, State: state})
	}
	rp.recomputeTerms(tr, topicID, entries, at)
}

// recomputeTerms finds each party's value of each numeric term now and adds
// a point wherever it differs from what the party held.
func (rp *replay) recomputeTerms(tr *topicTrack, topicID string, entries []*replayDemand, at time.Time) {
	now := tr.spare
	clear(now)
	for _, e := range entries {
		if !e.d.Live() {
			continue
		}
		for _, n := range e.numbers {
			key := keyOf(n.term, e.party)
			h := termHold{value: n.value, demand: e, setAt: n.setAt}
			if cur, ok := now[key]; !ok || h.setAt > cur.setAt || (h.setAt == cur.setAt && e.d.ID > cur.demand.d.ID) {
				now[key] = h
			}
		}
	}
	for key, h := range now {
		if prev, ok := tr.holds[key]; ok && prev.value == h.value {
			continue
		}
		v := h.value
		rp.addPoint(tr, key, TermPoint{At: at, Value: &v, DemandID: h.demand.d.ID})
	}
	for key, prev := range tr.holds {
		if _, ok := now[key]; !ok {
			rp.addPoint(tr, key, TermPoint{At: at, DemandID: prev.demand.d.ID, Ended: endedWhy(prev.demand, topicID)})
		}
	}
	tr.holds, tr.spare = now, tr.holds
}

func (rp *replay) addPoint(tr *topicTrack, key termParty, p TermPoint) {
	s := tr.series[key]
	if s == nil {
		s = &TermSeries{PartyID: rp.partyIDs[key.party()]}
		tr.series[key] = s
	}
	s.Points = append(s.Points, p)
}

// endedWhy says why the value a demand gave a term on a topic is gone.
func endedWhy(e *replayDemand, topicID string) string {
	switch {
	case !e.d.Live():
		return string(e.d.State)
	case e.d.TopicID != topicID:
		return TermEndedMoved
	}
	return TermEndedDropped
}

// topics lays the tracks out in the matrix's topic order, with the current
// names, closing each topic's last band at end.
func (rp *replay) topics(end time.Time) []TimelineTopic {
	names := timelineNames(rp.current)
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
			tt.Terms = rp.termTracks(names, tr, termOrderOn(rp.current, t.ID))
		}
		out = append(out, tt)
	}
	return out
}

// termOrderOn ranks the terms stated on a topic as the analyst ordered
// them: by the demands' own order, the first demand to state a term
// placing it (as the matrix's gap rows do).
func termOrderOn(s *Snapshot, topicID string) map[string]int {
	rank := map[string]int{}
	for _, d := range s.Demands {
		if d.TopicID != topicID {
			continue
		}
		for _, k := range d.OrderedTermKeys() {
			if _, ok := rank[k]; !ok {
				rank[k] = len(rank)
			}
		}
	}
	return rank
}

// termTracks groups a topic's series by term, terms in the analyst's order
// (rank; terms no current demand states follow by name), each term's
// parties as the negotiation lists its participants, then by name.
func (rp *replay) termTracks(names timelineNamer, tr *topicTrack, rank map[string]int) []TermTrack {
	byTerm := map[string][]TermSeries{}
	for key, s := range tr.series {
		s.Party = names.name(s.PartyID)
		term := rp.termNames[key.term()]
		byTerm[term] = append(byTerm[term], *s)
	}
	terms := sortedKeys(byTerm)
	sort.SliceStable(terms, func(i, j int) bool {
		ri, iok := rank[terms[i]]
		rj, jok := rank[terms[j]]
		if iok != jok {
			return iok
		}
		return iok && ri < rj
	})
	tracks := make([]TermTrack, 0, len(byTerm))
	for _, term := range terms {
		series := byTerm[term]
		sort.Slice(series, func(i, j int) bool { return names.less(series[i], series[j]) })
		tracks = append(tracks, TermTrack{Term: term, Series: series})
	}
	return tracks
}
