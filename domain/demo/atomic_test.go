package demo_test

import (
	"context"
	"errors"
	"testing"

	"github.com/parley/parley/domain"
	"github.com/parley/parley/domain/demo"
	"github.com/parley/parley/store/storetest"
)

var errInjected = errors.New("injected failure")

// failingStore refuses every Create after the first allowed ones, inside
// transactions too, as a database that fails halfway through would.
type failingStore struct {
	domain.Store
	allowed int
	creates *int
}

func (f failingStore) Create(ctx context.Context, actor string, r domain.Resource, when domain.Dating) error {
	*f.creates++
	if *f.creates > f.allowed {
		return errInjected
	}
	return f.Store.Create(ctx, actor, r, when)
}

func (f failingStore) Atomically(ctx context.Context, fn func(tx domain.Store) error) error {
	return f.Store.Atomically(ctx, func(tx domain.Store) error {
		return fn(failingStore{Store: tx, allowed: f.allowed, creates: f.creates})
	})
}

// count is how many resources of kind k the store holds.
func count(t *testing.T, s domain.Store, k domain.Kind) int {
	t.Helper()
	page, err := s.List(context.Background(), domain.ListQuery{Kind: k, Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	return len(page.Items)
}

// TestLoadIsAllOrNothing: a failure halfway through Load leaves nothing
// behind, and the next Load writes the whole demo.
func TestLoadIsAllOrNothing(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t)
	creates := 0
	_, _, err := demo.Load(ctx, failingStore{Store: s, allowed: 12, creates: &creates}, "demo")
	if !errors.Is(err, errInjected) {
		t.Fatalf("Load = %v, want the injected failure", err)
	}
	if creates <= 12 {
		t.Fatalf("the failure came after %d creates; the test meant it halfway", creates)
	}
	for _, k := range domain.Kinds {
		if n := count(t, s, k); n != 0 {
			t.Errorf("a failed Load left %d %s behind", n, k)
		}
	}
	id, created, err := demo.Load(ctx, s, "demo")
	if err != nil || !created || id == "" {
		t.Fatalf("the next Load = %q, %v, %v; want the demo created", id, created, err)
	}
	if count(t, s, domain.KindDemand) == 0 || count(t, s, domain.KindParty) < 4 {
		t.Error("the next Load did not write the whole demo")
	}
}
