package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/parley/parley/domain"
)

// backfill is a negotiation recorded after the fact and out of order, as
// an analyst backfills a year of talks: round 3 before round 2, and a
// round-2 move learned last.
type backfill struct {
	*world
	r1, r2, r3 *domain.Round
	zone       *domain.Demand // Israel's buffer zone, metres
	objection  *domain.Objection
	// recorded are instants of record time between the steps.
	afterRound3, afterRound2, afterLateMove time.Time
}

func day(s string) time.Time {
	t, err := time.Parse(domain.DateLayout, s)
	if err != nil {
		panic(err)
	}
	return t
}

func dated(s string) domain.Dating { return domain.Dating{EffectiveAt: day(s)} }

func newBackfill(t *testing.T) *backfill {
	t.Helper()
	ctx := context.Background()
	b := &backfill{world: newWorld(t)}
	update := func(id string, when domain.Dating, f func(*domain.Demand)) {
		t.Helper()
		if _, err := b.s.Update(ctx, actor, domain.KindDemand, id, 0, when, func(r domain.Resource) (domain.Resource, error) {
			f(r.(*domain.Demand))
			return r, nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	b.r1 = mustCreate(t, b.s, &domain.Round{NegotiationID: b.neg.ID, Title: "Round 1", StartsOn: "2025-01-06", EndsOn: "2025-01-07"})
	b.zone = mustCreate(t, b.s, &domain.Demand{NegotiationID: b.neg.ID, PartyID: b.ru.ID, TopicID: b.topic.ID,
		Title: "Buffer zone", StatedOn: "2025-01-07", RoundID: b.r1.ID, Terms: map[string]any{"buffer_zone_m": float64(1000)}})
	// Round 3 is recorded before round 2: the buffer zone comes down to
	// 500 m there.
	b.r3 = mustCreate(t, b.s, &domain.Round{NegotiationID: b.neg.ID, Title: "Round 3", StartsOn: "2025-03-01"})
	update(b.zone.ID, dated("2025-03-01"), func(d *domain.Demand) { d.Terms["buffer_zone_m"] = float64(500) })
	b.afterRound3 = pause()
	b.r2 = mustCreate(t, b.s, &domain.Round{NegotiationID: b.neg.ID, Title: "Round 2", StartsOn: "2025-02-03", EndsOn: "2025-02-04"})
	b.objection = mustCreate(t, b.s, &domain.Objection{DemandID: b.zone.ID, PartyID: b.ua.ID, Grounds: "too deep", StatedOn: "2025-02-03"})
	if _, err := b.s.Update(ctx, actor, domain.KindObjection, b.objection.ID, 0, dated("2025-03-01"), func(r domain.Resource) (domain.Resource, error) {
		r.(*domain.Objection).State = "resolved"
		return r, nil
	}); err != nil {
		t.Fatal(err)
	}
	b.afterRound2 = pause()
	// Learned last: in round 2 the zone had already moved to 700 m. The
	// move is inserted at its date; round 3's 500 m stays current.
	update(b.zone.ID, domain.Dating{EffectiveAt: day("2025-02-04"), Note: "softened under US pressure",
		Citations: []domain.Citation{{Title: "Round 2 read-out", Publisher: "Mediators"}}}, func(d *domain.Demand) {
		if d.Terms["buffer_zone_m"] != float64(1000) {
			t.Errorf("the late move applies to %v, want the state of 4 Feb (1000)", d.Terms["buffer_zone_m"])
		}
		d.Terms["buffer_zone_m"] = float64(700)
	})
	b.afterLateMove = pause()
	return b
}

// zoneAt is the buffer zone term at a moment, or -1 if the demand is not
// in the snapshot.
func (b *backfill) zoneAt(t *testing.T, at domain.Moment) float64 {
	t.Helper()
	snap, err := b.s.Snapshot(context.Background(), b.neg.ID, at)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range snap.Demands {
		if d.ID == b.zone.ID {
			return d.Terms["buffer_zone_m"].(float64)
		}
	}
	return -1
}

func TestNegotiationTimeBackfilledOutOfOrder(t *testing.T) {
	b := newBackfill(t)
	ctx := context.Background()
	round := func(r *domain.Round) time.Time { return domain.RoundEnd(r) }
	cases := []struct {
		name string
		at   domain.Moment
		want float64
	}{
		{"now", domain.Moment{}, 500},
		{"before it was stated", domain.Moment{AsOf: day("2025-01-06")}, -1},
		{"as stated in round 1", domain.Moment{AsOf: round(b.r1)}, 1000},
		{"the day before the late move", domain.Moment{AsOf: day("2025-02-03")}, 1000},
		{"end of round 2: the move learned last", domain.Moment{AsOf: round(b.r2)}, 700},
		{"between rounds 2 and 3", domain.Moment{AsOf: day("2025-02-20")}, 700},
		{"end of round 3", domain.Moment{AsOf: round(b.r3)}, 500},
		{"round 2 as known before the late move", domain.Moment{AsOf: round(b.r2), RecordedAsOf: b.afterRound2}, 1000},
		{"round 2 as known after it", domain.Moment{AsOf: round(b.r2), RecordedAsOf: b.afterLateMove}, 700},
		{"round 3 as known right after it was recorded", domain.Moment{AsOf: round(b.r3), RecordedAsOf: b.afterRound3}, 500},
		{"latest as known after round 3 was recorded", domain.Moment{RecordedAsOf: b.afterRound3}, 500},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := b.zoneAt(t, tc.at); got != tc.want {
				t.Errorf("buffer zone = %v, want %v", got, tc.want)
			}
		})
	}

	// The stored row keeps the latest dated state under the new version.
	cur, err := b.s.Get(ctx, domain.KindDemand, b.zone.ID)
	if err != nil {
		t.Fatal(err)
	}
	d := cur.(*domain.Demand)
	if d.Terms["buffer_zone_m"] != float64(500) || d.Version != 3 || !d.EffectiveAt.Equal(day("2025-03-01")) {
		t.Errorf("current: zone %v version %d effective %v, want 500, 3, 2025-03-01", d.Terms["buffer_zone_m"], d.Version, d.EffectiveAt)
	}

	// The objection stands in round 2 and is resolved by round 3; it did
	// not exist in round 1.
	for _, tc := range []struct {
		at   time.Time
		want string
	}{{round(b.r1), ""}, {round(b.r2), "standing"}, {round(b.r3), "resolved"}} {
		snap, err := b.s.Snapshot(ctx, b.neg.ID, domain.Moment{AsOf: tc.at})
		if err != nil {
			t.Fatal(err)
		}
		got := ""
		for _, o := range snap.Objections {
			got = string(o.State)
		}
		if got != tc.want {
			t.Errorf("objection as of %s: %q, want %q", tc.at.Format(domain.DateLayout), got, tc.want)
		}
	}

	// History keeps both clocks, the note and the source.
	hist, err := b.s.History(ctx, domain.KindDemand, b.zone.ID)
	if err != nil {
		t.Fatal(err)
	}
	late := hist[len(hist)-1]
	if !late.EffectiveAt.Equal(day("2025-02-04")) || late.ChangeNote != "softened under US pressure" ||
		len(late.ChangeCitations) != 1 || late.ChangeCitations[0].Title != "Round 2 read-out" || late.At.Before(b.afterRound2) {
		t.Errorf("late revision: %+v", late)
	}
	if !hist[0].EffectiveAt.Equal(day("2025-01-07")) {
		t.Errorf("the create took effect %v, want its stated_on", hist[0].EffectiveAt)
	}

	// The changes of February, in negotiation-time order, each against the
	// state before it in its timeline.
	page, err := b.s.Changes(ctx, domain.ChangesQuery{NegotiationID: b.neg.ID, Since: day("2025-02-01"), Until: domain.EndOfDay(day("2025-02-28"))})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range page.Items {
		got = append(got, string(c.ResourceType)+" "+string(c.Action)+" "+c.EffectiveAt.Format(domain.DateLayout))
	}
	want := []string{"rounds create 2025-02-03", "objections create 2025-02-03", "demands update 2025-02-04"}
	if strings.Join(got, "; ") != strings.Join(want, "; ") {
		t.Fatalf("changes of February:\n got %v\nwant %v", got, want)
	}
	if prev := string(page.Items[2].Previous); !strings.Contains(prev, `"buffer_zone_m":1000`) {
		t.Errorf("the late move's previous state is %s, want the 1000 m of round 1", prev)
	}
	// The move of round 3 has the late move as its previous state.
	march, err := b.s.Changes(ctx, domain.ChangesQuery{NegotiationID: b.neg.ID, Since: day("2025-03-01")})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range march.Items {
		if c.ResourceID == b.zone.ID && !strings.Contains(string(c.Previous), `"buffer_zone_m":700`) {
			t.Errorf("round 3's move has previous state %s, want the 700 m of round 2", c.Previous)
		}
	}
}

func TestChangesArePaged(t *testing.T) {
	b := newBackfill(t)
	ctx := context.Background()
	all, err := b.s.Changes(ctx, domain.ChangesQuery{NegotiationID: b.neg.ID, Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	var paged []domain.Change
	q := domain.ChangesQuery{NegotiationID: b.neg.ID, Limit: 2}
	for i := 0; ; i++ {
		page, err := b.s.Changes(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Items) > 2 || i > len(all.Items) {
			t.Fatalf("page %d has %d items", i, len(page.Items))
		}
		paged = append(paged, page.Items...)
		if page.NextCursor == "" {
			break
		}
		q.Cursor = page.NextCursor
	}
	if len(paged) != len(all.Items) || len(all.Items) < 8 {
		t.Fatalf("paged %d, all %d", len(paged), len(all.Items))
	}
	for i := range paged {
		if paged[i].ResourceID != all.Items[i].ResourceID || paged[i].Revision.Revision != all.Items[i].Revision.Revision {
			t.Errorf("item %d differs between paged and whole", i)
		}
		if i > 0 && paged[i].EffectiveAt.Before(paged[i-1].EffectiveAt) {
			t.Errorf("item %d is out of negotiation-time order", i)
		}
	}
	_, err = b.s.Changes(ctx, domain.ChangesQuery{NegotiationID: b.neg.ID, Cursor: "bogus"})
	fieldErrors(t, err)
}

func TestDatedWritesRefused(t *testing.T) {
	b := newBackfill(t)
	ctx := context.Background()
	// A move dated before the demand was stated.
	_, err := b.s.Update(ctx, actor, domain.KindDemand, b.zone.ID, 0, dated("2024-12-01"), func(r domain.Resource) (domain.Resource, error) {
		r.(*domain.Demand).Title = "earlier"
		return r, nil
	})
	if errs := fieldErrors(t, err); errs.On(domain.FieldEffectiveOn) == "" {
		t.Errorf("errors %v do not name effective_on", errs)
	}
	// A stale version is refused for a dated move too, and changes nothing.
	_, err = b.s.Update(ctx, actor, domain.KindDemand, b.zone.ID, 1, dated("2025-02-10"), func(r domain.Resource) (domain.Resource, error) {
		return r, nil
	})
	errorAs[*domain.PreconditionError](t, err)
	if got := b.zoneAt(t, domain.Moment{AsOf: day("2025-02-10")}); got != 700 {
		t.Errorf("zone on 10 Feb = %v after refused writes, want 700", got)
	}
}

// TestDeleteIsRecordedInError: a deleted resource leaves every view at
// every negotiation time, while a read at a record time before the delete
// still shows it.
func TestDeleteIsRecordedInError(t *testing.T) {
	b := newBackfill(t)
	ctx := context.Background()
	beforeDelete := pause()
	if err := b.s.Delete(ctx, actor, domain.KindObjection, b.objection.ID, 0); err != nil {
		t.Fatal(err)
	}
	for _, at := range []domain.Moment{{}, {AsOf: domain.RoundEnd(b.r2)}, {AsOf: domain.RoundEnd(b.r3)}} {
		snap, err := b.s.Snapshot(ctx, b.neg.ID, at)
		if err != nil {
			t.Fatal(err)
		}
		if len(snap.Objections) != 0 {
			t.Errorf("as of %v: the deleted objection still shows", at.AsOf)
		}
	}
	snap, err := b.s.Snapshot(ctx, b.neg.ID, domain.Moment{AsOf: domain.RoundEnd(b.r2), RecordedAsOf: beforeDelete})
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.Objections) != 1 {
		t.Errorf("as recorded before the delete: %d objections, want 1", len(snap.Objections))
	}
	revs, err := b.s.Timeline(ctx, b.neg.ID, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range revs {
		if r.ResourceID == b.objection.ID {
			t.Errorf("the timeline holds the deleted objection's revision %d", r.Revision)
		}
	}
	if len(revs) == 0 || !sortedByEffective(revs) {
		t.Errorf("timeline of %d revisions is not in negotiation-time order", len(revs))
	}
}

func sortedByEffective(revs []domain.Revision) bool {
	for i := 1; i < len(revs); i++ {
		if revs[i].EffectiveAt.Before(revs[i-1].EffectiveAt) {
			return false
		}
	}
	return true
}

// TestContainersFollowWhatStandsInThem: a position stated before the talks
// opened shows under its topic and its negotiation, which had not yet
// taken effect; a view before anything stood is not found.
func TestContainersFollowWhatStandsInThem(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	neg := mustCreate(t, w.s, &domain.Negotiation{Title: "Gaza talks", StartedOn: "2025-01-06", Participants: []domain.Participant{
		{PartyID: w.ua.ID, Role: "principal"}, {PartyID: w.ru.ID, Role: "principal"}}})
	topic := mustCreate(t, w.s, &domain.Topic{NegotiationID: neg.ID, Title: "Ceasefire"})
	if !topic.EffectiveAt.Equal(day("2025-01-06")) {
		t.Errorf("topic takes effect %v, want its negotiation's started_on", topic.EffectiveAt)
	}
	early := mustCreate(t, w.s, &domain.Demand{NegotiationID: neg.ID, PartyID: w.ua.ID, TopicID: topic.ID, Title: "30-day ceasefire", StatedOn: "2024-12-10"})
	snap, err := w.s.Snapshot(ctx, neg.ID, domain.Moment{AsOf: day("2024-12-20")})
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.Demands) != 1 || snap.Demands[0].ID != early.ID || len(snap.Topics) != 1 || snap.Negotiation.ID != neg.ID {
		t.Errorf("before the talks: %+v", summarize(snap))
	}
	_, err = w.s.Snapshot(ctx, neg.ID, domain.Moment{AsOf: day("2024-12-01")})
	errorAs[*domain.NotFoundError](t, err)
}

// TestPartsStayInTheirNegotiation: an objection, an endorsement or a
// delegation cannot be moved into another negotiation, whose timeline is
// its own; within one negotiation they can move.
func TestPartsStayInTheirNegotiation(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	other := mustCreate(t, w.s, &domain.Negotiation{Title: "Geneva talks", Participants: []domain.Participant{
		{PartyID: w.ua.ID, Role: "principal"}, {PartyID: w.ru.ID, Role: "principal"}}})
	otherTopic := mustCreate(t, w.s, &domain.Topic{NegotiationID: other.ID, Title: "Prisoners"})
	otherDemand := mustCreate(t, w.s, &domain.Demand{NegotiationID: other.ID, PartyID: w.ua.ID, TopicID: otherTopic.ID, Title: "All for all", StatedOn: "2025-05-16"})
	otherRound := mustCreate(t, w.s, &domain.Round{NegotiationID: other.ID, Title: "Geneva", StartsOn: "2025-06-01"})
	sameDemand := w.newDemand(t, w.ua, "Return of children")
	obj := mustCreate(t, w.s, &domain.Objection{DemandID: w.demand.ID, PartyID: w.ru.ID, Grounds: "rest", StatedOn: "2025-05-16"})
	end := mustCreate(t, w.s, &domain.Endorsement{DemandID: w.demand.ID, PartyID: w.us.ID, StatedOn: "2025-05-16"})
	del := mustCreate(t, w.s, &domain.Delegation{RoundID: w.round.ID, PartyID: w.ua.ID})
	move := func(r domain.Resource, target string) error {
		_, err := w.s.Update(ctx, actor, r.Kind(), r.Base().ID, 0, domain.Dating{}, func(cur domain.Resource) (domain.Resource, error) {
			switch v := cur.(type) {
			case *domain.Objection:
				v.DemandID = target
			case *domain.Endorsement:
				v.DemandID = target
			case *domain.Delegation:
				v.RoundID = target
			}
			return cur, nil
		})
		return err
	}
	for _, tc := range []struct {
		r      domain.Resource
		target string
		field  string
	}{{obj, otherDemand.ID, "demand_id"}, {end, otherDemand.ID, "demand_id"}, {del, otherRound.ID, "round_id"}} {
		if errs := fieldErrors(t, move(tc.r, tc.target)); errs.On(tc.field) == "" {
			t.Errorf("moving a %s: errors %v do not name %s", tc.r.Kind().Singular(), errs, tc.field)
		}
	}
	if err := move(obj, sameDemand.ID); err != nil {
		t.Errorf("moving an objection within its negotiation: %v", err)
	}
}
