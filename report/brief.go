package report

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/parley/parley/domain"
)

// BriefFormats are the formats a brief comes in.
var BriefFormats = []string{"markdown", "html", "pdf"}

// HasLayout reports whether format comes in layout.
func HasLayout(format, layout string) bool {
	switch layout {
	case "", "full":
		return true
	case "brief":
		return slices.Contains(BriefFormats, format)
	}
	return false
}

// DrawsTimelineIn reports whether a format in a layout draws the
// timeline: the brief never does.
func DrawsTimelineIn(format, layout string) bool {
	return layout != "brief" && DrawsTimeline(format)
}

// LayoutFilename names a report file as Filename does, with "-brief"
// after the title for a brief.
func LayoutFilename(r *Report, format, layout string) string {
	name := Filename(r, format)
	if layout == "brief" {
		name = strings.Replace(name, "-as-of-", "-brief-as-of-", 1)
	}
	return name
}

// RenderLayout writes the report in format and layout; "" is "full".
func RenderLayout(w io.Writer, format, layout string, r *Report) error {
	if layout == "" || layout == "full" {
		return Render(w, format, r)
	}
	if !HasLayout(format, layout) {
		return fmt.Errorf("layout %q: use one of %s; a brief comes in %s", layout, strings.Join(Layouts, ", "), strings.Join(BriefFormats, ", "))
	}
	b := buildBrief(r)
	switch format {
	case "markdown":
		return renderBriefMarkdown(w, b)
	case "html":
		return renderBriefHTML(w, b)
	}
	return renderBriefPDF(w, b)
}

// The brief's caps keep it within two pages whatever the negotiation's
// size; what they leave out is counted and the full report named.
const (
	briefGaps  = 3
	briefMoves = 10
	briefBlock = 8
)

// brief is what the brief layout shows, the same in every format.
type brief struct {
	r       *Report
	Title   string
	AsOf    string
	Marking string
	Topics  []briefTopic
	// Since is nil without a since instant.
	Since       *briefSince
	Gaps        []briefGap
	Objections  []briefObjection
	MoreBlocks  int
	Sources     []Source
	StateLegend []briefLegend
}

type briefTopic struct {
	Title   string
	State   string
	Stances []string // "Ukraine: tabled [1]"
}

type briefSince struct {
	Heading string
	Lines   []string
	More    int
}

type briefGap struct {
	Topic, Label, Text string
}

type briefObjection struct {
	Topic, Text string
}

type briefLegend struct{ State, Meaning string }

// handlingMarking is the handling marking the brief prints under its
// title (such as a Traffic Light Protocol label); "" while reports carry
// none.
func handlingMarking(r *Report) string { return "" }

func buildBrief(r *Report) *brief {
	b := &brief{r: r, Title: r.Title, AsOf: asOfText(r), Marking: handlingMarking(r)}
	cited := map[int]bool{}
	cite := func(refs []CiteRef) string {
		for _, c := range refs {
			cited[c.Source] = true
		}
		return citeText(refs)
	}
	for _, t := range r.Topics {
		b.Topics = append(b.Topics, briefTopic{Title: t.Title, State: t.State, Stances: stances(t, cite)})
		for _, d := range t.Demands {
			for _, o := range d.Objections {
				if pastObjection(o) || !liveStatus(d.Status) {
					continue
				}
				if len(b.Objections) == briefBlock {
					b.MoreBlocks++
					continue
				}
				text := fmt.Sprintf("%s objects (%s) to %s's “%s”: %s", o.Party, humanize(o.Kind), d.Party, d.Title, o.Grounds)
				if c := cite(o.Citations); c != "" {
					text += " " + c
				}
				if who := answeredBy(o); who != "" {
					text += "; answered by " + who
				}
				b.Objections = append(b.Objections, briefObjection{Topic: t.Title, Text: text})
			}
		}
	}
	b.Gaps = widestGaps(r.Topics, briefGaps)
	if r.Since != nil {
		s := &briefSince{Heading: sinceHeading(r)}
		for _, t := range movedTopics(r.Changes) {
			for _, m := range t.Moves {
				if len(s.Lines) == briefMoves {
					s.More++
					continue
				}
				s.Lines = append(s.Lines, t.TopicTitle+": "+moveLine(m))
			}
		}
		if r.Changes != nil {
			for _, m := range r.Changes.OtherMoves {
				if len(s.Lines) == briefMoves {
					s.More++
					continue
				}
				s.Lines = append(s.Lines, moveLine(m))
			}
		}
		b.Since = s
	}
	for _, s := range r.Sources {
		if cited[s.Number] {
			b.Sources = append(b.Sources, s)
		}
	}
	for _, d := range domain.TopicStateDefinitions {
		b.StateLegend = append(b.StateLegend, briefLegend{string(d.State), strings.TrimSuffix(d.Definition, ".")})
	}
	return b
}

func liveStatus(s string) bool { return s != "withdrawn" && s != "rejected" }

// stances writes each party's stance on a topic (domain's stance word),
// then what it rests on — its demands' statuses, its standing objections
// and its endorsements — in the order the parties first appear:
// "Russia: opposes — objects to Ukraine".
func stances(t Topic, cite func([]CiteRef) string) []string {
	var order []string
	parts := map[string][]string{}
	add := func(party, s string) {
		if _, ok := parts[party]; !ok {
			order = append(order, party)
		}
		if !slices.Contains(parts[party], s) {
			parts[party] = append(parts[party], s)
		}
	}
	for _, d := range t.Demands {
		s := humanize(d.Status)
		if c := cite(d.Citations); c != "" {
			s += " " + c
		}
		add(d.Party, s)
		if !liveStatus(d.Status) {
			continue
		}
		for _, e := range d.Endorsements {
			add(e.Party, "endorses "+d.Party)
		}
		for _, o := range d.Objections {
			if !pastObjection(o) {
				add(o.Party, "objects to "+d.Party)
			}
		}
	}
	word := map[string]string{}
	for _, st := range t.Stances {
		word[st.Party] = strings.ToLower(domain.StanceInfo(st.Stance).Label)
	}
	out := make([]string, len(order))
	for i, p := range order {
		out[i] = p + ": " + strings.Join(parts[p], ", ")
		if w := word[p]; w != "" {
			out[i] = p + ": " + w + " — " + strings.Join(parts[p], ", ")
		}
	}
	return out
}

// widestGaps are the n term rows whose positions lie widest apart
// relative to the values they separate, so that days and dollars compare
// (domain's RelativeGap): a gap of 27 between 30 and 3 days (0.9) is wider
// than one of $1bn between $9bn and $10bn (0.1); a split counts as wide.
func widestGaps(topics []Topic, n int) []briefGap {
	type ranked struct {
		g     briefGap
		ratio float64
	}
	var all []ranked
	for _, t := range topics {
		for _, row := range t.Terms {
			if row.RelativeGap <= 0 {
				continue
			}
			all = append(all, ranked{briefGap{Topic: t.Title, Label: row.Label, Text: row.Spread}, row.RelativeGap})
		}
	}
	slices.SortStableFunc(all, func(a, b ranked) int { return cmp.Compare(b.ratio, a.ratio) })
	var out []briefGap
	for i := 0; i < len(all) && i < n; i++ {
		out = append(out, all[i].g)
	}
	return out
}

// renderBriefMarkdown writes the brief as markdown.
func renderBriefMarkdown(w io.Writer, b *brief) error {
	out := bufio.NewWriter(w)
	p := func(format string, args ...any) { fmt.Fprintf(out, format, args...) }
	p("# %s — brief\n\n", md(b.Title))
	p("- **As of:** %s\n", b.AsOf)
	if b.Marking != "" {
		p("- **Handling:** %s\n", md(b.Marking))
	}
	p("\n## Topics\n\n")
	for _, t := range b.Topics {
		p("- **%s** — %s", md(t.Title), strings.ToUpper(t.State))
		if len(t.Stances) > 0 {
			p(": %s", md(strings.Join(t.Stances, "; ")))
		}
		p("\n")
	}
	p("\n%s\n", md(legendText(b)))
	if b.Since != nil {
		p("\n## %s\n\n", md(b.Since.Heading))
		if len(b.Since.Lines) == 0 {
			p("Nothing moved.\n")
		}
		for _, l := range b.Since.Lines {
			p("- %s\n", md(l))
		}
		if b.Since.More > 0 {
			p("- %s\n", moreText(b.Since.More, "move"))
		}
	}
	p("\n## Widest gaps\n\n")
	if len(b.Gaps) == 0 {
		p("No numeric gap between the parties.\n")
	}
	for _, g := range b.Gaps {
		p("- **%s, %s:** %s\n", md(g.Topic), md(g.Label), md(g.Text))
	}
	p("\n## Standing objections that block agreement\n\n")
	if len(b.Objections) == 0 {
		p("None.\n")
	}
	for _, o := range b.Objections {
		p("- **%s:** %s\n", md(o.Topic), md(o.Text))
	}
	if b.MoreBlocks > 0 {
		p("- %s\n", moreText(b.MoreBlocks, "objection"))
	}
	p("\n## Sources\n\n")
	for _, s := range b.Sources {
		p("%d. %s", s.Number, md(sourceText(s)))
		if s.URL != "" {
			p(" <%s>", mdURL(s.URL))
		}
		p("\n")
	}
	return out.Flush()
}

// legendText is the state legend in one line.
func legendText(b *brief) string {
	parts := make([]string, len(b.StateLegend))
	for i, l := range b.StateLegend {
		parts[i] = strings.ToUpper(l.State) + ": " + l.Meaning
	}
	return strings.Join(parts, ". ") + "."
}

// moreText counts what a cap left out: "4 more moves in the full report."
func moreText(n int, what string) string {
	return plural(n, "more "+what, "more "+what+"s") + " in the full report."
}

// answeredBy names, once each and in order, the parties that answered an
// objection: a brief says who has met it, not how.
func answeredBy(o Objection) string {
	var who []string
	for _, rb := range o.Rebuttals {
		if !slices.Contains(who, rb.Party) {
			who = append(who, rb.Party)
		}
	}
	return strings.Join(who, ", ")
}
