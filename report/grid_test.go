package report

import (
	"regexp"
	"strings"
	"testing"
)

// TestGridSplitsParticipantsIntoGroups: the grid's columns are the
// participants cut into groups, each row a topic with one cell a party,
// the cell's stance the report's own.
func TestGridSplitsParticipantsIntoGroups(t *testing.T) {
	r := gazaReport()
	g := buildGrid(r, 5)
	if g == nil || len(g.Groups) != 2 {
		t.Fatalf("grid of 6 participants by 5: %+v", g)
	}
	first, last := g.Groups[0], g.Groups[1]
	if first.Heading() != "Participants 1 to 5 of 6" || last.Heading() != "Participants 6 to 6 of 6" || len(last.Parties) != 1 {
		t.Errorf("groups: %q, %q with %d parties", first.Heading(), last.Heading(), len(last.Parties))
	}
	if one := buildGrid(r, 6); len(one.Groups) != 1 || one.Groups[0].Heading() != "" {
		t.Errorf("a grid in one table has a heading or more tables: %+v", one.Groups)
	}
	stance := map[string]string{}
	for _, tp := range r.Topics {
		for _, s := range tp.Stances {
			stance[tp.Title+"\x00"+s.PartyID] = s.Stance
		}
	}
	lines := 0
	for _, group := range g.Groups {
		if len(group.Rows) != len(r.Topics) {
			t.Fatalf("%d rows for %d topics", len(group.Rows), len(r.Topics))
		}
		for _, row := range group.Rows {
			if len(row.Cells) != len(group.Parties) {
				t.Fatalf("%s: %d cells for %d parties", row.Topic, len(row.Cells), len(group.Parties))
			}
			for i, c := range row.Cells {
				if want := stance[row.Topic+"\x00"+group.Parties[i].ID]; c.Stance != want || c.StanceText() == "" {
					t.Errorf("%s, %s: stance %q (%q), the report's is %q", row.Topic, group.Parties[i].Name, c.Stance, c.StanceText(), want)
				}
				lines += len(c.Lines)
			}
		}
	}
	if lines < r.Summary.Demands {
		t.Errorf("the grid holds %d lines for %d demands", lines, r.Summary.Demands)
	}
	if buildGrid(&Report{}, 5) != nil {
		t.Error("an empty report has a grid")
	}
}

// TestHTMLGrid: the full html report holds the grid as one table per
// group of participants, its head row repeated on printed pages, on
// landscape pages of their own, the state legend beside it, and what
// users typed escaped.
func TestHTMLGrid(t *testing.T) {
	page := string(render(t, "html", gazaReport()))
	start := strings.Index(page, `<section class="grid"`)
	if start < 0 {
		t.Fatal("the html report has no grid")
	}
	grid := page[start : start+strings.Index(page[start:], "</section>")]
	if n := strings.Count(grid, `<table class="grid-table">`); n != 2 {
		t.Errorf("%d grid tables for 6 participants, want 2", n)
	}
	for _, want := range []string{"<caption>Participants 1 to 5 of 6</caption>", "<caption>Participants 6 to 6 of 6</caption>",
		"<thead><tr><th scope=\"col\" class=\"grid-topic\">Topic</th>", "جمهوری اسلامی ایران", "United States", `class="grid-legend"`,
		`<span class="state state-contested"`, "● demands"} {
		if !strings.Contains(grid, want) {
			t.Errorf("the grid lacks %q", want)
		}
	}
	for _, want := range []string{"@page grid { size: A4 landscape;", "section.grid { page: grid;", ".grid-table thead { display: table-header-group; }", "@top-center { content: \"TLP\\3a AMBER\""} {
		if !strings.Contains(page, want) {
			t.Errorf("the print style lacks %q", want)
		}
	}
	fixture := string(render(t, "html", fixtureReport()))
	start = strings.Index(fixture, `<section class="grid"`)
	grid = fixture[start : start+strings.Index(fixture[start:], "</section>")]
	if strings.Contains(grid, "<script>") || !strings.Contains(grid, "proposal &lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Errorf("the grid does not escape a typed title: %s", grid)
	}
}

// TestMarkdownGridCells: each group is a table whose every row has one
// cell a column, whatever pipes and newlines the names and titles hold.
func TestMarkdownGridCells(t *testing.T) {
	r := gazaReport()
	r.Parties[0].Name = "Party | with a pipe"
	for i := range r.Topics[0].Demands {
		r.Topics[0].Demands[i].Title = "Line one\nline | two"
		r.Topics[0].Demands[i].Party = "Party | with a pipe"
	}
	text := string(render(t, "markdown", r))
	start := strings.Index(text, "## Matrix\n")
	end := strings.Index(text[start:], "Topic states:")
	if start < 0 || end < 0 {
		t.Fatal("the markdown report has no grid")
	}
	cellBreak := regexp.MustCompile(`(^|[^\\])\|`)
	tables, rows := 0, 0
	cols := 0
	for _, line := range strings.Split(text[start:start+end], "\n") {
		switch {
		case strings.HasPrefix(line, "| Topic |"):
			tables++
			cols = len(cellBreak.FindAllString(line, -1))
		case strings.HasPrefix(line, "|"):
			rows++
			if n := len(cellBreak.FindAllString(line, -1)); n != cols {
				t.Errorf("a row with %d cell borders under a head of %d: %s", n, cols, line)
			}
		case line != "" && !strings.HasPrefix(line, "### ") && !strings.HasPrefix(line, "## "):
			t.Errorf("a line outside the tables: %q", line)
		}
	}
	// Two tables, each a separator row and a row per topic.
	if tables != 2 || rows != 2*(1+len(r.Topics)) {
		t.Errorf("%d tables, %d rows", tables, rows)
	}
	if !strings.Contains(text, `Line one line \| two`) || !strings.Contains(text, `Party \| with a pipe (principal)`) {
		t.Error("the grid does not escape pipes and fold newlines")
	}
}
