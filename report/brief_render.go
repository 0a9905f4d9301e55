package report

import (
	"bufio"
	"embed"
	"fmt"
	"html/template"
	"io"
	"strings"
)

//go:embed templates/brief.html
var briefTemplates embed.FS

var htmlBrief = template.Must(template.New("brief.html").Funcs(template.FuncMap{
	"join":   func(s []string) string { return strings.Join(s, "; ") },
	"more":   moreText,
	"source": sourceText,
}).ParseFS(briefTemplates, "templates/brief.html"))

func renderBriefHTML(w io.Writer, b *brief) error {
	out := bufio.NewWriter(w)
	if err := htmlBrief.Execute(out, b); err != nil {
		return err
	}
	return out.Flush()
}

// renderBriefPDF sets the brief on A4 in 9-point type: a line per topic
// with its state in colour, then the moves, the gaps, the objections and
// the sources.
func renderBriefPDF(w io.Writer, b *brief) error {
	d, err := newPDFDoc(b.r, "P")
	if err != nil {
		return err
	}
	d.AddPage()
	d.heading(b.Title+" — brief", 15)
	d.text("As of "+b.AsOf, 9, "I")
	if b.Marking != "" {
		d.text(b.Marking, 10, "B")
	}
	d.heading("Topics", 12)
	for _, t := range b.Topics {
		c := stateColor[t.State]
		d.SetTextColor(c[0], c[1], c[2])
		d.text(fmt.Sprintf("%s [%s]", t.Title, strings.ToUpper(t.State)), 9.5, "B")
		d.SetTextColor(0, 0, 0)
		if len(t.Stances) > 0 {
			d.text(strings.Join(t.Stances, "; "), 9, "")
		}
	}
	d.Ln(1)
	d.SetTextColor(91, 100, 112)
	d.text(legendText(b), 8, "I")
	d.SetTextColor(0, 0, 0)
	if b.Since != nil {
		d.heading(b.Since.Heading, 12)
		if len(b.Since.Lines) == 0 {
			d.text("Nothing moved.", 9, "")
		}
		for _, l := range b.Since.Lines {
			d.text("• "+l, 9, "")
		}
		if b.Since.More > 0 {
			d.text(moreText(b.Since.More, "move"), 9, "I")
		}
	}
	d.heading("Widest gaps", 12)
	if len(b.Gaps) == 0 {
		d.text("No numeric gap between the parties.", 9, "")
	}
	for _, g := range b.Gaps {
		d.text("• "+g.Topic+", "+g.Label+": "+g.Text, 9, "")
	}
	d.heading("Standing objections that block agreement", 12)
	if len(b.Objections) == 0 {
		d.text("None.", 9, "")
	}
	for _, o := range b.Objections {
		d.text("• "+o.Topic+": "+o.Text, 9, "")
	}
	if b.MoreBlocks > 0 {
		d.text(moreText(b.MoreBlocks, "objection"), 9, "I")
	}
	d.heading("Sources", 12)
	for _, s := range b.Sources {
		line := fmt.Sprintf("%d. %s", s.Number, sourceText(s))
		if s.URL != "" {
			line += " " + s.URL
		}
		d.text(line, 8, "")
	}
	return d.finish(w)
}
