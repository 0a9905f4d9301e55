package domain

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

// timelineScript writes the revisions of a small negotiation as
// Store.Timeline returns them: in negotiation-time order, each body the
// whole resource as of that revision.
type timelineScript struct {
	t    *testing.T
	revs []Revision
	seen map[string]int
}

func day(n int) time.Time { return time.Date(2025, 1, n, 0, 0, 0, 0, time.UTC) }

func (s *timelineScript) at(when time.Time, r Resource) {
	s.t.Helper()
	if s.seen == nil {
		s.seen = map[string]int{}
	}
	r.Base().EffectiveAt = when
	body, err := json.Marshal(r)
	if err != nil {
		s.t.Fatal(err)
	}
	id := r.Base().ID
	s.seen[id]++
	action := "update"
	if s.seen[id] == 1 {
		action = "create"
	}
	s.revs = append(s.revs, Revision{ResourceType: r.Kind(), ResourceID: id, Revision: s.seen[id], Action: RevisionAction(action),
		At: when, EffectiveAt: when, Resource: body})
}

// The parties, topic and round every case shares: Ukraine and Russia are
// principals, Turkey mediates.
func timelineBase(s *timelineScript) *Snapshot {
	n := &Negotiation{Meta: Meta{ID: "neg"}, Title: "Talks", StartedOn: "2025-01-01", Participants: []Participant{
		{PartyID: "ua", Role: "principal"}, {PartyID: "ru", Role: "principal"}, {PartyID: "tr", Role: "mediator"}}}
	topic := &Topic{Meta: Meta{ID: "ceasefire"}, NegotiationID: "neg", Title: "Ceasefire"}
	round := &Round{Meta: Meta{ID: "r1"}, NegotiationID: "neg", Title: "Round 1", StartsOn: "2025-01-02", EndsOn: "2025-01-08"}
	s.at(day(1), n)
	s.at(day(1), topic)
	s.at(day(2), round)
	return &Snapshot{Negotiation: n, Topics: []*Topic{topic}, Rounds: []*Round{round}, Parties: []*Party{
		{Meta: Meta{ID: "ua"}, Name: "Ukraine"}, {Meta: Meta{ID: "ru"}, Name: "Russia"}, {Meta: Meta{ID: "tr"}, Name: "Turkey"}}}
}

func timelineDemand(id, party string, terms map[string]any, status string) *Demand {
	return &Demand{Meta: Meta{ID: id}, NegotiationID: "neg", PartyID: party, TopicID: "ceasefire", Title: id,
		Terms: terms, State: DemandStatus(status), StatedOn: "2025-01-02"}
}

func num(f float64) *float64 { return &f }

// seriesText writes a term's series as "Ukraine: 30@2 45@4 | Russia: 60@2
// end(withdrawn)@5", days of January 2025, for compact expectations.
func seriesText(tr TermTrack) string {
	var parts []string
	for _, s := range tr.Series {
		var pts []string
		for _, p := range s.Points {
			if p.Value == nil {
				pts = append(pts, fmt.Sprintf("end(%s)@%d", p.Ended, p.At.Day()))
			} else {
				pts = append(pts, fmt.Sprintf("%s@%d", FormatTerm(*p.Value), p.At.Day()))
			}
		}
		parts = append(parts, s.Party+": "+strings.Join(pts, " "))
	}
	return strings.Join(parts, " | ")
}

func bandsText(bands []StateBand) string {
	var parts []string
	for _, b := range bands {
		parts = append(parts, fmt.Sprintf("%s %d-%d", b.State, b.From.Day(), b.To.Day()))
	}
	return strings.Join(parts, ", ")
}

func TestBuildTimeline(t *testing.T) {
	tests := []struct {
		name   string
		script func(s *timelineScript)
		asOf   time.Time
		bands  string
		terms  map[string]string
		end    time.Time
	}{
		{
			name: "open, then contested, then agreed",
			script: func(s *timelineScript) {
				s.at(day(3), timelineDemand("d1", "ua", nil, "tabled"))
				s.at(day(4), &Objection{Meta: Meta{ID: "o1"}, DemandID: "d1", PartyID: "ru", Grounds: "no", State: "standing", StatedOn: "2025-01-04"})
				s.at(day(6), timelineDemand("d1", "ua", nil, "agreed"))
			},
			bands: "open 1-4, contested 4-6, agreed 6-8",
			terms: map[string]string{},
			end:   EndOfDay(day(8)),
		},
		{
			name: "an endorsement by the other principal makes the topic convergent",
			script: func(s *timelineScript) {
				s.at(day(3), timelineDemand("d1", "ua", nil, "tabled"))
				s.at(day(5), &Endorsement{Meta: Meta{ID: "e1"}, DemandID: "d1", PartyID: "ru", StatedOn: "2025-01-05"})
			},
			bands: "open 1-5, convergent 5-8",
			terms: map[string]string{},
			end:   EndOfDay(day(8)),
		},
		{
			name: "one party moves from 30 to 45, the other holds 60",
			script: func(s *timelineScript) {
				s.at(day(3), timelineDemand("d1", "ua", map[string]any{"duration_days": 30.0, "unconditional": true}, "tabled"))
				s.at(day(3), timelineDemand("d2", "ru", map[string]any{"duration_days": 60.0}, "tabled"))
				s.at(day(5), timelineDemand("d1", "ua", map[string]any{"duration_days": 45.0, "unconditional": true}, "tabled"))
				s.at(day(6), timelineDemand("d2", "ru", map[string]any{"duration_days": 60.0}, "under_discussion"))
			},
			bands: "open 1-8",
			terms: map[string]string{"duration_days": "Ukraine: 30@3 45@5 | Russia: 60@3"},
			end:   EndOfDay(day(8)),
		},
		{
			name: "a withdrawn demand ends its party's line",
			script: func(s *timelineScript) {
				s.at(day(3), timelineDemand("d1", "ua", map[string]any{"duration_days": 30.0}, "tabled"))
				s.at(day(3), timelineDemand("d2", "ru", map[string]any{"duration_days": 60.0}, "tabled"))
				s.at(day(7), timelineDemand("d2", "ru", map[string]any{"duration_days": 60.0}, "withdrawn"))
			},
			bands: "open 1-8",
			terms: map[string]string{"duration_days": "Ukraine: 30@3 | Russia: 60@3 end(withdrawn)@7"},
			end:   EndOfDay(day(8)),
		},
		{
			name: "with two live demands the latest word counts, and the other takes over when it is rejected",
			script: func(s *timelineScript) {
				s.at(day(3), timelineDemand("d1", "ua", map[string]any{"duration_days": 30.0}, "tabled"))
				s.at(day(4), timelineDemand("d3", "ua", map[string]any{"duration_days": 20.0}, "tabled"))
				// A status change to the older demand is not a new word on the term.
				s.at(day(5), timelineDemand("d1", "ua", map[string]any{"duration_days": 30.0}, "under_discussion"))
				s.at(day(6), timelineDemand("d3", "ua", map[string]any{"duration_days": 20.0}, "rejected"))
			},
			bands: "open 1-8",
			terms: map[string]string{"duration_days": "Ukraine: 30@3 20@4 30@6"},
			end:   EndOfDay(day(8)),
		},
		{
			name: "a term the demand stops stating, and a demand moved to another topic",
			script: func(s *timelineScript) {
				s.at(day(1), &Topic{Meta: Meta{ID: "other"}, NegotiationID: "neg", Title: "Other"})
				s.at(day(3), timelineDemand("d1", "ua", map[string]any{"duration_days": 30.0, "zone_km": 5.0}, "tabled"))
				s.at(day(3), timelineDemand("d2", "ru", map[string]any{"duration_days": 60.0}, "tabled"))
				s.at(day(4), timelineDemand("d1", "ua", map[string]any{"duration_days": 30.0}, "tabled"))
				moved := timelineDemand("d2", "ru", map[string]any{"duration_days": 60.0}, "tabled")
				moved.TopicID = "other"
				s.at(day(5), moved)
			},
			bands: "open 1-8",
			terms: map[string]string{"duration_days": "Ukraine: 30@3 | Russia: 60@3 end(moved)@5", "zone_km": "Ukraine: 5@3 end(dropped)@4"},
			end:   EndOfDay(day(8)),
		},
		{
			name: "as of an instant: later moves are left out and the axis stops there",
			script: func(s *timelineScript) {
				s.at(day(3), timelineDemand("d1", "ua", map[string]any{"duration_days": 30.0}, "tabled"))
				s.at(day(7), timelineDemand("d1", "ua", map[string]any{"duration_days": 45.0}, "agreed"))
			},
			asOf:  EndOfDay(day(5)),
			bands: "open 1-5",
			terms: map[string]string{"duration_days": "Ukraine: 30@3"},
			end:   EndOfDay(day(5)),
		},
		{
			name: "a new principal reopens a convergent topic",
			script: func(s *timelineScript) {
				s.at(day(3), timelineDemand("d1", "ua", nil, "tabled"))
				s.at(day(3), &Endorsement{Meta: Meta{ID: "e1"}, DemandID: "d1", PartyID: "ru", StatedOn: "2025-01-03"})
				s.at(day(10), &Negotiation{Meta: Meta{ID: "neg"}, Title: "Talks", StartedOn: "2025-01-01", Participants: []Participant{
					{PartyID: "ua", Role: "principal"}, {PartyID: "ru", Role: "principal"}, {PartyID: "tr", Role: "principal"}}})
			},
			bands: "open 1-3, convergent 3-10, open 10-10",
			terms: map[string]string{},
			end:   day(10),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &timelineScript{t: t}
			snap := timelineBase(s)
			snap.AsOf = tt.asOf
			tt.script(s)
			tl := BuildTimeline(snap, s.revs)
			if !tl.Start.Equal(day(1)) || !tl.End.Equal(tt.end) {
				t.Errorf("axis %s to %s, want %s to %s", tl.Start, tl.End, day(1), tt.end)
			}
			if len(tl.Rounds) != 1 || tl.Rounds[0].Title != "Round 1" || !tl.Rounds[0].Start.Equal(day(2)) || !tl.Rounds[0].End.Equal(EndOfDay(day(8))) {
				t.Errorf("rounds = %+v", tl.Rounds)
			}
			var topic *TimelineTopic
			for i := range tl.Topics {
				if tl.Topics[i].TopicID == "ceasefire" {
					topic = &tl.Topics[i]
				}
			}
			if topic == nil || topic.Title != "Ceasefire" {
				t.Fatalf("no Ceasefire topic in %+v", tl.Topics)
			}
			if got := bandsText(topic.Bands); got != tt.bands {
				t.Errorf("bands = %s, want %s", got, tt.bands)
			}
			got := map[string]string{}
			for _, tr := range topic.Terms {
				got[tr.Term] = seriesText(tr)
			}
			if !reflect.DeepEqual(got, tt.terms) {
				t.Errorf("terms = %q, want %q", got, tt.terms)
			}
		})
	}
}

// TestBuildTimelineJSON pins the model's JSON shape: a null value ends a
// line, and the demand that carried it says which one it was.
func TestBuildTimelineJSON(t *testing.T) {
	s := &timelineScript{t: t}
	snap := timelineBase(s)
	s.at(day(3), timelineDemand("d2", "ru", map[string]any{"duration_days": 60.0}, "tabled"))
	s.at(day(7), timelineDemand("d2", "ru", map[string]any{"duration_days": 60.0}, "withdrawn"))
	b, err := json.Marshal(BuildTimeline(snap, s.revs))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`"start":"2025-01-01T00:00:00Z","end":"2025-01-08T23:59:59.999999Z"`,
		`"rounds":[{"id":"r1","title":"Round 1","start":"2025-01-02T00:00:00Z","end":"2025-01-08T23:59:59.999999Z"}]`,
		`"bands":[{"from":"2025-01-01T00:00:00Z","to":"2025-01-08T23:59:59.999999Z","state":"open"}]`,
		`"terms":[{"term":"duration_days","series":[{"party_id":"ru","party":"Russia","points":[` +
			`{"at":"2025-01-03T00:00:00Z","value":60,"demand_id":"d2"},{"at":"2025-01-07T00:00:00Z","value":null,"demand_id":"d2","ended":"withdrawn"}]}]}]`,
	} {
		if !strings.Contains(string(b), want) {
			t.Errorf("timeline JSON lacks %s:\n%s", want, b)
		}
	}
}

// TestBuildTimelineEmpty: a negotiation with nothing in it still has an
// axis and no topics.
func TestBuildTimelineEmpty(t *testing.T) {
	s := &timelineScript{t: t}
	n := &Negotiation{Meta: Meta{ID: "neg"}, Title: "Talks", Participants: []Participant{}}
	s.at(day(4), n)
	tl := BuildTimeline(&Snapshot{Negotiation: n}, s.revs)
	if !tl.Start.Equal(day(4)) || !tl.End.Equal(day(4)) || len(tl.Topics) != 0 || len(tl.Rounds) != 0 {
		t.Errorf("timeline = %+v", tl)
	}
}
