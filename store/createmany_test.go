package store_test

import (
	"context"
	"fmt"
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

// manyDemands is n demands by Russia with ids chosen before the write,
// each stating a term the topic, once defined, reads.
func (w *world) manyDemands(n int, topicID string) []domain.Resource {
	rs := make([]domain.Resource, n)
	for i := range rs {
		rs[i] = &domain.Demand{Meta: domain.Meta{ID: uuid.NewString()}, NegotiationID: w.neg.ID, PartyID: w.ru.ID, TopicID: topicID,
			Title: fmt.Sprintf("Demand %d", i), StatedOn: "2025-05-16", Terms: map[string]any{"troops": "1,500"}}
	}
	return rs
}

// A batch larger than one multi-row statement, with a topic created in
// its middle and reactions to its own demands, is written whole: every
// row with its revision, the defined terms read by their topic.
func TestCreateManyWritesInChunksInOrder(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	topic := &domain.Topic{Meta: domain.Meta{ID: uuid.NewString()}, NegotiationID: w.neg.ID, Title: "Troops",
		TermDefinitions: []domain.TermDefinition{{Key: "troops", Type: domain.TermTypeNumber}}}
	rs := w.manyDemands(1100, w.topic.ID)
	rs = append(rs, topic)
	rs = append(rs, w.manyDemands(600, topic.ID)...)
	first, last := rs[0].Base().ID, rs[len(rs)-1].Base().ID
	rs = append(rs,
		&domain.Objection{DemandID: first, PartyID: w.ua.ID, Grounds: "no", StatedOn: "2025-05-17", RoundID: w.round.ID},
		&domain.Endorsement{DemandID: last, PartyID: w.us.ID, StatedOn: "2025-05-18"},
		&domain.Objection{DemandID: last, PartyID: w.ua.ID, Grounds: "neither", StatedOn: "2025-05-17"})
	if err := w.s.CreateMany(ctx, actor, rs, nil); err != nil {
		t.Fatal(err)
	}
	snap, err := w.s.Snapshot(ctx, w.neg.ID, domain.Moment{})
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.Demands) != 1+1700 || len(snap.Objections) != 2 || len(snap.Endorsements) != 1 || len(snap.Topics) != 2 {
		t.Fatalf("stored %d demands, %d objections, %d endorsements, %d topics", len(snap.Demands), len(snap.Objections), len(snap.Endorsements), len(snap.Topics))
	}
	for _, i := range []int{0, 499, 500, 1099, 1101, 1700, len(rs) - 1} {
		hist, err := w.s.History(ctx, rs[i].Kind(), rs[i].Base().ID)
		if err != nil || len(hist) != 1 || hist[0].Action != "create" {
			t.Fatalf("item %d: history %v %v", i, hist, err)
		}
	}
	got, err := w.s.Get(ctx, domain.KindDemand, last)
	if err != nil {
		t.Fatal(err)
	}
	if v := got.(*domain.Demand).Terms["troops"]; v != 1500.0 {
		t.Fatalf("a defined term of a batched demand is stored as %v, want 1500", v)
	}
	if v := rs[0].(*domain.Demand).Terms["troops"]; v != "1,500" {
		t.Fatalf("a free term is kept as given: %v", v)
	}
}

// A taken id in a later statement of the batch is told of its own row.
func TestCreateManyNamesTakenIDsInAnyChunk(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	rs := w.manyDemands(1000, w.topic.ID)
	rs[700].Base().ID = w.demand.ID
	rs[900].Base().ID = rs[100].Base().ID
	err := w.s.CreateMany(ctx, actor, rs, nil)
	batch := errorAs[*domain.BatchError](t, err)
	if len(batch.Items) != 2 || batch.Items[0].Index != 700 || batch.Items[1].Index != 900 {
		t.Fatalf("batch errors %v, want items 700 and 900", batch)
	}
	snap, err := w.s.Snapshot(ctx, w.neg.ID, domain.Moment{})
	if err != nil || len(snap.Demands) != 1 {
		t.Fatalf("a refused batch wrote demands: %v", err)
	}
}
