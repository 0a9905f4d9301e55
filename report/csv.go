package report

import (
	"bufio"
	"encoding/csv"
	"io"
	"strings"

	"github.com/parley/parley/domain"
)

// csvHeader names the columns of the csv report; "record" says whether a
// row is a demand, an objection or an endorsement.
var csvHeader = []string{
	"record", "topic", "topic_state", "demand", "demand_party", "party", "role", "status", "kind", "priority",
	"stated_on", "round", "terms", "text", "sources", "id", "demand_id",
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

// csvRows flattens the report into one row per demand, objection and
// endorsement, in the report's order; xlsx reuses the same rows.
func csvRows(r *domain.Report, emit func(record string, row []string) error) error {
	roles := map[string]string{}
	for _, p := range r.Parties {
		roles[p.ID] = p.Role
	}
	for _, t := range r.Topics {
		for _, d := range t.Demands {
			err := emit("demand", []string{"demand", t.Title, t.State, d.Title, d.Party, d.Party, d.Role, d.Status, "", d.Priority,
				d.StatedOn, d.Round, termsText(d.Terms), d.Details, sourceNumbers(d.Citations), d.ID, d.ID})
			if err != nil {
				return err
			}
			for _, o := range d.Objections {
				err := emit("objection", []string{"objection", t.Title, t.State, d.Title, d.Party, o.Party, roles[o.PartyID], o.Status, o.Kind, "",
					o.StatedOn, "", "", o.Grounds, sourceNumbers(o.Citations), o.ID, d.ID})
				if err != nil {
					return err
				}
			}
			for _, e := range d.Endorsements {
				err := emit("endorsement", []string{"endorsement", t.Title, t.State, d.Title, d.Party, e.Party, roles[e.PartyID], "", "", "",
					e.StatedOn, "", "", e.Note, sourceNumbers(e.Citations), e.ID, d.ID})
				if err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// renderCSV writes RFC 4180 csv (CRLF line ends) with a UTF-8 byte order
// mark, without which Excel reads UTF-8 as the local code page and mangles
// Cyrillic and Turkish names.
func renderCSV(w io.Writer, r *domain.Report) error {
	b := bufio.NewWriterSize(w, 64<<10)
	if _, err := b.WriteString("\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(b)
	cw.UseCRLF = true
	if err := cw.Write(csvHeader); err != nil {
		return err
	}
	err := csvRows(r, func(_ string, row []string) error {
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
