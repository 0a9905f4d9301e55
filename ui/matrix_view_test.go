package ui_test

import (
	"context"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/parley/parley/domain"
	"github.com/parley/parley/domain/demo"
	"github.com/parley/parley/store/storetest"
)

// loadCOP29 adds the multilateral demo beside the first and returns its id.
func (a *testApp) loadCOP29() string {
	a.t.Helper()
	id, _, err := demo.LoadCOP29(context.Background(), a.store, "demo")
	if err != nil {
		a.t.Fatalf("load COP29 demo: %v", err)
	}
	return id
}

// TestMatrixFiltersInTheURL reads each filter from the URL, applies it and
// answers bad values with the form's errors and 422, never a 500.
func TestMatrixFiltersInTheURL(t *testing.T) {
	app := newApp(t)
	cop := app.loadCOP29()
	viewer := app.signIn(domain.RoleViewer)
	base := "/negotiations/" + cop + "/matrix"

	columns := func(body string) int { return strings.Count(body, `<span class="party-name">`) }
	topics := func(body string) int { return strings.Count(body, `<tr class="topic-row`) }

	status, all, _ := viewer.get(base)
	if status != http.StatusOK {
		t.Fatalf("matrix: %d", status)
	}
	if columns(all) <= 6 || !strings.Contains(all, `class="matrix compact-view"`) || !strings.Contains(all, `<details class="cell-fold">`) {
		t.Errorf("more than six columns (%d) must default to the compact view", columns(all))
	}
	_, full, _ := viewer.get(base + "?view=full")
	if strings.Contains(full, `cell-fold`) || strings.Contains(full, "compact-view") {
		t.Error("view=full still folds the cells")
	}
	_, istanbul, _ := viewer.get("/negotiations/" + app.negotiation + "/matrix")
	_, istanbulCompact, _ := viewer.get("/negotiations/" + app.negotiation + "/matrix?view=compact")
	if strings.Contains(istanbul, "cell-fold") || !strings.Contains(istanbulCompact, "cell-fold") {
		t.Error("a few columns show full by default and compact when asked")
	}

	_, mediators, _ := viewer.get(base + "?role=mediator")
	if n := columns(mediators); n == 0 || n >= columns(all) || !strings.Contains(mediators, `value="mediator" checked`) {
		t.Errorf("role=mediator shows %d of %d columns", n, columns(all))
	}
	if !strings.Contains(all, `<form method="get" action="/negotiations/`+cop+`/matrix" class="pair-picker">`) || strings.Count(all, `name="party_id" id="pair-`) != 2 {
		t.Error("no pair picker for phones")
	}
	_, blocs, _ := viewer.get(base + "?group_by=bloc")
	if n := columns(blocs); n == 0 || n >= columns(all) || !strings.Contains(blocs, `<option value="bloc" selected>`) {
		t.Errorf("group_by=bloc shows %d of %d columns", n, columns(all))
	}
	var cats []string
	app.find(domain.KindTopic, func(r domain.Resource) bool {
		tp := r.(*domain.Topic)
		if tp.NegotiationID == app.negotiation && tp.Category != "" && !slices.Contains(cats, tp.Category) {
			cats = append(cats, tp.Category)
		}
		return false
	})
	if len(cats) < 2 {
		t.Fatalf("the demo's topics have %d categories; the test needs two", len(cats))
	}
	_, byCategory, _ := viewer.get("/negotiations/" + app.negotiation + "/matrix?category=" + cats[0])
	if n := topics(byCategory); n == 0 || n >= topics(istanbul) || !strings.Contains(byCategory, "hidden by the filter") {
		t.Errorf("category=%s shows %d of %d topics", cats[0], n, topics(istanbul))
	}
	// Several categories keep the topics of any of them, and stay ticked.
	_, byTwo, _ := viewer.get("/negotiations/" + app.negotiation + "/matrix?category=" + cats[0] + "&category=" + cats[1])
	if n := topics(byTwo); n <= topics(byCategory) {
		t.Errorf("category=%s&category=%s shows %d topics, no more than %s alone (%d)", cats[0], cats[1], n, cats[0], topics(byCategory))
	}
	for _, c := range cats[:2] {
		if !strings.Contains(byTwo, `value="`+c+`" checked`) {
			t.Errorf("category %s is not ticked when chosen", c)
		}
	}
	_, byState, _ := viewer.get(base + "?state=agreed")
	if topics(byState) >= topics(all) {
		t.Errorf("state=agreed shows %d of %d topics", topics(byState), topics(all))
	}

	status, bad, _ := viewer.get(base + "?role=king&state=won&category=weather&group_by=alliance&view=tiny&party_id=nobody")
	if status != http.StatusUnprocessableEntity {
		t.Fatalf("bad filters: status %d", status)
	}
	for _, want := range []string{"Choose one of the listed roles.", "Choose one of the listed states.", "Choose one of the listed categories.",
		"Choose a column per party or per bloc.", "Choose compact or full.", "Choose parties that take part in this negotiation."} {
		if !strings.Contains(bad, want) {
			t.Errorf("bad filters: no error %q", want)
		}
	}
	if strings.Contains(bad, `value="weather"`) {
		t.Error("a bad category is kept as a choice")
	}
}

// TestBrowserMatrixCompactStickyAndPrint opens the compact matrix in
// chromium with scripts off, unfolds a cell, checks the headers stick
// while the page scrolls, and prints it to PDF: the header on every page.
func TestBrowserMatrixCompactStickyAndPrint(t *testing.T) {
	ctx := newBrowser(t)
	app := newApp(t)
	cop := app.loadCOP29()
	username, _ := storetest.User(t, app.store, "viewer")
	signInBrowser(t, ctx, app, username)
	if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
	run(t, ctx, "wide screen", chromedp.EmulateViewport(1920, 1000))
	matrix := app.url + "/negotiations/" + cop + "/matrix"
	run(t, ctx, "open the compact matrix", chromedp.Navigate(matrix), chromedp.WaitVisible(chromedp.CSS(`table.matrix.compact-view`)))

	// A folded cell is one line; clicking its summary opens the full cell.
	cell := `document.querySelector("td details.cell-fold")`
	before := read(t, ctx, "folded cell", chromedp.Evaluate[map[string]float64](`(() => ({open: `+cell+`.open ? 1 : 0, h: `+cell+`.getBoundingClientRect().height}))()`))
	if before["open"] != 0 || before["h"] > 40 {
		t.Errorf("a compact cell is not one folded line: %v", before)
	}
	run(t, ctx, "unfold a cell", chromedp.Click(chromedp.CSS(`td details.cell-fold > summary`)))
	after := read(t, ctx, "unfolded cell", chromedp.Evaluate[map[string]float64](`(() => ({open: `+cell+`.open ? 1 : 0, h: `+cell+`.getBoundingClientRect().height}))()`))
	if after["open"] != 1 || after["h"] <= before["h"] {
		t.Errorf("the summary does not open the cell without JavaScript: %v then %v", before, after)
	}
	// Opened, the cell reads its first demand's title once: the line that
	// named it gives way to the whole cell (issue 10: it showed twice).
	title := `document.querySelector("td details.cell-fold[data-probe]")`
	if !read(t, ctx, "a folded cell with a demand", chromedp.Evaluate[bool](`(() => {
  const cell = document.querySelector("td details.cell-fold:not([open]):has(.m-demand)");
  if (cell) cell.dataset.probe = "1";
  return !!cell;
})()`)) {
		t.Fatal("no folded cell holds a demand")
	}
	run(t, ctx, "unfold a cell with a demand", chromedp.Click(chromedp.CSS(`td details.cell-fold[data-probe] > summary`)))
	once := read(t, ctx, "opened cell text", chromedp.Evaluate[map[string]any](`(() => {
  const cell = `+title+`;
  const name = cell.querySelector(".m-demand a").textContent.trim();
  return {open: cell.open, name, times: cell.innerText.split(name).length - 1, summary: cell.querySelector("summary").innerText};
})()`))
	if once["open"] != true || once["times"] != float64(1) {
		t.Errorf("an opened compact cell shows its demand's title %v times: %v", once["times"], once)
	}
	screenshot(t, ctx, "matrix-compact.png")

	// The header row and the topic column stay put while the page scrolls:
	// the Istanbul talks have rows enough to scroll.
	matrix = app.url + "/negotiations/" + app.negotiation + "/matrix?view=compact"
	run(t, ctx, "open a longer matrix", chromedp.Navigate(matrix), chromedp.WaitVisible(chromedp.CSS(`table.matrix.compact-view`)))
	sticky := read(t, ctx, "sticky headers", chromedp.Evaluate[map[string]any](`(() => {
  const head = document.querySelector(".matrix thead th:last-child");
  const topic = document.querySelector(".matrix tbody th");
  window.scrollTo(10000, document.querySelector(".matrix tbody tr:last-child").getBoundingClientRect().top + window.scrollY - 300);
  return {
    head: getComputedStyle(head).position, topic: getComputedStyle(topic).position,
    scrolledX: window.scrollX, scrolledY: window.scrollY,
    headTop: head.getBoundingClientRect().top, topicLeft: topic.getBoundingClientRect().left,
    wrapMax: getComputedStyle(document.querySelector(".matrix-wrap")).maxHeight,
    wide: document.querySelector(".matrix-wrap").getBoundingClientRect().width / window.innerWidth,
  };
})()`))
	if sticky["head"] != "sticky" || sticky["topic"] != "sticky" || sticky["wrapMax"] != "none" {
		t.Errorf("headers are not sticky or the table sits in a fixed box: %v", sticky)
	}
	if y, _ := sticky["scrolledY"].(float64); y <= 0 {
		t.Errorf("the page did not scroll down: %v", sticky)
	} else if top, _ := sticky["headTop"].(float64); top < -1 || top > 2 {
		t.Errorf("the header row scrolled away: %v", sticky)
	}
	if x, _ := sticky["scrolledX"].(float64); x > 0 {
		if left, _ := sticky["topicLeft"].(float64); left < -1 || left > 2 {
			t.Errorf("the topic column scrolled away: %v", sticky)
		}
	}
	if w, _ := sticky["wide"].(float64); w < 0.9 {
		t.Errorf("the matrix takes %.0f%% of the width", 100*w)
	}

	// On a phone a picker shows one pair of parties at a time.
	run(t, ctx, "phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile),
		chromedp.Navigate(app.url+"/negotiations/"+cop+"/matrix"), chromedp.WaitVisible(chromedp.CSS(`.pair-picker`)),
		chromedp.Click(chromedp.CSS(`.pair-picker button`)),
		// The pair's table: the corner, two parties and the gap (which a
		// phone folds into the term rows), no more.
		chromedp.WaitReady(chromedp.CSS(`.matrix thead th:nth-child(4):last-child`)))
	pair := read(t, ctx, "pair columns", chromedp.Evaluate[[]string](`[...document.querySelectorAll(".matrix thead th .party-name")].map(e => e.textContent)`))
	if len(pair) != 2 {
		t.Errorf("the phone's pair picker shows %v", pair)
	}
	screenshot(t, ctx, "matrix-phone-pair.png")
	// The headers break between words: no column of single letters (the
	// "Gap or split" header did), no word broken.
	heads := read(t, ctx, "pair headers", chromedp.Evaluate[[]map[string]any](`[...document.querySelectorAll(".matrix thead th")].filter(th => th.checkVisibility()).map(th => {
  const words = th.innerText.split(/\s+/).filter(w => w);
  const probe = document.createElement("span");
  probe.style.cssText = "position:absolute;visibility:hidden;white-space:nowrap;font:" + getComputedStyle(th).font;
  document.body.append(probe);
  const widest = Math.max(...words.map(w => { probe.textContent = w; return probe.getBoundingClientRect().width; }));
  probe.remove();
  const box = getComputedStyle(th);
  return {text: th.innerText, inner: th.clientWidth - parseFloat(box.paddingLeft) - parseFloat(box.paddingRight), widest};
})`))
	for _, h := range heads {
		if inner, widest := h["inner"].(float64), h["widest"].(float64); inner+1 < widest {
			t.Errorf("a phone's header %q is %.0f px wide inside, narrower than its widest word (%.0f px)", h["text"], inner, widest)
		}
	}
	fit := read(t, ctx, "pair fits", chromedp.Evaluate[map[string]float64](`(() => {
  const wrap = document.querySelector(".matrix-wrap");
  return {over: wrap.scrollWidth - wrap.clientWidth, tableTop: wrap.getBoundingClientRect().top, screen: window.innerHeight};
})()`))
	if fit["over"] > 1 || fit["tableTop"] > fit["screen"] {
		t.Errorf("the pair does not fit a phone's first screen: %v", fit)
	}
	run(t, ctx, "back to a wide screen", chromedp.EmulateViewport(1920, 1000))

	// Printed, landscape, over as many pages as it needs, the header row
	// on each and every cell unfolded.
	run(t, ctx, "reload for print", chromedp.Navigate(matrix), chromedp.WaitVisible(chromedp.CSS(`table.matrix`)))
	firstColumn := read(t, ctx, "first party", chromedp.Text(chromedp.CSS(`.matrix thead th:nth-child(2) .party-name`)))
	yes := true
	pdf, err := chromedp.Call(ctx, page.PrintToPDF, page.PrintToPDFParams{PreferCSSPageSize: &yes})
	if err != nil {
		t.Fatalf("print to PDF: %v", err)
	}
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("pdftotext is not installed")
		}
		t.Skip("pdftotext is not installed")
	}
	file := filepath.Join(t.TempDir(), "matrix.pdf")
	if err := os.WriteFile(file, pdf.Data, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", file, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	pages := strings.Split(strings.TrimRight(string(out), "\f"), "\f")
	// Every page of the grid, up to the one its caption closes, starts
	// with the header row; the legend may follow on a page of its own.
	header := regexp.MustCompile(`(?m)^\s*Topic\s+` + regexp.QuoteMeta(firstColumn))
	grid := 0
	for i, p := range pages {
		grid++
		if !header.MatchString(p) {
			t.Errorf("printed page %d has no header row:\n%s", i+1, p)
		}
		if strings.Contains(p, "Positions by topic (rows)") {
			break
		}
	}
	if grid < 2 {
		t.Errorf("the grid printed on %d page; the compact Istanbul matrix unfolded needs more", grid)
	}
	if !strings.Contains(string(out), "Objects") {
		t.Error("the printed cells are folded: no objection shows")
	}
}
