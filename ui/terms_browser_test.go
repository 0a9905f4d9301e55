package ui_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/parley/parley/domain"
)

// TestBrowserEntersADemandThroughTheTermFields edits the demo's Ukrainian
// ceasefire demand through the typed inputs of the ceasefire topic's
// defined terms: a number typed as analysts write it, yes/no from a select.
// A near miss is refused beside its input; what is saved lands on the
// defined keys, normalised, and the matrix lines it up.
func TestBrowserEntersADemandThroughTheTermFields(t *testing.T) {
	app := newApp(t)
	ctx, _ := editorInBrowser(t, app)
	ukraine := app.demandOf("Ukraine", "unconditional")

	run(t, ctx, "type a near miss into the duration",
		chromedp.Navigate(app.url+"/demands/"+ukraine+"/edit"),
		chromedp.WaitVisible(chromedp.CSS(`#f-term-duration-days`)),
		chromedp.SetValue(chromedp.CSS(`#f-term-duration-days`), "1.2.3"),
		chromedp.SetValue(chromedp.CSS(`#f-effective-on`), "2025-05-17"),
		chromedp.Click(chromedp.CSS(`.resource-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`#f-term-duration-days-error`)),
	)
	msg := read(t, ctx, "the refusal", chromedp.Text(chromedp.CSS(`#f-term-duration-days-error`)))
	if !strings.Contains(msg, "a number of days") || !strings.Contains(msg, "1.2.3") {
		t.Errorf("the refusal reads %q; want what was expected and what was typed", msg)
	}
	screenshot(t, ctx, "term-fields-refused.png")

	run(t, ctx, "type the duration as analysts write it and pick no",
		chromedp.SetValue(chromedp.CSS(`#f-term-duration-days`), "1,500"),
		chromedp.SetValue(chromedp.CSS(`#f-term-unconditional`), "no"),
		chromedp.Click(chromedp.CSS(`.resource-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`.flash`)),
	)
	r, err := app.store.Get(context.Background(), domain.KindDemand, ukraine)
	if err != nil {
		t.Fatal(err)
	}
	if terms := r.(*domain.Demand).Terms; terms["duration_days"] != 1500.0 || terms["unconditional"] != false {
		t.Errorf("saved terms = %v, want duration_days 1500 and unconditional false", terms)
	}

	run(t, ctx, "open the matrix", chromedp.EmulateViewport(1366, 1500),
		chromedp.Navigate(app.url+"/negotiations/"+app.negotiation+"/matrix"), chromedp.WaitVisible(chromedp.CSS(`table.matrix`)))
	rows := read(t, ctx, "the term rows", chromedp.Evaluate[[]string](innerTexts(`tr.term-row`)))
	joined := strings.Join(rows, "\n")
	if !strings.Contains(joined, "1,500 days") || !strings.Contains(joined, "gap 1,470 days") {
		t.Errorf("term rows read %q; want Ukraine's 1,500 days and the gap to the US's 30", joined)
	}
	legend := read(t, ctx, "the legend", chromedp.Text(chromedp.CSS(`.legend`)))
	for _, st := range domain.TopicStateDefinitions {
		if !strings.Contains(legend, st.Definition) {
			t.Errorf("the legend lacks %s's definition", st.State)
		}
	}
	screenshot(t, ctx, "matrix-term-rows.png")
}
