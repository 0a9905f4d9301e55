package domain

import (
	"sort"
	"strings"
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
	switch {
	case len(changes) > 0:
		tl.Start = changes[0].at
		tl.End = changes[len(changes)-1].at
	case !current.AsOf.IsZero():
		// Nothing had taken effect yet: an empty axis at that instant.
		tl.Start = current.AsOf.UTC()
		tl.End = tl.Start
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
