package ui_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"syscall"
	"testing"
	"time"

	"github.com/parley/parley/api"
	"github.com/parley/parley/domain"
	"github.com/parley/parley/report/reporttest"
	"github.com/parley/parley/server"
	"github.com/parley/parley/store"
	"github.com/parley/parley/store/storetest"
	"github.com/parley/parley/ui"
)

// BenchmarkCOP loads a conference-scale negotiation (200 parties, 120
// topics, 12,000 demands, 24,000 objections and endorsements; about a
// minute) with a bloc of 130 of the parties stating a position on every
// topic, then measures what a request costs on the server: the matrix API
// in full and compact form, grouped by bloc, and the overview page. Each
// reports the bytes it answers (B/resp).
func BenchmarkCOP(b *testing.B) {
	srv, st, neg := copServer(b)
	_, token := storetest.User(b, st, "viewer")
	session := signInFor(b, srv.URL, st)

	get := func(b *testing.B, c *http.Client, path string, auth bool) int {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
		if auth {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		res, err := c.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		n, _ := io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			b.Fatalf("GET %s: %d", path, res.StatusCode)
		}
		return int(n)
	}
	// An analyst's edit just before the view: the kept snapshot is
	// brought up to date with it (the write itself is not timed).
	demand := firstDemand(b, st, neg)
	edits := 0
	var editCPU time.Duration
	edit := func(b *testing.B) {
		b.StopTimer()
		start := processCPU()
		defer func() { editCPU += processCPU() - start }()
		edits++
		if _, err := st.Update(context.Background(), "benchmark", domain.KindDemand, demand, 0, domain.Dating{}, func(cur domain.Resource) (domain.Resource, error) {
			cur.(*domain.Demand).Title = fmt.Sprintf("Edited %d times", edits)
			return cur, nil
		}); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
	for _, bc := range []struct {
		name, path string
		api        bool
		afterEdit  bool
	}{
		{"matrix_api_full", "/api/v1/negotiations/" + neg + "/matrix", true, false},
		{"matrix_api_compact", "/api/v1/negotiations/" + neg + "/matrix?compact=true", true, false},
		{"matrix_api_bloc_compact", "/api/v1/negotiations/" + neg + "/matrix?compact=true&group_by=bloc", true, false},
		{"matrix_api_contested_topics", "/api/v1/negotiations/" + neg + "/matrix?compact=true&state=contested&role=principal", true, false},
		{"matrix_page", "/negotiations/" + neg + "/matrix", false, false},
		{"matrix_page_bloc", "/negotiations/" + neg + "/matrix?group_by=bloc", false, false},
		{"overview_page", "/negotiations/" + neg, false, false},
		{"matrix_page_after_edit", "/negotiations/" + neg + "/matrix", false, true},
		{"overview_page_after_edit", "/negotiations/" + neg, false, true},
	} {
		b.Run(bc.name, func(b *testing.B) {
			c := session
			if bc.api {
				c = http.DefaultClient
			}
			var size int
			editCPU = 0
			cpu := processCPU()
			for b.Loop() {
				if bc.afterEdit {
					edit(b)
				}
				size = get(b, c, bc.path, bc.api)
			}
			b.ReportMetric(float64(size), "B/resp")
			// Wall time is what a reader waits; on a shared, loaded
			// machine the CPU the process spent says more about the code.
			b.ReportMetric(float64((processCPU()-cpu-editCPU).Milliseconds())/float64(b.N), "cpu-ms/op")
		})
	}
}

// copServer loads the conference-scale negotiation with its bloc of 130
// (about a minute) and serves it; it returns the server, its store and the
// negotiation's id.
func copServer(b *testing.B) (*httptest.Server, *store.Store, string) {
	b.Helper()
	ctx := context.Background()
	st := storetest.Open(b)
	start := time.Now()
	snap := reporttest.Generate(reporttest.COP, 1)
	neg, err := reporttest.Load(ctx, st, snap)
	if err != nil {
		b.Fatal(err)
	}
	if err := addBloc(ctx, st, neg, 130); err != nil {
		b.Fatal(err)
	}
	b.Logf("loaded in %s", time.Since(start).Round(time.Second))
	srv := httptest.NewServer(server.New(st, api.Options{RateLimit: -1}, ui.Options{}))
	b.Cleanup(srv.Close)
	return srv, st, neg
}

// processCPU is the user and system CPU time this process has used.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// addBloc makes a bloc of the first n participants a participant itself,
// with a demand on every topic, so that inheritance is measured too.
func addBloc(ctx context.Context, st domain.Store, neg string, n int) error {
	r, err := st.Get(ctx, domain.KindNegotiation, neg)
	if err != nil {
		return err
	}
	ng := r.(*domain.Negotiation)
	bloc := &domain.Party{Name: "Group of 130", PartyKind: "bloc"}
	for _, p := range ng.Participants[:n] {
		bloc.Members = append(bloc.Members, domain.Membership{PartyID: p.PartyID})
	}
	if err := st.Create(ctx, "benchmark", bloc, domain.Dating{}); err != nil {
		return err
	}
	if _, err := st.Update(ctx, "benchmark", domain.KindNegotiation, neg, 0, domain.Dating{}, func(cur domain.Resource) (domain.Resource, error) {
		c := cur.(*domain.Negotiation)
		c.Participants = append(c.Participants, domain.Participant{PartyID: bloc.ID, Role: "principal"})
		return c, nil
	}); err != nil {
		return err
	}
	page, err := st.List(ctx, domain.ListQuery{Kind: domain.KindTopic, Refs: map[string]string{"negotiation_id": neg}, Limit: 500})
	if err != nil {
		return err
	}
	for i, t := range page.Items {
		d := &domain.Demand{NegotiationID: neg, PartyID: bloc.ID, TopicID: t.Base().ID, Title: fmt.Sprintf("The group's position %d", i+1), StatedOn: "2025-11-12"}
		if err := st.Create(ctx, "benchmark", d, domain.Dating{}); err != nil {
			return err
		}
	}
	return nil
}

// firstDemand is the id of one of the negotiation's demands.
func firstDemand(b *testing.B, st *store.Store, neg string) string {
	b.Helper()
	page, err := st.List(context.Background(), domain.ListQuery{Kind: domain.KindDemand, Refs: map[string]string{"negotiation_id": neg}, Limit: 1})
	if err != nil || len(page.Items) == 0 {
		b.Fatalf("no demand to edit: %v", err)
	}
	return page.Items[0].Base().ID
}

// signInFor signs a new viewer in through the form and returns its client.
func signInFor(b testing.TB, base string, st *store.Store) *http.Client {
	b.Helper()
	username, _ := storetest.User(b, st, "viewer")
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.Get(base + "/login")
	if err != nil {
		b.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	m := csrfPattern.FindStringSubmatch(string(body))
	if m == nil {
		b.Fatal("no CSRF token on the sign-in page")
	}
	res, err = c.PostForm(base+"/login", url.Values{"username": {username}, "password": {storetest.Password}, "csrf": {m[1]}})
	if err != nil {
		b.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		b.Fatalf("sign in: %d", res.StatusCode)
	}
	return c
}
