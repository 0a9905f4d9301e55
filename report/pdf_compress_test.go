package report

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"testing"
)

// TestCompressPagesKeepsTheXrefTrue: after the pages are deflated every
// stream is compressed, and every cross-reference entry, and startxref,
// still point at what they name.
func TestCompressPagesKeepsTheXrefTrue(t *testing.T) {
	pdf := render(t, "pdf", gazaReport())
	if plain := regexp.MustCompile(`<</Length \d+>>\nstream\n`).FindIndex(pdf); plain != nil {
		t.Errorf("a stream left plain at %d", plain[0])
	}
	if n := bytes.Count(pdf, []byte("<</Filter /FlateDecode /Length ")); n < 8 {
		t.Errorf("%d deflated page streams", n)
	}
	m := regexp.MustCompile(`\nstartxref\n(\d+)\n%%EOF\n$`).FindSubmatch(pdf)
	if m == nil {
		t.Fatal("no startxref at the end")
	}
	xref, _ := strconv.Atoi(string(m[1]))
	if !bytes.HasPrefix(pdf[xref:], []byte("xref\n0 ")) {
		t.Fatalf("startxref %d points at %q", xref, pdf[xref:min(len(pdf), xref+20)])
	}
	table := regexp.MustCompile(`^xref\n0 (\d+)\n`).FindSubmatch(pdf[xref:])
	count, _ := strconv.Atoi(string(table[1]))
	entries := xref + len(table[0])
	for j := 1; j < count; j++ {
		o, err := strconv.Atoi(string(pdf[entries+j*20 : entries+j*20+10]))
		if err != nil || !bytes.HasPrefix(pdf[o:], fmt.Appendf(nil, "%d 0 obj\n", j)) {
			t.Errorf("xref entry %d: offset %d points at %q", j, o, pdf[o:min(len(pdf), o+12)])
		}
	}
	if info := pdfTool(t, pdf, "pdfinfo"); !regexp.MustCompile(`Pages:\s+\d+`).MatchString(info) {
		t.Errorf("pdfinfo: %s", info)
	}
}
