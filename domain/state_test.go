package domain

import "testing"

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
