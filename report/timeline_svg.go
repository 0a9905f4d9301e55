package report

import (
	"encoding/xml"
	"html/template"
	"strconv"
	"strings"
)

// svg writes a figure as an inline SVG element: no script, no style
// attribute (the UI's content security policy allows neither), only
// presentation attributes, so it draws without JavaScript and prints.
// Every text is escaped with encoding/xml, which is why the result may be
// trusted as template.HTML.
func (f figure) svg() template.HTML {
	var b strings.Builder
	b.Grow(256 + 120*len(f.Shapes))
	titleID, descID := f.ID+"-title", f.ID+"-desc"
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" class="timeline-chart" role="img" viewBox="0 0 `)
	// Only a width: the viewBox gives the height, so the chart scales to
	// the page or the paper without a stylesheet.
	b.WriteString(num(f.Width) + " " + num(f.Height) + `" width="100%`)
	b.WriteString(`" aria-labelledby="` + attr(titleID) + `" aria-describedby="` + attr(descID))
	b.WriteString(`" font-family="system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', Arial, sans-serif">`)
	b.WriteString(`<title id="` + attr(titleID) + `">` + escape(f.Title) + `</title>`)
	b.WriteString(`<desc id="` + attr(descID) + `">` + escape(f.Desc) + `</desc>`)
	for _, s := range f.Shapes {
		writeShape(&b, s)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) //nolint:gosec // every text and attribute above went through escape or attr
}

func writeShape(b *strings.Builder, s shape) {
	switch s.Kind {
	case shapeRect:
		b.WriteString(`<rect x="` + num(s.X) + `" y="` + num(s.Y) + `" width="` + num(s.W) + `" height="` + num(s.H) + `"`)
	case shapeLine:
		b.WriteString(`<line x1="` + num(s.X) + `" y1="` + num(s.Y) + `" x2="` + num(s.X2) + `" y2="` + num(s.Y2) + `"`)
	case shapePolyline:
		b.WriteString(`<polyline points="`)
		for i, p := range s.Points {
			if i > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(num(p.X) + "," + num(p.Y))
		}
		b.WriteString(`"`)
	case shapeText:
		b.WriteString(`<text x="` + num(s.X) + `" y="` + num(s.Y) + `" font-size="` + num(s.Size) + `"`)
		if s.Anchor != "" && s.Anchor != "start" {
			b.WriteString(` text-anchor="` + s.Anchor + `"`)
		}
		if s.Bold {
			b.WriteString(` font-weight="bold"`)
		}
	}
	if s.Kind != shapeLine {
		// A polyline left unfilled would be filled black.
		b.WriteString(` fill="` + s.Fill.hex() + `"`)
	}
	if s.Stroke.ok {
		b.WriteString(` stroke="` + s.Stroke.hex() + `" stroke-width="` + num(s.StrokeWidth) + `"`)
		if len(s.Dash) > 0 {
			parts := make([]string, len(s.Dash))
			for i, d := range s.Dash {
				parts[i] = num(d)
			}
			b.WriteString(` stroke-dasharray="` + strings.Join(parts, " ") + `"`)
		}
	}
	if s.Kind == shapePolyline {
		b.WriteString(` stroke-linejoin="round"`)
	}
	b.WriteString(">")
	if s.Tooltip != "" {
		b.WriteString("<title>" + escape(s.Tooltip) + "</title>")
	}
	if s.Kind == shapeText {
		b.WriteString(escape(s.Text))
	}
	b.WriteString("</" + shapeTags[s.Kind] + ">")
}

var shapeTags = map[shapeKind]string{shapeRect: "rect", shapeLine: "line", shapePolyline: "polyline", shapeText: "text"}

// num writes a coordinate with at most one decimal, which is finer than a
// printed dot and keeps the document small.
func num(f float64) string {
	return strconv.FormatFloat(float64(int64(f*10+sign(f)*0.5))/10, 'f', -1, 64)
}

func sign(f float64) float64 {
	if f < 0 {
		return -1
	}
	return 1
}

func escape(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s)) // a strings.Builder never fails
	return b.String()
}

// attr escapes an attribute value; EscapeText escapes quotes too.
func attr(s string) string { return escape(s) }
