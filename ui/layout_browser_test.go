package ui_test

import (
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/parley/parley/domain"
	"github.com/parley/parley/store/storetest"
)

// overflowing lists the elements that stick out of the page sideways,
// outside the regions that scroll on purpose (the matrix and wide tables).
const overflowing = `(() => {
  const width = document.documentElement.clientWidth;
  return [...document.querySelectorAll("body *")]
    .filter(e => e.getBoundingClientRect().right > width + 1 && !e.closest(".matrix-wrap, .table-wrap"))
    .map(e => e.tagName + "." + e.className).slice(0, 5);
})()`

// TestBrowserPhoneAndPrintLayout measures the pages on a 390 px wide phone
// and in print, where layout mistakes hide from the HTML tests.
func TestBrowserPhoneAndPrintLayout(t *testing.T) {
	ctx := newBrowser(t)
	app := newApp(t)
	username, _ := storetest.User(t, app.store, "editor")
	demand := app.find(domain.KindDemand, func(domain.Resource) bool { return true }).Base().ID
	signInBrowser(t, ctx, app, username)
	run(t, ctx, "phone screen", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))

	neg := "/negotiations/" + app.negotiation
	for _, path := range []string{"/", "/parties", neg, neg + "/matrix", neg + "/report", "/demands/" + demand,
		"/demands/" + demand + "/history", "/demands/" + demand + "/edit", "/negotiations/" + app.negotiation + "/edit"} {
		run(t, ctx, "open "+path, chromedp.Navigate(app.url+path), chromedp.WaitVisible(chromedp.CSS(`main h1`)))
		if out := read(t, ctx, "overflow on "+path, chromedp.Evaluate[[]string](overflowing)); len(out) > 0 {
			t.Errorf("%s: sticks out of a phone screen: %v", path, out)
		}
	}

	// The report's pickers stack on a phone rather than squeeze into three
	// columns a few characters wide.
	run(t, ctx, "report", chromedp.Navigate(app.url+neg+"/report"), chromedp.WaitVisible(chromedp.CSS(`#as_of`)))
	if w := read(t, ctx, "as-of width", chromedp.Evaluate[float64](`document.querySelector("#as_of").getBoundingClientRect().width`)); w < 250 {
		t.Errorf("report as-of picker is %.0f px wide on a phone", w)
	}

	// A revision's before and after get the width of the screen.
	run(t, ctx, "history", chromedp.Navigate(app.url+"/demands/"+demand+"/history"), chromedp.WaitVisible(chromedp.CSS(`.diff`)))
	if w := read(t, ctx, "after width", chromedp.Evaluate[float64](`document.querySelector(".diff td.after").getBoundingClientRect().width`)); w < 250 {
		t.Errorf("history's after column is %.0f px wide on a phone", w)
	}

	// On the default view the filters are folded away, so that the table,
	// not the form, fills a phone's first screen; a summary unfolds them
	// without JavaScript.
	first := `(() => ({
  tableTop: document.querySelector(".matrix-wrap").getBoundingClientRect().top,
  screen: window.innerHeight,
  partiesShown: document.querySelector("#main .checks").checkVisibility() ? 1 : 0,
}))()`
	run(t, ctx, "matrix on a phone", chromedp.Navigate(app.url+neg+"/matrix"), chromedp.WaitVisible(chromedp.CSS(`table.matrix`)))
	folded := read(t, ctx, "folded matrix", chromedp.Evaluate[map[string]float64](first))
	if folded["partiesShown"] != 0 || folded["tableTop"] > 0.6*folded["screen"] {
		t.Errorf("the filters fill the phone's first screen (table at %.0f px of %.0f): %v", folded["tableTop"], folded["screen"], folded)
	}
	run(t, ctx, "unfold the filters", chromedp.Click(chromedp.CSS(`.filter-panel > summary`)), chromedp.WaitVisible(chromedp.CSS(`#state`)))
	unfolded := read(t, ctx, "unfolded matrix", chromedp.Evaluate[map[string]float64](first))
	if unfolded["partiesShown"] == 0 {
		t.Errorf("the summary does not unfold the filters: %v", unfolded)
	}

	// The matrix scrolls sideways inside its frame with the topic column
	// and the party header held in place.
	run(t, ctx, "matrix", chromedp.Navigate(app.url+neg+"/matrix"), chromedp.WaitVisible(chromedp.CSS(`table.matrix`)))
	m := read(t, ctx, "matrix geometry", chromedp.Evaluate[map[string]float64](`(() => {
  const wrap = document.querySelector(".matrix-wrap");
  const before = document.querySelector(".matrix tbody th").getBoundingClientRect().width;
  wrap.scrollLeft = 10000; wrap.scrollTop = 200;
  const w = wrap.getBoundingClientRect();
  return {
    scrolls: wrap.scrollWidth - wrap.clientWidth,
    firstColumn: before / wrap.clientWidth,
    topicLeft: document.querySelector(".matrix tbody th").getBoundingClientRect().left - w.left,
    headTop: document.querySelector(".matrix thead th:last-child").getBoundingClientRect().top - w.top,
  };
})()`))
	if m["scrolls"] <= 0 {
		t.Errorf("the matrix does not scroll sideways on a phone: %v", m)
	}
	if m["firstColumn"] > 0.5 {
		t.Errorf("the topic column takes %.0f%% of a phone's width", 100*m["firstColumn"])
	}
	if m["topicLeft"] < -1 || m["topicLeft"] > 2 || m["headTop"] < -1 || m["headTop"] > 2 {
		t.Errorf("the topic column or party header scrolled away: %v", m)
	}

	// Printed, the matrix shows in full without the controls around it.
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatal(err)
	}
	printed := read(t, ctx, "print layout", chromedp.Evaluate[map[string]string](`(() => ({
  topbar: getComputedStyle(document.querySelector(".topbar")).display,
  filters: getComputedStyle(document.querySelector(".filters")).display,
  overflow: getComputedStyle(document.querySelector(".matrix-wrap")).overflowX,
}))()`))
	if printed["topbar"] != "none" || printed["filters"] != "none" || printed["overflow"] != "visible" {
		t.Errorf("print layout %v", printed)
	}
}
