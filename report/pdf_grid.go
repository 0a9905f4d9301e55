package report

import (
	"strings"

	"github.com/go-pdf/fpdf"

	"github.com/parley/parley/domain"
)

// The grid is the matrix on paper: topics as rows, participants as
// columns, on landscape pages with the state legend beside it. Columns
// that do not fit one page continue on the next pages, the topic column
// repeated, as a printed spreadsheet does.

const (
	gridTopicW  = 48.0 // the topic column, mm
	gridLegendW = 46.0 // the legend beside the grid, mm
	gridGap     = 4.0
	gridColMin  = 30.0 // the narrowest party column, mm
	gridSize    = 7.0  // points
	gridLine    = 3.1  // mm a line
)

// grid draws the matrix on landscape pages and returns to portrait: the
// grid view model (grid.go) cut into as many participants as a page fits.
func (d pdfDoc) grid(r *Report) {
	left, _, right, _ := d.GetMargins()
	pageW, pageH := 297.0, 210.0
	room := pageW - left - right - gridTopicW - gridLegendW - gridGap
	g := buildGrid(r, int(room/gridColMin))
	if g == nil {
		return
	}
	for _, group := range g.Groups {
		colW := room / float64(len(group.Parties))
		d.gridPage(group, false)
		d.gridHead(group.Parties, colW)
		for _, row := range group.Rows {
			d.ts.setFont("B", gridSize)
			topicLines := d.ts.wrap(d.ts.prepare(row.Topic+" ["+strings.ToUpper(row.State)+"]"), gridTopicW-2)
			n := max(1, len(topicLines))
			d.ts.setFont("", gridSize)
			cells := make([][]string, len(row.Cells))
			for i, c := range row.Cells {
				cells[i] = d.gridCellLines(c, colW-2)
				n = max(n, len(cells[i]))
			}
			h := float64(n)*gridLine + 1.4
			if d.GetY()+h > pageH-pdfBottom {
				d.gridPage(group, true)
				d.gridHead(group.Parties, colW)
			}
			d.gridRow(row.State, topicLines, cells, colW, h)
		}
	}
	d.AddPageFormat("P", fpdf.SizeType{Wd: 210, Ht: 297})
}

// gridCellLines wraps a cell's stance and positions to the column.
func (d pdfDoc) gridCellLines(c gridCell, width float64) []string {
	var out []string
	if s := c.StanceText(); s != "" {
		out = append(out, d.ts.wrap(d.ts.prepare(s), width)...)
	}
	for _, l := range c.Lines {
		out = append(out, d.ts.wrap(d.ts.prepare(l.String()), width)...)
	}
	return out
}

// gridPage starts a landscape page with the heading and the legend; the
// heading says which participants the page shows when they take more
// than one.
func (d pdfDoc) gridPage(g gridGroup, continued bool) {
	d.AddPageFormat("L", fpdf.SizeType{Wd: 210, Ht: 297})
	title := "Matrix"
	if h := g.Heading(); h != "" {
		title += ": " + strings.ToLower(h[:1]) + h[1:]
	}
	if continued {
		title += " (continued)"
	}
	d.heading(title, 12)
	top := d.GetY()
	_, _, right, _ := d.GetMargins()
	x := 297.0 - right - gridLegendW
	d.SetXY(x, top)
	d.ts.setFont("B", 8)
	d.ts.draw(x, top+3, "Topic states")
	y := top + 5
	for _, def := range domain.TopicStateDefinitions {
		st := string(def.State)
		c := stateColor[st]
		d.SetFillColor(c[0], c[1], c[2])
		d.Rect(x, y+0.6, 3, 3, "F")
		d.ts.setFont("B", 7.5)
		d.SetTextColor(c[0], c[1], c[2])
		d.ts.draw(x+4.5, y+3, strings.ToUpper(st))
		d.SetTextColor(0, 0, 0)
		d.ts.setFont("", 7)
		y += 4
		for _, l := range d.ts.wrap(d.ts.prepare(def.Definition), gridLegendW-1) {
			d.ts.draw(x, y+2.5, l)
			y += gridLine
		}
		y += 1.5
	}
	d.ts.setFont("", 7)
	for _, l := range d.ts.wrap(gridKey, gridLegendW-1) {
		d.ts.draw(x, y+2.5, l)
		y += gridLine
	}
	left, _, _, _ := d.GetMargins()
	d.SetXY(left, top)
}

// gridHead draws the column heads: "Topic" and the parties' names.
func (d pdfDoc) gridHead(cols []Party, colW float64) {
	d.ts.setFont("B", gridSize)
	heads := make([][]string, len(cols))
	n := 1
	for i, p := range cols {
		heads[i] = d.ts.wrap(d.ts.prepare(p.Name+" ("+humanize(p.Role)+")"), colW-2)
		n = max(n, len(heads[i]))
	}
	h := float64(n)*gridLine + 1.4
	left, _, _, _ := d.GetMargins()
	x, y := left, d.GetY()
	d.SetFillColor(243, 244, 246)
	d.SetDrawColor(213, 217, 222)
	d.SetLineWidth(0.2)
	d.Rect(x, y, gridTopicW, h, "FD")
	d.ts.draw(x+1, y+gridLine, "Topic")
	x += gridTopicW
	for i := range cols {
		d.Rect(x, y, colW, h, "FD")
		for j, l := range heads[i] {
			d.ts.draw(x+1, y+gridLine*float64(j+1), l)
		}
		x += colW
	}
	d.SetXY(left, y+h)
}

// gridRow draws one topic's row, the topic cell in its state's colour.
func (d pdfDoc) gridRow(state string, topic []string, cells [][]string, colW, h float64) {
	left, _, _, _ := d.GetMargins()
	x, y := left, d.GetY()
	d.SetDrawColor(213, 217, 222)
	d.Rect(x, y, gridTopicW, h, "D")
	c := stateColor[state]
	d.SetTextColor(c[0], c[1], c[2])
	d.ts.setFont("B", gridSize)
	for j, l := range topic {
		d.ts.draw(x+1, y+gridLine*float64(j+1), l)
	}
	d.SetTextColor(0, 0, 0)
	d.ts.setFont("", gridSize)
	x += gridTopicW
	for _, lines := range cells {
		d.Rect(x, y, colW, h, "D")
		for j, l := range lines {
			d.ts.draw(x+1, y+gridLine*float64(j+1), l)
		}
		x += colW
	}
	d.SetXY(left, y+h)
}
