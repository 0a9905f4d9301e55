// Package report is the negotiation status report: Build turns a snapshot
// into the Report view model, Load reads what one needs from a
// domain.Store, and the formats write it as markdown, html, pdf, csv, xlsx
// or json. The view model lives here so that domain keeps only the model
// of the talks; the package stands apart so that the pdf and spreadsheet
// libraries stay out of domain, and so that the API, the UI and the
// command line share one report. It reads the store only through
// domain.Store and never imports api, ui or store.
package report

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/parley/parley/domain"
)

// Format is one way to write a report: the name the API, the UI and the
// command line know it by, the media type it is sent with, the file name
// extension, a label for people, and its renderer. Formats lists them all;
// a new format is one more row there.
type Format struct {
	Name        string
	ContentType string
	Extension   string
	Label       string
	// Binary formats are not text; the OpenAPI document says so.
	Binary bool
	// DrawsTimeline formats draw the negotiation's timeline, so the others
	// are spared reading the whole history for it.
	DrawsTimeline bool
	render        func(io.Writer, *Report) error
}

var formats = []Format{
	{Name: "markdown", ContentType: "text/markdown; charset=utf-8", Extension: "md", Label: "Markdown (.md)", render: renderMarkdown},
	{Name: "html", ContentType: "text/html; charset=utf-8", Extension: "html", Label: "Web page, printable (.html)", DrawsTimeline: true, render: renderHTML},
	{Name: "pdf", ContentType: "application/pdf", Extension: "pdf", Label: "PDF (.pdf)", Binary: true, DrawsTimeline: true, render: renderPDF},
	{Name: "csv", ContentType: "text/csv; charset=utf-8", Extension: "csv", Label: "Spreadsheet rows (.csv)", render: renderCSV},
	{Name: "xlsx", ContentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", Extension: "xlsx", Label: "Excel workbook (.xlsx)", Binary: true, render: renderXLSX},
	{Name: "json", ContentType: "application/json", Extension: "json", Label: "JSON data (.json)", render: renderJSON},
}

// Formats lists the report formats in the order pages and messages show
// them, as a fresh slice.
func Formats() []Format { return slices.Clone(formats) }

// FormatNames lists the formats' names, as a fresh slice.
func FormatNames() []string {
	names := make([]string, len(formats))
	for i, f := range formats {
		names[i] = f.Name
	}
	return names
}

// LookupFormat finds the format called name.
func LookupFormat(name string) (Format, bool) {
	for _, f := range formats {
		if f.Name == name {
			return f, true
		}
	}
	return Format{}, false
}

// Render writes r in this format.
func (f Format) Render(w io.Writer, r *Report) error { return f.render(w, r) }

// Render writes the report in the format called name.
func Render(w io.Writer, name string, r *Report) error {
	f, ok := LookupFormat(name)
	if !ok {
		return fmt.Errorf("unknown report format %q; use one of %s", name, strings.Join(FormatNames(), ", "))
	}
	return f.Render(w, r)
}

// DrawsTimeline reports whether the format called name draws the
// negotiation's timeline.
func DrawsTimeline(name string) bool {
	f, _ := LookupFormat(name)
	return f.DrawsTimeline
}

// ContentType is the media type a report in the format called name is sent
// with; "" for an unknown format.
func ContentType(name string) string {
	f, _ := LookupFormat(name)
	return f.ContentType
}

func renderJSON(w io.Writer, r *Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// Filename names a report file: "parley-", the negotiation's title as a
// slug cut at a word boundary, "-as-of-" and the date it describes (as
// of, else generation), and the extension:
// "parley-gaza-ceasefire-hostage-prisoner-exchange-as-of-2026-12-02.pdf".
// The words "as of" keep the date apart from a title that ends in a
// number. It holds only [a-z0-9.-], so it is safe in a
// Content-Disposition header and on any file system.
func Filename(r *Report, format string) string {
	day := r.GeneratedAt
	if r.AsOf != nil {
		day = *r.AsOf
	}
	slug := slugify(r.Negotiation.Title)
	if slug == "" {
		slug = "negotiation"
	}
	ext := "txt"
	if f, ok := LookupFormat(format); ok {
		ext = f.Extension
	}
	return fmt.Sprintf("parley-%s-as-of-%s.%s", slug, day.UTC().Format("2006-01-02"), ext)
}

// maxSlug bounds the title's part of a file name, in bytes.
const maxSlug = 60

// slugify keeps ASCII letters and digits of s, dropping accents (ç -> c,
// the dotless ı -> i) and joining words with single hyphens; scripts with
// no ASCII form, such as Cyrillic, drop out. A long title keeps its
// first whole words, never part of one, so that a cut "2025" does not
// read as a "2".
func slugify(s string) string {
	var words []string
	var b strings.Builder
	flush := func() {
		if b.Len() > 0 {
			words = append(words, b.String())
			b.Reset()
		}
	}
	for _, r := range norm.NFKD.String(strings.ToLower(s)) {
		switch {
		case r == 'ı':
			b.WriteByte('i')
		case r == 'ß':
			b.WriteString("ss")
		case unicode.Is(unicode.Mn, r):
		case (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9'):
			b.WriteRune(r)
		default:
			flush()
		}
	}
	flush()
	slug := ""
	for _, w := range words {
		next := w
		if slug != "" {
			next = slug + "-" + w
		}
		if len(next) > maxSlug {
			if slug == "" {
				// One word longer than the limit: a cut word is better
				// than no title at all.
				return w[:maxSlug]
			}
			break
		}
		slug = next
	}
	return slug
}

// handlingText is the marking every page of a report carries: the
// highest handling marking of what it holds and, for a report cut down
// to an audience, that audience: "TLP:GREEN · for a TLP:GREEN audience".
func handlingText(r *Report) string {
	h := r.Handling
	if h == "" {
		h = domain.DefaultHandling
	}
	if r.Audience != "" {
		h += " · for a " + r.Audience + " audience: everything marked above it is left out"
	}
	return h
}

// handlingClass names a marking's colour in the html report: "tlp-amber".
func handlingClass(r *Report) string {
	h := strings.ToLower(strings.TrimPrefix(r.Handling, "TLP:"))
	return "tlp-" + strings.ReplaceAll(h, "+", "-")
}

// formatInstant writes an instant for readers, in UTC.
func formatInstant(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") }

// asOfText says which instant the report describes.
func asOfText(r *Report) string {
	if r.AsOf == nil {
		return "current state at " + formatInstant(r.GeneratedAt)
	}
	return formatInstant(*r.AsOf)
}

// termName names a term as every view does: domain.TermLabel's label.
func termName(key string) string {
	label, _ := domain.TermLabel(key)
	return label
}

// humanize turns an enumeration value into words.
func humanize(v string) string { return strings.ReplaceAll(v, "_", " ") }

// An objection resolved or withdrawn is history, not a live obstacle:
// every format introduces it in the past ("Resolved objection by …"),
// without "standing" beside its kind, and sets it apart (greyed or struck).

// pastObjection reports whether an objection no longer stands.
func pastObjection(o Objection) bool { return o.Status != "standing" }

// objectionLead introduces an objection: "Objection by", or "Resolved
// objection by", "Withdrawn objection by".
func objectionLead(o Objection) string {
	if !pastObjection(o) {
		return "Objection by"
	}
	s := humanize(o.Status)
	return strings.ToUpper(s[:1]) + s[1:] + " objection by"
}

// objectionKind writes "rejection, standing" for a standing objection and
// the kind alone for one whose lead already says it is past.
func objectionKind(o Objection) string {
	if pastObjection(o) {
		return humanize(o.Kind)
	}
	return humanize(o.Kind) + ", " + o.Status
}

// citeText writes a claim's sources as "[1; 3, 08:13 AM EDT]".
func citeText(refs []CiteRef) string {
	if len(refs) == 0 {
		return ""
	}
	parts := make([]string, len(refs))
	for i, c := range refs {
		parts[i] = fmt.Sprint(c.Source)
		if c.Locator != "" {
			parts[i] += ", " + c.Locator
		}
	}
	return "[" + strings.Join(parts, "; ") + "]"
}

// sourceNumbers writes a claim's source numbers as "1; 3" for a table cell.
func sourceNumbers(refs []CiteRef) string {
	parts := make([]string, len(refs))
	for i, c := range refs {
		parts[i] = fmt.Sprint(c.Source)
	}
	return strings.Join(parts, "; ")
}

// termsText writes a demand's terms, in the analyst's order and named as
// everywhere: "duration days = 30; unconditional = yes".
func termsText(terms []Term) string {
	parts := make([]string, len(terms))
	for i, t := range terms {
		parts[i] = t.Label + " = " + t.Value
	}
	return strings.Join(parts, "; ")
}

// termRowText writes a lined-up term as "Ukraine 30 days, Russia 3 days
// (rejected) — gap 27 days: lowest Russia (3 days), highest Ukraine (30
// days)"; a value from a rejected or withdrawn demand says so.
func termRowText(g TermRow) string {
	parts := make([]string, len(g.Values))
	for i, v := range g.Values {
		parts[i] = v.Party + " " + v.Value
		if !v.Live {
			parts[i] += " (" + humanize(v.DemandStatus) + ")"
		}
	}
	text := strings.Join(parts, ", ")
	if g.Spread != "" {
		text += " — " + g.Spread
	}
	return text
}

// topicStateText writes a topic's state with its qualification: "agreed (1
// secondary demand still pending)".
func topicStateText(t Topic) string {
	if t.StateNote != "" {
		return t.State + " (" + t.StateNote + ")"
	}
	return t.State
}

// stancesText writes the parties' stances on a topic: "Ukraine ● demands,
// Russia ✕ opposes".
func stancesText(t Topic) string {
	parts := make([]string, len(t.Stances))
	for i, s := range t.Stances {
		info := domain.StanceInfo(s.Stance)
		parts[i] = s.Party + " " + info.Symbol + " " + s.Stance
	}
	return strings.Join(parts, ", ")
}

// delegationHead writes "Rustem Umerov, Defence Minister".
func delegationHead(d Delegation) string {
	return domain.PersonText(d.HeadName, d.HeadTitle)
}

// membersText writes a delegation's members as "Name, title; Name".
func membersText(members []domain.Member) string { return domain.PeopleText(members) }

// roundWhenWhere writes "2025-05-16 to 2025-05-17, Dolmabahçe Palace, Istanbul".
func roundWhenWhere(rd Round) string {
	parts := []string{rd.StartsOn}
	if rd.EndsOn != "" && rd.EndsOn != rd.StartsOn {
		parts[0] += " to " + rd.EndsOn
	}
	for _, p := range []string{rd.Venue, rd.Location} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, ", ")
}

// sourceText writes a source as "Reuters, “Title”, 2025-05-16".
func sourceText(s Source) string {
	var parts []string
	if s.Publisher != "" {
		parts = append(parts, s.Publisher)
	}
	if s.Title != "" {
		parts = append(parts, "“"+s.Title+"”")
	}
	if s.PublishedAt != "" {
		parts = append(parts, s.PublishedAt)
	}
	return strings.Join(parts, ", ")
}

// gradingText writes "B2 (usually reliable; probably true)", or "ungraded".
func gradingText(s Source) string {
	if s.Grading == "" {
		return "ungraded"
	}
	if s.GradingText == "" {
		return s.Grading
	}
	return s.Grading + " (" + s.GradingText + ")"
}

// The since section: what moved from the report's since instant to the
// instant it describes, as domain.Compare tells it, in the same sentences
// in every format.

// sinceHeading titles the section: "What moved since 2025-05-16 00:00 UTC".
func sinceHeading(r *Report) string {
	return "What moved since " + formatInstant(*r.Since)
}

// sinceWindow says the window the section covers: "From 2025-05-16 00:00
// UTC to now (2025-05-17 09:30 UTC): …".
func sinceWindow(r *Report) string {
	to := "now (" + formatInstant(r.GeneratedAt) + ")"
	if r.AsOf != nil {
		to = formatInstant(*r.AsOf)
	}
	return "From " + formatInstant(*r.Since) + " to " + to + ": each topic's state then and now, and every position that moved."
}

// movedTopics are the topics the section lists: those whose state or
// positions moved.
func movedTopics(c *domain.Comparison) []domain.TopicComparison {
	var out []domain.TopicComparison
	if c == nil {
		return out
	}
	for _, t := range c.Topics {
		if t.Moved() {
			out = append(out, t)
		}
	}
	return out
}

// topicMoveHeading writes "Ceasefire: contested → agreed".
func topicMoveHeading(t domain.TopicComparison) string {
	return t.TopicTitle + ": " + t.Summary
}

// moveLine writes one move as a sentence with the date it took effect:
// "Russia's objection to “30-day ceasefire” resolved (17 May 2025)".
func moveLine(m domain.Move) string {
	if m.EffectiveAt == nil {
		return m.Summary
	}
	return m.Summary + " (" + domain.FormatMoment(*m.EffectiveAt) + ")"
}

// effectiveDay is when a move took effect, as RFC 3339 for a spreadsheet
// to sort by; "" for a removal.
func effectiveDay(m domain.Move) string {
	if m.EffectiveAt == nil {
		return ""
	}
	return m.EffectiveAt.UTC().Format(time.RFC3339)
}

// unmovedText counts the topics that did not move: "2 other topics did
// not move."; "" when all did.
func unmovedText(c *domain.Comparison) string {
	if c == nil {
		return ""
	}
	n := len(c.Topics) - len(movedTopics(c))
	switch {
	case n <= 0:
		return ""
	case n == len(c.Topics):
		return "No topic moved."
	case n == 1:
		return "1 other topic did not move."
	}
	return fmt.Sprintf("%d other topics did not move.", n)
}

// nothingMoved reports whether the section has nothing to list.
func nothingMoved(c *domain.Comparison) bool {
	return c == nil || (len(movedTopics(c)) == 0 && len(c.OtherMoves) == 0)
}

// otherMovesHeading titles the moves that belong to no topic.
const otherMovesHeading = "Rounds, delegations and participants"

// countsText is the one-line tally under the summary table.
func countsText(s Summary) string {
	answers := ""
	if s.Rebuttals > 0 {
		answers = " · " + plural(s.Rebuttals, "rebuttal", "rebuttals")
	}
	text := fmt.Sprintf("%s · %s · %s · %s, %d of them live · %s: %d standing, %d of them to live demands%s · %s · %s",
		plural(s.Parties, "party", "parties"), plural(s.Rounds, "round", "rounds"), plural(s.Topics, "topic", "topics"),
		plural(s.Demands, "demand", "demands"), s.LiveDemands, plural(s.Objections, "objection", "objections"),
		s.StandingObjections, s.StandingObjectionsToLive, answers,
		plural(s.Endorsements, "endorsement", "endorsements"), plural(s.Sources, "source", "sources"))
	if s.DefinedTerms > 0 {
		text += " · " + plural(s.DefinedTerms, "defined term", "defined terms")
	}
	if s.Unsourced > 0 {
		text += " · " + plural(s.Unsourced, "claim", "claims") + " without a source"
	}
	return text
}

// unsourcedHeading introduces the claims that cite no source, under the
// sources.
func unsourcedHeading(r *Report) string {
	return fmt.Sprintf("Claims without a source (%d): read them with care until one is found.", len(r.Unsourced))
}

// claimLine names an unsourced claim with its topic.
func claimLine(c Claim) string {
	return ClaimText(c) + " (" + c.Topic + ")"
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
