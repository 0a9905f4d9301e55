package ui_test

import (
	"context"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/parley/parley/domain"
	"github.com/parley/parley/store/storetest"
)

// Browser tests of the small frictions an analyst met in a
// day's work, each on the page where it was met.

// editorInBrowser starts a browser signed in as a new editor of app.
func editorInBrowser(t *testing.T, app *testApp) (context.Context, string) {
	t.Helper()
	ctx := newBrowser(t)
	username, _ := storetest.User(t, app.store, "editor")
	signInBrowser(t, ctx, app, username)
	return ctx, username
}

// demandOf finds the demand of the party that states the term.
func (a *testApp) demandOf(party, term string) string {
	a.t.Helper()
	id := a.partyID(party)
	r := a.find(domain.KindDemand, func(r domain.Resource) bool {
		d := r.(*domain.Demand)
		return d.PartyID == id && d.Terms[term] != nil
	})
	if r == nil {
		a.t.Fatalf("%s states no %s", party, term)
	}
	return r.Base().ID
}

// innerTexts is the rendered text (after the stylesheet's text-transform)
// of every element the selector matches.
func innerTexts(selector string) string {
	return `[...document.querySelectorAll(` + "`" + selector + "`" + `)].map(e => e.innerText.trim())`
}

// saveTerms edits a demand's terms through its form, dated in the talks.
func saveTerms(t *testing.T, ctx context.Context, app *testApp, demandID, terms string) {
	t.Helper()
	run(t, ctx, "edit the terms of "+demandID,
		chromedp.Navigate(app.url+"/demands/"+demandID+"/edit"),
		chromedp.WaitVisible(chromedp.CSS(`#f-terms`)),
		chromedp.SetValue(chromedp.CSS(`#f-terms`), terms),
		chromedp.SetValue(chromedp.CSS(`#f-effective-on`), "2025-05-17"),
		chromedp.Click(chromedp.CSS(`.resource-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`.flash`)),
	)
}

// TestBrowserTermsKeepTheirOrderAndOneLabel: terms
// typed in an order stay in it on the demand page, in the form and in the
// matrix's gap rows, and a term reads the same in a demand's chips and in
// its gap row ("phase1 days", not "Phase1 Days" beside "phase1 days").
func TestBrowserTermsKeepTheirOrderAndOneLabel(t *testing.T) {
	app := newApp(t)
	ctx, _ := editorInBrowser(t, app)
	ukraine, us := app.demandOf("Ukraine", "duration_days"), app.demandOf("United States", "duration_days")
	saveTerms(t, ctx, app, ukraine, "phase1_days = 42\nduration_days = 30\nunconditional = true")
	saveTerms(t, ctx, app, us, "phase1_days = 60\nduration_days = 30")

	run(t, ctx, "open Ukraine's demand", chromedp.Navigate(app.url+"/demands/"+ukraine), chromedp.WaitVisible(chromedp.CSS(`dl.terms`)))
	chips := read(t, ctx, "the demand's terms", chromedp.Evaluate[[]string](innerTexts(`dl.terms dt`)))
	// A defined term reads by its label, as in the matrix; a free one by
	// its key in words.
	if strings.Join(chips, ", ") != "phase1 days, Ceasefire duration, Unconditional" {
		t.Errorf("the demand page lists the terms as %q, not in the order typed", chips)
	}
	run(t, ctx, "open the form again", chromedp.Navigate(app.url+"/demands/"+ukraine+"/edit"), chromedp.WaitVisible(chromedp.CSS(`#f-terms`)))
	// The terms the topic defines come back in their own inputs, the
	// free term in the box.
	if typed := read(t, ctx, "the terms in the form", chromedp.Value(chromedp.CSS(`#f-terms`))); typed != "phase1_days = 42" {
		t.Errorf("the form gives the free terms back as %q", typed)
	}
	if days := read(t, ctx, "the duration input", chromedp.Value(chromedp.CSS(`#f-term-duration-days`))); days != "30" {
		t.Errorf("the duration input holds %q, want 30", days)
	}

	run(t, ctx, "open the matrix", chromedp.EmulateViewport(1366, 1500),
		chromedp.Navigate(app.url+"/negotiations/"+app.negotiation+"/matrix"), chromedp.WaitVisible(chromedp.CSS(`table.matrix`)))
	// Only the terms the topics define are lined up, in definition order;
	// phase1_days stays a free term, shown in the demand's chips.
	gaps := read(t, ctx, "the term rows", chromedp.Evaluate[[]string](innerTexts(`tr.term-row .term-name`)))
	if strings.Join(gaps, ", ") != "Ceasefire duration (days), Unconditional, Prisoner exchange" {
		t.Errorf("the matrix's term rows read %q; want the defined terms in definition order", gaps)
	}
	matrixChips := read(t, ctx, "the chips in the matrix", chromedp.Evaluate[[]string](innerTexts(`table.matrix dl.terms dt`)))
	if !strings.Contains(strings.Join(matrixChips, ","), "phase1 days") {
		t.Errorf("the matrix's chips read %q", matrixChips)
	}
	screenshot(t, ctx, "terms-order.png")
}

// snakeCase finds a field name as the API writes it.
var snakeCase = regexp.MustCompile(`\b[a-z]+(?:_[a-z]+)+\b`)

// TestBrowserErrorsNameFieldsByTheirLabels: a refused
// form names every field as the form labels it, in the summary and beside
// the field, including what domain validation says about another field
// and the errors of the dating block.
func TestBrowserErrorsNameFieldsByTheirLabels(t *testing.T) {
	app := newApp(t)
	ctx, _ := editorInBrowser(t, app)
	run(t, ctx, "submit a round that ends before it starts",
		chromedp.Navigate(app.url+"/rounds/new?negotiation_id="+app.negotiation),
		chromedp.WaitVisible(chromedp.CSS(`#f-title`)),
		chromedp.SendKeys(chromedp.CSS(`#f-title`), "Doha round"),
		chromedp.SetValue(chromedp.CSS(`#f-starts-on`), "2025-05-16"),
		chromedp.SetValue(chromedp.CSS(`#f-ends-on`), "2025-05-10"),
		chromedp.SendKeys(chromedp.CSS(`#f-effective-on`), "soon"),
		chromedp.Click(chromedp.CSS(`.move-source > summary`)),
		chromedp.SendKeys(chromedp.CSS(`#f-change-citations-0-publisher`), "Reuters"),
		chromedp.Click(chromedp.CSS(`.resource-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`#problems`)),
	)
	summary := read(t, ctx, "the summary", chromedp.Text(chromedp.CSS(`#problems`)))
	beside := read(t, ctx, "beside Ends on", chromedp.Text(chromedp.CSS(`#f-ends-on-error`)))
	all := read(t, ctx, "every error", chromedp.Evaluate[[]string](innerTexts(`#problems li, .error`)))
	screenshot(t, ctx, "errors-labels.png")
	for _, want := range []string{"Ends on is before Starts on", "Took effect on", "Source of the move 1, Title"} {
		if !strings.Contains(summary, want) {
			t.Errorf("the summary lacks %q:\n%s", want, summary)
		}
	}
	if beside != "is before Starts on" {
		t.Errorf("beside Ends on: %q", beside)
	}
	for _, msg := range all {
		if w := snakeCase.FindString(msg); w != "" {
			t.Errorf("a message names the field %q as the API does: %q", w, msg)
		}
	}
}

// TestBrowserDatesReadOneWay: a day is typed as text,
// not in the browser's locale-bound picker; the unambiguous forms are
// taken, a day that could be two is refused with both readings and kept as
// typed; and pages show days as "10 Jan 2025".
func TestBrowserDatesReadOneWay(t *testing.T) {
	app := newApp(t)
	ctx, _ := editorInBrowser(t, app)
	run(t, ctx, "type a day as Europe writes it",
		chromedp.Navigate(app.url+"/rounds/new?negotiation_id="+app.negotiation),
		chromedp.WaitVisible(chromedp.CSS(`#f-title`)),
		chromedp.SendKeys(chromedp.CSS(`#f-title`), "Doha round"),
		chromedp.SendKeys(chromedp.CSS(`#f-starts-on`), "06/01/2025"),
		chromedp.Click(chromedp.CSS(`.resource-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`#f-starts-on-error`)),
	)
	screenshot(t, ctx, "dates-refused.png")
	kinds := read(t, ctx, "the day inputs' types", chromedp.Evaluate[[]string](`[...document.querySelectorAll("#f-starts-on, #f-ends-on")].map(e => e.type)`))
	if strings.Join(kinds, ",") != "text,text" {
		t.Errorf("day inputs are %v; a date picker shows the browser's locale", kinds)
	}
	refusal := read(t, ctx, "the refusal", chromedp.Text(chromedp.CSS(`#f-starts-on-error`)))
	if !strings.Contains(refusal, "6 Jan 2025 or 1 Jun 2025") {
		t.Errorf("the refusal does not give both readings: %q", refusal)
	}
	if kept := read(t, ctx, "what was typed", chromedp.Value(chromedp.CSS(`#f-starts-on`))); kept != "06/01/2025" {
		t.Errorf("the refused day came back as %q, not as typed", kept)
	}
	run(t, ctx, "write the month as a word",
		chromedp.SetValue(chromedp.CSS(`#f-starts-on`), "10 January 2025"),
		chromedp.SendKeys(chromedp.CSS(`#f-ends-on`), "2025/01/12"),
		chromedp.Click(chromedp.CSS(`.resource-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`.flash`)),
	)
	r := app.find(domain.KindRound, func(r domain.Resource) bool { return r.(*domain.Round).Title == "Doha round" })
	if r == nil || r.(*domain.Round).StartsOn != "2025-01-10" || r.(*domain.Round).EndsOn != "2025-01-12" {
		t.Fatalf("stored %+v", r)
	}
	meta := read(t, ctx, "the round on the overview", chromedp.Text(chromedp.CSS(`#round-`+r.Base().ID+` .meta`)))
	if !strings.HasPrefix(meta, "10 Jan 2025 – 12 Jan 2025") {
		t.Errorf("the overview shows the round as %q", meta)
	}
	since := read(t, ctx, "the negotiation's start", chromedp.Text(chromedp.CSS(`.page-head .meta`)))
	if !strings.Contains(since, "since 16 May 2025") {
		t.Errorf("the overview shows the start as %q", since)
	}
	run(t, ctx, "edit the round", chromedp.Navigate(app.url+"/rounds/"+r.Base().ID+"/edit"), chromedp.WaitVisible(chromedp.CSS(`#f-starts-on`)))
	if v := read(t, ctx, "the day in the form", chromedp.Value(chromedp.CSS(`#f-starts-on`))); v != "10 Jan 2025" {
		t.Errorf("the edit form gives the day as %q", v)
	}
	screenshot(t, ctx, "dates-edit.png")
	demand := app.demandOf("Ukraine", "duration_days")
	run(t, ctx, "open a demand", chromedp.Navigate(app.url+"/demands/"+demand), chromedp.WaitVisible(chromedp.CSS(`.page-head .meta`)))
	if m := read(t, ctx, "the demand's date", chromedp.Text(chromedp.CSS(`.page-head .meta`))); !strings.Contains(m, "stated 16 May 2025") {
		t.Errorf("the demand page shows %q", m)
	}
}

// TestBrowserAsOfBoxesTakeWhatTheAPITakes: a time
// with an offset typed in the matrix's as-of box is applied and said in
// UTC; a value the timeline cannot read is said plainly not to be applied.
func TestBrowserAsOfBoxesTakeWhatTheAPITakes(t *testing.T) {
	app := newApp(t)
	ctx, _ := editorInBrowser(t, app)
	run(t, ctx, "type a time with an offset",
		chromedp.Navigate(app.url+"/negotiations/"+app.negotiation+"/matrix"),
		chromedp.WaitVisible(chromedp.CSS(`table.matrix`)),
		chromedp.Click(chromedp.CSS(`.filter-panel > summary`)),
		chromedp.SendKeys(chromedp.CSS(`#as_of`), "2026-12-02T02:51+01:00"),
		chromedp.Click(chromedp.CSS(`.filters button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`p.moment.historic`)),
	)
	if shown := read(t, ctx, "the moment shown", chromedp.Text(chromedp.CSS(`#moment-shown`))); shown != "As of 2 Dec 2026, 01:51 UTC, as recorded now" {
		t.Errorf("the matrix says %q", shown)
	}
	run(t, ctx, "type a time the timeline cannot read",
		chromedp.Navigate(app.url+"/negotiations/"+app.negotiation+"/timeline"),
		chromedp.WaitVisible(chromedp.CSS(`figure.timeline`)),
		chromedp.Click(chromedp.CSS(`.filter-panel > summary`)),
		chromedp.SendKeys(chromedp.CSS(`#as_of`), "2025-05-16"),
		chromedp.SendKeys(chromedp.CSS(`#recorded_as_of`), "2026-12-02T02:51+01"),
		chromedp.Click(chromedp.CSS(`.filters button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`#moment-refused`)),
	)
	refused := read(t, ctx, "the refusal", chromedp.Text(chromedp.CSS(`#moment-refused`)))
	if !strings.Contains(refused, "Nothing was applied") || !strings.Contains(refused, "2026-12-02T02:51+01") {
		t.Errorf("the timeline says %q", refused)
	}
	screenshot(t, ctx, "timeline-refused.png")
}

// resolveObjection marks one of the party's objections resolved, as of
// the day after the Istanbul round.
func (a *testApp) resolveObjection(party string) string {
	a.t.Helper()
	id := a.partyID(party)
	o := a.find(domain.KindObjection, func(r domain.Resource) bool { return r.(*domain.Objection).PartyID == id })
	_, err := a.store.Update(context.Background(), "analyst", domain.KindObjection, o.Base().ID, 0,
		domain.Dating{EffectiveAt: time.Date(2025, 5, 17, 9, 0, 0, 0, time.UTC)}, func(cur domain.Resource) (domain.Resource, error) {
			cur.(*domain.Objection).State = "resolved"
			return cur, nil
		})
	if err != nil {
		a.t.Fatal(err)
	}
	return o.Base().ID
}

// TestBrowserPastObjectionsLookPast: a resolved
// objection is not shown like a live one: in the matrix and on the demand
// page it is greyed, struck through, in the past tense and labelled with
// its state, while a standing one still reads "✕ Objects".
func TestBrowserPastObjectionsLookPast(t *testing.T) {
	app := newApp(t)
	resolved := app.resolveObjection("Russia")
	ctx, _ := editorInBrowser(t, app)
	run(t, ctx, "open the matrix", chromedp.EmulateViewport(1366, 1200),
		chromedp.Navigate(app.url+"/negotiations/"+app.negotiation+"/matrix"), chromedp.WaitVisible(chromedp.CSS(`table.matrix`)))
	item := `.m-object:has(a[href$="#objection-` + resolved + `"])`
	text := read(t, ctx, "the resolved objection", chromedp.Evaluate[string](`document.querySelector(`+"`"+item+"`"+`).innerText`))
	struck := read(t, ctx, "its grounds", chromedp.Evaluate[string](`getComputedStyle(document.querySelector(`+"`"+item+` p`+"`"+`)).textDecorationLine`))
	standing := read(t, ctx, "the standing objection", chromedp.Evaluate[string](`document.querySelector(".m-object.standing").innerText`))
	screenshot(t, ctx, "objection-past-matrix.png")
	if !strings.HasPrefix(text, "RESOLVED Objected to") || strings.Contains(text, "Objects") {
		t.Errorf("the resolved objection reads %q", text)
	}
	if struck != "line-through" {
		t.Errorf("its grounds are not struck through (%q)", struck)
	}
	if !strings.Contains(standing, "✕ Objects to") {
		t.Errorf("the standing objection reads %q", standing)
	}

	demand := app.demandOf("Ukraine", "duration_days")
	run(t, ctx, "open the demand", chromedp.Navigate(app.url+"/demands/"+demand), chromedp.WaitVisible(chromedp.CSS(`#objection-`+resolved)))
	card := read(t, ctx, "the resolved objection's card", chromedp.Evaluate[string](`document.querySelector("#objection-`+resolved+` h3").innerText`))
	if !strings.Contains(card, "RESOLVED") || !strings.Contains(card, "Russia objected") {
		t.Errorf("the demand page heads it %q", card)
	}
	screenshot(t, ctx, "objection-past-demand.png")
}

// TestBrowserLongQuotesFold: a quote of thousands of
// characters under an objection shows its first lines and "show the whole
// quote", without script; opening it shows the whole text.
func TestBrowserLongQuotesFold(t *testing.T) {
	app := newApp(t)
	id := app.partyID("Russia")
	o := app.find(domain.KindObjection, func(r domain.Resource) bool { return r.(*domain.Objection).PartyID == id })
	long := strings.TrimSpace(strings.Repeat("Moscow restated that a ceasefire could give Ukraine time to rest its forces and rearm. ", 56))
	_, err := app.store.Update(context.Background(), "analyst", domain.KindObjection, o.Base().ID, 0,
		domain.Dating{EffectiveAt: time.Date(2025, 5, 16, 18, 0, 0, 0, time.UTC)}, func(cur domain.Resource) (domain.Resource, error) {
			cur.(*domain.Objection).Citations[0].Quote = long
			return cur, nil
		})
	if err != nil {
		t.Fatal(err)
	}
	ctx := newBrowser(t)
	if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
	username, _ := storetest.User(t, app.store, "viewer")
	signInBrowser(t, ctx, app, username)
	card := `#objection-` + o.Base().ID
	run(t, ctx, "open the demand", chromedp.Navigate(app.url+"/demands/"+o.(*domain.Objection).DemandID), chromedp.WaitVisible(chromedp.CSS(card)))
	folded := read(t, ctx, "the folded source", chromedp.Evaluate[string](`document.querySelector("`+card+` .citations").innerText`))
	height := read(t, ctx, "its height", chromedp.Evaluate[float64](`document.querySelector("`+card+` .citations").getBoundingClientRect().height`))
	screenshot(t, ctx, "quote-folded.png")
	if !strings.Contains(folded, "Moscow restated that a ceasefire") || !strings.Contains(folded, "Show the whole quote (840 words)") {
		t.Errorf("the folded quote shows %q; want its first lines and a way to the rest", folded)
	}
	if len(folded) > 600 || height > 200 {
		t.Errorf("the folded quote takes %.0f px and %d characters", height, len(folded))
	}
	run(t, ctx, "show the whole quote", chromedp.Click(chromedp.CSS(card+` .quote-fold > summary`)))
	whole := read(t, ctx, "the whole quote", chromedp.Evaluate[string](`document.querySelector("`+card+` .citations").innerText`))
	if !strings.Contains(whole, long[len(long)-200:]) || !strings.Contains(whole, "Show less") {
		t.Errorf("opened, the quote lacks its end or a way back")
	}
}

// TestBrowserDeleteSaysWhatGoesWithIt: deleting a
// demand says how many objections and endorsements go with it and lists
// them; deleting a topic demands still refer to is refused on the page
// that asks, before any click, naming them.
func TestBrowserDeleteSaysWhatGoesWithIt(t *testing.T) {
	app := newApp(t)
	ctx, _ := editorInBrowser(t, app)
	demand := app.demandOf("Ukraine", "duration_days")
	run(t, ctx, "ask to delete a demand", chromedp.Navigate(app.url+"/demands/"+demand+"/delete"), chromedp.WaitVisible(chromedp.CSS(`#owned`)))
	owned := read(t, ctx, "what goes with it", chromedp.Text(chromedp.CSS(`#owned`)))
	listed := read(t, ctx, "the list", chromedp.Evaluate[[]string](innerTexts(`ul.owned li`)))
	screenshot(t, ctx, "delete-demand.png")
	if owned != "Deleting it also deletes its 2 objections:" || len(listed) != 2 || !strings.HasPrefix(listed[0], "objection: Russia objection") {
		t.Errorf("the page says %q and lists %q", owned, listed)
	}
	run(t, ctx, "ask to delete a topic", chromedp.Navigate(app.url+"/topics/"+app.topicID("ceasefire")+"/delete"), chromedp.WaitVisible(chromedp.CSS(`.error-box`)))
	refused := read(t, ctx, "the refusal", chromedp.Text(chromedp.CSS(`.error-box`)))
	buttons := read(t, ctx, "delete buttons", chromedp.Evaluate[int](`document.querySelectorAll("button.danger").length`))
	screenshot(t, ctx, "delete-topic-refused.png")
	if !strings.Contains(refused, "cannot be deleted while other records still refer to it") || !strings.Contains(refused, "Immediate, unconditional 30-day ceasefire") || buttons != 0 {
		t.Errorf("the topic's delete page says %q with %d delete buttons", refused, buttons)
	}
}

// TestBrowserConflictShowsOnlyWhatCollided: after a
// save in another tab, the form lists only the field both versions
// changed, side by side, says it was "you, in another tab", keeps this
// tab's other changes in the form, and "Keep mine" takes this tab's value
// back for that field alone.
func TestBrowserConflictShowsOnlyWhatCollided(t *testing.T) {
	app := newApp(t)
	ctx, username := editorInBrowser(t, app)
	demand := app.demandOf("Ukraine", "duration_days")
	run(t, ctx, "open the edit form in this tab", chromedp.Navigate(app.url+"/demands/"+demand+"/edit"), chromedp.WaitVisible(chromedp.CSS(`#f-title`)))
	// The same analyst saves from another tab in the meantime.
	if _, err := app.store.Update(context.Background(), username, domain.KindDemand, demand, 0, domain.Dating{EffectiveAt: time.Date(2025, 5, 17, 8, 0, 0, 0, time.UTC)},
		func(cur domain.Resource) (domain.Resource, error) {
			d := cur.(*domain.Demand)
			d.Title, d.Priority = "Ceasefire of 30 days, unconditional", "secondary"
			return d, nil
		}); err != nil {
		t.Fatal(err)
	}
	const myTitle, myDetails = "An immediate ceasefire of 30 days", "Restated by Umerov on arrival."
	run(t, ctx, "save this tab's changes",
		chromedp.SetValue(chromedp.CSS(`#f-title`), myTitle),
		chromedp.SetValue(chromedp.CSS(`#f-details`), myDetails),
		chromedp.SetValue(chromedp.CSS(`#f-effective-on`), "18 May 2025"),
		chromedp.Click(chromedp.CSS(`.resource-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`#stale`)),
	)
	screenshot(t, ctx, "conflict.png")
	box := read(t, ctx, "the conflict box", chromedp.Text(chromedp.CSS(`#stale`)))
	rows := read(t, ctx, "the colliding fields", chromedp.Evaluate[[]string](innerTexts(`table.conflicts tbody tr`)))
	details := read(t, ctx, "details in the form", chromedp.Value(chromedp.CSS(`#f-details`)))
	priority := read(t, ctx, "priority in the form", chromedp.Value(chromedp.CSS(`#f-priority`)))
	if !strings.Contains(box, "You, in another tab or window, saved version") {
		t.Errorf("the box does not say it was this user: %q", box)
	}
	if len(rows) != 1 || !strings.Contains(rows[0], "Ceasefire of 30 days, unconditional") || !strings.Contains(rows[0], myTitle) {
		t.Errorf("the colliding fields are %q; want the title alone, both values", rows)
	}
	if details != myDetails || priority != "secondary" {
		t.Errorf("the form holds details %q and priority %q; want this tab's details and the other tab's priority", details, priority)
	}
	run(t, ctx, "keep mine",
		chromedp.Click(chromedp.CSS(`#conflict-title button`)),
		chromedp.WaitVisible(chromedp.CSS(`.kept`)),
	)
	if title := read(t, ctx, "the title in the form", chromedp.Value(chromedp.CSS(`#f-title`))); title != myTitle {
		t.Errorf("after Keep mine the title is %q", title)
	}
	run(t, ctx, "save", chromedp.Click(chromedp.CSS(`.resource-form button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS(`.flash`)))
	r, err := app.store.Get(context.Background(), domain.KindDemand, demand)
	if err != nil {
		t.Fatal(err)
	}
	if d := r.(*domain.Demand); d.Title != myTitle || d.Details != myDetails || d.Priority != "secondary" {
		t.Errorf("saved title %q, details %q, priority %q", d.Title, d.Details, d.Priority)
	}
}

// TestBrowserSourcesAreEncouraged: the demand form
// warns, without refusing, while no source is given; the save says the
// claim has none; the overview counts and lists the claims without one.
func TestBrowserSourcesAreEncouraged(t *testing.T) {
	app := newApp(t)
	ctx, _ := editorInBrowser(t, app)
	const title = "Exchange of all prisoners of war"
	run(t, ctx, "fill in a demand without a source",
		chromedp.Navigate(app.url+"/demands/new?negotiation_id="+app.negotiation+"&topic_id="+app.topicID("prisoners")),
		chromedp.WaitVisible(chromedp.CSS(`#f-title`)),
		chromedp.SetValue(chromedp.CSS(`#f-party-id`), app.partyID("Russia")),
		chromedp.SendKeys(chromedp.CSS(`#f-title`), title),
		chromedp.SetValue(chromedp.CSS(`#f-stated-on`), "16 May 2025"),
	)
	warning := read(t, ctx, "the warning", chromedp.Text(chromedp.CSS(`#f-citations-warning`)))
	screenshot(t, ctx, "sources-warning.png")
	if !strings.Contains(warning, "No source yet") {
		t.Errorf("the form warns %q", warning)
	}
	run(t, ctx, "save it anyway", chromedp.Click(chromedp.CSS(`.resource-form button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS(`.flash`)))
	if flash := read(t, ctx, "the flash", chromedp.Text(chromedp.CSS(`.flash`))); !strings.Contains(flash, "It has no source yet") {
		t.Errorf("the save says %q", flash)
	}
	run(t, ctx, "open the overview", chromedp.Navigate(app.url+"/negotiations/"+app.negotiation), chromedp.WaitVisible(chromedp.CSS(`#rounds-h`)))
	count := read(t, ctx, "the count", chromedp.Text(chromedp.CSS(`.unsourced-count`)))
	listed := read(t, ctx, "the list", chromedp.Evaluate[[]string](innerTexts(`ul.unsourced li`)))
	screenshot(t, ctx, "sources-overview.png")
	if !strings.HasSuffix(count, "without a source") || !strings.Contains(strings.Join(listed, "\n"), "Russia's demand “"+title+"” (Prisoners of war)") {
		t.Errorf("the overview counts %q and lists %q", count, listed)
	}
	if want := strconv.Itoa(len(listed)) + " claim"; !strings.HasPrefix(count, want) {
		t.Errorf("the overview counts %q but lists %d", count, len(listed))
	}
}

// TestBrowserPartyListNarrows: the party list, which
// mixes every negotiation's parties, sorts by name, narrows to one
// negotiation and shows each party's negotiations with its roles.
func TestBrowserPartyListNarrows(t *testing.T) {
	app := newApp(t)
	ukraine := app.partyID("Ukraine")
	qatar := &domain.Party{Name: "Qatar", PartyKind: "state"}
	egypt := &domain.Party{Name: "Egypt", PartyKind: "state"}
	mustCreate(t, app.store, qatar)
	mustCreate(t, app.store, egypt)
	gaza := &domain.Negotiation{Title: "Gaza ceasefire talks", StartedOn: "2025-01-10", Participants: []domain.Participant{
		{PartyID: qatar.ID, Role: "mediator"}, {PartyID: egypt.ID, Role: "mediator"}, {PartyID: ukraine, Role: "observer"}}}
	mustCreate(t, app.store, gaza)
	ctx, _ := editorInBrowser(t, app)
	names := innerTexts(`table.parties tbody th`)
	run(t, ctx, "open the party list", chromedp.Navigate(app.url+"/parties"), chromedp.WaitVisible(chromedp.CSS(`table.parties`)))
	all := read(t, ctx, "every party", chromedp.Evaluate[[]string](names))
	if !slices.IsSorted(all) || !slices.Contains(all, "Qatar") || !slices.Contains(all, "Ukraine (UA)") {
		t.Errorf("the list is %q; want every party, by name", all)
	}
	seats := read(t, ctx, "Qatar's negotiations", chromedp.Text(chromedp.CSS(`#party-`+qatar.ID+` .seats`)))
	both := read(t, ctx, "Ukraine's negotiations", chromedp.Text(chromedp.CSS(`#party-`+ukraine+` .seats`)))
	if !strings.Contains(both, "Istanbul talks, May 2025 (principal)") || !strings.Contains(both, "Gaza ceasefire talks (observer)") {
		t.Errorf("Ukraine's negotiations read %q", both)
	}
	if seats != "Gaza ceasefire talks (mediator)" {
		t.Errorf("Qatar's negotiations read %q", seats)
	}
	run(t, ctx, "narrow to the Gaza talks",
		chromedp.SetValue(chromedp.CSS(`#negotiation`), gaza.ID),
		chromedp.Click(chromedp.CSS(`.party-filters button[type=submit]`)),
		chromedp.WaitNotPresent(chromedp.CSS(`#party-`+app.partyID("Russia"))),
	)
	narrowed := read(t, ctx, "the Gaza talks' parties", chromedp.Evaluate[[]string](names))
	count := read(t, ctx, "the count", chromedp.Text(chromedp.CSS(`#party-count`)))
	screenshot(t, ctx, "parties.png")
	if strings.Join(narrowed, ",") != "Egypt,Qatar,Ukraine (UA)" || !strings.HasPrefix(count, "3 parties of ") {
		t.Errorf("narrowed to the Gaza talks: %q, %q", narrowed, count)
	}
}
