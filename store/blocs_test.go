package store_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/parley/parley/domain"
	"github.com/parley/parley/store/storetest"
)

// TestBlocMembersRoundTripAndHold: a bloc's members survive export and
// import (a bloc listed before its members included), and once imported
// they still keep a member from being deleted and a cycle from closing.
func TestBlocMembersRoundTripAndHold(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	late := mustCreate(t, w.s, &domain.Party{Name: "Late Member", PartyKind: "state"})
	outer := mustCreate(t, w.s, &domain.Party{Name: "Outer Bloc", PartyKind: "bloc"})
	inner := mustCreate(t, w.s, &domain.Party{Name: "Inner Bloc", PartyKind: "bloc", Members: []domain.Membership{{PartyID: w.ua.ID, Since: "2020-01-01"}, {PartyID: late.ID}}})
	// The outer bloc was created first, so the export lists it before
	// the inner bloc it now contains.
	if _, err := w.s.Update(ctx, actor, domain.KindParty, outer.ID, 0, domain.Dating{}, func(r domain.Resource) (domain.Resource, error) {
		r.(*domain.Party).Members = []domain.Membership{{PartyID: inner.ID}}
		return r, nil
	}); err != nil {
		t.Fatal(err)
	}
	doc := export(t, w.s)
	fresh := storetest.Open(t)
	if err := fresh.Import(ctx, bytes.NewReader(doc)); err != nil {
		t.Fatal(err)
	}
	if again := export(t, fresh); !bytes.Equal(doc, again) {
		t.Fatal("export after import differs")
	}
	got, err := fresh.Get(ctx, domain.KindParty, inner.ID)
	if err != nil || len(got.(*domain.Party).Members) != 2 || got.(*domain.Party).Members[0].Since != "2020-01-01" {
		t.Fatalf("imported bloc: %+v %v", got, err)
	}
	var conflict *domain.ConflictError
	if err := fresh.Delete(ctx, actor, domain.KindParty, late.ID, 0); !errors.As(err, &conflict) {
		t.Errorf("deleting a member after import: %v, want a conflict naming the bloc", err)
	}
	_, err = fresh.Update(ctx, actor, domain.KindParty, inner.ID, 0, domain.Dating{}, func(r domain.Resource) (domain.Resource, error) {
		r.(*domain.Party).Members = append(r.(*domain.Party).Members, domain.Membership{PartyID: outer.ID})
		return r, nil
	})
	var invalid *domain.ValidationError
	if !errors.As(err, &invalid) || invalid.Errors.On("members[2].party_id") == "" {
		t.Errorf("closing a cycle after import: %v, want a 422 on members[2].party_id", err)
	}
	// An export whose blocs contain each other is refused whole.
	cyclic := strings.Replace(string(doc), `"members":[{"party_id":"`+w.ua.ID+`"`, `"members":[{"party_id":"`+outer.ID+`"`, 1)
	if cyclic == string(doc) {
		t.Fatal("could not build a cyclic document")
	}
	if err := storetest.Open(t).Import(ctx, strings.NewReader(cyclic)); err == nil || !strings.Contains(err.Error(), "membership chain") {
		t.Errorf("import of blocs in a cycle: %v", err)
	}
}
