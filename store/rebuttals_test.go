package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/parley/parley/domain"
)

// TestRebuttalRules: a rebuttal takes its objection's negotiation, may
// not come from the objecting party, must answer an objection that exists
// in a round of that negotiation; an objection may not move to a party
// that answered it.
func TestRebuttalRules(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	obj := mustCreate(t, w.s, &domain.Objection{DemandID: w.demand.ID, PartyID: w.ru.ID, Grounds: "lets Ukraine rest", StatedOn: "2025-05-16"})
	reb := mustCreate(t, w.s, &domain.Rebuttal{ObjectionID: obj.ID, PartyID: w.ua.ID, Grounds: "a truce saves lives", StatedOn: "2025-05-17", RoundID: w.round.ID})
	if reb.NegotiationID != w.neg.ID || reb.Version != 1 {
		t.Fatalf("rebuttal as created: %+v", reb)
	}
	if want := time.Date(2025, 5, 17, 0, 0, 0, 0, time.UTC); !reb.EffectiveAt.Equal(want) {
		t.Errorf("effective_at %v, want its stated_on", reb.EffectiveAt)
	}

	err := w.s.Create(ctx, actor, &domain.Rebuttal{ObjectionID: obj.ID, PartyID: w.ru.ID, Grounds: "answering myself", StatedOn: "2025-05-17"}, domain.Dating{})
	if fes := fieldErrors(t, err); len(fes) != 1 || fes[0].Field != "party_id" {
		t.Errorf("the objecting party answering itself: %v", fes)
	}
	err = w.s.Create(ctx, actor, &domain.Rebuttal{ObjectionID: uuid.NewString(), PartyID: w.ua.ID, Grounds: "x", StatedOn: "2025-05-17"}, domain.Dating{})
	if fes := fieldErrors(t, err); len(fes) != 1 || fes[0].Field != "objection_id" {
		t.Errorf("an answer to no objection: %v", fes)
	}
	neg2 := mustCreate(t, w.s, &domain.Negotiation{Title: "Other talks"})
	elsewhere := mustCreate(t, w.s, &domain.Round{NegotiationID: neg2.ID, Title: "Geneva", StartsOn: "2025-06-01"})
	err = w.s.Create(ctx, actor, &domain.Rebuttal{ObjectionID: obj.ID, PartyID: w.us.ID, Grounds: "x", StatedOn: "2025-05-17", RoundID: elsewhere.ID}, domain.Dating{})
	if fes := fieldErrors(t, err); len(fes) != 1 || fes[0].Field != "round_id" {
		t.Errorf("a rebuttal in another negotiation's round: %v", fes)
	}
	mustCreate(t, w.s, &domain.Rebuttal{ObjectionID: obj.ID, PartyID: w.us.ID, Grounds: "talks first", StatedOn: "2025-05-17"})
	_, err = w.s.Update(ctx, actor, domain.KindObjection, obj.ID, 0, domain.Dating{}, func(r domain.Resource) (domain.Resource, error) {
		r.(*domain.Objection).PartyID = w.us.ID
		return r, nil
	})
	if fes := fieldErrors(t, err); len(fes) != 1 || fes[0].Field != "party_id" {
		t.Errorf("the objection moved to the party that answered it: %v", fes)
	}
	_, err = w.s.Update(ctx, actor, domain.KindRebuttal, reb.ID, 1, domain.Dating{}, func(r domain.Resource) (domain.Resource, error) {
		r.(*domain.Rebuttal).PartyID = w.ru.ID
		return r, nil
	})
	if fes := fieldErrors(t, err); len(fes) != 1 || fes[0].Field != "party_id" {
		t.Errorf("a rebuttal changed to the objecting party: %v", fes)
	}

	page, err := w.s.List(ctx, domain.ListQuery{Kind: domain.KindRebuttal, Refs: map[string]string{"objection_id": obj.ID}})
	if err != nil || len(page.Items) != 2 || page.Items[0].Base().ID != reb.ID {
		t.Errorf("rebuttals of the objection: %v %v", page.Items, err)
	}
	// The party and the round it names cannot go while it stands.
	ce := errorAs[*domain.ConflictError](t, w.s.Delete(ctx, actor, domain.KindRound, w.round.ID, 0))
	if len(ce.ReferredBy) != 1 || ce.ReferredBy[0].Kind != domain.KindRebuttal {
		t.Errorf("delete of the round: %+v", ce.ReferredBy)
	}
	ce = errorAs[*domain.ConflictError](t, w.s.Delete(ctx, actor, domain.KindParty, w.us.ID, 0))
	rebuttals := 0
	for _, r := range ce.ReferredBy {
		if r.Kind == domain.KindRebuttal {
			rebuttals++
		}
	}
	if rebuttals != 1 {
		t.Errorf("delete of the US names %d rebuttals, want its one: %+v", rebuttals, ce.ReferredBy)
	}
}

// TestRebuttalsInSnapshots: a rebuttal is in the snapshot of now and of
// any moment from its date on, and in the dated state a back-dated
// change gave it.
func TestRebuttalsInSnapshots(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	obj := mustCreate(t, w.s, &domain.Objection{DemandID: w.demand.ID, PartyID: w.ru.ID, Grounds: "lets Ukraine rest", StatedOn: "2025-05-16"})
	reb := mustCreate(t, w.s, &domain.Rebuttal{ObjectionID: obj.ID, PartyID: w.ua.ID, Grounds: "first answer", StatedOn: "2025-05-17"})
	when := domain.Dating{EffectiveAt: time.Date(2025, 5, 20, 0, 0, 0, 0, time.UTC), Note: "sharpened"}
	if _, err := w.s.Update(ctx, actor, domain.KindRebuttal, reb.ID, 1, when, func(r domain.Resource) (domain.Resource, error) {
		r.(*domain.Rebuttal).Grounds = "second answer"
		return r, nil
	}); err != nil {
		t.Fatal(err)
	}
	grounds := func(at domain.Moment) string {
		t.Helper()
		snap, err := w.s.Snapshot(ctx, w.neg.ID, at)
		if err != nil {
			t.Fatal(err)
		}
		if len(snap.Rebuttals) == 0 {
			return ""
		}
		return snap.Rebuttals[0].Grounds
	}
	day := func(d int) domain.Moment {
		return domain.Moment{AsOf: time.Date(2025, 5, d, 23, 59, 0, 0, time.UTC)}
	}
	for _, tc := range []struct {
		at   domain.Moment
		want string
	}{{domain.Moment{}, "second answer"}, {day(16), ""}, {day(17), "first answer"}, {day(19), "first answer"}, {day(20), "second answer"}} {
		if got := grounds(tc.at); got != tc.want {
			t.Errorf("as of %v: %q, want %q", tc.at.AsOf, got, tc.want)
		}
	}
	hist, err := w.s.History(ctx, domain.KindRebuttal, reb.ID)
	if err != nil || len(hist) != 2 || hist[1].ChangeNote != "sharpened" {
		t.Fatalf("history %+v %v", hist, err)
	}
}

// TestRebuttalsGoWithTheirObjection: a rebuttal is a part of the
// objection it answers, as an objection is of its demand: deleting the
// objection, or the demand, deletes it with a revision.
func TestRebuttalsGoWithTheirObjection(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	obj := mustCreate(t, w.s, &domain.Objection{DemandID: w.demand.ID, PartyID: w.ru.ID, Grounds: "no", StatedOn: "2025-05-16"})
	first := mustCreate(t, w.s, &domain.Rebuttal{ObjectionID: obj.ID, PartyID: w.ua.ID, Grounds: "yes", StatedOn: "2025-05-16"})
	parts, referredBy, err := w.s.Dependents(ctx, domain.KindObjection, obj.ID)
	if err != nil || len(referredBy) != 0 || len(parts) != 1 || parts[0].ID != first.ID {
		t.Fatalf("dependents of the objection: %v %v %v", parts, referredBy, err)
	}
	parts, _, err = w.s.Dependents(ctx, domain.KindDemand, w.demand.ID)
	if err != nil || len(parts) != 2 {
		t.Fatalf("dependents of the demand: %v %v", parts, err)
	}
	if err := w.s.Delete(ctx, actor, domain.KindObjection, obj.ID, 0); err != nil {
		t.Fatal(err)
	}
	assertDeleted(t, w, first)

	obj2 := mustCreate(t, w.s, &domain.Objection{DemandID: w.demand.ID, PartyID: w.ru.ID, Grounds: "still no", StatedOn: "2025-05-16"})
	second := mustCreate(t, w.s, &domain.Rebuttal{ObjectionID: obj2.ID, PartyID: w.us.ID, Grounds: "still yes", StatedOn: "2025-05-16"})
	if err := w.s.Delete(ctx, actor, domain.KindDemand, w.demand.ID, 0); err != nil {
		t.Fatal(err)
	}
	assertDeleted(t, w, obj2)
	assertDeleted(t, w, second)
}

func assertDeleted(t *testing.T, w *world, r domain.Resource) {
	t.Helper()
	if _, err := w.s.Get(context.Background(), r.Kind(), r.Base().ID); err == nil {
		t.Errorf("%s survived its owner", r.Kind().Singular())
	}
	hist, err := w.s.History(context.Background(), r.Kind(), r.Base().ID)
	if err != nil {
		t.Fatal(err)
	}
	if last := hist[len(hist)-1]; last.Action != "delete" {
		t.Errorf("%s's last revision is %s", r.Kind().Singular(), last.Action)
	}
}

// TestCreateManyRebuttals: a batch can hold an objection and its answer.
func TestCreateManyRebuttals(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	obj := &domain.Objection{Meta: domain.Meta{ID: uuid.NewString()}, DemandID: w.demand.ID, PartyID: w.ru.ID, Grounds: "no", StatedOn: "2025-05-16"}
	reb := &domain.Rebuttal{ObjectionID: obj.ID, PartyID: w.ua.ID, Grounds: "yes", StatedOn: "2025-05-16"}
	self := &domain.Rebuttal{ObjectionID: obj.ID, PartyID: w.ru.ID, Grounds: "me", StatedOn: "2025-05-16"}
	err := w.s.CreateMany(ctx, actor, []domain.Resource{obj, reb, self}, nil)
	be := errorAs[*domain.BatchError](t, err)
	if len(be.Items) != 1 || be.Items[0].Index != 2 {
		t.Fatalf("batch errors %+v", be.Items)
	}
	obj.ID = uuid.NewString()
	reb = &domain.Rebuttal{ObjectionID: obj.ID, PartyID: w.ua.ID, Grounds: "yes", StatedOn: "2025-05-16"}
	if err := w.s.CreateMany(ctx, actor, []domain.Resource{obj, reb}, nil); err != nil {
		t.Fatal(err)
	}
	if reb.NegotiationID != w.neg.ID {
		t.Errorf("batch rebuttal negotiation %q", reb.NegotiationID)
	}
}
