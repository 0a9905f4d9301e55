package store_test

import (
	"context"
	"testing"

	"github.com/parley/parley/domain"
)

func TestGetMany(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	missing := "01890000-0000-7000-8000-000000000000"
	got, err := w.s.GetMany(ctx, domain.KindParty, []string{w.ua.ID, w.ru.ID, w.ua.ID, missing, ""})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("got %d parties, want 2 (duplicates and unknown ids dropped)", len(got))
	}
	if p := got[w.ru.ID].(*domain.Party); p.Name != "Russia" || p.Version != 1 {
		t.Errorf("Russia came back as %+v", p)
	}
	if _, ok := got[missing]; ok {
		t.Error("an unknown id came back")
	}
	none, err := w.s.GetMany(ctx, domain.KindDemand, nil)
	if err != nil || len(none) != 0 {
		t.Errorf("no ids: got %v, %v", none, err)
	}
	// More ids than one IN list holds.
	ids := make([]string, 0, 1200)
	for i := 0; i < 1199; i++ {
		ids = append(ids, missing[:len(missing)-4]+string(rune('a'+i%6))+"000")
	}
	ids = append(ids, w.demand.ID)
	demands, err := w.s.GetMany(ctx, domain.KindDemand, ids)
	if err != nil || len(demands) != 1 || demands[w.demand.ID] == nil {
		t.Errorf("chunked lookup: got %d demands, %v", len(demands), err)
	}
}
