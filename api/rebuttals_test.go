package api_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/parley/parley/domain"
)

// TestRebuttalsThroughTheAPI: a rebuttal is created, listed by its
// references, changed (also back-dated), refused from the objecting
// party or for an objection that does not exist, kept in its history and
// deleted with its objection.
func TestRebuttalsThroughTheAPI(t *testing.T) {
	e := newEnv(t)
	w := e.world()
	created := e.must(http.StatusCreated, req{Method: "POST", Path: "/api/v1/rebuttals", Token: e.editor, Body: map[string]any{
		"objection_id": w.Objection, "party_id": w.PartyC, "grounds": "A truce opens the way to talks", "stated_on": "2025-05-17",
		"negotiation_id": "ignored-read-only", "handling": "TLP:GREEN",
		"citations": []map[string]any{{"title": "Host's statement", "url": "https://example.org/host", "reliability": "B", "credibility": 2}},
	}})
	id := created.str("id")
	if loc := created.Header.Get("Location"); loc != "/api/v1/rebuttals/"+id {
		t.Errorf("Location %q", loc)
	}
	if created.str("negotiation_id") != w.Negotiation || created.JSON["version"] != 1.0 || created.str("effective_at") != "2025-05-17T00:00:00Z" {
		t.Errorf("created: %s", created.Body)
	}
	if _, ok := created.JSON["status"]; ok {
		t.Errorf("a rebuttal has no status of its own: %s", created.Body)
	}

	// Bad input: the objecting party answering itself, an objection that
	// is not there, a missing grounds, all named.
	wantProblem(t, e.do(req{Method: "POST", Path: "/api/v1/rebuttals", Token: e.editor, Body: map[string]any{
		"objection_id": w.Objection, "party_id": w.PartyB, "grounds": "answering myself", "stated_on": "2025-05-17"}}),
		http.StatusUnprocessableEntity, "party_id")
	wantProblem(t, e.do(req{Method: "POST", Path: "/api/v1/rebuttals", Token: e.editor, Body: map[string]any{
		"objection_id": newID(), "party_id": w.PartyA, "grounds": "to nothing", "stated_on": "2025-05-17"}}),
		http.StatusUnprocessableEntity, "objection_id")
	wantProblem(t, e.do(req{Method: "POST", Path: "/api/v1/rebuttals", Token: e.editor, Body: map[string]any{
		"objection_id": w.Objection, "party_id": w.PartyA, "stated_on": "May", "status": "standing"}}),
		http.StatusBadRequest)
	wantProblem(t, e.do(req{Method: "POST", Path: "/api/v1/rebuttals", Token: e.editor, Body: map[string]any{
		"objection_id": w.Objection, "party_id": w.PartyA, "stated_on": "May", "handling": "TLP:PURPLE"}}),
		http.StatusUnprocessableEntity, "grounds", "stated_on", "handling")
	wantProblem(t, e.do(req{Method: "PATCH", Path: path(domain.KindRebuttal, id), Token: e.editor, Body: map[string]any{"party_id": w.PartyB}}),
		http.StatusUnprocessableEntity, "party_id")
	wantProblem(t, e.do(req{Method: "POST", Path: "/api/v1/rebuttals", Token: e.viewer, Body: w.valid(domain.KindRebuttal)}), http.StatusForbidden)

	// Lists filter by every reference.
	for _, q := range []string{"objection_id=" + w.Objection, "negotiation_id=" + w.Negotiation} {
		if got := e.must(http.StatusOK, req{Method: "GET", Path: "/api/v1/rebuttals?" + q, Token: e.viewer}).items(); len(got) != 2 {
			t.Errorf("?%s: %d rebuttals, want 2", q, len(got))
		}
	}
	if got := e.must(http.StatusOK, req{Method: "GET", Path: "/api/v1/rebuttals?party_id=" + w.PartyC, Token: e.viewer}).items(); len(got) != 1 || got[0]["id"] != id {
		t.Errorf("?party_id: %v", got)
	}
	if got := e.must(http.StatusOK, req{Method: "GET", Path: "/api/v1/rebuttals?q=way+to+TALKS", Token: e.viewer}).items(); len(got) != 2 {
		t.Errorf("?q: %d rebuttals, want 2", len(got))
	}
	wantProblem(t, e.do(req{Method: "GET", Path: "/api/v1/rebuttals?demand_id=" + w.Demand, Token: e.viewer}), http.StatusUnprocessableEntity, "demand_id")

	// A change now, then one learned later and dated before it: the
	// current state stays the latest, as_of shows the back-dated one.
	e.must(http.StatusOK, req{Method: "PATCH", Path: path(domain.KindRebuttal, id), Token: e.editor, Headers: map[string]string{"If-Match": `"1"`},
		Body: map[string]any{"grounds": "A truce now, talks next", "effective_on": "2025-06-10"}})
	late := e.must(http.StatusOK, req{Method: "PATCH", Path: path(domain.KindRebuttal, id), Token: e.editor, Body: map[string]any{
		"grounds": "A truce first", "effective_on": "2025-05-20", "change_note": "learned from a later read-out", "version": 2}})
	if late.str("grounds") != "A truce now, talks next" || late.JSON["version"] != 3.0 || late.str("effective_at") != "2025-06-10T00:00:00Z" {
		t.Errorf("after the back-dated change: %s", late.Body)
	}
	wantProblem(t, e.do(req{Method: "PATCH", Path: path(domain.KindRebuttal, id), Token: e.editor, Headers: map[string]string{"If-Match": `"1"`},
		Body: map[string]any{"grounds": "stale"}}), http.StatusPreconditionFailed)
	for day, want := range map[string]string{"2025-05-18": "A truce opens the way to talks", "2025-05-25": "A truce first", "2025-06-11": "A truce now, talks next"} {
		if got := rebuttalGroundsInMatrix(t, e, w, url.Values{"as_of": {day}}, id); got != want {
			t.Errorf("as of %s the matrix shows %q, want %q", day, got, want)
		}
	}
	hist := e.must(http.StatusOK, req{Method: "GET", Path: path(domain.KindRebuttal, id) + "/history", Token: e.viewer}).items()
	if len(hist) != 3 || hist[2]["change_note"] != "learned from a later read-out" || hist[2]["effective_at"] != "2025-05-20T00:00:00Z" {
		t.Errorf("history: %v", hist)
	}
	changes := e.must(http.StatusOK, req{Method: "GET", Path: "/api/v1/negotiations/" + w.Negotiation + "/changes?since=2025-05-17&until=2025-05-31", Token: e.viewer}).items()
	var said []string
	for _, c := range changes {
		said = append(said, c["summary"].(string))
	}
	if joined := strings.Join(said, "\n"); !strings.Contains(joined, "Turkey answers Russia's objection to “30-day ceasefire”") ||
		!strings.Contains(joined, "Turkey's answer to Russia's objection to “30-day ceasefire”: grounds") {
		t.Errorf("changes say:\n%s", joined)
	}

	// Deleting the objection takes its rebuttals with it.
	e.must(http.StatusNoContent, req{Method: "DELETE", Path: path(domain.KindObjection, w.Objection), Token: e.editor})
	wantProblem(t, e.do(req{Method: "GET", Path: path(domain.KindRebuttal, id), Token: e.viewer}), http.StatusNotFound)
	hist = e.must(http.StatusOK, req{Method: "GET", Path: path(domain.KindRebuttal, w.Rebuttal) + "/history", Token: e.viewer}).items()
	if hist[len(hist)-1]["action"] != "delete" {
		t.Errorf("the world's rebuttal was not recorded deleted: %v", hist)
	}
}

// rebuttalGroundsInMatrix finds a rebuttal in the matrix's cells.
func rebuttalGroundsInMatrix(t *testing.T, e *env, w *world, q url.Values, id string) string {
	t.Helper()
	m := e.must(http.StatusOK, req{Method: "GET", Path: matrixPath(w.Negotiation, q), Token: e.viewer})
	for _, c := range m.JSON["cells"].([]any) {
		for _, r := range c.(map[string]any)["rebuttals"].([]any) {
			if r := r.(map[string]any); r["id"] == id {
				return r["grounds"].(string)
			}
		}
	}
	return ""
}

// TestMatrixCarriesRebuttals: the objecting party's cell carries the
// answers to its objection in full; the compact form counts them; the
// audience leaves out one marked above it.
func TestMatrixCarriesRebuttals(t *testing.T) {
	e := newEnv(t)
	w := e.world()
	e.must(http.StatusOK, req{Method: "PATCH", Path: path(domain.KindNegotiation, w.Negotiation), Token: e.editor,
		Body: map[string]any{"handling": "TLP:GREEN"}})
	red := e.create(domain.KindRebuttal, map[string]any{"objection_id": w.Objection, "party_id": w.PartyC, "grounds": "red line answer",
		"stated_on": "2025-05-17", "handling": "TLP:RED"})["id"].(string)
	m := e.must(http.StatusOK, req{Method: "GET", Path: matrixPath(w.Negotiation, nil), Token: e.viewer})
	var cellOf string
	for _, c := range m.JSON["cells"].([]any) {
		c := c.(map[string]any)
		rs := c["rebuttals"].([]any)
		if len(rs) == 0 {
			continue
		}
		cellOf = c["party_id"].(string)
		if len(rs) != 2 || rs[0].(map[string]any)["id"] != w.Rebuttal || rs[1].(map[string]any)["id"] != red ||
			rs[0].(map[string]any)["objection_id"] != w.Objection {
			t.Errorf("cell rebuttals: %v", rs)
		}
	}
	if cellOf != w.PartyB {
		t.Errorf("rebuttals are in %q's cell, want the objecting party's", cellOf)
	}
	compact := e.must(http.StatusOK, req{Method: "GET", Path: matrixPath(w.Negotiation, url.Values{"compact": {"true"}}), Token: e.viewer})
	counted := 0.0
	for _, c := range compact.JSON["cells"].([]any) {
		if r, ok := c.(map[string]any)["r"].(float64); ok {
			counted += r
		}
	}
	if counted != 2 || strings.Contains(string(compact.Body), "red line answer") {
		t.Errorf("compact form: %v rebuttals counted, or their text leaked: %s", counted, compact.Body)
	}
	report := e.must(http.StatusOK, req{Method: "GET", Path: "/api/v1/negotiations/" + w.Negotiation + "/report?format=json&audience=TLP:GREEN", Token: e.viewer})
	if strings.Contains(string(report.Body), "red line answer") || !strings.Contains(string(report.Body), "a truce is the way to talks") {
		t.Errorf("audience TLP:GREEN report: %s", report.Body)
	}
}
