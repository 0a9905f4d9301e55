package api_test

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/parley/parley/domain"
)

func matrixPath(id string, q url.Values) string {
	return "/api/v1/negotiations/" + id + "/matrix?" + q.Encode()
}

// states reads topic_id -> state from a matrix response.
func states(r *resp) map[string]string {
	out := map[string]string{}
	raw, _ := r.JSON["topic_summaries"].([]any)
	for _, x := range raw {
		m, _ := x.(map[string]any)
		out[m["topic_id"].(string)], _ = m["state"].(string)
	}
	return out
}

func TestMatrix(t *testing.T) {
	e := newEnv(t)
	w := e.world()
	e.create(domain.KindEndorsement, map[string]any{"demand_id": w.Demand, "party_id": w.PartyB, "stated_on": "2025-05-17"})

	tests := []struct {
		name      string
		query     url.Values
		wantCols  []string
		wantState string
	}{
		{"all participants", url.Values{}, []string{w.PartyA, w.PartyB, w.PartyC}, "contested"},
		{"narrowed to two, in the order asked", url.Values{"party_id": {w.PartyB, w.PartyA}}, []string{w.PartyB, w.PartyA}, "contested"},
		{"upper-case ids are the same ids", url.Values{"party_id": {strings.ToUpper(w.PartyC)}}, []string{w.PartyC}, "contested"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.with(t).must(http.StatusOK, req{Method: "GET", Path: matrixPath(w.Negotiation, tt.query), Token: e.viewer})
			var cols []string
			for _, p := range r.JSON["parties"].([]any) {
				cols = append(cols, p.(map[string]any)["id"].(string))
			}
			if strings.Join(cols, ",") != strings.Join(tt.wantCols, ",") {
				t.Errorf("columns = %v, want %v", cols, tt.wantCols)
			}
			if got := states(r)[w.Topic]; got != tt.wantState {
				t.Errorf("state = %q, want %q", got, tt.wantState)
			}
			cells := r.JSON["cells"].([]any)
			if len(cells) != len(tt.wantCols) {
				t.Fatalf("%d cells, want %d", len(cells), len(tt.wantCols))
			}
			if r.JSON["as_of"] != nil {
				t.Errorf("as_of = %v, want null", r.JSON["as_of"])
			}
		})
	}

	// The objection resolved, both principals backing the demand: convergent.
	e.must(http.StatusOK, req{Method: "PATCH", Path: path(domain.KindObjection, w.Objection), Token: e.editor, Body: map[string]any{"status": "resolved"}})
	r := e.must(http.StatusOK, req{Method: "GET", Path: matrixPath(w.Negotiation, nil), Token: e.viewer})
	if got := states(r)[w.Topic]; got != "convergent" {
		t.Errorf("state after resolving the objection = %q, want convergent", got)
	}
	cell := r.JSON["cells"].([]any)[0].(map[string]any)
	if cell["party_id"] != w.PartyA || len(cell["demands"].([]any)) != 1 {
		t.Errorf("Ukraine's cell = %v", cell)
	}
}

func TestViewsBadInput(t *testing.T) {
	e := newEnv(t)
	w := e.world()
	outsider := e.create(domain.KindParty, map[string]any{"name": "Outsider"})["id"].(string)
	n := "/api/v1/negotiations/" + w.Negotiation
	tests := []struct {
		name   string
		path   string
		status int
		fields []string
	}{
		{"matrix: as_of not a time", n + "/matrix?as_of=yesterday", 422, []string{"as_of"}},
		{"matrix: party_id not a uuid", n + "/matrix?party_id=ukraine", 422, []string{"party_id"}},
		{"matrix: party_id not a participant", n + "/matrix?party_id=" + outsider, 422, []string{"party_id"}},
		{"matrix: unknown negotiation", "/api/v1/negotiations/" + newID() + "/matrix", 404, nil},
		{"matrix: id not a uuid", "/api/v1/negotiations/nope/matrix", 404, nil},
		{"matrix: negotiation did not exist yet", n + "/matrix?as_of=2001-01-01", 404, nil},
		{"report: format missing", n + "/report", 422, []string{"format"}},
		{"report: unknown format", n + "/report?format=docx", 422, []string{"format"}},
		{"report: every bad parameter at once", n + "/report?format=doc&as_of=x&since=y", 422, []string{"format", "as_of", "since"}},
		{"report: unknown negotiation", "/api/v1/negotiations/" + newID() + "/report?format=json", 404, nil},
		{"report: unknown layout", n + "/report?format=pdf&layout=poster", 422, []string{"layout"}},
		{"report: a brief in a format without one", n + "/report?format=csv&layout=brief", 422, []string{"layout"}},
		{"report: bad layout and format at once", n + "/report?format=doc&layout=poster", 422, []string{"format", "layout"}},
		{"changes: since missing", n + "/changes", 422, []string{"since"}},
		{"changes: since not a time", n + "/changes?since=2025-13-45", 422, []string{"since"}},
		{"changes: unknown negotiation", "/api/v1/negotiations/" + newID() + "/changes?since=2025-01-01", 404, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantProblem(t, e.with(t).do(req{Method: "GET", Path: tt.path, Token: e.viewer}), tt.status, tt.fields...)
		})
	}
	for _, p := range []string{n + "/matrix", n + "/report?format=json", n + "/changes?since=2025-01-01"} {
		if r := e.do(req{Method: "GET", Path: p}); r.Code != http.StatusUnauthorized {
			t.Errorf("GET %s without a token: %d, want 401", p, r.Code)
		}
	}
}

// TestReportBrief: layout=brief sends the two-page brief in markdown,
// html and pdf, named as a brief.
func TestReportBrief(t *testing.T) {
	e := newEnv(t)
	w := e.world()
	for _, format := range []string{"markdown", "html", "pdf"} {
		r := e.must(http.StatusOK, req{Method: "GET", Path: "/api/v1/negotiations/" + w.Negotiation + "/report?layout=brief&since=2000-01-01&format=" + format, Token: e.viewer})
		if cd := r.Header.Get("Content-Disposition"); !strings.Contains(cd, "-brief-as-of-") {
			t.Errorf("%s: Content-Disposition %q does not name a brief", format, cd)
		}
		b := r.Body
		if format != "pdf" && !bytes.Contains(b, []byte("Standing objections that block agreement")) {
			t.Errorf("%s: not a brief: %s", format, b)
		}
		if format == "pdf" && !bytes.HasPrefix(b, []byte("%PDF-")) {
			t.Errorf("not a PDF")
		}
	}
}

func TestReportFormats(t *testing.T) {
	e := newEnv(t)
	w := e.world()
	e.must(http.StatusOK, req{Method: "PATCH", Path: path(domain.KindObjection, w.Objection), Token: e.editor,
		Body: map[string]any{"grounds": "=cmd|' /C calc'!A0 <script>alert(1)</script>"}})
	base := "/api/v1/negotiations/" + w.Negotiation + "/report?since=2000-01-01&format="
	tests := []struct {
		format, ctype, ext string
		check              func(t *testing.T, body []byte)
	}{
		{"markdown", "text/markdown; charset=utf-8", "md", func(t *testing.T, b []byte) {
			if !bytes.Contains(b, []byte("# Istanbul talks: negotiation status report")) || !bytes.Contains(b, []byte("Dolmabahçe round")) {
				t.Errorf("markdown lacks the title or the round: %s", b)
			}
		}},
		{"html", "text/html; charset=utf-8", "html", func(t *testing.T, b []byte) {
			if bytes.Contains(b, []byte("<script>alert")) || !bytes.Contains(b, []byte("&lt;script&gt;alert(1)&lt;/script&gt;")) {
				t.Error("html does not escape what a user typed")
			}
		}},
		{"pdf", "application/pdf", "pdf", func(t *testing.T, b []byte) {
			if !bytes.HasPrefix(b, []byte("%PDF-")) {
				t.Errorf("not a PDF: %q", b[:min(8, len(b))])
			}
		}},
		{"csv", "text/csv; charset=utf-8", "csv", func(t *testing.T, b []byte) {
			rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\ufeff")))).ReadAll()
			records, moves := 0, 0
			for _, row := range rows[1:] {
				if row[0] == "move" {
					moves++
				} else {
					records++
				}
			}
			// The world's demand, objection, rebuttal and endorsement.
			if err != nil || records != 4 || moves == 0 {
				t.Fatalf("csv: %v, %d records and %d moves, want 4 records and the moves since 2000", err, records, moves)
			}
			for _, row := range rows {
				if row[0] == "objection" && !strings.HasPrefix(row[12], "'=cmd") {
					t.Errorf("objection grounds = %q, want the formula defused", row[12])
				}
			}
		}},
		{"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", func(t *testing.T, b []byte) {
			f, err := excelize.OpenReader(bytes.NewReader(b))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if v, _ := f.GetCellValue("Matrix", "A3"); v != "Ceasefire" {
				t.Errorf("Matrix!A3 = %q, want Ceasefire", v)
			}
			if v, _ := f.GetCellValue("Objections", "I2"); !strings.HasPrefix(v, "=cmd") {
				t.Errorf("Objections!I2 = %q, want the text as typed", v)
			}
			if formula, _ := f.GetCellFormula("Objections", "I2"); formula != "" {
				t.Errorf("Objections!I2 holds a formula %q", formula)
			}
		}},
		{"json", "application/json", "json", func(t *testing.T, b []byte) {
			if !bytes.Contains(b, []byte(`"state": "contested"`)) || !bytes.Contains(b, []byte(`"kind": "added"`)) {
				t.Errorf("json report lacks the state or the changes: %s", b)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.format, func(t *testing.T) {
			r := e.with(t).must(http.StatusOK, req{Method: "GET", Path: base + tt.format, Token: e.viewer})
			if ct := r.Header.Get("Content-Type"); ct != tt.ctype {
				t.Errorf("Content-Type = %q, want %q", ct, tt.ctype)
			}
			want := `attachment; filename="parley-istanbul-talks-as-of-` + time.Now().UTC().Format("2006-01-02") + "." + tt.ext + `"`
			if cd := r.Header.Get("Content-Disposition"); cd != want {
				t.Errorf("Content-Disposition = %q, want %q", cd, want)
			}
			tt.check(t, r.Body)
		})
	}
}

// TestRecordedAsOf edits a negotiation step by step and asks, at each
// recorded instant, for the matrix and the report as recorded then: each
// must show what the database held at that instant, deleted things
// included until they were deleted.
func TestRecordedAsOf(t *testing.T) {
	e := newEnv(t)
	w := e.world()
	tick := func() time.Time {
		// Revisions are stamped with the store's clock to the microsecond;
		// a pause keeps the instants between edits distinct.
		time.Sleep(5 * time.Millisecond)
		at := time.Now().UTC()
		time.Sleep(5 * time.Millisecond)
		return at
	}
	type step struct {
		at        time.Time
		title     string // the demand's title then, "" when it did not exist
		state     string
		demandsUA int
	}
	var steps []step
	steps = append(steps, step{tick(), "30-day ceasefire", "contested", 1})

	d2 := e.create(domain.KindDemand, map[string]any{"negotiation_id": w.Negotiation, "party_id": w.PartyA, "topic_id": w.Topic,
		"title": "Return of children", "stated_on": "2025-05-16"})["id"].(string)
	steps = append(steps, step{tick(), "30-day ceasefire", "contested", 2})

	e.must(http.StatusOK, req{Method: "PATCH", Path: path(domain.KindDemand, w.Demand), Token: e.editor,
		Body: map[string]any{"title": "Immediate 30-day ceasefire", "status": "agreed"}})
	steps = append(steps, step{tick(), "Immediate 30-day ceasefire", "contested", 2})
	checkChangesSince(t, e, w.Negotiation, steps[0].at)

	e.must(http.StatusNoContent, req{Method: "DELETE", Path: path(domain.KindDemand, d2), Token: e.editor})
	steps = append(steps, step{tick(), "Immediate 30-day ceasefire", "agreed", 1})

	e.must(http.StatusNoContent, req{Method: "DELETE", Path: path(domain.KindDemand, w.Demand), Token: e.editor})
	steps = append(steps, step{tick(), "", "open", 0})

	for i, s := range steps {
		t.Run(s.at.Format(time.RFC3339Nano), func(t *testing.T) {
			q := url.Values{"recorded_as_of": {s.at.Format(time.RFC3339Nano)}}
			r := e.with(t).must(http.StatusOK, req{Method: "GET", Path: matrixPath(w.Negotiation, q), Token: e.viewer})
			if got := states(r)[w.Topic]; got != s.state {
				t.Errorf("step %d: state = %q, want %q", i, got, s.state)
			}
			if got, _ := r.JSON["recorded_as_of"].(string); got == "" {
				t.Errorf("step %d: recorded_as_of missing", i)
			}
			ua := r.JSON["cells"].([]any)[0].(map[string]any)
			demands := ua["demands"].([]any)
			if len(demands) != s.demandsUA {
				t.Fatalf("step %d: Ukraine has %d demands, want %d", i, len(demands), s.demandsUA)
			}
			var titles []string
			for _, d := range demands {
				titles = append(titles, d.(map[string]any)["title"].(string))
			}
			if s.title != "" && !contains(titles, s.title) {
				t.Errorf("step %d: demands %v lack %q", i, titles, s.title)
			}
			rep := e.with(t).must(http.StatusOK, req{Method: "GET", Path: "/api/v1/negotiations/" + w.Negotiation + "/report?format=markdown&" + q.Encode(), Token: e.viewer})
			if s.title != "" && !bytes.Contains(rep.Body, []byte(s.title)) {
				t.Errorf("step %d: report as of then lacks %q", i, s.title)
			}
		})
	}
	// Everything the steps touched was deleted in the end: recorded in
	// error, none of it took effect at any time.
	r := e.must(http.StatusOK, req{Method: "GET", Path: "/api/v1/negotiations/" + w.Negotiation + "/changes?since=2000-01-01", Token: e.viewer})
	for _, it := range r.items() {
		if it["resource_type"] == string(domain.KindDemand) {
			t.Errorf("a deleted demand's revision is among the changes: %v", it)
		}
	}
}

// checkChangesSince checks the changes after the first step of
// TestRecordedAsOf: the demand's move, taking effect now, and not the
// second demand's create, which took effect on its stated_on long before.
func checkChangesSince(t *testing.T, e *env, negotiation string, since time.Time) {
	t.Helper()
	r := e.must(http.StatusOK, req{Method: "GET", Path: "/api/v1/negotiations/" + negotiation + "/changes?since=" + url.QueryEscape(since.Format(time.RFC3339Nano)), Token: e.viewer})
	items := r.items()
	if len(items) != 1 || items[0]["action"] != "update" || items[0]["resource_type"] != string(domain.KindDemand) {
		t.Fatalf("changes since the first step = %v, want the demand's update alone", items)
	}
	fields := map[string][2]any{}
	for _, c := range items[0]["changes"].([]any) {
		m := c.(map[string]any)
		fields[m["field"].(string)] = [2]any{m["before"], m["after"]}
	}
	if len(fields) != 2 || fields["status"] != [2]any{"tabled", "agreed"} || fields["title"] != [2]any{"30-day ceasefire", "Immediate 30-day ceasefire"} {
		t.Errorf("update changes = %v, want status and title, before and after", fields)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
