package report

import (
	"strconv"
	"strings"

	"github.com/parley/parley/domain"
)

// termColumn is one term that the spreadsheet and the csv give a column
// of its own: Key is the term's name, Header the spreadsheet's heading
// (its label, and its unit where the name carries one).
type termColumn struct {
	Key    string
	Header string
}

// termColumns lists the terms the report's demands state, once each, in
// the order they are first met: topic by topic, each demand's terms in
// the analyst's order. Every table of terms (spreadsheet and csv) takes
// its columns from here.
func termColumns(r *domain.Report) []termColumn {
	var out []termColumn
	seen := map[string]bool{}
	headers := map[string]bool{}
	for _, t := range r.Topics {
		for _, d := range t.Demands {
			for _, term := range d.Terms {
				if seen[term.Name] {
					continue
				}
				seen[term.Name] = true
				header := termHeader(term.Name)
				if headers[strings.ToLower(header)] {
					header += " [" + term.Name + "]"
				}
				headers[strings.ToLower(header)] = true
				out = append(out, termColumn{Key: term.Name, Header: header})
			}
		}
	}
	return out
}

// termHeader heads a term's column: "duration days", "buffer zone (m)".
func termHeader(key string) string {
	label, unit := domain.TermLabel(key)
	if unit = strings.TrimSpace(unit); unit != "" {
		return label + " (" + unit + ")"
	}
	return label
}

// termOf finds a demand's term by name.
func termOf(d domain.ReportDemand, key string) (domain.ReportTerm, bool) {
	for _, t := range d.Terms {
		if t.Name == key {
			return t, true
		}
	}
	return domain.ReportTerm{}, false
}

// termCell is a demand's term as a typed spreadsheet value: a number, a
// boolean or text; nil where the demand does not state it.
func termCell(d domain.ReportDemand, key string) any {
	t, ok := termOf(d, key)
	if !ok {
		return nil
	}
	if f, ok := domain.TermNumber(t.Raw); ok {
		return f
	}
	if b, ok := t.Raw.(bool); ok {
		return b
	}
	if s, ok := t.Raw.(string); ok {
		return s
	}
	return t.Value
}

// termCSV is a demand's term as a csv value a program reads back: a plain
// number ("1500", no unit or grouping), "true" or "false", or the text.
func termCSV(d domain.ReportDemand, key string) string {
	switch v := termCell(d, key).(type) {
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(v)
	case string:
		return v
	}
	return ""
}
