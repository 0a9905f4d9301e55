package report

import (
	"github.com/parley/parley/domain"
)

// pdfBottom is where drawing stops on a page: the footer sits below it.
const pdfBottom = 18.0

// timeline draws the timeline section: each chart as the SVG shows it,
// then its data as tables.
func (d pdfDoc) timeline(tl *domain.Timeline) {
	if tl == nil {
		return
	}
	v := layoutTimeline(tl)
	d.heading("Timeline", 14)
	for _, n := range v.Notes {
		d.text(n, 9, "I")
	}
	for _, c := range v.Charts {
		// The heading goes with its chart onto a new page if need be.
		d.keepSpace(c.figure.Height*d.scale(c.figure) + 14)
		d.heading(c.Heading, 12)
		if c.Note != "" {
			d.text(c.Note, 9, "I")
		}
		d.figure(c.figure)
		for _, t := range c.Tables {
			d.table(t)
		}
	}
}

// scale maps the figure's canvas onto the width between the margins.
func (d pdfDoc) scale(f figure) float64 {
	left, _, right, _ := d.GetMargins()
	pw, _ := d.GetPageSize()
	return (pw - left - right) / f.Width
}

// keepSpace starts a new page unless h millimetres are left on this one.
func (d pdfDoc) keepSpace(h float64) {
	_, ph := d.GetPageSize()
	if d.GetY()+h > ph-pdfBottom {
		d.AddPage()
	}
}

// figure draws a chart's shapes at the current position.
func (d pdfDoc) figure(f figure) {
	k := d.scale(f)
	d.keepSpace(f.Height * k)
	left, _, _, _ := d.GetMargins()
	x0, y0 := left, d.GetY()
	at := func(x, y float64) (float64, float64) { return x0 + x*k, y0 + y*k }
	for _, s := range f.Shapes {
		switch s.Kind {
		case shapeRect:
			d.SetFillColor(s.Fill.rgb[0], s.Fill.rgb[1], s.Fill.rgb[2])
			x, y := at(s.X, s.Y)
			d.Rect(x, y, s.W*k, s.H*k, "F")
		case shapeLine, shapePolyline:
			d.stroke(s, k)
			pts := s.Points
			if s.Kind == shapeLine {
				pts = []point{{s.X, s.Y}, {s.X2, s.Y2}}
			}
			for i, p := range pts {
				x, y := at(p.X, p.Y)
				if i == 0 {
					d.MoveTo(x, y)
				} else {
					d.LineTo(x, y)
				}
			}
			d.DrawPath("D")
		case shapeText:
			d.drawText(s, k, at)
		}
	}
	d.SetDashPattern([]float64{}, 0)
	d.SetLineWidth(0.2)
	d.SetDrawColor(0, 0, 0)
	d.SetTextColor(0, 0, 0)
	d.SetY(y0 + f.Height*k + 2)
}

func (d pdfDoc) stroke(s shape, k float64) {
	d.SetDrawColor(s.Stroke.rgb[0], s.Stroke.rgb[1], s.Stroke.rgb[2])
	d.SetLineWidth(s.StrokeWidth * k)
	dash := make([]float64, len(s.Dash))
	for i, v := range s.Dash {
		dash[i] = v * k
	}
	d.SetDashPattern(dash, 0)
}

// drawText places a text by its anchor as the SVG does; a font size in
// canvas units becomes points at the figure's scale.
func (d pdfDoc) drawText(s shape, k float64, at func(x, y float64) (float64, float64)) {
	style := ""
	if s.Bold {
		style = "B"
	}
	d.ts.setFont(style, s.Size*k*72/25.4)
	d.SetTextColor(s.Fill.rgb[0], s.Fill.rgb[1], s.Fill.rgb[2])
	txt := d.ts.prepare(s.Text)
	x, y := at(s.X, s.Y)
	switch s.Anchor {
	case "middle":
		x -= d.ts.width(txt) / 2
	case "end":
		x -= d.ts.width(txt)
	}
	d.ts.draw(x, y, txt)
}

// table draws a chart's data with ruled cells, wrapping long text and
// repeating the header on a new page.
func (d pdfDoc) table(t DataTable) {
	left, _, right, _ := d.GetMargins()
	pw, _ := d.GetPageSize()
	widths := columnWidths(len(t.Head), pw-left-right)
	d.keepSpace(16)
	d.SetTextColor(91, 100, 112)
	d.lines(t.Caption, 9, "B", 4.5)
	d.SetTextColor(0, 0, 0)
	d.row(t.Head, widths, true)
	for _, r := range t.Rows {
		if d.row(r, widths, false) {
			d.row(t.Head, widths, true)
			d.row(r, widths, false)
		}
	}
	d.Ln(3)
}

// columnWidths gives the first column (the name) a third of the width
// and shares the rest.
func columnWidths(n int, width float64) []float64 {
	if n <= 1 {
		return []float64{width}
	}
	w := make([]float64, n)
	w[0] = width / 3
	for i := 1; i < n; i++ {
		w[i] = (width - w[0]) / float64(n-1)
	}
	return w
}

const tableLine = 3.8

// row draws one table row; when it does not fit on the page it starts a
// new page instead and reports true, so that the caller repeats the header.
func (d pdfDoc) row(cells []string, widths []float64, head bool) (newPage bool) {
	style := ""
	if head {
		style = "B"
	}
	d.ts.setFont(style, 8.5)
	lines := make([][]string, len(cells))
	n := 1
	for i, c := range cells {
		lines[i] = d.ts.wrap(d.ts.prepare(c), widths[i]-2)
		n = max(n, len(lines[i]))
	}
	h := float64(n)*tableLine + 1.6
	_, ph := d.GetPageSize()
	if d.GetY()+h > ph-pdfBottom && !head {
		d.AddPage()
		return true
	}
	left, _, _, _ := d.GetMargins()
	x, y := left, d.GetY()
	d.SetDrawColor(213, 217, 222)
	d.SetLineWidth(0.2)
	for i := range cells {
		mode := "D"
		if head {
			d.SetFillColor(243, 244, 246)
			mode = "FD"
		}
		d.Rect(x, y, widths[i], h, mode)
		for j, l := range lines[i] {
			d.ts.draw(x+1.2, y+0.6+tableLine*float64(j+1)-0.9, l)
		}
		x += widths[i]
	}
	d.SetDrawColor(0, 0, 0)
	d.SetY(y + h)
	return false
}
