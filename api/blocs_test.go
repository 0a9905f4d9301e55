package api_test

import (
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/parley/parley/domain"
)

// bloc creates states and a bloc of them through the API.
func (e *env) blocOf(name string, members ...string) string {
	e.t.Helper()
	ms := []map[string]any{}
	for _, m := range members {
		ms = append(ms, map[string]any{"party_id": m})
	}
	return e.create(domain.KindParty, map[string]any{"name": name, "kind": "bloc", "members": ms})["id"].(string)
}

func (e *env) state(name string) string {
	e.t.Helper()
	return e.create(domain.KindParty, map[string]any{"name": name, "kind": "state"})["id"].(string)
}

func TestBlocMembersThroughTheAPI(t *testing.T) {
	e := newEnv(t)
	a, b, c := e.state("Alpha"), e.state("Beta"), e.state("Gamma")
	g := e.create(domain.KindParty, map[string]any{"name": "Group of Two", "kind": "bloc", "members": []map[string]any{
		{"party_id": a, "since": "1964-06-15"}, {"party_id": b, "since": "2020-01-01", "until": "2024-12-31"}}})
	gid := g["id"].(string)
	got := e.must(http.StatusOK, req{Method: "GET", Path: path(domain.KindParty, gid), Token: e.viewer}).JSON["members"].([]any)
	if len(got) != 2 || got[1].(map[string]any)["until"] != "2024-12-31" {
		t.Fatalf("members read back = %v", got)
	}
	count := func() int {
		return len(e.must(http.StatusOK, req{Method: "GET", Path: "/api/v1/parties?limit=500", Token: e.viewer}).items())
	}
	before := count()
	bad := []struct {
		name   string
		body   map[string]any
		fields []string
	}{
		{"a member that is no party", map[string]any{"name": "X", "kind": "bloc", "members": []map[string]any{{"party_id": newID()}}}, []string{"members[0].party_id"}},
		{"since after until", map[string]any{"name": "X", "kind": "bloc", "members": []map[string]any{{"party_id": a, "since": "2024-02-01", "until": "2024-01-01"}}}, []string{"members[0].since"}},
		{"members of a state", map[string]any{"name": "X", "kind": "state", "members": []map[string]any{{"party_id": a}}}, []string{"members"}},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			wantProblem(t, e.with(t).do(req{Method: "POST", Path: "/api/v1/parties", Token: e.editor, Body: tt.body}), http.StatusUnprocessableEntity, tt.fields...)
		})
	}
	if n := count(); n != before {
		t.Errorf("%d parties after refused creates, want %d: nothing written", n, before)
	}

	// A bloc of blocs is fine; a bloc in its own chain is not.
	outer := e.blocOf("Outer", gid, c)
	patch := func(id string, members ...string) *resp {
		ms := []map[string]any{}
		for _, m := range members {
			ms = append(ms, map[string]any{"party_id": m})
		}
		return e.do(req{Method: "PATCH", Path: path(domain.KindParty, id), Token: e.editor, Body: map[string]any{"members": ms}})
	}
	wantProblem(t, patch(gid, a, b, outer), http.StatusUnprocessableEntity, "members[2].party_id")
	wantProblem(t, patch(gid, gid), http.StatusUnprocessableEntity, "members[0].party_id")
	if v := e.must(http.StatusOK, req{Method: "GET", Path: path(domain.KindParty, gid), Token: e.viewer}).JSON["version"]; v != 1.0 {
		t.Errorf("the refused changes wrote version %v", v)
	}
	if r := patch(gid, a, c); r.Code != http.StatusOK {
		t.Fatalf("changing members: %d %s", r.Code, r.Body)
	}
	hist := e.must(http.StatusOK, req{Method: "GET", Path: path(domain.KindParty, gid) + "/history", Token: e.viewer}).items()
	if len(hist) != 2 {
		t.Errorf("history has %d revisions, want the create and the change", len(hist))
	}
	// A member cannot go while a bloc counts it; the bloc itself can.
	wantProblem(t, e.do(req{Method: "DELETE", Path: path(domain.KindParty, c), Token: e.editor}), http.StatusConflict)
	e.must(http.StatusNoContent, req{Method: "DELETE", Path: path(domain.KindParty, outer), Token: e.editor})
	if ms := e.must(http.StatusOK, req{Method: "PATCH", Path: path(domain.KindParty, gid), Token: e.editor, Body: map[string]any{"members": nil}}).JSON["members"]; ms != nil {
		t.Errorf("members after removing them all = %v, want absent", ms)
	}
}

func TestSeveralRolesAndTheMatrixFilters(t *testing.T) {
	e := newEnv(t)
	a, b, c, d := e.state("Alpha"), e.state("Beta"), e.state("Gamma"), e.state("Qatar")
	g := e.blocOf("Group", a, b)
	participants := []map[string]any{
		{"party_id": g, "role": "principal"}, {"party_id": a, "role": "principal"}, {"party_id": b, "role": "principal"},
		{"party_id": c, "role": "principal"}, {"party_id": d, "role": "host"}, {"party_id": d, "role": "mediator"}, {"party_id": d, "role": "guarantor"},
	}
	dup := append(append([]map[string]any{}, participants...), map[string]any{"party_id": d, "role": "host"})
	wantProblem(t, e.do(req{Method: "POST", Path: "/api/v1/negotiations", Token: e.editor, Body: map[string]any{"title": "Dup", "participants": dup}}),
		http.StatusUnprocessableEntity, "participants[7].role")
	neg := e.create(domain.KindNegotiation, map[string]any{"title": "Finance talks", "started_on": "2024-11-11", "participants": participants})["id"].(string)
	topic := e.create(domain.KindTopic, map[string]any{"negotiation_id": neg, "title": "Quantum"})["id"].(string)
	other := e.create(domain.KindTopic, map[string]any{"negotiation_id": neg, "title": "Other"})["id"].(string)
	gd := e.create(domain.KindDemand, map[string]any{"negotiation_id": neg, "party_id": g, "topic_id": topic, "title": "$1.3 trillion", "stated_on": "2024-11-12"})["id"].(string)
	e.create(domain.KindDemand, map[string]any{"negotiation_id": neg, "party_id": b, "topic_id": topic, "title": "$1 trillion", "stated_on": "2024-11-13"})
	e.create(domain.KindDemand, map[string]any{"negotiation_id": neg, "party_id": d, "topic_id": topic, "title": "Bridging text", "stated_on": "2024-11-20", "status": "tabled"})

	matrix := func(q url.Values) *resp {
		return e.do(req{Method: "GET", Path: "/api/v1/negotiations/" + neg + "/matrix?" + q.Encode(), Token: e.viewer})
	}
	m := matrix(url.Values{}).JSON
	parties := m["parties"].([]any)
	if len(parties) != 5 {
		t.Fatalf("%d columns, want 5: Qatar once", len(parties))
	}
	if roles := parties[4].(map[string]any)["roles"]; !reflect.DeepEqual(roles, []any{"host", "mediator", "guarantor"}) {
		t.Errorf("Qatar's roles = %v", roles)
	}
	cell := func(m map[string]any, topic, party string) map[string]any {
		for _, c := range m["cells"].([]any) {
			if c := c.(map[string]any); c["topic_id"] == topic && c["party_id"] == party {
				return c
			}
		}
		t.Fatalf("no cell (%s, %s)", topic, party)
		return nil
	}
	if alpha, _ := cell(m, topic, a)["inherited"].([]any); len(alpha) != 1 {
		t.Errorf("Alpha's cell inherits %v, want the bloc's position", alpha)
	}
	if beta := cell(m, topic, b); !reflect.DeepEqual(beta["diverges_from"], []any{g}) {
		t.Errorf("Beta diverges from %v, want the bloc", beta["diverges_from"])
	}

	grouped := matrix(url.Values{"group_by": {"bloc"}}).JSON
	var cols []any
	for _, p := range grouped["parties"].([]any) {
		cols = append(cols, p.(map[string]any)["id"])
	}
	if want := []any{g, c, d}; !reflect.DeepEqual(cols, want) {
		t.Errorf("grouped columns = %v, want %v", cols, want)
	}
	blocCell := cell(grouped, topic, g)
	if ds := blocCell["demands"].([]any); len(ds) != 2 || ds[0].(map[string]any)["id"] != gd {
		t.Errorf("the bloc's cell holds %v, want its demand and Beta's", ds)
	}

	filtered := matrix(url.Values{"role": {"mediator"}, "topic_id": {topic}}).JSON
	if len(filtered["parties"].([]any)) != 1 || len(filtered["topics"].([]any)) != 1 || len(filtered["cells"].([]any)) != 1 {
		t.Errorf("role=mediator&topic_id: %d parties, %d topics, %d cells", len(filtered["parties"].([]any)), len(filtered["topics"].([]any)), len(filtered["cells"].([]any)))
	}
	if open := matrix(url.Values{"state": {"open"}}).JSON; len(open["topics"].([]any)) != 2 {
		t.Errorf("state=open kept %d topics, want both", len(open["topics"].([]any)))
	}

	compact := matrix(url.Values{"compact": {"true"}})
	full := matrix(url.Values{})
	if compact.JSON["compact"] != true || len(compact.Body) >= len(full.Body) {
		t.Errorf("compact form: %d bytes against %d, compact=%v", len(compact.Body), len(full.Body), compact.JSON["compact"])
	}
	if cs := compact.JSON["cells"].([]any); len(cs) != 4 {
		t.Errorf("compact form has %d cells, want the 4 that hold something", len(cs))
	}
	titled := matrix(url.Values{"compact": {"true"}, "fields": {"title"}})
	if len(titled.Body) <= len(compact.Body) || !strings.Contains(string(titled.Body), `"title":"$1.3 trillion"`) {
		t.Errorf("fields=title does not add the demands' titles: %s", titled.Body)
	}

	for _, tt := range []struct {
		q     url.Values
		field string
	}{
		{url.Values{"group_by": {"region"}}, "group_by"},
		{url.Values{"group_by": {""}}, "group_by"},
		{url.Values{"role": {"referee"}}, "role"},
		{url.Values{"state": {"stuck"}}, "state"},
		{url.Values{"topic_id": {"quantum"}}, "topic_id"},
		{url.Values{"topic_id": {newID()}}, "topic_id"},
		{url.Values{"compact": {"yes"}}, "compact"},
		{url.Values{"compact": {"true"}, "fields": {"title,terms"}}, "fields"},
		{url.Values{"fields": {"title"}}, "fields"},
		{url.Values{"role": {"host"}, "party_id": {a}}, "party_id"},
	} {
		t.Run(tt.q.Encode(), func(t *testing.T) {
			wantProblem(t, e.with(t).do(req{Method: "GET", Path: "/api/v1/negotiations/" + neg + "/matrix?" + tt.q.Encode(), Token: e.viewer}), http.StatusUnprocessableEntity, tt.field)
		})
	}
	if all := matrix(url.Values{"topic_id": {topic, other}}).JSON; len(all["topics"].([]any)) != 2 {
		t.Errorf("two topic_id kept %d topics", len(all["topics"].([]any)))
	}
}
