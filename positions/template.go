package positions

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"sort"

	"github.com/xuri/excelize/v2"

	"github.com/parley/parley/domain"
)

// templateRows is how many rows of the XLSX template offer the lists of
// choices: a year of a large conference's positions.
const templateRows = 20000

// TermKeys lists the terms a negotiation's demands are compared on, for
// the template's term columns: every term its demands state, in the
// order they first appear.
func TermKeys(snap *domain.Snapshot) []string {
	var keys []string
	seen := map[string]bool{}
	for _, d := range snap.Demands {
		for _, k := range d.OrderedTermKeys() {
			if !seen[k] {
				seen[k] = true
				keys = append(keys, k)
			}
		}
	}
	return keys
}

// TemplateCSV is the header row of a CSV import of demands.
func TemplateCSV(snap *domain.Snapshot) []byte {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.Write(Columns(SheetDemands, TermKeys(snap)))
	w.Flush()
	return buf.Bytes()
}

// choiceLists are the lists of the XLSX template's drop-downs: the
// negotiation's names and the enumerations, each a column of the hidden
// sheet "lists".
func choiceLists(snap *domain.Snapshot) []struct {
	header  string
	values  []string
	columns map[string][]string // sheet -> columns offering the list
} {
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
	return []struct {
		header  string
		values  []string
		columns map[string][]string
	}{
		{"party", parties, map[string][]string{SheetDemands: {"party"}, SheetObjections: {"party"}, SheetEndorsements: {"party"}}},
		{"topic", topics, map[string][]string{SheetDemands: {"topic"}}},
		{"round", rounds, map[string][]string{SheetDemands: {"round"}}},
		{"demand status", domain.DemandStatuses().Strings(), mapOf(only(SheetDemands), "status")},
		{"priority", domain.DemandPriorities().Strings(), mapOf(only(SheetDemands), "priority")},
		{"objection kind", domain.ObjectionKinds().Strings(), mapOf(only(SheetObjections), "kind")},
		{"objection status", domain.ObjectionStatuses().Strings(), mapOf(only(SheetObjections), "status")},
		{"reliability", domain.Reliabilities().Strings(), map[string][]string{SheetDemands: {"citation_reliability"}, SheetObjections: {"citation_reliability"}, SheetEndorsements: {"citation_reliability"}}},
		{"credibility", domain.Credibilities().Strings(), map[string][]string{SheetDemands: {"citation_credibility"}, SheetObjections: {"citation_credibility"}, SheetEndorsements: {"citation_credibility"}}},
	}
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
