package api_test

import (
	"bytes"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/parley/parley/api"
	"github.com/parley/parley/server"
	"github.com/parley/parley/store/storetest"
	"github.com/parley/parley/ui"
)

// TestHeaders: security headers and the request id on every response,
// errors included; no-store on the API.
func TestHeaders(t *testing.T) {
	e := newEnv(t)
	cases := []struct {
		name    string
		r       req
		noStore bool
	}{
		{"api success", req{Method: "GET", Path: "/api/v1/parties", Token: e.viewer}, true},
		{"api 401", req{Method: "GET", Path: "/api/v1/parties"}, true},
		{"api 404", req{Method: "GET", Path: "/api/v1/nothing", Token: e.viewer}, true},
		{"healthz", req{Method: "GET", Path: "/healthz"}, false},
		{"unknown page", req{Method: "GET", Path: "/nowhere"}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := e.with(t).do(tc.r)
			for h, want := range map[string]string{"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer"} {
				if got.Header.Get(h) != want {
					t.Fatalf("%s: %q, want %q", h, got.Header.Get(h), want)
				}
			}
			if (got.Header.Get("Cache-Control") == "no-store") != tc.noStore {
				t.Fatalf("Cache-Control %q", got.Header.Get("Cache-Control"))
			}
			if got.Header.Get("X-Request-ID") == "" {
				t.Fatal("no X-Request-ID")
			}
		})
	}
	// A client's sane request id is kept; an unsafe one is replaced.
	kept := e.do(req{Method: "GET", Path: "/healthz", Headers: map[string]string{"X-Request-ID": "lb-1234.abc"}})
	if kept.Header.Get("X-Request-ID") != "lb-1234.abc" {
		t.Fatalf("request id %q not kept", kept.Header.Get("X-Request-ID"))
	}
	replaced := e.do(req{Method: "GET", Path: "/healthz", Headers: map[string]string{"X-Request-ID": "<script>"}})
	if replaced.Header.Get("X-Request-ID") == "<script>" {
		t.Fatal("unsafe request id echoed")
	}
}

// TestHealth: /healthz always answers; /readyz follows the database, and
// a broken database gives a generic 500 without driver text.
func TestHealth(t *testing.T) {
	s := storetest.Open(t)
	_, token := storetest.User(t, s, "viewer")
	var logs bytes.Buffer
	e := &env{t: t, store: s, e: server.New(s, api.Options{RateLimit: -1, Logger: slog.New(slog.NewJSONHandler(&logs, nil))}, ui.Options{})}

	if got := e.must(http.StatusOK, req{Method: "GET", Path: "/healthz"}); got.str("status") != "ok" {
		t.Fatalf("healthz: %s", got.Body)
	}
	e.must(http.StatusOK, req{Method: "GET", Path: "/readyz"})
	if !strings.Contains(logs.String(), `"route":"/readyz"`) || !strings.Contains(logs.String(), `"status":200`) {
		t.Fatalf("access log lacks route or status: %s", logs.String())
	}

	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	e.must(http.StatusOK, req{Method: "GET", Path: "/healthz"})
	wantProblem(t, e.do(req{Method: "GET", Path: "/readyz"}), http.StatusServiceUnavailable)
	broken := e.do(req{Method: "GET", Path: "/api/v1/parties", Token: token})
	wantProblem(t, broken, http.StatusInternalServerError)
	if strings.Contains(strings.ToLower(string(broken.Body)), "sql") {
		t.Fatalf("driver text reached the client: %s", broken.Body)
	}
}

// TestPanic: a panic becomes a logged 500 problem without the stack.
func TestPanic(t *testing.T) {
	s := storetest.Open(t)
	var logs bytes.Buffer
	srv := server.New(s, api.Options{RateLimit: -1, Logger: slog.New(slog.NewJSONHandler(&logs, nil))}, ui.Options{})
	srv.GET("/api/v1/test-panic", func(echo.Context) error { panic("secret internals") })
	e := &env{t: t, store: s, e: srv}
	got := e.do(req{Method: "GET", Path: "/api/v1/test-panic"})
	wantProblem(t, got, http.StatusInternalServerError)
	if strings.Contains(string(got.Body), "secret") || strings.Contains(string(got.Body), "goroutine") {
		t.Fatalf("panic text reached the client: %s", got.Body)
	}
	if !strings.Contains(logs.String(), "secret internals") {
		t.Fatal("panic not logged")
	}
}
