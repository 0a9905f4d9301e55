package report

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/parley/parley/domain"
)

// markup is an html tag, which a reader does not see.
var markup = regexp.MustCompile(`<[^>]*>`)

// renderedText renders r in format and returns what a reader finds in it
// (for html, without its tags), skipping the pdf where pdftotext is
// missing outside CI.
func renderedText(t *testing.T, format string, r *Report) string {
	t.Helper()
	out := render(t, format, r)
	if format == "html" {
		out = markup.ReplaceAll(out, nil)
	}
	text := reportText(t, format, out)
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
	r := Build(s, nil, fixtureGenerated)
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

// TestTermsKeepTheirOrderAndOneLabel: a demand's terms are listed in the
// order the analyst gave them, the gaps in the order the terms were first
// stated, and a term is named alike in the terms and the gap lines
// ("phase1 days", never "phase1_days" beside "Phase1 Days").
func TestTermsKeepTheirOrderAndOneLabel(t *testing.T) {
	s := fixtureSnapshot()
	for _, d := range s.Demands {
		switch d.ID {
		case id(30): // Ukraine
			d.Terms = map[string]any{"phase1_days": 42.0, "hostages_released": 33.0, "buffer_zone_m": 700.0}
			d.TermOrder = []string{"phase1_days", "hostages_released", "buffer_zone_m"}
		case id(31): // the United States
			d.Terms = map[string]any{"phase1_days": 60.0, "buffer_zone_m": 1500.0}
			d.TermOrder = []string{"buffer_zone_m", "phase1_days"}
		}
	}
	// The topic defines the two compared terms, in the order first stated;
	// hostages_released stays a free term.
	for _, tp := range s.Topics {
		if tp.Title == "Ceasefire" {
			tp.TermDefinitions = []domain.TermDefinition{{Key: "phase1_days", Type: domain.TermTypeNumber}, {Key: "buffer_zone_m", Label: "buffer zone", Type: domain.TermTypeNumber, Unit: "m"}}
		}
	}
	r := Build(s, nil, fixtureGenerated)
	t.Run("csv columns", func(t *testing.T) {
		// The csv gives each term a column, in the order first stated.
		text := string(render(t, "csv", r))
		if !strings.Contains(text, "term:phase1_days,term:hostages_released,term:buffer_zone_m") {
			header, _, _ := strings.Cut(text, "\r")
			t.Errorf("csv header lacks the term columns in their order: %q", header)
		}
	})
	for _, format := range []string{"markdown", "html", "pdf", "xlsx"} {
		t.Run(format, func(t *testing.T) {
			text := renderedText(t, format, r)
			for _, want := range []string{
				"phase1 days = 42; hostages released = 33; buffer zone = 700 m",
				"buffer zone = 1,500 m; phase1 days = 60",
			} {
				if !strings.Contains(text, want) {
					t.Errorf("%s lacks the terms in their order, %q", format, want)
				}
			}
			if format != "xlsx" {
				phase, zone := strings.Index(text, "Ukraine 42, United States 60"), strings.Index(text, "Ukraine 700 m, United States 1,500 m")
				if phase < 0 || zone < 0 || zone < phase {
					t.Errorf("%s: the gaps are not in the order the terms were first stated (phase1 days at %d, buffer zone at %d)", format, phase, zone)
				}
			}
			if strings.Contains(text, "phase1_days") || strings.Contains(strings.ToLower(text), "phase1 days") && strings.Contains(text, "Phase1 Days") {
				t.Errorf("%s names the term two ways", format)
			}
		})
	}
}

// TestPastObjectionsReadAsPast: an objection resolved or withdrawn is
// introduced in the past and without "standing", in every format, so it
// is not read as a live obstacle; a standing one reads as before.
func TestPastObjectionsReadAsPast(t *testing.T) {
	s := fixtureSnapshot()
	s.Objections = append(s.Objections, &domain.Objection{Meta: domain.Meta{ID: id(51), Version: 2}, DemandID: id(30), PartyID: id(4),
		Grounds: "Türkiye asked for monitors first", Type: "condition", State: "resolved", StatedOn: "2025-05-16", Citations: []domain.Citation{}})
	r := Build(s, nil, fixtureGenerated)
	for _, format := range []string{"markdown", "html", "pdf", "xlsx"} {
		t.Run(format, func(t *testing.T) {
			text := renderedText(t, format, r)
			past, standing := "Resolved objection by Türkiye (condition) on 2025-05-16", "Objection by Russia (rejection, standing)"
			if format == "xlsx" {
				past, standing = "– resolved: objected to Ukraine", "× objects to Ukraine"
			}
			for _, want := range []string{past, standing} {
				if !strings.Contains(strings.ReplaceAll(text, "*", ""), want) {
					t.Errorf("%s lacks %q", format, want)
				}
			}
			if strings.Contains(text, "condition, resolved") {
				t.Errorf("%s still reads the resolved objection like a live one", format)
			}
		})
	}
	md := string(render(t, "markdown", r))
	if !strings.Contains(md, "~~Türkiye asked for monitors first~~") {
		t.Error("markdown does not strike the resolved objection's grounds through")
	}
	if html := string(render(t, "html", r)); !strings.Contains(html, `<li class="past">Resolved objection by`) {
		t.Error("html does not set the resolved objection apart")
	}
}

// TestLongQuotesFoldInCells: a quote of thousands of characters is
// shortened in the csv's and the xlsx's citation cells, saying so, and
// kept whole in the reports meant to be read through.
func TestLongQuotesFoldInCells(t *testing.T) {
	s := fixtureSnapshot()
	long := strings.TrimSpace(strings.Repeat("The delegation restated that any ceasefire must come with guarantees. ", 70))
	s.Demands[0].Citations = []domain.Citation{{Publisher: "Reuters", Title: "Full statement", URL: "https://example.org/statement", Quote: long}}
	r := Build(s, nil, fixtureGenerated)
	for _, format := range []string{"csv", "xlsx"} {
		text := renderedText(t, format, r)
		if strings.Contains(text, long) || !strings.Contains(text, "(shortened from 700 words; the markdown, html, pdf and json reports quote it whole)") {
			t.Errorf("%s does not shorten the long quote, saying so", format)
		}
	}
	for _, format := range []string{"markdown", "html", "json"} {
		if text := renderedText(t, format, r); !strings.Contains(text, long) {
			t.Errorf("%s does not quote the source whole", format)
		}
	}
}

// TestUnsourcedClaimsAreListed: the sources section lists every claim
// that cites no source, and the summary counts them.
func TestUnsourcedClaimsAreListed(t *testing.T) {
	r := fixtureReport()
	if len(r.Unsourced) != 2 || r.Summary.Unsourced != 2 {
		t.Fatalf("unsourced %+v, counted %d; want Russia's truce and Kyiv's endorsement", r.Unsourced, r.Summary.Unsourced)
	}
	for _, format := range []string{"markdown", "html", "pdf", "xlsx"} {
		text := renderedText(t, format, r)
		want := []string{"2 claims without a source"}
		if format == "xlsx" {
			want = []string{"Claims without a source | 2"}
		} else {
			want = append(want, "Claims without a source (2): read them with care until one is found.",
				"Russia's demand “Three-day truce” (Ceasefire)",
				"Ukraine's endorsement of United States' “US 30-day ceasefire proposal")
		}
		for _, w := range want {
			if !strings.Contains(text, w) {
				t.Errorf("%s lacks %q", format, w)
			}
		}
	}
}
