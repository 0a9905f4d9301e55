package ui_test

import (
	"context"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/parley/parley/api"
	"github.com/parley/parley/domain"
	"github.com/parley/parley/domain/demo"
	"github.com/parley/parley/server"
	"github.com/parley/parley/store"
	"github.com/parley/parley/store/storetest"
	"github.com/parley/parley/ui"
)

// testApp is the real server: server.New, the API and the pages, over a real SQLite
// store holding the demo negotiation.
type testApp struct {
	t           *testing.T
	url         string
	store       *store.Store
	negotiation string
}

func newApp(t *testing.T) *testApp {
	t.Helper()
	s := storetest.Open(t)
	neg, _, err := demo.Load(context.Background(), s, "demo")
	if err != nil {
		t.Fatalf("load demo: %v", err)
	}
	e := server.New(s, api.Options{}, ui.Options{})
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	return &testApp{t: t, url: srv.URL, store: s, negotiation: neg}
}

// client is a browser-like client that keeps cookies and does not follow
// redirects, so that tests see each status.
type client struct {
	app  *testApp
	http *http.Client
	user string
}

func (a *testApp) anonymous() *client {
	jar, err := cookiejar.New(nil)
	if err != nil {
		a.t.Fatal(err)
	}
	return &client{app: a, http: &http.Client{
		Jar:           jar,
		Timeout:       30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// signIn creates a user of the role and signs in through the form.
func (a *testApp) signIn(role domain.Role) *client {
	a.t.Helper()
	username, _ := storetest.User(a.t, a.store, role)
	c := a.anonymous()
	c.user = username
	_, body, _ := c.get("/login")
	res := c.post("/login", url.Values{"username": {username}, "password": {storetest.Password}, "csrf": {csrfOf(a.t, body)}})
	if res.status != http.StatusSeeOther {
		a.t.Fatalf("sign in as %s: status %d: %s", role, res.status, res.body)
	}
	return c
}

type response struct {
	status int
	body   string
	header http.Header
}

func (c *client) do(req *http.Request) response {
	c.app.t.Helper()
	res, err := c.http.Do(req)
	if err != nil {
		c.app.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		c.app.t.Fatal(err)
	}
	return response{status: res.StatusCode, body: string(b), header: res.Header}
}

func (c *client) get(path string) (int, string, http.Header) {
	c.app.t.Helper()
	req, err := http.NewRequest(http.MethodGet, c.app.url+path, nil)
	if err != nil {
		c.app.t.Fatal(err)
	}
	r := c.do(req)
	return r.status, r.body, r.header
}

func (c *client) post(path string, form url.Values) response {
	c.app.t.Helper()
	req, err := http.NewRequest(http.MethodPost, c.app.url+path, strings.NewReader(form.Encode()))
	if err != nil {
		c.app.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

// csrf reads the form token from any page the client can see.
func (c *client) csrf() string {
	c.app.t.Helper()
	_, body, _ := c.get("/")
	return csrfOf(c.app.t, body)
}

var csrfPattern = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func csrfOf(t *testing.T, body string) string {
	t.Helper()
	m := csrfPattern.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no CSRF token in page:\n%s", body)
	}
	return m[1]
}

// find returns the first resource of kind k whose label matches.
func (a *testApp) find(k domain.Kind, match func(domain.Resource) bool) domain.Resource {
	a.t.Helper()
	page, err := a.store.List(context.Background(), domain.ListQuery{Kind: k, Limit: 500})
	if err != nil {
		a.t.Fatal(err)
	}
	for _, r := range page.Items {
		if match(r) {
			return r
		}
	}
	return nil
}

func (a *testApp) partyID(name string) string {
	a.t.Helper()
	r := a.find(domain.KindParty, func(r domain.Resource) bool { return r.(*domain.Party).Name == name })
	if r == nil {
		a.t.Fatalf("no party %q", name)
	}
	return r.Base().ID
}

func (a *testApp) topicID(title string) string {
	a.t.Helper()
	r := a.find(domain.KindTopic, func(r domain.Resource) bool {
		return strings.Contains(strings.ToLower(r.(*domain.Topic).Title), strings.ToLower(title))
	})
	if r == nil {
		a.t.Fatalf("no topic %q", title)
	}
	return r.Base().ID
}

// errorBeside returns the error text rendered beside the input with that id.
func errorBeside(body, inputID string) string {
	re := regexp.MustCompile(`(?s)<p class="error" id="` + regexp.QuoteMeta(inputID) + `-error">(.*?)</p>`)
	m := re.FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return html.UnescapeString(m[1])
}

var (
	resourceFormPattern = regexp.MustCompile(`(?s)<form method="post" action="[^"]*" class="resource-form"[^>]*>(.*?)</form>`)
	inputTagPattern     = regexp.MustCompile(`<input [^>]*>`)
	attrPattern         = regexp.MustCompile(`([a-z-]+)(?:="([^"]*)")?`)
	textareaPattern     = regexp.MustCompile(`(?s)<textarea name="([^"]+)"[^>]*>(.*?)</textarea>`)
	selectPattern       = regexp.MustCompile(`(?s)<select name="([^"]+)"[^>]*>(.*?)</select>`)
	selectedPattern     = regexp.MustCompile(`<option value="([^"]*)" selected>`)
)

// formOf reads the resource form of a page as a browser would submit it
// unchanged: every input, textarea and select with its value, checked
// radios only.
func formOf(t *testing.T, page string) url.Values {
	t.Helper()
	m := resourceFormPattern.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no resource form on the page:\n%s", page)
	}
	body := m[1]
	form := url.Values{}
	for _, tag := range inputTagPattern.FindAllString(body, -1) {
		attrs := map[string]string{}
		for _, a := range attrPattern.FindAllStringSubmatch(tag[len("<input "):], -1) {
			attrs[a[1]] = html.UnescapeString(a[2])
		}
		if _, checked := attrs["checked"]; attrs["type"] == "radio" && !checked {
			continue
		}
		if name := attrs["name"]; name != "" {
			form.Add(name, attrs["value"])
		}
	}
	for _, ta := range textareaPattern.FindAllStringSubmatch(body, -1) {
		form.Add(ta[1], html.UnescapeString(ta[2]))
	}
	for _, sel := range selectPattern.FindAllStringSubmatch(body, -1) {
		value := ""
		if opt := selectedPattern.FindStringSubmatch(sel[2]); opt != nil {
			value = html.UnescapeString(opt[1])
		}
		form.Add(sel[1], value)
	}
	return form
}
