package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/go-pdf/fpdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goitalic"
	"golang.org/x/image/font/gofont/goregular"

	"github.com/parley/parley/domain"
)

// The Go fonts cover Latin with its accents, Turkish, Greek and Cyrillic, so
// names such as Dolmabahçe, Fidan's "ğ" and Мединский print as written;
// fpdf's built-in core fonts know only Latin-1.
const pdfFont = "go"

var stateColor = map[string][3]int{
	string(domain.StateOpen): {107, 114, 128}, string(domain.StateConvergent): {29, 111, 184},
	string(domain.StateContested): {180, 35, 24}, string(domain.StateAgreed): {19, 115, 51},
}

// pdfDoc wraps fpdf with the few text blocks the report is made of.
type pdfDoc struct{ *fpdf.Fpdf }

func renderPDF(w io.Writer, r *domain.Report) error {
	f := fpdf.New("P", "mm", "A4", "")
	f.SetMargins(16, 16, 16)
	f.SetAutoPageBreak(true, 18)
	f.AddUTF8FontFromBytes(pdfFont, "", goregular.TTF)
	f.AddUTF8FontFromBytes(pdfFont, "B", gobold.TTF)
	f.AddUTF8FontFromBytes(pdfFont, "I", goitalic.TTF)
	f.SetTitle(r.Title, true)
	f.SetCreator("parley", true)
	f.AliasNbPages("{nb}")
	f.SetFooterFunc(func() {
		f.SetY(-12)
		f.SetFont(pdfFont, "", 8)
		f.SetTextColor(110, 110, 110)
		f.CellFormat(120, 5, truncateText(r.Negotiation.Title, 80)+" · as of "+asOfText(r), "", 0, "L", false, 0, "")
		f.CellFormat(0, 5, fmt.Sprintf("Page %d of {nb}", f.PageNo()), "", 0, "R", false, 0, "")
	})
	f.AddPage()
	d := pdfDoc{f}

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
		for _, g := range t.TermGaps {
			d.text("Gap on "+g.Label+": "+gapText(g), 10, "B")
		}
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
			}
		}
	}

	if r.Since != nil {
		d.since(r)
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
	if err := f.Error(); err != nil {
		return err
	}
	return f.Output(w)
}

// since writes what moved since the report's since instant: per topic
// its state then and now, then each move as a sentence.
func (d pdfDoc) since(r *domain.Report) {
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
	d.SetFont(pdfFont, "B", size)
	d.MultiCell(0, size*0.5, pdfText(s), "", "L", false)
	d.Ln(1)
}

func (d pdfDoc) topicHeading(n int, t domain.ReportTopic) {
	d.Ln(3)
	d.SetFont(pdfFont, "B", 12)
	c := stateColor[t.State]
	d.SetTextColor(c[0], c[1], c[2])
	d.MultiCell(0, 6, pdfText(fmt.Sprintf("%d. %s [%s]", n, t.Title, strings.ToUpper(t.State))), "", "L", false)
	d.SetTextColor(0, 0, 0)
}

func (d pdfDoc) text(s string, size float64, style string) {
	d.SetFont(pdfFont, style, size)
	d.MultiCell(0, size*0.48, pdfText(s), "", "L", false)
}

func (d pdfDoc) para(s string) {
	if strings.TrimSpace(s) != "" {
		d.text(s, 10, "")
	}
}

// pdfText drops control characters other than line breaks, which fpdf
// would otherwise print as boxes or use to break its layout, and replaces
// characters beyond the Basic Multilingual Plane (emoji, rare scripts):
// fpdf's UTF-8 fonts cannot address them and refuse the whole document.
func pdfText(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n':
			return r
		case r < 0x20 || r == 0x7f:
			return ' '
		case r > 0xFFFF:
			return '?'
		}
		return r
	}, s)
}

func truncateText(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
