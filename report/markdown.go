package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// mdEscaper backslash-escapes the characters that would let text a user
// typed turn into markdown: emphasis, links, code, raw HTML, table pipes.
var mdEscaper = strings.NewReplacer(
	`\`, `\\`, "`", "\\`", `*`, `\*`, `_`, `\_`, `[`, `\[`, `]`, `\]`,
	`<`, `\<`, `>`, `\>`, `|`, `\|`, `&`, `\&`, `#`, `\#`, `~`, `\~`,
)

// md escapes user text for use inside one line of markdown.
func md(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	s = mdEscaper.Replace(s)
	// A line that starts like a list item or a heading would change the
	// structure; escape its first character.
	if s != "" && strings.ContainsRune("-+=!", rune(s[0])) {
		s = `\` + s
	}
	if i := strings.IndexAny(s, ".)"); i > 0 && i < 10 && strings.Trim(s[:i], "0123456789") == "" {
		s = s[:i] + `\` + s[i:]
	}
	return s
}

// mdBlock escapes multi-line user text as paragraphs.
func mdBlock(s string) string {
	var paras []string
	for _, p := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n\n") {
		if p = md(p); p != "" {
			paras = append(paras, p)
		}
	}
	return strings.Join(paras, "\n\n")
}

func renderMarkdown(w io.Writer, r *Report) error {
	b := bufio.NewWriterSize(w, 64<<10)
	p := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }

	p("**%s**\n\n", md(handlingText(r)))
	p("# %s\n\n", md(r.Title))
	p("- **As of:** %s\n", asOfText(r))
	p("- **Generated:** %s\n", formatInstant(r.GeneratedAt))
	p("- **Status:** %s", md(humanize(r.Negotiation.Status)))
	if r.Negotiation.StartedOn != "" {
		p(", started %s", md(r.Negotiation.StartedOn))
	}
	p("\n\n")
	if d := mdBlock(r.Negotiation.Description); d != "" {
		p("%s\n\n", d)
	}

	p("## Summary\n\n| Topic state | Topics |\n|---|---:|\n")
	for _, sc := range r.Summary.TopicsByState {
		p("| %s | %d |\n", sc.State, sc.Count)
	}
	p("\n%s\n\n", countsText(r.Summary))

	p("## Parties\n\n| Party | Role | Kind | Also known as |\n|---|---|---|---|\n")
	for _, pt := range r.Parties {
		role := humanize(pt.Role)
		if role == "" {
			role = "not a participant"
		}
		p("| %s | %s | %s | %s |\n", md(pt.Name), role, humanize(pt.Kind), md(strings.Join(pt.Aliases, ", ")))
	}
	p("\n")

	p("## Rounds and delegations\n\n")
	if len(r.Rounds) == 0 {
		p("No rounds recorded.\n\n")
	}
	for _, rd := range r.Rounds {
		p("### %s\n\n", md(rd.Title))
		p("%s · %s format", md(roundWhenWhere(rd)), humanize(rd.Format))
		if rd.Host != "" {
			p(" · hosted by %s", md(rd.Host))
		}
		p("\n\n")
		if s := mdBlock(rd.Summary); s != "" {
			p("%s\n\n", s)
		}
		for _, d := range rd.Delegations {
			p("- **%s** (%s level)", md(d.Party), humanize(d.Level))
			if h := delegationHead(d); h != "" {
				p(": led by %s", md(h))
			}
			if len(d.Members) > 0 {
				p(". Members: %s", md(membersText(d.Members)))
			}
			if d.Notes != "" {
				p(". %s", md(d.Notes))
			}
			p("\n")
		}
		if len(rd.Delegations) > 0 {
			p("\n")
		}
		if rd.LevelNote != "" {
			p("> **Note:** %s\n\n", md(rd.LevelNote))
		}
	}

	p("## Topics\n\n")
	if len(r.Topics) == 0 {
		p("No topics recorded.\n\n")
	}
	for i, t := range r.Topics {
		p("### %d. %s — %s\n\n", i+1, md(t.Title), md(topicStateText(t)))
		if d := mdBlock(t.Description); d != "" {
			p("%s\n\n", d)
		}
		if len(t.Stances) > 0 {
			p("**Stances:** %s\n\n", md(stancesText(t)))
		}
		for _, g := range t.Terms {
			p("- **%s:** %s\n", md(g.Label), md(termRowText(g)))
		}
		if len(t.Terms) > 0 {
			p("\n")
		}
		writeMarkdownThreads(p, t)
		if len(t.Demands) == 0 {
			p("No demands.\n\n")
		}
		for _, d := range t.Demands {
			p("#### %s: %s\n\n", md(d.Party), md(d.Title))
			p("%s · %s priority · stated %s", humanize(d.Status), d.Priority, md(d.StatedOn))
			if d.Round != "" {
				p(" · round: %s", md(d.Round))
			}
			if c := citeText(d.Citations); c != "" {
				p(" · sources %s", md(c))
			}
			p("\n\n")
			if s := mdBlock(d.Details); s != "" {
				p("%s\n\n", s)
			}
			if len(d.Terms) > 0 {
				p("Terms: %s\n\n", md(termsText(d.Terms)))
			}
			writeMarkdownQuotes(p, d.Citations)
			for _, e := range d.Endorsements {
				p("- Endorsed by **%s** on %s", md(e.Party), md(e.StatedOn))
				if e.Note != "" {
					p(": %s", md(e.Note))
				}
				if c := citeText(e.Citations); c != "" {
					p(" %s", md(c))
				}
				p("\n")
			}
			for _, o := range d.Objections {
				grounds := md(o.Grounds)
				if pastObjection(o) && grounds != "" {
					grounds = "~~" + grounds + "~~"
				}
				p("- %s **%s** (%s) on %s: %s", objectionLead(o), md(o.Party), objectionKind(o), md(o.StatedOn), grounds)
				if c := citeText(o.Citations); c != "" {
					p(" %s", md(c))
				}
				p("\n")
				for _, rb := range o.Rebuttals {
					p("  - Answered by **%s** on %s: %s", md(rb.Party), md(rb.StatedOn), md(rb.Grounds))
					if c := citeText(rb.Citations); c != "" {
						p(" %s", md(c))
					}
					p("\n")
				}
			}
			if len(d.Endorsements)+len(d.Objections) > 0 {
				p("\n")
			}
		}
	}

	writeMarkdownGrid(p, r)

	if r.Since != nil {
		writeMarkdownSince(p, r)
	}

	p("## Legend\n\n| Topic state | Meaning |\n|---|---|\n")
	for _, st := range r.States {
		p("| %s | %s |\n", st.State, md(st.Definition))
	}
	p("\n| Stance | Meaning |\n|---|---|\n")
	for _, st := range r.Stances {
		p("| %s %s | %s |\n", st.Symbol, st.Stance, md(st.Definition))
	}
	p("\n")

	p("## Sources\n\n")
	if len(r.Sources) == 0 {
		p("No sources cited.\n\n")
	}
	for _, s := range r.Sources {
		p("%d. %s", s.Number, md(sourceText(s)))
		if s.URL != "" {
			p(" <%s>", mdURL(s.URL))
		}
		p(" — %s\n", gradingText(s))
	}
	if len(r.Unsourced) > 0 {
		p("\n**%s**\n\n", md(unsourcedHeading(r)))
		for _, c := range r.Unsourced {
			p("- %s\n", md(claimLine(c)))
		}
	}
	p("\n---\n\n**%s**\n", md(handlingText(r)))
	return b.Flush()
}

// writeMarkdownSince writes what moved since the report's since instant:
// per topic its state then and now, then each move as a sentence.
func writeMarkdownSince(p func(string, ...any), r *Report) {
	p("## %s\n\n%s\n\n", sinceHeading(r), md(sinceWindow(r)))
	if nothingMoved(r.Changes) {
		p("Nothing moved.\n\n")
		return
	}
	for _, t := range movedTopics(r.Changes) {
		p("### %s\n\n", md(topicMoveHeading(t)))
		for _, m := range t.Moves {
			p("- %s\n", md(moveLine(m)))
		}
		if len(t.Moves) > 0 {
			p("\n")
		}
	}
	if len(r.Changes.OtherMoves) > 0 {
		p("### %s\n\n", otherMovesHeading)
		for _, m := range r.Changes.OtherMoves {
			p("- %s\n", md(moveLine(m)))
		}
		p("\n")
	}
	if u := unmovedText(r.Changes); u != "" {
		p("%s\n\n", u)
	}
}

func writeMarkdownQuotes(p func(string, ...any), refs []CiteRef) {
	for _, c := range refs {
		if c.Quote != "" {
			p("> “%s” [%d]\n\n", md(c.Quote), c.Source)
		}
	}
}

// mdURL makes an http(s) URL safe inside an autolink: domain validation
// allows only http and https, and characters that would end the link are
// percent-encoded.
func mdURL(u string) string {
	return strings.NewReplacer("<", "%3C", ">", "%3E", " ", "%20").Replace(u)
}
