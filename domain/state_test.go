package domain

import (
	"os"
	"strings"
	"testing"
)

func TestTopicState(t *testing.T) {
	const ua, ru, us = "ua", "ru", "us"
	principals := []string{ua, ru}
	dem := func(id, party string, status DemandStatus) *Demand {
		return &Demand{Meta: Meta{ID: id}, PartyID: party, State: status}
	}
	obj := func(demand, party string, status ObjectionStatus) *Objection {
		return &Objection{DemandID: demand, PartyID: party, State: status}
	}
	end := func(demand, party string) *Endorsement { return &Endorsement{DemandID: demand, PartyID: party} }

	tests := []struct {
		name         string
		demands      []*Demand
		objections   []*Objection
		endorsements []*Endorsement
		principals   []string
		want         TopicState
	}{
		{name: "no demand at all", want: StateOpen, principals: principals},
		{name: "only withdrawn and rejected demands", demands: []*Demand{dem("d1", ua, "withdrawn"), dem("d2", ru, "rejected")},
			principals: principals, want: StateOpen},
		{name: "one tabled demand nobody else backs", demands: []*Demand{dem("d1", ua, "tabled")}, principals: principals, want: StateOpen},
		{name: "all live demands agreed or fulfilled", demands: []*Demand{dem("d1", ua, "agreed"), dem("d2", ru, "fulfilled"), dem("d3", ru, "withdrawn")},
			principals: principals, want: StateAgreed},
		{name: "agreed wins over a standing objection", demands: []*Demand{dem("d1", ua, "agreed")},
			objections: []*Objection{obj("d1", ru, "standing")}, principals: principals, want: StateAgreed},
		{name: "one live demand still tabled is not agreed", demands: []*Demand{dem("d1", ua, "agreed"), dem("d2", ru, "tabled")},
			endorsements: []*Endorsement{end("d2", ua), end("d1", ru)}, principals: principals, want: StateConvergent},
		// The contract asks every principal to make or endorse each live
		// demand, agreed ones included.
		{name: "an agreed demand not endorsed keeps the topic open", demands: []*Demand{dem("d1", ua, "agreed"), dem("d2", ru, "tabled")},
			endorsements: []*Endorsement{end("d2", ua)}, principals: principals, want: StateOpen},
		{name: "standing objection contests", demands: []*Demand{dem("d1", ua, "tabled")},
			objections: []*Objection{obj("d1", ru, "standing")}, principals: principals, want: StateContested},
		{name: "resolved objection no longer contests", demands: []*Demand{dem("d1", ua, "tabled")},
			objections: []*Objection{obj("d1", ru, "resolved")}, endorsements: []*Endorsement{end("d1", ru)}, principals: principals, want: StateConvergent},
		{name: "withdrawn objection with no endorsement is open", demands: []*Demand{dem("d1", ua, "tabled")},
			objections: []*Objection{obj("d1", ru, "withdrawn")}, principals: principals, want: StateOpen},
		{name: "objection to a withdrawn demand does not contest", demands: []*Demand{dem("d1", ua, "withdrawn"), dem("d2", ua, "under_discussion")},
			objections: []*Objection{obj("d1", ru, "standing")}, endorsements: []*Endorsement{end("d2", ru)}, principals: principals, want: StateConvergent},
		{name: "objection to a demand of another topic is ignored", demands: []*Demand{dem("d1", ua, "tabled")},
			objections: []*Objection{obj("other", ru, "standing")}, endorsements: []*Endorsement{end("d1", ru)}, principals: principals, want: StateConvergent},
		{name: "endorsement by the other principal converges", demands: []*Demand{dem("d1", ua, "tabled")},
			endorsements: []*Endorsement{end("d1", ru)}, principals: principals, want: StateConvergent},
		{name: "each principal makes its own demand but not the other's", demands: []*Demand{dem("d1", ua, "tabled"), dem("d2", ru, "tabled")},
			principals: principals, want: StateOpen},
		{name: "mediator's demand endorsed by both principals converges", demands: []*Demand{dem("d1", us, "tabled")},
			endorsements: []*Endorsement{end("d1", ua), end("d1", ru)}, principals: principals, want: StateConvergent},
		{name: "mediator's demand endorsed by one principal is open", demands: []*Demand{dem("d1", us, "tabled")},
			endorsements: []*Endorsement{end("d1", ua), end("d1", us)}, principals: principals, want: StateOpen},
		{name: "endorsement by a non-principal does not count", demands: []*Demand{dem("d1", ua, "tabled")},
			endorsements: []*Endorsement{end("d1", us)}, principals: principals, want: StateOpen},
		{name: "no principals is never convergent", demands: []*Demand{dem("d1", us, "tabled")},
			endorsements: []*Endorsement{end("d1", ua)}, principals: nil, want: StateOpen},
		{name: "no principals can still be agreed", demands: []*Demand{dem("d1", us, "agreed")}, principals: nil, want: StateAgreed},
		{name: "no principals can still be contested", demands: []*Demand{dem("d1", us, "tabled")},
			objections: []*Objection{obj("d1", ua, "standing")}, principals: nil, want: StateContested},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := TopicStateOf(tt.demands, tt.objections, tt.endorsements, tt.principals); got != tt.want {
				t.Errorf("TopicStateOf = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestJudgeTopicWithTerms covers the refined states: divergent on defined
// terms, agreed judged on core and normal demands, and the two cases an
// analyst met on the Gaza talks.
func TestJudgeTopicWithTerms(t *testing.T) {
	const il, hm, qa = "il", "hm", "qa"
	principals := []string{il, hm}
	trucks := []TermDefinition{{Key: "trucks_per_day", Type: TermTypeNumber, Unit: "trucks/day"}}
	dem := func(id, party string, status DemandStatus, priority DemandPriority, terms map[string]any) *Demand {
		return &Demand{Meta: Meta{ID: id}, PartyID: party, State: status, Priority: priority, Terms: terms}
	}
	obj := func(demand, party string, status ObjectionStatus) *Objection {
		return &Objection{DemandID: demand, PartyID: party, State: status, Type: ObjectionRejection}
	}
	tests := []struct {
		name        string
		defs        []TermDefinition
		demands     []*Demand
		objections  []*Objection
		want        TopicState
		wantPending int
	}{
		{name: "300 against 600 trucks a day is divergent, not open", defs: trucks,
			demands: []*Demand{dem("d1", il, "tabled", "core", map[string]any{"trucks_per_day": 300.0}), dem("d2", hm, "tabled", "core", map[string]any{"trucks_per_day": "600"})},
			want:    StateDivergent},
		{name: "the same values are not divergent", defs: trucks,
			demands: []*Demand{dem("d1", il, "tabled", "core", map[string]any{"trucks_per_day": 600.0}), dem("d2", hm, "tabled", "core", map[string]any{"trucks_per_day": "600"})},
			want:    StateOpen},
		{name: "an undefined term never diverges",
			demands: []*Demand{dem("d1", il, "tabled", "core", map[string]any{"trucks_per_day": 300.0}), dem("d2", hm, "tabled", "core", map[string]any{"trucks_per_day": 600.0})},
			want:    StateOpen},
		{name: "a standing objection outranks divergence", defs: trucks,
			demands:    []*Demand{dem("d1", il, "tabled", "core", map[string]any{"trucks_per_day": 300.0}), dem("d2", hm, "tabled", "core", map[string]any{"trucks_per_day": 600.0})},
			objections: []*Objection{obj("d2", il, "standing")}, want: StateContested},
		{name: "a rejected demand's value does not diverge", defs: trucks,
			demands: []*Demand{dem("d1", il, "rejected", "core", map[string]any{"trucks_per_day": 300.0}), dem("d2", hm, "tabled", "core", map[string]any{"trucks_per_day": 600.0})},
			want:    StateOpen},
		{name: "a party's latest live value is its position", defs: trucks,
			demands: []*Demand{dem("d1", il, "tabled", "core", map[string]any{"trucks_per_day": 300.0}), dem("d2", hm, "tabled", "core", map[string]any{"trucks_per_day": 600.0}), dem("d3", il, "tabled", "core", map[string]any{"trucks_per_day": 600.0})},
			want:    StateOpen},
		{name: "a mediator's different value does not make principals diverge", defs: trucks,
			demands: []*Demand{dem("d1", il, "tabled", "core", map[string]any{"trucks_per_day": 600.0}), dem("d2", hm, "tabled", "core", map[string]any{"trucks_per_day": 600.0}), dem("d3", qa, "tabled", "normal", map[string]any{"trucks_per_day": 450.0})},
			want:    StateOpen},
		{name: "agreed on 33 stays agreed with a Qatari secondary item pending",
			demands: []*Demand{dem("d1", il, "agreed", "core", nil), dem("d2", hm, "agreed", "core", nil), dem("d3", qa, "tabled", "secondary", nil)},
			want:    StateAgreed, wantPending: 1},
		{name: "a pending secondary item with a standing objection still does not reopen",
			demands:    []*Demand{dem("d1", il, "agreed", "core", nil), dem("d3", qa, "tabled", "secondary", nil)},
			objections: []*Objection{obj("d3", hm, "standing")}, want: StateAgreed, wantPending: 1},
		{name: "a pending normal demand keeps the topic from agreed",
			demands: []*Demand{dem("d1", il, "agreed", "core", nil), dem("d2", hm, "tabled", "normal", nil)},
			want:    StateOpen},
		{name: "only secondary demands are judged on themselves",
			demands: []*Demand{dem("d1", il, "agreed", "secondary", nil), dem("d2", hm, "tabled", "secondary", nil)},
			want:    StateOpen},
		{name: "only secondary demands, all agreed",
			demands: []*Demand{dem("d1", il, "agreed", "secondary", nil), dem("d2", hm, "fulfilled", "secondary", nil)},
			want:    StateAgreed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j := JudgeTopic(tt.defs, tt.demands, tt.objections, nil, principals)
			if j.State != tt.want || j.PendingSecondary != tt.wantPending {
				t.Errorf("state = %s (pending %d), want %s (pending %d)", j.State, j.PendingSecondary, tt.want, tt.wantPending)
			}
		})
	}
}

// TestEveryStateIsDefined keeps the legend whole: every state a topic can
// be in has one definition, and nothing else has one.
func TestEveryStateIsDefined(t *testing.T) {
	states := TopicStates().Values()
	if len(TopicStateDefinitions) != len(states) {
		t.Fatalf("%d definitions for %d states", len(TopicStateDefinitions), len(states))
	}
	for i, d := range TopicStateDefinitions {
		if d.State != states[i] || d.Label == "" || d.Definition == "" {
			t.Errorf("definition %d = %+v, want state %s with a label and a definition", i, d, states[i])
		}
	}
}

// TestREADMEPrintsTheStateDefinitions keeps the README's table the one
// the code defines.
func TestREADMEPrintsTheStateDefinitions(t *testing.T) {
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range TopicStateDefinitions {
		if !strings.Contains(string(b), "| "+string(d.State)+" | "+d.Definition+" |") {
			t.Errorf("README lacks the definition of %s", d.State)
		}
	}
}
