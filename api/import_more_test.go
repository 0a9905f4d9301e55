package api_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/parley/parley/domain"
)

// get reads one resource as the viewer.
func (e *env) get(k domain.Kind, id string) map[string]any {
	e.t.Helper()
	return e.must(http.StatusOK, req{Method: "GET", Path: path(k, id), Token: e.viewer}).JSON
}

func TestImportHandlingAndRoundOnEverySheet(t *testing.T) {
	e := newEnv(t)
	w := e.world()
	second := e.create(domain.KindRound, map[string]any{"negotiation_id": w.Negotiation, "title": "Second Istanbul round", "starts_on": "2025-06-02"})["id"].(string)
	sheets := map[string][][]string{
		"demands": {{"party", "topic", "title", "stated_on", "Round", "HANDLING"},
			{"Russia", "Ceasefire", "Memorandum first", "2025-06-02", "second istanbul ROUND", "green"},
			{"Ukraine", "Ceasefire", "Unconditional ceasefire", "2025-06-02", "", ""}},
		"objections": {{"demand", "party", "grounds", "stated_on", "round", "handling"},
			{"Memorandum first", "Ukraine", "delays the ceasefire", "2025-06-02", "SECOND ISTANBUL ROUND", "tlp:red"}},
		"endorsements": {{"demand", "party", "stated_on", "round", "handling"},
			{"Unconditional ceasefire", "Turkey", "2025-06-02", "DOLMABAHÇE ROUND", "AMBER+STRICT"}},
	}
	got := e.must(http.StatusCreated, req{Method: "POST", Path: importPath(w, false), Token: e.editor, Body: xlsxFile(t, sheets), Type: xlsxType})
	items := got.items()
	if len(items) != 4 {
		t.Fatalf("created %d items: %s", len(items), got.Body)
	}
	if items[0]["round"] != "Second Istanbul round" || items[0]["handling"] != "TLP:GREEN" || items[3]["round"] != "Dolmabahçe round" || items[1]["round"] != nil {
		t.Fatalf("the items name the round and marking as kept: %v", items)
	}
	d := e.get(domain.KindDemand, items[0]["id"].(string))
	if d["round_id"] != second || d["handling"] != "TLP:GREEN" {
		t.Fatalf("demand round %v, handling %v; want %s, TLP:GREEN", d["round_id"], d["handling"], second)
	}
	if plain := e.get(domain.KindDemand, items[1]["id"].(string)); plain["round_id"] != nil || plain["handling"] != nil {
		t.Fatalf("empty round and handling cells must leave them unset: %v", plain)
	}
	o := e.get(domain.KindObjection, items[2]["id"].(string))
	if o["round_id"] != second || o["handling"] != "TLP:RED" {
		t.Fatalf("objection round %v, handling %v", o["round_id"], o["handling"])
	}
	en := e.get(domain.KindEndorsement, items[3]["id"].(string))
	if en["round_id"] != w.Round || en["handling"] != "TLP:AMBER+STRICT" {
		t.Fatalf("endorsement round %v, handling %v", en["round_id"], en["handling"])
	}

	// Bad values are bad cells saying what would work; nothing is written.
	before := e.countOf(w, domain.KindDemand)
	sheets["demands"] = [][]string{sheets["demands"][0],
		{"Russia", "Ceasefire", "Memorandum again", "2025-06-02", "Geneva round", "secret"}}
	sheets["objections"][1][0] = "Memorandum again"
	sheets["endorsements"][1][0] = "Memorandum again"
	sheets["objections"][1][4] = "Round three"
	sheets["endorsements"][1][3], sheets["endorsements"][1][4] = "Geneva round", "TLP:BLUE"
	bad := e.do(req{Method: "POST", Path: importPath(w, false), Token: e.editor, Body: xlsxFile(t, sheets), Type: xlsxType})
	if bad.Code != http.StatusUnprocessableEntity {
		t.Fatalf("bad round and handling cells: %d %s", bad.Code, bad.Body)
	}
	errs := cellErrors(bad)
	for key, wants := range map[string][]string{
		"demands!2:round":         {`"Geneva round"`, `"Dolmabahçe round"`, `"Second Istanbul round"`},
		"demands!2:handling":      {`"secret"`, "TLP:CLEAR", "TLP:AMBER+STRICT", "TLP:RED", "negotiation's (TLP:AMBER)"},
		"objections!2:round":      {`"Round three"`, `"Dolmabahçe round"`},
		"endorsements!2:round":    {`"Geneva round"`},
		"endorsements!2:handling": {`"TLP:BLUE"`, "TLP:GREEN"},
	} {
		for _, want := range wants {
			if !strings.Contains(errs[key], want) {
				t.Errorf("%s: %q does not say %s", key, errs[key], want)
			}
		}
	}
	if len(errs) != 5 {
		t.Errorf("%d bad cells, want 5: %v", len(errs), errs)
	}
	if e.countOf(w, domain.KindDemand) != before {
		t.Fatal("a refused import wrote demands")
	}
}

func TestImportRoundMessageWithManyRounds(t *testing.T) {
	e := newEnv(t)
	w := e.world()
	for _, title := range []string{"A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L"} {
		e.create(domain.KindRound, map[string]any{"negotiation_id": w.Negotiation, "title": "Session " + title, "starts_on": "2025-06-01"})
	}
	csv := "party,topic,title,stated_on,round\nRussia,Ceasefire,x,2025-06-02,Session Z\n"
	r := e.must(http.StatusOK, req{Method: "POST", Path: importPath(w, true), Token: e.editor, Body: csv, Type: "text/csv"})
	msg := cellErrors(r)["demands!2:round"]
	if !strings.Contains(msg, "13 rounds") || strings.Contains(msg, "Session A") {
		t.Fatalf("with 13 rounds the message counts them rather than listing them: %q", msg)
	}
}

func TestImportEffectiveOnPerRow(t *testing.T) {
	e := newEnv(t)
	w := e.world()
	csv := "party,topic,title,stated_on,effective_on\n" +
		"Russia,Ceasefire,Dated later,2025-05-16,2025-05-20\n" +
		"Russia,Ceasefire,Dated by its statement,2025-05-17,\n" +
		"Ukraine,Ceasefire,Dated to the minute,2025-05-16,2025-05-18T09:30:00+03:00\n" +
		"Ukraine,Ceasefire,Dated in words,2025-05-16,19 May 2025\n"
	got := e.must(http.StatusCreated, req{Method: "POST", Path: importPath(w, false), Token: e.editor, Body: csv, Type: "text/csv"})
	want := []string{"2025-05-20T00:00:00Z", "2025-05-17T00:00:00Z", "2025-05-18T06:30:00Z", "2025-05-19T00:00:00Z"}
	items := got.items()
	if len(items) != len(want) {
		t.Fatalf("created %d: %s", len(items), got.Body)
	}
	for i, it := range items {
		if it["effective_at"] != want[i] {
			t.Errorf("row %v: effective_at %v, want %s", it["row"], it["effective_at"], want[i])
		}
		hist := e.must(http.StatusOK, req{Method: "GET", Path: path(domain.KindDemand, it["id"].(string)) + "/history", Token: e.viewer}).items()
		if len(hist) != 1 || hist[0]["effective_at"] != want[i] {
			t.Errorf("row %v: history %v, want one revision effective %s", it["row"], hist, want[i])
		}
	}

	// In an XLSX file a date cell is a day number; the future is refused.
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", "demands"); err != nil {
		t.Fatal(err)
	}
	rows := [][]any{{"party", "topic", "title", "stated_on", "effective_on"},
		{"Russia", "Ceasefire", "A date cell", "2025-05-16", 45798.0}, // 21 May 2025
		{"Russia", "Ceasefire", "In the future", "2025-05-16", "2999-01-01"}}
	for i, row := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("demands", cell, &row); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	dry := e.must(http.StatusOK, req{Method: "POST", Path: importPath(w, true), Token: e.editor, Body: buf.Bytes(), Type: xlsxType})
	errs := cellErrors(dry)
	if len(errs) != 1 || !strings.Contains(errs["demands!3:effective_on"], "future") {
		t.Fatalf("want one bad cell, the future effective_on: %v", errs)
	}
	if at := dry.items()[0]["effective_at"]; at != "2025-05-21T00:00:00Z" {
		t.Fatalf("a date cell's effective_at: %v", at)
	}
}

// definedTopic creates a topic defining a term of every type.
func definedTopic(e *env, w *world) string {
	e.t.Helper()
	return e.create(domain.KindTopic, map[string]any{"negotiation_id": w.Negotiation, "title": "Prisoner exchange", "term_definitions": []map[string]any{
		{"key": "prisoners", "label": "Prisoners exchanged", "type": "number", "unit": "people"},
		{"key": "reconstruction", "type": "money", "currency": "USD"},
		{"key": "share_released", "type": "percent"},
		{"key": "all_for_all", "label": "All for all", "type": "boolean"},
		{"key": "sequence", "type": "choice", "choices": []map[string]any{{"key": "simultaneous", "label": "At the same time"}, {"key": "staged", "label": "In stages"}}},
		{"key": "first_exchange", "type": "date"},
		{"key": "venue", "type": "text"},
	}})["id"].(string)
}

// typedRow is one value of each defined term as an analyst types it, and
// what the store keeps.
var typedRow = []struct {
	key, typed string
	stored     any
}{
	{"prisoners", "1,000", 1000.0},
	{"reconstruction", "$1.2m", map[string]any{"amount": "1200000", "currency": "USD"}},
	{"share_released", "45%", 45.0},
	{"all_for_all", "yes", true},
	{"sequence", "In stages", "staged"},
	{"first_exchange", "2025-05-23", "2025-05-23"},
	{"venue", "Belarus border", "Belarus border"},
}

// checkTypedTerms reads a demand and checks its terms are typedRow's
// stored values.
func checkTypedTerms(e *env, id string) {
	e.t.Helper()
	terms, _ := e.get(domain.KindDemand, id)["terms"].(map[string]any)
	for _, c := range typedRow {
		got, _ := json.Marshal(terms[c.key])
		want, _ := json.Marshal(c.stored)
		if string(got) != string(want) {
			e.t.Errorf("term %s typed %q is stored as %s, want %s", c.key, c.typed, got, want)
		}
	}
}

func TestImportTemplateTermsRoundTrip(t *testing.T) {
	e := newEnv(t)
	w := e.world()
	definedTopic(e, w)
	tpl := "/api/v1/negotiations/" + w.Negotiation + "/import-template?format="

	// CSV: a column per defined term, filled and uploaded.
	csvTpl := e.must(http.StatusOK, req{Method: "GET", Path: tpl + "csv", Token: e.viewer})
	header := strings.Split(strings.TrimSpace(string(csvTpl.Body)), ",")
	at := map[string]int{}
	for i, h := range header {
		at[h] = i
	}
	for _, c := range append(typedRow, struct {
		key, typed string
		stored     any
	}{key: "duration_days"}) {
		if _, ok := at["term:"+c.key]; !ok {
			t.Fatalf("the CSV template has no column term:%s: %s", c.key, csvTpl.Body)
		}
	}
	row := make([]string, len(header))
	for col, v := range map[string]string{"party": "Russia", "topic": "prisoner exchange", "title": "Exchange from the CSV", "stated_on": "2025-05-16"} {
		row[at[col]] = v
	}
	for _, c := range typedRow {
		row[at["term:"+c.key]] = `"` + c.typed + `"`
	}
	filled := string(csvTpl.Body) + strings.Join(row, ",") + "\n"
	got := e.must(http.StatusCreated, req{Method: "POST", Path: importPath(w, false), Token: e.editor, Body: filled, Type: "text/csv"})
	checkTypedTerms(e, got.items()[0]["id"].(string))

	// XLSX: notes say each term's type and unit; choice and boolean terms
	// offer their values in a list.
	x := e.must(http.StatusOK, req{Method: "GET", Path: tpl + "xlsx", Token: e.viewer})
	f, err := excelize.OpenReader(bytes.NewReader(x.Body))
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows("demands")
	cell := map[string]string{}
	for i, h := range rows[0] {
		cell[h], _ = excelize.CoordinatesToCellName(i+1, 2)
	}
	comments, err := f.GetComments("demands")
	if err != nil {
		t.Fatal(err)
	}
	notes := map[string]string{}
	for _, c := range comments {
		for _, p := range c.Paragraph {
			notes[c.Cell] += p.Text
		}
		notes[c.Cell] += c.Text
	}
	headerCell := func(key string) string { return strings.TrimSuffix(cell["term:"+key], "2") + "1" }
	for key, want := range map[string]string{
		"prisoners": "Prisoners exchanged (people) (number)", "reconstruction": "(USD) (money)", "share_released": "(percent)",
		"all_for_all": "yes or no", "sequence": `"At the same time", "In stages"`, "first_exchange": "YYYY-MM-DD", "venue": "(text)",
		"duration_days": "free term",
	} {
		if !strings.Contains(notes[headerCell(key)], want) {
			t.Errorf("the note on term:%s (%s) is %q; want it to say %s", key, headerCell(key), notes[headerCell(key)], want)
		}
	}
	dvs, err := f.GetDataValidations("demands")
	if err != nil {
		t.Fatal(err)
	}
	lists := map[string]string{} // column letter -> formula
	for _, dv := range dvs {
		col := strings.TrimRight(strings.SplitN(dv.Sqref, ":", 2)[0], "0123456789")
		lists[col] = dv.Formula1
	}
	listed := func(key string) []string {
		ref := lists[strings.TrimSuffix(cell["term:"+key], "2")]
		if ref == "" {
			return nil
		}
		// lists!$F$2:$F$3
		col := strings.Trim(strings.Split(strings.TrimPrefix(ref, "lists!"), ":")[0], "$0123456789")
		n, _ := excelize.ColumnNameToNumber(col)
		cols, _ := f.GetCols("lists")
		var out []string
		for _, v := range cols[n-1][1:] {
			if v != "" {
				out = append(out, v)
			}
		}
		return out
	}
	if got := strings.Join(listed("sequence"), "|"); got != "At the same time|In stages" {
		t.Errorf("the choice term's list: %q", got)
	}
	if got := strings.Join(listed("all_for_all"), "|"); got != "yes|no" {
		t.Errorf("the boolean term's list: %q", got)
	}
	if got := listed("prisoners"); got != nil {
		t.Errorf("a number term offers a list: %v", got)
	}
	for col, v := range map[string]string{"party": "Ukraine", "topic": "Prisoner exchange", "title": "Exchange from the XLSX", "stated_on": "2025-05-16"} {
		if err := f.SetCellStr("demands", cell[col], v); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range typedRow {
		if err := f.SetCellStr("demands", cell["term:"+c.key], c.typed); err != nil {
			t.Fatal(err)
		}
	}
	// 45 typed into a cell formatted as a percentage shows 45 % and is
	// kept as 0.45: it must arrive as 45.
	percent, err := f.NewStyle(&excelize.Style{NumFmt: 9})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.SetCellFloat("demands", cell["term:share_released"], 0.45, -1, 64); err != nil {
		t.Fatal(err)
	}
	if err := f.SetCellStyle("demands", cell["term:share_released"], cell["term:share_released"], percent); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	got = e.must(http.StatusCreated, req{Method: "POST", Path: importPath(w, false), Token: e.editor, Body: buf.Bytes(), Type: xlsxType})
	checkTypedTerms(e, got.items()[0]["id"].(string))
}

func TestImportTermValuesCheckedOnDryRun(t *testing.T) {
	e := newEnv(t)
	w := e.world()
	definedTopic(e, w)
	csv := "party,topic,title,stated_on,term:prisoners,term:sequence,term:all_for_all,term:first_exchange,term:other\n" +
		"Russia,Prisoner exchange,Bad terms,2025-05-16,many,in a hurry,perhaps,next week,anything\n" +
		"Russia,Prisoner exchange,Good terms,2025-05-16,\"1,200\",at the same time,no,23 May 2025,anything\n"
	dry := e.must(http.StatusOK, req{Method: "POST", Path: importPath(w, true), Token: e.editor, Body: csv, Type: "text/csv"})
	errs := cellErrors(dry)
	for key, want := range map[string]string{
		"demands!2:term:prisoners":      "a number of people",
		"demands!2:term:sequence":       `"At the same time", "In stages"`,
		"demands!2:term:all_for_all":    "yes or no",
		"demands!2:term:first_exchange": "2025-01-10",
	} {
		if !strings.Contains(errs[key], want) {
			t.Errorf("%s: %q does not say %s", key, errs[key], want)
		}
	}
	if len(errs) != 4 {
		t.Fatalf("%d bad cells, want 4: %v", len(errs), errs)
	}
	csv = strings.Replace(csv, "many,in a hurry,perhaps,next week", "12,staged,yes,2025-05-30", 1)
	got := e.must(http.StatusCreated, req{Method: "POST", Path: importPath(w, false), Token: e.editor, Body: csv, Type: "text/csv"})
	terms, _ := e.get(domain.KindDemand, got.items()[1]["id"].(string))["terms"].(map[string]any)
	if terms["prisoners"] != 1200.0 || terms["sequence"] != "simultaneous" || terms["all_for_all"] != false || terms["first_exchange"] != "2025-05-23" || terms["other"] != "anything" {
		t.Fatalf("terms: %v", terms)
	}
}

// In an XLSX file a date term may be a date cell, a day number; a number
// term a number cell.
func TestImportXLSXDateCellOfADateTerm(t *testing.T) {
	e := newEnv(t)
	w := e.world()
	definedTopic(e, w)
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", "demands"); err != nil {
		t.Fatal(err)
	}
	rows := [][]any{{"party", "topic", "title", "stated_on", "term:first_exchange", "term:prisoners"},
		{"Ukraine", "Prisoner exchange", "First exchange", 45793.0, 45800.0, 390}}
	for i, row := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("demands", cell, &row); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	got := e.must(http.StatusCreated, req{Method: "POST", Path: importPath(w, false), Token: e.editor, Body: buf.Bytes(), Type: xlsxType})
	d := e.get(domain.KindDemand, got.items()[0]["id"].(string))
	terms, _ := d["terms"].(map[string]any)
	if d["stated_on"] != "2025-05-16" || terms["first_exchange"] != "2025-05-23" || terms["prisoners"] != 390.0 {
		t.Fatalf("stated_on %v, terms %v", d["stated_on"], terms)
	}
}
