package store_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/parley/parley/domain"
	"github.com/parley/parley/store"
	"github.com/parley/parley/store/storetest"
)

// scaleDoc builds an export document of one negotiation at COP scale, each
// resource with its create revision one millisecond after the last, so that
// it can be bulk-loaded with Import. It returns the negotiation's id and the
// instant halfway through.
func scaleDoc(tb testing.TB, parties, topics, demands int) ([]byte, string, time.Time) {
	tb.Helper()
	base := time.Date(2025, 5, 16, 8, 0, 0, 0, time.UTC)
	tick := 0
	type rev struct {
		ResourceType  string          `json:"resource_type"`
		ResourceID    string          `json:"resource_id"`
		Revision      int             `json:"revision"`
		Action        string          `json:"action"`
		Actor         string          `json:"actor"`
		At            string          `json:"at"`
		NegotiationID *string         `json:"negotiation_id"`
		EffectiveAt   string          `json:"effective_at"`
		Resource      json.RawMessage `json:"resource"`
	}
	doc := map[string]any{"format": store.ExportFormat, "version": store.ExportVersion, "users": []any{}}
	sections := map[domain.Kind][]json.RawMessage{}
	var revs []rev
	add := func(r domain.Resource, neg string) {
		id, _ := uuid.NewV7()
		at := base.Add(time.Duration(tick) * time.Millisecond)
		tick++
		// Each write takes effect as it is recorded, so that the instant
		// half-way through the records is half-way through the talks too.
		*r.Base() = domain.Meta{ID: id.String(), CreatedAt: at, UpdatedAt: at, Version: 1, EffectiveAt: at}
		r.Normalize()
		body, err := json.Marshal(r)
		if err != nil {
			tb.Fatal(err)
		}
		sections[r.Kind()] = append(sections[r.Kind()], body)
		var negp *string
		if neg != "" {
			negp = &neg
		} else if r.Kind() == domain.KindNegotiation {
			negp = &r.Base().ID
		}
		stamp := at.Format("2006-01-02T15:04:05.000000Z07:00")
		revs = append(revs, rev{string(r.Kind()), id.String(), 1, "create", "bench", stamp, negp, stamp, body})
	}
	ps := make([]*domain.Party, parties)
	for i := range ps {
		ps[i] = &domain.Party{Name: fmt.Sprintf("Party %d", i)}
		add(ps[i], "")
	}
	n := &domain.Negotiation{Title: "COP"}
	for _, p := range ps {
		n.Participants = append(n.Participants, domain.Participant{PartyID: p.ID, Role: "principal"})
	}
	add(n, "")
	ts := make([]*domain.Topic, topics)
	for i := range ts {
		ts[i] = &domain.Topic{NegotiationID: n.ID, Title: fmt.Sprintf("Topic %d", i), SortOrder: i}
		add(ts[i], n.ID)
	}
	var half time.Time
	for i := 0; i < demands; i++ {
		p := ps[i%parties]
		d := &domain.Demand{NegotiationID: n.ID, PartyID: p.ID, TopicID: ts[i%topics].ID, Title: fmt.Sprintf("Demand %d", i), StatedOn: "2025-05-16",
			Details: "A demand with some details, as analysts write them, to give the body a realistic size.",
			Terms:   map[string]any{"duration_days": float64(i % 90), "unconditional": i%2 == 0},
			Citations: []domain.Citation{{Publisher: "Newsweek", Title: "Live updates", URL: "https://www.newsweek.com/live", Locator: "08:13 AM EDT",
				Quote: "Ukraine calls for an immediate, unconditional 30-day ceasefire.", Reliability: "B", Credibility: "2"}}}
		add(d, n.ID)
		add(&domain.Objection{DemandID: d.ID, PartyID: ps[(i+1)%parties].ID, Grounds: "It would let the other side rest and rearm.", StatedOn: "2025-05-16", NegotiationID: n.ID}, n.ID)
		add(&domain.Endorsement{DemandID: d.ID, PartyID: ps[(i+2)%parties].ID, StatedOn: "2025-05-16", Note: "Backs it.", NegotiationID: n.ID}, n.ID)
		if i == demands/2 {
			half = base.Add(time.Duration(tick-1) * time.Millisecond)
		}
	}
	for _, k := range domain.Kinds {
		name := string(k) // each section is named as its collection
		if sections[k] == nil {
			sections[k] = []json.RawMessage{}
		}
		doc[name] = sections[k]
	}
	doc["revisions"] = revs
	b, err := json.Marshal(doc)
	if err != nil {
		tb.Fatal(err)
	}
	return b, n.ID, half
}

func loadScale(tb testing.TB, parties, topics, demands int) (*store.Store, string, time.Time) {
	tb.Helper()
	doc, negID, half := scaleDoc(tb, parties, topics, demands)
	s := storetest.Open(tb)
	if err := s.Import(context.Background(), bytes.NewReader(doc)); err != nil {
		tb.Fatal(err)
	}
	return s, negID, half
}

// TestSnapshotAtModerateScale checks what the benchmark measures: the
// present and a past instant rebuilt from the history agree in size.
func TestSnapshotAtModerateScale(t *testing.T) {
	s, negID, half := loadScale(t, 20, 12, 600)
	ctx := context.Background()
	now, err := s.Snapshot(ctx, negID, domain.Moment{AsOf: time.Time{}})
	if err != nil {
		t.Fatal(err)
	}
	if len(now.Parties) != 20 || len(now.Topics) != 12 || len(now.Demands) != 600 || len(now.Objections) != 600 || len(now.Endorsements) != 600 {
		t.Fatalf("now: %d parties %d topics %d demands %d objections %d endorsements", len(now.Parties), len(now.Topics), len(now.Demands), len(now.Objections), len(now.Endorsements))
	}
	past, err := s.Snapshot(ctx, negID, domain.Moment{AsOf: half})
	if err != nil {
		t.Fatal(err)
	}
	if len(past.Demands) != 301 || len(past.Topics) != 12 || len(past.Parties) != 20 {
		t.Fatalf("half way: %d demands %d topics %d parties", len(past.Demands), len(past.Topics), len(past.Parties))
	}
	if past.Topics[0].Title != "Topic 0" || past.Topics[11].Title != "Topic 11" {
		t.Fatalf("topics not in sort order: %s … %s", past.Topics[0].Title, past.Topics[11].Title)
	}
}

// BenchmarkSnapshot measures a COP-scale negotiation: 200 parties, 120
// topics, 12,000 demands and 24,000 objections and endorsements.
//
//	go test ./store/ -run '^$' -bench Snapshot -benchtime 5x
func BenchmarkSnapshot(b *testing.B) {
	s, negID, half := loadScale(b, 200, 120, 12000)
	ctx := context.Background()
	for _, bc := range []struct {
		name string
		at   domain.Moment
	}{
		{"now", domain.Moment{}},
		{"as_of_half", domain.Moment{AsOf: half}},
		{"as_of_end", domain.Moment{AsOf: time.Now()}},
		{"recorded_as_of_half", domain.Moment{RecordedAsOf: half}},
		{"as_of_half_recorded_now", domain.Moment{AsOf: half, RecordedAsOf: time.Now()}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				snap, err := s.Snapshot(ctx, negID, bc.at)
				if err != nil {
					b.Fatal(err)
				}
				if len(snap.Demands) == 0 {
					b.Fatal("empty snapshot")
				}
			}
		})
	}
}

// BenchmarkChanges measures the first page of /changes and a page deep in
// the window at COP scale: each costs three queries however large the
// negotiation.
//
//	go test ./store/ -run '^$' -bench Changes -benchtime 20x
func BenchmarkChanges(b *testing.B) {
	s, negID, half := loadScale(b, 200, 120, 12000)
	ctx := context.Background()
	for _, bc := range []struct {
		name  string
		since time.Time
	}{{"first_page", time.Time{}}, {"from_half", half}} {
		b.Run(bc.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				page, err := s.Changes(ctx, domain.ChangesQuery{NegotiationID: negID, Since: bc.since, Limit: 50})
				if err != nil {
					b.Fatal(err)
				}
				if len(page.Items) != 50 || page.NextCursor == "" {
					b.Fatalf("page of %d items, cursor %q", len(page.Items), page.NextCursor)
				}
			}
		})
	}
}
