package report

import (
	"bytes"
	"strings"
	"testing"
)

// TestReportThreadsRebuttals: the fixture's rebuttal follows its
// objection in markdown, its source is among the sources, and the brief
// says who answered a standing objection.
func TestReportThreadsRebuttals(t *testing.T) {
	r := fixtureReport()
	md := string(render(t, "markdown", r))
	objection := strings.Index(md, "- Objection by **Russia**")
	answer := strings.Index(md, "  - Answered by **Ukraine** on 2025-05-16: A truce \\<i\\>stops\\</i\\> the killing")
	if objection < 0 || answer < objection {
		t.Errorf("markdown does not put the answer (%d) under the objection (%d)", answer, objection)
	}
	found := false
	for _, s := range r.Sources {
		found = found || s.URL == "https://example.org/kyiv-answers"
	}
	if !found || !strings.Contains(md, "https://example.org/kyiv-answers") {
		t.Error("the rebuttal's source is not among the report's sources")
	}
	var brief bytes.Buffer
	if err := RenderLayout(&brief, "markdown", "brief", r); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(brief.String(), "answered by Ukraine") {
		t.Errorf("the brief does not say who answered the standing objection:\n%s", brief.String())
	}
}
