package domain

import (
	"reflect"
	"testing"
)

// gazaSnapshot is a Gaza-like negotiation: two principals whose analysts
// named the same terms differently until the topics defined them, a
// boolean that splits them, and a demand set to rejected.
func gazaSnapshot() *Snapshot {
	const neg, il, hm, qa = "10000000-0000-4000-8000-000000000001", "10000000-0000-4000-8000-0000000000a1", "10000000-0000-4000-8000-0000000000a2", "10000000-0000-4000-8000-0000000000a3"
	m := func(id string) Meta { return Meta{ID: id, Version: 1} }
	return &Snapshot{
		Negotiation: &Negotiation{Meta: m(neg), Title: "Gaza talks", State: "active",
			Participants: []Participant{{il, "principal"}, {hm, "principal"}, {qa, "mediator"}}},
		Parties: []*Party{{Meta: m(il), Name: "Israel"}, {Meta: m(hm), Name: "Hamas"}, {Meta: m(qa), Name: "Qatar"}},
		Topics: []*Topic{
			{Meta: m("t1"), NegotiationID: neg, Title: "Ceasefire", SortOrder: 1, TermDefinitions: []TermDefinition{
				{Key: "phase1_days", Label: "Phase 1", Type: TermTypeNumber, Unit: "days"},
				{Key: "permanent", Label: "Permanent ceasefire", Type: TermTypeBoolean},
			}},
			{Meta: m("t2"), NegotiationID: neg, Title: "Hostages", SortOrder: 2, TermDefinitions: []TermDefinition{
				{Key: "total_phase1", Label: "Released in phase 1", Type: TermTypeNumber},
			}},
			{Meta: m("t3"), NegotiationID: neg, Title: "Withdrawal", SortOrder: 3, TermDefinitions: []TermDefinition{
				{Key: "buffer_zone_m", Label: "Buffer zone", Type: TermTypeNumber, Unit: "m"},
			}},
		},
		Demands: []*Demand{
			{Meta: m("d1"), NegotiationID: neg, PartyID: il, TopicID: "t1", Title: "Six-week truce", State: "tabled", Priority: "core", StatedOn: "2025-01-10",
				Terms: map[string]any{"phase1_days": 42.0, "permanent": false}},
			{Meta: m("d2"), NegotiationID: neg, PartyID: hm, TopicID: "t1", Title: "Permanent ceasefire", State: "tabled", Priority: "core", StatedOn: "2025-01-10",
				Terms: map[string]any{"phase1_days": 42.0, "permanent": true}},
			{Meta: m("d3"), NegotiationID: neg, PartyID: il, TopicID: "t2", Title: "Phase 1 releases", State: "agreed", Priority: "core", StatedOn: "2025-01-12",
				Terms: map[string]any{"total_phase1": 1904.0}},
			{Meta: m("d4"), NegotiationID: neg, PartyID: hm, TopicID: "t2", Title: "Phase 1 releases", State: "agreed", Priority: "core", StatedOn: "2025-01-12",
				Terms: map[string]any{"total_phase1": "1,904", "note": "free term"}},
			{Meta: m("d5"), NegotiationID: neg, PartyID: qa, TopicID: "t2", Title: "Medical cases first", State: "tabled", Priority: "secondary", StatedOn: "2025-01-13",
				Terms: map[string]any{}},
			{Meta: m("d6"), NegotiationID: neg, PartyID: il, TopicID: "t3", Title: "Keep a buffer", State: "rejected", Priority: "core", StatedOn: "2025-01-14",
				Terms: map[string]any{"buffer_zone_m": 700.0}},
			{Meta: m("d7"), NegotiationID: neg, PartyID: hm, TopicID: "t3", Title: "Full withdrawal", State: "tabled", Priority: "core", StatedOn: "2025-01-14",
				Terms: map[string]any{"buffer_zone_m": 0.0}},
		},
		Objections: []*Objection{
			{Meta: m("o1"), DemandID: "d6", PartyID: hm, Grounds: "occupation", Type: "rejection", State: "standing", StatedOn: "2025-01-14"},
			{Meta: m("o2"), DemandID: "d7", PartyID: il, Grounds: "security", Type: "condition", State: "withdrawn", StatedOn: "2025-01-15"},
		},
		Endorsements: []*Endorsement{{Meta: m("e1"), DemandID: "d2", PartyID: qa, StatedOn: "2025-01-11"}},
	}
}

func TestGazaTermRows(t *testing.T) {
	s := gazaSnapshot()
	const il, hm, qa = "10000000-0000-4000-8000-0000000000a1", "10000000-0000-4000-8000-0000000000a2", "10000000-0000-4000-8000-0000000000a3"
	m, err := BuildMatrix(s, nil)
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string]TermRow{}
	for _, r := range m.Terms {
		rows[r.Key] = r
	}
	if len(m.Terms) != 4 {
		t.Fatalf("%d term rows, want 4 (the free term is not lined up): %+v", len(m.Terms), m.Terms)
	}
	if r := rows["phase1_days"]; r.Gap != 0.0 || r.Min != 42.0 {
		t.Errorf("phase 1 days = %+v, want both at 42, gap 0", r)
	}
	if r := rows["permanent"]; !reflect.DeepEqual(r.Split, map[string][]string{"false": {il}, "true": {hm}}) || r.Gap != nil {
		t.Errorf("permanent split = %v (gap %v), want Israel no, Hamas yes and no gap", r.Split, r.Gap)
	}
	if r := rows["total_phase1"]; r.Gap != 0.0 || len(r.Values) != 2 || r.Values[1].Text != "1,904" || !r.Values[1].Fits {
		t.Errorf("total phase 1 = %+v, want 1,904 each", r)
	}
	r := rows["buffer_zone_m"]
	if len(r.Values) != 2 || r.Values[0].Live || r.Values[0].DemandStatus != "rejected" || !r.Values[1].Live {
		t.Fatalf("buffer zone values = %+v, want Israel's rejected 700 m marked and Hamas's live 0 m", r.Values)
	}
	if r.Gap != 700.0 || !reflect.DeepEqual(r.MinPartyIDs, []string{hm}) || !reflect.DeepEqual(r.MaxPartyIDs, []string{il}) || !r.Ranges[0].IncludesInactive {
		t.Errorf("buffer zone range = %+v, want gap 700 m from Hamas 0 to Israel 700, counting the rejected demand", r.Ranges)
	}
	names := map[string]string{il: "Israel", hm: "Hamas"}
	if got, want := TermSpreadText(r, func(id string) string { return names[id] }), "gap 700 m: lowest Hamas (0 m), highest Israel (700 m), counting a rejected demand"; got != want {
		t.Errorf("spread = %q, want %q", got, want)
	}

	states := map[string]TopicState{}
	for _, sm := range m.TopicSummaries {
		states[sm.TopicID] = sm.State
	}
	// The permanent split divides the principals; the hostage numbers are
	// agreed though Qatar's secondary item is pending; the withdrawal's
	// objection is to a rejected demand, so only Hamas's live demand counts.
	if want := map[string]TopicState{"t1": StateDivergent, "t2": StateAgreed, "t3": StateOpen}; !reflect.DeepEqual(states, want) {
		t.Errorf("states = %v, want %v", states, want)
	}
	stances := map[string]string{}
	for _, c := range m.Cells {
		stances[c.TopicID+"/"+c.PartyID] = c.Stance
	}
	want := map[string]string{
		"t1/" + il: StanceDemands, "t1/" + hm: StanceDemands, "t1/" + qa: StanceSupports,
		"t2/" + il: StanceDemands, "t2/" + hm: StanceDemands, "t2/" + qa: StanceDemands,
		"t3/" + il: StanceSilent, "t3/" + hm: StanceDemands, "t3/" + qa: StanceSilent,
	}
	if !reflect.DeepEqual(stances, want) {
		t.Errorf("stances = %v\nwant %v", stances, want)
	}
}

func TestJudgeStance(t *testing.T) {
	live := func(id string) bool { return id != "dead" }
	tests := []struct {
		name string
		cell MatrixCell
		want string
	}{
		{"nothing", MatrixCell{}, StanceSilent},
		{"own live demand", MatrixCell{Demands: []*Demand{{State: "tabled"}}}, StanceDemands},
		{"own withdrawn demand only", MatrixCell{Demands: []*Demand{{State: "withdrawn"}}}, StanceSilent},
		{"endorses", MatrixCell{Endorsements: []*Endorsement{{DemandID: "d"}}}, StanceSupports},
		{"endorses a rejected demand", MatrixCell{Endorsements: []*Endorsement{{DemandID: "dead"}}}, StanceSilent},
		{"standing condition", MatrixCell{Objections: []*Objection{{DemandID: "d", Type: "condition", State: "standing"}}}, StanceConditional},
		{"standing reservation", MatrixCell{Objections: []*Objection{{DemandID: "d", Type: "reservation", State: "standing"}}}, StanceConditional},
		{"standing rejection beats an endorsement", MatrixCell{Objections: []*Objection{{DemandID: "d", Type: "rejection", State: "standing"}}, Endorsements: []*Endorsement{{DemandID: "d2"}}}, StanceOpposes},
		{"resolved rejection and an endorsement", MatrixCell{Objections: []*Objection{{DemandID: "d", Type: "rejection", State: "resolved"}}, Endorsements: []*Endorsement{{DemandID: "d2"}}}, StanceSupports},
		{"rejection of a dead demand", MatrixCell{Objections: []*Objection{{DemandID: "dead", Type: "rejection", State: "standing"}}}, StanceSilent},
	}
	for _, tt := range tests {
		if got := JudgeStance(tt.cell, live); got != tt.want {
			t.Errorf("%s: stance %s, want %s", tt.name, got, tt.want)
		}
	}
}
