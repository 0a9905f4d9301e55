package ui_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/parley/parley/domain"
)

const wantCSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"

func TestPagesCarrySecurityHeadersAndNoInlineCode(t *testing.T) {
	app := newApp(t)
	editor := app.signIn("editor")
	demand := app.find(domain.KindDemand, func(domain.Resource) bool { return true })
	paths := []struct {
		path   string
		status int
	}{
		{"/", http.StatusOK},
		{"/parties", http.StatusOK},
		{"/negotiations/" + app.negotiation, http.StatusOK},
		{"/negotiations/" + app.negotiation + "/matrix", http.StatusOK},
		{"/negotiations/" + app.negotiation + "/report", http.StatusOK},
		{"/demands/" + demand.Base().ID, http.StatusOK},
		{"/demands/" + demand.Base().ID + "/history", http.StatusOK},
		{"/demands/" + demand.Base().ID + "/edit", http.StatusOK},
		{"/demands/new?negotiation_id=" + app.negotiation, http.StatusOK},
		{"/negotiations/new", http.StatusOK},
		{"/no/such/page", http.StatusNotFound},
		{"/negotiations/not-a-uuid", http.StatusNotFound},
		{"/demands/not-a-uuid/edit", http.StatusNotFound},
		{"/parties/not-a-uuid/history", http.StatusNotFound},
		{"/negotiations/0190f0f0-0000-7000-8000-000000000000", http.StatusNotFound},
	}
	for _, p := range paths {
		t.Run(p.path, func(t *testing.T) {
			status, body, h := editor.get(p.path)
			if status != p.status {
				t.Fatalf("status %d, want %d", status, p.status)
			}
			if got := h.Get("Content-Security-Policy"); got != wantCSP {
				t.Errorf("CSP %q", got)
			}
			if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("X-Frame-Options") != "DENY" {
				t.Errorf("headers %v", h)
			}
			if !strings.HasPrefix(h.Get("Content-Type"), "text/html") {
				t.Errorf("content type %q", h.Get("Content-Type"))
			}
			// The policy forbids inline code; the templates must not rely on it.
			for _, bad := range []string{" style=", "<style", "<script>", " onclick=", " onload=", "javascript:"} {
				if strings.Contains(body, bad) {
					t.Errorf("page contains %q", bad)
				}
			}
			for _, must := range []string{"<title>", "<h1", `class="crumbs"`} {
				if p.path != "/" && !strings.Contains(body, must) {
					t.Errorf("page lacks %q", must)
				}
			}
		})
	}
	t.Run("static files but no directory listings", func(t *testing.T) {
		for path, want := range map[string]int{"/static/parley.css": http.StatusOK, "/static/parley.js": http.StatusOK, "/static/": http.StatusNotFound, "/static/nothing.css": http.StatusNotFound} {
			status, body, h := editor.get(path)
			if status != want {
				t.Errorf("%s: status %d, want %d", path, status, want)
			}
			if want == http.StatusOK && h.Get("X-Content-Type-Options") != "nosniff" {
				t.Errorf("%s: no nosniff", path)
			}
			if strings.Contains(body, `<a href="parley.css">`) {
				t.Errorf("%s lists the static files", path)
			}
		}
	})
	t.Run("api errors stay problem+json", func(t *testing.T) {
		_, _, h := editor.get("/api/v1/nothing-here")
		if !strings.HasPrefix(h.Get("Content-Type"), "application/problem+json") {
			t.Errorf("API 404 content type %q", h.Get("Content-Type"))
		}
	})
}

// TestStaticAssetsAreVersioned checks that pages link each asset by the hash
// of its content, so that an upgrade changes the URL and browsers may keep
// an asset for good without ever showing stale styles.
func TestStaticAssetsAreVersioned(t *testing.T) {
	app := newApp(t)
	editor := app.signIn("editor")
	for _, name := range []string{"parley.css", "parley.js"} {
		t.Run(name, func(t *testing.T) {
			b, err := os.ReadFile("static/" + name)
			if err != nil {
				t.Fatal(err)
			}
			sum := sha256.Sum256(b)
			versioned := "/static/" + name + "?v=" + hex.EncodeToString(sum[:])[:12]
			pages := []struct {
				c    *client
				path string
			}{{editor, "/"}, {app.anonymous(), "/login"}}
			for _, p := range pages {
				_, body, _ := p.c.get(p.path)
				if !strings.Contains(body, `"`+versioned+`"`) {
					t.Errorf("%s does not link %s", p.path, versioned)
				}
			}
			cases := []struct {
				path      string
				immutable bool
			}{
				{versioned, true},
				{"/static/" + name, false},
				{"/static/" + name + "?v=000000000000", false},
			}
			for _, tc := range cases {
				status, body, h := editor.get(tc.path)
				if status != http.StatusOK || body != string(b) {
					t.Errorf("%s: status %d, %d bytes, want the embedded file", tc.path, status, len(body))
				}
				cc := h.Get("Cache-Control")
				if got := cc == "public, max-age=31536000, immutable"; got != tc.immutable {
					t.Errorf("%s: Cache-Control %q", tc.path, cc)
				}
				if !tc.immutable && cc != "no-cache" {
					t.Errorf("%s: Cache-Control %q, want no-cache", tc.path, cc)
				}
			}
		})
	}
}

func TestSignInSessionCookie(t *testing.T) {
	app := newApp(t)
	cases := []struct {
		name       string
		password   string
		forwarded  string
		noCSRF     bool
		wantStatus int
		wantSecure bool
	}{
		{name: "plain http", password: "", wantStatus: http.StatusSeeOther},
		{name: "behind TLS proxy", forwarded: "https", wantStatus: http.StatusSeeOther, wantSecure: true},
		{name: "wrong password", password: "wrong-password", wantStatus: http.StatusUnauthorized},
		{name: "no csrf", noCSRF: true, wantStatus: http.StatusForbidden},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			username := app.signIn("viewer").user
			c := app.anonymous()
			_, body, _ := c.get("/login?next=/parties")
			form := url.Values{"username": {username}, "password": {"correct-horse-battery"}, "next": {"/parties"}}
			if tc.password != "" {
				form.Set("password", tc.password)
			}
			if !tc.noCSRF {
				form.Set("csrf", csrfOf(t, body))
			}
			req, _ := http.NewRequest(http.MethodPost, app.url+"/login", strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if tc.forwarded != "" {
				req.Header.Set("X-Forwarded-Proto", tc.forwarded)
			}
			res := c.do(req)
			if res.status != tc.wantStatus {
				t.Fatalf("status %d, want %d: %s", res.status, tc.wantStatus, res.body)
			}
			var session *http.Cookie
			for _, ck := range (&http.Response{Header: res.header}).Cookies() {
				if ck.Name == "parley_session" {
					session = ck
				}
			}
			if tc.wantStatus != http.StatusSeeOther {
				if session != nil && session.Value != "" {
					t.Fatalf("a refused sign-in set a session cookie")
				}
				return
			}
			if res.header.Get("Location") != "/parties" {
				t.Errorf("redirect to %q, want /parties", res.header.Get("Location"))
			}
			if session == nil || !session.HttpOnly || session.SameSite != http.SameSiteLaxMode || session.MaxAge != 12*3600 {
				t.Fatalf("session cookie %+v", session)
			}
			if session.Secure != tc.wantSecure {
				t.Errorf("Secure = %v, want %v", session.Secure, tc.wantSecure)
			}
			if status, _, _ := c.get("/parties"); status != http.StatusOK {
				t.Errorf("signed-in page status %d", status)
			}
		})
	}
	t.Run("sign out ends the session", func(t *testing.T) {
		c := app.signIn("viewer")
		if res := c.post("/logout", url.Values{"csrf": {c.csrf()}}); res.status != http.StatusSeeOther {
			t.Fatalf("logout status %d", res.status)
		}
		status, _, h := c.get("/")
		if status != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/login") {
			t.Fatalf("after sign-out: %d %q", status, h.Get("Location"))
		}
	})
	// Browsers strip tabs and newlines from a Location and read "\" as "/",
	// so each of these would leave the site after signing in.
	for _, next := range []string{"//evil.example/", "/\\evil.example/", "/\t/evil.example/", "/\n/evil.example/", "/\r/evil.example", "/%09/x\\\\evil.example", "https://evil.example/", "/\x00/evil.example"} {
		t.Run("open redirect refused "+strconv.Quote(next), func(t *testing.T) {
			c := app.anonymous()
			username := app.signIn("viewer").user
			_, body, _ := c.get("/login")
			res := c.post("/login", url.Values{"username": {username}, "password": {"correct-horse-battery"}, "csrf": {csrfOf(t, body)}, "next": {next}})
			if res.status != http.StatusSeeOther || res.header.Get("Location") != "/" {
				t.Fatalf("status %d, redirected to %q", res.status, res.header.Get("Location"))
			}
			// Already signed in, the sign-in page sends the user on at once.
			status, _, h := c.get("/login?next=" + url.QueryEscape(next))
			if status != http.StatusSeeOther || h.Get("Location") != "/" {
				t.Fatalf("signed in: status %d, redirected to %q", status, h.Get("Location"))
			}
		})
	}
}

func TestUserTextIsEscaped(t *testing.T) {
	app := newApp(t)
	editor := app.signIn("editor")
	const evil = `<script>alert(1)</script>`
	res := editor.post("/parties/new", url.Values{"csrf": {editor.csrf()}, "name": {evil}, "aliases": {"<b>bold</b>\n\"quoted\""}, "kind": {"state"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("create party: %d %s", res.status, res.body)
	}
	party := app.partyID(evil)
	// Seat the party so it shows on the overview and the matrix too.
	if _, err := app.store.Update(context.Background(), "test", domain.KindNegotiation, app.negotiation, 0, domain.Dating{}, func(r domain.Resource) (domain.Resource, error) {
		n := r.(*domain.Negotiation)
		n.Participants = append(n.Participants, domain.Participant{PartyID: party, Role: "observer"})
		return n, nil
	}); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/parties", "/negotiations/" + app.negotiation, "/negotiations/" + app.negotiation + "/matrix", "/parties/" + party + "/history", "/parties/" + party + "/edit", "/parties/" + party + "/delete", "/"} {
		t.Run(path, func(t *testing.T) {
			status, body, _ := editor.get(path)
			if status != http.StatusOK {
				t.Fatalf("status %d", status)
			}
			if strings.Contains(body, evil) || strings.Contains(body, "<b>bold</b>") {
				t.Fatalf("unescaped user text on %s", path)
			}
			if path != "/" && !strings.Contains(body, "&lt;script&gt;alert(1)&lt;/script&gt;") {
				t.Fatalf("escaped name missing on %s", path)
			}
		})
	}
}

func TestWritesNeedCSRF(t *testing.T) {
	app := newApp(t)
	editor := app.signIn("editor")
	good := editor.csrf()
	cases := []struct {
		name   string
		token  string
		status int
	}{
		{"missing", "", http.StatusForbidden},
		{"wrong", strings.Repeat("0", len(good)), http.StatusForbidden},
		{"another session's", app.signIn("editor").csrf(), http.StatusForbidden},
		{"right", good, http.StatusSeeOther},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			name := "Party " + tc.name
			form := url.Values{"name": {name}}
			if tc.token != "" {
				form.Set("csrf", tc.token)
			}
			res := editor.post("/parties/new", form)
			if res.status != tc.status {
				t.Fatalf("status %d, want %d", res.status, tc.status)
			}
			created := app.find(domain.KindParty, func(r domain.Resource) bool { return r.(*domain.Party).Name == name }) != nil
			if created != (tc.status == http.StatusSeeOther) {
				t.Fatalf("created = %v", created)
			}
		})
	}
}

func TestViewerSeesNoEditingAndCannotWrite(t *testing.T) {
	app := newApp(t)
	viewer := app.signIn("viewer")
	editor := app.signIn("editor")
	demand := app.find(domain.KindDemand, func(domain.Resource) bool { return true }).Base().ID
	pages := []string{"/", "/parties", "/negotiations/" + app.negotiation, "/demands/" + demand, "/negotiations/" + app.negotiation + "/matrix"}
	for _, p := range pages {
		_, vbody, _ := viewer.get(p)
		_, ebody, _ := editor.get(p)
		for _, control := range []string{"/edit\"", "/delete\"", "/new"} {
			if strings.Contains(vbody, control) {
				t.Errorf("%s shows the viewer an editing control %q", p, control)
			}
		}
		if p != "/negotiations/"+app.negotiation+"/matrix" && !strings.Contains(ebody, "/edit\"") && !strings.Contains(ebody, "/new") {
			t.Errorf("%s shows the editor no editing control", p)
		}
	}
	writes := []struct {
		method, path string
	}{
		{http.MethodGet, "/parties/new"},
		{http.MethodGet, "/demands/" + demand + "/edit"},
		{http.MethodGet, "/demands/" + demand + "/delete"},
		{http.MethodPost, "/parties/new"},
		{http.MethodPost, "/demands/" + demand + "/edit"},
		{http.MethodPost, "/demands/" + demand + "/delete"},
	}
	token := viewer.csrf()
	for _, w := range writes {
		var status int
		var body string
		if w.method == http.MethodGet {
			status, body, _ = viewer.get(w.path)
		} else {
			res := viewer.post(w.path, url.Values{"csrf": {token}, "name": {"Viewer party"}, "title": {"changed"}, "version": {"1"}})
			status, body = res.status, res.body
		}
		if status != http.StatusForbidden || !strings.Contains(body, "Not allowed") {
			t.Errorf("%s %s by viewer: %d", w.method, w.path, status)
		}
	}
	if app.find(domain.KindParty, func(r domain.Resource) bool { return r.(*domain.Party).Name == "Viewer party" }) != nil {
		t.Error("the viewer's party was created")
	}
	if _, err := app.store.Get(context.Background(), domain.KindDemand, demand); err != nil {
		t.Errorf("the viewer's delete went through: %v", err)
	}
}

func TestRefusedFormShowsErrorBesideFieldAndKeepsInput(t *testing.T) {
	app := newApp(t)
	editor := app.signIn("editor")
	ukraine, topic := app.partyID("Ukraine"), app.topicID("ceasefire")
	cases := []struct {
		name      string
		change    func(url.Values)
		inputID   string
		wantError string
		keep      string
	}{
		{"missing title", func(v url.Values) { v.Del("title") }, "f-title", "is required", "Details the analyst typed &amp; kept"},
		{"bad date", func(v url.Values) { v.Set("stated_on", "16 May") }, "f-stated-on", "10 Jan 2025 or 2025-01-10", "16 May"},
		{"script URL in a citation", func(v url.Values) { v.Set("citations[0].url", "javascript:alert(1)") }, "f-citations-0-url", "http or https", "javascript:alert(1)"},
		{"citation without url or title", func(v url.Values) {
			v.Set("citations[0].url", "")
			v.Set("citations[0].title", "")
			v.Set("citations[0].publisher", "Reuters")
		}, "f-citations-0-title", "url or a title", "Reuters"},
		{"term without value", func(v url.Values) { v.Set("terms", "duration_days = 30\nunconditional") }, "f-terms", "line 2", "duration_days = 30"},
		{"bad credibility", func(v url.Values) { v.Set("citations[0].credibility", "9") }, "f-citations-0-credibility", "must be one of", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			form := url.Values{
				"csrf": {editor.csrf()}, "negotiation_id": {app.negotiation}, "negotiation": {app.negotiation},
				"party_id": {ukraine}, "topic_id": {topic}, "title": {"A title"}, "stated_on": {"2025-05-17"},
				"details": {"Details the analyst typed & kept"}, "status": {"tabled"}, "priority": {"normal"},
				"citations[0].title": {"A report"}, "citations[0].url": {"https://example.org/a"},
			}
			tc.change(form)
			res := editor.post("/demands/new", form)
			if res.status != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422", res.status)
			}
			if got := errorBeside(res.body, tc.inputID); !strings.Contains(got, tc.wantError) {
				t.Fatalf("error beside %s = %q, want it to mention %q", tc.inputID, got, tc.wantError)
			}
			if !strings.Contains(res.body, `href="#`+tc.inputID+`"`) {
				t.Errorf("error summary does not link to %s", tc.inputID)
			}
			if tc.keep != "" && !strings.Contains(res.body, tc.keep) {
				t.Errorf("typed text %q not kept", tc.keep)
			}
		})
	}
	t.Run("a duplicate name lands beside the name", func(t *testing.T) {
		res := editor.post("/parties/new", url.Values{"csrf": {editor.csrf()}, "name": {"UKRAINE"}, "notes": {"kept note"}})
		if res.status != http.StatusConflict || errorBeside(res.body, "f-name") == "" || !strings.Contains(res.body, "kept note") {
			t.Fatalf("duplicate: %d, error beside name %q", res.status, errorBeside(res.body, "f-name"))
		}
	})
	t.Run("a refusal by the store lands beside its field", func(t *testing.T) {
		// Only the store knows that Ukraine made this demand and so cannot
		// object to it.
		demand := app.find(domain.KindDemand, func(r domain.Resource) bool { return r.(*domain.Demand).PartyID == ukraine })
		form := url.Values{"csrf": {editor.csrf()}, "demand_id": {demand.Base().ID}, "party_id": {ukraine}, "grounds": {"Objecting to ourselves"}, "stated_on": {"2025-05-17"}}
		res := editor.post("/objections/new", form)
		if res.status != http.StatusUnprocessableEntity || errorBeside(res.body, "f-party-id") == "" {
			t.Fatalf("self-objection: %d, error beside party %q", res.status, errorBeside(res.body, "f-party-id"))
		}
		if !strings.Contains(res.body, "Objecting to ourselves") {
			t.Error("grounds not kept")
		}
	})
}

func TestStaleEditSaysSomeoneElseSavedFirst(t *testing.T) {
	app := newApp(t)
	editor := app.signIn("editor")
	id := app.partyID("Turkey")
	_, page, _ := editor.get("/parties/" + id + "/edit")
	if !strings.Contains(page, `name="version" value="1"`) {
		t.Fatalf("edit form lacks the version shown")
	}
	// Someone else saves first.
	if _, err := app.store.Update(context.Background(), "colleague", domain.KindParty, id, 1, domain.Dating{}, func(r domain.Resource) (domain.Resource, error) {
		r.(*domain.Party).Notes = "Their note"
		return r, nil
	}); err != nil {
		t.Fatal(err)
	}
	res := editor.post("/parties/"+id+"/edit", url.Values{"csrf": {csrfOf(t, page)}, "version": {"1"}, "name": {"Türkiye"}, "kind": {"state"}, "notes": {"My own careful note"}})
	if res.status != http.StatusPreconditionFailed {
		t.Fatalf("status %d, want 412", res.status)
	}
	for _, want := range []string{"Someone else saved this first", "colleague", "Their note", "My own careful note", `name="version" value="2"`,
		// Only the notes collided; the new name is carried into the form.
		`id="conflict-notes"`, `name="name" id="f-name" value="Türkiye"`, "with your changes to Name"} {
		if !strings.Contains(res.body, want) {
			t.Errorf("stale page lacks %q", want)
		}
	}
	if n := strings.Count(res.body, `<tr id="conflict-`); n != 1 {
		t.Errorf("the stale page lists %d colliding fields, want the notes alone", n)
	}
	r, err := app.store.Get(context.Background(), domain.KindParty, id)
	if err != nil {
		t.Fatal(err)
	}
	if p := r.(*domain.Party); p.Notes != "Their note" || p.Name != "Turkey" || p.Version != 2 {
		t.Fatalf("the stale edit changed the party: %+v", p)
	}
}

func TestDeleteConfirmsAndRefusalNamesReferrers(t *testing.T) {
	app := newApp(t)
	editor := app.signIn("editor")
	ukraine := app.partyID("Ukraine")
	status, page, _ := editor.get("/parties/" + ukraine + "/delete")
	if status != http.StatusOK || !strings.Contains(page, "Delete party") {
		t.Fatalf("confirmation page: %d", status)
	}
	res := editor.post("/parties/"+ukraine+"/delete", url.Values{"csrf": {csrfOf(t, page)}, "version": {"1"}})
	if res.status != http.StatusConflict {
		t.Fatalf("status %d, want 409", res.status)
	}
	for _, want := range []string{"still refer to it", "Immediate, unconditional 30-day ceasefire", "demand:", "negotiation:"} {
		if !strings.Contains(res.body, want) {
			t.Errorf("refusal lacks %q", want)
		}
	}
	// A topic without demands goes, with a message on the next page.
	res = editor.post("/topics/new", url.Values{"csrf": {editor.csrf()}, "negotiation_id": {app.negotiation}, "title": {"Energy infrastructure"}, "sort_order": {"9"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("create topic: %d %s", res.status, res.body)
	}
	topic := app.topicID("Energy infrastructure")
	res = editor.post("/topics/"+topic+"/delete", url.Values{"csrf": {editor.csrf()}, "version": {"1"}})
	if res.status != http.StatusSeeOther || res.header.Get("Location") != "/negotiations/"+app.negotiation {
		t.Fatalf("delete topic: %d %q", res.status, res.header.Get("Location"))
	}
	if _, err := app.store.Get(context.Background(), domain.KindTopic, topic); err == nil {
		t.Fatal("topic still there")
	}
	_, body, _ := editor.get("/negotiations/" + app.negotiation)
	if !strings.Contains(body, "Deleted the topic") {
		t.Error("no confirmation message after delete")
	}
}

// TestJunkFormsNeverFail posts nonsense in every field of every form: the
// answer is a refusal, never a server error.
func TestJunkFormsNeverFail(t *testing.T) {
	app := newApp(t)
	editor := app.signIn("editor")
	token := editor.csrf()
	junk := []string{"", " ", "not-a-uuid", "99999999999999999999999", "-1", "\x00\xff", strings.Repeat("é", 30000),
		"0190f0f0-0000-7000-8000-000000000000", "javascript:alert(1)", "a = ", "= 1\n==\n[]", "true", app.negotiation}
	for _, k := range domain.Kinds {
		for i, v := range junk {
			form := url.Values{"csrf": {token}, "negotiation": {v}, "version": {v}}
			for _, f := range domain.FieldNames(k) {
				form.Set(f, v)
			}
			for _, sub := range []string{"participants[0].party_id", "participants[0].role", "participants[7].role", "citations[0].url", "citations[0].credibility", "citations[0].published_at",
				"effective_on", "effective_round", "change_note", "change_citations[0].url", "change_citations[0].credibility", "change_citations[3].published_at"} {
				form.Set(sub, v)
			}
			for _, path := range []string{"/" + string(k) + "/new", "/" + string(k) + "/" + app.negotiation + "/edit", "/" + string(k) + "/" + app.negotiation + "/delete"} {
				if res := editor.post(path, form); res.status >= 500 {
					t.Errorf("%s with junk %d: %d", path, i, res.status)
				}
			}
		}
	}
}
