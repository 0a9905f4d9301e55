package report

import (
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/parley/parley/domain"
)

// maxCellChars is Excel's limit on the text of one cell.
const maxCellChars = 32767

// xlsxText makes user text safe for a cell: no formula, within the limit.
func xlsxText(s string) string {
	s = safeCell(s)
	if utf8.RuneCountInString(s) > maxCellChars {
		s = string([]rune(s)[:maxCellChars-1]) + "…"
	}
	return s
}

// renderXLSX writes the matrix on the first sheet, its header row and topic
// columns frozen, then a sheet per list. Sheets are streamed, so a
// negotiation of thousands of demands stays within memory and time, and
// every text cell is written as a string, never as a formula.
func renderXLSX(w io.Writer, r *domain.Report) error {
	f := excelize.NewFile()
	defer f.Close()
	header, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Color: []string{"E5E7EB"}, Pattern: 1},
		Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}})
	if err != nil {
		return err
	}
	wrap, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}})
	if err != nil {
		return err
	}
	if err := f.SetSheetName("Sheet1", "Matrix"); err != nil {
		return err
	}
	if err := writeMatrixSheet(f, r, header, wrap); err != nil {
		return err
	}
	if err := writeSummarySheet(f, r, header, wrap); err != nil {
		return err
	}
	if err := writePartiesSheet(f, r, header, wrap); err != nil {
		return err
	}
	if err := writeRoundsSheet(f, r, header, wrap); err != nil {
		return err
	}
	lists := []struct {
		sheet  string
		record string
		header []string
		cols   []int // indexes into the csv row
	}{
		{"Demands", "demand", []string{"Topic", "Topic state", "Party", "Role", "Demand", "Status", "Priority", "Stated on", "Round", "Terms", "Details", "Sources", "Citations"},
			[]int{1, 2, 5, 6, 3, 7, 9, 10, 11, 12, 13, 14, 17}},
		{"Objections", "objection", []string{"Topic", "Demand", "Demanding party", "Objecting party", "Role", "Kind", "Status", "Stated on", "Grounds", "Sources", "Citations"},
			[]int{1, 3, 4, 5, 6, 8, 7, 10, 13, 14, 17}},
		{"Endorsements", "endorsement", []string{"Topic", "Demand", "Demanding party", "Endorsing party", "Role", "Stated on", "Note", "Sources", "Citations"},
			[]int{1, 3, 4, 5, 6, 10, 13, 14, 17}},
	}
	// The Demands sheet carries one typed column per defined term.
	terms := definedTermColumns(r)
	demands := map[string]domain.ReportDemand{}
	for _, t := range r.Topics {
		for _, d := range t.Demands {
			demands[d.ID] = d
		}
	}
	for _, c := range terms {
		lists[0].header = append(lists[0].header, c.Heading)
	}
	for _, l := range lists {
		if _, err := f.NewSheet(l.sheet); err != nil {
			return err
		}
		sw, err := newSheet(f, l.sheet, l.header, header)
		if err != nil {
			return err
		}
		row := 2
		err = csvRows(r, func(record string, values []string) error {
			if record != l.record {
				return nil
			}
			cells := make([]any, len(l.cols))
			for i, c := range l.cols {
				cells[i] = excelize.Cell{StyleID: wrap, Value: xlsxText(values[c])}
			}
			if record == "demand" {
				for _, c := range terms {
					cells = append(cells, excelize.Cell{Value: termCellValue(demands[values[15]], c.Key)})
				}
			}
			row++
			return sw.SetRow(cellName(1, row-1), cells) // row now names the next free row
		})
		if err != nil {
			return err
		}
		if err := sw.Flush(); err != nil {
			return err
		}
	}
	if err := writeChangesSheet(f, r, header, wrap); err != nil {
		return err
	}
	if err := writeSourcesSheet(f, r, header, wrap); err != nil {
		return err
	}
	// The Matrix sheet, renamed from the default Sheet1, is already the
	// active one; SetActiveSheet would parse every streamed sheet back.
	return f.Write(w)
}

// newSheet starts streaming a sheet with a frozen, bold header row.
func newSheet(f *excelize.File, sheet string, columns []string, headerStyle int) (*excelize.StreamWriter, error) {
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return nil, err
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return nil, err
	}
	if err := sw.SetColWidth(1, len(columns), 24); err != nil {
		return nil, err
	}
	cells := make([]any, len(columns))
	for i, c := range columns {
		cells[i] = excelize.Cell{StyleID: headerStyle, Value: c}
	}
	if err := sw.SetRow("A1", cells); err != nil {
		return nil, err
	}
	return sw, nil
}

// writeMatrixSheet writes topics as rows and participants as columns, each
// cell listing the party's demands, endorsements and objections there. The
// topic and state columns and the header row stay in view when scrolling.
func writeMatrixSheet(f *excelize.File, r *domain.Report, headerStyle, wrap int) error {
	var parties []domain.ReportParty
	column := map[string]int{}
	for _, p := range r.Parties {
		if p.Role != "" {
			column[p.ID] = len(parties)
			parties = append(parties, p)
		}
	}
	sw, err := f.NewStreamWriter("Matrix")
	if err != nil {
		return err
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, XSplit: 2, YSplit: 1, TopLeftCell: "C2", ActivePane: "bottomRight"}); err != nil {
		return err
	}
	if err := sw.SetColWidth(1, 1, 28); err != nil {
		return err
	}
	if err := sw.SetColWidth(2, 2, 12); err != nil {
		return err
	}
	if len(parties) > 0 {
		if err := sw.SetColWidth(3, 2+len(parties), 36); err != nil {
			return err
		}
	}
	head := []any{excelize.Cell{StyleID: headerStyle, Value: "Topic"}, excelize.Cell{StyleID: headerStyle, Value: "State"}}
	for _, p := range parties {
		head = append(head, excelize.Cell{StyleID: headerStyle, Value: xlsxText(p.Name + " (" + humanize(p.Role) + ")")})
	}
	if err := sw.SetRow("A1", head); err != nil {
		return err
	}
	for i, t := range r.Topics {
		lines := make([][]string, len(parties))
		add := func(partyID, line string) {
			if c, ok := column[partyID]; ok {
				lines[c] = append(lines[c], line)
			}
		}
		for _, d := range t.Demands {
			line := "• " + d.Title + " [" + humanize(d.Status) + "]"
			if len(d.Terms) > 0 {
				line += " — " + termsText(d.Terms)
			}
			add(d.PartyID, line)
			for _, e := range d.Endorsements {
				add(e.PartyID, "+ endorses "+d.Party+": "+d.Title)
			}
			for _, o := range d.Objections {
				if pastObjection(o) {
					add(o.PartyID, "– "+humanize(o.Status)+": objected to "+d.Party+": "+d.Title+" ("+objectionKind(o)+") — "+o.Grounds)
					continue
				}
				add(o.PartyID, "× objects to "+d.Party+": "+d.Title+" ("+objectionKind(o)+") — "+o.Grounds)
			}
		}
		row := []any{excelize.Cell{StyleID: wrap, Value: xlsxText(t.Title)}, excelize.Cell{StyleID: wrap, Value: t.State}}
		for _, l := range lines {
			row = append(row, excelize.Cell{StyleID: wrap, Value: xlsxText(strings.Join(l, "\n"))})
		}
		if err := sw.SetRow(cellName(1, i+2), row); err != nil {
			return err
		}
	}
	return sw.Flush()
}

// textRows streams rows of text, each cell made safe, below a header.
func textRows(f *excelize.File, sheet string, columns []string, rows [][]string, headerStyle, wrap int) error {
	if _, err := f.NewSheet(sheet); err != nil {
		return err
	}
	sw, err := newSheet(f, sheet, columns, headerStyle)
	if err != nil {
		return err
	}
	for i, values := range rows {
		cells := make([]any, len(values))
		for j, v := range values {
			cells[j] = excelize.Cell{StyleID: wrap, Value: xlsxText(v)}
		}
		if err := sw.SetRow(cellName(1, i+2), cells); err != nil {
			return err
		}
	}
	return sw.Flush()
}

// writeSummarySheet writes what heads the other formats: the title, the
// instant described, when it was made, and the tallies.
func writeSummarySheet(f *excelize.File, r *domain.Report, headerStyle, wrap int) error {
	status := humanize(r.Negotiation.Status)
	if r.Negotiation.StartedOn != "" {
		status += ", started " + r.Negotiation.StartedOn
	}
	rows := [][]string{
		{"Report", r.Title},
		{"As of", asOfText(r)},
		{"Generated", formatInstant(r.GeneratedAt)},
		{"Status", status},
		{"Description", r.Negotiation.Description},
	}
	if r.Since != nil {
		rows = append(rows, []string{"Changes since", formatInstant(*r.Since)})
	}
	for _, sc := range r.Summary.TopicsByState {
		rows = append(rows, []string{"Topics " + sc.State, strconv.Itoa(sc.Count)})
	}
	rows = append(rows, []string{"Counts", countsText(r.Summary)})
	return textRows(f, "Summary", []string{"Item", "Value"}, rows, headerStyle, wrap)
}

func writePartiesSheet(f *excelize.File, r *domain.Report, headerStyle, wrap int) error {
	rows := make([][]string, 0, len(r.Parties))
	for _, p := range r.Parties {
		role := humanize(p.Role)
		if role == "" {
			role = "not a participant"
		}
		rows = append(rows, []string{p.Name, p.ShortName, role, humanize(p.Kind), strings.Join(p.Aliases, ", ")})
	}
	return textRows(f, "Parties", []string{"Party", "Short name", "Role", "Kind", "Also known as"}, rows, headerStyle, wrap)
}

// writeRoundsSheet writes one row per delegation, with its round's details
// and the round's note on unequal levels on each, so that filtering keeps
// them together; a round with no delegation gets a row of its own.
func writeRoundsSheet(f *excelize.File, r *domain.Report, headerStyle, wrap int) error {
	var rows [][]string
	for _, rd := range r.Rounds {
		round := []string{rd.Title, rd.StartsOn, rd.EndsOn, rd.Venue, rd.Location, humanize(rd.Format), rd.Host}
		if len(rd.Delegations) == 0 {
			rows = append(rows, append(append([]string{}, round...), "", "", "", "", "", "", rd.LevelNote))
		}
		for _, d := range rd.Delegations {
			rows = append(rows, append(append([]string{}, round...), d.Party, humanize(d.Level), d.HeadName, d.HeadTitle, membersText(d.Members), d.Notes, rd.LevelNote))
		}
	}
	return textRows(f, "Rounds", []string{"Round", "Starts on", "Ends on", "Venue", "Location", "Format", "Host",
		"Delegation of", "Level", "Head", "Head's title", "Members", "Notes", "Level note"}, rows, headerStyle, wrap)
}

// writeChangesSheet lists what moved since the report's since instant,
// one row per move with its topic's state then and now; a report asked
// without since has no such sheet, as it has no such section.
func writeChangesSheet(f *excelize.File, r *domain.Report, headerStyle, wrap int) error {
	if r.Since == nil {
		return nil
	}
	var rows [][]string
	for _, t := range movedTopics(r.Changes) {
		for _, m := range t.Moves {
			rows = append(rows, moveRow(t.TopicTitle, stateText(t.StateFrom), stateText(t.StateTo), m))
		}
	}
	for _, m := range r.Changes.OtherMoves {
		rows = append(rows, moveRow(otherMovesHeading, "", "", m))
	}
	return textRows(f, "Changes", []string{"Topic", "State before", "State after", "Party", "Move", "What moved", "Took effect"}, rows, headerStyle, wrap)
}

func moveRow(topic, before, after string, m domain.Move) []string {
	return []string{topic, before, after, m.Party, m.Kind, m.Summary, effectiveDay(m)}
}

// stateText is a topic's state, or "not on the table".
func stateText(s *string) string {
	if s == nil {
		return "not on the table"
	}
	return *s
}

func writeSourcesSheet(f *excelize.File, r *domain.Report, headerStyle, wrap int) error {
	if _, err := f.NewSheet("Sources"); err != nil {
		return err
	}
	sw, err := newSheet(f, "Sources", []string{"Number", "Publisher", "Title", "URL", "Published", "Grading", "Meaning"}, headerStyle)
	if err != nil {
		return err
	}
	for i, s := range r.Sources {
		row := []any{s.Number}
		for _, v := range []string{s.Publisher, s.Title, s.URL, s.PublishedAt, s.Grading, s.GradingText} {
			row = append(row, excelize.Cell{StyleID: wrap, Value: xlsxText(v)})
		}
		if err := sw.SetRow(cellName(1, i+2), row); err != nil {
			return err
		}
	}
	return sw.Flush()
}

func cellName(col, row int) string {
	name, _ := excelize.CoordinatesToCellName(col, row)
	return name
}
