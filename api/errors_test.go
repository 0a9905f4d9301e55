package api_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/parley/parley/domain"
)

// badInput is one class of bad request body for one collection.
type badInput struct {
	class  string
	mutate func(w *world, body map[string]any) // changes a valid body
	raw    string                              // or: send this body as is
	ctype  string
	status int
	fields []string // must be named in errors
}

// badInputs lists, per collection, every class of bad input the contract
// names that applies to it.
func badInputs(k domain.Kind) []badInput {
	long := strings.Repeat("x", domain.MaxName+1)
	longText := strings.Repeat("y", domain.MaxText+1)
	common := []badInput{
		{class: "malformed JSON", raw: `{"title": "x",`, status: 400},
		{class: "not an object", raw: `["a"]`, status: 400},
		{class: "unknown field", mutate: func(_ *world, b map[string]any) { b["colour"] = "red" }, status: 400, fields: []string{"colour"}},
		{class: "non-JSON content type", raw: `{}`, ctype: "text/plain", status: 415},
		{class: "form content type", raw: `a=b`, ctype: "application/x-www-form-urlencoded", status: 415},
		{class: "over 1 MiB", mutate: func(_ *world, b map[string]any) { b[textField[k]] = strings.Repeat("z", 1<<20) }, status: 413},
		{class: "missing required", raw: `{}`, status: 422, fields: domain.Required[k]},
		{class: "wrong type", mutate: func(_ *world, b map[string]any) { b[textField[k]] = 12 }, status: 422, fields: []string{textField[k]}},
		{class: "over-long text", mutate: func(_ *world, b map[string]any) { b[textField[k]] = longText }, status: 422, fields: []string{textField[k]}},
	}
	var specific []badInput
	set := func(field string, v any) func(*world, map[string]any) {
		return func(_ *world, b map[string]any) { b[field] = v }
	}
	switch k {
	case domain.KindParty:
		specific = []badInput{
			{class: "bad enum", mutate: set("kind", "empire"), status: 422, fields: []string{"kind"}},
			{class: "over-long name", mutate: set("name", long), status: 422, fields: []string{"name"}},
		}
	case domain.KindNegotiation:
		specific = []badInput{
			{class: "bad enum", mutate: set("status", "paused"), status: 422, fields: []string{"status"}},
			{class: "bad date", mutate: set("started_on", "16/05/2025"), status: 422, fields: []string{"started_on"}},
			{class: "reference to nothing", mutate: func(_ *world, b map[string]any) {
				b["participants"] = []map[string]any{{"party_id": newID(), "role": "principal"}}
			}, status: 422, fields: []string{"participants[0].party_id"}},
			{class: "bad participant role", mutate: func(w *world, b map[string]any) {
				b["participants"] = []map[string]any{{"party_id": w.PartyA, "role": "referee"}}
			}, status: 422, fields: []string{"participants[0].role"}},
		}
	case domain.KindRound:
		specific = []badInput{
			{class: "bad enum", mutate: set("format", "shouting"), status: 422, fields: []string{"format"}},
			{class: "bad date", mutate: set("starts_on", "2025-02-30"), status: 422, fields: []string{"starts_on"}},
			{class: "reference to nothing", mutate: set("negotiation_id", newID()), status: 422, fields: []string{"negotiation_id"}},
			{class: "not a UUID", mutate: set("host_party_id", "turkey"), status: 422, fields: []string{"host_party_id"}},
		}
	case domain.KindDelegation:
		specific = []badInput{
			{class: "bad enum", mutate: set("level", "emperor"), status: 422, fields: []string{"level"}},
			{class: "reference to nothing", mutate: set("round_id", newID()), status: 422, fields: []string{"round_id"}},
			{class: "member without name", mutate: set("members", []map[string]any{{"title": "adviser"}}), status: 422, fields: []string{"members[0].name"}},
		}
	case domain.KindTopic:
		specific = []badInput{
			{class: "reference to nothing", mutate: set("negotiation_id", newID()), status: 422, fields: []string{"negotiation_id"}},
			{class: "over-long title", mutate: set("title", long), status: 422, fields: []string{"title"}},
		}
	case domain.KindDemand:
		specific = []badInput{
			{class: "bad enum", mutate: set("priority", "urgent"), status: 422, fields: []string{"priority"}},
			{class: "bad date", mutate: set("stated_on", "yesterday"), status: 422, fields: []string{"stated_on"}},
			{class: "reference to nothing", mutate: set("topic_id", newID()), status: 422, fields: []string{"topic_id"}},
			{class: "nested terms", mutate: set("terms", map[string]any{"a": map[string]any{"b": 1}}), status: 422, fields: []string{"terms.a"}},
			{class: "bad citation", mutate: set("citations", []map[string]any{{"url": "javascript:alert(1)", "reliability": "Z"}}), status: 422,
				fields: []string{"citations[0].url", "citations[0].reliability"}},
		}
	case domain.KindObjection:
		specific = []badInput{
			{class: "bad enum", mutate: set("kind", "veto"), status: 422, fields: []string{"kind"}},
			{class: "bad date", mutate: set("stated_on", "2025-13-01"), status: 422, fields: []string{"stated_on"}},
			{class: "reference to nothing", mutate: set("demand_id", newID()), status: 422, fields: []string{"demand_id"}},
			{class: "self-objection", mutate: func(w *world, b map[string]any) { b["party_id"] = w.PartyA }, status: 422, fields: []string{"party_id"}},
		}
	case domain.KindEndorsement:
		specific = []badInput{
			{class: "bad date", mutate: set("stated_on", "2025-5-1"), status: 422, fields: []string{"stated_on"}},
			{class: "reference to nothing", mutate: set("party_id", newID()), status: 422, fields: []string{"party_id"}},
			{class: "bad citation grade", mutate: set("citations", []map[string]any{{"title": "t", "credibility": 9}}), status: 422, fields: []string{"citations[0].credibility"}},
		}
	}
	return append(common, specific...)
}

// TestBadInput sends every class of bad input to every collection, on
// create and (where it applies) on patch, and checks that nothing was stored.
func TestBadInput(t *testing.T) {
	e := newEnv(t)
	w := e.world()
	for _, k := range domain.Kinds {
		before := len(e.must(http.StatusOK, req{Method: "GET", Path: "/api/v1/" + string(k) + "?limit=500", Token: e.viewer}).items())
		for _, tc := range badInputs(k) {
			t.Run(string(k)+"/"+tc.class, func(t *testing.T) {
				e := e.with(t)
				var body any = tc.raw
				if tc.mutate != nil {
					b := w.valid(k)
					tc.mutate(w, b)
					body = b
				}
				r := e.do(req{Method: "POST", Path: "/api/v1/" + string(k), Token: e.editor, Body: body, Type: tc.ctype})
				wantProblem(t, r, tc.status, tc.fields...)
				if tc.class == "missing required" {
					if errs, _ := r.JSON["errors"].([]any); len(errs) < len(domain.Required[k]) {
						t.Fatalf("%d errors for %d missing fields", len(errs), len(domain.Required[k]))
					}
				}
			})
		}
		after := len(e.must(http.StatusOK, req{Method: "GET", Path: "/api/v1/" + string(k) + "?limit=500", Token: e.viewer}).items())
		if after != before {
			t.Fatalf("%s: bad input stored something: %d items, was %d", k, after, before)
		}
	}
}

// TestBadPatch sends bad patches: each leaves the resource unchanged.
func TestBadPatch(t *testing.T) {
	e := newEnv(t)
	w := e.world()
	cases := []struct {
		name   string
		kind   domain.Kind
		body   any
		ctype  string
		status int
		fields []string
	}{
		{"malformed", domain.KindParty, `{"notes":`, "", 400, nil},
		{"unknown field", domain.KindParty, map[string]any{"colour": "red"}, "", 400, []string{"colour"}},
		{"text/plain", domain.KindParty, `{"notes":"x"}`, "text/plain", 415, nil},
		{"required removed", domain.KindParty, map[string]any{"name": nil}, "", 422, []string{"name"}},
		{"bad enum", domain.KindDemand, map[string]any{"status": "won"}, "", 422, []string{"status"}},
		{"self-objection", domain.KindObjection, map[string]any{"party_id": w.PartyA}, "", 422, []string{"party_id"}},
		{"reference to nothing", domain.KindDemand, map[string]any{"topic_id": newID()}, "", 422, []string{"topic_id"}},
		{"bad version", domain.KindTopic, map[string]any{"version": "one"}, "", 422, []string{"version"}},
		{"bad If-Match", domain.KindTopic, map[string]any{"title": "x"}, "", 400, []string{"If-Match"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := e.with(t)
			id := w.IDs[tc.kind]
			before := e.must(http.StatusOK, req{Method: "GET", Path: path(tc.kind, id), Token: e.viewer})
			r := req{Method: "PATCH", Path: path(tc.kind, id), Token: e.editor, Body: tc.body, Type: tc.ctype}
			if tc.name == "bad If-Match" {
				r.Headers = map[string]string{"If-Match": "yesterday"}
			}
			wantProblem(t, e.do(r), tc.status, tc.fields...)
			after := e.must(http.StatusOK, req{Method: "GET", Path: path(tc.kind, id), Token: e.viewer})
			if !bytes.Equal(before.Body, after.Body) {
				t.Fatalf("a refused patch changed the resource:\n%s\n%s", before.Body, after.Body)
			}
		})
	}
}

// TestNotFound covers ids that name nothing, including ones that are not
// UUIDs at all, on every method that takes an id.
func TestNotFound(t *testing.T) {
	e := newEnv(t)
	for _, k := range domain.Kinds {
		for _, id := range []string{newID(), "not-a-uuid", "1%20OR%201=1", strings.Repeat("a", 300)} {
			for _, m := range []struct{ method, suffix string }{{"GET", ""}, {"PATCH", ""}, {"DELETE", ""}, {"GET", "/history"}} {
				var body any
				if m.method == "PATCH" {
					body = map[string]any{textField[k]: "x"}
				}
				r := e.do(req{Method: m.method, Path: path(k, id) + m.suffix, Token: e.editor, Body: body})
				if r.Code != http.StatusNotFound {
					t.Fatalf("%s %s%s: %d, want 404: %s", m.method, k, m.suffix, r.Code, r.Body)
				}
				wantProblem(t, r, http.StatusNotFound)
			}
		}
	}
	wantProblem(t, e.do(req{Method: "GET", Path: "/api/v1/unicorns", Token: e.viewer}), http.StatusNotFound)
	wantProblem(t, e.do(req{Method: "PUT", Path: "/api/v1/parties", Token: e.viewer}), http.StatusMethodNotAllowed)
}

// TestBadListQuery checks every class of bad list parameter.
func TestBadListQuery(t *testing.T) {
	e := newEnv(t)
	cases := []struct {
		query  string
		fields []string
	}{
		{"/api/v1/parties?limit=0", []string{"limit"}},
		{"/api/v1/parties?limit=501", []string{"limit"}},
		{"/api/v1/parties?limit=ten", []string{"limit"}},
		{"/api/v1/parties?topic_id=" + newID(), []string{"topic_id"}},
		{"/api/v1/topics?party_id=" + newID(), []string{"party_id"}},
		{"/api/v1/demands?topic_id=ceasefire&party_id=7", []string{"topic_id", "party_id"}},
		{"/api/v1/parties?status=active", []string{"status"}},
		{"/api/v1/demands?status=won", []string{"status"}},
		{"/api/v1/objections?status=tabled", []string{"status"}},
		{"/api/v1/parties?q=" + strings.Repeat("q", 201), []string{"q"}},
		{"/api/v1/parties?cursor=!!!", []string{"cursor"}},
		{"/api/v1/parties?limit=0&status=x&q=" + strings.Repeat("q", 201), []string{"limit", "status", "q"}},
	}
	for _, tc := range cases {
		t.Run(tc.query, func(t *testing.T) {
			e := e.with(t)
			wantProblem(t, e.do(req{Method: "GET", Path: tc.query, Token: e.viewer}), http.StatusUnprocessableEntity, tc.fields...)
		})
	}
}

// TestPreconditions: a stale If-Match or body version gets 412 and changes nothing.
func TestPreconditions(t *testing.T) {
	e := newEnv(t)
	w := e.world()
	id := w.Topic
	p := path(domain.KindTopic, id)
	// Move the topic to version 2.
	e.must(http.StatusOK, req{Method: "PATCH", Path: p, Token: e.editor, Body: map[string]any{"description": "v2", "version": 1}})
	cases := []struct {
		name    string
		method  string
		body    any
		ifMatch string
	}{
		{"stale If-Match", "PATCH", map[string]any{"description": "stale"}, `"1"`},
		{"stale weak If-Match", "PATCH", map[string]any{"description": "stale"}, `W/"1"`},
		{"stale body version", "PATCH", map[string]any{"description": "stale", "version": 1}, ""},
		{"If-Match and version disagree", "PATCH", map[string]any{"description": "stale", "version": 1}, `"2"`},
		{"future version", "PATCH", map[string]any{"description": "stale", "version": 3}, ""},
		{"stale delete", "DELETE", nil, `"1"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := e.with(t)
			r := req{Method: tc.method, Path: p, Token: e.editor, Body: tc.body}
			if tc.ifMatch != "" {
				r.Headers = map[string]string{"If-Match": tc.ifMatch}
			}
			wantProblem(t, e.do(r), http.StatusPreconditionFailed)
			now := e.must(http.StatusOK, req{Method: "GET", Path: p, Token: e.viewer})
			if now.str("description") != "v2" || now.Header.Get("ETag") != `"2"` {
				t.Fatalf("a 412 changed the topic: %s", now.Body)
			}
		})
	}
	// The matching precondition succeeds, and "*" means any version.
	e.must(http.StatusOK, req{Method: "PATCH", Path: p, Token: e.editor, Body: map[string]any{"description": "v3", "version": 2}, Headers: map[string]string{"If-Match": `"2"`}})
	e.must(http.StatusOK, req{Method: "PATCH", Path: p, Token: e.editor, Body: map[string]any{"description": "v4"}, Headers: map[string]string{"If-Match": "*"}})
	hist := e.must(http.StatusOK, req{Method: "GET", Path: p + "/history", Token: e.viewer}).items()
	if len(hist) != 4 {
		t.Fatalf("%d revisions, want 4 (create + 3 updates, none for the refused ones)", len(hist))
	}
}

// TestConflicts covers duplicates and deletes of what others refer to.
func TestConflicts(t *testing.T) {
	e := newEnv(t)
	w := e.world()
	t.Run("duplicate party name in another case", func(t *testing.T) {
		e := e.with(t)
		r := e.do(req{Method: "POST", Path: "/api/v1/parties", Token: e.editor, Body: map[string]any{"name": "  UKRAINE "}})
		wantProblem(t, r, http.StatusConflict, "name")
	})
	t.Run("rename party onto another", func(t *testing.T) {
		e := e.with(t)
		r := e.do(req{Method: "PATCH", Path: path(domain.KindParty, w.PartyC), Token: e.editor, Body: map[string]any{"name": "russia"}})
		wantProblem(t, r, http.StatusConflict, "name")
	})
	t.Run("duplicate topic title", func(t *testing.T) {
		e := e.with(t)
		r := e.do(req{Method: "POST", Path: "/api/v1/topics", Token: e.editor, Body: map[string]any{"negotiation_id": w.Negotiation, "title": "ceasefire"}})
		wantProblem(t, r, http.StatusConflict, "title")
	})
	t.Run("same topic title in another negotiation", func(t *testing.T) {
		e := e.with(t)
		other := e.create(domain.KindNegotiation, map[string]any{"title": "Elsewhere"})
		e.create(domain.KindTopic, map[string]any{"negotiation_id": other["id"], "title": "Ceasefire"})
	})
	t.Run("delete referenced party", func(t *testing.T) {
		e := e.with(t)
		r := e.do(req{Method: "DELETE", Path: path(domain.KindParty, w.PartyB), Token: e.editor})
		wantProblem(t, r, http.StatusConflict)
		refs, _ := r.JSON["referred_by"].([]any)
		found := map[string]bool{}
		for _, x := range refs {
			m := x.(map[string]any)
			if m["kind"] == "" || m["field"] == "" {
				t.Fatalf("referrer without kind or field: %v", m)
			}
			found[m["id"].(string)] = true
		}
		for _, id := range []string{w.Negotiation, w.Objection} {
			if !found[id] {
				t.Fatalf("409 does not name %s: %s", id, r.Body)
			}
		}
		e.must(http.StatusOK, req{Method: "GET", Path: path(domain.KindParty, w.PartyB), Token: e.viewer})
	})
	t.Run("delete referenced topic", func(t *testing.T) {
		e := e.with(t)
		r := e.do(req{Method: "DELETE", Path: path(domain.KindTopic, w.Topic), Token: e.editor})
		wantProblem(t, r, http.StatusConflict)
		if !strings.Contains(string(r.Body), w.Demand) {
			t.Fatalf("409 does not name the demand: %s", r.Body)
		}
	})
}

// TestCascade: deleting a demand deletes its objections and endorsements,
// each with a delete revision; deleting a round its delegations.
func TestCascade(t *testing.T) {
	e := newEnv(t)
	w := e.world()
	extra := e.create(domain.KindObjection, w.valid(domain.KindObjection))["id"].(string)
	e.must(http.StatusNoContent, req{Method: "DELETE", Path: path(domain.KindDemand, w.Demand), Token: e.editor})
	owned := []struct {
		kind domain.Kind
		id   string
	}{{domain.KindObjection, w.Objection}, {domain.KindObjection, extra}, {domain.KindEndorsement, w.Endorsement}, {domain.KindDemand, w.Demand}}
	for _, o := range owned {
		wantProblem(t, e.do(req{Method: "GET", Path: path(o.kind, o.id), Token: e.viewer}), http.StatusNotFound)
		hist := e.must(http.StatusOK, req{Method: "GET", Path: path(o.kind, o.id) + "/history", Token: e.viewer}).items()
		last := hist[len(hist)-1]
		if last["action"] != "delete" || last["actor"] == "" {
			t.Fatalf("%s %s: last revision %v, want a delete by a named actor", o.kind, o.id, last)
		}
		res, _ := last["resource"].(map[string]any)
		if res["id"] != o.id {
			t.Fatalf("delete revision does not hold the resource as it was: %v", last)
		}
	}
	// The round is no longer referred to by the demand; its delegation goes with it.
	e.must(http.StatusNoContent, req{Method: "DELETE", Path: path(domain.KindRound, w.Round), Token: e.editor})
	wantProblem(t, e.do(req{Method: "GET", Path: path(domain.KindDelegation, w.Delegation), Token: e.viewer}), http.StatusNotFound)
	hist := e.must(http.StatusOK, req{Method: "GET", Path: path(domain.KindDelegation, w.Delegation) + "/history", Token: e.viewer}).items()
	if hist[len(hist)-1]["action"] != "delete" {
		t.Fatalf("delegation history ends with %v", hist[len(hist)-1]["action"])
	}
}
