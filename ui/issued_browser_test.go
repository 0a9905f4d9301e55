package ui_test

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/parley/parley/store/storetest"
)

// issuedDownload is an issued file as the browser fetched it from the
// list's link: the SHA-256 of its bytes, their first bytes and count.
type issuedDownload struct {
	SHA256 string `json:"sha256"`
	Head   string `json:"head"`
	Size   int    `json:"size"`
	Status int    `json:"status"`
}

// downloadIssued fetches the first issued file of the list with the
// page's session and hashes its bytes in the browser (Web Crypto).
const downloadIssued = `(async () => {
  const r = await fetch(document.querySelector("table.issued a[download]").href);
  const b = await r.arrayBuffer();
  const d = await crypto.subtle.digest("SHA-256", b);
  return {
    sha256: [...new Uint8Array(d)].map(x => x.toString(16).padStart(2, "0")).join(""),
    head: new TextDecoder().decode(b.slice(0, 5)),
    size: b.byteLength,
    status: r.status,
  };
})()`

// postDelete posts the delete form of report id with the page's CSRF
// token, as a forged form would, and gives the status.
func postDelete(id string) string {
	return `(async () => {
  const body = new URLSearchParams({csrf: document.querySelector("input[name=csrf]").value});
  const r = await fetch("/reports/` + id + `/delete", {method: "POST", body, redirect: "manual"});
  return r.status;
})()`
}

// signOutBrowser drops the session, so that the next user signs in.
func signOutBrowser(t *testing.T, ctx context.Context) {
	t.Helper()
	if _, err := chromedp.Call(ctx, network.ClearBrowserCookies, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}
}

// TestBrowserIssuedReports: an editor issues a report from the report
// page with a title and an audience; the negotiation's issued list shows
// who issued it, when, with what parameters and its SHA-256, which the
// downloaded file's bytes match; a viewer can neither see nor use a
// delete button; an admin deletes the file, and its history keeps who
// issued it and who deleted it.
func TestBrowserIssuedReports(t *testing.T) {
	ctx := newBrowser(t)
	app := newApp(t)
	editor, _ := storetest.User(t, app.store, "editor")
	viewer, _ := storetest.User(t, app.store, "viewer")
	admin, _ := storetest.User(t, app.store, "admin")
	list := app.url + "/negotiations/" + app.negotiation + "/reports"

	signInBrowser(t, ctx, app, editor)
	run(t, ctx, "issue the report previewed",
		chromedp.Navigate(app.url+"/negotiations/"+app.negotiation+"/report?since=2025-05-01"),
		chromedp.WaitVisible(chromedp.CSS(`#issue-title`)),
		chromedp.SendKeys(chromedp.CSS(`#issue-title`), "Brief for the minister <Istanbul>"),
		chromedp.SetValue(chromedp.CSS(`#issue-format`), "pdf"),
		chromedp.SetValue(chromedp.CSS(`#issue-audience`), "TLP:GREEN"),
		chromedp.Click(`//button[normalize-space()="Issue this report"]`),
		chromedp.WaitVisible(chromedp.CSS(`table.issued`)),
	)
	if loc := read(t, ctx, "where issuing led", chromedp.Location()); loc != list {
		t.Errorf("after issuing: at %s, want %s", loc, list)
	}
	flash := read(t, ctx, "the flash", chromedp.Text(chromedp.CSS(`.flash`)))
	row := read(t, ctx, "the issued row", chromedp.Text(chromedp.CSS(`table.issued tbody tr`)))
	for _, want := range []string{"Brief for the minister <Istanbul>", editor, "pdf", "since 2025-05-01 00:00", "for a TLP:GREEN audience", "TLP:GREEN"} {
		if !strings.Contains(row, want) {
			t.Errorf("the issued row lacks %q: %s", want, row)
		}
	}
	if !regexp.MustCompile(`\d{4}-\d{2}-\d{2} \d{2}:\d{2}`).MatchString(row) {
		t.Errorf("the issued row says not when: %s", row)
	}
	shown := read(t, ctx, "the SHA-256 shown", chromedp.Text(chromedp.CSS(`table.issued code.hash`)))
	if !regexp.MustCompile(`^[0-9a-f]{64}$`).MatchString(shown) || !strings.Contains(flash, shown) {
		t.Fatalf("SHA-256 shown %q, flash %q", shown, flash)
	}
	got := read(t, ctx, "download the file", chromedp.Evaluate[issuedDownload](downloadIssued, chromedp.EvalAwaitPromise))
	if got.Status != 200 || got.SHA256 != shown || got.Head != "%PDF-" {
		t.Errorf("the downloaded file: status %d, %d bytes starting %q, SHA-256 %s; the list shows %s", got.Status, got.Size, got.Head, got.SHA256, shown)
	}
	href := read(t, ctx, "the file's link", chromedp.Evaluate[string](`document.querySelector("table.issued a[download]").getAttribute("href")`))
	m := regexp.MustCompile(`^/reports/([0-9a-f-]+)/file$`).FindStringSubmatch(href)
	if m == nil {
		t.Fatalf("file link %q", href)
	}
	id := m[1]
	if n := read(t, ctx, "an editor's delete buttons", chromedp.Evaluate[int](`document.querySelectorAll("form.inline-delete").length`)); n != 0 {
		t.Errorf("an editor sees %d delete buttons", n)
	}

	signOutBrowser(t, ctx)
	signInBrowser(t, ctx, app, viewer)
	run(t, ctx, "a viewer opens the list", chromedp.Navigate(list), chromedp.WaitVisible(chromedp.CSS(`table.issued`)))
	if n := read(t, ctx, "a viewer's delete buttons", chromedp.Evaluate[int](`document.querySelectorAll("form.inline-delete").length`)); n != 0 {
		t.Errorf("a viewer sees %d delete buttons", n)
	}
	if status := read(t, ctx, "a viewer posts a delete", chromedp.Evaluate[int](postDelete(id), chromedp.EvalAwaitPromise)); status != 403 {
		t.Errorf("a viewer's delete: status %d, want 403", status)
	}
	if again := read(t, ctx, "download after the viewer's try", chromedp.Evaluate[issuedDownload](downloadIssued, chromedp.EvalAwaitPromise)); again.SHA256 != shown {
		t.Errorf("after a viewer's delete the file hashes %s (status %d)", again.SHA256, again.Status)
	}

	signOutBrowser(t, ctx)
	signInBrowser(t, ctx, app, admin)
	run(t, ctx, "an admin opens the list", chromedp.Navigate(list), chromedp.WaitVisible(chromedp.CSS(`form.inline-delete`)))
	screenshot(t, ctx, "issued-reports.png")
	run(t, ctx, "an admin deletes the file",
		chromedp.Click(chromedp.CSS(`form.inline-delete button`)),
		chromedp.WaitVisible(chromedp.CSS(`.flash`)),
	)
	if flash := read(t, ctx, "the flash", chromedp.Text(chromedp.CSS(`.flash`))); !strings.Contains(flash, "Deleted the issued report") {
		t.Errorf("after deleting: %q", flash)
	}
	if n := read(t, ctx, "the rows left", chromedp.Evaluate[int](`document.querySelectorAll("table.issued tbody tr").length`)); n != 0 {
		t.Errorf("%d issued reports listed after the only one was deleted", n)
	}
	run(t, ctx, "read the report's history",
		chromedp.Navigate(app.url+"/reports/"+id+"/history"),
		chromedp.WaitVisible(chromedp.CSS(`.issued-history`)),
	)
	history := read(t, ctx, "the history", chromedp.Text(chromedp.CSS(`.issued-history`)))
	if !regexp.MustCompile(`Issued on .* by ` + editor + `[\s\S]*File deleted on .* by ` + admin).MatchString(history) {
		t.Errorf("the history: %s", history)
	}
	screenshot(t, ctx, "issued-report-history.png")
	events, err := app.store.IssuedReportHistory(context.Background(), id)
	if err != nil || len(events) != 2 || events[1].Action != "delete" || events[1].Actor != admin {
		t.Errorf("the stored history: %+v (%v)", events, err)
	}
	if status := read(t, ctx, "the deleted file", chromedp.Evaluate[int](`fetch("/reports/`+id+`/file").then(r => r.status)`, chromedp.EvalAwaitPromise)); status != 404 {
		t.Errorf("a deleted file answers %d", status)
	}
}
