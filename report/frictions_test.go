package report

import (
	"os"
	"strings"
	"testing"

	"github.com/parley/parley/domain"
)

// renderedText renders r in format and returns what a reader finds in it,
// skipping the pdf where pdftotext is missing outside CI.
func renderedText(t *testing.T, format string, r *domain.Report) string {
	t.Helper()
	text := reportText(t, format, render(t, format, r))
	if text == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("pdftotext (poppler-utils) is required in CI")
		}
		t.Skip("pdftotext not installed")
	}
	return text
}

// TestNamesAndTitlesStayApart: every format names a delegation's head and
// members "Name, title", so a title never runs into the name and a title
// holding brackets is never nested in more.
func TestNamesAndTitlesStayApart(t *testing.T) {
	s := fixtureSnapshot()
	for _, d := range s.Delegations {
		if d.PartyID == id(5) || d.PartyID == id(2) {
			d.HeadName, d.HeadTitle = "Steve Witkoff", "Special Envoy designate (Trump)"
			d.Members = []domain.Member{{Name: "Steve Witkoff", Title: "Special Envoy designate (Trump)"}, {Name: "Mohammed Al-Khulaifi", Title: "Minister of State at the MFA"}}
		}
	}
	r := domain.BuildReport(s, nil, fixtureGenerated)
	for _, format := range []string{"markdown", "html", "pdf", "xlsx", "json"} {
		t.Run(format, func(t *testing.T) {
			text := renderedText(t, format, r)
			for _, want := range []string{"Steve Witkoff, Special Envoy designate (Trump)", "Mohammed Al-Khulaifi, Minister of State at the MFA"} {
				if !strings.Contains(text, want) && format != "json" {
					t.Errorf("%s lacks %q", format, want)
				}
			}
			for _, bad := range []string{"(Special Envoy designate (Trump))", "Special Envoy designate (Trump) Steve Witkoff", "Minister of State at the MFA Mohammed"} {
				if strings.Contains(text, bad) {
					t.Errorf("%s runs a title into a name or nests brackets: %q", format, bad)
				}
			}
		})
	}
}
