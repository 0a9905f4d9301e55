package api_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/parley/parley/domain"
)

// bridgingTalks is the Gaza pattern in miniature: Israel demands, the
// United States (mediator) answers with a bridging proposal that Hamas
// endorses and Israel objects to on a condition; Hamas counters Israel's
// demand. Topics carry categories and a defined term.
type bridgingTalks struct {
	neg, israel, hamas, us, qatar string
	ceasefire, prisoners          string
	demand, proposal, counter     string
	endorsement, objection        string
}

func newBridgingTalks(e *env) bridgingTalks {
	var b bridgingTalks
	b.israel, b.hamas, b.us, b.qatar = e.state("Israel"), e.state("Hamas"), e.state("United States"), e.state("Qatar")
	b.neg = e.create(domain.KindNegotiation, map[string]any{"title": "Gaza ceasefire", "started_on": "2024-05-01", "participants": []map[string]any{
		{"party_id": b.israel, "role": "principal"}, {"party_id": b.hamas, "role": "principal"},
		{"party_id": b.us, "role": "mediator"}, {"party_id": b.qatar, "role": "host"}, {"party_id": b.qatar, "role": "mediator"},
	}})["id"].(string)
	b.ceasefire = e.create(domain.KindTopic, map[string]any{"negotiation_id": b.neg, "title": "Ceasefire", "category": "ceasefire",
		"term_definitions": []map[string]any{{"key": "duration_days", "type": "number", "unit": "days"}, {"key": "permanent", "type": "boolean"}}})["id"].(string)
	b.prisoners = e.create(domain.KindTopic, map[string]any{"negotiation_id": b.neg, "title": "Hostages and prisoners", "category": "prisoners_detainees"})["id"].(string)
	demand := func(party, topic, title, respondsTo string, terms map[string]any) string {
		body := map[string]any{"negotiation_id": b.neg, "party_id": party, "topic_id": topic, "title": title, "stated_on": "2024-05-06", "terms": terms}
		if respondsTo != "" {
			body["responds_to_id"] = respondsTo
		}
		return e.create(domain.KindDemand, body)["id"].(string)
	}
	b.demand = demand(b.israel, b.ceasefire, "A six-week pause only", "", map[string]any{"duration_days": 42, "permanent": false})
	b.proposal = demand(b.us, b.ceasefire, "Three-phase framework", b.demand, map[string]any{"duration_days": 42, "permanent": true})
	b.counter = demand(b.hamas, b.ceasefire, "A permanent ceasefire", b.demand, map[string]any{"permanent": true})
	demand(b.hamas, b.prisoners, "Release of prisoners", "", nil)
	b.endorsement = e.create(domain.KindEndorsement, map[string]any{"demand_id": b.proposal, "party_id": b.hamas, "stated_on": "2024-05-07"})["id"].(string)
	b.objection = e.create(domain.KindObjection, map[string]any{"demand_id": b.proposal, "party_id": b.israel, "grounds": "Only with the right to resume",
		"kind": "condition", "stated_on": "2024-05-07"})["id"].(string)
	return b
}

func matrixCell(t *testing.T, m map[string]any, topic, party string) map[string]any {
	t.Helper()
	for _, c := range m["cells"].([]any) {
		if c := c.(map[string]any); c["topic_id"] == topic && c["party_id"] == party {
			return c
		}
	}
	t.Fatalf("no cell (%s, %s)", topic, party)
	return nil
}

func TestMatrixBridgingProposalAcrossReactingParties(t *testing.T) {
	e := newEnv(t)
	b := newBridgingTalks(e)
	get := func(q url.Values) *resp {
		return e.must(http.StatusOK, req{Method: "GET", Path: "/api/v1/negotiations/" + b.neg + "/matrix?" + q.Encode(), Token: e.viewer})
	}
	m := get(url.Values{}).JSON
	reaction := func(cell map[string]any) map[string]any {
		rx, _ := cell["reactions"].([]any)
		if len(rx) != 1 {
			t.Fatalf("reactions %v, want one", cell["reactions"])
		}
		return rx[0].(map[string]any)
	}
	hamas := reaction(matrixCell(t, m, b.ceasefire, b.hamas))
	if hamas["kind"] != "bridging" || hamas["reaction"] != "endorses" || hamas["demand_id"] != b.proposal || hamas["party_id"] != b.us || hamas["endorsement_id"] != b.endorsement {
		t.Errorf("Hamas's reaction %v", hamas)
	}
	israel := matrixCell(t, m, b.ceasefire, b.israel)
	if r := reaction(israel); r["reaction"] != "objects" || r["objection_kind"] != "condition" || r["objection_status"] != "standing" || r["objection_id"] != b.objection {
		t.Errorf("Israel's reaction %v", r)
	}
	answered, _ := israel["answered_by"].([]any)
	kinds := map[any]any{}
	for _, a := range answered {
		a := a.(map[string]any)
		kinds[a["demand_id"]] = a["kind"]
	}
	if !reflect.DeepEqual(kinds, map[any]any{b.proposal: "bridging", b.counter: "counter"}) {
		t.Errorf("Israel's demand answered by %v, want the US proposal (bridging) and Hamas's counter", answered)
	}
	if us := matrixCell(t, m, b.ceasefire, b.us); len(us["responds"].([]any)) != 1 {
		t.Errorf("the US cell responds %v", us["responds"])
	}
	// Only the principals as columns: the mediator's proposal stays in
	// the reacting parties' cells.
	principals := get(url.Values{"role": {"principal"}}).JSON
	if r := reaction(matrixCell(t, principals, b.ceasefire, b.hamas)); r["party_id"] != b.us {
		t.Errorf("principals only: %v", r)
	}
}

func TestMatrixCompactCarriesStancesStatesAndTerms(t *testing.T) {
	e := newEnv(t)
	b := newBridgingTalks(e)
	c := e.must(http.StatusOK, req{Method: "GET", Path: "/api/v1/negotiations/" + b.neg + "/matrix?compact=true", Token: e.viewer}).JSON
	topics := c["topics"].([]any)
	parties := c["parties"].([]any)
	index := func(list []any, id string) float64 {
		for i, x := range list {
			if x.(map[string]any)["id"] == id {
				return float64(i)
			}
		}
		t.Fatalf("%s not listed", id)
		return -1
	}
	for _, tp := range topics {
		if s, _ := tp.(map[string]any)["s"].(string); !domain.TopicStates().Has(domain.TopicState(s)) {
			t.Errorf("topic %v has no state", tp)
		}
	}
	if cat := topics[int(index(topics, b.prisoners))].(map[string]any)["cat"]; cat != "prisoners_detainees" {
		t.Errorf("category %v", cat)
	}
	stances := map[[2]float64]string{}
	for _, cell := range c["cells"].([]any) {
		cell := cell.(map[string]any)
		st, _ := cell["st"].(string)
		if st == "" {
			t.Errorf("cell without a stance: %v", cell)
		}
		stances[[2]float64{cell["t"].(float64), cell["p"].(float64)}] = st
	}
	ceasefire := index(topics, b.ceasefire)
	for party, want := range map[string]string{b.israel: "demands", b.us: "demands", b.hamas: "demands"} {
		if got := stances[[2]float64{ceasefire, index(parties, party)}]; got != want {
			t.Errorf("stance %q, want %q", got, want)
		}
	}
	if len(c["stances"].([]any)) != len(domain.StanceDefinitions) {
		t.Errorf("stances legend %v", c["stances"])
	}
	rows := map[string]map[string]any{}
	for _, r := range c["terms"].([]any) {
		r := r.(map[string]any)
		rows[r["k"].(string)] = r
	}
	if d := rows["duration_days"]; d["min"] != 42.0 || d["max"] != 42.0 || d["gap"] != 0.0 || d["u"] != "days" || d["t"] != ceasefire {
		t.Errorf("duration row %v", d)
	}
	sp, _ := rows["permanent"]["sp"].(map[string]any)
	if !reflect.DeepEqual(sp["false"], []any{index(parties, b.israel)}) || len(sp["true"].([]any)) != 2 {
		t.Errorf("permanent split %v", rows["permanent"])
	}
}

func TestMatrixCategoryFilter(t *testing.T) {
	e := newEnv(t)
	b := newBridgingTalks(e)
	get := func(q url.Values) map[string]any {
		return e.must(http.StatusOK, req{Method: "GET", Path: "/api/v1/negotiations/" + b.neg + "/matrix?" + q.Encode(), Token: e.viewer}).JSON
	}
	titles := func(m map[string]any) (out []string) {
		for _, tp := range m["topics"].([]any) {
			out = append(out, tp.(map[string]any)["title"].(string))
		}
		return out
	}
	tests := []struct {
		name    string
		q       url.Values
		topics  []string
		columns int
	}{
		{"one category", url.Values{"category": {"ceasefire"}}, []string{"Ceasefire"}, 4},
		{"two categories", url.Values{"category": {"ceasefire", "prisoners_detainees"}}, []string{"Ceasefire", "Hostages and prisoners"}, 4},
		{"a category none is in", url.Values{"category": {"finance"}}, nil, 4},
		{"category and topic_id", url.Values{"category": {"ceasefire", "prisoners_detainees"}, "topic_id": {b.prisoners}}, []string{"Hostages and prisoners"}, 4},
		{"category, state and role", url.Values{"category": {"ceasefire", "prisoners_detainees"}, "state": {"contested"}, "role": {"principal"}}, []string{"Ceasefire"}, 2},
		{"category, party_id and fields", url.Values{"category": {"ceasefire"}, "party_id": {b.hamas}, "compact": {"true"}, "fields": {"title"}}, []string{"Ceasefire"}, 1},
		{"an empty category is none", url.Values{"category": {""}}, []string{"Ceasefire", "Hostages and prisoners"}, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := get(tt.q)
			if got := titles(m); !reflect.DeepEqual(got, tt.topics) {
				t.Errorf("topics %v, want %v", got, tt.topics)
			}
			if n := len(m["parties"].([]any)); n != tt.columns {
				t.Errorf("%d columns, want %d", n, tt.columns)
			}
		})
	}
	for _, q := range []url.Values{
		{"category": {"weather"}},
		{"category": {"ceasefire", "Ceasefire"}},
		{"category": {"weather"}, "compact": {"true"}},
	} {
		r := e.do(req{Method: "GET", Path: "/api/v1/negotiations/" + b.neg + "/matrix?" + q.Encode(), Token: e.viewer})
		wantProblem(t, r, http.StatusUnprocessableEntity, "category")
	}
	// Every bad filter is named at once.
	r := e.do(req{Method: "GET", Path: "/api/v1/negotiations/" + b.neg + "/matrix?category=weather&state=stuck&role=referee", Token: e.viewer})
	wantProblem(t, r, http.StatusUnprocessableEntity, "category", "state", "role")
}

// TestOpenAPIMatrixFollowsTheGoTypes: every JSON field of the matrix's
// types, full and compact, is a documented property.
func TestOpenAPIMatrixFollowsTheGoTypes(t *testing.T) {
	e := newEnv(t)
	doc, err := openapi3.NewLoader().LoadFromData(e.must(http.StatusOK, req{Method: "GET", Path: "/api/v1/openapi.json"}).Body)
	if err != nil {
		t.Fatal(err)
	}
	schemas := doc.Components.Schemas
	prop := func(s *openapi3.SchemaRef, name string) *openapi3.SchemaRef {
		t.Helper()
		if s == nil || s.Value == nil || s.Value.Properties[name] == nil {
			t.Fatalf("%s not documented", name)
		}
		return s.Value.Properties[name]
	}
	items := func(s *openapi3.SchemaRef) *openapi3.SchemaRef { return s.Value.Items }
	full, compact := schemas["Matrix"], schemas["CompactMatrix"]
	cell := items(prop(full, "cells"))
	checks := []struct {
		name   string
		value  any
		schema *openapi3.SchemaRef
	}{
		{"Matrix", domain.Matrix{}, full},
		{"MatrixCell", domain.MatrixCell{}, cell},
		{"InheritedPosition", domain.InheritedPosition{}, items(prop(cell, "inherited"))},
		{"ResponseLink", domain.ResponseLink{}, items(prop(cell, "answered_by"))},
		{"Reaction", domain.Reaction{}, items(prop(cell, "reactions"))},
		{"CompactMatrix", domain.CompactMatrix{}, compact},
		{"CompactCell", domain.CompactCell{}, items(prop(compact, "cells"))},
		{"CompactTopic", domain.CompactTopic{}, items(prop(compact, "topics"))},
		{"CompactTermRow", domain.CompactTermRow{}, items(prop(compact, "terms"))},
	}
	for _, c := range checks {
		for _, f := range jsonFields(t, c.value) {
			if c.schema.Value.Properties[f] == nil {
				t.Errorf("%s.%s is not in the OpenAPI document", c.name, f)
			}
		}
	}
	if !strings.Contains(doc.Paths.Find("/negotiations/{id}/matrix").Get.Description, "sp for a boolean or choice term") {
		t.Error("the matrix operation does not document the compact term rows' short keys")
	}
}

// jsonFields lists the JSON names a value marshals with every field set:
// marshalled from a zero value with omitempty fields filled in by a
// round trip through a map of its struct tags.
func jsonFields(t *testing.T, v any) []string {
	t.Helper()
	var out []string
	rt := reflect.TypeOf(v)
	var walk func(rt reflect.Type)
	walk = func(rt reflect.Type) {
		for i := range rt.NumField() {
			f := rt.Field(i)
			tag := f.Tag.Get("json")
			if f.Anonymous && tag == "" {
				ft := f.Type
				if ft.Kind() == reflect.Pointer {
					ft = ft.Elem()
				}
				walk(ft)
				continue
			}
			name, _, _ := strings.Cut(tag, ",")
			if name == "-" || !f.IsExported() {
				continue
			}
			if name == "" {
				name = f.Name
			}
			out = append(out, name)
		}
	}
	walk(rt)
	if _, err := json.Marshal(v); err != nil {
		t.Fatal(err)
	}
	return out
}
