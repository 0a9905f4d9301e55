package api_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/parley/parley/domain"
	"github.com/parley/parley/report"
)

// TestReportThreadsRebuttals: every format prints the thread demand →
// objection → rebuttal and lists the rebuttal's source; for a TLP:GREEN
// audience a TLP:RED rebuttal's grounds and source appear in none.
func TestReportThreadsRebuttals(t *testing.T) {
	e := newEnv(t)
	w := e.world()
	e.must(http.StatusOK, req{Method: "PATCH", Path: path(domain.KindNegotiation, w.Negotiation), Token: e.editor,
		Body: map[string]any{"handling": "TLP:GREEN"}})
	e.create(domain.KindRebuttal, map[string]any{"objection_id": w.Objection, "party_id": w.PartyC, "grounds": "REDANSWER only for the room",
		"stated_on": "2025-05-17", "handling": "TLP:RED",
		"citations": []map[string]any{{"title": "Host's note", "url": "https://example.org/red-answer", "reliability": "C", "credibility": 3}}})
	base := "/api/v1/negotiations/" + w.Negotiation + "/report?format="
	for _, format := range report.FormatNames() {
		t.Run(format, func(t *testing.T) {
			e := e.with(t)
			full := reportWords(t, format, e.must(http.StatusOK, req{Method: "GET", Path: base + format, Token: e.viewer}).Body)
			for _, want := range []string{"would let Ukraine rest its forces", "a truce is the way to talks", "REDANSWER", "example.org/red-answer"} {
				if !strings.Contains(full, want) {
					t.Errorf("%s lacks %q", format, want)
				}
			}
			cut := reportWords(t, format, e.must(http.StatusOK, req{Method: "GET", Path: base + format + "&audience=TLP:GREEN", Token: e.viewer}).Body)
			if strings.Contains(cut, "REDANSWER") || strings.Contains(cut, "red-answer") {
				t.Errorf("%s for TLP:GREEN holds the TLP:RED rebuttal", format)
			}
			if !strings.Contains(cut, "a truce is the way to talks") {
				t.Errorf("%s for TLP:GREEN lost the GREEN rebuttal", format)
			}
		})
	}
	md := string(e.must(http.StatusOK, req{Method: "GET", Path: base + "markdown", Token: e.viewer}).Body)
	objection := strings.Index(md, "would let Ukraine rest its forces")
	answer := strings.Index(md, "  - Answered by **Ukraine** on 2025-05-16: a truce is the way to talks")
	demand := strings.Index(md, "30-day ceasefire")
	if demand < 0 || objection < demand || answer < objection {
		t.Errorf("markdown does not thread demand (%d) → objection (%d) → rebuttal (%d):\n%s", demand, objection, answer, md)
	}
}
