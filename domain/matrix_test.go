package domain

import (
	"encoding/json"
	"errors"
	"reflect"
	"sort"
	"testing"
)

func TestBuildMatrixColumnsAndRows(t *testing.T) {
	tests := []struct {
		name      string
		partyIDs  []string
		wantCols  []string
		wantTerms map[string][]string // "topic/term" -> party ids in order
	}{
		{name: "all participants in the negotiation's order", wantCols: []string{fxUA, fxRU, fxTR, fxUS},
			wantTerms: map[string][]string{fxCeasefire + "/duration_days": {fxUA, fxRU, fxUS}, fxCeasefire + "/unconditional": {fxUA}}},
		{name: "narrowed to two parties in the order asked", partyIDs: []string{fxRU, fxUA}, wantCols: []string{fxRU, fxUA},
			wantTerms: map[string][]string{fxCeasefire + "/duration_days": {fxRU, fxUA}, fxCeasefire + "/unconditional": {fxUA}}},
		{name: "a repeated party is shown once", partyIDs: []string{fxUS, fxUS, fxRU}, wantCols: []string{fxUS, fxRU},
			wantTerms: map[string][]string{fxCeasefire + "/duration_days": {fxUS, fxRU}}},
		{name: "a party not shown states nothing", partyIDs: []string{fxTR}, wantCols: []string{fxTR}, wantTerms: map[string][]string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := BuildMatrix(fixtureSnapshot(), tt.partyIDs)
			if err != nil {
				t.Fatal(err)
			}
			var cols []string
			for _, p := range m.Parties {
				cols = append(cols, p.ID)
			}
			if !reflect.DeepEqual(cols, tt.wantCols) {
				t.Errorf("columns = %v, want %v", cols, tt.wantCols)
			}
			var topics []string
			for _, tp := range m.Topics {
				topics = append(topics, tp.ID)
			}
			if want := []string{fxCeasefire, fxChildren, fxPrisoners, fxLeaders}; !reflect.DeepEqual(topics, want) {
				t.Errorf("topic rows = %v, want %v (sort_order, then title ignoring case)", topics, want)
			}
			if len(m.Cells) != len(topics)*len(cols) {
				t.Fatalf("%d cells, want %d", len(m.Cells), len(topics)*len(cols))
			}
			for i, c := range m.Cells {
				if c.TopicID != topics[i/len(cols)] || c.PartyID != cols[i%len(cols)] {
					t.Errorf("cell %d is (%s, %s), out of row-major order", i, c.TopicID, c.PartyID)
				}
			}
			got := map[string][]string{}
			for _, a := range m.Terms {
				var parties []string
				for _, v := range a.Values {
					parties = append(parties, v.PartyID)
				}
				got[a.TopicID+"/"+a.Key] = parties
			}
			if !reflect.DeepEqual(got, tt.wantTerms) {
				t.Errorf("terms = %v, want %v", got, tt.wantTerms)
			}
		})
	}
}

func TestBuildMatrixCellsAndStates(t *testing.T) {
	m, err := BuildMatrix(fixtureSnapshot(), nil)
	if err != nil {
		t.Fatal(err)
	}
	cell := func(topic, party string) MatrixCell {
		for _, c := range m.Cells {
			if c.TopicID == topic && c.PartyID == party {
				return c
			}
		}
		t.Fatalf("no cell (%s, %s)", topic, party)
		return MatrixCell{}
	}
	ids := func(c MatrixCell) (d, e, o []string) {
		for _, x := range c.Demands {
			d = append(d, x.ID)
		}
		for _, x := range c.Endorsements {
			e = append(e, x.DemandID)
		}
		for _, x := range c.Objections {
			o = append(o, x.DemandID)
		}
		return
	}
	tests := []struct {
		name                            string
		topic, party                    string
		demands, endorsements, objected []string
	}{
		{"Ukraine's own demand and its endorsement of the US proposal", fxCeasefire, fxUA, []string{fxD30}, []string{fxDUS}, nil},
		{"Russia's demand and its objection", fxCeasefire, fxRU, []string{fxDRU}, nil, []string{fxD30}},
		{"the mediator's demand", fxCeasefire, fxUS, []string{fxDUS}, nil, nil},
		{"the host says nothing", fxCeasefire, fxTR, nil, nil, nil},
		{"a withdrawn demand still shows in its cell", fxLeaders, fxRU, []string{fxDOld}, nil, nil},
		{"an objection to a withdrawn demand still shows", fxLeaders, fxUA, nil, nil, []string{fxDOld}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := cell(tt.topic, tt.party)
			d, e, o := ids(c)
			if !reflect.DeepEqual(d, tt.demands) || !reflect.DeepEqual(e, tt.endorsements) || !reflect.DeepEqual(o, tt.objected) {
				t.Errorf("cell = demands %v endorsements %v objections %v; want %v %v %v", d, e, o, tt.demands, tt.endorsements, tt.objected)
			}
			if c.Demands == nil || c.Endorsements == nil || c.Objections == nil {
				t.Error("empty cell lists must be [] in JSON, not null")
			}
		})
	}
	states := map[string]TopicState{}
	for _, s := range m.TopicSummaries {
		states[s.TopicID] = s.State
	}
	want := map[string]TopicState{fxCeasefire: StateContested, fxChildren: StateOpen, fxPrisoners: StateAgreed, fxLeaders: StateOpen}
	if !reflect.DeepEqual(states, want) {
		t.Errorf("states = %v, want %v", states, want)
	}
	if s := m.TopicSummaries[0]; s.LiveDemands != 3 || s.StandingObjections != 1 || s.Endorsements != 1 {
		t.Errorf("ceasefire summary = %+v", s)
	}
	if a := m.Terms[0]; a.Min != 3.0 || a.Max != 30.0 || a.Gap != 27.0 || !reflect.DeepEqual(a.MinPartyIDs, []string{fxRU}) || !reflect.DeepEqual(a.MaxPartyIDs, []string{fxUA, fxUS}) {
		t.Errorf("duration_days alignment = %+v, want min 3 max 30 gap 27", a)
	}
}

// Narrowing the columns must not change a topic's state: the state belongs
// to the topic, not to the view.
func TestBuildMatrixNarrowingKeepsStates(t *testing.T) {
	m, err := BuildMatrix(fixtureSnapshot(), []string{fxTR})
	if err != nil {
		t.Fatal(err)
	}
	if m.TopicSummaries[0].State != StateContested {
		t.Errorf("ceasefire state with only the host shown = %q, want contested", m.TopicSummaries[0].State)
	}
}

func TestBuildMatrixRejectsNonParticipants(t *testing.T) {
	tests := []struct {
		name     string
		partyIDs []string
		wantErrs int
	}{
		{"a party that is not a participant", []string{fxUA, fxOutsider}, 1},
		{"an unknown id", []string{"00000000-0000-4000-8000-00000000dead"}, 1},
		{"two bad ids are both named", []string{"x", "y"}, 2},
		{"an empty id", []string{""}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := BuildMatrix(fixtureSnapshot(), tt.partyIDs)
			var ve *ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("err = %v, want a *ValidationError", err)
			}
			if len(ve.Errors) != tt.wantErrs {
				t.Errorf("%d field errors, want %d: %v", len(ve.Errors), tt.wantErrs, ve)
			}
			for _, fe := range ve.Errors {
				if fe.Field != "party_id" {
					t.Errorf("field = %q, want party_id", fe.Field)
				}
			}
		})
	}
}

func TestMatrixJSONShape(t *testing.T) {
	s := fixtureSnapshot()
	s.AsOf = fxTime
	m, err := BuildMatrix(s, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		AsOf           string                       `json:"as_of"`
		Parties        []map[string]json.RawMessage `json:"parties"`
		Cells          []map[string]json.RawMessage `json:"cells"`
		TopicSummaries []map[string]json.RawMessage `json:"topic_summaries"`
		Negotiation    map[string]json.RawMessage   `json:"negotiation"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.AsOf != "2025-05-17T09:00:00Z" {
		t.Errorf("as_of = %q", doc.AsOf)
	}
	keys := func(m map[string]json.RawMessage) []string {
		var k []string
		for key := range m {
			k = append(k, key)
		}
		sort.Strings(k)
		return k
	}
	if got, want := keys(doc.Cells[0]), []string{"demands", "endorsements", "objections", "party_id", "rebuttals", "stance", "topic_id"}; !reflect.DeepEqual(got, want) {
		t.Errorf("cell keys = %v, want %v", got, want)
	}
	for _, k := range []string{"id", "name", "role", "version"} {
		if _, ok := doc.Parties[0][k]; !ok {
			t.Errorf("party column lacks %q", k)
		}
	}
	for _, k := range []string{"topic_id", "state"} {
		if _, ok := doc.TopicSummaries[0][k]; !ok {
			t.Errorf("topic summary lacks %q", k)
		}
	}
	if _, ok := doc.Negotiation["participants"]; !ok {
		t.Error("negotiation lacks participants")
	}
}
