package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/parley/parley/domain"
	"github.com/parley/parley/store"
	"github.com/parley/parley/store/storetest"
)

const actor = "tester"

// world is a small negotiation: two principals and a mediator, a round, a
// topic and a demand by the first principal.
type world struct {
	s                  *store.Store
	ua, ru, us, absent *domain.Party
	neg                *domain.Negotiation
	round              *domain.Round
	topic              *domain.Topic
	demand             *domain.Demand
}

func newWorld(t *testing.T) *world {
	t.Helper()
	return newWorldIn(t, storetest.Open(t))
}

// newWorldIn builds the world in the store s.
func newWorldIn(t *testing.T, s *store.Store) *world {
	t.Helper()
	w := &world{s: s}
	w.ua = mustCreate(t, w.s, &domain.Party{Name: "Ukraine", Aliases: []string{"UA"}})
	w.ru = mustCreate(t, w.s, &domain.Party{Name: "Russia", Aliases: []string{"Russian Federation", "RF"}})
	w.us = mustCreate(t, w.s, &domain.Party{Name: "United States", ShortName: "US"})
	w.absent = mustCreate(t, w.s, &domain.Party{Name: "Switzerland"})
	w.neg = mustCreate(t, w.s, &domain.Negotiation{Title: "Istanbul talks", Participants: []domain.Participant{
		{PartyID: w.ua.ID, Role: "principal"}, {PartyID: w.ru.ID, Role: "principal"}, {PartyID: w.us.ID, Role: "mediator"},
	}})
	w.round = mustCreate(t, w.s, &domain.Round{NegotiationID: w.neg.ID, Title: "Dolmabahce", StartsOn: "2025-05-16"})
	w.topic = mustCreate(t, w.s, &domain.Topic{NegotiationID: w.neg.ID, Title: "Ceasefire"})
	w.demand = w.newDemand(t, w.ua, "30-day ceasefire")
	return w
}

func (w *world) newDemand(t *testing.T, p *domain.Party, title string) *domain.Demand {
	t.Helper()
	return mustCreate(t, w.s, &domain.Demand{
		NegotiationID: w.neg.ID, PartyID: p.ID, TopicID: w.topic.ID, Title: title, StatedOn: "2025-05-16",
		Terms: map[string]any{"duration_days": float64(30), "unconditional": true},
	})
}

func mustCreate[T domain.Resource](t *testing.T, s *store.Store, r T) T {
	t.Helper()
	if err := s.Create(context.Background(), actor, r, domain.Dating{}); err != nil {
		t.Fatalf("create %s: %v", r.Kind().Singular(), err)
	}
	return r
}

// fieldErrors returns the field errors of a *domain.ValidationError, failing
// the test for any other error.
func fieldErrors(t *testing.T, err error) domain.FieldErrors {
	t.Helper()
	var ve *domain.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("want a validation error, got %T %v", err, err)
	}
	return ve.Errors
}

func errorAs[E error](t *testing.T, err error) E {
	t.Helper()
	var target E
	if !errors.As(err, &target) {
		t.Fatalf("want %T, got %T %v", target, err, err)
	}
	return target
}
