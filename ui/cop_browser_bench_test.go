package ui_test

import (
	"os"
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/parley/parley/store/storetest"
)

// usableProbe runs in the page before its own scripts, from navigation
// start: at every frame it looks for the first topic row and the party
// headers, and notes when both are in the DOM and visible on the screen
// (performance.now() counts from navigation start). It reads only; the
// page's behaviour is the same without it.
const usableProbe = `(() => {
  const onScreen = e => {
    if (!e || !e.checkVisibility()) return false;
    const r = e.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && r.top < innerHeight && r.bottom > 0 && r.left < innerWidth && r.right > 0;
  };
  const look = () => {
    const header = document.querySelector(".matrix thead th:nth-child(2) .party-name");
    const row = document.querySelector(".matrix tbody tr.topic-row");
    const cell = row && row.querySelector("td");
    if (onScreen(header) && onScreen(row) && onScreen(cell)) {
      window.__usable = performance.now();
      return;
    }
    requestAnimationFrame(look);
  };
  requestAnimationFrame(look);
})()`

// pageTimings reads what the browser measured of the navigation, in ms
// from its start: the usable moment the probe saw, the response, the
// document parsed, the first contentful paint and the load event.
const pageTimings = `(() => {
  const nav = performance.getEntriesByType("navigation")[0];
  const fcp = performance.getEntriesByType("paint").find(p => p.name === "first-contentful-paint");
  return {
    usable: window.__usable || -1,
    responseStart: nav.responseStart, responseEnd: nav.responseEnd,
    domContentLoaded: nav.domContentLoadedEventEnd, load: nav.loadEventEnd,
    firstContentfulPaint: fcp ? fcp.startTime : -1,
    bytes: nav.transferSize, rows: document.querySelectorAll(".matrix tr.topic-row").length,
    columns: document.querySelectorAll(".matrix thead .party-name").length,
  };
})()`

// BenchmarkCOPBrowser loads the default matrix page of the conference-scale
// negotiation (200 parties and a bloc, 120 topics) in headless chromium and
// measures, from navigation start, when the first topic row and the column
// headers are on the screen (ms/usable), with the response, parse, first
// paint and load times in the log. It skips without chromium.
func BenchmarkCOPBrowser(b *testing.B) {
	chromiumPath(b) // skip before the minute of loading
	srv, st, neg := copServer(b)
	ctx := newBrowser(b)
	username, _ := storetest.User(b, st, "viewer")
	signInAt(b, ctx, srv.URL, username)
	run(b, ctx, "wide screen", chromedp.EmulateViewport(1920, 1000))
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: usableProbe}); err != nil {
		b.Fatal(err)
	}
	matrix := srv.URL + "/negotiations/" + neg + "/matrix"

	var usable, afterResponse, response, parsed, paint, load float64
	for b.Loop() {
		b.StopTimer()
		run(b, ctx, "blank page", chromedp.Navigate("about:blank"))
		b.StartTimer()
		run(b, ctx, "open the matrix", chromedp.Navigate(matrix), chromedp.WaitVisible(chromedp.CSS(`.matrix tbody tr.topic-row`)))
		t := read(b, ctx, "timings", chromedp.Evaluate[map[string]float64](pageTimings))
		if t["usable"] < 0 || t["rows"] == 0 || t["columns"] == 0 {
			b.Fatalf("the matrix never showed a topic row and its headers: %v", t)
		}
		b.Logf("usable %.0f ms; response %.0f–%.0f ms, parsed %.0f ms, first paint %.0f ms, load %.0f ms; %.0f bytes, %.0f topic rows × %.0f columns",
			t["usable"], t["responseStart"], t["responseEnd"], t["domContentLoaded"], t["firstContentfulPaint"], t["load"], t["bytes"], t["rows"], t["columns"])
		usable += t["usable"]
		afterResponse += t["usable"] - t["responseEnd"]
		response += t["responseEnd"]
		parsed += t["domContentLoaded"]
		paint += t["firstContentfulPaint"]
		load += t["load"]
	}
	if os.Getenv("PARLEY_SCREENSHOTS") == "1" {
		// The first screen only: the whole page is 200 columns wide.
		saveScreenshot(b, "matrix-cop.png", read(b, ctx, "screenshot", chromedp.CaptureScreenshot()))
	}
	n := float64(b.N)
	b.ReportMetric(usable/n, "ms/usable")
	// The browser's own share, from the last byte to the first rows on
	// the screen, depends less on how busy the server's machine is.
	b.ReportMetric(afterResponse/n, "ms/usable-after-response")
	b.ReportMetric(response/n, "ms/response")
	b.ReportMetric(paint/n, "ms/first-paint")
	b.ReportMetric(parsed/n, "ms/parsed")
	b.ReportMetric(load/n, "ms/load")
}
