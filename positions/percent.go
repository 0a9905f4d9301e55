package positions

import (
	"fmt"
	"math/big"
	"regexp"
	"strings"

	"github.com/xuri/excelize/v2"
)

// A spreadsheet keeps a cell formatted as a percentage as its fraction:
// the analyst who typed 45 % sees "45%", and the file holds 0.45. Read as
// stored, such a term would arrive a hundredth of what was meant. A term
// cell with a percentage format is therefore read as the percentage it
// shows ("45%"), which a percent term takes as 45 and any other term
// refuses, naming the cell, rather than keep a wrong number.

// storedNumber is a number as a workbook stores it, exponent and all.
var storedNumber = regexp.MustCompile(`^-?\d+(\.\d+)?([eE][-+]?\d+)?$`)

// readPercents rewrites the term cells of the sheet (named name in f)
// whose number format is a percentage as the percentage they show.
func readPercents(f *excelize.File, name string, sheet *Sheet) error {
	var cols []int
	for i, h := range sheet.Headers {
		if strings.HasPrefix(foldHeader(h), TermPrefix) {
			cols = append(cols, i)
		}
	}
	if len(cols) == 0 {
		return nil
	}
	percentStyle := map[int]bool{}
	for _, row := range sheet.Rows {
		for _, c := range cols {
			if c >= len(row.Cells) || !storedNumber.MatchString(strings.TrimSpace(row.Cells[c])) {
				continue
			}
			axis, err := excelize.CoordinatesToCellName(c+1, row.Number)
			if err != nil {
				return &FileError{Detail: fmt.Sprintf("the sheet %q cannot be read", name)}
			}
			style, err := f.GetCellStyle(name, axis)
			if err != nil {
				return &FileError{Detail: fmt.Sprintf("the sheet %q cannot be read", name)}
			}
			percent, seen := percentStyle[style]
			if !seen {
				percent = isPercentStyle(f, style)
				percentStyle[style] = percent
			}
			if percent {
				row.Cells[c] = percentText(strings.TrimSpace(row.Cells[c]))
			}
		}
	}
	return nil
}

// isPercentStyle says whether the cell style's number format shows a
// percentage: the built-in 0% and 0.00%, or a format of the workbook's own
// with a % outside quotes.
func isPercentStyle(f *excelize.File, id int) bool {
	st, err := f.GetStyle(id)
	if err != nil || st == nil {
		return false
	}
	if st.NumFmt == 9 || st.NumFmt == 10 {
		return true
	}
	return st.CustomNumFmt != nil && percentFormat(*st.CustomNumFmt)
}

// percentFormat says whether a number format code scales by a hundred:
// it has a % that is neither quoted nor escaped.
func percentFormat(code string) bool {
	quoted := false
	for i := 0; i < len(code); i++ {
		switch c := code[i]; {
		case c == '"':
			quoted = !quoted
		case c == '\\' && !quoted:
			i++
		case c == '%' && !quoted:
			return true
		}
	}
	return false
}

// percentText is the stored fraction v as the percentage it shows,
// exactly: 0.45 is "45%", 0.125 "12.5%".
func percentText(v string) string {
	r, ok := new(big.Rat).SetString(v)
	if !ok {
		return v
	}
	r.Mul(r, big.NewRat(100, 1))
	s := r.FloatString(12)
	s = strings.TrimRight(s, "0")
	s = strings.TrimSuffix(s, ".")
	return s + "%"
}
