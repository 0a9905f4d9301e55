package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/parley/parley/domain"
)

// TestSnapshotAsOfFollowsMoves checks the as-of snapshot of both sides of
// an objection and an endorsement that an edit moved to a demand of another
// negotiation, then back: each stands in the negotiation it was in at the
// instant, and in no other.
func TestSnapshotAsOfFollowsMoves(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	other := mustCreate(t, w.s, &domain.Negotiation{Title: "Geneva talks", Participants: []domain.Participant{
		{PartyID: w.ua.ID, Role: "principal"}, {PartyID: w.ru.ID, Role: "principal"},
	}})
	otherTopic := mustCreate(t, w.s, &domain.Topic{NegotiationID: other.ID, Title: "Prisoners"})
	otherDemand := mustCreate(t, w.s, &domain.Demand{NegotiationID: other.ID, PartyID: w.ua.ID, TopicID: otherTopic.ID,
		Title: "All for all", StatedOn: "2025-05-16"})
	obj := mustCreate(t, w.s, &domain.Objection{DemandID: w.demand.ID, PartyID: w.ru.ID, Grounds: "rest", StatedOn: "2025-05-16"})
	end := mustCreate(t, w.s, &domain.Endorsement{DemandID: w.demand.ID, PartyID: w.us.ID, StatedOn: "2025-05-16", Note: "US backs"})
	moveTo := func(demandID string) {
		t.Helper()
		for _, r := range []domain.Resource{obj, end} {
			_, err := w.s.Update(ctx, actor, r.Kind(), r.Base().ID, 0, domain.Dating{}, func(cur domain.Resource) (domain.Resource, error) {
				switch v := cur.(type) {
				case *domain.Objection:
					v.DemandID = demandID
				case *domain.Endorsement:
					v.DemandID = demandID
				}
				return cur, nil
			})

			if err != nil {
				t.Fatal(err)
			}
		}
	}
	beforeMove := pause()
	moveTo(otherDemand.ID)
	moved := pause()
	moveTo(w.demand.ID)
	back := pause()

	type counts struct{ objections, endorsements int }
	cases := []struct {
		name      string
		asOf      time.Time
		here, far counts
	}{
		{"before the move", beforeMove, counts{1, 1}, counts{0, 0}},
		{"moved away", moved, counts{0, 0}, counts{1, 1}},
		{"moved back", back, counts{1, 1}, counts{0, 0}},
		{"now", time.Time{}, counts{1, 1}, counts{0, 0}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, side := range []struct {
				id   string
				want counts
			}{{w.neg.ID, tc.here}, {other.ID, tc.far}} {
				snap, err := w.s.Snapshot(ctx, side.id, domain.Moment{AsOf: tc.asOf})
				if err != nil {
					t.Fatal(err)
				}
				got := counts{len(snap.Objections), len(snap.Endorsements)}
				if got != side.want {
					t.Errorf("%s: %+v, want %+v", snap.Negotiation.Title, got, side.want)
				}
				for _, o := range snap.Objections {
					if o.NegotiationID != side.id {
						t.Errorf("%s holds an objection of negotiation %s", snap.Negotiation.Title, o.NegotiationID)
					}
				}
			}
		})
	}
}
