package domain

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// demandOf finds a demand of the snapshot by id.
func demandOf(s *Snapshot, id string) *Demand {
	for _, d := range s.Demands {
		if d.ID == id {
			return d
		}
	}
	panic("no demand " + id)
}

// moved is one expected move: where, whose and what.
type moved struct {
	topic, id, kind string
	summary         string
}

func TestCompare(t *testing.T) {
	const fxObj = "00000000-0000-4000-8000-0000000000f1"
	const fxNewE, fxNewD = "00000000-0000-4000-8000-0000000000f9", "00000000-0000-4000-8000-0000000000d9"
	str := func(s string) *string { return &s }
	tests := []struct {
		name string
		// before changes the "from" side, after the "to" side; both start
		// as the fixture.
		before, after func(s *Snapshot)
		moves         []moved
		// states are topic id → [from, to]; nil pointers mean "not there".
		states map[string][2]*string
		other  []string // summaries of the moves beyond topics
	}{
		{name: "nothing moved",
			states: map[string][2]*string{fxCeasefire: {str("contested"), str("contested")}, fxPrisoners: {str("agreed"), str("agreed")}}},
		{name: "metadata alone is no move",
			after: func(s *Snapshot) {
				d := demandOf(s, fxD30)
				d.Version, d.UpdatedAt, d.EffectiveAt, d.CreatedAt = 7, fxTime, fxTime, fxTime
				s.Negotiation.Version = 3
			}},
		{name: "empty values written differently are no move",
			before: func(s *Snapshot) { demandOf(s, fxDCh).Citations = nil },
			after:  func(s *Snapshot) { demandOf(s, fxDCh).Citations = []Citation{}; demandOf(s, fxDCh).Details = "" }},
		{name: "a term grows: delta up",
			after: func(s *Snapshot) { demandOf(s, fxD30).Terms["duration_days"] = 45.0 },
			moves: []moved{{fxCeasefire, fxD30, "changed", "Ukraine: duration days 30 → 45 (+15) on “Immediate 30-day ceasefire”"}}},
		{name: "a term shrinks: delta down, thousands and unit",
			before: func(s *Snapshot) { demandOf(s, fxDPow).Terms["buffer_zone_m"] = 1000.0 },
			after:  func(s *Snapshot) { demandOf(s, fxDPow).Terms["buffer_zone_m"] = 700.0 },
			moves:  []moved{{fxPrisoners, fxDPow, "changed", "Ukraine: buffer zone 1,000 m → 700 m (−300 m) on “1000-for-1000 exchange”"}}},
		{name: "contested to agreed",
			after: func(s *Snapshot) {
				s.Objections[0].State = "resolved"
				for _, id := range []string{fxD30, fxDUS, fxDRU} {
					demandOf(s, id).State = "agreed"
				}
			},
			states: map[string][2]*string{fxCeasefire: {str("contested"), str("agreed")}},
			moves: []moved{
				{fxCeasefire, fxD30, "changed", "Ukraine: status tabled → agreed on “Immediate 30-day ceasefire”"},
				{fxCeasefire, fxDRU, "changed", "Russia: status under discussion → agreed on “Three-day truce”"},
				{fxCeasefire, fxObj, "changed", "Russia's objection to “Immediate 30-day ceasefire” resolved"},
				{fxCeasefire, fxDUS, "changed", "United States: status tabled → agreed on “US 30-day ceasefire proposal”"},
			}},
		{name: "an endorsement and a demand added",
			after: func(s *Snapshot) {
				s.Endorsements = append(s.Endorsements, &Endorsement{Meta: Meta{ID: fxNewE, EffectiveAt: fxTime}, DemandID: fxD30, PartyID: fxUS, StatedOn: "2025-05-17"})
				s.Demands = append(s.Demands, &Demand{Meta: Meta{ID: fxNewD, EffectiveAt: fxTime.Add(time.Hour)}, NegotiationID: fxNeg, PartyID: fxRU, TopicID: fxChildren,
					Title: "Lists of children", State: "tabled", StatedOn: "2025-05-17", Terms: map[string]any{"children": 339.0}})
			},
			moves: []moved{
				{fxCeasefire, fxNewE, "added", "United States endorses “Immediate 30-day ceasefire”"},
				{fxChildren, fxNewD, "added", "Russia demands “Lists of children”: children 339"},
			}},
		{name: "a demand on one side only is removed",
			after: func(s *Snapshot) { s.Demands = s.Demands[1:] },
			moves: []moved{{fxCeasefire, fxD30, "removed", "Ukraine's demand “Immediate 30-day ceasefire” is no longer on record"}}},
		{name: "recorded in error: absent on both sides, no move",
			before: func(s *Snapshot) { s.Demands = s.Demands[1:] },
			after:  func(s *Snapshot) { s.Demands = s.Demands[1:] }},
		{name: "a new topic has no state before",
			after: func(s *Snapshot) {
				s.Topics = append(s.Topics, &Topic{Meta: Meta{ID: "00000000-0000-4000-8000-0000000000b9"}, NegotiationID: fxNeg, Title: "Energy <b>", SortOrder: 5})
			},
			states: map[string][2]*string{"00000000-0000-4000-8000-0000000000b9": {nil, str("open")}},
			moves:  []moved{{"00000000-0000-4000-8000-0000000000b9", "00000000-0000-4000-8000-0000000000b9", "added", "New topic “Energy <b>”"}}},
		{name: "a demand moved to another topic shows under both",
			after: func(s *Snapshot) { demandOf(s, fxDCh).TopicID = fxPrisoners },
			moves: []moved{
				{fxChildren, fxDCh, "changed", "Ukraine: topic “children” → “Prisoners of war” on “Return of all children”"},
				{fxPrisoners, fxDCh, "changed", "Ukraine: topic “children” → “Prisoners of war” on “Return of all children”"},
			}},
		{name: "rounds, delegations and participants move beyond topics",
			after: func(s *Snapshot) {
				s.Rounds[0].EndsOn = "2025-05-17"
				s.Delegations[0].Level = "ministerial"
				s.Negotiation.Participants = append(s.Negotiation.Participants[:3], Participant{fxOutsider, "observer"})
			},
			other: []string{
				"Negotiation “Istanbul talks”: Observer Org joins as observer; United States leaves",
				"Round “Dolmabahçe round”: ends on 17 May 2025 (new)",
				"Russia's delegation to “Dolmabahçe round”: level senior official → ministerial",
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			from, to := fixtureSnapshot(), fixtureSnapshot()
			from.AsOf, to.AsOf = time.Date(2025, 5, 15, 23, 59, 59, 999999000, time.UTC), time.Date(2025, 5, 17, 23, 59, 59, 999999000, time.UTC)
			if tt.before != nil {
				tt.before(from)
			}
			if tt.after != nil {
				tt.after(to)
			}
			c := Compare(from, to)
			if c.From == nil || !c.From.Equal(time.Date(2025, 5, 16, 0, 0, 0, 0, time.UTC)) || c.To == nil || !c.To.Equal(to.AsOf) {
				t.Errorf("window = %v … %v, want from the start of 16 May to the end of 17 May", c.From, c.To)
			}
			var got []moved
			byTopic := map[string]TopicComparison{}
			for _, tc := range c.Topics {
				byTopic[tc.TopicID] = tc
				for _, m := range tc.Moves {
					got = append(got, moved{tc.TopicID, m.ResourceID, m.Kind, m.Summary})
				}
			}
			if !sameMoves(got, tt.moves) {
				t.Errorf("moves:\n got  %v\n want %v", got, tt.moves)
			}
			for id, want := range tt.states {
				tc, ok := byTopic[id]
				if !ok {
					t.Fatalf("topic %s not listed", id)
				}
				if !sameState(tc.StateFrom, want[0]) || !sameState(tc.StateTo, want[1]) {
					t.Errorf("topic %s state %v → %v, want %v → %v", id, deref(tc.StateFrom), deref(tc.StateTo), deref(want[0]), deref(want[1]))
				}
			}
			var other []string
			for _, m := range c.OtherMoves {
				other = append(other, m.Summary)
			}
			if strings.Join(other, "\n") != strings.Join(tt.other, "\n") {
				t.Errorf("other moves:\n got  %q\n want %q", other, tt.other)
			}
			if c.MoveCount() != len(tt.moves)+len(tt.other) {
				t.Errorf("MoveCount = %d, want %d", c.MoveCount(), len(tt.moves)+len(tt.other))
			}
		})
	}
}

func sameMoves(got, want []moved) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if got[i] != want[i] {
			return false
		}
	}
	return true
}

func deref(s *string) string {
	if s == nil {
		return "<none>"
	}
	return *s
}

// TestCompareFields checks the fields of a move: stored values, words,
// and a delta only where both sides are numbers.
func TestCompareFields(t *testing.T) {
	from, to := fixtureSnapshot(), fixtureSnapshot()
	demandOf(from, fxDPow).Terms["prisoners_phase_1"] = 2500.0
	d := demandOf(to, fxDPow)
	d.Terms["prisoners_phase_1"] = 1904.0
	d.Terms["monitored"] = true
	d.State = "under_discussion"
	c := Compare(from, to)
	var m *Move
	for _, tc := range c.Topics {
		for i := range tc.Moves {
			if tc.Moves[i].ResourceID == fxDPow {
				m = &tc.Moves[i]
			}
		}
	}
	if m == nil {
		t.Fatal("no move of the prisoners demand")
	}
	if m.PartyID != fxUA || m.Party != "Ukraine" || m.DemandID != fxDPow || m.ResourceType != KindDemand {
		t.Errorf("move = %+v", m)
	}
	want := []struct {
		field, text string
		delta       *float64
	}{
		{"status", "status agreed → under discussion", nil},
		{"terms.monitored", "monitored yes (new)", nil},
		{"terms.prisoners_phase_1", "prisoners phase 1 2,500 → 1,904 (−596)", ptr(-596)},
	}
	if len(m.Fields) != len(want) {
		t.Fatalf("fields = %+v", m.Fields)
	}
	for i, w := range want {
		f := m.Fields[i]
		if f.Field != w.field || f.Text != w.text || (f.Delta == nil) != (w.delta == nil) || (f.Delta != nil && *f.Delta != *w.delta) {
			t.Errorf("field %d = %s %q delta %v, want %s %q delta %v", i, f.Field, f.Text, f.Delta, w.field, w.text, w.delta)
		}
	}
	if !strings.HasPrefix(m.Summary, "Ukraine: status agreed → under discussion; monitored yes (new); prisoners phase 1 2,500 → 1,904 (−596)") {
		t.Errorf("summary = %q", m.Summary)
	}
}

func ptr(f float64) *float64 { return &f }

// TestComparisonJSON pins the contract's shape.
func TestComparisonJSON(t *testing.T) {
	from, to := fixtureSnapshot(), fixtureSnapshot()
	from.AsOf = time.Date(2025, 5, 15, 23, 59, 59, 999999000, time.UTC)
	demandOf(to, fxD30).Terms["duration_days"] = 60.0
	b, err := json.Marshal(Compare(from, to))
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		From   *string `json:"from"`
		To     *string `json:"to"`
		Topics []struct {
			TopicID   string  `json:"topic_id"`
			StateFrom *string `json:"state_from"`
			StateTo   *string `json:"state_to"`
			Moves     []struct {
				ResourceType, ResourceID, PartyID, Kind string
				Fields                                  []map[string]any
			} `json:"moves"`
		} `json:"topics"`
	}
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if got.From == nil || *got.From != "2025-05-16T00:00:00Z" || got.To != nil {
		t.Errorf("from %v to %v, want 2025-05-16T00:00:00Z and null (now)", got.From, got.To)
	}
	for _, key := range []string{`"topic_id"`, `"state_from"`, `"state_to"`, `"moves"`, `"resource_type":"demands"`, `"resource_id"`, `"party_id"`,
		`"kind":"changed"`, `"field":"terms.duration_days"`, `"from":30`, `"to":60`, `"delta":30`, `"summary"`, `"topic_title"`, `"other_moves"`} {
		if !strings.Contains(string(b), key) {
			t.Errorf("comparison JSON lacks %s: %s", key, b)
		}
	}
}
