package api_test

import (
	"bufio"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/parley/parley/api"
	"github.com/parley/parley/domain"
	"github.com/parley/parley/server"
	"github.com/parley/parley/store/storetest"
	"github.com/parley/parley/ui"
)

// metricsEnv is a server with pool statistics wired in, as main.go does.
func metricsEnv(t *testing.T, token string) *env {
	t.Helper()
	s := storetest.Open(t)
	_, editor := storetest.User(t, s, "editor")
	e := server.New(s, api.Options{RateLimit: -1, DBStats: s.DBStats, MetricsToken: token}, ui.Options{})
	return &env{t: t, store: s, e: e, editor: editor}
}

// scrape fetches /metrics and returns each sample line's value by its
// series ("name{label=…}"), as Prometheus would read it.
func scrape(t *testing.T, e *env, token string) map[string]float64 {
	t.Helper()
	got := e.must(http.StatusOK, req{Method: "GET", Path: "/metrics", Headers: map[string]string{"Authorization": "Bearer " + token}})
	if ct := got.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
		t.Fatalf("Content-Type %q, want the text exposition format", ct)
	}
	samples := map[string]float64{}
	sc := bufio.NewScanner(strings.NewReader(string(got.Body)))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err != nil {
			t.Fatalf("unparsable sample %q: %v", line, err)
		}
		samples[line[:i]] = v
	}
	return samples
}

// TestMetrics: after a few requests /metrics counts them by route template
// and status, times them by route, shows the request in flight and the
// database pools.
func TestMetrics(t *testing.T) {
	e := metricsEnv(t, "")
	party := e.create(domain.KindParty, map[string]any{"name": "Ukraine"})
	id := party["id"].(string)
	e.must(http.StatusOK, req{Method: "GET", Path: path(domain.KindParty, id), Token: e.editor})
	e.must(http.StatusOK, req{Method: "GET", Path: path(domain.KindParty, id), Token: e.editor})
	e.must(http.StatusNotFound, req{Method: "GET", Path: path(domain.KindParty, newID()), Token: e.editor})
	e.must(http.StatusUnauthorized, req{Method: "GET", Path: path(domain.KindParty, id)})
	e.must(http.StatusNotFound, req{Method: "GET", Path: "/no/such/" + id})
	e.do(req{Method: "FROB", Path: "/healthz"})

	samples := scrape(t, e, "")
	// SQLite has one writer connection beside a read pool; PostgreSQL one
	// shared pool of ten.
	writer, reader, writerMax := "writer", "reader", 1.0
	if e.store.Dialect() == "postgres" {
		writer, reader, writerMax = "pool", "pool", 10
	}
	cases := []struct {
		series string
		want   float64
	}{
		{`parley_http_requests_total{method="POST",route="/api/v1/parties",status="201"}`, 1},
		{`parley_http_requests_total{method="GET",route="/api/v1/parties/:id",status="200"}`, 2},
		{`parley_http_requests_total{method="GET",route="/api/v1/parties/:id",status="404"}`, 1},
		{`parley_http_requests_total{method="GET",route="/api/v1/parties/:id",status="401"}`, 1},
		{`parley_http_requests_total{method="GET",route="unmatched",status="404"}`, 1},
		{`parley_http_requests_total{method="OTHER",route="/healthz",status="405"}`, 1},
		{`parley_http_request_duration_seconds_count{method="GET",route="/api/v1/parties/:id"}`, 4},
		{`parley_http_request_duration_seconds_bucket{method="POST",route="/api/v1/parties",le="+Inf"}`, 1},
		// The scrape itself is being served while the gauge is read.
		{`parley_http_requests_in_flight`, 1},
		{`parley_db_max_open_connections{pool="` + writer + `"}`, writerMax},
	}
	for _, tc := range cases {
		t.Run(tc.series, func(t *testing.T) {
			got, ok := samples[tc.series]
			if !ok {
				t.Fatalf("no series %s", tc.series)
			}
			if got != tc.want {
				t.Fatalf("%s = %v, want %v", tc.series, got, tc.want)
			}
		})
	}
	for _, series := range []string{
		`parley_db_open_connections{pool="` + reader + `"}`,
		`parley_db_wait_count_total{pool="` + writer + `"}`,
		`go_goroutines`,
	} {
		if _, ok := samples[series]; !ok {
			t.Errorf("no series %s", series)
		}
	}
	// Route labels are templates: no id a client sent becomes a label.
	for series := range samples {
		if strings.Contains(series, id) || strings.Contains(series, "/no/such") || strings.Contains(series, "FROB") {
			t.Errorf("a raw URL or method leaked into a label: %s", series)
		}
	}
}

// TestMetricsCountsFromZero: each server has a registry of its own, so a
// second server in the same process neither panics on registration nor
// inherits the first one's counts.
func TestMetricsCountsFromZero(t *testing.T) {
	first := metricsEnv(t, "")
	first.must(http.StatusOK, req{Method: "GET", Path: "/healthz"})
	second := metricsEnv(t, "")
	if n, ok := scrape(t, second, "")[`parley_http_requests_total{method="GET",route="/healthz",status="200"}`]; ok {
		t.Fatalf("a new server starts with %v /healthz requests counted", n)
	}
}

// TestMetricsToken: with a token configured, /metrics answers only to it.
func TestMetricsToken(t *testing.T) {
	e := metricsEnv(t, "scrape-secret")
	cases := []struct {
		name   string
		header string
		want   int
	}{
		{"no header", "", http.StatusUnauthorized},
		{"wrong token", "Bearer nope", http.StatusUnauthorized},
		{"token as prefix", "Bearer scrape-secret-and-more", http.StatusUnauthorized},
		{"not bearer", "Basic c2NyYXBlLXNlY3JldA==", http.StatusUnauthorized},
		{"right token", "Bearer scrape-secret", http.StatusOK},
		{"scheme in any case", "bearer scrape-secret", http.StatusOK},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := req{Method: "GET", Path: "/metrics"}
			if tc.header != "" {
				r.Headers = map[string]string{"Authorization": tc.header}
			}
			got := e.with(t).do(r)
			if tc.want == http.StatusUnauthorized {
				wantProblem(t, got, http.StatusUnauthorized)
				if got.Header.Get("WWW-Authenticate") == "" {
					t.Fatal("401 without WWW-Authenticate")
				}
				if strings.Contains(string(got.Body), "parley_http") {
					t.Fatal("metrics sent without the token")
				}
				return
			}
			if got.Code != tc.want || !strings.Contains(string(got.Body), "parley_http_requests_in_flight") {
				t.Fatalf("status %d: %.200s", got.Code, got.Body)
			}
		})
	}
}
