package ui_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/parley/parley/domain"
	"github.com/parley/parley/store/storetest"
)

func TestBrowserImportsASpreadsheetWithoutJavaScript(t *testing.T) {
	ctx := newBrowser(t)
	app := newApp(t)
	username, _ := storetest.User(t, app.store, "editor")
	if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
	signInBrowser(t, ctx, app, username)
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.csv")
	good := filepath.Join(dir, "positions.csv")
	if err := os.WriteFile(bad, []byte(strings.Replace(importCSV, "Ukraine,Children", "Atlantis,Children", 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(good, []byte(importCSV), 0o600); err != nil {
		t.Fatal(err)
	}
	run(t, ctx, "open the import page from the overview",
		chromedp.Navigate(app.url+"/negotiations/"+app.negotiation),
		chromedp.Click(`//a[normalize-space()="Import"]`),
		chromedp.WaitVisible(chromedp.CSS(`#file`)),
		chromedp.SetUploadFiles(chromedp.CSS(`#file`), []string{bad}),
		chromedp.Click(`//button[normalize-space()="Check file"]`),
		chromedp.WaitVisible(chromedp.CSS(`.import-errors`)),
	)
	cells := read(t, ctx, "read the bad cells", chromedp.Text(chromedp.CSS(`.import-errors tbody`)))
	if !strings.Contains(cells, "Atlantis") || !strings.Contains(cells, "party") {
		t.Fatalf("bad cells shown: %q", cells)
	}
	screenshot(t, ctx, "import-bad-cells.png")
	run(t, ctx, "check the corrected file",
		chromedp.SetUploadFiles(chromedp.CSS(`#file`), []string{good}),
		chromedp.Click(`//button[normalize-space()="Check file"]`),
		chromedp.WaitVisible(chromedp.CSS(`#confirm-file`)),
	)
	if h := read(t, ctx, "preview heading", chromedp.Text(chromedp.CSS(`#pv-h`))); !strings.Contains(h, "will create 2 demands") {
		t.Fatalf("preview heading %q", h)
	}
	screenshot(t, ctx, "import-preview.png")
	run(t, ctx, "confirm the import",
		chromedp.SetUploadFiles(chromedp.CSS(`#confirm-file`), []string{good}),
		chromedp.Click(`//button[starts-with(normalize-space(), "Import 2 rows")]`),
		chromedp.WaitVisible(chromedp.CSS(`#done-h`)),
	)
	screenshot(t, ctx, "import-done.png")
	d := app.find(domain.KindDemand, func(r domain.Resource) bool { return r.(*domain.Demand).Title == "Return of children via Qatar" })
	if d == nil {
		t.Fatal("the import wrote nothing")
	}
}

func TestBrowserObjectsFromAMatrixCell(t *testing.T) {
	ctx := newBrowser(t)
	app := newApp(t)
	username, _ := storetest.User(t, app.store, "editor")
	signInBrowser(t, ctx, app, username)
	russia, ukraine := app.partyID("Russia"), app.partyID("Ukraine")
	ceasefire := app.find(domain.KindDemand, func(r domain.Resource) bool {
		d := r.(*domain.Demand)
		return d.PartyID == ukraine && strings.Contains(d.Title, "ceasefire")
	})
	run(t, ctx, "object from Russia's ceasefire cell",
		chromedp.Navigate(app.url+"/negotiations/"+app.negotiation+"/matrix"),
		chromedp.Click(`//a[normalize-space()="Object" and contains(@href, "party_id=`+russia+`")]`),
		chromedp.WaitVisible(chromedp.CSS(`#r-grounds`)),
	)
	screenshot(t, ctx, "record-objection.png")
	run(t, ctx, "fill in the short form",
		chromedp.SetValue(chromedp.CSS(`#r-demand_id`), ceasefire.Base().ID),
		chromedp.SendKeys(chromedp.CSS(`#r-grounds`), "a truce would let Ukraine regroup"),
		chromedp.SendKeys(chromedp.CSS(`#r-stated_on`), "16 May 2025"),
		chromedp.Click(`//button[normalize-space()="Record"]`),
		chromedp.WaitVisible(chromedp.CSS(`.flash`)),
	)
	o := app.find(domain.KindObjection, func(r domain.Resource) bool {
		return r.(*domain.Objection).Grounds == "a truce would let Ukraine regroup"
	})
	if o == nil || o.(*domain.Objection).PartyID != russia {
		t.Fatalf("stored %+v", o)
	}
}
