package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/parley/parley/domain"
	"github.com/parley/parley/store"
	"github.com/parley/parley/store/storetest"
)

func TestMigrateAppliesOnce(t *testing.T) {
	ctx := context.Background()
	dsn := storetest.DSN(t)
	s, err := store.Open(ctx, dsn, store.Options{Synchronous: "FULL", ReadConns: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	first, err := s.Migrate(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(first) == 0 || first[0] != "0001_init" {
		t.Fatalf("first run applied %v, want 0001_init first", first)
	}
	second, err := s.Migrate(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(second) != 0 {
		t.Fatalf("second run applied %v, want nothing", second)
	}
	if n, err := s.CountUsers(ctx); err != nil || n != 0 {
		t.Fatalf("users table: %d, %v", n, err)
	}
	want := map[string]string{"sqlite": "sqlite", "postgres": "postgres"}[s.Dialect()]
	if want == "" {
		t.Fatalf("dialect %q", s.Dialect())
	}
	if os.Getenv(storetest.EnvDatabaseURL) == "" && s.Dialect() != "sqlite" {
		t.Fatalf("a file path opened %s", s.Dialect())
	}
}

func TestOpenRejects(t *testing.T) {
	for _, tc := range []struct{ name, dsn string }{
		{"empty", ""},
		{"question mark", t.TempDir() + "/a?b.db"},
		{"memory", ":memory:"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if s, err := store.Open(context.Background(), tc.dsn, store.Options{}); err == nil {
				s.Close()
				t.Fatalf("Open(%q) succeeded", tc.dsn)
			}
		})
	}
	if _, err := store.Open(context.Background(), t.TempDir()+"/x.db", store.Options{Synchronous: "OFF"}); err == nil {
		t.Fatal("synchronous OFF accepted")
	}
}

func TestCreateGetUpdateDeleteEveryKind(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	deleg := mustCreate(t, w.s, &domain.Delegation{RoundID: w.round.ID, PartyID: w.ua.ID, HeadName: "Rustem Umerov", Level: "ministerial"})
	obj := mustCreate(t, w.s, &domain.Objection{DemandID: w.demand.ID, PartyID: w.ru.ID, Grounds: "lets Ukraine rest", StatedOn: "2025-05-16"})
	end := mustCreate(t, w.s, &domain.Endorsement{DemandID: w.demand.ID, PartyID: w.us.ID, StatedOn: "2025-05-16"})
	if deleg.NegotiationID != w.neg.ID || obj.NegotiationID != w.neg.ID || end.NegotiationID != w.neg.ID {
		t.Fatalf("derived negotiation ids: %q %q %q", deleg.NegotiationID, obj.NegotiationID, end.NegotiationID)
	}
	cases := []struct {
		r      domain.Resource
		change func(domain.Resource)
		check  func(domain.Resource) bool
	}{
		{w.ua, func(r domain.Resource) { r.(*domain.Party).Notes = "changed" }, func(r domain.Resource) bool { return r.(*domain.Party).Notes == "changed" }},
		{w.neg, func(r domain.Resource) { r.(*domain.Negotiation).State = "suspended" }, func(r domain.Resource) bool { return r.(*domain.Negotiation).State == "suspended" }},
		{w.round, func(r domain.Resource) { r.(*domain.Round).Venue = "Dolmabahce Palace" }, func(r domain.Resource) bool { return r.(*domain.Round).Venue == "Dolmabahce Palace" }},
		{deleg, func(r domain.Resource) { r.(*domain.Delegation).HeadTitle = "Defence Minister" }, func(r domain.Resource) bool { return r.(*domain.Delegation).HeadTitle == "Defence Minister" }},
		{w.topic, func(r domain.Resource) { r.(*domain.Topic).SortOrder = 3 }, func(r domain.Resource) bool { return r.(*domain.Topic).SortOrder == 3 }},
		{w.demand, func(r domain.Resource) { r.(*domain.Demand).State = "under_discussion" }, func(r domain.Resource) bool { return r.(*domain.Demand).State == "under_discussion" }},
		{obj, func(r domain.Resource) { r.(*domain.Objection).State = "resolved" }, func(r domain.Resource) bool { return r.(*domain.Objection).State == "resolved" }},
		{end, func(r domain.Resource) { r.(*domain.Endorsement).Note = "backs it" }, func(r domain.Resource) bool { return r.(*domain.Endorsement).Note == "backs it" }},
	}
	for _, tc := range cases {
		k, id := tc.r.Kind(), tc.r.Base().ID
		t.Run(string(k), func(t *testing.T) {
			m := tc.r.Base()
			if m.Version != 1 || m.ID == "" || m.CreatedAt.IsZero() || !m.CreatedAt.Equal(m.UpdatedAt) || m.CreatedAt.Location().String() != "UTC" {
				t.Fatalf("meta after create: %+v", *m)
			}
			got, err := w.s.Get(ctx, k, id)
			if err != nil {
				t.Fatal(err)
			}
			wantJSON, _ := json.Marshal(tc.r)
			gotJSON, _ := json.Marshal(got)
			if string(wantJSON) != string(gotJSON) {
				t.Fatalf("get differs from create:\n%s\n%s", gotJSON, wantJSON)
			}
			updated, err := w.s.Update(ctx, actor, k, id, 1, domain.Dating{}, func(cur domain.Resource) (domain.Resource, error) {
				tc.change(cur)
				return cur, nil
			})

			if err != nil {
				t.Fatal(err)
			}
			if updated.Base().Version != 2 || !tc.check(updated) || !updated.Base().CreatedAt.Equal(m.CreatedAt) {
				t.Fatalf("after update: %+v", updated)
			}
			again, _ := w.s.Get(ctx, k, id)
			if again.Base().Version != 2 || !tc.check(again) {
				t.Fatalf("update not stored: %+v", again)
			}
		})
	}
	// Delete in reverse dependency order; each is gone afterwards.
	for i := len(cases) - 1; i >= 0; i-- {
		k, id := cases[i].r.Kind(), cases[i].r.Base().ID
		if k == domain.KindParty {
			continue // still a participant
		}
		if err := w.s.Delete(ctx, actor, k, id, 2); err != nil {
			t.Fatalf("delete %s: %v", k, err)
		}
		_, err := w.s.Get(ctx, k, id)
		nf := errorAs[*domain.NotFoundError](t, err)
		if nf.Kind != k || nf.ID != id {
			t.Fatalf("not found error names %s %s", nf.Kind, nf.ID)
		}
	}
	if err := w.s.Delete(ctx, actor, domain.KindParty, w.absent.ID, 0); err != nil {
		t.Fatalf("delete unreferenced party: %v", err)
	}
}

func TestCreateReferenceErrors(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	nobody := "0196f3a0-0000-7000-8000-000000000000"
	other := mustCreate(t, w.s, &domain.Negotiation{Title: "Other talks", Participants: []domain.Participant{{PartyID: w.ua.ID, Role: "principal"}}})
	otherTopic := mustCreate(t, w.s, &domain.Topic{NegotiationID: other.ID, Title: "Ceasefire"})
	otherRound := mustCreate(t, w.s, &domain.Round{NegotiationID: other.ID, Title: "R1", StartsOn: "2025-01-01"})
	cases := []struct {
		name string
		r    domain.Resource
		want map[string]string // field -> part of the message
	}{
		{"negotiation participant", &domain.Negotiation{Title: "x", Participants: []domain.Participant{{PartyID: nobody, Role: "host"}}},
			map[string]string{"participants[0].party_id": "refers to no party"}},
		{"round every ref", &domain.Round{NegotiationID: nobody, Title: "x", StartsOn: "2025-05-16", HostPartyID: nobody},
			map[string]string{"negotiation_id": "refers to no negotiation", "host_party_id": "refers to no party"}},
		{"delegation every ref", &domain.Delegation{RoundID: nobody, PartyID: nobody},
			map[string]string{"round_id": "refers to no round", "party_id": "refers to no party"}},
		{"topic", &domain.Topic{NegotiationID: nobody, Title: "x"}, map[string]string{"negotiation_id": "refers to no negotiation"}},
		{"demand every ref", &domain.Demand{NegotiationID: nobody, PartyID: nobody, TopicID: nobody, RoundID: nobody, Title: "x", StatedOn: "2025-05-16"},
			map[string]string{"negotiation_id": "no negotiation", "party_id": "no party", "topic_id": "no topic", "round_id": "no round"}},
		{"demand by non-participant, topic and round elsewhere", &domain.Demand{NegotiationID: w.neg.ID, PartyID: w.absent.ID, TopicID: otherTopic.ID, RoundID: otherRound.ID, Title: "x", StatedOn: "2025-05-16"},
			map[string]string{"party_id": "not a participant", "topic_id": "another negotiation", "round_id": "another negotiation"}},
		{"demand invalid and bad ref together", &domain.Demand{NegotiationID: w.neg.ID, PartyID: nobody, TopicID: w.topic.ID, StatedOn: "May"},
			map[string]string{"title": "required", "stated_on": "YYYY-MM-DD", "party_id": "refers to no party"}},
		{"objection to own demand", &domain.Objection{DemandID: w.demand.ID, PartyID: w.ua.ID, Grounds: "x", StatedOn: "2025-05-16"},
			map[string]string{"party_id": "cannot object to its own demand"}},
		{"objection refs", &domain.Objection{DemandID: nobody, PartyID: nobody, Grounds: "x", StatedOn: "2025-05-16"},
			map[string]string{"demand_id": "refers to no demand", "party_id": "refers to no party"}},
		{"endorsement refs", &domain.Endorsement{DemandID: nobody, PartyID: nobody, StatedOn: "2025-05-16"},
			map[string]string{"demand_id": "refers to no demand", "party_id": "refers to no party"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			errs := fieldErrors(t, w.s.Create(ctx, actor, tc.r, domain.Dating{}))
			if len(errs) != len(tc.want) {
				t.Errorf("got %d errors %v, want %d", len(errs), errs, len(tc.want))
			}
			for field, msg := range tc.want {
				if got := errs.On(field); !strings.Contains(got, msg) {
					t.Errorf("%s: got %q, want it to contain %q (all: %v)", field, got, msg, errs)
				}
			}
			if tc.r.Base().ID != "" {
				t.Errorf("a refused create got an id")
			}
		})
	}
}

func TestDuplicatesConflict(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	err := w.s.Create(ctx, actor, &domain.Party{Name: "  UKRAINE "}, domain.Dating{})
	if c := errorAs[*domain.ConflictError](t, err); c.Field != "name" {
		t.Fatalf("conflict field %q", c.Field)
	}
	err = w.s.Create(ctx, actor, &domain.Topic{NegotiationID: w.neg.ID, Title: "ceasefire"}, domain.Dating{})
	if c := errorAs[*domain.ConflictError](t, err); c.Field != "title" {
		t.Fatalf("conflict field %q", c.Field)
	}
	// A rename onto another party's name conflicts too; the same title in
	// another negotiation does not.
	_, err = w.s.Update(ctx, actor, domain.KindParty, w.ru.ID, 0, domain.Dating{}, func(r domain.Resource) (domain.Resource, error) {
		r.(*domain.Party).Name = "ukraine"
		return r, nil
	})

	errorAs[*domain.ConflictError](t, err)
	other := mustCreate(t, w.s, &domain.Negotiation{Title: "Other"})
	mustCreate(t, w.s, &domain.Topic{NegotiationID: other.ID, Title: "Ceasefire"})
	// Renaming a party to its own name in another case is no conflict.
	if _, err := w.s.Update(ctx, actor, domain.KindParty, w.ru.ID, 0, domain.Dating{}, func(r domain.Resource) (domain.Resource, error) {
		r.(*domain.Party).Name = "RUSSIA"
		return r, nil
	}); err != nil {
		t.Fatal(err)
	}
}

func TestUpdateRules(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	other := mustCreate(t, w.s, &domain.Negotiation{Title: "Other", Participants: []domain.Participant{{PartyID: w.ua.ID, Role: "principal"}}})
	cases := []struct {
		name   string
		kind   domain.Kind
		id     string
		change func(domain.Resource)
		field  string
		msg    string
	}{
		{"demand cannot move", domain.KindDemand, w.demand.ID, func(r domain.Resource) { r.(*domain.Demand).NegotiationID = other.ID }, "negotiation_id", "cannot move"},
		{"topic cannot move", domain.KindTopic, w.topic.ID, func(r domain.Resource) { r.(*domain.Topic).NegotiationID = other.ID }, "negotiation_id", "cannot move"},
		{"round cannot move", domain.KindRound, w.round.ID, func(r domain.Resource) { r.(*domain.Round).NegotiationID = other.ID }, "negotiation_id", "cannot move"},
		{"demand invalid", domain.KindDemand, w.demand.ID, func(r domain.Resource) { r.(*domain.Demand).State = "maybe" }, "status", "must be one of"},
		{"participant with demands cannot leave", domain.KindNegotiation, w.neg.ID, func(r domain.Resource) {
			n := r.(*domain.Negotiation)
			n.Participants = n.Participants[1:]
		}, "participants", "has 1 demands"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before, _ := w.s.Get(ctx, tc.kind, tc.id)
			_, err := w.s.Update(ctx, actor, tc.kind, tc.id, 0, domain.Dating{}, func(r domain.Resource) (domain.Resource, error) {
				tc.change(r)
				return r, nil
			})

			if got := fieldErrors(t, err).On(tc.field); !strings.Contains(got, tc.msg) {
				t.Fatalf("%s: %q", tc.field, got)
			}
			after, _ := w.s.Get(ctx, tc.kind, tc.id)
			if after.Base().Version != before.Base().Version {
				t.Fatal("a refused update changed the version")
			}
		})
	}
	// An objector turned into the demanding party is refused on update too.
	obj := mustCreate(t, w.s, &domain.Objection{DemandID: w.demand.ID, PartyID: w.ru.ID, Grounds: "no", StatedOn: "2025-05-16"})
	_, err := w.s.Update(ctx, actor, domain.KindObjection, obj.ID, 0, domain.Dating{}, func(r domain.Resource) (domain.Resource, error) {
		r.(*domain.Objection).PartyID = w.ua.ID
		return r, nil
	})

	if !strings.Contains(fieldErrors(t, err).On("party_id"), "own demand") {
		t.Fatalf("objection update: %v", err)
	}
	// An error from change itself passes through untouched.
	sentinel := errors.New("patch refused")
	if _, err := w.s.Update(ctx, actor, domain.KindParty, w.ua.ID, 0, domain.Dating{}, func(domain.Resource) (domain.Resource, error) { return nil, sentinel }); !errors.Is(err, sentinel) {
		t.Fatalf("change error: %v", err)
	}
	// Meta a change sets is ignored.
	up, err := w.s.Update(ctx, actor, domain.KindParty, w.ua.ID, 0, domain.Dating{}, func(r domain.Resource) (domain.Resource, error) {
		r.Base().ID, r.Base().Version = "forged", 99
		r.(*domain.Party).Notes = "meta forged"
		return r, nil
	})

	if err != nil || up.Base().ID != w.ua.ID || up.Base().Version != 2 {
		t.Fatalf("meta not preserved: %+v %v", up, err)
	}
	if _, err := w.s.Update(ctx, actor, domain.KindParty, "0196f3a0-0000-7000-8000-000000000000", 0, domain.Dating{}, func(r domain.Resource) (domain.Resource, error) { return r, nil }); err == nil {
		t.Fatal("update of nothing succeeded")
	} else {
		errorAs[*domain.NotFoundError](t, err)
	}
}

func TestStaleUpdateAndDelete(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	if _, err := w.s.Update(ctx, actor, domain.KindDemand, w.demand.ID, 1, domain.Dating{}, func(r domain.Resource) (domain.Resource, error) {
		r.(*domain.Demand).Details = "first"
		return r, nil
	}); err != nil {
		t.Fatal(err)
	}
	_, err := w.s.Update(ctx, actor, domain.KindDemand, w.demand.ID, 1, domain.Dating{}, func(r domain.Resource) (domain.Resource, error) {
		r.(*domain.Demand).Details = "stale"
		return r, nil
	})

	pe := errorAs[*domain.PreconditionError](t, err)
	if pe.Current != 2 || pe.Wanted != 1 {
		t.Fatalf("precondition %+v", pe)
	}
	errorAs[*domain.PreconditionError](t, w.s.Delete(ctx, actor, domain.KindDemand, w.demand.ID, 1))
	got, _ := w.s.Get(ctx, domain.KindDemand, w.demand.ID)
	if d := got.(*domain.Demand); d.Details != "first" || d.Version != 2 {
		t.Fatalf("stale writes changed the demand: %+v", d)
	}
	hist, _ := w.s.History(ctx, domain.KindDemand, w.demand.ID)
	if len(hist) != 2 {
		t.Fatalf("stale writes left %d revisions", len(hist))
	}
}

func TestConcurrentConditionalUpdates(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	const workers, tries = 8, 50
	var ok, stale atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, workers*tries)
	for g := 0; g < workers; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < tries; i++ {
				cur, err := w.s.Get(ctx, domain.KindDemand, w.demand.ID)
				if err != nil {
					errs <- err
					return
				}
				_, err = w.s.Update(ctx, fmt.Sprintf("worker%d", g), domain.KindDemand, w.demand.ID, cur.Base().Version, domain.Dating{}, func(r domain.Resource) (domain.Resource, error) {
					d := r.(*domain.Demand)
					d.Terms["bumps"] = float64(d.Version)
					return d, nil
				})

				var pe *domain.PreconditionError
				switch {
				case err == nil:
					ok.Add(1)
				case errors.As(err, &pe):
					stale.Add(1)
				default:
					errs <- err
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("unexpected error: %v", err)
	}
	got, _ := w.s.Get(ctx, domain.KindDemand, w.demand.ID)
	if got.Base().Version != 1+int(ok.Load()) {
		t.Fatalf("version %d after %d successes", got.Base().Version, ok.Load())
	}
	if ok.Load()+stale.Load() != workers*tries || ok.Load() == 0 {
		t.Fatalf("ok %d stale %d", ok.Load(), stale.Load())
	}
	hist, _ := w.s.History(ctx, domain.KindDemand, w.demand.ID)
	if len(hist) != got.Base().Version {
		t.Fatalf("%d revisions for version %d", len(hist), got.Base().Version)
	}
}

func TestDeleteCascadesAndReferences(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	obj := mustCreate(t, w.s, &domain.Objection{DemandID: w.demand.ID, PartyID: w.ru.ID, Grounds: "no", StatedOn: "2025-05-16"})
	end := mustCreate(t, w.s, &domain.Endorsement{DemandID: w.demand.ID, PartyID: w.us.ID, StatedOn: "2025-05-16"})
	deleg := mustCreate(t, w.s, &domain.Delegation{RoundID: w.round.ID, PartyID: w.ru.ID})
	roundDemand := mustCreate(t, w.s, &domain.Demand{NegotiationID: w.neg.ID, PartyID: w.ru.ID, TopicID: w.topic.ID, RoundID: w.round.ID, Title: "Own terms", StatedOn: "2025-05-16"})

	refCases := []struct {
		kind domain.Kind
		id   string
		want map[domain.Kind]int
	}{
		{domain.KindParty, w.ru.ID, map[domain.Kind]int{domain.KindNegotiation: 1, domain.KindDemand: 1, domain.KindObjection: 1, domain.KindDelegation: 1}},
		{domain.KindNegotiation, w.neg.ID, map[domain.Kind]int{domain.KindRound: 1, domain.KindTopic: 1, domain.KindDemand: 2}},
		{domain.KindTopic, w.topic.ID, map[domain.Kind]int{domain.KindDemand: 2}},
		{domain.KindRound, w.round.ID, map[domain.Kind]int{domain.KindDemand: 1}},
	}
	for _, tc := range refCases {
		t.Run("referenced "+string(tc.kind), func(t *testing.T) {
			c := errorAs[*domain.ConflictError](t, w.s.Delete(ctx, actor, tc.kind, tc.id, 0))
			got := map[domain.Kind]int{}
			for _, r := range c.ReferredBy {
				got[r.Kind]++
			}
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Fatalf("referrers %v, want %v (%s)", got, tc.want, c.Detail)
			}
			if _, err := w.s.Get(ctx, tc.kind, tc.id); err != nil {
				t.Fatalf("refused delete removed it: %v", err)
			}
		})
	}

	// The demand takes its objection and endorsement with it, the round its
	// delegation; each part gets a delete revision.
	if err := w.s.Delete(ctx, actor, domain.KindDemand, w.demand.ID, 0); err != nil {
		t.Fatal(err)
	}
	if err := w.s.Delete(ctx, actor, domain.KindDemand, roundDemand.ID, 0); err != nil {
		t.Fatal(err)
	}
	if err := w.s.Delete(ctx, actor, domain.KindRound, w.round.ID, 0); err != nil {
		t.Fatal(err)
	}
	for _, part := range []domain.Resource{obj, end, deleg} {
		if _, err := w.s.Get(ctx, part.Kind(), part.Base().ID); err == nil {
			t.Errorf("%s survived its owner", part.Kind())
		}
		hist, err := w.s.History(ctx, part.Kind(), part.Base().ID)
		if err != nil {
			t.Fatal(err)
		}
		last := hist[len(hist)-1]
		if last.Action != "delete" || last.Revision != 2 || last.Actor != actor || !strings.Contains(string(last.Resource), part.Base().ID) {
			t.Errorf("%s last revision %+v", part.Kind(), last)
		}
	}
	if err := w.s.Delete(ctx, actor, domain.KindTopic, w.topic.ID, 0); err != nil {
		t.Fatal(err)
	}
	if err := w.s.Delete(ctx, actor, domain.KindNegotiation, w.neg.ID, 0); err != nil {
		t.Fatal(err)
	}
	// With the negotiation gone nothing refers to the parties any more.
	for _, p := range []*domain.Party{w.ua, w.ru, w.us} {
		if err := w.s.Delete(ctx, actor, domain.KindParty, p.ID, 1); err != nil {
			t.Fatalf("delete %s: %v", p.Name, err)
		}
	}
	errorAs[*domain.NotFoundError](t, w.s.Delete(ctx, actor, domain.KindParty, w.ua.ID, 0))
}

func TestHistory(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	for _, status := range []string{"under_discussion", "agreed"} {
		if _, err := w.s.Update(ctx, "editor2", domain.KindDemand, w.demand.ID, 0, domain.Dating{}, func(r domain.Resource) (domain.Resource, error) {
			r.(*domain.Demand).State = domain.DemandStatus(status)
			return r, nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.s.Delete(ctx, "editor3", domain.KindDemand, w.demand.ID, 3); err != nil {
		t.Fatal(err)
	}
	hist, err := w.s.History(ctx, domain.KindDemand, w.demand.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		action, actor, status string
	}{{"create", actor, "tabled"}, {"update", "editor2", "under_discussion"}, {"update", "editor2", "agreed"}, {"delete", "editor3", "agreed"}}
	if len(hist) != len(want) {
		t.Fatalf("%d revisions", len(hist))
	}
	for i, h := range hist {
		var d domain.Demand
		if err := json.Unmarshal(h.Resource, &d); err != nil {
			t.Fatal(err)
		}
		if h.Revision != i+1 || string(h.Action) != want[i].action || h.Actor != want[i].actor || string(d.State) != want[i].status || h.ResourceType != domain.KindDemand {
			t.Errorf("revision %d: %+v (%s)", i, h, d.State)
		}
		if i > 0 && h.At.Before(hist[i-1].At) {
			t.Errorf("revision %d is older than the one before", i)
		}
	}
	errorAs[*domain.NotFoundError](t, func() error { _, err := w.s.History(ctx, domain.KindParty, w.demand.ID); return err }())
}
