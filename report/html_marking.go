package report

import (
	"fmt"
	"html/template"
	"strings"
	"unicode"
	"unicode/utf8"
)

// markingContent is the handling text as a CSS string for a page margin
// box's content. html/template refuses text like "TLP:AMBER" inside a
// CSS string, where it might be a URL, so the string is built here,
// every character but letters, digits and spaces escaped as CSS hex.
func markingContent(r *Report) template.CSS {
	var b strings.Builder
	b.WriteByte('"')
	for _, c := range handlingText(r) {
		if c == ' ' || c < utf8.RuneSelf && (unicode.IsLetter(c) || unicode.IsDigit(c)) {
			b.WriteRune(c)
			continue
		}
		fmt.Fprintf(&b, "\\%x ", c)
	}
	b.WriteByte('"')
	return template.CSS(b.String()) //nolint:gosec // every character that could end the string is escaped above
}
