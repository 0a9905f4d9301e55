package ui_test

import (
	"context"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/parley/parley/domain"
	"github.com/parley/parley/report"
	"github.com/parley/parley/store/storetest"
)

// chromiumPath finds Debian's chromium. Without it the browser tests skip
// locally and fail in CI, where .ci/run installs it.
func chromiumPath(t testing.TB) string {
	t.Helper()
	for _, name := range []string{"/usr/bin/chromium", "chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("chromium is not installed; the browser tests must run in CI")
	}
	t.Skip("chromium is not installed: skipping the browser tests (install Debian's chromium to run them)")
	return ""
}

// newBrowser starts a headless chromium with a fresh profile and returns a
// tab context that is closed at the end of the test.
func newBrowser(t testing.TB) context.Context {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1366, 900),
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	tab, cancelTab := chromedp.NewContext(allocCtx)
	// The first Do starts the browser; it must not run under a timeout, which
	// would stop the whole browser. The steps after it run under one.
	if err := chromedp.Do(tab); err != nil {
		cancelTab()
		cancelAlloc()
		t.Fatalf("start chromium: %v", err)
	}
	ctx, cancelTimeout := context.WithTimeout(tab, 3*time.Minute)
	t.Cleanup(func() {
		cancelTimeout()
		cancelTab()
		cancelAlloc()
	})
	return ctx
}

// run runs the steps of one part of a journey, failing the test with the
// page it got stuck on.
func run(t testing.TB, ctx context.Context, step string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		loc, _ := chromedp.Run(ctx, chromedp.Location())
		t.Fatalf("%s (at %s): %v", step, loc, err)
	}
}

// read runs one action that returns a value.
func read[T any](t testing.TB, ctx context.Context, step string, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		loc, _ := chromedp.Run(ctx, chromedp.Location())
		t.Fatalf("%s (at %s): %v", step, loc, err)
	}
	return v
}

// screenshot saves the page to docs/screenshots when PARLEY_SCREENSHOTS=1.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	if os.Getenv("PARLEY_SCREENSHOTS") != "1" {
		return
	}
	saveScreenshot(t, name, read(t, ctx, "screenshot "+name, chromedp.FullScreenshot(100)))
}

// saveScreenshot writes a picture to docs/screenshots.
func saveScreenshot(t testing.TB, name string, png []byte) {
	t.Helper()
	dir := filepath.Join("..", "docs", "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// signInBrowser signs in through the form.
func signInBrowser(t *testing.T, ctx context.Context, app *testApp, username string) {
	t.Helper()
	signInAt(t, ctx, app.url, username)
}

// signInAt signs in through the form of the server at base.
func signInAt(t testing.TB, ctx context.Context, base, username string) {
	t.Helper()
	run(t, ctx, "sign in",
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(chromedp.CSS(`#username`)),
		chromedp.SendKeys(chromedp.CSS(`#username`), username),
		chromedp.SendKeys(chromedp.CSS(`#password`), storetest.Password),
		chromedp.Click(chromedp.CSS(`main form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`.cards`)),
	)
}

func TestBrowserAnalystJourney(t *testing.T) {
	ctx := newBrowser(t)
	app := newApp(t)
	username, _ := storetest.User(t, app.store, "editor")
	ukraine, russia := app.partyID("Ukraine"), app.partyID("Russia")
	prisoners := app.topicID("prisoners")

	signInBrowser(t, ctx, app, username)

	// Open the demo negotiation and read the delegations.
	run(t, ctx, "open the demo negotiation",
		chromedp.Click(`//a[contains(., "Istanbul talks")]`),
		chromedp.WaitVisible(chromedp.CSS(`#rounds-h`)),
	)
	delegations := read(t, ctx, "read the delegations", chromedp.Text(chromedp.CSS(`.delegations`)))
	for _, want := range []string{"Rustem Umerov", "Defence Minister", "Vladimir Medinsky"} {
		if !strings.Contains(delegations, want) {
			t.Errorf("delegations lack %q: %s", want, delegations)
		}
	}
	screenshot(t, ctx, "overview.png")

	// The whole matrix first, on a tall screen so that the screenshot shows
	// every topic; then Ukraine and Russia side by side.
	run(t, ctx, "open the matrix",
		chromedp.EmulateViewport(1366, 1500),
		chromedp.Click(`//a[contains(., "Side by side")]`),
		chromedp.WaitVisible(chromedp.CSS(`table.matrix`)),
	)
	if n := read(t, ctx, "aligned terms", chromedp.Evaluate[int](`document.querySelectorAll("table.matrix tr.term-row").length`)); n == 0 {
		t.Error("the matrix lines up no numeric term (Ukraine's and the US's 30 days)")
	}
	screenshot(t, ctx, "matrix.png")
	run(t, ctx, "compare two parties",
		chromedp.ResetViewport(),
		// The filters are folded away on the default view.
		chromedp.Click(chromedp.CSS(`.filter-panel > summary`)),
		chromedp.Click(chromedp.CSS(`#party-`+ukraine)),
		chromedp.Click(chromedp.CSS(`#party-`+russia)),
		chromedp.Click(chromedp.CSS(`.filters button[type=submit]`)),
		// The mediator's column goes once the narrowed page has loaded.
		chromedp.WaitNotPresent(chromedp.CSS(`table.matrix thead .role-mediator`)),
	)
	columns := read(t, ctx, "matrix columns", chromedp.Evaluate[[]string](`[...document.querySelectorAll("table.matrix thead th .party-name")].map(e => e.textContent)`))
	if strings.Join(columns, ",") != "Ukraine,Russia" {
		t.Errorf("columns %v, want Ukraine and Russia", columns)
	}
	cells := read(t, ctx, "matrix cells", chromedp.Text(chromedp.CSS(`table.matrix tbody`)))
	if !strings.Contains(cells, "Objects") || !strings.Contains(strings.ToLower(cells), "contested") {
		t.Errorf("matrix shows no objection or contested state: %s", cells)
	}

	// Record a demand: first refused for the missing title, then saved.
	run(t, ctx, "submit a demand without a title",
		chromedp.Navigate(app.url+"/demands/new?negotiation_id="+app.negotiation+"&topic_id="+prisoners),
		chromedp.WaitVisible(chromedp.CSS(`#f-title`)),
		chromedp.SetValue(chromedp.CSS(`#f-party-id`), ukraine),
		// The talks are over: the form does not offer today's date.
		chromedp.SetValue(chromedp.CSS(`#f-stated-on`), "2025-05-16"),
		chromedp.SendKeys(chromedp.CSS(`#f-details`), "Return of the bodies of the fallen"),
		chromedp.SendKeys(chromedp.CSS(`#f-terms`), "bodies = 6000"),
		chromedp.Click(chromedp.CSS(`.resource-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`#f-title-error`)),
	)
	titleError := read(t, ctx, "error beside the title", chromedp.Text(chromedp.CSS(`#f-title-error`)))
	kept := read(t, ctx, "details kept", chromedp.Value(chromedp.CSS(`#f-details`)))
	if !strings.Contains(titleError, "is required") || kept != "Return of the bodies of the fallen" {
		t.Fatalf("refusal: error %q, details kept %q", titleError, kept)
	}
	run(t, ctx, "save the demand",
		chromedp.SendKeys(chromedp.CSS(`#f-title`), "Exchange of the bodies of the fallen"),
		chromedp.Click(chromedp.CSS(`.resource-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`.flash`)),
	)
	if h := read(t, ctx, "heading", chromedp.Text(chromedp.CSS(`h1`))); h != "Exchange of the bodies of the fallen" {
		t.Fatalf("after saving: heading %q", h)
	}

	// Edit it.
	const edited = "Exchange of the bodies of all the fallen"
	run(t, ctx, "edit the demand",
		chromedp.Click(chromedp.CSS(`.toolbar a[href$="/edit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#f-title`)),
		chromedp.SetValue(chromedp.CSS(`#f-title`), edited),
		chromedp.SetValue(chromedp.CSS(`#f-status`), "under_discussion"),
		// An edit of past talks says when it took effect.
		chromedp.SendKeys(chromedp.CSS(`#f-effective-on`), "2025-05-16T15:00"),
		chromedp.Click(chromedp.CSS(`.resource-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`.flash`)),
	)
	if h := read(t, ctx, "heading", chromedp.Text(chromedp.CSS(`h1`))); h != edited {
		t.Fatalf("after editing: heading %q", h)
	}
	d := app.find(domain.KindDemand, func(r domain.Resource) bool { return r.(*domain.Demand).Title == edited }).(*domain.Demand)
	if d.Version != 2 || d.State != "under_discussion" || domain.FormatTerm(d.Terms["bodies"]) != "6000" {
		t.Fatalf("stored demand %+v", d)
	}

	// See its history.
	run(t, ctx, "open the history",
		chromedp.Click(chromedp.CSS(`.toolbar a[href$="/history"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.revisions`)),
	)
	history := read(t, ctx, "read the history", chromedp.Text(chromedp.CSS(`.revisions`)))
	for _, want := range []string{"Revision 2", "Revision 1", "Exchange of the bodies of the fallen", edited, "under_discussion"} {
		if !strings.Contains(history, want) {
			t.Errorf("history lacks %q", want)
		}
	}

	// Download each report format with the browser's session cookie.
	run(t, ctx, "open the report",
		chromedp.Navigate(app.url+"/negotiations/"+app.negotiation+"/report?since=2020-01-01"),
		chromedp.WaitVisible(chromedp.CSS(`.downloads`)),
	)
	links := read(t, ctx, "download links", chromedp.Evaluate[[]string](`[...document.querySelectorAll(".downloads a")].map(a => a.href)`))
	cookies, err := chromedp.Call(ctx, network.GetCookies, network.GetCookiesParams{})
	if err != nil {
		t.Fatal(err)
	}
	wantTypes := map[string]string{"markdown": "text/markdown", "html": "text/html", "pdf": "application/pdf", "csv": "text/csv",
		"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "json": "application/json"}
	if len(links) != len(report.FormatNames()) {
		t.Fatalf("download links %v", links)
	}
	for _, link := range links {
		req, err := http.NewRequest(http.MethodGet, link, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, ck := range cookies.Cookies {
			req.AddCookie(&http.Cookie{Name: ck.Name, Value: ck.Value})
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		format := req.URL.Query().Get("format")
		if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), wantTypes[format]) ||
			!strings.HasPrefix(res.Header.Get("Content-Disposition"), "attachment") || len(body) == 0 {
			t.Errorf("%s: %d %q %q (%d bytes)", format, res.StatusCode, res.Header.Get("Content-Type"), res.Header.Get("Content-Disposition"), len(body))
		}
	}
}

func TestBrowserRecordsDemandWithoutJavaScript(t *testing.T) {
	ctx := newBrowser(t)
	app := newApp(t)
	username, _ := storetest.User(t, app.store, "editor")
	russia := app.partyID("Russia")
	sanctions := app.topicID("sanctions")

	if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
	signInBrowser(t, ctx, app, username)
	const title = "Lifting of sanctions on Russian banks"
	run(t, ctx, "fill in the demand form",
		chromedp.Navigate(app.url+"/demands/new?negotiation_id="+app.negotiation+"&topic_id="+sanctions),
		chromedp.WaitVisible(chromedp.CSS(`#f-title`)),
		chromedp.SetValue(chromedp.CSS(`#f-party-id`), russia),
		chromedp.SendKeys(chromedp.CSS(`#f-title`), title),
		chromedp.SetValue(chromedp.CSS(`#f-stated-on`), "2025-05-16"),
		chromedp.SendKeys(chromedp.CSS(`#f-citations-0-title`), "Statement by the Russian delegation"),
		chromedp.SendKeys(chromedp.CSS(`#f-citations-0-url`), "https://example.org/statement"),
	)
	// parley.js adds "add another" buttons; with scripts off there are none,
	// which proves the form below was submitted by the browser alone.
	if n := read(t, ctx, "count script-made buttons", chromedp.Evaluate[int](`document.querySelectorAll("[data-repeat] + p button").length`)); n != 0 {
		t.Fatalf("the page's script ran although JavaScript was disabled (%d buttons)", n)
	}
	run(t, ctx, "submit it",
		chromedp.Click(chromedp.CSS(`.resource-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`.flash`)),
	)
	if h := read(t, ctx, "heading", chromedp.Text(chromedp.CSS(`h1`))); h != title {
		t.Fatalf("heading %q", h)
	}
	d := app.find(domain.KindDemand, func(r domain.Resource) bool { return r.(*domain.Demand).Title == title }).(*domain.Demand)
	if d.PartyID != russia || len(d.Citations) != 1 || d.Citations[0].URL != "https://example.org/statement" {
		t.Fatalf("stored %+v", d)
	}
}
