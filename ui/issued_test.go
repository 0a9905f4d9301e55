package ui_test

import (
	"crypto/sha256"
	"encoding/hex"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// TestIssueReportFromTheReportPage: "Issue this report" keeps the report
// previewed (its pickers and audience), and the list of issued reports
// shows who issued it, its parameters and a SHA-256 that the file
// downloaded from there matches.
func TestIssueReportFromTheReportPage(t *testing.T) {
	app := newApp(t)
	editor := app.signIn("editor")
	_, page, _ := editor.get("/negotiations/" + app.negotiation + "/report?since=2020-01-01&audience=TLP:GREEN")
	m := regexp.MustCompile(`<form method="post" action="([^"]+)" class="filters">`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("the report page has no issue form")
	}
	action := html.UnescapeString(m[1])
	if !strings.Contains(action, "audience=TLP%3AGREEN") || !strings.Contains(action, "since=2020-01-01") {
		t.Errorf("the issue form does not keep the pickers: %s", action)
	}
	res := editor.post(action, url.Values{"csrf": {csrfOf(t, page)}, "format": {"markdown"}, "title": {"Brief <for> the minister"}, "audience": {"TLP:GREEN"}})
	if res.status != http.StatusSeeOther || res.header.Get("Location") != "/negotiations/"+app.negotiation+"/reports" {
		t.Fatalf("after issuing: %d %s", res.status, res.header.Get("Location"))
	}
	_, list, _ := editor.get(res.header.Get("Location"))
	res.body = list
	if !strings.Contains(list, "Brief &lt;for&gt; the minister") || !strings.Contains(list, "for a TLP:GREEN audience") || !strings.Contains(list, "Report issued: SHA-256") {
		t.Fatalf("the list of issued reports: %s", list)
	}
	hash := regexp.MustCompile(`<code class="hash">([0-9a-f]{64})</code>`).FindStringSubmatch(res.body)
	file := regexp.MustCompile(`href="(/reports/[0-9a-f-]+/file)"`).FindStringSubmatch(res.body)
	if hash == nil || file == nil {
		t.Fatalf("the list lacks the hash or the file: %s", res.body)
	}
	status, body, h := editor.get(file[1])
	sum := sha256.Sum256([]byte(body))
	if status != http.StatusOK || hex.EncodeToString(sum[:]) != hash[1] || !strings.HasPrefix(h.Get("Content-Type"), "text/markdown") {
		t.Errorf("the file: %d, %s, hash %x, want %s", status, h.Get("Content-Type"), sum, hash[1])
	}
	if !strings.Contains(body, "TLP:GREEN") || !strings.Contains(body, "the minister") {
		t.Errorf("the issued file lacks its marking or title")
	}
	viewer := app.signIn("viewer")
	if r := viewer.post(action, url.Values{"csrf": {viewer.csrf()}, "format": {"pdf"}}); r.status != http.StatusForbidden {
		t.Errorf("a viewer issued a report: %d", r.status)
	}
}
