package report

import "strings"

// writeMarkdownGrid writes the grid as GitHub-flavoured tables, one per
// group of participants, with the state legend below. A cell's lines are
// joined by <br>, the one line break a table cell can hold; md escapes
// the pipes and folds the newlines of what users typed.
func writeMarkdownGrid(p func(string, ...any), r *Report) {
	g := gridFull(r)
	if g == nil {
		return
	}
	p("## Matrix\n\n")
	for _, group := range g.Groups {
		if h := group.Heading(); h != "" {
			p("### %s\n\n", h)
		}
		p("| Topic |")
		for _, pt := range group.Parties {
			p(" %s (%s) |", md(pt.Name), humanize(pt.Role))
		}
		p("\n|---|%s\n", strings.Repeat("---|", len(group.Parties)))
		for _, row := range group.Rows {
			p("| **%s** %s |", md(row.Topic), strings.ToUpper(row.State))
			for _, c := range row.Cells {
				p(" %s |", markdownGridCell(c))
			}
			p("\n")
		}
		p("\n")
	}
	p("Topic states:\n\n")
	for _, st := range g.States {
		p("- **%s:** %s\n", strings.ToUpper(string(st.State)), md(st.Definition))
	}
	p("\n%s\n\n", md(g.Key))
}

// markdownGridCell writes one cell's stance and positions on one line.
func markdownGridCell(c gridCell) string {
	var lines []string
	if s := c.StanceText(); s != "" {
		lines = append(lines, "**"+md(s)+"**")
	}
	for _, l := range c.Lines {
		line := md(l.Text)
		if l.Mark != "" {
			line = l.Mark + " " + line
		}
		lines = append(lines, line)
	}
	return strings.Join(lines, "<br>")
}
