package store_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/parley/parley/domain"
	"github.com/parley/parley/store"
	"github.com/parley/parley/store/storetest"
)

// TestCurrentSnapshotSeesEveryWrite reads the current snapshot after each
// kind of write; each read must show the write, though the read before it
// was kept.
func TestCurrentSnapshotSeesEveryWrite(t *testing.T) {
	ctx := context.Background()
	dsn := storetest.DSN(t)
	w := newWorldIn(t, openAt(t, dsn))
	// Each read is also compared whole with a read by an instance that
	// has kept nothing: what the kept snapshot was brought up to date
	// with must be all there is.
	now := func() summary {
		t.Helper()
		s, err := w.s.Snapshot(ctx, w.neg.ID, domain.Moment{})
		if err != nil {
			t.Fatal(err)
		}
		whole, err := openAt(t, dsn).Snapshot(ctx, w.neg.ID, domain.Moment{})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := jsonOf(s), jsonOf(whole); got != want {
			t.Fatalf("the kept snapshot differs from a whole read:\n got %s\nwant %s", got, want)
		}
		return summarize(s)
	}
	update := func(k domain.Kind, id string, change func(domain.Resource)) {
		t.Helper()
		if _, err := w.s.Update(ctx, actor, k, id, 0, domain.Dating{}, func(cur domain.Resource) (domain.Resource, error) {
			change(cur)
			return cur, nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	first := now()
	if again := now(); jsonOf(again) != jsonOf(first) {
		t.Fatalf("a second read differs:\n%s\n%s", jsonOf(first), jsonOf(again))
	}

	update(domain.KindParty, w.ru.ID, func(r domain.Resource) { r.(*domain.Party).Name = "Russian Federation delegation" })
	if got := now().Parties; !slices.Contains(got, "Russian Federation delegation") {
		t.Errorf("after renaming a party (no negotiation of its own): parties %v", got)
	}
	update(domain.KindNegotiation, w.neg.ID, func(r domain.Resource) { r.(*domain.Negotiation).Title = "Istanbul direct talks" })
	if got := now().Negotiation; got != "Istanbul direct talks/"+string(w.neg.State) {
		t.Errorf("after retitling the negotiation: %q", got)
	}
	ru := w.newDemand(t, w.ru, "Withdrawal from four regions")
	if got := now().Demands; !slices.Contains(got, "Withdrawal from four regions/"+string(ru.State)) {
		t.Errorf("after a new demand: %v", got)
	}
	update(domain.KindDemand, ru.ID, func(r domain.Resource) { r.(*domain.Demand).State = domain.DemandRejected })
	if got := now().Demands; !slices.Contains(got, "Withdrawal from four regions/"+string(domain.DemandRejected)) {
		t.Errorf("after rejecting the demand: %v", got)
	}
	objection := &domain.Objection{NegotiationID: w.neg.ID, DemandID: ru.ID, PartyID: w.ua.ID, Grounds: "Unacceptable", StatedOn: "2025-05-16"}
	endorsement := &domain.Endorsement{NegotiationID: w.neg.ID, DemandID: w.demand.ID, PartyID: w.us.ID, Note: "Backs it", StatedOn: "2025-05-16"}
	if err := w.s.CreateMany(ctx, actor, []domain.Resource{objection, endorsement}, nil); err != nil {
		t.Fatal(err)
	}
	got := now()
	if len(got.Objections) != 1 || len(got.Endorsements) != 1 {
		t.Errorf("after a batch of an objection and an endorsement: %v, %v", got.Objections, got.Endorsements)
	}
	rebuttal := mustCreate(t, w.s, &domain.Rebuttal{ObjectionID: objection.ID, PartyID: w.ru.ID, Grounds: "It is the only way", StatedOn: "2025-05-16"})
	if got := now(); len(got.Objections) != 1 {
		t.Errorf("after a rebuttal: %v", got.Objections)
	}
	tr := mustCreate(t, w.s, &domain.Party{Name: "Türkiye"})
	update(domain.KindNegotiation, w.neg.ID, func(r domain.Resource) {
		n := r.(*domain.Negotiation)
		n.Participants = append(n.Participants, domain.Participant{PartyID: tr.ID, Role: "host"})
	})
	if got := now().Parties; !slices.Contains(got, "Türkiye") {
		t.Errorf("after a new participant: parties %v", got)
	}
	if err := w.s.Delete(ctx, actor, domain.KindRebuttal, rebuttal.ID, 0); err != nil {
		t.Fatal(err)
	}
	now()
	if err := w.s.Delete(ctx, actor, domain.KindDemand, ru.ID, 0); err != nil {
		t.Fatal(err)
	}
	got = now()
	if slices.ContainsFunc(got.Demands, func(d string) bool { return d == "Withdrawal from four regions/"+string(domain.DemandRejected) }) || len(got.Objections) != 0 {
		t.Errorf("after deleting the demand with its objection: %v, %v", got.Demands, got.Objections)
	}
}

// TestCurrentSnapshotSeesAnotherInstance writes through one store and
// reads through another on the same database, as instances of a
// scale-out do: the reader's kept snapshot must not hide the write.
func TestCurrentSnapshotSeesAnotherInstance(t *testing.T) {
	ctx := context.Background()
	dsn := storetest.DSN(t)
	writer := openAt(t, dsn)
	reader := openAt(t, dsn)
	ua := mustCreate(t, writer, &domain.Party{Name: "Ukraine"})
	neg := mustCreate(t, writer, &domain.Negotiation{Title: "Talks", Participants: []domain.Participant{{PartyID: ua.ID, Role: "principal"}}})
	topic := mustCreate(t, writer, &domain.Topic{NegotiationID: neg.ID, Title: "Ceasefire"})
	read := func() *domain.Snapshot {
		t.Helper()
		s, err := reader.Snapshot(ctx, neg.ID, domain.Moment{})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	if n := len(read().Demands); n != 0 {
		t.Fatalf("%d demands before any was written", n)
	}
	mustCreate(t, writer, &domain.Demand{NegotiationID: neg.ID, PartyID: ua.ID, TopicID: topic.ID, Title: "30-day ceasefire", StatedOn: "2025-05-16"})
	if n := len(read().Demands); n != 1 {
		t.Errorf("the other instance read %d demands after one was written", n)
	}
}

// TestCurrentSnapshotIsTheReadersOwn changes the lists of a snapshot read
// from the cache, which the next reader must not see, and then a resource
// in place, which the check tests run with must catch.
func TestCurrentSnapshotIsTheReadersOwn(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	w.newDemand(t, w.ru, "Withdrawal from four regions")
	read := func() (*domain.Snapshot, error) { return w.s.Snapshot(ctx, w.neg.ID, domain.Moment{}) }
	first, err := read()
	if err != nil {
		t.Fatal(err)
	}
	want := jsonOf(summarize(first))
	slices.Reverse(first.Demands)
	first.Topics = nil
	first.Negotiation.Title = "changed by a reader"
	second, err := read()
	if err != nil {
		t.Fatal(err)
	}
	if got := jsonOf(summarize(second)); got != want {
		t.Errorf("a reader's changes to its lists reached the next reader:\n got %s\nwant %s", got, want)
	}
	second.Demands[0].Title = "changed in place"
	if _, err := read(); err == nil {
		t.Error("a resource changed in place went unnoticed")
	}
}

// openAt opens another instance on the database at dsn, migrated, with
// the check of kept snapshots on.
func openAt(t *testing.T, dsn string) *store.Store {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, dsn, store.Options{CheckSnapshotCache: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return s
}

// TestCurrentSnapshotUnderConcurrentWrites reads the current snapshot
// from several goroutines while demands are written: under -race this
// shows the kept snapshots shared safely, and no read may show fewer
// demands than were committed before it began.
func TestCurrentSnapshotUnderConcurrentWrites(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	const writes = 20
	var committed atomic.Int64
	committed.Store(1)
	done := make(chan struct{})
	errs := make(chan error, 8)
	var readers sync.WaitGroup
	for range 4 {
		readers.Add(1)
		go func() {
			defer readers.Done()
			for {
				select {
				case <-done:
					return
				default:
				}
				before := committed.Load()
				s, err := w.s.Snapshot(ctx, w.neg.ID, domain.Moment{})
				if err != nil {
					errs <- err
					return
				}
				if int64(len(s.Demands)) < before {
					errs <- fmt.Errorf("read %d demands after %d were committed", len(s.Demands), before)
					return
				}
				slices.Reverse(s.Demands) // a reader's own list
			}
		}()
	}
	for i := range writes {
		w.newDemand(t, w.ru, fmt.Sprintf("Demand %d", i))
		committed.Add(1)
	}
	close(done)
	readers.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	s, err := w.s.Snapshot(ctx, w.neg.ID, domain.Moment{})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Demands) != writes+1 {
		t.Errorf("%d demands at the end, want %d", len(s.Demands), writes+1)
	}
}

// TestWarmSnapshots reads ahead the negotiations changed most recently,
// the latest first, and skips one deleted since.
func TestWarmSnapshots(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	other := mustCreate(t, w.s, &domain.Negotiation{Title: "Doha talks", Participants: []domain.Participant{{PartyID: w.ua.ID, Role: "principal"}}})
	gone := mustCreate(t, w.s, &domain.Negotiation{Title: "Recorded in error"})
	w.newDemand(t, w.ru, "The latest change")
	if err := w.s.Delete(ctx, actor, domain.KindNegotiation, gone.ID, 0); err != nil {
		t.Fatal(err)
	}
	got, err := w.s.WarmSnapshots(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{w.neg.ID, other.ID}; !slices.Equal(got, want) {
		t.Errorf("warmed %v, want %v (the Istanbul talks changed last)", got, want)
	}
}
