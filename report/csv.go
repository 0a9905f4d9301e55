package report

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/parley/parley/domain"
)

// csvHeader names the columns of the csv report; "record" says whether a
// row is a demand, an objection, a rebuttal (an answer to the objection
// whose row it follows, named in "objection_id"), an endorsement, or a
// move since the report's since instant. The contract makes the
// csv the list of claims, one row each, so what belongs to the whole report
// travels on every row instead: "citations" spells out each source a claim
// cites (publisher, title, date, URL, the Admiralty grading, locator and
// quote), so a row read alone still says where it comes from, and "as_of"
// is the instant the report describes, so a row copied elsewhere still
// says when it held. A demand that answers another (a counter-demand or
// a bridging proposal, in "kind") names it in "responds_to_id". A
// demand's terms follow, one "term:KEY" column per
// term (termColumns), as the import of positions reads them.
var csvHeader = []string{
	"record", "topic", "topic_state", "demand", "demand_party", "party", "role", "status", "kind", "priority",
	"stated_on", "round", "text", "sources", "id", "demand_id", "citations", "as_of", "handling", "objection_id",
	"responds_to_id",
}

// csvColumns is the csv header of a report: csvHeader and its terms.
func csvColumns(terms []termColumn) []string {
	out := append([]string{}, csvHeader...)
	for _, t := range terms {
		out = append(out, "term:"+t.Key)
	}
	return out
}

// safeCell defuses formula injection: a spreadsheet treats a cell starting
// with =, +, -, @, a tab or a carriage return as a formula, so such text gets
// a leading apostrophe and is shown as typed.
func safeCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// csvRows flattens the report into one row per demand, objection (each
// followed by its rebuttals) and endorsement, in the report's order, then, with since, one "move" row
// per move since then; a demand's row ends with its terms, the other
// rows with empty term cells.
func csvRows(r *Report, terms []termColumn, emit func(record string, row []string) error) error {
	roles := map[string]string{}
	for _, p := range r.Parties {
		roles[p.ID] = p.Role
	}
	sources := make(map[int]Source, len(r.Sources))
	for _, s := range r.Sources {
		sources[s.Number] = s
	}
	cites := func(refs []CiteRef) string { return citationsText(refs, sources) }
	asOf := r.GeneratedAt
	if r.AsOf != nil {
		asOf = *r.AsOf
	}
	at := asOf.UTC().Format(time.RFC3339Nano)
	noTerms := make([]string, len(terms))
	pad := func(record string, row []string) error { return emit(record, append(row, noTerms...)) }
	responses := responsesOf(r)
	for _, t := range r.Topics {
		for _, d := range t.Demands {
			reply := responses[d.ID]
			row := []string{"demand", t.Title, t.State, d.Title, d.Party, d.Party, d.Role, d.Status, reply.KindLabel, d.Priority,
				d.StatedOn, d.Round, d.Details, sourceNumbers(d.Citations), d.ID, d.ID, cites(d.Citations), at, d.Handling, "", reply.AnswersID}
			for _, tc := range terms {
				row = append(row, termCSV(d, tc.Key))
			}
			err := emit("demand", row)
			if err != nil {
				return err
			}
			for _, o := range d.Objections {
				err := pad("objection", []string{"objection", t.Title, t.State, d.Title, d.Party, o.Party, roles[o.PartyID], o.Status, o.Kind, "",
					o.StatedOn, "", o.Grounds, sourceNumbers(o.Citations), o.ID, d.ID, cites(o.Citations), at, o.Handling, "", ""})
				if err != nil {
					return err
				}
				for _, rb := range o.Rebuttals {
					err := pad("rebuttal", []string{"rebuttal", t.Title, t.State, d.Title, d.Party, rb.Party, roles[rb.PartyID], "", "", "",
						rb.StatedOn, rb.Round, rb.Grounds, sourceNumbers(rb.Citations), rb.ID, d.ID, cites(rb.Citations), at, rb.Handling, o.ID, ""})
					if err != nil {
						return err
					}
				}
			}
			for _, e := range d.Endorsements {
				err := pad("endorsement", []string{"endorsement", t.Title, t.State, d.Title, d.Party, e.Party, roles[e.PartyID], "", "", "",
					e.StatedOn, "", e.Note, sourceNumbers(e.Citations), e.ID, d.ID, cites(e.Citations), at, e.Handling, "", ""})
				if err != nil {
					return err
				}
			}
		}
	}
	return csvMoveRows(r, roles, at, pad)
}

// csvMoveRows writes what moved since the report's since instant: one row
// per move, its sentence in "text", what kind of move in "kind", when it
// took effect in "stated_on" and its topic's state then and now in
// "topic_state".
func csvMoveRows(r *Report, roles map[string]string, at string, emit func(string, []string) error) error {
	if r.Since == nil || r.Changes == nil {
		return nil
	}
	demands := map[string]Demand{}
	for _, t := range r.Topics {
		for _, d := range t.Demands {
			demands[d.ID] = d
		}
	}
	row := func(topic, state string, m domain.Move) []string {
		d := demands[m.DemandID]
		return []string{"move", topic, state, d.Title, d.Party, m.Party, roles[m.PartyID], "", m.Kind, "",
			effectiveDay(m), "", m.Summary, "", m.ResourceID, m.DemandID, "", at, "", "", ""}
	}
	for _, t := range movedTopics(r.Changes) {
		for _, m := range t.Moves {
			if err := emit("move", row(t.TopicTitle, t.Summary, m)); err != nil {
				return err
			}
		}
	}
	for _, m := range r.Changes.OtherMoves {
		if err := emit("move", row("", "", m)); err != nil {
			return err
		}
	}
	return nil
}

// citationsText spells out a claim's citations, one per line:
// "[1] Reuters, “Title”, 2025-05-16, https://… — B2 (usually reliable;
// probably true) — at 08:13 AM EDT: “quote”". The grading is the one this
// claim's citation gives, which may differ from the source's first.
func citationsText(refs []CiteRef, sources map[int]Source) string {
	lines := make([]string, len(refs))
	for i, c := range refs {
		s := sources[c.Source]
		line := fmt.Sprintf("[%d] %s", c.Source, sourceText(s))
		if s.URL != "" {
			line += " " + s.URL
		}
		line += " — " + claimGrading(c.Grading)
		if c.Locator != "" {
			line += " — at " + c.Locator
		}
		if c.Quote != "" {
			line += ": " + cellQuote(c.Quote)
		}
		lines[i] = line
	}
	return strings.Join(lines, "\n")
}

// maxCellQuote bounds a quote in a spreadsheet cell, in runes: a quote of
// thousands of characters would fill a screen and bury the claim.
const maxCellQuote = 300

// cellQuote quotes a source for a spreadsheet cell: whole when short, else
// its start and where the whole is, which the json, markdown, html and
// pdf reports keep.
func cellQuote(q string) string {
	start, cut := domain.Excerpt(q, maxCellQuote)
	if !cut {
		return "“" + q + "”"
	}
	return fmt.Sprintf("“%s…” (shortened from %d words; the markdown, html, pdf and json reports quote it whole)", start, len(strings.Fields(q)))
}

// claimGrading spells out an Admiralty code such as "B2", "B" or "2".
func claimGrading(code string) string {
	if code == "" {
		return "ungraded"
	}
	reliability, credibility := "", code
	if c := code[0]; c >= 'A' && c <= 'F' {
		reliability, credibility = code[:1], code[1:]
	}
	if t := GradingText(reliability, credibility); t != "" {
		return code + " (" + t + ")"
	}
	return code
}

// renderCSV writes RFC 4180 csv (CRLF line ends) with a UTF-8 byte order
// mark, without which Excel reads UTF-8 as the local code page and mangles
// Cyrillic and Turkish names.
func renderCSV(w io.Writer, r *Report) error {
	b := bufio.NewWriterSize(w, 64<<10)
	if _, err := b.WriteString("\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(b)
	cw.UseCRLF = true
	terms := termColumns(r)
	if err := cw.Write(csvColumns(terms)); err != nil {
		return err
	}
	err := csvRows(r, terms, func(_ string, row []string) error {
		for i := range row {
			row[i] = safeCell(row[i])
		}
		return cw.Write(row)
	})
	if err != nil {
		return err
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return b.Flush()
}
