package ui_test

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/parley/parley/report/reporttest"
	"github.com/parley/parley/store/storetest"
)

// loadTalks adds the backfilled talks, whose terms move between rounds, to
// the app's store.
func (a *testApp) loadTalks() *reporttest.Talks {
	a.t.Helper()
	talks, err := reporttest.LoadTalks(context.Background(), a.store)
	if err != nil {
		a.t.Fatal(err)
	}
	return talks
}

// styleAttribute finds a style= attribute, which the pages' content
// security policy would refuse.
var styleAttribute = regexp.MustCompile(`<[^>]*\sstyle=`)

func TestTimelinePage(t *testing.T) {
	app := newApp(t)
	talks := app.loadTalks()
	viewer := app.signIn("viewer")
	page := "/negotiations/" + talks.NegotiationID + "/timeline"
	tests := []struct {
		name    string
		query   string
		status  int
		want    []string
		notWant []string
	}{
		{name: "everything", status: http.StatusOK, want: []string{
			`<svg xmlns="http://www.w3.org/2000/svg" class="timeline-chart" role="img"`,
			`<title id="timeline-states-title">Topic states over time</title>`,
			`<h2 id="timeline-term-1-h">Ceasefire: duration days</h2>`,
			// Northland's ceasefire moved from 30 to 42 days in round 2.
			`<th scope="row">Northland</th><td>30 from 7 Jan 2025; 42 from 4 Feb 2025</td>`,
			`>42</text>`,
			`<th scope="row">Southland</th><td>300 from 7 Jan 2025; withdrawn on 1 Mar 2025</td>`,
			`<th scope="row">Ceasefire</th><td>open from 6 Jan 2025; contested from 8 Jan 2025; agreed from 2 Mar 2025</td>`,
			`<a href="/negotiations/` + talks.NegotiationID + `/timeline?as_of=2025-02-05">Round 2, Cairo</a>`,
		}},
		{name: "as of the end of round 2", query: "?as_of=2025-02-05", status: http.StatusOK, want: []string{
			`<th scope="row">Southland</th><td>90 from 7 Jan 2025; 60 from 4 Feb 2025</td>`,
			`As of the end of 5 Feb 2025, as recorded now`,
		}, notWant: []string{"1 Mar 2025", "2 Mar 2025"}},
		{name: "as recorded before anything was", query: "?recorded_as_of=2000-01-01", status: http.StatusUnprocessableEntity, want: []string{
			"The negotiation did not exist yet at that time.",
		}},
		{name: "a time that is none", query: "?as_of=soon", status: http.StatusUnprocessableEntity, want: []string{
			`<p class="error" id="as_of-error">`, `<th scope="row">Northland</th>`, "Nothing was applied",
		}},
		{name: "one moment refused applies neither", query: "?as_of=2025-02-05&recorded_as_of=soon", status: http.StatusUnprocessableEntity, want: []string{
			"Nothing was applied", `<p class="error" id="recorded_as_of-error">`, "2 Mar 2025",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body, header := viewer.get(page + tt.query)
			if status != tt.status {
				t.Fatalf("status %d, want %d:\n%s", status, tt.status, body)
			}
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("the page lacks %s", w)
				}
			}
			start := strings.Index(body, "<main")
			if start < 0 {
				t.Fatal("the page has no <main>")
			}
			main := body[start:]
			for _, w := range tt.notWant {
				if strings.Contains(main, w) {
					t.Errorf("the page shows %s", w)
				}
			}
			if m := styleAttribute.FindString(body); m != "" {
				t.Errorf("a style attribute, which the CSP refuses: %s", m)
			}
			if csp := header.Get("Content-Security-Policy"); !strings.Contains(csp, "style-src 'self'") {
				t.Errorf("CSP = %q", csp)
			}
		})
	}
	for _, from := range []string{"/negotiations/" + talks.NegotiationID, "/negotiations/" + talks.NegotiationID + "/matrix"} {
		if _, body, _ := viewer.get(from); !strings.Contains(body, `href="`+page+`"`) {
			t.Errorf("%s does not link the timeline", from)
		}
	}
	if status, _, _ := viewer.get("/negotiations/00000000-0000-4000-8000-000000000000/timeline"); status != http.StatusNotFound {
		t.Errorf("an unknown negotiation: status %d", status)
	}
	if status, _, _ := app.anonymous().get(page); status != http.StatusSeeOther {
		t.Errorf("signed out: status %d, want a redirect to sign in", status)
	}
}

// TestBrowserTimeline opens the timeline from the overview in chromium and
// checks that the charts are drawn. With PARLEY_TIMELINE_OUT set it saves
// a screenshot there.
func TestBrowserTimeline(t *testing.T) {
	ctx := newBrowser(t)
	app := newApp(t)
	talks := app.loadTalks()
	username, _ := storetest.User(t, app.store, "viewer")
	signInBrowser(t, ctx, app, username)
	run(t, ctx, "open the timeline from the overview",
		chromedp.EmulateViewport(1366, 1200),
		chromedp.Navigate(app.url+"/negotiations/"+talks.NegotiationID),
		chromedp.Click(`//a[contains(., "Timeline")]`),
		chromedp.WaitVisible(chromedp.CSS(`svg.timeline-chart`)),
	)
	charts := read(t, ctx, "charts drawn", chromedp.Evaluate[[]float64](
		`[...document.querySelectorAll("svg.timeline-chart")].map(s => s.getBoundingClientRect().width)`))
	if len(charts) != 5 {
		t.Errorf("%d charts, want the states and four terms", len(charts))
	}
	for i, w := range charts {
		if w < 600 {
			t.Errorf("chart %d is %.0f px wide", i, w)
		}
	}
	if n := read(t, ctx, "step lines", chromedp.Evaluate[int](`document.querySelectorAll("svg.timeline-chart polyline").length`)); n < 7 {
		t.Errorf("%d step lines drawn, want one per party and term", n)
	}
	screenshot(t, ctx, "timeline.png")
	if dir := os.Getenv("PARLEY_TIMELINE_OUT"); dir != "" {
		png := read(t, ctx, "screenshot", chromedp.FullScreenshot(100))
		if err := os.WriteFile(filepath.Join(dir, "ui-timeline.png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
