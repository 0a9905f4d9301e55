package store_test

import (
	"context"
	"testing"

	"github.com/parley/parley/domain"
)

func TestRespondsToAndReactionRounds(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	// A bridging proposal by the mediator answers Ukraine's demand.
	bridge := mustCreate(t, w.s, &domain.Demand{NegotiationID: w.neg.ID, PartyID: w.us.ID, TopicID: w.topic.ID,
		Title: "Three-phase framework", StatedOn: "2025-05-17", RespondsToID: w.demand.ID})
	mustCreate(t, w.s, &domain.Endorsement{DemandID: bridge.ID, PartyID: w.ua.ID, StatedOn: "2025-05-17", RoundID: w.round.ID})
	mustCreate(t, w.s, &domain.Objection{DemandID: bridge.ID, PartyID: w.ru.ID, Grounds: "Too slow", StatedOn: "2025-05-17", RoundID: w.round.ID})

	other := mustCreate(t, w.s, &domain.Topic{NegotiationID: w.neg.ID, Title: "Prisoners"})
	err := w.s.Create(ctx, actor, &domain.Demand{NegotiationID: w.neg.ID, PartyID: w.ru.ID, TopicID: other.ID,
		Title: "Exchange", StatedOn: "2025-05-17", RespondsToID: w.demand.ID}, domain.Dating{})
	if fes := fieldErrors(t, err); len(fes) != 1 || fes[0].Field != "responds_to_id" {
		t.Errorf("a demand answering one of another topic: %v", fes)
	}
	// A loop through the chain of answers is refused.
	_, err = w.s.Update(ctx, actor, domain.KindDemand, w.demand.ID, 0, domain.Dating{}, func(r domain.Resource) (domain.Resource, error) {
		d := r.(*domain.Demand)
		d.RespondsToID = bridge.ID
		return d, nil
	})
	if fes := fieldErrors(t, err); len(fes) != 1 || fes[0].Field != "responds_to_id" {
		t.Errorf("a loop of answers: %v", fes)
	}
	// A round of another negotiation is refused on reactions.
	neg2 := mustCreate(t, w.s, &domain.Negotiation{Title: "Other talks"})
	elsewhere := mustCreate(t, w.s, &domain.Round{NegotiationID: neg2.ID, Title: "Geneva", StartsOn: "2025-06-01"})
	err = w.s.Create(ctx, actor, &domain.Endorsement{DemandID: w.demand.ID, PartyID: w.us.ID, StatedOn: "2025-05-17", RoundID: elsewhere.ID}, domain.Dating{})
	if fes := fieldErrors(t, err); len(fes) != 1 || fes[0].Field != "round_id" {
		t.Errorf("an endorsement in another negotiation's round: %v", fes)
	}
	// The answered demand cannot go while its answer refers to it; the
	// round cannot go while reactions are dated to it.
	ce := errorAs[*domain.ConflictError](t, w.s.Delete(ctx, actor, domain.KindDemand, w.demand.ID, 0))
	if len(ce.ReferredBy) != 1 || ce.ReferredBy[0].ID != bridge.ID || ce.ReferredBy[0].Field != "responds_to_id" {
		t.Errorf("delete of the answered demand: %+v", ce.ReferredBy)
	}
	ce = errorAs[*domain.ConflictError](t, w.s.Delete(ctx, actor, domain.KindRound, w.round.ID, 0))
	if len(ce.ReferredBy) != 2 {
		t.Errorf("delete of the round: %+v, want the objection and the endorsement", ce.ReferredBy)
	}
	page, err := w.s.List(ctx, domain.ListQuery{Kind: domain.KindObjection, Refs: map[string]string{"round_id": w.round.ID}})
	if err != nil || len(page.Items) != 1 {
		t.Errorf("objections of the round: %v %v", page.Items, err)
	}
	snap, err := w.s.Snapshot(ctx, w.neg.ID, domain.Moment{})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range snap.Demands {
		if d.ID == bridge.ID && d.RespondsToID != w.demand.ID {
			t.Errorf("the snapshot lost responds_to_id")
		}
	}
	for _, o := range snap.Objections {
		if o.RoundID != w.round.ID {
			t.Errorf("the snapshot lost the objection's round")
		}
	}
}
