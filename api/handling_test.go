package api_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/parley/parley/domain"
	"github.com/parley/parley/report"
)

// markedWorld is the test world with things marked above TLP:GREEN, each
// holding the word SECRET: a TLP:RED demand with its objection, a
// TLP:AMBER objection (the only standing one) and endorsement, and a
// TLP:RED citation on the GREEN demand beside a GREEN one.
func markedWorld(t *testing.T, e *env) *world {
	w := e.world()
	e.must(http.StatusOK, req{Method: "PATCH", Path: path(domain.KindNegotiation, w.Negotiation), Token: e.editor,
		Body: map[string]any{"handling": "tlp:green"}})
	e.must(http.StatusOK, req{Method: "PATCH", Path: path(domain.KindDemand, w.Demand), Token: e.editor, Body: map[string]any{
		"citations": []map[string]any{
			{"title": "Public statement", "url": "https://example.org/public", "quote": "a ceasefire now"},
			{"title": "SECRET cable", "url": "https://example.org/secret-cable", "quote": "SECRET quote", "handling": "TLP:RED"},
		}}})
	e.must(http.StatusOK, req{Method: "PATCH", Path: path(domain.KindObjection, w.Objection), Token: e.editor,
		Body: map[string]any{"handling": "TLP:AMBER", "grounds": "SECRET grounds"}})
	red := e.create(domain.KindDemand, map[string]any{
		"negotiation_id": w.Negotiation, "party_id": w.PartyB, "topic_id": w.Topic, "title": "SECRET demand",
		"stated_on": "2025-05-16", "handling": "TLP:RED", "terms": map[string]any{"duration_days": 3},
	})["id"].(string)
	e.create(domain.KindObjection, map[string]any{"demand_id": red, "party_id": w.PartyA, "grounds": "SECRET objection", "stated_on": "2025-05-16"})
	e.create(domain.KindEndorsement, map[string]any{"demand_id": w.Demand, "party_id": w.PartyB, "stated_on": "2025-05-16",
		"note": "SECRET endorsement", "handling": "TLP:AMBER+STRICT"})
	return w
}

// reportWords is a report's text, whatever its format: the pdf through
// pdftotext, the xlsx's every part unzipped, the rest as sent.
func reportWords(t *testing.T, format string, b []byte) string {
	t.Helper()
	switch format {
	case "pdf":
		if _, err := exec.LookPath("pdftotext"); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatal("pdftotext (poppler-utils) is required in CI")
			}
			t.Skip("pdftotext not installed")
		}
		cmd := exec.Command("pdftotext", "-", "-")
		cmd.Stdin = bytes.NewReader(b)
		out, err := cmd.Output()
		if err != nil {
			t.Fatal(err)
		}
		return string(out)
	case "xlsx":
		z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			t.Fatal(err)
		}
		var all strings.Builder
		for _, f := range z.File {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			part, _ := io.ReadAll(rc)
			rc.Close()
			all.Write(part)
		}
		return all.String()
	}
	return string(b)
}

// TestAudienceLeavesOutWhatIsMarkedAbove: a report for a TLP:GREEN
// audience holds nothing marked above it in any format, and its counts
// and states are those of what remains.
func TestAudienceLeavesOutWhatIsMarkedAbove(t *testing.T) {
	e := newEnv(t)
	w := markedWorld(t, e)
	base := "/api/v1/negotiations/" + w.Negotiation + "/report?format="
	full := e.must(http.StatusOK, req{Method: "GET", Path: base + "json", Token: e.viewer})
	if !bytes.Contains(full.Body, []byte("SECRET")) || full.str("handling") != "TLP:RED" {
		t.Fatalf("the uncut report lacks the marked things or its marking is %q", full.str("handling"))
	}
	for _, format := range report.FormatNames() {
		t.Run(format, func(t *testing.T) {
			r := e.with(t).must(http.StatusOK, req{Method: "GET", Path: base + format + "&audience=TLP:GREEN", Token: e.viewer})
			text := reportWords(t, format, r.Body)
			if i := strings.Index(text, "SECRET"); i >= 0 {
				t.Errorf("%s for TLP:GREEN holds marked text: …%s…", format, text[max(0, i-80):min(len(text), i+40)])
			}
			if strings.Contains(text, "secret-cable") {
				t.Errorf("%s for TLP:GREEN holds the RED source's URL", format)
			}
			if !strings.Contains(text, "TLP:GREEN") || !strings.Contains(text, "30-day ceasefire") {
				t.Errorf("%s for TLP:GREEN lacks its marking or the GREEN demand", format)
			}
		})
	}
	r := e.must(http.StatusOK, req{Method: "GET", Path: base + "json&audience=tlp:green", Token: e.viewer})
	var rep report.Report
	if err := json.Unmarshal(r.Body, &rep); err != nil {
		t.Fatal(err)
	}
	s := rep.Summary
	if rep.Handling != "TLP:GREEN" || rep.Audience != "TLP:GREEN" || s.Demands != 1 || s.Objections != 0 || s.Endorsements != 1 || s.Sources != 1 {
		t.Errorf("cut report: handling %s, audience %s, summary %+v; want 1 demand, 1 endorsement (Turkey's), 1 source, no objection", rep.Handling, rep.Audience, s)
	}
	if len(rep.Topics) != 1 || rep.Topics[0].State == "contested" || spreadTerms(rep.Topics[0].Terms) != 0 {
		t.Errorf("cut topic = %+v; a left-out objection must not make it contested, nor a left-out demand a gap", rep.Topics)
	}
}

func TestReportOptionsAreChecked(t *testing.T) {
	e := newEnv(t)
	w := e.world()
	base := "/api/v1/negotiations/" + w.Negotiation + "/report?format=json"
	wantProblem(t, e.do(req{Method: "GET", Path: base + "&audience=TLP:PURPLE&layout=poster", Token: e.viewer}), http.StatusUnprocessableEntity, "audience", "layout")
}

// TestHandlingIsStoredAndChecked: markings are read as people type them,
// stored canonically, and anything else is named.
func TestHandlingIsStoredAndChecked(t *testing.T) {
	e := newEnv(t)
	w := e.world()
	n := e.must(http.StatusOK, req{Method: "GET", Path: path(domain.KindNegotiation, w.Negotiation), Token: e.viewer})
	if n.str("handling") != "TLP:AMBER" {
		t.Errorf("a negotiation's default marking = %q, want TLP:AMBER", n.str("handling"))
	}
	d := e.must(http.StatusOK, req{Method: "PATCH", Path: path(domain.KindDemand, w.Demand), Token: e.editor, Body: map[string]any{"handling": "amber+strict"}})
	if d.str("handling") != "TLP:AMBER+STRICT" {
		t.Errorf("handling stored as %q", d.str("handling"))
	}
	bad := e.do(req{Method: "PATCH", Path: path(domain.KindDemand, w.Demand), Token: e.editor, Body: map[string]any{
		"handling": "SECRET", "citations": []map[string]any{{"title": "x", "handling": "TLP:BLUE"}}}})
	wantProblem(t, bad, http.StatusUnprocessableEntity, "handling", "citations[0].handling")
}

// spreadTerms counts the term rows that compare two or more values.
func spreadTerms(rows []report.TermRow) int {
	n := 0
	for _, r := range rows {
		if len(r.Values) > 1 {
			n++
		}
	}
	return n
}
