package ui_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync/atomic"
	"testing"
	"time"

	"github.com/parley/parley/api"
	"github.com/parley/parley/domain"
	"github.com/parley/parley/domain/demo"
	"github.com/parley/parley/server"
	"github.com/parley/parley/store/storetest"
	"github.com/parley/parley/ui"
)

// countingStore is the real store with a tally of the resource reads a page
// makes. Pages must make the same number whatever the size of the data; a
// count that grows with the rows is an N+1 query.
type countingStore struct {
	domain.Store
	calls atomic.Int64
}

func (s *countingStore) Get(ctx context.Context, k domain.Kind, id string) (domain.Resource, error) {
	s.calls.Add(1)
	return s.Store.Get(ctx, k, id)
}

func (s *countingStore) GetMany(ctx context.Context, k domain.Kind, ids []string) (map[string]domain.Resource, error) {
	s.calls.Add(1)
	return s.Store.GetMany(ctx, k, ids)
}

func (s *countingStore) Dependents(ctx context.Context, k domain.Kind, id string) ([]domain.Ref, []domain.Ref, error) {
	s.calls.Add(1)
	return s.Store.Dependents(ctx, k, id)
}

func (s *countingStore) List(ctx context.Context, q domain.ListQuery) (domain.Page, error) {
	s.calls.Add(1)
	return s.Store.List(ctx, q)
}

func (s *countingStore) History(ctx context.Context, k domain.Kind, id string) ([]domain.Revision, error) {
	s.calls.Add(1)
	return s.Store.History(ctx, k, id)
}

func (s *countingStore) Snapshot(ctx context.Context, id string, at domain.Moment) (*domain.Snapshot, error) {
	s.calls.Add(1)
	return s.Store.Snapshot(ctx, id, at)
}

func (s *countingStore) Changes(ctx context.Context, q domain.ChangesQuery) (domain.ChangesPage, error) {
	s.calls.Add(1)
	return s.Store.Changes(ctx, q)
}

func (s *countingStore) Timeline(ctx context.Context, id string, recordedAsOf time.Time) ([]domain.Revision, error) {
	s.calls.Add(1)
	return s.Store.Timeline(ctx, id, recordedAsOf)
}

func TestPagesReadTheStoreAFixedNumberOfTimes(t *testing.T) {
	ctx := context.Background()
	real := storetest.Open(t)
	neg, _, err := demo.Load(ctx, real, "demo")
	if err != nil {
		t.Fatal(err)
	}
	counted := &countingStore{Store: real}
	e := server.New(counted, api.Options{}, ui.Options{})
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	app := &testApp{t: t, url: srv.URL, store: real, negotiation: neg}
	editor := app.signIn("editor")

	ukraine := app.partyID("Ukraine")
	round := app.find(domain.KindRound, func(domain.Resource) bool { return true }).Base().ID
	topic := app.topicID("prisoners")
	demand := app.find(domain.KindDemand, func(r domain.Resource) bool { return r.(*domain.Demand).PartyID == ukraine }).Base().ID

	pages := []struct {
		name string
		want int
		load func() int
	}{
		{"negotiation list", http.StatusOK, func() int { s, _, _ := editor.get("/"); return s }},
		{"party list", http.StatusOK, func() int { s, _, _ := editor.get("/parties"); return s }},
		{"party list of one negotiation", http.StatusOK, func() int { s, _, _ := editor.get("/parties?negotiation=" + neg + "&sort=added"); return s }},
		{"overview", http.StatusOK, func() int { s, _, _ := editor.get("/negotiations/" + neg); return s }},
		{"matrix", http.StatusOK, func() int { s, _, _ := editor.get("/negotiations/" + neg + "/matrix"); return s }},
		{"report page", http.StatusOK, func() int { s, _, _ := editor.get("/negotiations/" + neg + "/report?since=2020-01-01"); return s }},
		{"demand page", http.StatusOK, func() int { s, _, _ := editor.get("/demands/" + demand); return s }},
		{"demand history", http.StatusOK, func() int { s, _, _ := editor.get("/demands/" + demand + "/history"); return s }},
		{"new demand form", http.StatusOK, func() int { s, _, _ := editor.get("/demands/new?negotiation_id=" + neg); return s }},
		// The dated views read the present (for the round pickers) and the
		// moment asked for; the edit forms offer the rounds to date a move.
		{"overview as of a round", http.StatusOK, func() int { s, _, _ := editor.get("/negotiations/" + neg + "?as_of_round=" + round); return s }},
		{"matrix as of a round, as recorded", http.StatusOK, func() int {
			s, _, _ := editor.get("/negotiations/" + neg + "/matrix?as_of_round=" + round + "&recorded_as_of=2099-01-01")
			return s
		}},
		{"report page as of a round", http.StatusOK, func() int {
			s, _, _ := editor.get("/negotiations/" + neg + "/report?as_of_round=" + round + "&since=2020-01-01")
			return s
		}},
		{"demand edit form", http.StatusOK, func() int { s, _, _ := editor.get("/demands/" + demand + "/edit"); return s }},
		{"negotiation edit form", http.StatusOK, func() int { s, _, _ := editor.get("/negotiations/" + neg + "/edit"); return s }},
		// The refusal names everything that refers to Ukraine. Reading the
		// form token (the negotiation list) is counted too, the same each time.
		{"refused party delete", http.StatusConflict, func() int {
			return editor.post("/parties/"+ukraine+"/delete", url.Values{"csrf": {editor.csrf()}, "version": {"1"}}).status
		}},
	}
	measure := func() map[string]int64 {
		out := map[string]int64{}
		for _, p := range pages {
			before := counted.calls.Load()
			if status := p.load(); status != p.want {
				t.Fatalf("%s: status %d, want %d", p.name, status, p.want)
			}
			out[p.name] = counted.calls.Load() - before
		}
		return out
	}
	small := measure()

	// Grow every collection the pages show, with many things that refer to
	// Ukraine and a demand whose references change in each revision.
	const n = 12
	for i := 0; i < n; i++ {
		p := &domain.Party{Name: fmt.Sprintf("Observer state %d", i)}
		mustCreate(t, real, p)
		mustCreate(t, real, &domain.Negotiation{Title: fmt.Sprintf("Side talks %d", i), Participants: []domain.Participant{{PartyID: ukraine, Role: "principal"}, {PartyID: p.ID, Role: "observer"}}})
		mustCreate(t, real, &domain.Delegation{RoundID: round, PartyID: ukraine, HeadName: fmt.Sprintf("Envoy %d", i)})
		tp := &domain.Topic{NegotiationID: neg, Title: fmt.Sprintf("Side topic %d", i)}
		mustCreate(t, real, tp)
		d := &domain.Demand{NegotiationID: neg, PartyID: ukraine, TopicID: tp.ID, Title: fmt.Sprintf("Side demand %d", i), StatedOn: "2025-05-16"}
		mustCreate(t, real, d)
		mustCreate(t, real, &domain.Endorsement{DemandID: demand, PartyID: app.partyID("United States"), StatedOn: "2025-05-16", Note: fmt.Sprint(i)})
		mustCreate(t, real, &domain.Objection{DemandID: d.ID, PartyID: app.partyID("Russia"), Grounds: fmt.Sprintf("Grounds %d", i), StatedOn: "2025-05-16"})
		// The demand moves from topic to topic: its history names each.
		if _, err := real.Update(ctx, "test", domain.KindDemand, demand, 0, domain.Dating{}, func(cur domain.Resource) (domain.Resource, error) {
			cur.(*domain.Demand).TopicID = tp.ID
			return cur, nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := real.Update(ctx, "test", domain.KindDemand, demand, 0, domain.Dating{}, func(cur domain.Resource) (domain.Resource, error) {
		cur.(*domain.Demand).TopicID = topic
		return cur, nil
	}); err != nil {
		t.Fatal(err)
	}
	large := measure()

	for _, p := range pages {
		if small[p.name] != large[p.name] {
			t.Errorf("%s: %d store reads with the demo, %d with %d more of everything: it reads once per row", p.name, small[p.name], large[p.name], n)
		}
	}
	t.Logf("store reads per page: %v", large)
}

func mustCreate(t *testing.T, s domain.Store, r domain.Resource) {
	t.Helper()
	if err := s.Create(context.Background(), "test", r, domain.Dating{}); err != nil {
		t.Fatalf("create %s: %v", r.Kind(), err)
	}
}
