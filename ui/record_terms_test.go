package ui_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/parley/parley/domain"
)

// The new position form offers the terms the demand's topic defines as
// the demand form does: typed inputs pre-filled with the demand's current
// values, read by the topic's definitions, refused beside the input.
func TestNewPositionTypedTermInputs(t *testing.T) {
	app := newApp(t)
	editor := app.signIn("editor")
	id := app.demandOf("Ukraine", "duration_days")

	r, err := app.store.Get(context.Background(), domain.KindDemand, id)
	if err != nil {
		t.Fatal(err)
	}
	unconditional := map[any]string{true: "yes", false: "no", nil: ""}[r.(*domain.Demand).Terms["unconditional"]]
	status, page, _ := editor.get("/demands/" + id + "/position")
	if status != http.StatusOK {
		t.Fatalf("the form: %d", status)
	}
	for _, want := range []string{
		`name="term.duration_days" id="r-term:duration_days" value="30"`,
		`<select name="term.unconditional" id="r-term:unconditional"`,
		`<option value="` + unconditional + `" selected>`,
		`<span class="unit">days</span>`,
		"a number of days",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the new position form lacks %s", want)
		}
	}
	if strings.Contains(page, `name="term:duration_days"`) {
		t.Error("a defined term is offered as free text too")
	}

	f := formOfRecord(t, page)
	f.Set("effective_on", "18 May 2025")
	f.Set("term.duration_days", "sixty")
	f.Set("term.unconditional", "yes")
	bad := editor.post("/demands/"+id+"/position", f)
	if bad.status != http.StatusUnprocessableEntity {
		t.Fatalf("a term that does not fit: %d", bad.status)
	}
	// The link's fragment is percent-encoded; browsers decode it to the id.
	for _, want := range []string{`href="#r-term%3aduration_days"`, `value="sixty"`, `<option value="yes" selected>yes</option>`, "a number of days"} {
		if !strings.Contains(bad.body, want) {
			t.Errorf("the refused form lacks %s", want)
		}
	}

	f.Set("term.duration_days", "1,500")
	if res := editor.post("/demands/"+id+"/position", f); res.status != http.StatusSeeOther {
		t.Fatalf("new position: %d %s", res.status, res.body)
	}
	r, err = app.store.Get(context.Background(), domain.KindDemand, id)
	if err != nil {
		t.Fatal(err)
	}
	d := r.(*domain.Demand)
	if d.Terms["duration_days"] != 1500.0 || d.Terms["unconditional"] != true {
		t.Fatalf("stored terms %v, want duration_days 1500 and unconditional true", d.Terms)
	}
	if strings.Join(d.OrderedTermKeys(), ",") != "duration_days,unconditional" {
		t.Fatalf("term order %v", d.OrderedTermKeys())
	}

	// The next move starts from the values now standing; emptying an
	// input drops its term.
	_, page, _ = editor.get("/demands/" + id + "/position")
	if !strings.Contains(page, `id="r-term:duration_days" value="1500"`) || !strings.Contains(page, `<option value="yes" selected>yes</option>`) {
		t.Fatal("the form is not pre-filled with the current values")
	}
	f = formOfRecord(t, page)
	f.Set("effective_on", "19 May 2025")
	f.Set("term.unconditional", "yes")
	f.Set("term.duration_days", "")
	if res := editor.post("/demands/"+id+"/position", f); res.status != http.StatusSeeOther {
		t.Fatalf("second move: %d", res.status)
	}
	r, _ = app.store.Get(context.Background(), domain.KindDemand, id)
	if terms := r.(*domain.Demand).Terms; len(terms) != 1 || terms["unconditional"] != true {
		t.Fatalf("after emptying the duration: %v", terms)
	}
}

// TestBrowserNewPositionWithTypedTerms moves a demand in a real browser
// through the typed inputs: the number pre-filled, yes picked from its
// select.
func TestBrowserNewPositionWithTypedTerms(t *testing.T) {
	app := newApp(t)
	ctx, _ := editorInBrowser(t, app)
	id := app.demandOf("Ukraine", "duration_days")
	run(t, ctx, "open the new position form",
		chromedp.Navigate(app.url+"/demands/"+id+"/position"),
		chromedp.WaitVisible(chromedp.CSS(`[id="r-term:duration_days"]`)),
	)
	if v := read(t, ctx, "the pre-filled duration", chromedp.Value(chromedp.CSS(`[id="r-term:duration_days"]`))); v != "30" {
		t.Fatalf("the duration input shows %q, want 30", v)
	}
	run(t, ctx, "move the position",
		chromedp.SetValue(chromedp.CSS(`[id="r-term:duration_days"]`), "60"),
		chromedp.SetValue(chromedp.CSS(`[id="r-term:unconditional"]`), "no"),
		chromedp.SetValue(chromedp.CSS(`#r-effective_on`), "18 May 2025"),
	)
	screenshot(t, ctx, "new-position-terms.png")
	run(t, ctx, "record it",
		chromedp.Click(chromedp.CSS(`.record-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`.flash`)),
	)
	r, err := app.store.Get(context.Background(), domain.KindDemand, id)
	if err != nil {
		t.Fatal(err)
	}
	if terms := r.(*domain.Demand).Terms; terms["duration_days"] != 60.0 || terms["unconditional"] != false {
		t.Fatalf("stored terms %v, want duration_days 60 and unconditional false", terms)
	}
}
