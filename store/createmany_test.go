package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/parley/parley/domain"
)

// batch is a demand by Russia with an id chosen before the write, an
// objection to it by Ukraine and an endorsement of it by the US.
func (w *world) batch(title string) []domain.Resource {
	id := uuid.NewString()
	return []domain.Resource{
		&domain.Demand{Meta: domain.Meta{ID: id}, NegotiationID: w.neg.ID, PartyID: w.ru.ID, TopicID: w.topic.ID, Title: title, StatedOn: "2025-05-16"},
		&domain.Objection{DemandID: id, PartyID: w.ua.ID, Grounds: "an ultimatum", StatedOn: "2025-05-17"},
		&domain.Endorsement{DemandID: id, PartyID: w.us.ID, StatedOn: "2025-05-18"},
	}
}

func TestCreateManyWritesAllWithRevisions(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	rs := w.batch("Kyiv withdraws first")
	effective := time.Date(2025, 5, 20, 0, 0, 0, 0, time.UTC)
	if err := w.s.CreateMany(ctx, actor, rs, []domain.Dating{{EffectiveAt: effective}}); err != nil {
		t.Fatal(err)
	}
	d := rs[0].(*domain.Demand)
	o := rs[1].(*domain.Objection)
	if o.DemandID != d.ID || o.NegotiationID != w.neg.ID || d.Version != 1 {
		t.Fatalf("the batch's references: demand %+v objection %+v", d.Meta, o)
	}
	for i, r := range rs {
		hist, err := w.s.History(ctx, r.Kind(), r.Base().ID)
		if err != nil || len(hist) != 1 || hist[0].Action != "create" || hist[0].Actor != actor {
			t.Fatalf("history of item %d: %v %v", i, hist, err)
		}
		want, _ := domain.OwnDate(r)
		if i == 0 {
			want = effective
		}
		if !hist[0].EffectiveAt.Equal(want) || !r.Base().EffectiveAt.Equal(want) {
			t.Fatalf("item %d takes effect %v (resource %v), want %v", i, hist[0].EffectiveAt, r.Base().EffectiveAt, want)
		}
	}
}

func TestCreateManyWritesNothingOnAnyError(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	before, err := w.s.Snapshot(ctx, w.neg.ID, domain.Moment{})
	if err != nil {
		t.Fatal(err)
	}
	rs := append(w.batch("Good demand"), w.batch("Another")...)
	rs[4].(*domain.Objection).PartyID = w.ru.ID // objects to its own demand
	rs = append(rs,
		&domain.Demand{NegotiationID: w.neg.ID, PartyID: w.absent.ID, TopicID: w.topic.ID, Title: "by an outsider", StatedOn: "2025-05-16"},
		&domain.Endorsement{DemandID: w.demand.ID, PartyID: w.ru.ID})

	err = w.s.CreateMany(ctx, actor, rs, nil)
	batch := errorAs[*domain.BatchError](t, err)
	want := map[int]string{4: "party_id", 6: "party_id", 7: "stated_on"}
	if len(batch.Items) != len(want) {
		t.Fatalf("batch errors %v, want items %v", batch, want)
	}
	for _, it := range batch.Items {
		if fieldErrors(t, it.Err).On(want[it.Index]) == "" {
			t.Fatalf("item %d: %v, want an error on %s", it.Index, it.Err, want[it.Index])
		}
	}
	after, err := w.s.Snapshot(ctx, w.neg.ID, domain.Moment{})
	if err != nil {
		t.Fatal(err)
	}
	if len(after.Demands) != len(before.Demands) || len(after.Objections) != len(before.Objections) || len(after.Endorsements) != len(before.Endorsements) {
		t.Fatalf("a refused batch wrote something: %d demands, %d objections, %d endorsements", len(after.Demands), len(after.Objections), len(after.Endorsements))
	}
	for _, r := range rs[:4] {
		if r.Base().ID != "" {
			if _, err := w.s.History(ctx, r.Kind(), r.Base().ID); err == nil {
				t.Fatalf("a refused batch left a revision of %s", r.Kind().Singular())
			}
		}
	}
}

func TestCreateManyRefusesATakenID(t *testing.T) {
	w := newWorld(t)
	rs := w.batch("Taken")
	rs[0].Base().ID = w.demand.ID
	err := w.s.CreateMany(context.Background(), actor, rs, nil)
	batch := errorAs[*domain.BatchError](t, err)
	if len(batch.Items) != 1 || batch.Items[0].Index != 0 {
		t.Fatalf("a taken id: %v", err)
	}
	if d, err := w.s.Get(context.Background(), domain.KindDemand, w.demand.ID); err != nil || d.(*domain.Demand).Title != "30-day ceasefire" {
		t.Fatalf("the demand holding the id changed: %v %v", d, err)
	}
}
