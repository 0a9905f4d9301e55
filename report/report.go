// Package report renders a domain.Report as markdown, html, pdf, csv, xlsx
// or json. It is its own package so that the pdf and spreadsheet libraries
// stay out of domain, and so that the API, the UI and the command line
// share one renderer.
package report

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/parley/parley/domain"
)

// Render writes the report in format, one of domain.ReportFormats.
func Render(w io.Writer, format string, r *domain.Report) error {
	switch format {
	case "markdown":
		return renderMarkdown(w, r)
	case "html":
		return renderHTML(w, r)
	case "pdf":
		return renderPDF(w, r)
	case "csv":
		return renderCSV(w, r)
	case "xlsx":
		return renderXLSX(w, r)
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	}
	return fmt.Errorf("unknown report format %q; use one of %s", format, strings.Join(domain.ReportFormats, ", "))
}

// ContentType is the media type a report in format is sent with; "" for an
// unknown format.
func ContentType(format string) string {
	switch format {
	case "markdown":
		return "text/markdown; charset=utf-8"
	case "html":
		return "text/html; charset=utf-8"
	case "pdf":
		return "application/pdf"
	case "csv":
		return "text/csv; charset=utf-8"
	case "xlsx":
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	case "json":
		return "application/json"
	}
	return ""
}

// extensions maps each format to its file name extension.
var extensions = map[string]string{"markdown": "md", "html": "html", "pdf": "pdf", "csv": "csv", "xlsx": "xlsx", "json": "json"}

// Filename names a report file: "parley-", the negotiation's title as a
// slug, the date it describes (as of, else generation) and the extension.
// It holds only [a-z0-9.-], so it is safe in a Content-Disposition header
// and on any file system.
func Filename(r *domain.Report, format string) string {
	day := r.GeneratedAt
	if r.AsOf != nil {
		day = *r.AsOf
	}
	slug := slugify(r.Negotiation.Title)
	if slug == "" {
		slug = "negotiation"
	}
	ext := extensions[format]
	if ext == "" {
		ext = "txt"
	}
	return fmt.Sprintf("parley-%s-%s.%s", slug, day.UTC().Format("2006-01-02"), ext)
}

// slugify keeps ASCII letters and digits of s, dropping accents (ç -> c,
// the dotless ı -> i) and joining words with single hyphens; scripts with
// no ASCII form, such as Cyrillic, drop out.
func slugify(s string) string {
	var b strings.Builder
	hyphen := false
	for _, r := range norm.NFKD.String(strings.ToLower(s)) {
		switch {
		case r == 'ı':
			r = 'i'
		case r == 'ß':
			b.WriteString("ss")
			hyphen = false
			continue
		case unicode.Is(unicode.Mn, r):
			continue
		}
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			if hyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			hyphen = false
			b.WriteRune(r)
			if b.Len() >= 60 {
				break
			}
			continue
		}
		hyphen = true
	}
	return strings.Trim(b.String(), "-")
}

// formatInstant writes an instant for readers, in UTC.
func formatInstant(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") }

// asOfText says which instant the report describes.
func asOfText(r *domain.Report) string {
	if r.AsOf == nil {
		return "current state at " + formatInstant(r.GeneratedAt)
	}
	return formatInstant(*r.AsOf)
}

// humanize turns an enumeration value into words.
func humanize(v string) string { return strings.ReplaceAll(v, "_", " ") }

// citeText writes a claim's sources as "[1; 3, 08:13 AM EDT]".
func citeText(refs []domain.CiteRef) string {
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
func sourceNumbers(refs []domain.CiteRef) string {
	parts := make([]string, len(refs))
	for i, c := range refs {
		parts[i] = fmt.Sprint(c.Source)
	}
	return strings.Join(parts, "; ")
}

// termsText writes a demand's terms as "duration_days = 30; unconditional = yes".
func termsText(terms []domain.ReportTerm) string {
	parts := make([]string, len(terms))
	for i, t := range terms {
		parts[i] = t.Name + " = " + t.Value
	}
	return strings.Join(parts, "; ")
}

// gapText writes a lined-up term as "Ukraine 30, Russia 3 (gap 27)".
func gapText(g domain.ReportTermGap) string {
	parts := make([]string, len(g.Values))
	for i, v := range g.Values {
		parts[i] = v.Party + " " + v.Value
	}
	return strings.Join(parts, ", ") + " (gap " + g.Gap + ")"
}

// delegationHead writes "Defence Minister Rustem Umerov".
func delegationHead(d domain.ReportDelegation) string {
	return strings.TrimSpace(d.HeadTitle + " " + d.HeadName)
}

// membersText writes a delegation's members as "Name (Title), Name".
func membersText(members []domain.Member) string {
	parts := make([]string, len(members))
	for i, m := range members {
		parts[i] = m.Name
		if m.Title != "" {
			parts[i] += " (" + m.Title + ")"
		}
	}
	return strings.Join(parts, ", ")
}

// roundWhenWhere writes "2025-05-16 to 2025-05-17, Dolmabahçe Palace, Istanbul".
func roundWhenWhere(rd domain.ReportRound) string {
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
func sourceText(s domain.ReportSource) string {
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
func gradingText(s domain.ReportSource) string {
	if s.Grading == "" {
		return "ungraded"
	}
	if s.GradingText == "" {
		return s.Grading
	}
	return s.Grading + " (" + s.GradingText + ")"
}

// changeValue writes a before or after value of a changed field compactly.
func changeValue(v any) string {
	switch x := v.(type) {
	case nil:
		return "—"
	case string:
		return x
	case float64, bool:
		return domain.FormatTerm(x)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// fieldChangesText writes "status: tabled → agreed; title: … → …".
func fieldChangesText(changes []domain.FieldChange) string {
	parts := make([]string, len(changes))
	for i, c := range changes {
		parts[i] = c.Field + ": " + changeValue(c.Before) + " → " + changeValue(c.After)
	}
	return strings.Join(parts, "; ")
}

// countsText is the one-line tally under the summary table.
func countsText(s domain.ReportSummary) string {
	return fmt.Sprintf("%s · %s · %s · %s (%d live) · %s (%d standing) · %s · %s",
		plural(s.Parties, "party", "parties"), plural(s.Rounds, "round", "rounds"), plural(s.Topics, "topic", "topics"),
		plural(s.Demands, "demand", "demands"), s.LiveDemands, plural(s.Objections, "objection", "objections"),
		s.StandingObjections, plural(s.Endorsements, "endorsement", "endorsements"), plural(s.Sources, "source", "sources"))
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
