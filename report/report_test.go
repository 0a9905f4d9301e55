package report

import (
	"bytes"
	"encoding/csv"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/parley/parley/domain"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

var uuidPattern = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)

// normalize replaces what varies between runs of the demo (ids) with stable
// placeholders, numbered in order of first appearance.
func normalize(b []byte) []byte {
	seen := map[string]string{}
	return uuidPattern.ReplaceAllFunc(b, func(m []byte) []byte {
		k := string(m)
		if _, ok := seen[k]; !ok {
			seen[k] = "uuid-" + pad12(len(seen) + 1)[6:]
		}
		return []byte(seen[k])
	})
}

// checkGolden compares got with testdata/name, or rewrites it with -update.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./report -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
		for i := 0; i < len(gl) || i < len(wl); i++ {
			var g, w string
			if i < len(gl) {
				g = gl[i]
			}
			if i < len(wl) {
				w = wl[i]
			}
			if g != w {
				t.Fatalf("%s differs from the golden file at line %d:\n got: %q\nwant: %q\n(run go test ./report -update if the change is intended)", name, i+1, g, w)
			}
		}
	}
}

func render(t *testing.T, format string, r *Report) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := Render(&b, format, r); err != nil {
		t.Fatalf("Render(%s): %v", format, err)
	}
	if b.Len() == 0 {
		t.Fatalf("Render(%s) wrote nothing", format)
	}
	return b.Bytes()
}

func TestGolden(t *testing.T) {
	for _, tt := range []struct{ format, file string }{
		{"markdown", "fixture.md"}, {"html", "fixture.html"}, {"csv", "fixture.csv"}, {"json", "fixture.json"},
	} {
		t.Run(tt.format, func(t *testing.T) {
			checkGolden(t, tt.file, normalize(render(t, tt.format, fixtureReport())))
		})
	}
}

// What matters in each text format, checked directly so that a golden file
// regenerated carelessly cannot hide its loss.
func TestTextFormatsContent(t *testing.T) {
	tests := []struct {
		format  string
		want    []string
		notWant []string
	}{
		{"markdown", []string{
			"# Istanbul talks 2025: negotiation status report", "| contested | 1 |", "Владимир Мединский", "Dolmabahçe Palace",
			"The principals' delegations differ in level: Ukraine at ministerial level", "duration days:** Ukraine 30, Russia 3 (withdrawn), United States 30 — no gap: Ukraine, United States all at 30",
			"US 30-day ceasefire proposal \\<script\\>alert(1)\\</script\\>", "## What moved since 2025-05-16 00:00 UTC",
			"### Ceasefire: still contested", "- Russia: status tabled → withdrawn on “Three-day truce”",
			"- Ukraine endorses “US 30-day ceasefire proposal \\<script\\>alert(1)\\</script\\>”: “@SUM(1) Kyiv backs the US plan”",
			"1 other topic did not move.", "1. Reuters, “Russia, Ukraine hold first direct talks in three years”, 2025-05-16 <https://example.org/reuters?a=1&b=2> — B2 (usually reliable; probably true)",
			"> “Ukraine wants an immediate ceasefire” [1]", "sources \\[1, 08:13 AM EDT\\]",
		}, []string{"<script>", "create demand"}},
		{"html", []string{
			"@media print", "<h1>Istanbul talks 2025: negotiation status report</h1>", "US 30-day ceasefire proposal &lt;script&gt;alert(1)&lt;/script&gt;",
			"Владимир Мединский", `<span class="state state-contested">contested</span>`, `<a href="https://example.org/reuters?a=1&amp;b=2">`,
			"Note:</strong> The principals&#39; delegations differ in level",
			"<h2>What moved since 2025-05-16 00:00 UTC</h2>", `<h3>Ceasefire: <span class="moved">still contested</span></h3>`,
			"<li>Ukraine endorses “US 30-day ceasefire proposal &lt;script&gt;alert(1)&lt;/script&gt;”",
		}, []string{"<script>", "<link", "src="}},
		{"json", []string{`"level_note": "The principals' delegations differ in level`, `"state": "contested"`, `"as_of": null`, `"since": "2025-05-16T00:00:00Z"`}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.format, func(t *testing.T) {
			out := string(render(t, tt.format, fixtureReport()))
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("%s lacks %q", tt.format, w)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(out, w) {
					t.Errorf("%s contains %q", tt.format, w)
				}
			}
		})
	}
}

func TestCSV(t *testing.T) {
	out := render(t, "csv", fixtureReport())
	if !bytes.HasPrefix(out, []byte("\xef\xbb\xbfrecord,")) {
		t.Fatalf("csv does not start with a UTF-8 BOM and the header: %q", out[:20])
	}
	if !bytes.Contains(out, []byte("\r\n")) {
		t.Error("csv rows must end in CRLF (RFC 4180)")
	}
	rows, err := csv.NewReader(bytes.NewReader(out[3:])).ReadAll()
	if err != nil {
		t.Fatalf("csv does not parse back: %v", err)
	}
	counts := map[string]int{}
	byRecord := map[string][]string{}
	header := rows[0]
	if got, want := strings.Join(header[len(csvHeader):], ","), "term:duration_days,term:unconditional,term:note"; got != want {
		t.Errorf("term columns = %s, want %s", got, want)
	}
	for _, row := range rows[1:] {
		if len(row) != len(header) {
			t.Fatalf("row has %d columns, want %d: %q", len(row), len(header), row)
		}
		counts[row[0]]++
		byRecord[row[0]+"/"+row[3]] = row
	}
	if counts["demand"] != 4 || counts["objection"] != 1 || counts["endorsement"] != 1 {
		t.Errorf("rows per record = %v, want 4 demands, 1 objection, 1 endorsement", counts)
	}
	col := func(name string) int {
		for i, h := range header {
			if h == name {
				return i
			}
		}
		t.Fatalf("no column %q", name)
		return -1
	}
	tests := []struct {
		key, column, want string
	}{
		{"objection/Immediate, unconditional 30-day ceasefire", "text", "'=cmd|' /C calc'!A0 a truce would let Ukraine rest its forces, recruit and rearm"},
		{"objection/Immediate, unconditional 30-day ceasefire", "party", "Russia"},
		{"objection/Immediate, unconditional 30-day ceasefire", "kind", "rejection"},
		{"endorsement/US 30-day ceasefire proposal <script>alert(1)</script>", "text", "'@SUM(1) Kyiv backs the US plan"},
		{"demand/Return of all children taken by Russia", "text", "'-2+3 counted by the ombudsman"},
		{"demand/Immediate, unconditional 30-day ceasefire", "term:duration_days", "30"},
		{"demand/Immediate, unconditional 30-day ceasefire", "term:unconditional", "true"},
		{"objection/Immediate, unconditional 30-day ceasefire", "term:duration_days", ""},
		{"demand/Immediate, unconditional 30-day ceasefire", "topic_state", "contested"},
		{"demand/Immediate, unconditional 30-day ceasefire", "sources", "1"},
	}
	for _, tt := range tests {
		row, ok := byRecord[tt.key]
		if !ok {
			t.Errorf("no row %s", tt.key)
			continue
		}
		if got := row[col(tt.column)]; got != tt.want {
			t.Errorf("%s %s = %q, want %q", tt.key, tt.column, got, tt.want)
		}
	}
}

func TestXLSX(t *testing.T) {
	out := render(t, "xlsx", fixtureReport())
	f, err := excelize.OpenReader(bytes.NewReader(out))
	if err != nil {
		t.Fatalf("xlsx does not open: %v", err)
	}
	defer f.Close()
	if got, want := strings.Join(f.GetSheetList(), ","), "Matrix,Summary,Parties,Rounds,Demands,Objections,Rebuttals,Endorsements,Threads,Changes,Sources"; got != want {
		t.Errorf("sheets = %s, want %s", got, want)
	}
	tests := []struct {
		sheet, cell, want string
	}{
		{"Matrix", "A1", "TLP:AMBER"},
		{"Matrix", "A2", "Topic"},
		{"Matrix", "C2", "Ukraine (principal)"},
		{"Matrix", "D2", "Russia (principal)"},
		{"Matrix", "A3", "Ceasefire"},
		{"Matrix", "B3", "contested"},
		{"Matrix", "A4", "Children"},
		{"Demands", "E2", "Immediate, unconditional 30-day ceasefire"},
		{"Demands", "J1", "Handling"},
		{"Demands", "J2", "TLP:AMBER"},
		{"Demands", "K1", "duration days"},
		{"Demands", "L1", "unconditional"},
		{"Demands", "N5", "-2+3 counted by the ombudsman"},
		{"Objections", "I2", "=cmd|' /C calc'!A0 a truce would let Ukraine rest its forces, recruit and rearm"},
		{"Endorsements", "G2", "@SUM(1) Kyiv backs the US plan"},
		{"Summary", "B2", "TLP:AMBER"},
		{"Summary", "B3", "Istanbul talks 2025: negotiation status report"},
		{"Summary", "B4", "current state"},
		{"Summary", "B5", "2025-05-17 09:30"},
		{"Parties", "A4", "Türkiye"},
		{"Parties", "C4", "host"},
		{"Rounds", "J3", "Владимир Мединский"},
		{"Rounds", "I3", "senior official"},
		{"Changes", "A2", "Ceasefire"},
		{"Changes", "B2", "contested"},
		{"Changes", "D2", "Ukraine"},
		{"Changes", "E2", "added"},
		{"Changes", "F3", "Russia: status tabled → withdrawn on “Three-day truce”"},
		{"Sources", "B2", "Reuters"},
		{"Sources", "F2", "B2"},
	}
	for _, tt := range tests {
		got, err := f.GetCellValue(tt.sheet, tt.cell)
		if err != nil {
			t.Fatal(err)
		}
		if got != tt.want {
			t.Errorf("%s!%s = %q, want %q", tt.sheet, tt.cell, got, tt.want)
		}
	}
	ru, _ := f.GetCellValue("Matrix", "D3")
	if !strings.Contains(ru, "× objects to Ukraine: Immediate, unconditional 30-day ceasefire (rejection, standing)") || !strings.Contains(ru, "• Three-day truce [withdrawn]") {
		t.Errorf("Russia's ceasefire cell = %q", ru)
	}
	// A "=" string must arrive as text, never as a formula.
	if formula, _ := f.GetCellFormula("Objections", "I2"); formula != "" {
		t.Errorf("Objections!I2 holds a formula %q", formula)
	}
	if typ, _ := f.GetCellType("Demands", "E2"); typ != excelize.CellTypeInlineString && typ != excelize.CellTypeSharedString {
		t.Errorf("Demands!E2 type = %v, want a string", typ)
	}
	typed := []struct {
		sheet, cell string
		want        excelize.CellType
		value       string
	}{
		{"Demands", "H2", excelize.CellTypeNumber, "45793"}, // 2025-05-16 as a date serial
		{"Demands", "K2", excelize.CellTypeNumber, "30"},
		{"Demands", "L2", excelize.CellTypeBool, "1"},
		{"Summary", "B5", excelize.CellTypeNumber, ""},
		{"Sources", "A2", excelize.CellTypeNumber, "1"},
		{"Rounds", "B2", excelize.CellTypeNumber, "45793"},
	}
	for _, tt := range typed {
		typ, _ := f.GetCellType(tt.sheet, tt.cell)
		if typ != tt.want && !(tt.want == excelize.CellTypeNumber && typ == excelize.CellTypeUnset) {
			t.Errorf("%s!%s type = %v, want %v", tt.sheet, tt.cell, typ, tt.want)
		}
		raw, _ := f.GetCellValue(tt.sheet, tt.cell, excelize.Options{RawCellValue: true})
		if tt.value != "" && raw != tt.value {
			t.Errorf("%s!%s raw value = %q, want %q", tt.sheet, tt.cell, raw, tt.value)
		}
	}
	// Every list sheet filters on every column: a table spans its header
	// and rows (on the Matrix, below the marking).
	for _, sheet := range f.GetSheetList() {
		tables, err := f.GetTables(sheet)
		head := "A1:"
		if sheet == "Matrix" {
			head = "A2:"
		}
		if err != nil || len(tables) != 1 || !strings.HasPrefix(tables[0].Range, head) {
			t.Errorf("%s tables = %+v (%v), want one over the sheet", sheet, tables, err)
		}
	}
	// The level note stands once per round.
	rounds, _ := f.GetRows("Rounds")
	notes := 0
	for _, row := range rounds[1:] {
		if len(row) >= 14 && row[13] != "" {
			notes++
		}
	}
	if notes != 1 {
		t.Errorf("the level note stands on %d rows, want 1", notes)
	}
	if w, _ := f.GetColWidth("Demands", "E"); w < float64(len("Immediate, unconditional 30-day ceasefire")) {
		t.Errorf("Demands column E is %v wide, narrower than its longest title", w)
	}
	panes, err := f.GetPanes("Matrix")
	if err != nil {
		t.Fatal(err)
	}
	if !panes.Freeze || panes.XSplit != 2 || panes.YSplit != 2 || panes.TopLeftCell != "C3" {
		t.Errorf("matrix panes = %+v, want the marking, the header row and the topic and state columns frozen", panes)
	}
	for _, sheet := range []string{"Summary", "Parties", "Rounds", "Demands", "Objections", "Endorsements", "Changes", "Sources"} {
		p, _ := f.GetPanes(sheet)
		if !p.Freeze || p.YSplit != 1 {
			t.Errorf("%s header row is not frozen: %+v", sheet, p)
		}
	}
}

func TestPDF(t *testing.T) {
	out := render(t, "pdf", fixtureReport())
	if !bytes.HasPrefix(out, []byte("%PDF-")) {
		t.Fatalf("not a PDF: %q", out[:8])
	}
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("pdftotext (poppler-utils) is required in CI")
		}
		t.Skip("pdftotext not installed (apt-get install poppler-utils); the PDF's text is not checked")
	}
	path := filepath.Join(t.TempDir(), "report.pdf")
	if err := os.WriteFile(path, out, 0o644); err != nil {
		t.Fatal(err)
	}
	text, err := exec.Command("pdftotext", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	// pdftotext may wrap lines anywhere; compare with white space collapsed.
	flat := strings.Join(strings.Fields(string(text)), " ")
	for _, want := range []string{
		"Istanbul talks 2025: negotiation status report", "Владимир Мединский", "Российская Федерация", "Україна", "Dolmabahçe Palace",
		"Türkiye", "Dışişleri Bakanı", "The principals' delegations differ in level", "CONTESTED", "duration days: Ukraine 30",
		"Objection by Russia (rejection, standing)", "US 30-day ceasefire proposal <script>alert(1)</script>",
		"B2 (usually reliable; probably true)", "Russia: status tabled → withdrawn on “Three-day truce”", "What moved since", "Page 1 of",
	} {
		if !strings.Contains(flat, want) {
			t.Errorf("the PDF's text lacks %q", want)
		}
	}
}

func TestFilenameAndContentType(t *testing.T) {
	asOf := time.Date(2025, 5, 16, 23, 0, 0, 0, time.UTC)
	tests := []struct {
		title  string
		asOf   *time.Time
		format string
		want   string
		ctype  string
	}{
		{"Istanbul talks", nil, "markdown", "parley-istanbul-talks-as-of-2025-05-17.md", "text/markdown; charset=utf-8"},
		{"Istanbul talks", &asOf, "pdf", "parley-istanbul-talks-as-of-2025-05-16.pdf", "application/pdf"},
		{"Dolmabahçe: ığş / \"quotes\"\r\n", nil, "csv", "parley-dolmabahce-igs-quotes-as-of-2025-05-17.csv", "text/csv; charset=utf-8"},
		{"Переговоры", nil, "xlsx", "parley-negotiation-as-of-2025-05-17.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
		{"../../etc/passwd", nil, "json", "parley-etc-passwd-as-of-2025-05-17.json", "application/json"},
		{"Talks", nil, "html", "parley-talks-as-of-2025-05-17.html", "text/html; charset=utf-8"},
		// A long title keeps whole words: "2025" is dropped whole, never
		// cut to a "2" that reads as a version, and the date stands apart.
		{"Gaza ceasefire, hostage–prisoner exchange (Doha–Cairo, Jan–Mar 2025)", &asOf, "pdf",
			"parley-gaza-ceasefire-hostage-prisoner-exchange-doha-cairo-jan-mar-as-of-2025-05-16.pdf", "application/pdf"},
		{"Talks on the Grand Ethiopian Renaissance Dam between Egypt, Sudan and Ethiopia", nil, "csv",
			"parley-talks-on-the-grand-ethiopian-renaissance-dam-between-egypt-as-of-2025-05-17.csv", "text/csv; charset=utf-8"},
		{strings.Repeat("x", 80), nil, "json", "parley-" + strings.Repeat("x", 60) + "-as-of-2025-05-17.json", "application/json"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			r := &Report{Negotiation: Negotiation{Title: tt.title}, AsOf: tt.asOf, GeneratedAt: fixtureGenerated}
			if got := Filename(r, tt.format); got != tt.want {
				t.Errorf("Filename = %q, want %q", got, tt.want)
			}
			if got := ContentType(tt.format); got != tt.ctype {
				t.Errorf("ContentType = %q, want %q", got, tt.ctype)
			}
		})
	}
	if ContentType("docx") != "" {
		t.Error("an unknown format has a content type")
	}
}

func TestRenderRejectsUnknownFormat(t *testing.T) {
	var b bytes.Buffer
	if err := Render(&b, "docx", fixtureReport()); err == nil || b.Len() != 0 {
		t.Errorf("Render(docx) = %v, wrote %d bytes; want an error and nothing written", err, b.Len())
	}
}

// Every format renders a report with nothing in it.
func TestRenderEmptyReport(t *testing.T) {
	s := &domain.Snapshot{Negotiation: &domain.Negotiation{Meta: domain.Meta{ID: id(1)}, Title: "Empty", State: "active"}}
	r := Build(s, nil, fixtureGenerated)
	for _, format := range FormatNames() {
		t.Run(format, func(t *testing.T) { render(t, format, r) })
	}
}

// TestPDFOutsideTheBasicPlane: an emoji in user text (a dove in a title) is
// printed as a stand-in instead of failing the whole PDF.
func TestPDFOutsideTheBasicPlane(t *testing.T) {
	r := fixtureReport()
	r.Title = "Peace talks 🕊 status"
	r.Negotiation.Description = "Talks 🤝 in Istanbul"
	var buf bytes.Buffer
	if err := Render(&buf, "pdf", r); err != nil {
		t.Fatalf("a title with an emoji: %v", err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("%PDF-")) {
		t.Fatal("not a PDF")
	}
}
