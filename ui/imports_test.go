package ui_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/parley/parley/domain"
)

// upload posts a file to an import form, with the form's other fields.
func (c *client) upload(path, filename string, data []byte, fields map[string]string) response {
	c.app.t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	for k, v := range fields {
		if err := w.WriteField(k, v); err != nil {
			c.app.t.Fatal(err)
		}
	}
	part, err := w.CreateFormFile("file", filename)
	if err != nil {
		c.app.t.Fatal(err)
	}
	if _, err := part.Write(data); err != nil {
		c.app.t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		c.app.t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, c.app.url+path, &body)
	if err != nil {
		c.app.t.Fatal(err)
	}
	req.Header.Set("Content-Type", w.FormDataContentType())
	return c.do(req)
}

const importCSV = "party,topic,title,stated_on,citation_title,citation_url\n" +
	"Russian Federation,Ceasefire,Ceasefire only after a memorandum,2025-05-16,Kremlin readout,https://example.org/readout\n" +
	"Ukraine,Children,Return of children via Qatar,2025-05-16,,\n"

var checkedPattern = regexp.MustCompile(`name="checked" value="([0-9a-f]{64})"`)

func TestImportPageChecksThenImports(t *testing.T) {
	app := newApp(t)
	editor := app.signIn("editor")
	base := "/negotiations/" + app.negotiation + "/import"
	status, page, _ := editor.get(base)
	if status != http.StatusOK || !strings.Contains(page, `enctype="multipart/form-data"`) || !strings.Contains(page, "import/template?format=xlsx") {
		t.Fatalf("import page: %d %s", status, page)
	}
	csrf := csrfOf(t, page)
	count := func() int {
		snap, err := app.store.Snapshot(t.Context(), app.negotiation, domain.Moment{})
		if err != nil {
			t.Fatal(err)
		}
		return len(snap.Demands)
	}
	before := count()

	bad := strings.Replace(importCSV, "Ukraine,Children", "Atlantis,Children", 1)
	res := editor.upload(base+"/check", "positions.csv", []byte(bad), map[string]string{"csrf": csrf})
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "1 bad cell") ||
		!strings.Contains(res.body, `<td class="num">3</td><td><code>party</code></td>`) || strings.Contains(res.body, `name="checked"`) {
		t.Fatalf("a file with a bad cell: %d %s", res.status, res.body)
	}

	res = editor.upload(base+"/check", "positions.csv", []byte(importCSV), map[string]string{"csrf": csrf})
	m := checkedPattern.FindStringSubmatch(res.body)
	if res.status != http.StatusOK || m == nil || !strings.Contains(res.body, "will create 2 demands") {
		t.Fatalf("check: %d %s", res.status, res.body)
	}
	if count() != before {
		t.Fatal("checking a file wrote demands")
	}

	other := editor.upload(base, "positions.csv", []byte(importCSV+"Ukraine,Children,Another,2025-05-16,,\n"), map[string]string{"csrf": csrf, "checked": m[1]})
	if other.status != http.StatusOK || !strings.Contains(other.body, "not the file you checked") || count() != before {
		t.Fatalf("a file other than the one checked: %d (demands %d)", other.status, count()-before)
	}

	done := editor.upload(base, "positions.csv", []byte(importCSV), map[string]string{"csrf": csrf, "checked": m[1]})
	if done.status != http.StatusOK || !strings.Contains(done.body, "Imported") || !strings.Contains(done.body, "revision 1") || count() != before+2 {
		t.Fatalf("import: %d %s", done.status, done.body)
	}

	if res := editor.upload(base+"/check", "positions.csv", []byte(importCSV), nil); res.status != http.StatusForbidden {
		t.Fatalf("an upload without the form token: %d", res.status)
	}
	viewer := app.signIn("viewer")
	if res := viewer.upload(base+"/check", "positions.csv", []byte(importCSV), map[string]string{"csrf": viewer.csrf()}); res.status != http.StatusForbidden {
		t.Fatalf("a viewer's upload: %d", res.status)
	}
	if status, body, h := viewer.get(base + "/template?format=csv"); status != http.StatusOK || !strings.HasPrefix(body, "party,topic,title,stated_on") || !strings.Contains(h.Get("Content-Disposition"), "attachment") {
		t.Fatalf("template: %d %q", status, body)
	}
}
