package report

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/parley/parley/domain"
	"github.com/parley/parley/report/reporttest"
)

// gazaSize is the shape of the Gaza ceasefire talks: 7 topics, 18
// demands, a handful of objections and endorsements.
var gazaSize = reporttest.Size{Parties: 6, Rounds: 3, Topics: 7, Demands: 18, Objections: 6, Endorsements: 8}

// gazaReport is a generated negotiation of Gaza size, its parties named
// in their own scripts, with what moved since the state before its
// endorsements.
func gazaReport() *Report {
	now := reporttest.Generate(gazaSize, 7)
	names := []string{"حماس", "מדינת ישראל", "جمهوری اسلامی ایران", "Egypt", "Qatar", "United States"}
	for i, p := range now.Parties {
		p.Name = names[i%len(names)]
	}
	before := reporttest.Generate(gazaSize, 7)
	for i, p := range before.Parties {
		p.Name = names[i%len(names)]
	}
	before.Endorsements = nil
	before.AsOf = JustBefore(fixtureSince)
	return Build(now, domain.Compare(before, now), fixtureGenerated)
}

// TestBriefFitsTwoPages: the brief of a Gaza-sized negotiation is at most
// two A4 pages (pdfinfo), and holds every part the layout promises.
func TestBriefFitsTwoPages(t *testing.T) {
	r := gazaReport()
	if len(r.Topics) != 7 || r.Summary.Demands != 18 {
		t.Fatalf("fixture has %d topics and %d demands", len(r.Topics), r.Summary.Demands)
	}
	var buf bytes.Buffer
	if err := RenderLayout(&buf, "pdf", "brief", r); err != nil {
		t.Fatal(err)
	}
	info := pdfTool(t, buf.Bytes(), "pdfinfo")
	m := regexp.MustCompile(`Pages:\s+(\d+)`).FindStringSubmatch(info)
	if m == nil {
		t.Fatalf("pdfinfo: %s", info)
	}
	if n, _ := strconv.Atoi(m[1]); n > 2 || n < 1 {
		t.Errorf("the brief has %d pages, want at most 2", n)
	}
	if !strings.Contains(info, "A4") && !strings.Contains(info, "595.28 x 841.89") {
		t.Errorf("not A4: %s", info)
	}
	var full bytes.Buffer
	if err := Render(&full, "pdf", r); err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(full.Bytes(), buf.Bytes()) {
		t.Error("the brief is the full report")
	}
}

// TestBriefContent: markdown, html and pdf briefs hold the title, the as
// of line, a line per topic with its state, the moves, the widest gaps,
// the standing objections and the numbered sources.
func TestBriefContent(t *testing.T) {
	r := gazaReport()
	b := buildBrief(r)
	if len(b.Topics) != 7 {
		t.Fatalf("%d topic lines", len(b.Topics))
	}
	if b.Since == nil || len(b.Since.Lines) == 0 {
		t.Fatal("no moves since")
	}
	if len(b.Gaps) > briefGaps {
		t.Errorf("%d gaps", len(b.Gaps))
	}
	for _, format := range BriefFormats {
		t.Run(format, func(t *testing.T) {
			var buf bytes.Buffer
			if err := RenderLayout(&buf, format, "brief", r); err != nil {
				t.Fatal(err)
			}
			text := reportText(t, format, buf.Bytes())
			if format == "pdf" && text == "" {
				t.Skip("pdftotext not installed")
			}
			if format == "html" {
				text = markup.ReplaceAllString(text, "")
			}
			want := []string{"brief", "As of", "Topics", "Widest gaps", "Standing objections that block agreement", "Sources", b.Since.Heading}
			for _, tp := range b.Topics {
				want = append(want, tp.Title)
			}
			for _, o := range b.Objections {
				want = append(want, o.Topic)
			}
			if len(b.Sources) > 0 {
				want = append(want, sourceText(b.Sources[0]))
			}
			for _, w := range want {
				if !strings.Contains(text, strings.Join(strings.Fields(w), " ")) {
					t.Errorf("%q missing", w)
				}
			}
		})
	}
}

// TestLayouts: an unknown layout, or a brief in a format that has none,
// is refused.
func TestLayouts(t *testing.T) {
	r := fixtureReport()
	for _, c := range []struct {
		format, layout string
		ok             bool
	}{{"pdf", "", true}, {"csv", "full", true}, {"html", "brief", true}, {"csv", "brief", false}, {"pdf", "poster", false}} {
		if got := HasLayout(c.format, c.layout); got != c.ok {
			t.Errorf("HasLayout(%q, %q) = %v", c.format, c.layout, got)
		}
		err := RenderLayout(&bytes.Buffer{}, c.format, c.layout, r)
		if (err == nil) != c.ok {
			t.Errorf("RenderLayout(%q, %q): %v", c.format, c.layout, err)
		}
	}
}

// TestWidestGapsRankRelative: the brief keeps the rows whose positions lie
// widest apart relative to their values (a gap of 27 days between 30 and 3
// before one of 1000 between 9000 and 10000), and none where all agree.
func TestWidestGapsRankRelative(t *testing.T) {
	topics := []Topic{
		{Title: "Aid", Terms: []TermRow{{Label: "trucks", Spread: "gap 1,000", RelativeGap: 0.1}}},
		{Title: "Truce", Terms: []TermRow{{Label: "days", Spread: "gap 27", RelativeGap: 0.9}, {Label: "agreed", Spread: "yes: A, B"}}},
	}
	g := widestGaps(topics, 3)
	if len(g) != 2 || g[0].Topic != "Truce" || g[0].Text != "gap 27" || g[1].Topic != "Aid" {
		t.Errorf("widest: %+v", g)
	}
}

// TestFullPDFHasTheGrid: the full PDF holds the matrix on landscape pages
// beside the state legend, every participant as a column head.
func TestFullPDFHasTheGrid(t *testing.T) {
	r := gazaReport()
	var buf bytes.Buffer
	if err := Render(&buf, "pdf", r); err != nil {
		t.Fatal(err)
	}
	info := pdfTool(t, buf.Bytes(), "pdfinfo", "-f", "1", "-l", "99")
	if !strings.Contains(info, "841.89 x 595.28") {
		t.Errorf("no landscape page:\n%s", info)
	}
	text := stripBidiMarks(pdfTool(t, buf.Bytes(), "pdftotext", "-enc", "UTF-8"))
	text = strings.Join(strings.Fields(text), " ")
	for _, want := range []string{"Matrix: participants 1 to 5 of 6", "Matrix: participants 6 to 6 of 6", "Topic states", "CONTESTED", "Qatar (principal)"} {
		if !strings.Contains(text, want) {
			t.Errorf("%q missing from the PDF", want)
		}
	}
}
