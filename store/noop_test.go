package store_test

import (
	"context"
	"testing"

	"github.com/parley/parley/domain"
)

// TestUpdateThatChangesNothing: a change that leaves the resource as it was
// keeps its version and adds no revision; a real change after it still
// counts once.
func TestUpdateThatChangesNothing(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	same := func(cur domain.Resource) (domain.Resource, error) { return cur, nil }
	got, err := w.s.Update(ctx, actor, domain.KindDemand, w.demand.ID, 1, domain.Dating{}, same)
	if err != nil {
		t.Fatal(err)
	}
	if got.Base().Version != 1 {
		t.Errorf("a no-op update moved the version to %d", got.Base().Version)
	}
	revs, err := w.s.History(ctx, domain.KindDemand, w.demand.ID)
	if err != nil || len(revs) != 1 {
		t.Fatalf("history after a no-op: %d revisions, %v; want 1", len(revs), err)
	}
	got, err = w.s.Update(ctx, actor, domain.KindDemand, w.demand.ID, 1, domain.Dating{}, func(cur domain.Resource) (domain.Resource, error) {
		cur.(*domain.Demand).Title = "45-day ceasefire"
		return cur, nil
	})

	if err != nil || got.Base().Version != 2 {
		t.Fatalf("a real change: version %v, %v; want 2", got.Base().Version, err)
	}
	// A stale no-op is still refused: the precondition comes first.
	if _, err := w.s.Update(ctx, actor, domain.KindDemand, w.demand.ID, 1, domain.Dating{}, same); err == nil {
		t.Fatal("a stale no-op update was accepted")
	}
}
