package store_test

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/parley/parley/domain"
)

func TestDemandTermsAreNormalisedAgainstTheTopic(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	topic := mustCreate(t, w.s, &domain.Topic{NegotiationID: w.neg.ID, Title: "Aid", TermDefinitions: []domain.TermDefinition{
		{Key: "trucks_per_day", Type: "number", Unit: "trucks/day"},
		{Key: "fund", Type: "money"},
	}})
	d := mustCreate(t, w.s, &domain.Demand{NegotiationID: w.neg.ID, PartyID: w.ua.ID, TopicID: topic.ID, Title: "Aid", StatedOn: "2025-05-16",
		Terms: map[string]any{"trucks_per_day": "1,500", "fund": "$1.2bn", "free": "kept"}})
	got, err := w.s.Get(ctx, domain.KindDemand, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"trucks_per_day": 1500.0, "fund": map[string]any{"amount": "1200000000", "currency": "USD"}, "free": "kept"}
	if terms := got.(*domain.Demand).Terms; !reflect.DeepEqual(terms, want) {
		t.Errorf("stored terms = %#v, want %#v", terms, want)
	}

	err = w.s.Create(ctx, actor, &domain.Demand{NegotiationID: w.neg.ID, PartyID: w.ru.ID, TopicID: topic.ID, Title: "Less aid", StatedOn: "2025-05-16",
		Terms: map[string]any{"trucks_per_day": "1.2.3", "fund": "$"}}, domain.Dating{})
	errs := fieldErrors(t, err)
	if len(errs) != 2 || !strings.Contains(errs.On("terms.trucks_per_day"), "a number of trucks/day") || !strings.Contains(errs.On("terms.fund"), `got "$"`) {
		t.Errorf("errors = %v, want one on each term saying what was expected", errs)
	}

	_, err = w.s.Update(ctx, actor, domain.KindDemand, d.ID, 0, domain.Dating{}, func(r domain.Resource) (domain.Resource, error) {
		r.(*domain.Demand).Terms["trucks_per_day"] = "2 000"
		return r, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	got, _ = w.s.Get(ctx, domain.KindDemand, d.ID)
	if v := got.(*domain.Demand).Terms["trucks_per_day"]; v != 2000.0 {
		t.Errorf("updated value = %#v, want 2000", v)
	}
}

func TestDefiningATermConvertsOrRefuses(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	other := mustCreate(t, w.s, &domain.Demand{NegotiationID: w.neg.ID, PartyID: w.ru.ID, TopicID: w.topic.ID, Title: "Truce", StatedOn: "2025-05-16",
		Terms: map[string]any{"duration_days": "3", "unconditional": "no"}})
	define := func(defs ...domain.TermDefinition) error {
		_, err := w.s.Update(ctx, actor, domain.KindTopic, w.topic.ID, 0, domain.Dating{}, func(r domain.Resource) (domain.Resource, error) {
			r.(*domain.Topic).TermDefinitions = defs
			return r, nil
		})
		return err
	}

	// "3 days" does not fit a date: the whole change is refused, naming the demand.
	errs := fieldErrors(t, define(domain.TermDefinition{Key: "duration_days", Type: "date"}))
	if len(errs) != 2 || errs[0].Field != "term_definitions" || !strings.Contains(errs[0].Message, w.demand.ID) || !strings.Contains(errs[1].Message, other.ID) {
		t.Fatalf("errors = %v, want both demands named", errs)
	}
	if tp, _ := w.s.Get(ctx, domain.KindTopic, w.topic.ID); len(tp.(*domain.Topic).TermDefinitions) != 0 {
		t.Fatal("the refused definition was stored")
	}

	if err := define(domain.TermDefinition{Key: "duration_days", Type: "number", Unit: "days"}, domain.TermDefinition{Key: "unconditional", Type: "boolean"}); err != nil {
		t.Fatal(err)
	}
	got, _ := w.s.Get(ctx, domain.KindDemand, other.ID)
	d := got.(*domain.Demand)
	if d.Terms["duration_days"] != 3.0 || d.Terms["unconditional"] != false || d.Version != 2 {
		t.Errorf("converted demand = v%d %#v, want v2 with 3 and false", d.Version, d.Terms)
	}
	history, err := w.s.History(ctx, domain.KindDemand, other.ID)
	if err != nil || len(history) != 2 || history[1].Action != "update" {
		t.Fatalf("history = %+v, %v; want the conversion as an update revision", history, err)
	}
	// The demand already in stored form is not rewritten.
	if got, _ := w.s.Get(ctx, domain.KindDemand, w.demand.ID); got.Base().Version != 1 {
		t.Errorf("unchanged demand went to version %d", got.Base().Version)
	}
}
