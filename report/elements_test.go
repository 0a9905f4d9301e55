package report

import (
	"bytes"
	"encoding/csv"
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// reportText is what a reader finds in a rendered report: its text with
// white space collapsed, markup entities decoded, and for xlsx every cell of
// every sheet; "" when the format cannot be read here (pdf without
// pdftotext).
func reportText(t *testing.T, format string, out []byte) string {
	t.Helper()
	var text string
	switch format {
	case "markdown":
		// Undo the escaping of markdown's own characters.
		text = strings.NewReplacer(`\`, "").Replace(string(out))
	case "html":
		text = html.UnescapeString(string(out))
	case "json", "csv":
		text = string(out)
	case "pdf":
		if _, err := exec.LookPath("pdftotext"); err != nil {
			return ""
		}
		path := filepath.Join(t.TempDir(), "report.pdf")
		if err := os.WriteFile(path, out, 0o644); err != nil {
			t.Fatal(err)
		}
		b, err := exec.Command("pdftotext", "-enc", "UTF-8", path, "-").Output()
		if err != nil {
			t.Fatalf("pdftotext: %v", err)
		}
		text = string(b)
	case "xlsx":
		f, err := excelize.OpenReader(bytes.NewReader(out))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		var all []string
		for _, sheet := range f.GetSheetList() {
			rows, err := f.GetRows(sheet)
			if err != nil {
				t.Fatal(err)
			}
			for _, row := range rows {
				all = append(all, row...)
			}
		}
		text = strings.Join(all, " | ")
	}
	return strings.Join(strings.Fields(text), " ")
}

// TestEveryElementInEveryFormat checks the contract's list of what a report
// holds against each of the six formats. The csv is, by the contract, one
// row per demand, objection and endorsement: the report-wide parts (title,
// summary, the party list, rounds, changes) are not rows of it, but every
// claim carries its party's role, its round, its topic's state, its full
// citations with their grading, and the instant the report describes.
func TestEveryElementInEveryFormat(t *testing.T) {
	r := fixtureReport()
	everywhere := []struct{ element, want string }{
		{"topic state", "contested"},
		{"demand", "Immediate, unconditional 30-day ceasefire"},
		{"demand terms", "duration days = 30; unconditional = yes"},
		{"demand status", "tabled"},
		{"demand date", "2025-05-16"},
		{"party's role", "principal"},
		{"demand's round", "Istanbul round"},
		{"citation quote", "Ukraine wants an immediate ceasefire"},
		{"citation locator", "08:13 AM EDT"},
		{"objection grounds", "a truce would let Ukraine rest its forces"},
		{"objection kind", "rejection"},
		{"objection status", "standing"},
		{"endorsement", "Kyiv backs the US plan"},
		{"source", "Rubio and Kellogg in separate talks"},
		{"source grading", "usually reliable; probably true"},
	}
	reportWide := []struct{ element, want string }{
		{"title", "Istanbul talks 2025: negotiation status report"},
		{"generation time", "2025-05-17 09:30 UTC"},
		{"summary counts", "4 parties · 1 round · 2 topics · 4 demands (3 live)"},
		{"party without a demand and its role", "host"},
		{"party alias", "Российская Федерация"},
		{"delegation head", "Владимир Мединский"},
		{"delegation head's title", "Defence Minister"},
		{"delegation level", "senior official"},
		{"level note", "The principals' delegations differ in level"},
		{"round venue", "Dolmabahçe Palace"},
		{"change since", "Russia: status tabled → withdrawn on “Three-day truce”"},
		{"move since", "Ukraine endorses “US 30-day ceasefire proposal"},
		{"source publisher", "Reuters"},
	}
	// The json holds the model's fields rather than sentences made of them.
	jsonForm := map[string]string{
		"duration days = 30; unconditional = yes":                `"name": "duration_days", "label": "duration days", "value": "30" }, { "name": "unconditional", "label": "unconditional", "value": "yes"`,
		"2025-05-17 09:30 UTC":                                   `"generated_at": "2025-05-17T09:30:00Z"`,
		"4 parties · 1 round · 2 topics · 4 demands (3 live)":    `"parties": 4, "rounds": 1, "topics": 2, "demands": 4, "live_demands": 3`,
		"Russia: status tabled → withdrawn on “Three-day truce”": `"field": "status", "from": "tabled", "to": "withdrawn"`,
		"Ukraine endorses “US 30-day ceasefire proposal":         `"summary": "Ukraine endorses “US 30-day ceasefire proposal`,
	}
	for _, format := range []string{"markdown", "html", "pdf", "csv", "xlsx", "json"} {
		t.Run(format, func(t *testing.T) {
			text := reportText(t, format, render(t, format, r))
			if text == "" {
				if os.Getenv("CI") == "true" {
					t.Fatal("pdftotext (poppler-utils) is required in CI")
				}
				t.Skip("pdftotext not installed")
			}
			want := everywhere
			if format != "csv" {
				want = append(want, reportWide...)
			} else {
				want = append(want, struct{ element, want string }{"as of", "2025-05-17T09:30:00Z"})
			}
			for _, e := range want {
				if format == "json" && jsonForm[e.want] != "" {
					e.want = jsonForm[e.want]
				}
				if !strings.Contains(text, e.want) {
					t.Errorf("%s lacks the %s (%q)", format, e.element, e.want)
				}
			}
		})
	}
}

// TestSpreadsheetCellsCannotBeFormulas checks every cell of the csv and of
// every xlsx sheet: none that holds user text may start with a character a
// spreadsheet reads as the start of a formula.
func TestSpreadsheetCellsCannotBeFormulas(t *testing.T) {
	r := fixtureReport()
	// Every kind of user text a cell can show, typed as a formula.
	const evil = "=HYPERLINK(\"http://evil\")"
	r.Title = evil
	r.Negotiation.Title, r.Negotiation.Description = evil, evil
	for i := range r.Parties {
		r.Parties[i].Name, r.Parties[i].ShortName, r.Parties[i].Aliases = "+"+r.Parties[i].Name, "-x", []string{"@alias"}
	}
	for i := range r.Rounds {
		rd := &r.Rounds[i]
		rd.Title, rd.Venue, rd.Location, rd.Host, rd.Summary = evil, evil, evil, evil, evil
		for j := range rd.Delegations {
			d := &rd.Delegations[j]
			d.Party, d.HeadName, d.HeadTitle, d.Notes = evil, evil, evil, evil
		}
	}
	for i := range r.Topics {
		tp := &r.Topics[i]
		tp.Title = evil
		for j := range tp.Demands {
			d := &tp.Demands[j]
			d.Title, d.Details, d.Party, d.Round = evil, evil, evil, evil
			for k := range d.Terms {
				d.Terms[k].Name = "=" + d.Terms[k].Name
			}
			for k := range d.Objections {
				d.Objections[k].Grounds, d.Objections[k].Party = evil, evil
			}
			for k := range d.Endorsements {
				d.Endorsements[k].Note, d.Endorsements[k].Party = evil, evil
			}
		}
	}
	for i := range r.Changes.Topics {
		tc := &r.Changes.Topics[i]
		tc.TopicTitle = evil
		for j := range tc.Moves {
			tc.Moves[j].Summary, tc.Moves[j].Party = evil, evil
		}
	}
	for i := range r.Changes.OtherMoves {
		r.Changes.OtherMoves[i].Summary = evil
	}
	for i := range r.Sources {
		s := &r.Sources[i]
		s.Publisher, s.Title = evil, evil
	}
	formulaStart := func(v string) bool { return v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) }

	rows, err := csv.NewReader(bytes.NewReader(render(t, "csv", r)[3:])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for i, row := range rows {
		for j, v := range row {
			if formulaStart(v) {
				t.Errorf("csv row %d column %s starts a formula: %q", i+1, csvHeader[j], v)
			}
		}
	}
	f, err := excelize.OpenReader(bytes.NewReader(render(t, "xlsx", r)))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		for i, row := range rows {
			for j, v := range row {
				if formulaStart(v) {
					t.Errorf("xlsx %s!%s starts a formula: %q", sheet, cellName(j+1, i+1), v)
				}
			}
		}
	}
}
