package positions

import "strings"

// Sheet names of a workbook; a CSV file is one sheet of demands.
const (
	SheetDemands      = "demands"
	SheetObjections   = "objections"
	SheetEndorsements = "endorsements"
)

// Sheets lists the sheets in the order they are read: a reaction may refer
// to a demand of the same file.
var Sheets = []string{SheetDemands, SheetObjections, SheetEndorsements}

// TermPrefix starts the header of a term column: term:duration_days.
const TermPrefix = "term:"

// citationColumns are the columns of a row's one citation, each the
// citation field of the same name after the prefix.
var citationColumns = []string{
	"citation_publisher", "citation_title", "citation_url", "citation_published_at",
	"citation_locator", "citation_quote", "citation_reliability", "citation_credibility",
}

// sheetColumns lists, per sheet, the columns it may have besides the
// citation columns (and, on demands, the term columns), required first.
var sheetColumns = map[string]struct{ required, optional []string }{
	SheetDemands: {
		required: []string{"party", "topic", "title", "stated_on"},
		optional: []string{"details", "status", "priority", "round", "effective_on", "handling"},
	},
	SheetObjections: {
		required: []string{"party", "grounds", "stated_on"},
		optional: []string{"demand", "kind", "status", "round", "handling"},
	},
	SheetEndorsements: {
		required: []string{"party", "stated_on"},
		optional: []string{"demand", "note", "round", "handling"},
	},
}

// Columns lists every column of a sheet in the template's order: its
// own, then termKeys as term columns (demands only), then the citation
// columns.
func Columns(sheet string, termKeys []string) []string {
	spec := sheetColumns[sheet]
	cols := append(append([]string{}, spec.required...), spec.optional...)
	if sheet == SheetDemands {
		for _, k := range termKeys {
			cols = append(cols, TermPrefix+k)
		}
	}
	return append(cols, citationColumns...)
}

// known reports whether a header (already folded) is a column of the sheet.
func known(sheet, header string) bool {
	if sheet == SheetDemands && strings.HasPrefix(header, TermPrefix) && len(header) > len(TermPrefix) {
		return true
	}
	spec := sheetColumns[sheet]
	for _, list := range [][]string{spec.required, spec.optional, citationColumns} {
		for _, c := range list {
			if c == header {
				return true
			}
		}
	}
	return false
}

// foldHeader is how a header is matched: in any case, around any spaces.
// A term column keeps its key's case, as terms are keyed exactly.
func foldHeader(h string) string {
	h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
	if len(h) >= len(TermPrefix) && strings.EqualFold(h[:len(TermPrefix)], TermPrefix) {
		return TermPrefix + strings.TrimSpace(h[len(TermPrefix):])
	}
	return strings.ToLower(h)
}
