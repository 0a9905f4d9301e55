package report

import (
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// maxHeaderChars is Excel's limit on a print header or footer, format
// codes included.
const maxHeaderChars = 255

// setPrintMarking prints the report's handling marking, centred and bold,
// in the header and footer of every page of a sheet, as the PDF prints it
// on every page. It must run before the sheet is streamed: the stream
// writer writes the sheet's header and footer as it finds them.
func setPrintMarking(f *excelize.File, sheet string, r *Report) error {
	code := "&C&\"-,Bold\"" + strings.ReplaceAll(handlingText(r), "&", "&&")
	for utf8.RuneCountInString(code) > maxHeaderChars {
		code = string([]rune(code)[:maxHeaderChars])
	}
	return f.SetHeaderFooter(sheet, &excelize.HeaderFooterOptions{OddHeader: code, OddFooter: code})
}
