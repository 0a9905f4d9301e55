package api_test

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/parley/parley/domain"
	"github.com/parley/parley/positions"
)

const xlsxType = positions.MediaXLSX

func importPath(w *world, dryRun bool) string {
	p := "/api/v1/negotiations/" + w.Negotiation + "/import"
	if dryRun {
		p += "?dry_run=true"
	}
	return p
}

// countOf lists a collection of the world's negotiation and counts it.
func (e *env) countOf(w *world, k domain.Kind) int {
	e.t.Helper()
	r := e.must(http.StatusOK, req{Method: "GET", Path: "/api/v1/" + string(k) + "?limit=500&negotiation_id=" + w.Negotiation, Token: e.viewer})
	return len(r.items())
}

// cellErrors lists a response's errors as "sheet!row:column".
func cellErrors(r *resp) map[string]string {
	out := map[string]string{}
	errs, _ := r.JSON["errors"].([]any)
	for _, x := range errs {
		m, _ := x.(map[string]any)
		row, _ := m["row"].(float64)
		key := fmt.Sprintf("%s!%d:%s", m["sheet"], int(row), m["column"])
		out[key], _ = m["message"].(string)
	}
	return out
}

const goodCSV = "Party,TOPIC,title,stated_on,status,round,effective_on,term:duration_days,citation_title,citation_url,citation_reliability,citation_credibility\n" +
	"ukrainian side,ceasefire,Return of all children,2025-05-16,Under discussion,dolmabahçe round,2025-05-17,,Live updates,https://example.org/live,B,2\n" +
	"RF,Ceasefire,\"=HYPERLINK(\"\"http://evil.example\"\")\",16 May 2025,,,,0,Kremlin readout,,,\n"

func TestImportCSV(t *testing.T) {
	e := newEnv(t)
	w := e.world()
	before := e.countOf(w, domain.KindDemand)

	dry := e.must(http.StatusOK, req{Method: "POST", Path: importPath(w, true), Token: e.editor, Body: goodCSV, Type: "text/csv"})
	if got := e.countOf(w, domain.KindDemand); got != before {
		t.Fatalf("a dry run wrote %d demands", got-before)
	}
	if n := dry.JSON["created"].(map[string]any)["demands"]; n != 2.0 {
		t.Fatalf("dry run would create %v demands, want 2: %s", n, dry.Body)
	}
	if errs := dry.JSON["errors"].([]any); len(errs) != 0 {
		t.Fatalf("dry run found bad cells in a good file: %s", dry.Body)
	}

	got := e.must(http.StatusCreated, req{Method: "POST", Path: importPath(w, false), Token: e.editor, Body: goodCSV, Type: "text/csv"})
	items := got.items()
	if len(items) != 2 || e.countOf(w, domain.KindDemand) != before+2 {
		t.Fatalf("import created %d items: %s", len(items), got.Body)
	}
	first := items[0]
	if first["row"] != 2.0 || first["revision"] != 1.0 || first["effective_at"] != "2025-05-17T00:00:00Z" || first["party"] != "Ukraine" {
		t.Fatalf("first item: %v", first)
	}
	d := e.must(http.StatusOK, req{Method: "GET", Path: path(domain.KindDemand, first["id"].(string)), Token: e.viewer}).JSON
	if d["status"] != "under_discussion" || d["round_id"] != w.Round || d["topic_id"] != w.Topic || d["party_id"] != w.PartyA {
		t.Fatalf("imported demand: %v", d)
	}
	cits := d["citations"].([]any)
	if len(cits) != 1 || cits[0].(map[string]any)["credibility"] != "2" {
		t.Fatalf("citation: %v", d["citations"])
	}
	hist := e.must(http.StatusOK, req{Method: "GET", Path: path(domain.KindDemand, first["id"].(string)) + "/history", Token: e.viewer}).items()
	if len(hist) != 1 || hist[0]["effective_at"] != "2025-05-17T00:00:00Z" || hist[0]["action"] != "create" {
		t.Fatalf("history: %v", hist)
	}
	second := e.must(http.StatusOK, req{Method: "GET", Path: path(domain.KindDemand, items[1]["id"].(string)), Token: e.viewer}).JSON
	if second["title"] != `=HYPERLINK("http://evil.example")` || second["stated_on"] != "2025-05-16" || second["party_id"] != w.PartyB {
		t.Fatalf("a formula-looking cell was not kept as text, or the day not read: %v", second)
	}
	if terms := second["terms"].(map[string]any); terms["duration_days"] != 0.0 {
		t.Fatalf("terms: %v", terms)
	}
}

func TestImportBadCellsRefuseAll(t *testing.T) {
	e := newEnv(t)
	w := e.world()
	before := e.countOf(w, domain.KindDemand)
	bad := "party,topic,title,stated_on,status\n" +
		"Ukraine,Ceasefire,Good row,2025-05-16,\n" +
		"Atlantis,Ceasefire,Unknown party,2025-05-16,\n" +
		"Russia,Fishing rights,Unknown topic,06/01/2025,maybe\n" +
		",Ceasefire,,2025-05-16,\n"
	dry := e.must(http.StatusOK, req{Method: "POST", Path: importPath(w, true), Token: e.editor, Body: bad, Type: "text/csv"})
	want := []string{"demands!3:party", "demands!4:topic", "demands!4:stated_on", "demands!4:status", "demands!5:party", "demands!5:title"}
	errs := cellErrors(dry)
	for _, k := range want {
		if errs[k] == "" {
			t.Errorf("dry run does not name %s: %s", k, dry.Body)
		}
	}
	if len(errs) != len(want) {
		t.Errorf("dry run names %d bad cells, want %d: %v", len(errs), len(want), errs)
	}
	if !strings.Contains(errs["demands!3:party"], "Atlantis") {
		t.Errorf("unknown party message: %q", errs["demands!3:party"])
	}
	r := e.do(req{Method: "POST", Path: importPath(w, false), Token: e.editor, Body: bad, Type: "text/csv"})
	if r.Code != http.StatusUnprocessableEntity || len(cellErrors(r)) != len(want) {
		t.Fatalf("import with bad cells: %d %s", r.Code, r.Body)
	}
	if got := e.countOf(w, domain.KindDemand); got != before {
		t.Fatalf("one bad cell must refuse every row; %d were written", got-before)
	}
}

func TestImportRefusals(t *testing.T) {
	e := newEnv(t)
	w := e.world()
	cases := []struct {
		name   string
		r      req
		status int
		detail string
	}{
		{"not a spreadsheet", req{Body: `{"a":1}`, Type: "application/json"}, http.StatusUnsupportedMediaType, "text/csv"},
		{"too large", req{Body: strings.Repeat("x", positions.MaxFileBytes+1), Type: "text/csv"}, http.StatusRequestEntityTooLarge, "32 MiB"},
		{"missing columns", req{Body: "party,title\nUkraine,x\n", Type: "text/csv"}, http.StatusUnprocessableEntity, "demands.topic, demands.stated_on"},
		{"unknown column", req{Body: "party,topic,title,stated_on,colour\n", Type: "text/csv"}, http.StatusUnprocessableEntity, "colour"},
		{"broken xlsx", req{Body: "PK\x03\x04 not a zip", Type: xlsxType}, http.StatusBadRequest, "XLSX"},
		{"not utf-8", req{Body: "party,topic,title,stated_on\nT\xfcrkei,a,b,2025-05-16\n", Type: "text/csv"}, http.StatusBadRequest, "UTF-8"},
		{"viewer", req{Body: goodCSV, Type: "text/csv", Token: e.viewer}, http.StatusForbidden, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.r.Method, c.r.Path = "POST", importPath(w, false)
			if c.r.Token == "" {
				c.r.Token = e.editor
			}
			got := e.with(t).do(c.r)
			wantProblem(t, got, c.status)
			if !strings.Contains(got.str("detail"), c.detail) {
				t.Fatalf("detail %q does not say %q", got.str("detail"), c.detail)
			}
		})
	}
}

// xlsxFile builds a workbook of sheets, each a list of rows.
func xlsxFile(t *testing.T, sheets map[string][][]string) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for _, name := range []string{"demands", "objections", "endorsements"} {
		rows, ok := sheets[name]
		if !ok {
			continue
		}
		if _, err := f.NewSheet(name); err != nil {
			t.Fatal(err)
		}
		for i, row := range rows {
			cell, _ := excelize.CoordinatesToCellName(1, i+1)
			if err := f.SetSheetRow(name, cell, &row); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := f.DeleteSheet("Sheet1"); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestImportXLSXWithReactions(t *testing.T) {
	e := newEnv(t)
	w := e.world()
	sheets := map[string][][]string{
		"demands": {{"party", "topic", "title", "stated_on"}, {"Russia", "Ceasefire", "Kyiv withdraws first", "2025-05-16"}},
		"objections": {{"Demand", "party", "grounds", "kind", "stated_on", "citation_url"},
			{"Kyiv withdraws first", "Ukraine", "an ultimatum", "rejection", "2025-05-16", "https://example.org/a"},
			{"30-day ceasefire", "Russia", "rest for Ukraine's forces", "", "2025-05-17", ""}},
		"endorsements": {{"demand", "party", "stated_on", "note"}, {"30-DAY CEASEFIRE", "Turkey", "2025-05-16", "host backs it"}},
	}
	got := e.must(http.StatusCreated, req{Method: "POST", Path: importPath(w, false), Token: e.editor, Body: xlsxFile(t, sheets), Type: xlsxType})
	created := got.JSON["created"].(map[string]any)
	if created["demands"] != 1.0 || created["objections"] != 2.0 || created["endorsements"] != 1.0 {
		t.Fatalf("created %v", created)
	}
	items := got.items()
	demandID := items[0]["id"].(string)
	o := e.must(http.StatusOK, req{Method: "GET", Path: path(domain.KindObjection, items[1]["id"].(string)), Token: e.viewer}).JSON
	if o["demand_id"] != demandID || o["party_id"] != w.PartyA || o["negotiation_id"] != w.Negotiation {
		t.Fatalf("objection to a demand of the same file: %v", o)
	}
	en := e.must(http.StatusOK, req{Method: "GET", Path: path(domain.KindEndorsement, items[3]["id"].(string)), Token: e.viewer}).JSON
	if en["demand_id"] != w.Demand || en["party_id"] != w.PartyC {
		t.Fatalf("endorsement of an existing demand: %v", en)
	}

	// Objecting to one's own demand is a bad cell; nothing of the file is written.
	before := e.countOf(w, domain.KindObjection)
	sheets["objections"] = [][]string{{"demand", "party", "grounds", "stated_on"}, {"30-day ceasefire", "Ukraine", "self", "2025-05-16"}}
	sheets["demands"] = [][]string{{"party", "topic", "title", "stated_on"}, {"Turkey", "Ceasefire", "Talks in Istanbul", "2025-05-16"}}
	bad := e.do(req{Method: "POST", Path: importPath(w, false), Token: e.editor, Body: xlsxFile(t, sheets), Type: xlsxType})
	if bad.Code != http.StatusUnprocessableEntity || !strings.Contains(cellErrors(bad)["objections!2:party"], "own demand") {
		t.Fatalf("objection to one's own demand: %d %s", bad.Code, bad.Body)
	}
	if e.countOf(w, domain.KindObjection) != before {
		t.Fatal("a refused import wrote objections")
	}
}

func TestImportTemplateRoundTrip(t *testing.T) {
	e := newEnv(t)
	w := e.world()
	csv := e.must(http.StatusOK, req{Method: "GET", Path: "/api/v1/negotiations/" + w.Negotiation + "/import-template?format=csv", Token: e.viewer})
	if !strings.HasPrefix(string(csv.Body), "party,topic,title,stated_on,") || !strings.Contains(string(csv.Body), "term:duration_days") {
		t.Fatalf("CSV template: %s", csv.Body)
	}
	filled := strings.TrimSpace(string(csv.Body)) + "\n" + "Russia,Ceasefire,Ceasefire after talks,2025-05-16" + strings.Repeat(",", strings.Count(string(csv.Body), ",")-3) + "\n"
	e.must(http.StatusCreated, req{Method: "POST", Path: importPath(w, false), Token: e.editor, Body: filled, Type: "text/csv"})

	x := e.must(http.StatusOK, req{Method: "GET", Path: "/api/v1/negotiations/" + w.Negotiation + "/import-template?format=xlsx", Token: e.viewer})
	if !strings.Contains(x.Header.Get("Content-Disposition"), ".xlsx") {
		t.Fatalf("Content-Disposition %q", x.Header.Get("Content-Disposition"))
	}
	f, err := excelize.OpenReader(bytes.NewReader(x.Body))
	if err != nil {
		t.Fatal(err)
	}
	dvs, err := f.GetDataValidations("demands")
	if err != nil || len(dvs) == 0 {
		t.Fatalf("the template has no drop-down lists: %v", err)
	}
	parties, _ := f.GetCols("lists")
	if len(parties) == 0 || strings.TrimRight(strings.Join(parties[0], "|"), "|") != "party|Russia|Turkey|Ukraine" {
		t.Fatalf("the party list: %v", parties)
	}
	for sheet, row := range map[string][]string{
		"demands":      {"Ukraine", "Ceasefire", "Monitoring by a third party", "2025-05-16"},
		"objections":   {"Russia", "no monitors", "2025-05-16", "Monitoring by a third party"},
		"endorsements": {"Turkey", "2025-05-16", "Monitoring by a third party"},
	} {
		headers, _ := f.GetRows(sheet)
		values := map[string]string{}
		switch sheet {
		case "demands":
			values = map[string]string{"party": row[0], "topic": row[1], "title": row[2], "stated_on": row[3]}
		case "objections":
			values = map[string]string{"party": row[0], "grounds": row[1], "stated_on": row[2], "demand": row[3]}
		case "endorsements":
			values = map[string]string{"party": row[0], "stated_on": row[1], "demand": row[2]}
		}
		for i, h := range headers[0] {
			if v, ok := values[h]; ok {
				cell, _ := excelize.CoordinatesToCellName(i+1, 2)
				if err := f.SetCellStr(sheet, cell, v); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	got := e.must(http.StatusCreated, req{Method: "POST", Path: importPath(w, false), Token: e.editor, Body: buf.Bytes(), Type: xlsxType})
	if n := len(got.items()); n != 3 {
		t.Fatalf("the filled template created %d items: %s", n, got.Body)
	}
}
