package api_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/parley/parley/api"
	"github.com/parley/parley/auth"
	"github.com/parley/parley/domain"
	"github.com/parley/parley/server"
	"github.com/parley/parley/store/storetest"
	"github.com/parley/parley/ui"
)

// TestStrictJSONBodies: a body that another reader (a proxy, a firewall)
// could take for something else than parley does is refused whole with a
// 400 that says why, and nothing is stored.
func TestStrictJSONBodies(t *testing.T) {
	e := newEnv(t)
	w := e.world()
	tests := []struct {
		name   string
		method string
		path   string
		token  string
		body   string
		ctype  string
		detail string // a part of the problem's detail
		field  string // the field the problem names, if any
	}{
		{"a key twice", "POST", "/api/v1/parties", e.editor, `{"name":"Chad","name":"Niger"}`, "", `the key "name" appears twice in the request body`, "name"},
		{"a key twice, once escaped", "POST", "/api/v1/parties", e.editor, `{"name":"Chad","n\u0061me":"Niger"}`, "", `the key "name" appears twice`, "name"},
		{"a key twice in a citation", "PATCH", path(domain.KindDemand, w.Demand), e.editor,
			`{"citations":[{"title":"a"},{"title":"b","url":"https://example.org","title":"c"}]}`, "", `appears twice in citations[1]`, "citations[1].title"},
		{"a key twice in terms", "PATCH", path(domain.KindDemand, w.Demand), e.editor, `{"terms":{"days":30,"days":60}}`, "", `appears twice in terms`, "terms.days"},
		{"a key twice in a merge patch", "PATCH", path(domain.KindParty, w.PartyA), e.editor, `{"notes":"a","notes":"b"}`, "application/merge-patch+json", `the key "notes" appears twice`, "notes"},
		{"a key twice in a sign-in", "POST", "/api/v1/auth/login", "", `{"username":"x","password":"a","password":"b"}`, "", `the key "password" appears twice`, "password"},
		{"a key twice in a new user", "POST", "/api/v1/users", e.admin, `{"username":"li","password":"long enough","role":"viewer","role":"admin"}`, "", `the key "role" appears twice`, "role"},
		{"bytes that are not UTF-8", "POST", "/api/v1/parties", e.editor, "{\"name\":\"Ch\xe4d\"}", "", "not valid UTF-8 (at byte 11)", ""},
		{"a lone surrogate", "POST", "/api/v1/parties", e.editor, `{"name":"Chad \ud800"}`, "", "half a UTF-16 surrogate pair", ""},
		{"a lone low surrogate", "POST", "/api/v1/parties", e.editor, `{"name":"Chad \udc00\ud800"}`, "", "half a UTF-16 surrogate pair", ""},
		{"a charset other than UTF-8", "POST", "/api/v1/parties", e.editor, `{"name":"Chad"}`, "application/json; charset=iso-8859-1", `charset is "iso-8859-1"`, ""},
		{"UTF-16 claimed", "POST", "/api/v1/auth/login", "", `{"username":"x","password":"y"}`, "application/json; charset=utf-16", `charset is "utf-16"`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := e.with(t).do(req{Method: tt.method, Path: tt.path, Token: tt.token, Body: tt.body, Type: tt.ctype})
			wantProblem(t, got, http.StatusBadRequest)
			if !strings.Contains(got.str("detail"), tt.detail) {
				t.Errorf("detail %q does not say %q", got.str("detail"), tt.detail)
			}
			if tt.field != "" && !errorFields(got)[tt.field] {
				t.Errorf("the problem does not name %s: %s", tt.field, got.Body)
			}
		})
	}
	for _, q := range []string{"chad", "niger"} {
		if items := e.must(http.StatusOK, req{Method: "GET", Path: "/api/v1/parties?q=" + q, Token: e.viewer}).items(); len(items) != 0 {
			t.Errorf("a refused party was stored: %v", items)
		}
	}
	for _, k := range []domain.Kind{domain.KindDemand, domain.KindParty} {
		if v := e.must(http.StatusOK, req{Method: "GET", Path: path(k, w.IDs[k]), Token: e.viewer}).JSON["version"]; v != float64(1) {
			t.Errorf("the %s changed after refused patches: version %v", k.Singular(), v)
		}
	}

	// What is well formed still passes: a surrogate pair, the same key in
	// different objects, charset=utf-8 in any case.
	e.must(http.StatusCreated, req{Method: "POST", Path: "/api/v1/parties", Token: e.editor,
		Body: `{"name":"Emoji \ud83d\ude00 land"}`, Type: "application/json; charset=UTF-8"})
	e.must(http.StatusCreated, req{Method: "POST", Path: "/api/v1/parties", Token: e.editor,
		Body: `{"name":"Chad","notes":"Tchad"}`, Type: "application/json;charset=utf-8"})
	e.must(http.StatusOK, req{Method: "PATCH", Path: path(domain.KindDemand, w.Demand), Token: e.editor,
		Body: `{"citations":[{"title":"a","url":"https://example.org/a"},{"title":"b","url":"https://example.org/b"}]}`})
}

// TestSessionIsNoBearerToken: a browser session cannot be used as an API
// token, nor an API token as a browser session (see ui's tests); an API
// token of the same user works.
func TestSessionIsNoBearerToken(t *testing.T) {
	e := newEnv(t)
	u, err := e.store.CreateUser(t.Context(), "ana", "$2a$04$irrelevantirrelevantirrelevantirrelevantirrelevantirr", "admin")
	if err != nil {
		t.Fatal(err)
	}
	tokens := map[string]string{}
	for _, kind := range []string{domain.TokenAPI, domain.TokenSession} {
		token, hash, err := auth.NewToken()
		if err != nil {
			t.Fatal(err)
		}
		if err := e.store.CreateToken(t.Context(), u.ID, hash, kind, time.Now().Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		tokens[kind] = token
	}
	e.must(http.StatusOK, req{Method: "GET", Path: "/api/v1/users", Token: tokens[domain.TokenAPI]})
	wantProblem(t, e.do(req{Method: "GET", Path: "/api/v1/users", Token: tokens[domain.TokenSession]}), http.StatusUnauthorized)
	wantProblem(t, e.do(req{Method: "POST", Path: "/api/v1/auth/logout", Token: tokens[domain.TokenSession]}), http.StatusUnauthorized)
}

// TestHSTS: Strict-Transport-Security goes with every response over TLS,
// said to be over TLS by a proxy, or, with HTTPSOnly, always; never over
// plain HTTP otherwise, where it would not be heeded anyway.
func TestHSTS(t *testing.T) {
	s := storetest.Open(t)
	tests := []struct {
		name      string
		httpsOnly bool
		target    string
		forwarded string
		want      bool
	}{
		{"plain HTTP", false, "http://parley.example", "", false},
		{"TLS", false, "https://parley.example", "", true},
		{"a TLS proxy that says so", false, "http://parley.example", "https", true},
		{"a proxy that says http", false, "http://parley.example", "http", false},
		{"HTTPSOnly behind a TLS proxy that says nothing", true, "http://parley.example", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := server.New(s, api.Options{RateLimit: -1, HTTPSOnly: tt.httpsOnly}, ui.Options{})
			for _, p := range []string{"/healthz", "/api/v1/openapi.json", "/api/v1/parties", "/api/v1/nothing"} {
				r := httptest.NewRequest(http.MethodGet, tt.target+p, nil)
				if tt.forwarded != "" {
					r.Header.Set("X-Forwarded-Proto", tt.forwarded)
				}
				rec := httptest.NewRecorder()
				e.ServeHTTP(rec, r)
				if got := rec.Header().Get("Strict-Transport-Security"); (got == "max-age=31536000") != tt.want || (got != "" && !tt.want) {
					t.Errorf("%s: Strict-Transport-Security %q, want it: %v", p, got, tt.want)
				}
			}
		})
	}
}

// TestAsOfYearOne: the first instant of year 1 is a time before every
// negotiation, not the zero time that stands for "now".
func TestAsOfYearOne(t *testing.T) {
	e := newEnv(t)
	w := e.world()
	n := "/api/v1/negotiations/" + w.Negotiation
	for _, asOf := range []string{"0001-01-01", "0001-01-01T00:00:00Z"} {
		for _, p := range []string{"/matrix?as_of=", "/report?format=json&as_of="} {
			t.Run(p+asOf, func(t *testing.T) {
				wantProblem(t, e.with(t).do(req{Method: "GET", Path: n + p + asOf, Token: e.viewer}), http.StatusNotFound)
			})
		}
	}
	e.must(http.StatusOK, req{Method: "GET", Path: n + "/matrix?as_of=2025-05-16", Token: e.viewer})
}
