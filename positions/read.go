package positions

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// Limits of an import. MaxFileBytes fits a year of a COP's positions:
// 12,000 demand rows, each with a citation and a quote of some hundred
// words, come to about 20 MiB as CSV.
const (
	MaxFileBytes = 32 << 20
	// MaxRows bounds the data rows of one sheet.
	MaxRows = 25000
	// MaxColumns bounds the columns of one sheet.
	MaxColumns = 200
	// maxUnzipped bounds what an XLSX file may unpack to, so that a small
	// compressed file cannot fill the memory.
	maxUnzipped = 256 << 20
)

// Media types an import reads.
const (
	MediaCSV  = "text/csv"
	MediaXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)

// Sheet is one sheet of a workbook as read: its header row and its data
// rows, each with the spreadsheet's own row number (the header is row 1).
type Sheet struct {
	Name    string
	Headers []string
	Rows    []Row
	headed  bool
}

// Row is one data row: its spreadsheet row number and its cells by
// column, in the headers' order.
type Row struct {
	Number int
	Cells  []string
}

// Workbook is the sheets of one file, by sheet name (demands, objections,
// endorsements); dateSerials says whether a number in a date column is a
// spreadsheet day number (XLSX) or text (CSV).
type Workbook struct {
	Sheets      map[string]*Sheet
	dateSerials bool
}

// FileError is a file that cannot be read as what it says it is.
type FileError struct{ Detail string }

func (e *FileError) Error() string { return e.Detail }

// Read reads a file of the media type (MediaCSV or MediaXLSX).
func Read(data []byte, mediaType string) (*Workbook, error) {
	switch mediaType {
	case MediaCSV:
		return ReadCSV(data)
	case MediaXLSX:
		return ReadXLSX(data)
	}
	return nil, fmt.Errorf("positions: cannot read %s", mediaType)
}

// MediaTypeOf guesses a file's type from its name and first bytes, for an
// upload whose part carries no useful Content-Type: "" when it is neither
// CSV nor XLSX.
func MediaTypeOf(filename string, data []byte) string {
	name := strings.ToLower(filename)
	zip := bytes.HasPrefix(data, []byte("PK\x03\x04"))
	switch {
	case strings.HasSuffix(name, ".xlsx") && zip:
		return MediaXLSX
	case strings.HasSuffix(name, ".csv") && !zip:
		return MediaCSV
	}
	return ""
}

// ReadCSV reads a CSV file as a sheet of demands. It takes the separator
// Excel writes where the decimal mark is a comma (;) when the header line
// has semicolons and no comma, and skips a byte order mark.
func ReadCSV(data []byte) (*Workbook, error) {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	if !utf8.Valid(data) {
		return nil, &FileError{Detail: "the CSV file is not UTF-8 text; save it as \"CSV UTF-8\""}
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	firstLine, _, _ := bytes.Cut(data, []byte("\n"))
	if !bytes.Contains(firstLine, []byte(",")) && bytes.Contains(firstLine, []byte(";")) {
		r.Comma = ';'
	}
	sheet := &Sheet{Name: SheetDemands}
	// A spreadsheet counts a blank line as a row, which the CSV reader
	// skips: the row number counts the lines skipped before each record.
	row, newlines, end := 0, 0, int64(0)
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, &FileError{Detail: fmt.Sprintf("the CSV file cannot be read at line %d: %v", pe.Line, pe.Err)}
			}
			return nil, &FileError{Detail: "the CSV file cannot be read"}
		}
		line, _ := r.FieldPos(0)
		row += 1 + max(line-newlines-1, 0)
		next := r.InputOffset()
		newlines += bytes.Count(data[end:next], []byte("\n"))
		end = next
		if err := sheet.add(row, rec); err != nil {
			return nil, err
		}
	}
	return &Workbook{Sheets: map[string]*Sheet{SheetDemands: sheet}}, nil
}

// ReadXLSX reads the sheets demands, objections and endorsements of a
// workbook, by name in any case; a workbook of one sheet is read as
// demands whatever its name. Cells are read as stored, never computed:
// a formula cell gives the value the spreadsheet last saved with it. A
// term cell formatted as a percentage is read as the percentage it shows
// (percent.go).
func ReadXLSX(data []byte) (*Workbook, error) {
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: maxUnzipped, UnzipXMLSizeLimit: maxUnzipped})
	if err != nil {
		return nil, &FileError{Detail: "the file cannot be read as an XLSX workbook"}
	}
	defer f.Close()
	names := f.GetSheetList()
	wb := &Workbook{Sheets: map[string]*Sheet{}, dateSerials: true}
	for _, name := range names {
		want := strings.ToLower(strings.TrimSpace(name))
		if len(names) == 1 {
			want = SheetDemands
		}
		if _, ok := sheetColumns[want]; !ok || wb.Sheets[want] != nil {
			continue
		}
		rows, err := f.GetRows(name, excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, &FileError{Detail: fmt.Sprintf("the sheet %q cannot be read", name)}
		}
		sheet := &Sheet{Name: want}
		for i, rec := range rows {
			if err := sheet.add(i+1, rec); err != nil {
				return nil, err
			}
		}
		if err := readPercents(f, name, sheet); err != nil {
			return nil, err
		}
		wb.Sheets[want] = sheet
	}
	return wb, nil
}

// add takes the spreadsheet's row n: the header when it is the first row
// with a cell, else a data row unless all its cells are empty.
func (s *Sheet) add(n int, rec []string) error {
	if len(rec) > MaxColumns {
		return &FileError{Detail: fmt.Sprintf("the sheet %s has more than %d columns", s.Name, MaxColumns)}
	}
	if blank(rec) {
		return nil
	}
	if !s.headed {
		s.Headers, s.headed = rec, true
		return nil
	}
	if len(s.Rows) >= MaxRows {
		return &FileError{Detail: fmt.Sprintf("the sheet %s has more than %d rows; split the file", s.Name, MaxRows)}
	}
	s.Rows = append(s.Rows, Row{Number: n, Cells: rec})
	return nil
}

func blank(rec []string) bool {
	for _, c := range rec {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}
