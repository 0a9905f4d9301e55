package report

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/go-pdf/fpdf"

	"github.com/parley/parley/domain"
)

var stateColor = map[string][3]int{
	string(domain.StateOpen): {107, 114, 128}, string(domain.StateConvergent): {29, 111, 184}, string(domain.StateDivergent): {138, 90, 0},
	string(domain.StateContested): {180, 35, 24}, string(domain.StateAgreed): {19, 115, 51},
}

// pdfDoc wraps fpdf with the few text blocks the report is made of; all
// text goes through its typesetter (pdf_text.go).
type pdfDoc struct {
	*fpdf.Fpdf
	ts *typesetter
}

// newPDFDoc starts an A4 document in the given orientation ("P" or "L")
// with the report's footer on every page.
func newPDFDoc(r *Report, orientation string) (pdfDoc, error) {
	f := fpdf.New(orientation, "mm", "A4", "")
	f.SetMargins(16, 16, 16)
	f.SetAutoPageBreak(true, pdfBottom)
	// Pages are written plain and deflated in finish (pdf_compress.go).
	f.SetCompression(false)
	ts, err := newTypesetter(f, r)
	if err != nil {
		return pdfDoc{}, err
	}
	d := pdfDoc{f, ts}
	f.SetTitle(r.Title, true)
	f.SetCreator("parley", true)
	f.AliasNbPages("{nb}")
	// The handling marking heads and foots every page, centred and bold.
	marking := func(y float64, text string) {
		pw, _ := f.GetPageSize()
		line := ts.prepare(text)
		ts.draw((pw-ts.width(line))/2, y, line)
	}
	f.SetHeaderFunc(func() {
		style, size := ts.style, ts.size
		defer ts.setFont(style, size)
		ts.setFont("B", 8)
		f.SetTextColor(0, 0, 0)
		marking(10, handlingText(r))
		f.SetY(16)
	})
	f.SetFooterFunc(func() {
		style, size := ts.style, ts.size
		defer ts.setFont(style, size)
		left, _, right, _ := f.GetMargins()
		pw, ph := f.GetPageSize()
		ts.setFont("", 8)
		_, ph0 := f.GetPageSize()
		ts.setFont("B", 8)
		f.SetTextColor(0, 0, 0)
		marking(ph0-13, r.Handling)
		ts.setFont("", 8)
		f.SetTextColor(110, 110, 110)
		y := ph - 8
		ts.draw(left+1, y, ts.prepare(truncateText(r.Negotiation.Title, 80)+" · as of "+asOfText(r)))
		page := fmt.Sprintf("Page %d of {nb}", f.PageNo())
		f.Text(pw-right-1-f.GetStringWidth(fmt.Sprintf("Page %d of %d", f.PageNo(), f.PageNo())), y, page)
		f.SetTextColor(0, 0, 0)
	})
	return d, nil
}

// finish writes the document, with the note on missing CJK fonts last.
func (d pdfDoc) finish(w io.Writer) error {
	if n := d.ts.cjkNote(); n != "" {
		d.Ln(3)
		d.text(n, 9, "I")
	}
	if err := d.Error(); err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := d.Output(&buf); err != nil {
		return err
	}
	pdf, err := compressPages(buf.Bytes())
	if err != nil {
		return err
	}
	_, err = w.Write(nameSubsets(pdf))
	return err
}

func renderPDF(w io.Writer, r *Report) error {
	d, err := newPDFDoc(r, "P")
	if err != nil {
		return err
	}
	d.AddPage()

	d.heading(r.Title, 18)
	d.text(fmt.Sprintf("As of %s · generated %s · status %s", asOfText(r), formatInstant(r.GeneratedAt), humanize(r.Negotiation.Status)), 9, "I")
	d.para(r.Negotiation.Description)

	d.heading("Summary", 14)
	var states []string
	for _, sc := range r.Summary.TopicsByState {
		states = append(states, fmt.Sprintf("%s %d", sc.State, sc.Count))
	}
	d.text("Topics by state: "+strings.Join(states, " · "), 10, "B")
	d.text(countsText(r.Summary), 10, "")

	d.heading("Parties", 14)
	for _, p := range r.Parties {
		role := humanize(p.Role)
		if role == "" {
			role = "not a participant"
		}
		line := fmt.Sprintf("%s: %s, %s", p.Name, role, humanize(p.Kind))
		if len(p.Aliases) > 0 {
			line += " (also " + strings.Join(p.Aliases, ", ") + ")"
		}
		d.text(line, 10, "")
	}

	d.heading("Rounds and delegations", 14)
	if len(r.Rounds) == 0 {
		d.text("No rounds recorded.", 10, "")
	}
	for _, rd := range r.Rounds {
		d.heading(rd.Title, 12)
		line := roundWhenWhere(rd) + " · " + humanize(rd.Format) + " format"
		if rd.Host != "" {
			line += " · hosted by " + rd.Host
		}
		d.text(line, 9, "I")
		d.para(rd.Summary)
		for _, dl := range rd.Delegations {
			line := fmt.Sprintf("• %s (%s level)", dl.Party, humanize(dl.Level))
			if h := delegationHead(dl); h != "" {
				line += ": led by " + h
			}
			if len(dl.Members) > 0 {
				line += ". Members: " + membersText(dl.Members)
			}
			if dl.Notes != "" {
				line += ". " + dl.Notes
			}
			d.text(line, 10, "")
		}
		if rd.LevelNote != "" {
			d.SetTextColor(180, 35, 24)
			d.text("Note: "+rd.LevelNote, 10, "B")
			d.SetTextColor(0, 0, 0)
		}
	}

	d.timeline(r.Timeline)

	d.heading("Topics", 14)
	if len(r.Topics) == 0 {
		d.text("No topics recorded.", 10, "")
	}
	for i, t := range r.Topics {
		d.topicHeading(i+1, t)
		d.para(t.Description)
		if len(t.Stances) > 0 {
			d.text("Stances: "+stancesText(t), 10, "")
		}
		for _, g := range t.Terms {
			d.text(g.Label+": "+termRowText(g), 10, "B")
		}
		d.threads(t)
		if len(t.Demands) == 0 {
			d.text("No demands.", 10, "I")
		}
		for _, dm := range t.Demands {
			d.Ln(1)
			d.text(dm.Party+": "+dm.Title, 11, "B")
			line := fmt.Sprintf("%s · %s priority · stated %s", humanize(dm.Status), dm.Priority, dm.StatedOn)
			if dm.Round != "" {
				line += " · round: " + dm.Round
			}
			if c := citeText(dm.Citations); c != "" {
				line += " · sources " + c
			}
			d.text(line, 9, "I")
			d.para(dm.Details)
			if len(dm.Terms) > 0 {
				d.text("Terms: "+termsText(dm.Terms), 10, "")
			}
			for _, c := range dm.Citations {
				if c.Quote != "" {
					d.text(fmt.Sprintf("“%s” [%d]", c.Quote, c.Source), 9, "I")
				}
			}
			for _, e := range dm.Endorsements {
				line := "+ Endorsed by " + e.Party + " on " + e.StatedOn
				if e.Note != "" {
					line += ": " + e.Note
				}
				if c := citeText(e.Citations); c != "" {
					line += " " + c
				}
				d.text(line, 10, "")
			}
			for _, o := range dm.Objections {
				mark := "×"
				if pastObjection(o) {
					mark = "–"
					d.SetTextColor(120, 120, 120)
				}
				line := fmt.Sprintf("%s %s %s (%s) on %s: %s", mark, objectionLead(o), o.Party, objectionKind(o), o.StatedOn, o.Grounds)
				if c := citeText(o.Citations); c != "" {
					line += " " + c
				}
				d.text(line, 10, "")
				d.SetTextColor(0, 0, 0)
				d.rebuttals(o.Rebuttals)
			}
		}
	}

	d.grid(r)

	if r.Since != nil {
		d.since(r)
	}

	d.heading("Legend", 14)
	for _, st := range r.States {
		d.text(string(st.State)+": "+st.Definition, 9, "")
	}
	for _, st := range r.Stances {
		d.text(st.Symbol+" "+st.Stance+": "+st.Definition, 9, "")
	}

	d.heading("Sources", 14)
	if len(r.Sources) == 0 {
		d.text("No sources cited.", 10, "")
	}
	for _, s := range r.Sources {
		line := fmt.Sprintf("%d. %s", s.Number, sourceText(s))
		if s.URL != "" {
			line += " " + s.URL
		}
		d.text(line+" — "+gradingText(s), 9, "")
	}
	if len(r.Unsourced) > 0 {
		d.Ln(2)
		d.text(unsourcedHeading(r), 10, "B")
		for _, c := range r.Unsourced {
			d.text("• "+claimLine(c), 9, "")
		}
	}
	return d.finish(w)
}

// since writes what moved since the report's since instant: per topic
// its state then and now, then each move as a sentence.
func (d pdfDoc) since(r *Report) {
	d.heading(sinceHeading(r), 14)
	d.text(sinceWindow(r), 9, "I")
	if nothingMoved(r.Changes) {
		d.text("Nothing moved.", 10, "")
		return
	}
	for _, t := range movedTopics(r.Changes) {
		d.Ln(2)
		d.text(topicMoveHeading(t), 11, "B")
		for _, m := range t.Moves {
			d.text("• "+moveLine(m), 10, "")
		}
	}
	if len(r.Changes.OtherMoves) > 0 {
		d.Ln(2)
		d.text(otherMovesHeading, 11, "B")
		for _, m := range r.Changes.OtherMoves {
			d.text("• "+moveLine(m), 10, "")
		}
	}
	if u := unmovedText(r.Changes); u != "" {
		d.Ln(1)
		d.text(u, 10, "I")
	}
}

func (d pdfDoc) heading(s string, size float64) {
	d.Ln(size / 4)
	d.lines(s, size, "B", size*0.5)
	d.Ln(1)
}

func (d pdfDoc) topicHeading(n int, t Topic) {
	d.Ln(3)
	c := stateColor[t.State]
	d.SetTextColor(c[0], c[1], c[2])
	d.lines(fmt.Sprintf("%d. %s [%s]", n, t.Title, strings.ToUpper(t.State)), 12, "B", 6)
	d.SetTextColor(0, 0, 0)
}

// threads sets a topic's threads before its demands, as the markdown
// and HTML reports do: each demand that drew a response, then the
// responses, indented by how deep they answer.
func (d pdfDoc) threads(t Topic) {
	lines := threadLines(t)
	if len(lines) == 0 {
		return
	}
	d.Ln(1)
	d.text("Threads:", 10, "B")
	left, _, _, _ := d.GetMargins()
	for _, l := range lines {
		indent := left + 6*float64(l.Depth)
		d.SetLeftMargin(indent)
		d.SetX(indent)
		d.text(l.Text, 9.5, "")
	}
	d.SetLeftMargin(left)
	d.SetX(left)
}

// rebuttals sets the answers to an objection under it, indented: the
// thread demand → objection → rebuttal reads down the page.
func (d pdfDoc) rebuttals(rs []Rebuttal) {
	if len(rs) == 0 {
		return
	}
	left, _, _, _ := d.GetMargins()
	d.SetLeftMargin(left + 6)
	d.SetX(left + 6)
	for _, rb := range rs {
		line := "↳ Answered by " + rb.Party + " on " + rb.StatedOn + ": " + rb.Grounds
		if c := citeText(rb.Citations); c != "" {
			line += " " + c
		}
		d.text(line, 9.5, "")
	}
	d.SetLeftMargin(left)
	d.SetX(left)
}

func (d pdfDoc) text(s string, size float64, style string) {
	d.lines(s, size, style, size*0.48)
}

func (d pdfDoc) para(s string) {
	if strings.TrimSpace(s) != "" {
		d.text(s, 10, "")
	}
}

// lines sets s across the width between the margins, lineH millimetres
// a line, starting a new page where the next line would not fit.
func (d pdfDoc) lines(s string, size float64, style string, lineH float64) {
	d.ts.setFont(style, size)
	left, _, right, _ := d.GetMargins()
	pw, ph := d.GetPageSize()
	for _, line := range d.ts.wrap(d.ts.prepare(s), pw-left-right-2) {
		if d.GetY()+lineH > ph-pdfBottom {
			d.AddPage()
		}
		y := d.GetY()
		d.ts.draw(left+1, baseline(y, lineH, size), line)
		d.SetXY(left, y+lineH)
	}
}

// baseline is where text of size points sits in a line lineH
// millimetres high whose top is at y, as fpdf places a cell's text.
func baseline(y, lineH, size float64) float64 {
	return y + 0.5*lineH + 0.3*size*25.4/72
}

func truncateText(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
