package api_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/parley/parley/api"
	"github.com/parley/parley/server"
	"github.com/parley/parley/store/storetest"
	"github.com/parley/parley/ui"
)

// limitedEnv is a server whose clients may make burst requests at once,
// refilled at rate per second.
func limitedEnv(t *testing.T, opts api.Options) *env {
	t.Helper()
	s := storetest.Open(t)
	_, viewer := storetest.User(t, s, "viewer")
	return &env{t: t, store: s, e: server.New(s, opts, ui.Options{}), viewer: viewer}
}

// TestRateLimit: past its burst a client gets 429 problem+json with
// Retry-After, while other clients and the probes are unaffected.
func TestRateLimit(t *testing.T) {
	e := limitedEnv(t, api.Options{RateLimit: 1, RateBurst: 3})
	const client, other = "192.0.2.10:5000", "192.0.2.11:5000"
	list := req{Method: "GET", Path: "/api/v1/parties", Token: e.viewer, Remote: client}
	for i := range 3 {
		if got := e.do(list); got.Code != http.StatusOK {
			t.Fatalf("request %d of the burst: %d %s", i+1, got.Code, got.Body)
		}
	}
	refused := e.do(list)
	wantProblem(t, refused, http.StatusTooManyRequests)
	if ra, err := strconv.Atoi(refused.Header.Get("Retry-After")); err != nil || ra < 1 {
		t.Fatalf("Retry-After %q, want a positive number of seconds", refused.Header.Get("Retry-After"))
	}
	// Refused before authentication: a flood of bad tokens costs no lookups.
	wantProblem(t, e.do(req{Method: "GET", Path: "/api/v1/parties", Token: "bogus", Remote: client}), http.StatusTooManyRequests)

	cases := []struct {
		name string
		r    req
		want int
	}{
		{"another client", req{Method: "GET", Path: "/api/v1/parties", Token: e.viewer, Remote: other}, http.StatusOK},
		{"healthz exempt", req{Method: "GET", Path: "/healthz", Remote: client}, http.StatusOK},
		{"readyz exempt", req{Method: "GET", Path: "/readyz", Remote: client}, http.StatusOK},
		{"metrics exempt", req{Method: "GET", Path: "/metrics", Remote: client}, http.StatusOK},
		{"unknown route still limited", req{Method: "GET", Path: "/api/v1/nothing", Remote: client}, http.StatusTooManyRequests},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := e.with(t).do(tc.r); got.Code != tc.want {
				t.Fatalf("status %d, want %d: %s", got.Code, tc.want, got.Body)
			}
		})
	}
}

// TestRateLimitRefills: a refused client is served again once its bucket
// has refilled.
func TestRateLimitRefills(t *testing.T) {
	e := limitedEnv(t, api.Options{RateLimit: 50, RateBurst: 1})
	r := req{Method: "GET", Path: "/api/v1/nothing", Remote: "192.0.2.20:1"}
	if got := e.do(r); got.Code == http.StatusTooManyRequests {
		t.Fatal("first request refused")
	}
	if got := e.do(r); got.Code != http.StatusTooManyRequests {
		t.Fatalf("second request at once: %d, want 429", got.Code)
	}
	time.Sleep(60 * time.Millisecond) // three tokens' worth at 50/s
	if got := e.do(r); got.Code == http.StatusTooManyRequests {
		t.Fatal("still refused after the bucket refilled")
	}
}

// TestRateLimitClientAddress: the client is the peer address, or the
// X-Forwarded-For client behind a trusted proxy when TrustProxy is set;
// IPv6 clients count per /64; loopback clients are not limited.
func TestRateLimitClientAddress(t *testing.T) {
	cases := []struct {
		name          string
		trustProxy    bool
		first, second req
		secondLimited bool
	}{
		{"peers differ", false,
			req{Remote: "192.0.2.1:1"}, req{Remote: "192.0.2.2:1"}, false},
		{"same peer, other port", false,
			req{Remote: "192.0.2.1:1"}, req{Remote: "192.0.2.1:2"}, true},
		{"forwarded-for ignored without TrustProxy", false,
			req{Remote: "10.0.0.1:1", Headers: map[string]string{"X-Forwarded-For": "203.0.113.7"}},
			req{Remote: "10.0.0.1:2", Headers: map[string]string{"X-Forwarded-For": "203.0.113.8"}}, true},
		{"forwarded-for followed with TrustProxy", true,
			req{Remote: "10.0.0.1:1", Headers: map[string]string{"X-Forwarded-For": "203.0.113.7"}},
			req{Remote: "10.0.0.1:2", Headers: map[string]string{"X-Forwarded-For": "203.0.113.8"}}, false},
		{"same forwarded client through the proxy", true,
			req{Remote: "10.0.0.1:1", Headers: map[string]string{"X-Forwarded-For": "203.0.113.7"}},
			req{Remote: "10.0.0.1:2", Headers: map[string]string{"X-Forwarded-For": "203.0.113.7"}}, true},
		{"loopback peers are not limited", false,
			req{Remote: "127.0.0.1:1"}, req{Remote: "127.0.0.1:2"}, false},
		{"loopback through a trusted proxy is not limited", true,
			req{Remote: "10.0.0.1:1", Headers: map[string]string{"X-Forwarded-For": "::1"}},
			req{Remote: "10.0.0.1:2", Headers: map[string]string{"X-Forwarded-For": "::1"}}, false},
		{"IPv6 in one /64", false,
			req{Remote: "[2001:db8:1:2::1]:1"}, req{Remote: "[2001:db8:1:2:ffff::9]:1"}, true},
		{"IPv6 in another /64", false,
			req{Remote: "[2001:db8:1:2::1]:1"}, req{Remote: "[2001:db8:1:3::1]:1"}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := limitedEnv(t, api.Options{RateLimit: 0.001, RateBurst: 1, TrustProxy: tc.trustProxy})
			for _, r := range []*req{&tc.first, &tc.second} {
				r.Method, r.Path = "GET", "/api/v1/openapi.json"
			}
			if got := e.with(t).do(tc.first); got.Code != http.StatusOK {
				t.Fatalf("first client: %d", got.Code)
			}
			got := e.with(t).do(tc.second)
			if limited := got.Code == http.StatusTooManyRequests; limited != tc.secondLimited {
				t.Fatalf("second request: %d; limited as the first client's: %v, want %v", got.Code, limited, tc.secondLimited)
			}
		})
	}
}

// TestRateLimitDefault: the zero Options limit at DefaultRateLimit with a
// burst of three seconds' worth; a negative RateLimit turns limiting off.
func TestRateLimitDefault(t *testing.T) {
	cases := []struct {
		name    string
		limit   float64
		limited bool
	}{
		{"default", 0, true},
		{"off", -1, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := limitedEnv(t, api.Options{RateLimit: tc.limit})
			burst := 3 * api.DefaultRateLimit
			first429 := -1
			for i := range 4 * burst {
				got := e.with(t).do(req{Method: "GET", Path: "/api/v1/nothing", Remote: "192.0.2.30:1"})
				if got.Code == http.StatusTooManyRequests {
					first429 = i
					break
				}
			}
			switch {
			case !tc.limited && first429 >= 0:
				t.Fatalf("limiting is off, yet request %d was refused", first429+1)
			case tc.limited && first429 < 0:
				t.Fatalf("%d requests at once, none refused", 4*burst)
			case tc.limited && first429 < burst:
				t.Fatalf("refused at request %d, inside the burst of %d", first429+1, burst)
			}
		})
	}
}

// TestRateLimitPages: a page over the limit gets the UI's HTML error page
// with status 429 and Retry-After, not an API problem.
func TestRateLimitPages(t *testing.T) {
	s := storetest.Open(t)
	e := server.New(s, api.Options{RateLimit: 0.001, RateBurst: 1}, ui.Options{})
	en := &env{t: t, store: s, e: e}
	login := req{Method: "GET", Path: "/login", Remote: "192.0.2.40:1"}
	en.must(http.StatusOK, login)
	got := en.must(http.StatusTooManyRequests, login)
	if ct := got.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Fatalf("Content-Type %q, want the HTML error page", ct)
	}
	if got.Header.Get("Retry-After") == "" {
		t.Fatal("429 without Retry-After")
	}
}
