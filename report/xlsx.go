package report

import (
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/parley/parley/domain"
)

// maxCellChars is Excel's limit on the text of one cell.
const maxCellChars = 32767

// xlsxText keeps user text within a cell's limit. It is written as it was
// typed: the stream writer stores text as an inline string cell, which a
// spreadsheet never evaluates, so "=cmd…" needs no apostrophe here (the csv
// report, which has no cell types, keeps its guard).
func xlsxText(s string) string {
	if utf8.RuneCountInString(s) > maxCellChars {
		s = string([]rune(s)[:maxCellChars-1]) + "…"
	}
	return s
}

// A spreadsheet cell's value is one of: string (text), int or float64
// (a number), bool, day (a date), instant (a date and time in UTC) or nil
// (an empty cell).
type (
	day     time.Time
	instant time.Time
)

// dayCell reads a YYYY-MM-DD date as a date cell; other text stays text
// and "" leaves the cell empty.
func dayCell(s string) any {
	if s == "" {
		return nil
	}
	if t, err := time.Parse(domain.DateLayout, s); err == nil {
		return day(t)
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return instant(t.UTC())
	}
	return s
}

// instantCell is a time as a date-and-time cell, or an empty cell.
func instantCell(t *time.Time) any {
	if t == nil {
		return nil
	}
	return instant(t.UTC())
}

// sheetTable is one list sheet: a header row and typed rows below it.
type sheetTable struct {
	name string
	// banner, when set, stands alone on the first row, above the header.
	banner  string
	columns []string
	rows    [][]any
}

// xlsxStyles are the cell styles every sheet shares.
type xlsxStyles struct{ header, text, number, date, datetime int }

func newXLSXStyles(f *excelize.File) (xlsxStyles, error) {
	top := &excelize.Alignment{Vertical: "top", WrapText: true}
	specs := []*excelize.Style{
		{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Color: []string{"E5E7EB"}, Pattern: 1}, Alignment: top},
		{Alignment: top},
		{Alignment: &excelize.Alignment{Vertical: "top"}},
		{Alignment: &excelize.Alignment{Vertical: "top"}, CustomNumFmt: strPtr("yyyy-mm-dd")},
		{Alignment: &excelize.Alignment{Vertical: "top"}, CustomNumFmt: strPtr("yyyy-mm-dd hh:mm")},
	}
	ids := make([]int, len(specs))
	for i, s := range specs {
		id, err := f.NewStyle(s)
		if err != nil {
			return xlsxStyles{}, err
		}
		ids[i] = id
	}
	return xlsxStyles{header: ids[0], text: ids[1], number: ids[2], date: ids[3], datetime: ids[4]}, nil
}

func strPtr(s string) *string { return &s }

// cell gives a value its style: dates read as dates, numbers as numbers.
func (st xlsxStyles) cell(v any) any {
	switch x := v.(type) {
	case nil:
		return nil
	case string:
		if x == "" {
			return nil
		}
		return excelize.Cell{StyleID: st.text, Value: xlsxText(x)}
	case day:
		return excelize.Cell{StyleID: st.date, Value: time.Time(x)}
	case instant:
		return excelize.Cell{StyleID: st.datetime, Value: time.Time(x)}
	case int, float64, bool:
		return excelize.Cell{StyleID: st.number, Value: x}
	}
	return excelize.Cell{StyleID: st.text, Value: xlsxText(domain.FormatTerm(v))}
}

// renderXLSX writes the matrix on the first sheet, then a sheet per list,
// each with its header row frozen, a filter on every column, and columns
// as wide as what they hold. Sheets are streamed, so a negotiation of
// thousands of demands stays within memory and time.
func renderXLSX(w io.Writer, r *Report) error {
	f := excelize.NewFile()
	defer f.Close()
	st, err := newXLSXStyles(f)
	if err != nil {
		return err
	}
	if err := f.SetSheetName("Sheet1", "Matrix"); err != nil {
		return err
	}
	if err := setPrintMarking(f, "Matrix", r); err != nil {
		return err
	}
	if err := writeMatrixSheet(f, r, st); err != nil {
		return err
	}
	tables := []sheetTable{summarySheet(r), partiesSheet(r), roundsSheet(r), demandsSheet(r), objectionsSheet(r), rebuttalsSheet(r), endorsementsSheet(r), threadsSheet(r)}
	if r.Since != nil {
		tables = append(tables, changesSheet(r))
	}
	tables = append(tables, sourcesSheet(r))
	for _, t := range tables {
		if _, err := f.NewSheet(t.name); err != nil {
			return err
		}
		if err := setPrintMarking(f, t.name, r); err != nil {
			return err
		}
		if err := writeTable(f, st, t, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
			return err
		}
	}
	// The Matrix sheet, renamed from the default Sheet1, is already the
	// active one; SetActiveSheet would parse every streamed sheet back.
	return f.Write(w)
}

// writeTable streams a sheet: panes, fitted column widths, the header row,
// the rows, and a table over them all, which gives every column a filter.
func writeTable(f *excelize.File, st xlsxStyles, t sheetTable, panes *excelize.Panes) error {
	sw, err := f.NewStreamWriter(t.name)
	if err != nil {
		return err
	}
	if err := sw.SetPanes(panes); err != nil {
		return err
	}
	for i, width := range fitWidths(t) {
		if err := sw.SetColWidth(i+1, i+1, width); err != nil {
			return err
		}
	}
	top := 1 // the header's row
	if t.banner != "" {
		if err := sw.SetRow("A1", []any{excelize.Cell{StyleID: st.header, Value: t.banner}}); err != nil {
			return err
		}
		if err := sw.MergeCell("A1", cellName(len(t.columns), 1)); err != nil {
			return err
		}
		top = 2
	}
	head := make([]any, len(t.columns))
	for i, c := range t.columns {
		head[i] = excelize.Cell{StyleID: st.header, Value: c}
	}
	if err := sw.SetRow(cellName(1, top), head); err != nil {
		return err
	}
	for i, values := range t.rows {
		cells := make([]any, len(values))
		for j, v := range values {
			cells[j] = st.cell(v)
		}
		if err := sw.SetRow(cellName(1, top+1+i), cells); err != nil {
			return err
		}
	}
	noStripes := false
	last := cellName(len(t.columns), top+max(len(t.rows), 1))
	if err := sw.AddTable(&excelize.Table{Range: cellName(1, top) + ":" + last, Name: t.name + "List", ShowRowStripes: &noStripes}); err != nil {
		return err
	}
	return sw.Flush()
}

// Column widths, in characters: wide enough for the longest line of the
// column, within bounds; longer text wraps.
const (
	minColumnWidth = 8
	maxColumnWidth = 60
)

// fitWidths sizes each column to its header and its longest value.
func fitWidths(t sheetTable) []float64 {
	widths := make([]float64, len(t.columns))
	for i, c := range t.columns {
		widths[i] = float64(lineWidth(c))
	}
	for _, row := range t.rows {
		for i, v := range row {
			if i < len(widths) {
				widths[i] = max(widths[i], float64(valueWidth(v)))
			}
		}
	}
	for i := range widths {
		widths[i] = min(max(widths[i]+2, minColumnWidth), maxColumnWidth)
	}
	return widths
}

// valueWidth is how many characters a value shows as.
func valueWidth(v any) int {
	switch x := v.(type) {
	case string:
		return lineWidth(x)
	case day:
		return len("2006-01-02")
	case instant:
		return len("2006-01-02 15:04")
	case int:
		return len(strconv.Itoa(x))
	case float64:
		return len(strconv.FormatFloat(x, 'f', -1, 64))
	case bool:
		return len("FALSE")
	}
	return 0
}

// lineWidth is the length of the longest line of s, in runes.
func lineWidth(s string) int {
	widest := 0
	for line := range strings.SplitSeq(s, "\n") {
		widest = max(widest, utf8.RuneCountInString(line))
	}
	return widest
}

// writeMatrixSheet writes topics as rows and participants as columns, each
// cell listing the party's demands, endorsements and objections there. The
// topic and state columns and the header row stay in view when scrolling.
func writeMatrixSheet(f *excelize.File, r *Report, st xlsxStyles) error {
	var parties []Party
	column := map[string]int{}
	for _, p := range r.Parties {
		if p.Role != "" {
			column[p.ID] = len(parties)
			parties = append(parties, p)
		}
	}
	// The handling marking heads the first sheet, above the grid, as it
	// heads every page of the other formats.
	t := sheetTable{name: "Matrix", banner: handlingText(r), columns: []string{"Topic", "State"}}
	for _, p := range parties {
		t.columns = append(t.columns, p.Name+" ("+humanize(p.Role)+")")
	}
	for _, topic := range r.Topics {
		lines := make([][]string, len(parties))
		add := func(partyID, line string) {
			if c, ok := column[partyID]; ok {
				lines[c] = append(lines[c], line)
			}
		}
		for _, d := range topic.Demands {
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
				for _, rb := range o.Rebuttals {
					add(o.PartyID, "  ↳ "+rb.Party+" answers: "+rb.Grounds)
				}
			}
		}
		row := []any{topic.Title, topic.State}
		for _, l := range lines {
			row = append(row, strings.Join(l, "\n"))
		}
		t.rows = append(t.rows, row)
	}
	return writeTable(f, st, t, &excelize.Panes{Freeze: true, XSplit: 2, YSplit: 2, TopLeftCell: "C3", ActivePane: "bottomRight"})
}

// summarySheet is what heads the other formats: the title, the instant
// described, when it was made, and the tallies, each a number of its own.
func summarySheet(r *Report) sheetTable {
	status := humanize(r.Negotiation.Status)
	if r.Negotiation.StartedOn != "" {
		status += ", started " + r.Negotiation.StartedOn
	}
	var asOf any = "current state"
	if r.AsOf != nil {
		asOf = instantCell(r.AsOf)
	}
	rows := [][]any{
		{"Handling", handlingText(r)},
		{"Report", r.Title},
		{"As of (UTC)", asOf},
		{"Generated (UTC)", instantCell(&r.GeneratedAt)},
		{"Status", status},
		{"Description", r.Negotiation.Description},
	}
	if r.Since != nil {
		rows = append(rows, []any{"Changes since (UTC)", instantCell(r.Since)})
	}
	for _, sc := range r.Summary.TopicsByState {
		rows = append(rows, []any{"Topics " + sc.State, sc.Count})
	}
	s := r.Summary
	for _, c := range []struct {
		name  string
		count int
	}{
		{"Parties", s.Parties}, {"Rounds", s.Rounds}, {"Topics", s.Topics}, {"Demands", s.Demands},
		{"Live demands", s.LiveDemands}, {"Objections", s.Objections}, {"Standing objections", s.StandingObjections},
		{"Rebuttals", s.Rebuttals}, {"Endorsements", s.Endorsements}, {"Sources", s.Sources}, {"Claims without a source", s.Unsourced},
	} {
		rows = append(rows, []any{c.name, c.count})
	}
	return sheetTable{name: "Summary", columns: []string{"Item", "Value"}, rows: rows}
}

func partiesSheet(r *Report) sheetTable {
	rows := make([][]any, 0, len(r.Parties))
	for _, p := range r.Parties {
		role := humanize(p.Role)
		if role == "" {
			role = "not a participant"
		}
		rows = append(rows, []any{p.Name, p.ShortName, role, humanize(p.Kind), strings.Join(p.Aliases, ", ")})
	}
	return sheetTable{name: "Parties", columns: []string{"Party", "Short name", "Role", "Kind", "Also known as"}, rows: rows}
}

// roundsSheet writes one row per delegation with its round's details;
// the round's note on unequal levels stands once, on the round's first
// row; a round with no delegation gets a row of its own.
func roundsSheet(r *Report) sheetTable {
	var rows [][]any
	for _, rd := range r.Rounds {
		round := []any{rd.Title, dayCell(rd.StartsOn), dayCell(rd.EndsOn), rd.Venue, rd.Location, humanize(rd.Format), rd.Host}
		if len(rd.Delegations) == 0 {
			rows = append(rows, append(append([]any{}, round...), "", "", "", "", "", "", rd.LevelNote))
		}
		for i, d := range rd.Delegations {
			note := ""
			if i == 0 {
				note = rd.LevelNote
			}
			rows = append(rows, append(append([]any{}, round...), d.Party, humanize(d.Level), d.HeadName, d.HeadTitle, membersText(d.Members), d.Notes, note))
		}
	}
	return sheetTable{name: "Rounds", columns: []string{"Round", "Starts on", "Ends on", "Venue", "Location", "Format", "Host",
		"Delegation of", "Level", "Head", "Head's title", "Members", "Notes", "Level note"}, rows: rows}
}

// demandsSheet writes a row per demand, each term in a column of its own
// (termColumns), typed as the demand states it.
func demandsSheet(r *Report) sheetTable {
	terms := termColumns(r)
	columns := []string{"Topic", "Topic state", "Party", "Role", "Demand", "Status", "Priority", "Stated on", "Round", "Handling"}
	for _, tc := range terms {
		columns = append(columns, tc.Header)
	}
	columns = append(columns, "Details", "Sources", "Citations")
	var rows [][]any
	forEachClaim(r, func(t Topic, d Demand, cites func([]CiteRef) string) {
		row := []any{t.Title, t.State, d.Party, humanize(d.Role), d.Title, humanize(d.Status), d.Priority, dayCell(d.StatedOn), d.Round, d.Handling}
		for _, tc := range terms {
			row = append(row, termCell(d, tc.Key))
		}
		rows = append(rows, append(row, d.Details, sourceNumbers(d.Citations), cites(d.Citations)))
	})
	return sheetTable{name: "Demands", columns: columns, rows: rows}
}

func objectionsSheet(r *Report) sheetTable {
	roles := partyRoles(r)
	var rows [][]any
	forEachClaim(r, func(t Topic, d Demand, cites func([]CiteRef) string) {
		for _, o := range d.Objections {
			rows = append(rows, []any{t.Title, d.Title, d.Party, o.Party, humanize(roles[o.PartyID]), o.Kind, o.Status,
				dayCell(o.StatedOn), o.Grounds, sourceNumbers(o.Citations), cites(o.Citations), o.Handling})
		}
	})
	return sheetTable{name: "Objections", columns: []string{"Topic", "Demand", "Demanding party", "Objecting party", "Role", "Kind", "Status",
		"Stated on", "Grounds", "Sources", "Citations", "Handling"}, rows: rows}
}

// rebuttalsSheet lists the answers to objections, each beside the
// objection it answers, so that a thread reads across one row.
func rebuttalsSheet(r *Report) sheetTable {
	roles := partyRoles(r)
	var rows [][]any
	forEachClaim(r, func(t Topic, d Demand, cites func([]CiteRef) string) {
		for _, o := range d.Objections {
			for _, rb := range o.Rebuttals {
				rows = append(rows, []any{t.Title, d.Title, d.Party, o.Party, o.Grounds, rb.Party, humanize(roles[rb.PartyID]),
					dayCell(rb.StatedOn), rb.Round, rb.Grounds, sourceNumbers(rb.Citations), cites(rb.Citations), rb.Handling})
			}
		}
	})
	return sheetTable{name: "Rebuttals", columns: []string{"Topic", "Demand", "Demanding party", "Objecting party", "Objection",
		"Answering party", "Role", "Stated on", "Round", "Grounds", "Sources", "Citations", "Handling"}, rows: rows}
}

func endorsementsSheet(r *Report) sheetTable {
	roles := partyRoles(r)
	var rows [][]any
	forEachClaim(r, func(t Topic, d Demand, cites func([]CiteRef) string) {
		for _, e := range d.Endorsements {
			rows = append(rows, []any{t.Title, d.Title, d.Party, e.Party, humanize(roles[e.PartyID]),
				dayCell(e.StatedOn), e.Note, sourceNumbers(e.Citations), cites(e.Citations), e.Handling})
		}
	})
	return sheetTable{name: "Endorsements", columns: []string{"Topic", "Demand", "Demanding party", "Endorsing party", "Role",
		"Stated on", "Note", "Sources", "Citations", "Handling"}, rows: rows}
}

// forEachClaim calls fn with every demand of the report in its order,
// and a function that spells out citations against the report's sources.
func forEachClaim(r *Report, fn func(Topic, Demand, func([]CiteRef) string)) {
	sources := make(map[int]Source, len(r.Sources))
	for _, s := range r.Sources {
		sources[s.Number] = s
	}
	cites := func(refs []CiteRef) string { return citationsText(refs, sources) }
	for _, t := range r.Topics {
		for _, d := range t.Demands {
			fn(t, d, cites)
		}
	}
}

func partyRoles(r *Report) map[string]string {
	roles := make(map[string]string, len(r.Parties))
	for _, p := range r.Parties {
		roles[p.ID] = p.Role
	}
	return roles
}

// changesSheet lists what moved since the report's since instant, one
// row per move with its topic's state then and now.
func changesSheet(r *Report) sheetTable {
	var rows [][]any
	row := func(topic, before, after string, m domain.Move) []any {
		return []any{topic, before, after, m.Party, m.Kind, m.Summary, instantCell(m.EffectiveAt)}
	}
	for _, t := range movedTopics(r.Changes) {
		for _, m := range t.Moves {
			rows = append(rows, row(t.TopicTitle, stateText(t.StateFrom), stateText(t.StateTo), m))
		}
	}
	if r.Changes != nil {
		for _, m := range r.Changes.OtherMoves {
			rows = append(rows, row(otherMovesHeading, "", "", m))
		}
	}
	return sheetTable{name: "Changes", columns: []string{"Topic", "State before", "State after", "Party", "Move", "What moved", "Took effect (UTC)"}, rows: rows}
}

// stateText is a topic's state, or "not on the table".
func stateText(s *string) string {
	if s == nil {
		return "not on the table"
	}
	return *s
}

func sourcesSheet(r *Report) sheetTable {
	rows := make([][]any, 0, len(r.Sources))
	for _, s := range r.Sources {
		rows = append(rows, []any{s.Number, s.Publisher, s.Title, s.URL, dayCell(s.PublishedAt), s.Grading, s.GradingText})
	}
	return sheetTable{name: "Sources", columns: []string{"Number", "Publisher", "Title", "URL", "Published", "Grading", "Meaning"}, rows: rows}
}

func cellName(col, row int) string {
	name, _ := excelize.CoordinatesToCellName(col, row)
	return name
}
