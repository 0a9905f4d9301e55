package api_test

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/parley/parley/domain"
)

// termAt reads the duration term of the world's demand in the matrix at a
// query; -1 when the demand is not shown.
func termAt(t *testing.T, e *env, w *world, q url.Values) float64 {
	t.Helper()
	r := e.must(http.StatusOK, req{Method: "GET", Path: matrixPath(w.Negotiation, q), Token: e.viewer})
	for _, c := range r.JSON["cells"].([]any) {
		for _, d := range c.(map[string]any)["demands"].([]any) {
			dm := d.(map[string]any)
			if dm["id"] == w.Demand {
				return dm["terms"].(map[string]any)["duration_days"].(float64)
			}
		}
	}
	return -1
}

// TestDatedMoves records moves after the fact through the API: a move
// learned later is inserted at its date, with its note and source, and
// every dated view answers from negotiation time.
func TestDatedMoves(t *testing.T) {
	e := newEnv(t)
	w := e.world()
	r2 := e.create(domain.KindRound, map[string]any{"negotiation_id": w.Negotiation, "title": "Round 2", "starts_on": "2025-06-02", "ends_on": "2025-06-03"})["id"].(string)
	r3 := e.create(domain.KindRound, map[string]any{"negotiation_id": w.Negotiation, "title": "Round 3", "starts_on": "2025-07-01"})["id"].(string)

	// Round 3 first: 30 → 60 days.
	moved := e.must(http.StatusOK, req{Method: "PATCH", Path: path(domain.KindDemand, w.Demand), Token: e.editor,
		Body: map[string]any{"terms": map[string]any{"duration_days": 60}, "effective_on": "2025-07-01"}})
	if moved.str("effective_at") != "2025-07-01T00:00:00Z" {
		t.Errorf("effective_at = %q after the round-3 move", moved.str("effective_at"))
	}
	// Learned last: round 2 had already moved it to 45.
	late := e.must(http.StatusOK, req{Method: "PATCH", Path: path(domain.KindDemand, w.Demand), Token: e.editor,
		Headers: map[string]string{"If-Match": `"2"`},
		Body: map[string]any{"terms": map[string]any{"duration_days": 45}, "effective_on": "2025-06-03T15:00:00+02:00",
			"change_note":      "softened under US pressure",
			"change_citations": []map[string]any{{"title": "Read-out of round 2", "url": "https://example.org/r2", "quote": "45 days"}}}})
	// The current state is round 3's; the version counts the late move.
	if late.JSON["version"] != 3.0 || late.str("effective_at") != "2025-07-01T00:00:00Z" || late.JSON["terms"].(map[string]any)["duration_days"] != 60.0 {
		t.Errorf("after the late move: %s", late.Body)
	}
	for _, tc := range []struct {
		name string
		q    url.Values
		want float64
	}{
		{"now", nil, 60},
		{"as of the round's day: a date means its end", url.Values{"as_of": {"2025-05-16"}}, 30},
		{"the day before round 2", url.Values{"as_of": {"2025-06-02"}}, 30},
		{"the end of round 2", url.Values{"as_of_round": {r2}}, 45},
		{"the end of round 3", url.Values{"as_of_round": {r3}}, 60},
		{"before the demand was stated, with a round of 16 May", url.Values{"as_of": {"2025-05-16T00:00:00Z"}}, 30},
		{"round 2 as recorded before the late move", url.Values{"as_of_round": {r2}, "recorded_as_of": {moved.str("updated_at")}}, 30},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := termAt(t, e.with(t), w, tc.q); got != tc.want {
				t.Errorf("duration = %v, want %v", got, tc.want)
			}
		})
	}

	// Before anything in the negotiation took effect, it is not there.
	wantProblem(t, e.do(req{Method: "GET", Path: matrixPath(w.Negotiation, url.Values{"as_of": {"2025-05-15"}}), Token: e.viewer}), http.StatusNotFound)

	hist := e.must(http.StatusOK, req{Method: "GET", Path: path(domain.KindDemand, w.Demand) + "/history", Token: e.viewer}).items()
	last := hist[len(hist)-1]
	if last["effective_at"] != "2025-06-03T13:00:00Z" || last["change_note"] != "softened under US pressure" || last["at"] == last["effective_at"] {
		t.Errorf("late revision: %v", last)
	}
	if cits, _ := last["change_citations"].([]any); len(cits) != 1 || cits[0].(map[string]any)["quote"] != "45 days" {
		t.Errorf("late revision's sources: %v", last["change_citations"])
	}
	if hist[0]["effective_at"] != "2025-05-16T00:00:00Z" {
		t.Errorf("the create took effect %v, want its stated_on", hist[0]["effective_at"])
	}

	// A create may be dated too.
	early := e.create(domain.KindDemand, map[string]any{"negotiation_id": w.Negotiation, "party_id": w.PartyA, "topic_id": w.Topic,
		"title": "Ceasefire first", "stated_on": "2025-05-16", "effective_on": "2025-04-20", "change_note": "called for weeks before Istanbul"})
	if early["effective_at"] != "2025-04-20T00:00:00Z" {
		t.Errorf("dated create: effective_at %v", early["effective_at"])
	}

	changes := e.must(http.StatusOK, req{Method: "GET", Path: "/api/v1/negotiations/" + w.Negotiation + "/changes?since=2025-06-01&until=2025-06-30", Token: e.viewer}).items()
	if len(changes) != 2 || changes[0]["resource_type"] != "rounds" || changes[1]["effective_at"] != "2025-06-03T13:00:00Z" {
		t.Errorf("changes of June: %v", changes)
	}
}

// TestDatingBadInput: a bad dating field or moment is a 422 naming it, and
// nothing is written.
func TestDatingBadInput(t *testing.T) {
	e := newEnv(t)
	w := e.world()
	other := e.create(domain.KindNegotiation, w.valid(domain.KindNegotiation))["id"].(string)
	otherRound := e.create(domain.KindRound, map[string]any{"negotiation_id": other, "title": "Elsewhere", "starts_on": "2025-06-01"})["id"].(string)
	tomorrowPlus := time.Now().UTC().AddDate(0, 0, 3).Format(domain.DateLayout)
	before := e.must(http.StatusOK, req{Method: "GET", Path: path(domain.KindDemand, w.Demand), Token: e.viewer}).Body

	writes := []struct {
		name   string
		method string
		path   string
		body   map[string]any
		fields []string
	}{
		{"not a date", "PATCH", path(domain.KindDemand, w.Demand), map[string]any{"title": "x", "effective_on": "16/05/2025"}, []string{"effective_on"}},
		{"in the future", "PATCH", path(domain.KindDemand, w.Demand), map[string]any{"title": "x", "effective_on": tomorrowPlus}, []string{"effective_on"}},
		{"before the demand took effect", "PATCH", path(domain.KindDemand, w.Demand), map[string]any{"title": "x", "effective_on": "2020-01-01"}, []string{"effective_on"}},
		{"wrong types", "PATCH", path(domain.KindDemand, w.Demand), map[string]any{"effective_on": 20250516, "change_note": true, "change_citations": "x"},
			[]string{"effective_on", "change_note", "change_citations"}},
		{"a bad source beside a bad field", "PATCH", path(domain.KindDemand, w.Demand),
			map[string]any{"status": "nope", "change_citations": []map[string]any{{"url": "javascript:alert(1)"}}}, []string{"status", "change_citations[0].url"}},
		{"create in the future", "POST", "/api/v1/demands", map[string]any{"negotiation_id": w.Negotiation, "party_id": w.PartyA, "topic_id": w.Topic,
			"title": "later", "stated_on": "2025-05-16", "effective_on": tomorrowPlus}, []string{"effective_on"}},
		{"create with a bad field beside", "POST", "/api/v1/demands", map[string]any{"negotiation_id": w.Negotiation, "party_id": w.PartyA, "topic_id": w.Topic,
			"title": "later", "stated_on": "May", "effective_on": "soon"}, []string{"effective_on", "stated_on"}},
	}
	for _, tc := range writes {
		t.Run(tc.name, func(t *testing.T) {
			r := e.with(t).do(req{Method: tc.method, Path: tc.path, Token: e.editor, Body: tc.body})
			wantProblem(t, r, http.StatusUnprocessableEntity, tc.fields...)
		})
	}
	after := e.must(http.StatusOK, req{Method: "GET", Path: path(domain.KindDemand, w.Demand), Token: e.viewer}).Body
	if string(after) != string(before) {
		t.Errorf("refused writes changed the demand:\n%s\n%s", before, after)
	}

	reads := []struct {
		name   string
		path   string
		fields []string
	}{
		{"as_of_round of another negotiation", matrixPath(w.Negotiation, url.Values{"as_of_round": {otherRound}}), []string{"as_of_round"}},
		{"as_of_round that is no id", matrixPath(w.Negotiation, url.Values{"as_of_round": {"round 2"}}), []string{"as_of_round"}},
		{"as_of and as_of_round", matrixPath(w.Negotiation, url.Values{"as_of_round": {w.Round}, "as_of": {"2025-05-16"}}), []string{"as_of_round"}},
		{"bad recorded_as_of", matrixPath(w.Negotiation, url.Values{"recorded_as_of": {"yesterday"}}), []string{"recorded_as_of"}},
		{"report with a bad round", "/api/v1/negotiations/" + w.Negotiation + "/report?format=json&as_of_round=" + newID(), []string{"as_of_round"}},
		{"changes until before since", "/api/v1/negotiations/" + w.Negotiation + "/changes?since=2025-06-01&until=2025-05-01", []string{"until"}},
		{"changes with a bad cursor and limit", "/api/v1/negotiations/" + w.Negotiation + "/changes?since=2025-06-01&cursor=zz&limit=501", []string{"cursor", "limit"}},
	}
	for _, tc := range reads {
		t.Run(tc.name, func(t *testing.T) {
			wantProblem(t, e.with(t).do(req{Method: "GET", Path: tc.path, Token: e.viewer}), http.StatusUnprocessableEntity, tc.fields...)
		})
	}
}

// TestChangesPaged walks the changes view page by page.
func TestChangesPaged(t *testing.T) {
	e := newEnv(t)
	w := e.world()
	for i := 0; i < 5; i++ {
		e.create(domain.KindDemand, w.valid(domain.KindDemand))
	}
	base := "/api/v1/negotiations/" + w.Negotiation + "/changes?since=2000-01-01&limit=3"
	seen := map[string]bool{}
	cursor := ""
	pages := 0
	for {
		p := base
		if cursor != "" {
			p += "&cursor=" + url.QueryEscape(cursor)
		}
		r := e.must(http.StatusOK, req{Method: "GET", Path: p, Token: e.viewer})
		items := r.items()
		if len(items) > 3 {
			t.Fatalf("page of %d items", len(items))
		}
		for _, it := range items {
			key := it["resource_id"].(string) + "/" + it["at"].(string)
			if seen[key] {
				t.Fatalf("item %s on two pages", key)
			}
			seen[key] = true
		}
		pages++
		next, _ := r.JSON["next_cursor"].(string)
		if next == "" {
			if _, ok := r.JSON["next_cursor"]; !ok {
				t.Error("the last page lacks next_cursor: null")
			}
			break
		}
		cursor = next
	}
	// The world's nine resources less its party, and five demands.
	if want := 8 + 5; len(seen) != want || pages != 5 {
		t.Errorf("%d changes on %d pages, want %d on 5", len(seen), pages, want)
	}
}
