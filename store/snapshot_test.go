package store_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/parley/parley/domain"
)

// summary reduces a snapshot to what the tests compare: the titles and
// states of everything in it.
type summary struct {
	Negotiation  string
	Parties      []string
	Rounds       []string
	Delegations  []string
	Topics       []string
	Demands      []string
	Objections   []string
	Endorsements []string
}

func summarize(s *domain.Snapshot) summary {
	var out summary
	out.Negotiation = s.Negotiation.Title + "/" + string(s.Negotiation.State)
	for _, p := range s.Parties {
		out.Parties = append(out.Parties, p.Name)
	}
	for _, r := range s.Rounds {
		out.Rounds = append(out.Rounds, r.Title)
	}
	for _, d := range s.Delegations {
		out.Delegations = append(out.Delegations, d.HeadName)
	}
	for _, tp := range s.Topics {
		out.Topics = append(out.Topics, tp.Title)
	}
	for _, d := range s.Demands {
		out.Demands = append(out.Demands, d.Title+"/"+string(d.State))
	}
	for _, o := range s.Objections {
		out.Objections = append(out.Objections, o.Grounds+"/"+string(o.State))
	}
	for _, e := range s.Endorsements {
		out.Endorsements = append(out.Endorsements, e.Note)
	}
	return out
}

func jsonOf(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// pause makes sure the next write gets a later time stamp than the instant
// just taken.
func pause() time.Time {
	time.Sleep(2 * time.Millisecond)
	t := time.Now()
	time.Sleep(2 * time.Millisecond)
	return t
}

// TestSnapshotRecordedAsOf reads a negotiation as the database held it at
// instants of record time: deleted things appear until their delete.
func TestSnapshotRecordedAsOf(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	update := func(k domain.Kind, id string, f func(domain.Resource)) {
		t.Helper()
		if _, err := w.s.Update(ctx, actor, k, id, 0, domain.Dating{}, func(r domain.Resource) (domain.Resource, error) { f(r); return r, nil }); err != nil {
			t.Fatal(err)
		}
	}
	before := time.Now().Add(-time.Hour)
	t0 := pause()
	mustCreate(t, w.s, &domain.Delegation{RoundID: w.round.ID, PartyID: w.ua.ID, HeadName: "Umerov"})
	obj := mustCreate(t, w.s, &domain.Objection{DemandID: w.demand.ID, PartyID: w.ru.ID, Grounds: "rest", StatedOn: "2025-05-16"})
	second := w.newDemand(t, w.ru, "own demands")
	t1 := pause()
	update(domain.KindDemand, w.demand.ID, func(r domain.Resource) { r.(*domain.Demand).State = "agreed" })
	update(domain.KindObjection, obj.ID, func(r domain.Resource) { r.(*domain.Objection).State = "resolved" })
	mustCreate(t, w.s, &domain.Endorsement{DemandID: w.demand.ID, PartyID: w.us.ID, StatedOn: "2025-05-16", Note: "US backs"})
	update(domain.KindParty, w.ru.ID, func(r domain.Resource) { r.(*domain.Party).Name = "Russian Federation" })
	t2 := pause()
	if err := w.s.Delete(ctx, actor, domain.KindDemand, second.ID, 0); err != nil {
		t.Fatal(err)
	}
	update(domain.KindNegotiation, w.neg.ID, func(r domain.Resource) { r.(*domain.Negotiation).State = "concluded" })

	now := summary{
		Negotiation: "Istanbul talks/concluded", Parties: []string{"Ukraine", "Russian Federation", "United States"},
		Rounds: []string{"Dolmabahce"}, Delegations: []string{"Umerov"}, Topics: []string{"Ceasefire"},
		Demands: []string{"30-day ceasefire/agreed"}, Objections: []string{"rest/resolved"}, Endorsements: []string{"US backs"},
	}
	atT2 := now
	atT2.Negotiation = "Istanbul talks/active"
	atT2.Demands = []string{"30-day ceasefire/agreed", "own demands/tabled"}
	atT1 := summary{
		Negotiation: "Istanbul talks/active", Parties: []string{"Ukraine", "Russia", "United States"},
		Rounds: []string{"Dolmabahce"}, Delegations: []string{"Umerov"}, Topics: []string{"Ceasefire"},
		Demands: []string{"30-day ceasefire/tabled", "own demands/tabled"}, Objections: []string{"rest/standing"},
	}
	atT0 := summary{
		Negotiation: "Istanbul talks/active", Parties: []string{"Ukraine", "Russia", "United States"},
		Rounds: []string{"Dolmabahce"}, Topics: []string{"Ceasefire"}, Demands: []string{"30-day ceasefire/tabled"},
	}
	cases := []struct {
		name string
		asOf time.Time
		want summary
	}{
		{"now", time.Time{}, now},
		{"far future", time.Now().Add(time.Hour), now},
		{"before the delete", t2, atT2},
		{"before the edits", t1, atT1},
		{"at the start", t0, atT0},
	}
	var current *domain.Snapshot
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			snap, err := w.s.Snapshot(ctx, w.neg.ID, domain.Moment{RecordedAsOf: tc.asOf})
			if err != nil {
				t.Fatal(err)
			}
			if got := summarize(snap); jsonOf(got) != jsonOf(tc.want) {
				t.Fatalf("got  %s\nwant %s", jsonOf(got), jsonOf(tc.want))
			}
			if tc.asOf.IsZero() {
				current = snap
			} else if !snap.RecordedAsOf.Equal(tc.asOf.Truncate(time.Microsecond)) {
				t.Fatalf("RecordedAsOf %v", snap.RecordedAsOf)
			}
		})
	}
	// Rebuilt from history, the present equals the tables, field for field.
	rebuilt, err := w.s.Snapshot(ctx, w.neg.ID, domain.Moment{RecordedAsOf: time.Now().Add(time.Minute)})
	if err != nil {
		t.Fatal(err)
	}
	rebuilt.RecordedAsOf = time.Time{}
	if jsonOf(rebuilt) != jsonOf(current) {
		t.Fatalf("as-of now differs from now:\n%s\n%s", jsonOf(rebuilt), jsonOf(current))
	}
	_, err = w.s.Snapshot(ctx, w.neg.ID, domain.Moment{RecordedAsOf: before})
	errorAs[*domain.NotFoundError](t, err)
	_, err = w.s.Snapshot(ctx, w.ua.ID, domain.Moment{AsOf: time.Time{}})
	errorAs[*domain.NotFoundError](t, err)
}

func TestChanges(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	since := pause()
	if _, err := w.s.Update(ctx, "editor2", domain.KindDemand, w.demand.ID, 0, domain.Dating{}, func(r domain.Resource) (domain.Resource, error) {
		r.(*domain.Demand).State = "agreed"
		return r, nil
	}); err != nil {
		t.Fatal(err)
	}
	end := mustCreate(t, w.s, &domain.Endorsement{DemandID: w.demand.ID, PartyID: w.us.ID, StatedOn: "2025-05-16"})
	if err := w.s.Delete(ctx, "editor3", domain.KindEndorsement, end.ID, 0); err != nil {
		t.Fatal(err)
	}
	// A party edit is outside every negotiation.
	if _, err := w.s.Update(ctx, actor, domain.KindParty, w.ua.ID, 0, domain.Dating{}, func(r domain.Resource) (domain.Resource, error) { return r, nil }); err != nil {
		t.Fatal(err)
	}
	page, err := w.s.Changes(ctx, domain.ChangesQuery{NegotiationID: w.neg.ID, Since: since})
	if err != nil {
		t.Fatal(err)
	}
	// The endorsement took effect on its stated_on, long before since, and
	// was deleted (recorded in error) anyway: only the demand's move counts.
	changes := page.Items
	if len(changes) != 1 || changes[0].ResourceType != domain.KindDemand || changes[0].Action != "update" || changes[0].Revision.Revision != 2 {
		t.Fatalf("changes since: %+v", changes)
	}
	if !strings.Contains(string(changes[0].Previous), `"status":"tabled"`) {
		t.Errorf("previous %s", changes[0].Previous)
	}
	all, err := w.s.Changes(ctx, domain.ChangesQuery{NegotiationID: w.neg.ID})
	// The world's four creates (negotiation, round, topic, demand), in
	// negotiation-time order, then the demand's move.
	if err != nil || len(all.Items) != 4+1 {
		t.Fatalf("all changes: %d %v", len(all.Items), err)
	}
	for i := 1; i < len(all.Items); i++ {
		if all.Items[i].EffectiveAt.Before(all.Items[i-1].EffectiveAt) {
			t.Errorf("change %d is out of negotiation-time order", i)
		}
	}
	if all.Items[0].Previous != nil {
		t.Errorf("a create has a previous state: %s", all.Items[0].Previous)
	}
	_, err = w.s.Changes(ctx, domain.ChangesQuery{NegotiationID: w.ua.ID})
	errorAs[*domain.NotFoundError](t, err)
}
