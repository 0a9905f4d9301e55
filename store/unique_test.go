package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/parley/parley/domain"
)

func TestPartyNamesAndAliasesAreUniqueAcrossParties(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	de := mustCreate(t, w.s, &domain.Party{Name: "Straße", Aliases: []string{"Bundesrepublik"}})
	tests := []struct {
		name  string
		party *domain.Party
		field string
		with  *domain.Party
	}{
		{"name equals a name, other case", &domain.Party{Name: "UKRAINE"}, "name", w.ua},
		{"name equals an alias", &domain.Party{Name: "russian federation"}, "name", w.ru},
		{"alias equals a name", &domain.Party{Name: "Kyiv", Aliases: []string{"Kyiv government", "ukraine"}}, "aliases[1]", w.ua},
		{"alias equals an alias", &domain.Party{Name: "Moscow", Aliases: []string{"rf"}}, "aliases[0]", w.ru},
		{"full case folding", &domain.Party{Name: "STRASSE"}, "name", de},
		{"compatibility forms and spaces", &domain.Party{Name: "Other", Aliases: []string{"ＢＵＮＤＥＳＲＥＰＵＢＬＩＫ"}}, "aliases[0]", de},
		{"spaces collapse", &domain.Party{Name: "United   States"}, "name", w.us},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := w.s.Create(ctx, actor, tt.party, domain.Dating{})
			ce := errorAs[*domain.ConflictError](t, err)
			if ce.Field != tt.field || ce.With == nil || ce.With.ID != tt.with.ID || ce.With.Name != tt.with.Name {
				t.Errorf("conflict %+v with %+v, want field %s naming %s", ce, ce.With, tt.field, tt.with.Name)
			}
		})
	}
	// A party may keep its own names, and an alias that is its own name
	// in another case names nothing new.
	ua, err := w.s.Update(ctx, actor, domain.KindParty, w.ua.ID, 0, domain.Dating{}, func(r domain.Resource) (domain.Resource, error) {
		p := r.(*domain.Party)
		p.Aliases = append(p.Aliases, "UKRAINE", "Україна")
		return p, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := ua.(*domain.Party).Aliases; len(got) != 2 || got[1] != "Україна" {
		t.Errorf("aliases %q, want the duplicate of the name dropped", got)
	}
	// A renamed party gives its old name up.
	if _, err := w.s.Update(ctx, actor, domain.KindParty, de.ID, 0, domain.Dating{}, func(r domain.Resource) (domain.Resource, error) {
		p := r.(*domain.Party)
		p.Name, p.Aliases = "Germany", nil
		return p, nil
	}); err != nil {
		t.Fatal(err)
	}
	mustCreate(t, w.s, &domain.Party{Name: "strasse", Aliases: []string{"Bundesrepublik"}})
	// An update into another party's name is refused too.
	_, err = w.s.Update(ctx, actor, domain.KindParty, w.absent.ID, 0, domain.Dating{}, func(r domain.Resource) (domain.Resource, error) {
		p := r.(*domain.Party)
		p.Aliases = []string{"US", "united states"}
		return p, nil
	})
	if ce := errorAs[*domain.ConflictError](t, err); ce.With == nil || ce.With.ID != w.us.ID || ce.Field != "aliases[1]" {
		t.Errorf("update: %+v", ce)
	}
	// A deleted party's names are free again.
	if err := w.s.Delete(ctx, actor, domain.KindParty, w.absent.ID, 0); err != nil {
		t.Fatal(err)
	}
	mustCreate(t, w.s, &domain.Party{Name: "SWITZERLAND"})
}

func TestConcurrentCreatesOfOneNameKeepOne(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	const writers = 8
	var wg sync.WaitGroup
	errs := make([]error, writers)
	for i := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Every writer claims the same folded alias under its own name.
			p := &domain.Party{Name: fmt.Sprintf("Claimant %d", i), Aliases: []string{[]string{"State of Israel", "STATE OF ISRAEL", "state of israel"}[i%3]}}
			errs[i] = w.s.Create(ctx, actor, p, domain.Dating{})
		}()
	}
	wg.Wait()
	won := 0
	for i, err := range errs {
		var ce *domain.ConflictError
		switch {
		case err == nil:
			won++
		case errors.As(err, &ce):
			if ce.With == nil || ce.Field != "aliases[0]" {
				t.Errorf("writer %d: conflict %q does not name the winner", i, ce.Detail)
			}
		default:
			t.Errorf("writer %d: %v", i, err)
		}
	}
	if won != 1 {
		t.Errorf("%d writers created a party with the alias, want exactly 1", won)
	}
}

func TestASecondDelegationToARoundIsRefused(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	first := mustCreate(t, w.s, &domain.Delegation{RoundID: w.round.ID, PartyID: w.ua.ID, HeadName: "Rustem Umerov"})
	err := w.s.Create(ctx, actor, &domain.Delegation{RoundID: w.round.ID, PartyID: w.ua.ID, HeadName: "Someone else"}, domain.Dating{})
	ce := errorAs[*domain.ConflictError](t, err)
	if ce.Field != "party_id" || ce.With == nil || ce.With.ID != first.ID || ce.With.Kind != domain.KindDelegation {
		t.Errorf("conflict %+v %+v, want it to name delegation %s", ce, ce.With, first.ID)
	}
	// Moving another delegation onto the seat is refused the same way.
	ru := mustCreate(t, w.s, &domain.Delegation{RoundID: w.round.ID, PartyID: w.ru.ID})
	_, err = w.s.Update(ctx, actor, domain.KindDelegation, ru.ID, 0, domain.Dating{}, func(r domain.Resource) (domain.Resource, error) {
		d := r.(*domain.Delegation)
		d.PartyID = w.ua.ID
		return d, nil
	})
	if ce := errorAs[*domain.ConflictError](t, err); ce.With == nil || ce.With.ID != first.ID {
		t.Errorf("update onto a taken seat: %+v", ce)
	}
	// Racing writers for one seat: exactly one wins.
	var wg sync.WaitGroup
	errs := make([]error, 6)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = w.s.Create(ctx, actor, &domain.Delegation{RoundID: w.round.ID, PartyID: w.us.ID}, domain.Dating{})
		}()
	}
	wg.Wait()
	won := 0
	for _, err := range errs {
		if err == nil {
			won++
		} else if ce := errorAs[*domain.ConflictError](t, err); ce.With == nil {
			t.Errorf("a losing writer's conflict names no delegation: %q", ce.Detail)
		}
	}
	if won != 1 {
		t.Errorf("%d delegations of one party to one round, want 1", won)
	}
	// Deleting the first frees its seat.
	if err := w.s.Delete(ctx, actor, domain.KindDelegation, first.ID, 0); err != nil {
		t.Fatal(err)
	}
	mustCreate(t, w.s, &domain.Delegation{RoundID: w.round.ID, PartyID: w.ua.ID})
}
