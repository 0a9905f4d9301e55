package ui_test

import (
	"bufio"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parley/parley/api"
	"github.com/parley/parley/domain/demo"
	"github.com/parley/parley/server"
	"github.com/parley/parley/store/storetest"
	"github.com/parley/parley/ui"
)

// lockedBuffer collects log lines written by the server's goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// newAppWith is newApp with options of its own and no demo negotiation.
func newAppWith(t *testing.T, apiOpts api.Options, uiOpts ui.Options) *testApp {
	t.Helper()
	s := storetest.Open(t)
	e := server.New(s, apiOpts, uiOpts)
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	return &testApp{t: t, url: srv.URL, store: s}
}

// cookie returns the cookie of that name a response set, nil if none.
func cookie(h http.Header, name string) *http.Cookie {
	for _, ck := range (&http.Response{Header: h}).Cookies() {
		if ck.Name == name {
			return ck
		}
	}
	return nil
}

// TestCredentialKindsAreNotInterchangeable: an API token (720 h) set as the
// session cookie opens no page, and a session cookie (12 h) is no bearer
// token: each keeps its own lifetime.
func TestCredentialKindsAreNotInterchangeable(t *testing.T) {
	app := newAppWith(t, api.Options{RateLimit: -1}, ui.Options{})
	_, apiToken := storetest.User(t, app.store, "editor")

	c := app.anonymous()
	u, _ := url.Parse(app.url)
	c.http.Jar.SetCookies(u, []*http.Cookie{{Name: "parley_session", Value: apiToken, Path: "/"}})
	if status, _, h := c.get("/"); status != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/login") {
		t.Fatalf("an API token as the session cookie: %d to %q, want a redirect to sign in", status, h.Get("Location"))
	}

	signedIn := app.signIn("editor")
	var session string
	for _, ck := range signedIn.http.Jar.Cookies(u) {
		if ck.Name == "parley_session" {
			session = ck.Value
		}
	}
	if session == "" {
		t.Fatal("no session cookie after signing in")
	}
	if status, _, _ := signedIn.get("/"); status != http.StatusOK {
		t.Fatalf("the session itself opens no page: %d", status)
	}
	for token, want := range map[string]int{session: http.StatusUnauthorized, apiToken: http.StatusOK} {
		req, _ := http.NewRequest(http.MethodGet, app.url+"/api/v1/parties", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		if got := app.anonymous().do(req).status; got != want {
			t.Errorf("bearer %s…: %d, want %d", token[:8], got, want)
		}
	}
}

// TestAccessLogNamesUIUser: every request of a signed-in user of the web
// UI is logged with the user's name, admin pages and changes included, and
// so is the sign-in that made the session.
func TestAccessLogNamesUIUser(t *testing.T) {
	logs := &lockedBuffer{}
	app := newAppWith(t, api.Options{RateLimit: -1, Logger: slog.New(slog.NewJSONHandler(logs, nil))}, ui.Options{})
	admin := app.signIn("admin")
	admin.get("/")
	admin.get("/users")
	if res := admin.post("/parties/new", url.Values{"csrf": {admin.csrf()}, "name": {"Qatar"}}); res.status != http.StatusSeeOther {
		t.Fatalf("create party: %d %s", res.status, res.body)
	}
	party := app.partyID("Qatar")
	admin.get("/parties/" + party + "/history")
	anonymous := app.anonymous()
	anonymous.get("/")

	type entry struct{ Method, Path, User string }
	var entries []entry
	sc := bufio.NewScanner(strings.NewReader(logs.String()))
	for sc.Scan() {
		var e entry
		if json.Unmarshal(sc.Bytes(), &e) == nil && e.Path != "" {
			entries = append(entries, e)
		}
	}
	want := []struct {
		method, path, user string
	}{
		{"POST", "/login", admin.user},
		{"GET", "/", admin.user},
		{"GET", "/users", admin.user},
		{"POST", "/parties/new", admin.user},
		{"GET", "/parties/" + party + "/history", admin.user},
		{"GET", "/login", ""},
	}
	for _, w := range want {
		found := false
		for _, e := range entries {
			if e.Method == w.method && e.Path == w.path && e.User == w.user {
				found = true
			}
		}
		if !found {
			t.Errorf("no log line for %s %s by %q in:\n%s", w.method, w.path, w.user, logs.String())
		}
	}
	for _, e := range entries {
		if e.Method == "GET" && e.Path == "/" && e.User == "" {
			continue // the anonymous visit, sent on to sign in
		}
		if e.User == "" && e.Path != "/login" {
			t.Errorf("%s %s logged without a user", e.Method, e.Path)
		}
	}
}

// TestSignInFormCSRFIsBound: the sign-in form's token must be the one parley
// issued with the pre-session cookie, recently, and posted from parley.
func TestSignInFormCSRFIsBound(t *testing.T) {
	now := time.Now()
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	app := newAppWith(t, api.Options{RateLimit: -1, Now: clock}, ui.Options{Now: clock})
	username, _ := storetest.User(t, app.store, "viewer")
	u, _ := url.Parse(app.url)

	// form shows the sign-in form to a new client and returns it with its
	// pre-session cookie and the form's token.
	form := func() (*client, *http.Cookie, string) {
		c := app.anonymous()
		_, body, h := c.get("/login")
		return c, cookie(h, "parley_login_csrf"), csrfOf(t, body)
	}
	post := func(c *client, token string, headers map[string]string) int {
		f := url.Values{"username": {username}, "password": {storetest.Password}, "csrf": {token}}
		req, _ := http.NewRequest(http.MethodPost, app.url+"/login", strings.NewReader(f.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for k, v := range headers {
			req.Header.Set(k, v)
		}
		return c.do(req).status
	}
	tests := []struct {
		name string
		run  func() int
		want int
	}{
		{"the pair parley issued", func() int {
			c, _, token := form()
			return post(c, token, map[string]string{"Sec-Fetch-Site": "same-origin"})
		}, http.StatusSeeOther},
		{"a cookie and token of the client's own choosing", func() int {
			c := app.anonymous()
			c.http.Jar.SetCookies(u, []*http.Cookie{{Name: "parley_login_csrf", Value: "0123456789abcdef0123456789abcdef", Path: "/"}})
			return post(c, "0123456789abcdef0123456789abcdef", nil)
		}, http.StatusForbidden},
		{"the cookie echoed as the token", func() int {
			c, ck, _ := form()
			return post(c, ck.Value, nil)
		}, http.StatusForbidden},
		{"the token of another form", func() int {
			c, _, _ := form()
			_, _, other := form()
			return post(c, other, nil)
		}, http.StatusForbidden},
		{"a cookie with another issue time", func() int {
			c, ck, token := form()
			_, nonce, _ := strings.Cut(ck.Value, ".")
			c.http.Jar.SetCookies(u, []*http.Cookie{{Name: "parley_login_csrf", Value: "9999999999." + nonce, Path: "/"}})
			return post(c, token, nil)
		}, http.StatusForbidden},
		{"a form older than an hour", func() int {
			c, ck, token := form()
			mu.Lock()
			now = now.Add(61 * time.Minute)
			mu.Unlock()
			// The browser would have dropped the cookie by now; an
			// attacker who kept it gains nothing.
			c.http.Jar.SetCookies(u, []*http.Cookie{{Name: ck.Name, Value: ck.Value, Path: "/"}})
			return post(c, token, nil)
		}, http.StatusForbidden},
		{"posted from another site", func() int {
			c, _, token := form()
			return post(c, token, map[string]string{"Sec-Fetch-Site": "cross-site"})
		}, http.StatusForbidden},
		{"posted from a sibling subdomain", func() int {
			c, _, token := form()
			return post(c, token, map[string]string{"Sec-Fetch-Site": "same-site"})
		}, http.StatusForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.run(); got != tt.want {
				t.Fatalf("status %d, want %d", got, tt.want)
			}
		})
	}
}

// TestSecureCookiesAndHSTS: with SecureCookies every cookie is Secure even
// behind a TLS proxy that says nothing, and with the API's HTTPSOnly every
// response carries HSTS; without them only a request said to be HTTPS gets
// either.
func TestSecureCookiesAndHSTS(t *testing.T) {
	tests := []struct {
		name      string
		forced    bool
		forwarded string
		want      bool
	}{
		{"plain HTTP", false, "", false},
		{"a TLS proxy that says so", false, "https", true},
		{"forced, behind a TLS proxy that says nothing", true, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			app := newAppWith(t, api.Options{RateLimit: -1, HTTPSOnly: tt.forced}, ui.Options{SecureCookies: tt.forced})
			username, _ := storetest.User(t, app.store, "viewer")
			c := app.anonymous()
			get := func(path string) response {
				req, _ := http.NewRequest(http.MethodGet, app.url+path, nil)
				if tt.forwarded != "" {
					req.Header.Set("X-Forwarded-Proto", tt.forwarded)
				}
				return c.do(req)
			}
			login := get("/login")
			f := url.Values{"username": {username}, "password": {storetest.Password}, "csrf": {csrfOf(t, login.body)}}
			req, _ := http.NewRequest(http.MethodPost, app.url+"/login", strings.NewReader(f.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if tt.forwarded != "" {
				req.Header.Set("X-Forwarded-Proto", tt.forwarded)
			}
			signedIn := c.do(req)
			if signedIn.status != http.StatusSeeOther {
				t.Fatalf("sign in: %d", signedIn.status)
			}
			for name, h := range map[string]http.Header{"parley_login_csrf": login.header, "parley_session": signedIn.header} {
				ck := cookie(h, name)
				if ck == nil || ck.Secure != tt.want {
					t.Errorf("cookie %s: %+v, want Secure = %v", name, ck, tt.want)
				}
			}
			for _, path := range []string{"/login", "/", "/static/parley.css", "/api/v1/openapi.json", "/healthz", "/no/such/page"} {
				var h http.Header
				if path == "/login" {
					h = login.header
				} else {
					h = get(path).header
				}
				hsts := h.Get("Strict-Transport-Security")
				if (hsts != "") != tt.want || (tt.want && !strings.HasPrefix(hsts, "max-age=31536000")) {
					t.Errorf("%s: Strict-Transport-Security %q, want it %v", path, hsts, tt.want)
				}
			}
		})
	}
}

// TestAsOfYearOneIsNotNow: the first instant of year 1 is a time like any
// other, before every negotiation, not the zero time that stands for "now"
// (or, recorded as of, for "everything recorded").
func TestAsOfYearOneIsNotNow(t *testing.T) {
	app := newAppWith(t, api.Options{RateLimit: -1}, ui.Options{})
	neg, _, err := demo.Load(context.Background(), app.store, "demo")
	if err != nil {
		t.Fatal(err)
	}
	viewer := app.signIn("viewer")
	base := "/negotiations/" + neg
	for _, at := range []string{"0001-01-01", "0001-01-01T00:00", "0001-01-01T00:00:00Z"} {
		t.Run(at, func(t *testing.T) {
			q := "?as_of=" + url.QueryEscape(at)
			for _, page := range []string{"/matrix", "/report"} {
				status, body, _ := viewer.get(base + page + q)
				if status != http.StatusOK || !strings.Contains(body, "had not started by then") {
					t.Errorf("%s as of %s: %d, without \"had not started by then\"", page, at, status)
				}
			}
			status, body, _ := viewer.get(base + "/timeline" + q)
			if status != http.StatusUnprocessableEntity || !strings.Contains(errorBeside(body, "as_of"), "did not exist yet") {
				t.Errorf("timeline as of %s: %d, %q beside the picker; want 422 and \"did not exist yet\"", at, status, errorBeside(body, "as_of"))
			}
			status, body, _ = viewer.get(base + "/matrix?recorded_as_of=" + url.QueryEscape(at))
			if !strings.Contains(errorBeside(body, "recorded_as_of"), "Nothing of this negotiation had been recorded by then") {
				t.Errorf("matrix recorded as of %s: %d, %q beside the picker", at, status, errorBeside(body, "recorded_as_of"))
			}
		})
	}
}
