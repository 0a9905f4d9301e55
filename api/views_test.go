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
			if err != nil || records != 3 || moves == 0 {
				t.Fatalf("csv: %v, %d records and %d moves, want 3 records and the moves since 2000", err, records, moves)
			}
			for _, row := range rows {
				if row[0] == "objection" && !strings.HasPrefix(row[13], "'=cmd") {
					t.Errorf("objection grounds = %q, want the formula defused", row[13])
				}
			}
		}},
		{"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", func(t *testing.T, b []byte) {
			f, err := excelize.OpenReader(bytes.NewReader(b))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if v, _ := f.GetCellValue("Matrix", "A2"); v != "Ceasefire" {
				t.Errorf("Matrix!A2 = %q, want Ceasefire", v)
			}
			if v, _ := f.GetCellValue("Objections", "I2"); !strings.HasPrefix(v, "'=cmd") {
				t.Errorf("Objections!I2 = %q, want the formula defused", v)
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
			want := `attachment; filename="parley-istanbul-talks-` + time.Now().UTC().Format("2006-01-02") + "." + tt.ext + `"`
			if cd := r.Header.Get("Content-Disposition"); cd != want {
				t.Errorf("Content-Disposition = %q, want %q", cd, want)
			}
			tt.check(t, r.Body)
		})
	}
}

// TestAsOf edits a negotiation step by step and asks, at each recorded
// instant, for the matrix and the report: each must show that instant's
// state, deleted things included while they existed.
func TestAsOf(t *testing.T) {
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

	e.must(http.StatusNoContent, req{Method: "DELETE", Path: path(domain.KindDemand, d2), Token: e.editor})
	steps = append(steps, step{tick(), "Immediate 30-day ceasefire", "agreed", 1})

	e.must(http.StatusNoContent, req{Method: "DELETE", Path: path(domain.KindDemand, w.Demand), Token: e.editor})
	steps = append(steps, step{tick(), "", "open", 0})

	for i, s := range steps {
		t.Run(s.at.Format(time.RFC3339Nano), func(t *testing.T) {
			q := url.Values{"as_of": {s.at.Format(time.RFC3339Nano)}}
			r := e.with(t).must(http.StatusOK, req{Method: "GET", Path: matrixPath(w.Negotiation, q), Token: e.viewer})
			if got := states(r)[w.Topic]; got != s.state {
				t.Errorf("step %d: state = %q, want %q", i, got, s.state)
			}
			if got, _ := r.JSON["as_of"].(string); got == "" {
				t.Errorf("step %d: as_of missing", i)
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
			if !bytes.Contains(rep.Body, []byte("**As of:** "+s.at.Format("2006-01-02 15:04 UTC"))) {
				t.Errorf("step %d: report does not say which instant it shows", i)
			}
		})
	}

	// The changes since the first instant: a create, an update and two deletes
	// of demands (the second delete taking its objection and endorsement).
	r := e.must(http.StatusOK, req{Method: "GET", Path: "/api/v1/negotiations/" + w.Negotiation + "/changes?since=" + url.QueryEscape(steps[0].at.Format(time.RFC3339Nano)), Token: e.viewer})
	var got []string
	var update map[string]any
	for _, it := range r.items() {
		got = append(got, it["action"].(string)+" "+it["resource_type"].(string))
		if it["action"] == "update" {
			update = it
		}
	}
	want := []string{"create demands", "update demands", "delete demands", "delete objections", "delete endorsements", "delete demands"}
	if !sameMultiset(got, want) || got[0] != "create demands" || got[1] != "update demands" {
		t.Errorf("changes = %v, want %v, oldest first", got, want)
	}
	if update == nil {
		t.Fatal("no update among the changes")
	}
	fields := map[string][2]any{}
	for _, c := range update["changes"].([]any) {
		m := c.(map[string]any)
		fields[m["field"].(string)] = [2]any{m["before"], m["after"]}
	}
	if len(fields) != 2 || fields["status"] != [2]any{"tabled", "agreed"} || fields["title"] != [2]any{"30-day ceasefire", "Immediate 30-day ceasefire"} {
		t.Errorf("update changes = %v, want status and title, before and after", fields)
	}
	// Changes after the last instant: none.
	r = e.must(http.StatusOK, req{Method: "GET", Path: "/api/v1/negotiations/" + w.Negotiation + "/changes?since=" + url.QueryEscape(steps[len(steps)-1].at.Format(time.RFC3339Nano)), Token: e.viewer})
	if items := r.items(); len(items) != 0 {
		t.Errorf("%d changes after the last edit, want none", len(items))
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

func sameMultiset(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	count := map[string]int{}
	for _, x := range a {
		count[x]++
	}
	for _, x := range b {
		count[x]--
	}
	for _, n := range count {
		if n != 0 {
			return false
		}
	}
	return true
}
