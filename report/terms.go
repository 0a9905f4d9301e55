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
// the order they are first met (topic by topic, each demand's terms in the
// analyst's order), a defined term headed by its label and unit, then any
// term a topic defines that no demand states. Every table of terms (spreadsheet and csv) takes its
// columns from here.
func termColumns(r *Report) []termColumn {
	var out []termColumn
	seen := map[string]bool{}
	headers := map[string]bool{}
	add := func(key, header string) {
		if seen[key] {
			return
		}
		seen[key] = true
		if headers[strings.ToLower(header)] {
			header += " [" + key + "]"
		}
		headers[strings.ToLower(header)] = true
		out = append(out, termColumn{Key: key, Header: header})
	}
	for _, t := range r.Topics {
		for _, d := range t.Demands {
			for _, term := range d.Terms {
				if seen[term.Name] {
					continue
				}
				header := termHeader(term.Name)
				if term.Defined {
					header = term.Label
				}
				add(term.Name, header)
			}
		}
	}
	for _, t := range r.Topics {
		for _, row := range t.Terms {
			add(row.Key, row.Label)
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
func termOf(d Demand, key string) (Term, bool) {
	for _, t := range d.Terms {
		if t.Name == key {
			return t, true
		}
	}
	return Term{}, false
}

// termCell is a demand's term as a typed spreadsheet value: a number, a
// boolean or text; nil where the demand does not state it.
func termCell(d Demand, key string) any {
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
	if m, ok := t.Raw.(map[string]any); ok {
		// Money: the exact amount as a number, in the currency the
		// term's definition names in the column's heading.
		if amount, ok := m["amount"].(string); ok {
			if f, err := strconv.ParseFloat(amount, 64); err == nil {
				return f
			}
		}
	}
	if s, ok := t.Raw.(string); ok {
		return s
	}
	return t.Value
}

// termCSV is a demand's term as a csv value a program reads back: a plain
// number ("1500", no unit or grouping), "true" or "false", or the text.
func termCSV(d Demand, key string) string {
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
