package positions

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/parley/parley/domain"
)

// templateRows is how many rows of the XLSX template offer the lists of
// choices: a year of a large conference's positions.
const templateRows = 20000

// TermKeys lists the terms a negotiation's demands are compared on, for
// the template's term columns: every term its topics define, topic by
// topic in the negotiation's order, then every other term its demands
// state, in the order they first appear.
func TermKeys(snap *domain.Snapshot) []string {
	var keys []string
	seen := map[string]bool{}
	add := func(k string) {
		if !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	for _, t := range snap.Topics {
		for _, def := range t.TermDefinitions {
			add(def.Key)
		}
	}
	for _, d := range snap.Demands {
		for _, k := range d.OrderedTermKeys() {
			add(k)
		}
	}
	return keys
}

// termUse is a term as the negotiation's topics define it: each topic
// defining it with its definition. A term no topic defines is free text.
type termUse struct {
	key    string
	topics []*domain.Topic
	defs   []domain.TermDefinition
}

// termUses lists TermKeys with the topics that define each.
func termUses(snap *domain.Snapshot) []termUse {
	keys := TermKeys(snap)
	uses := make([]termUse, len(keys))
	at := make(map[string]int, len(keys))
	for i, k := range keys {
		uses[i].key, at[k] = k, i
	}
	for _, t := range snap.Topics {
		for _, def := range t.TermDefinitions {
			u := &uses[at[def.Key]]
			u.topics, u.defs = append(u.topics, t), append(u.defs, def)
		}
	}
	return uses
}

// agreed is the one definition every topic defining the term gives it,
// where they agree on its type and choices: then the column can offer a
// list of values.
func (u termUse) agreed() (domain.TermDefinition, bool) {
	if len(u.defs) == 0 {
		return domain.TermDefinition{}, false
	}
	first := u.defs[0]
	for _, d := range u.defs[1:] {
		if d.Type != first.Type || !slices.Equal(d.Choices, first.Choices) {
			return domain.TermDefinition{}, false
		}
	}
	return first, true
}

// listValues are the values a drop-down offers for the term: a choice
// term's labels, or yes and no; none for other types.
func (u termUse) listValues() []string {
	def, ok := u.agreed()
	if !ok {
		return nil
	}
	switch def.Type {
	case domain.TermTypeBoolean:
		return []string{"yes", "no"}
	case domain.TermTypeChoice:
		out := make([]string, len(def.Choices))
		for i, c := range def.Choices {
			out[i] = c.Label
		}
		return out
	}
	return nil
}

// note says what the term column takes: per topic defining it, its
// label, type and unit and what a cell may hold; for a free term, that
// it is kept as written.
func (u termUse) note() string {
	if len(u.defs) == 0 {
		return u.key + ": a free term, not defined by a topic: kept as written (a plain number as a number, true or false as yes or no)."
	}
	var b strings.Builder
	for i, def := range u.defs {
		if i > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "%s (%s) on %q: %s.", def.Heading(), def.Type, u.topics[i].Title, def.Expected())
	}
	return b.String()
}

// TemplateCSV is the header row of a CSV import of demands, with a term
// column for every term TermKeys lists.
func TemplateCSV(snap *domain.Snapshot) []byte {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.Write(Columns(SheetDemands, TermKeys(snap)))
	w.Flush()
	return buf.Bytes()
}

// choiceList is one drop-down list of the XLSX template: its values and,
// by sheet, the columns offering it.
type choiceList struct {
	header  string
	values  []string
	columns map[string][]string
}

// choiceLists are the lists of the XLSX template's drop-downs: the
// negotiation's names and the enumerations, each a column of the hidden
// sheet "lists".
func choiceLists(snap *domain.Snapshot) []choiceList {
	var parties, topics, rounds []string
	takesPart := map[string]bool{}
	for _, p := range snap.Negotiation.Participants {
		takesPart[p.PartyID] = true
	}
	for _, p := range snap.Parties {
		if takesPart[p.ID] {
			parties = append(parties, p.Name)
		}
	}
	sort.Strings(parties)
	for _, t := range snap.Topics {
		topics = append(topics, t.Title)
	}
	for _, r := range snap.Rounds {
		rounds = append(rounds, r.Title)
	}
	only := func(sheet string) map[string][]string { return map[string][]string{sheet: nil} }
	lists := []choiceList{
		{"party", parties, everySheet("party")},
		{"topic", topics, map[string][]string{SheetDemands: {"topic"}}},
		{"round", rounds, everySheet("round")},
		{"handling", domain.HandlingMarkings().Strings(), everySheet("handling")},
		{"demand status", domain.DemandStatuses().Strings(), mapOf(only(SheetDemands), "status")},
		{"priority", domain.DemandPriorities().Strings(), mapOf(only(SheetDemands), "priority")},
		{"objection kind", domain.ObjectionKinds().Strings(), mapOf(only(SheetObjections), "kind")},
		{"objection status", domain.ObjectionStatuses().Strings(), mapOf(only(SheetObjections), "status")},
		{"reliability", domain.Reliabilities().Strings(), everySheet("citation_reliability")},
		{"credibility", domain.Credibilities().Strings(), everySheet("citation_credibility")},
	}
	for _, u := range termUses(snap) {
		if values := u.listValues(); values != nil {
			lists = append(lists, choiceList{TermPrefix + u.key, values, map[string][]string{SheetDemands: {TermPrefix + u.key}}})
		}
	}
	return lists
}

// everySheet offers a list in the column of that name on every sheet.
func everySheet(col string) map[string][]string {
	return map[string][]string{SheetDemands: {col}, SheetObjections: {col}, SheetEndorsements: {col}}
}

func mapOf(m map[string][]string, col string) map[string][]string {
	for k := range m {
		m[k] = []string{col}
	}
	return m
}

// TemplateXLSX is a workbook to fill in: the sheets demands, objections
// and endorsements with their header rows, every cell formatted as text
// (so that a typed "=" stays text), and drop-down lists of the
// negotiation's parties, topics and rounds and of each enumeration.
func TemplateXLSX(snap *domain.Snapshot) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	text, err := f.NewStyle(&excelize.Style{NumFmt: 49})
	if err != nil {
		return nil, err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, NumFmt: 49})
	if err != nil {
		return nil, err
	}
	terms := TermKeys(snap)
	for i, sheet := range Sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", sheet); err != nil {
				return nil, err
			}
		} else if _, err := f.NewSheet(sheet); err != nil {
			return nil, err
		}
		cols := Columns(sheet, terms)
		if err := f.SetSheetRow(sheet, "A1", &cols); err != nil {
			return nil, err
		}
		last, _ := excelize.ColumnNumberToName(len(cols))
		if err := f.SetColStyle(sheet, "A:"+last, text); err != nil {
			return nil, err
		}
		if err := f.SetCellStyle(sheet, "A1", last+"1", bold); err != nil {
			return nil, err
		}
		if err := f.SetColWidth(sheet, "A", last, 18); err != nil {
			return nil, err
		}
		if err := f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
			return nil, err
		}
	}
	if err := addLists(f, snap, terms); err != nil {
		return nil, err
	}
	if err := addTermNotes(f, snap, terms); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// addLists writes the hidden sheet of choices and ties each list to its
// columns with a data validation.
func addLists(f *excelize.File, snap *domain.Snapshot, terms []string) error {
	const lists = "lists"
	if _, err := f.NewSheet(lists); err != nil {
		return err
	}
	for i, l := range choiceLists(snap) {
		col, _ := excelize.ColumnNumberToName(i + 1)
		values := append([]string{l.header}, l.values...)
		if err := f.SetSheetCol(lists, col+"1", &values); err != nil {
			return err
		}
		if len(l.values) == 0 {
			continue
		}
		ref := fmt.Sprintf("%s!$%s$2:$%s$%d", lists, col, col, len(l.values)+1)
		for sheet, cols := range l.columns {
			all := Columns(sheet, terms)
			for _, c := range cols {
				if err := addDropList(f, sheet, all, c, ref); err != nil {
					return err
				}
			}
		}
	}
	return f.SetSheetVisible(lists, false)
}

// addTermNotes puts on each term column's header a note saying what the
// term is and what its cells take (type, unit, the values a choice
// allows), as the topics define it.
func addTermNotes(f *excelize.File, snap *domain.Snapshot, terms []string) error {
	cols := Columns(SheetDemands, terms)
	at := make(map[string]int, len(cols))
	for i, c := range cols {
		at[c] = i
	}
	for _, u := range termUses(snap) {
		i, ok := at[TermPrefix+u.key]
		if !ok {
			continue
		}
		cell, _ := excelize.CoordinatesToCellName(i+1, 1)
		if err := f.AddComment(SheetDemands, excelize.Comment{Cell: cell, Author: "parley", Width: 320, Height: 120,
			Paragraph: []excelize.RichTextRun{{Text: u.note()}}}); err != nil {
			return err
		}
	}
	return nil
}

func addDropList(f *excelize.File, sheet string, cols []string, col, ref string) error {
	for i, c := range cols {
		if c != col {
			continue
		}
		name, _ := excelize.ColumnNumberToName(i + 1)
		dv := excelize.NewDataValidation(true)
		dv.Sqref = fmt.Sprintf("%s2:%s%d", name, name, templateRows)
		dv.SetSqrefDropList(ref)
		return f.AddDataValidation(sheet, dv)
	}
	return nil
}

// Template renders a negotiation's import template in a format (csv or
// xlsx), with its file name and media type.
func Template(snap *domain.Snapshot, format string) (name, media string, data []byte, err error) {
	name = "parley-import-" + snap.Negotiation.ID[:8] + "." + format
	if format == "csv" {
		return name, MediaCSV + "; charset=utf-8", TemplateCSV(snap), nil
	}
	data, err = TemplateXLSX(snap)
	return name, MediaXLSX, data, err
}
