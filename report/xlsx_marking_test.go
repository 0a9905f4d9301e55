package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestXLSXPrintsTheMarking: every sheet prints the report's handling
// marking in its page header and footer, and the first sheet shows it on
// its first row, read back with excelize.
func TestXLSXPrintsTheMarking(t *testing.T) {
	r := fixtureReport()
	r.Handling, r.Audience = "TLP:AMBER+STRICT", "TLP:AMBER+STRICT"
	f, err := excelize.OpenReader(bytes.NewReader(render(t, "xlsx", r)))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want := handlingText(r)
	if !strings.HasPrefix(want, "TLP:AMBER+STRICT · for a TLP:AMBER+STRICT audience") {
		t.Fatalf("handling text %q", want)
	}
	for _, sheet := range f.GetSheetList() {
		hf, err := f.GetHeaderFooter(sheet)
		if err != nil {
			t.Fatal(err)
		}
		if hf == nil || hf.OddHeader != `&C&"-,Bold"`+want || hf.OddFooter != hf.OddHeader {
			t.Errorf("%s prints header/footer %+v, want the marking %q", sheet, hf, want)
		}
	}
	if first, _ := f.GetCellValue(f.GetSheetList()[0], "A1"); first != want {
		t.Errorf("the first sheet's first row = %q, want %q", first, want)
	}
	merged, _ := f.GetMergeCells("Matrix")
	if len(merged) != 1 || merged[0].GetStartAxis() != "A1" {
		t.Errorf("the marking's row is not one cell across the grid: %+v", merged)
	}
}

// TestPrintMarkingEscapesAmpersands: an & in the text is doubled, so a
// header cannot read a format code from it, and the code is cut to Excel's
// 255 characters.
func TestPrintMarkingEscapesAmpersands(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	r := &Report{Handling: "TLP:RED", Audience: "TLP:RED&P" + strings.Repeat("x", 300)}
	if err := setPrintMarking(f, "Sheet1", r); err != nil {
		t.Fatal(err)
	}
	hf, _ := f.GetHeaderFooter("Sheet1")
	if !strings.Contains(hf.OddHeader, "TLP:RED&&P") || len([]rune(hf.OddHeader)) != maxHeaderChars {
		t.Errorf("header %q (%d characters)", hf.OddHeader, len([]rune(hf.OddHeader)))
	}
}
