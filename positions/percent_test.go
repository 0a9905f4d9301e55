package positions

import (
	"bytes"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestReadXLSXPercentCells reads term cells formatted as percentages as
// the percentages they show, and leaves every other cell as stored.
func TestReadXLSXPercentCells(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "Sheet1"
	rows := [][]any{
		{"party", "title", "term:share", "term:count", "term:note"},
		{"Ukraine", 0.45, 0.45, 0.45, "45%"},
		{"Russia", "b", 0.125, 12, "x"},
		{"Turkey", "c", 1, 0.3, "y"},
		{"Qatar", "d", 0.0015, 2, "z"},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(sheet, cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	builtin, err := f.NewStyle(&excelize.Style{NumFmt: 9})
	if err != nil {
		t.Fatal(err)
	}
	custom := `0.0" pts";[Red]-0.0%`
	own, err := f.NewStyle(&excelize.Style{CustomNumFmt: &custom})
	if err != nil {
		t.Fatal(err)
	}
	quoted := `0.0"%"`
	literal, err := f.NewStyle(&excelize.Style{CustomNumFmt: &quoted})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []struct {
		from, to string
		style    int
	}{
		{"B2", "C3", builtin}, // the title column is no term: left as stored
		{"C4", "C4", own},
		{"C5", "C5", builtin},
		{"D4", "D4", literal}, // a quoted % shows the number as it is
		{"E2", "E2", builtin}, // text stays text
	} {
		if err := f.SetCellStyle(sheet, s.from, s.to, s.style); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	wb, err := ReadXLSX(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	got := wb.Sheets[SheetDemands].Rows
	want := [][]string{
		{"Ukraine", "0.45", "45%", "0.45", "45%"},
		{"Russia", "b", "12.5%", "12", "x"},
		{"Turkey", "c", "100%", "0.3", "y"},
		{"Qatar", "d", "0.15%", "2", "z"},
	}
	for i, w := range want {
		for j, cell := range w {
			if got[i].Cells[j] != cell {
				t.Errorf("row %d, column %s: %q, want %q", got[i].Number, rows[0][j], got[i].Cells[j], cell)
			}
		}
	}
}

func TestPercentFormat(t *testing.T) {
	for code, want := range map[string]bool{
		"0%": true, "0.00%": true, `0.0"%"`: false, `0\%`: false, `"up "0%`: true, "0.00": false, "#,##0": false,
	} {
		if got := percentFormat(code); got != want {
			t.Errorf("percentFormat(%q) = %v, want %v", code, got, want)
		}
	}
}
