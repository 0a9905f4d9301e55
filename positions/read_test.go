package positions

import (
	"errors"
	"strings"
	"testing"
)

func TestReadCSV(t *testing.T) {
	wb, err := ReadCSV([]byte("\ufeffParty;Topic;Title;stated_on\n\nUkraine;Ceasefire;\"A; B\";2025-05-16\n;;;\n"))
	if err != nil {
		t.Fatal(err)
	}
	s := wb.Sheets[SheetDemands]
	if strings.Join(s.Headers, "|") != "Party|Topic|Title|stated_on" {
		t.Fatalf("headers %q", s.Headers)
	}
	// Blank rows are skipped, and rows keep the spreadsheet's numbers.
	if len(s.Rows) != 1 || s.Rows[0].Number != 3 || s.Rows[0].Cells[2] != "A; B" {
		t.Fatalf("rows %+v", s.Rows)
	}
	wb, err = ReadCSV([]byte("party,title\r\nA,\"two\r\nlines\"\r\n\r\nB,x\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	if rows := wb.Sheets[SheetDemands].Rows; len(rows) != 2 || rows[0].Number != 2 || rows[1].Number != 4 {
		t.Fatalf("rows after a cell of two lines and a blank line: %+v", rows)
	}
	var fe *FileError
	if _, err := ReadCSV([]byte("a,\"b\n")); !errors.As(err, &fe) {
		t.Fatalf("an unterminated quote: %v", err)
	}
}

func TestCheckHeaders(t *testing.T) {
	errs := checkHeaders(&Sheet{Name: SheetObjections, Headers: []string{"PARTY", "party", "colour", "Grounds"}})
	got := map[string]string{}
	for _, e := range errs {
		got[e.Column] = e.Message
	}
	if len(errs) != 3 || got["party"] != "comes twice" || !strings.Contains(got["colour"], "is not a column") || !strings.Contains(got["stated_on"], "missing") {
		t.Fatalf("header errors %+v", errs)
	}
}

func TestColumnOf(t *testing.T) {
	for field, want := range map[string]string{
		"party_id": "party", "terms.duration_days": "term:duration_days", "citations[0].url": "citation_url",
		"citations[0]": "citation_title", "stated_on": "stated_on", "change_note": "effective_on",
	} {
		if got := columnOf(field); got != want {
			t.Errorf("columnOf(%q) = %q, want %q", field, got, want)
		}
	}
}

func FuzzRead(f *testing.F) {
	f.Add([]byte("party,topic,title,stated_on\nUkraine,Ceasefire,x,2025-05-16\n"))
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, media := range []string{MediaCSV, MediaXLSX} {
			wb, err := Read(data, media)
			if err != nil {
				var fe *FileError
				if !errors.As(err, &fe) {
					t.Fatalf("%s: an error that is no FileError: %v", media, err)
				}
				continue
			}
			for _, s := range wb.Sheets {
				checkHeaders(s)
			}
		}
	})
}
