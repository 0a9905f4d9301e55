package domain

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"
)

const (
	rxEndHost, rxObjHost, rxCounter2 = "00000000-0000-4000-8000-0000000001f1", "00000000-0000-4000-8000-0000000001f2", "00000000-0000-4000-8000-0000000001f3"
	rxLDC                            = "00000000-0000-4000-8000-0000000001f4"
)

// responseSnapshot is blocSnapshot with arguments: on T1 Gamma's trillion
// counters the bloc's demand; on T2 the host (also a mediator) puts its
// bridging text against the bloc's demand, Alpha endorses it, Gamma
// objects on a condition, and the bloc counters the bridging text.
func responseSnapshot() *Snapshot {
	s := blocSnapshot()
	m := func(id string) Meta { return Meta{ID: id, Version: 1} }
	for _, d := range s.Demands {
		switch d.ID {
		case bxC1:
			d.RespondsToID = bxG1
		case bxHD:
			d.RespondsToID = bxG2
		}
	}
	s.Demands = append(s.Demands, &Demand{Meta: m(rxCounter2), NegotiationID: bxNeg, PartyID: bxG77, TopicID: bxT2,
		Title: "Public finance at the core", State: "tabled", StatedOn: "2024-11-21", Terms: map[string]any{}, RespondsToID: bxHD})
	s.Endorsements = append(s.Endorsements, &Endorsement{Meta: m(rxEndHost), DemandID: bxHD, PartyID: bxA, StatedOn: "2024-11-21"})
	s.Objections = append(s.Objections, &Objection{Meta: m(rxObjHost), DemandID: bxHD, PartyID: bxC, Grounds: "Only with a review in 2027",
		Type: ObjectionCondition, State: ObjectionStanding, StatedOn: "2024-11-21"})
	return s
}

func TestClassifyResponse(t *testing.T) {
	n := blocSnapshot().Negotiation
	n.Participants = append(n.Participants, Participant{PartyID: bxD, Role: "guarantor"})
	tests := []struct {
		name, party, want string
	}{
		{"a host that mediates bridges", bxHost, ResponseBridging},
		{"a principal counters", bxC, ResponseCounter},
		{"a bloc counters", bxG77, ResponseCounter},
		{"a principal that also guarantees still counters", bxD, ResponseCounter},
		{"a party that is no participant counters", "00000000-0000-4000-8000-0000000009ff", ResponseCounter},
	}
	for _, tt := range tests {
		if got := ClassifyResponse(n, &Demand{PartyID: tt.party}); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
	mediatorOnly := &Negotiation{Participants: []Participant{{bxA, "mediator"}}}
	if got := ClassifyResponse(mediatorOnly, &Demand{PartyID: bxA}); got != ResponseBridging {
		t.Errorf("a mediator: %q, want bridging", got)
	}
}

func TestMatrixShowsResponsesAcrossReactingParties(t *testing.T) {
	m, err := BuildMatrixView(responseSnapshot(), MatrixOptions{Today: bxToday})
	if err != nil {
		t.Fatal(err)
	}
	bridging := ResponseLink{DemandID: bxHD, PartyID: bxHost, Kind: ResponseBridging, RespondsToID: bxG2, RespondsToPartyID: bxG77}
	counter := ResponseLink{DemandID: bxC1, PartyID: bxC, Kind: ResponseCounter, RespondsToID: bxG1, RespondsToPartyID: bxG77}
	blocCounter := ResponseLink{DemandID: rxCounter2, PartyID: bxG77, Kind: ResponseCounter, RespondsToID: bxHD, RespondsToPartyID: bxHost}
	tests := []struct {
		name         string
		topic, party string
		responds     []ResponseLink
		answeredBy   []ResponseLink
		reactions    []Reaction
	}{
		{"the counter-demand links to what it answers", bxT1, bxC, []ResponseLink{counter}, nil, nil},
		{"the answered demand is answered by the counter", bxT1, bxG77, nil, []ResponseLink{counter}, nil},
		{"the mediator's cell holds the bridging proposal and the counter to it", bxT2, bxHost, []ResponseLink{bridging}, []ResponseLink{blocCounter}, nil},
		{"the bloc's demand is answered by the bridging proposal", bxT2, bxG77, []ResponseLink{blocCounter}, []ResponseLink{bridging}, nil},
		{"an endorsing party shows the proposal", bxT2, bxA, nil, nil,
			[]Reaction{{ResponseLink: bridging, Reaction: ReactionEndorses, EndorsementID: rxEndHost}}},
		{"an objecting party shows the proposal with its condition", bxT2, bxC, nil, nil,
			[]Reaction{{ResponseLink: bridging, Reaction: ReactionObjects, ObjectionID: rxObjHost, ObjectionKind: ObjectionCondition, ObjectionStatus: ObjectionStanding}}},
		{"a silent party shows nothing", bxT2, bxD, nil, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := findCell(t, m, tt.topic, tt.party)
			if !reflect.DeepEqual(c.Responds, tt.responds) {
				t.Errorf("responds = %+v, want %+v", c.Responds, tt.responds)
			}
			if !reflect.DeepEqual(c.AnsweredBy, tt.answeredBy) {
				t.Errorf("answered by = %+v, want %+v", c.AnsweredBy, tt.answeredBy)
			}
			if !reflect.DeepEqual(c.Reactions, tt.reactions) {
				t.Errorf("reactions = %+v, want %+v", c.Reactions, tt.reactions)
			}
		})
	}
	// Narrowed to the principals, the mediator's column goes, its
	// proposal stays in the reacting parties' cells.
	p, err := BuildMatrixView(responseSnapshot(), MatrixOptions{Roles: []string{"principal"}, Today: bxToday})
	if err != nil {
		t.Fatal(err)
	}
	if c := findCell(t, p, bxT2, bxC); len(c.Reactions) != 1 || c.Reactions[0].PartyID != bxHost {
		t.Errorf("principals only: Gamma's reactions %+v, want the host's proposal", c.Reactions)
	}
	raw, err := json.Marshal(findCell(t, m, bxT2, bxA))
	if err != nil {
		t.Fatal(err)
	}
	var cell map[string]any
	if err := json.Unmarshal(raw, &cell); err != nil {
		t.Fatal(err)
	}
	rx, _ := cell["reactions"].([]any)
	if len(rx) != 1 || rx[0].(map[string]any)["kind"] != "bridging" || rx[0].(map[string]any)["reaction"] != "endorses" {
		t.Errorf("JSON reactions = %v", cell["reactions"])
	}
}

func TestIndexResponsesIgnoresDanglingAndSelf(t *testing.T) {
	d := func(id, party, respondsTo, on string) *Demand {
		return &Demand{Meta: Meta{ID: id}, PartyID: party, RespondsToID: respondsTo, StatedOn: on}
	}
	r := IndexResponses(nil, []*Demand{
		d("a", bxA, "", "2024-01-01"),
		d("c", bxC, "a", "2024-01-03"),
		d("b", bxB, "a", "2024-01-02"),
		d("x", bxB, "gone", "2024-01-02"),
		d("s", bxB, "s", "2024-01-02"),
	})
	var order []string
	for _, l := range r.AnsweredBy("a") {
		order = append(order, l.DemandID)
	}
	if !reflect.DeepEqual(order, []string{"b", "c"}) {
		t.Errorf("answered by %v, want [b c] in stated order", order)
	}
	for _, id := range []string{"x", "s", "a"} {
		if _, ok := r.Of(id); ok {
			t.Errorf("%s is no response", id)
		}
	}
}

func TestBuildThreads(t *testing.T) {
	s := responseSnapshot()
	var t2 []*Demand
	for _, d := range s.Demands {
		if d.TopicID == bxT2 {
			t2 = append(t2, d)
		}
	}
	threads := BuildThreads(s.Negotiation, t2)
	if len(threads) != 1 || threads[0].Root.ID != bxG2 {
		t.Fatalf("threads = %+v, want one rooted at the bloc's demand", threads)
	}
	type reply struct {
		id, kind string
		depth    int
	}
	var got []reply
	for _, r := range threads[0].Replies {
		got = append(got, reply{r.Demand.ID, r.Link.Kind, r.Depth})
	}
	want := []reply{{bxHD, ResponseBridging, 1}, {rxCounter2, ResponseCounter, 2}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("replies = %v, want %v", got, want)
	}
	if none := BuildThreads(s.Negotiation, blocSnapshot().Demands); len(none) != 0 {
		t.Errorf("no responses, threads %+v", none)
	}
}

// nestedSnapshot puts a bloc within the bloc: the LDCs (Alpha and Delta)
// are members of the G77 and China; Delta belongs to the LDCs only.
func nestedSnapshot(ldcDemands bool) *Snapshot {
	s := blocSnapshot()
	s.Parties = append(s.Parties, &Party{Meta: Meta{ID: rxLDC, Version: 1}, Name: "LDCs", PartyKind: "bloc",
		Members: []Membership{{PartyID: bxA}, {PartyID: bxD}}})
	s.Parties[0].Members = append(s.Parties[0].Members, Membership{PartyID: rxLDC})
	s.Negotiation.Participants = append(s.Negotiation.Participants, Participant{PartyID: rxLDC, Role: "principal"})
	if ldcDemands {
		s.Demands = append(s.Demands, &Demand{Meta: Meta{ID: rxCounter2, Version: 1}, NegotiationID: bxNeg, PartyID: rxLDC, TopicID: bxT1,
			Title: "$220 billion for the LDCs", State: "tabled", StatedOn: "2024-11-14", Terms: map[string]any{}})
	}
	return s
}

func TestNestedBlocInheritance(t *testing.T) {
	tests := []struct {
		name         string
		ldcDemands   bool
		party        string
		from         []string
		via          [][]string
		divergesFrom []string
	}{
		{"a member of the LDCs only inherits the G77's through the LDCs", false, bxD, []string{bxG77}, [][]string{{rxLDC}}, nil},
		{"the silent LDCs inherit the G77's", false, rxLDC, []string{bxG77}, [][]string{nil}, nil},
		{"the nearest bloc wins: the LDCs' own demand", true, bxD, []string{rxLDC}, [][]string{nil}, nil},
		{"a member of both, both direct: both, as overlapping blocs always", true, bxA, []string{bxG77, rxLDC}, [][]string{nil, nil}, nil},
		{"a member of both with the G77 alone speaking: the direct G77 only", false, bxA, []string{bxG77}, [][]string{nil}, nil},
		{"the LDCs' own demand differs from the G77's", true, rxLDC, nil, nil, []string{bxG77}},
		{"a member with its own demand diverges from the nearest speaking bloc", false, bxC, nil, nil, []string{bxG77}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := BuildMatrixView(nestedSnapshot(tt.ldcDemands), MatrixOptions{Today: bxToday})
			if err != nil {
				t.Fatal(err)
			}
			c := findCell(t, m, bxT1, tt.party)
			var from []string
			var via [][]string
			for _, in := range c.Inherited {
				from = append(from, in.BlocID)
				via = append(via, in.Via)
			}
			if !reflect.DeepEqual(from, tt.from) || !reflect.DeepEqual(via, tt.via) {
				t.Errorf("inherited from %v via %v, want %v via %v", from, via, tt.from, tt.via)
			}
			if !reflect.DeepEqual(c.DivergesFrom, tt.divergesFrom) {
				t.Errorf("diverges from %v, want %v", c.DivergesFrom, tt.divergesFrom)
			}
		})
	}
}

func TestMatrixCategoryFilter(t *testing.T) {
	s := blocSnapshot()
	s.Topics[0].Category, s.Topics[1].Category = "finance", "transparency"
	m, err := BuildMatrixView(s, MatrixOptions{Categories: []string{"finance"}, States: []string{"contested", "open", "divergent"}, Today: bxToday})
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Topics) != 1 || m.Topics[0].ID != bxT1 || len(m.Cells) != len(m.Parties) || len(m.TopicSummaries) != 1 {
		t.Errorf("finance: topics %d cells %d", len(m.Topics), len(m.Cells))
	}
	both, err := BuildMatrixView(s, MatrixOptions{Categories: []string{"finance", "transparency"}, TopicIDs: []string{bxT2}, Roles: []string{"principal"}, Today: bxToday})
	if err != nil {
		t.Fatal(err)
	}
	if len(both.Topics) != 1 || both.Topics[0].ID != bxT2 || len(both.Parties) != 5 {
		t.Errorf("category, topic and role: %d topics %d columns", len(both.Topics), len(both.Parties))
	}
	_, err = BuildMatrixView(s, MatrixOptions{Categories: []string{"finance", "weather"}, Today: bxToday})
	var ve *ValidationError
	if !errors.As(err, &ve) || ve.Errors.On("category") == "" {
		t.Errorf("unknown category: %v, want an error on category", err)
	}
	for _, tt := range []struct {
		cat  string
		cats []string
		want bool
	}{{"finance", nil, true}, {"", nil, true}, {"finance", []string{"finance"}, true}, {"", []string{"finance"}, false}, {"emissions", []string{"finance", "adaptation"}, false}} {
		if got := InCategories(&Topic{Category: tt.cat}, tt.cats); got != tt.want {
			t.Errorf("InCategories(%q, %v) = %v", tt.cat, tt.cats, got)
		}
	}
}

func TestCompactMatrixStancesStatesAndTerms(t *testing.T) {
	s := blocSnapshot()
	s.Topics[0].TermDefinitions = []TermDefinition{{Key: "amount", Type: "money", Currency: "USD"}, {Key: "grants", Type: "boolean"}}
	s.Demands[0].Terms = map[string]any{"amount": map[string]any{"amount": "1300000000000", "currency": "USD"}, "grants": true}
	s.Demands[1].Terms = map[string]any{"amount": map[string]any{"amount": "1000000000000", "currency": "USD"}, "grants": false}
	m, err := BuildMatrixView(s, MatrixOptions{Today: bxToday})
	if err != nil {
		t.Fatal(err)
	}
	c := m.Compact(false)
	if c.Topics[0].S != m.TopicSummaries[0].State || c.Topics[1].S != StateContested {
		t.Errorf("topic states %q %q", c.Topics[0].S, c.Topics[1].S)
	}
	for _, cell := range c.Cells {
		if cell.St == "" {
			t.Errorf("cell %+v has no stance", cell)
		}
		if c.Topics[cell.T].ID == bxT2 && c.Parties[cell.P].ID == bxC && cell.St != StanceConditional {
			t.Errorf("Gamma on T2: stance %q, want conditional", cell.St)
		}
	}
	if len(c.Stances) != len(StanceDefinitions) {
		t.Errorf("the stance legend has %d entries", len(c.Stances))
	}
	if len(c.Terms) != 2 {
		t.Fatalf("terms %+v, want the amount and the grants rows", c.Terms)
	}
	amount, grants := c.Terms[0], c.Terms[1]
	if amount.K != "amount" || amount.T != 0 || amount.Cur != "USD" || amount.Min == nil || amount.Max == nil || amount.Gap == nil {
		t.Errorf("amount row %+v", amount)
	}
	// The bloc (column 0) holds true, Gamma (column 3) false.
	if grants.K != "grants" || !reflect.DeepEqual(grants.Sp, map[string][]int{"true": {0}, "false": {3}}) {
		t.Errorf("grants row %+v", grants)
	}
	raw, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Cells []map[string]any `json:"cells"`
		Terms []map[string]any `json:"terms"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	if _, ok := doc.Cells[0]["st"]; !ok {
		t.Errorf("a cell without st: %v", doc.Cells[0])
	}
	if _, ok := doc.Terms[1]["sp"]; !ok {
		t.Errorf("a split row without sp: %v", doc.Terms[1])
	}
}
