package store_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/parley/parley/domain"
	"github.com/parley/parley/store"
	"github.com/parley/parley/store/storetest"
)

// TestDemandCannotPassToItsObjector checks the objection rule from the
// demand's side: a demand whose party changes to one that objects to it
// would leave a party objecting to its own demand.
func TestDemandCannotPassToItsObjector(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	mustCreate(t, w.s, &domain.Objection{DemandID: w.demand.ID, PartyID: w.ru.ID, Grounds: "no", StatedOn: "2025-05-16"})
	cases := []struct {
		name  string
		party *domain.Party
		ok    bool
	}{
		{"to the objector", w.ru, false},
		{"to a party that does not object", w.us, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := w.s.Update(ctx, actor, domain.KindDemand, w.demand.ID, 0, domain.Dating{}, func(r domain.Resource) (domain.Resource, error) {
				r.(*domain.Demand).PartyID = tc.party.ID
				return r, nil
			})

			if tc.ok {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if got := fieldErrors(t, err).On("party_id"); !strings.Contains(got, "objects to") {
				t.Fatalf("party_id: %q", got)
			}
		})
	}
}

// TestDemandWaitsForParticipantChange races a demand's create against a
// change of the negotiation's participants on PostgreSQL, where writers run
// side by side: a demand by a party being dropped must see the drop and be
// refused, not slip in beside it. The concurrent change is played by a raw
// transaction that holds the negotiation as Update does and drops the
// mediator.
func TestDemandWaitsForParticipantChange(t *testing.T) {
	if os.Getenv(storetest.EnvDatabaseURL) == "" {
		t.Skip("SQLite runs one writer at a time; the race needs PostgreSQL")
	}
	ctx := context.Background()
	dsn := storetest.DSN(t)
	s, err := store.Open(ctx, dsn, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	ua := mustCreate(t, s, &domain.Party{Name: "Ukraine"})
	us := mustCreate(t, s, &domain.Party{Name: "United States"})
	neg := mustCreate(t, s, &domain.Negotiation{Title: "Talks", Participants: []domain.Participant{
		{PartyID: ua.ID, Role: "principal"}, {PartyID: us.ID, Role: "mediator"},
	}})
	topic := mustCreate(t, s, &domain.Topic{NegotiationID: neg.ID, Title: "Ceasefire"})

	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	tx, err := conn.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, "SELECT id FROM negotiations WHERE id = $1 FOR UPDATE", neg.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, "DELETE FROM negotiation_participants WHERE negotiation_id = $1 AND party_id = $2", neg.ID, us.ID); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		done <- s.Create(ctx, actor, &domain.Demand{NegotiationID: neg.ID, PartyID: us.ID, TopicID: topic.ID, Title: "30 days", StatedOn: "2025-05-16"}, domain.Dating{})
	}()
	select {
	case err := <-done:
		t.Fatalf("the create did not wait for the participant change: %v", err)
	case <-time.After(300 * time.Millisecond):
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	err = <-done
	if got := fieldErrors(t, err).On("party_id"); !strings.Contains(got, "not a participant") {
		t.Fatalf("party_id: %q", got)
	}
}

// TestDependentsSayWhatDeleteDoes: Dependents names the parts a delete
// takes and the referrers that refuse it, as Delete then does.
func TestDependentsSayWhatDeleteDoes(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	obj := mustCreate(t, w.s, &domain.Objection{DemandID: w.demand.ID, PartyID: w.ru.ID, Grounds: "rest", StatedOn: "2025-05-16"})
	parts, refs, err := w.s.Dependents(ctx, domain.KindDemand, w.demand.ID)
	if err != nil || len(refs) != 0 || len(parts) != 1 || parts[0].ID != obj.ID || parts[0].Kind != domain.KindObjection {
		t.Fatalf("demand: parts %v, referrers %v, %v", parts, refs, err)
	}
	_, refs, err = w.s.Dependents(ctx, domain.KindTopic, w.topic.ID)
	if err != nil || len(refs) != 1 || refs[0].ID != w.demand.ID || refs[0].Field != "topic_id" {
		t.Fatalf("topic: referrers %v, %v", refs, err)
	}
	conflict := errorAs[*domain.ConflictError](t, w.s.Delete(ctx, actor, domain.KindTopic, w.topic.ID, 0))
	if len(conflict.ReferredBy) != len(refs) || conflict.ReferredBy[0].ID != refs[0].ID {
		t.Errorf("Delete refused naming %v, Dependents said %v", conflict.ReferredBy, refs)
	}
}
