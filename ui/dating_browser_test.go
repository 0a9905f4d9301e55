package ui_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/parley/parley/domain"
	"github.com/parley/parley/store/storetest"
)

// durationDays reads the matrix's ceasefire duration row, one value per
// column.
const durationDays = `(() => {
  const row = [...document.querySelectorAll("table.matrix tr.term-row")].find(r => r.querySelector("th").textContent.includes("Ceasefire duration"));
  return row ? [...row.querySelectorAll("td")].map(td => td.textContent.trim()) : [];
})()`

// TestBrowserDatesAMoveAndReadsItBack backfills a move through the edit
// form (a round picked with one click, a note, a source), then reads it
// back on the history and on the matrix as of each round.
func TestBrowserDatesAMoveAndReadsItBack(t *testing.T) {
	ctx := newBrowser(t)
	b := newBackfill(t)
	username, _ := storetest.User(t, b.store, "editor")
	signInBrowser(t, ctx, b.testApp, username)

	run(t, ctx, "date a move in the edit form",
		chromedp.Navigate(b.url+"/demands/"+b.demand+"/edit"),
		chromedp.WaitVisible(chromedp.CSS(`#dating`)),
		chromedp.SetValue(chromedp.CSS(`#f-terms`), "duration_days = 60\nunconditional = true"),
		chromedp.Click(chromedp.CSS(`#f-effective-round-start-`+b.round2)),
		chromedp.SendKeys(chromedp.CSS(`#f-change-note`), "Doubled under US pressure"),
		chromedp.Click(chromedp.CSS(`.move-source > summary`)),
		chromedp.SendKeys(chromedp.CSS(`#f-change-citations-0-publisher`), "Reuters"),
		chromedp.SendKeys(chromedp.CSS(`#f-change-citations-0-title`), "Ukraine doubles truce offer"),
		chromedp.SendKeys(chromedp.CSS(`#f-change-citations-0-url`), "https://example.org/truce"),
	)
	screenshot(t, ctx, "dated-edit.png")
	run(t, ctx, "save it",
		chromedp.Click(chromedp.CSS(`.resource-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`.flash`)),
	)
	d := b.demandNow(t)
	if d.Terms["duration_days"] != 60.0 || d.EffectiveAt.Format(domain.DateLayout) != "2025-06-02" {
		t.Fatalf("stored %v, effective %s", d.Terms, d.EffectiveAt)
	}

	run(t, ctx, "open the history",
		chromedp.Navigate(b.url+b.history),
		chromedp.WaitVisible(chromedp.CSS(`#revision-`+b.rev(1))),
	)
	card := read(t, ctx, "read the move", chromedp.Text(chromedp.CSS(`#revision-`+b.rev(1))))
	for _, want := range []string{"Took effect", "2 Jun 2025", "Recorded", "by " + username, "Doubled under US pressure", "Ukraine doubles truce offer", "duration days = 60"} {
		// Labels are set in capitals by the stylesheet.
		if !strings.Contains(strings.ToLower(card), strings.ToLower(want)) {
			t.Errorf("the move's revision lacks %q: %s", want, card)
		}
	}
	screenshot(t, ctx, "history-two-clocks.png")

	run(t, ctx, "open the matrix as of the end of round 1",
		chromedp.Navigate(b.url+"/negotiations/"+b.negotiation+"/matrix?as_of_round="+b.round1),
		chromedp.WaitVisible(chromedp.CSS(`table.matrix`)),
	)
	shown := read(t, ctx, "moment shown", chromedp.Text(chromedp.CSS(`#moment-shown`)))
	days := read(t, ctx, "days at round 1", chromedp.Evaluate[[]string](durationDays))
	if shown != "As of the end of Istanbul round (16 May 2025), as recorded now" || strings.Contains(strings.Join(days, " "), "60") {
		t.Errorf("round 1: %q, days %v; want the 30 days before the move", shown, days)
	}
	screenshot(t, ctx, "matrix-as-of-round.png")
	run(t, ctx, "one click to the end of round 2",
		chromedp.Click(chromedp.CSS(`.moment-bar a[href*="as_of_round=`+b.round2+`"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.moment-bar a.current[href*="as_of_round=`+b.round2+`"]`)),
	)
	if days := read(t, ctx, "days at round 2", chromedp.Evaluate[[]string](durationDays)); !strings.Contains(strings.Join(days, " "), "60") {
		t.Errorf("round 2: days %v, want Ukraine's 60", days)
	}

	// The same move on the compare page, reached from the matrix, between
	// the two rounds with one click.
	run(t, ctx, "compare the two rounds",
		chromedp.Click(chromedp.CSS(`.head-actions a[href$="/compare"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.compare-choices`)),
		chromedp.Click(chromedp.CSS(`.compare-choices a[href*="from_round=`+b.round1+`"][href*="to_round=`+b.round2+`"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.compare-result`)),
	)
	moved := read(t, ctx, "read the comparison", chromedp.Text(chromedp.CSS(`.compare-result`)))
	for _, want := range []string{"duration days", "30", "60", "+30", "Ukraine"} {
		if !strings.Contains(moved, want) {
			t.Errorf("the comparison lacks %q: %s", want, moved)
		}
	}
	screenshot(t, ctx, "compare-rounds.png")

	// And on the timeline: Ukraine's duration steps from 30 to 60.
	run(t, ctx, "open the timeline",
		chromedp.Navigate(b.url+"/negotiations/"+b.negotiation+"/timeline"),
		chromedp.WaitVisible(chromedp.CSS(`figure.timeline svg`)),
	)
	drawn := read(t, ctx, "read the timeline", chromedp.Text(chromedp.CSS(`main`)))
	if !strings.Contains(drawn, "duration days") || !strings.Contains(drawn, "60") || !strings.Contains(drawn, "2 Jun 2025") {
		t.Errorf("the timeline does not show the dated move: %s", drawn)
	}
	screenshot(t, ctx, "timeline.png")
}
