package report

import (
	"strconv"
	"strings"

	"github.com/parley/parley/domain"
)

// termColumn is one term some topic of the report defines: the csv and
// xlsx give each its own column, so that values sort and filter.
type termColumn struct {
	Key     string
	Heading string
}

// definedTermColumns lists the terms the report's topics define, in topic
// then definition order, once per key. A demand's defined terms are marked
// in its ReportTerm; the column's heading is the first label met.
func definedTermColumns(r *domain.Report) []termColumn {
	var cols []termColumn
	seen := map[string]bool{}
	for _, t := range r.Topics {
		for _, row := range t.Terms {
			if !seen[row.Key] {
				seen[row.Key] = true
				cols = append(cols, termColumn{Key: row.Key, Heading: row.Label})
			}
		}
		for _, d := range t.Demands {
			for _, term := range d.Terms {
				if term.Defined && !seen[term.Name] {
					seen[term.Name] = true
					cols = append(cols, termColumn{Key: term.Name, Heading: term.Label})
				}
			}
		}
	}
	return cols
}

// definedTerm finds a demand's value of a defined term.
func definedTerm(d domain.ReportDemand, key string) (domain.ReportTerm, bool) {
	for _, t := range d.Terms {
		if t.Name == key && t.Defined {
			return t, true
		}
	}
	return domain.ReportTerm{}, false
}

// termCellText is a defined term's value in a csv cell: numbers plain
// (1500, 45 for 45 %), money as its exact amount and currency
// ("1200000 USD"), booleans as yes or no, a choice by its label.
func termCellText(d domain.ReportDemand, key string) string {
	t, ok := definedTerm(d, key)
	if !ok {
		return ""
	}
	switch v := t.Raw.(type) {
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case map[string]any:
		amount, _ := v["amount"].(string)
		currency, _ := v["currency"].(string)
		return strings.TrimSpace(amount + " " + currency)
	}
	return t.Value
}

// termCellValue is a defined term's value as a typed spreadsheet cell:
// a number for numbers, percents and money amounts, a boolean for yes and
// no, text for the rest; nil for none.
func termCellValue(d domain.ReportDemand, key string) any {
	t, ok := definedTerm(d, key)
	if !ok {
		return nil
	}
	switch v := t.Raw.(type) {
	case float64, bool:
		return v
	case map[string]any:
		amount, _ := v["amount"].(string)
		if f, err := strconv.ParseFloat(amount, 64); err == nil {
			return f
		}
	}
	return t.Value
}
