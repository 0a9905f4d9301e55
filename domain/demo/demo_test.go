package demo_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/parley/parley/domain"
	"github.com/parley/parley/domain/demo"
	"github.com/parley/parley/store/storetest"
)

// all lists a whole collection through the store, page by page.
func all(t *testing.T, s domain.Store, k domain.Kind) []domain.Resource {
	t.Helper()
	var out []domain.Resource
	q := domain.ListQuery{Kind: k, Limit: 2} // small pages prove Load's lookups would page too
	for {
		page, err := s.List(context.Background(), q)
		if err != nil {
			t.Fatalf("list %s: %v", k, err)
		}
		out = append(out, page.Items...)
		if page.NextCursor == "" {
			return out
		}
		q.Cursor = page.NextCursor
	}
}

func counts(t *testing.T, s domain.Store) map[domain.Kind]int {
	m := map[domain.Kind]int{}
	for _, k := range domain.Kinds {
		m[k] = len(all(t, s, k))
	}
	return m
}

func TestLoadIsIdempotent(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t)
	id, created, err := demo.Load(ctx, s, "demo")
	if err != nil {
		t.Fatal(err)
	}
	if !created || id == "" {
		t.Fatalf("first Load = (%q, %v), want a new negotiation", id, created)
	}
	want := map[domain.Kind]int{
		domain.KindParty: 4, domain.KindNegotiation: 1, domain.KindRound: 1, domain.KindDelegation: 4,
		domain.KindTopic: 5, domain.KindDemand: 7, domain.KindObjection: 2, domain.KindEndorsement: 1,
	}
	got := counts(t, s)
	for k, n := range want {
		if got[k] != n {
			t.Errorf("after the first Load: %d %s, want %d", got[k], k, n)
		}
	}

	again, created, err := demo.Load(ctx, s, "demo")
	if err != nil {
		t.Fatal(err)
	}
	if created || again != id {
		t.Errorf("second Load = (%q, %v), want (%q, false)", again, created, id)
	}
	after := counts(t, s)
	for k, n := range got {
		if after[k] != n {
			t.Errorf("the second Load changed the number of %s from %d to %d", k, n, after[k])
		}
	}
}

func TestLoadContent(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t)
	id, _, err := demo.Load(ctx, s, "loader")
	if err != nil {
		t.Fatal(err)
	}
	r, err := s.Get(ctx, domain.KindNegotiation, id)
	if err != nil {
		t.Fatal(err)
	}
	n := r.(*domain.Negotiation)
	if n.Title != demo.Title || n.StartedOn != "2025-05-16" {
		t.Errorf("negotiation %q started %q", n.Title, n.StartedOn)
	}
	names := map[string]*domain.Party{}
	for _, p := range all(t, s, domain.KindParty) {
		names[p.(*domain.Party).Name] = p.(*domain.Party)
	}
	roles := map[string]string{"Ukraine": "principal", "Russia": "principal", "Turkey": "host", "United States": "mediator"}
	for name, role := range roles {
		p := names[name]
		if p == nil {
			t.Errorf("no party %s", name)
			continue
		}
		if got := n.Role(p.ID); string(got) != role {
			t.Errorf("%s takes part as %q, want %q", name, got, role)
		}
	}
	if p := names["Russia"]; p == nil || !strings.Contains(strings.Join(p.Aliases, "|"), "Russian Federation") {
		t.Errorf("Russia lacks its alias: %+v", p)
	}
	if p := names["Turkey"]; p == nil || p.Aliases[0] != "Türkiye" || !strings.Contains(p.Notes, "mediat") {
		t.Errorf("Turkey lacks its alias or the note on mediation: %+v", p)
	}

	rounds := all(t, s, domain.KindRound)
	if len(rounds) != 1 {
		t.Fatalf("%d rounds", len(rounds))
	}
	round := rounds[0].(*domain.Round)
	if round.Venue != "Dolmabahçe Palace" || round.StartsOn != "2025-05-16" || round.Format != "mediated" ||
		round.HostPartyID != names["Turkey"].ID || !strings.Contains(round.Summary, "Hakan Fidan") {
		t.Errorf("round = %+v", round)
	}

	levels := map[string]string{}
	heads := map[string]string{}
	for _, r := range all(t, s, domain.KindDelegation) {
		d := r.(*domain.Delegation)
		levels[d.PartyID] = string(d.Level)
		heads[d.PartyID] = d.HeadName
		if d.NegotiationID != id {
			t.Errorf("delegation %s belongs to negotiation %q", d.ID, d.NegotiationID)
		}
	}
	if levels[names["Ukraine"].ID] != "ministerial" || heads[names["Ukraine"].ID] != "Rustem Umerov" {
		t.Errorf("Ukraine's delegation: %s led by %s", levels[names["Ukraine"].ID], heads[names["Ukraine"].ID])
	}
	if levels[names["Russia"].ID] != "senior_official" || heads[names["Russia"].ID] != "Vladimir Medinsky" {
		t.Errorf("Russia's delegation: %s led by %s", levels[names["Russia"].ID], heads[names["Russia"].ID])
	}
	if heads[names["United States"].ID] != "Marco Rubio" {
		t.Errorf("US delegation led by %q", heads[names["United States"].ID])
	}

	var topicTitles []string
	for _, r := range all(t, s, domain.KindTopic) {
		topicTitles = append(topicTitles, r.(*domain.Topic).Title)
	}
	if got := strings.Join(topicTitles, ", "); got != "Ceasefire, Children, Prisoners of war, Sanctions, Leaders' meeting" {
		t.Errorf("topics = %s", got)
	}

	var ceasefire *domain.Demand
	for _, r := range all(t, s, domain.KindDemand) {
		d := r.(*domain.Demand)
		if d.PartyID == names["Ukraine"].ID && strings.Contains(d.Title, "30-day ceasefire") {
			ceasefire = d
		}
	}
	if ceasefire == nil {
		t.Fatal("no Ukrainian 30-day ceasefire demand")
	}
	if ceasefire.Terms["duration_days"] != 30.0 || ceasefire.Terms["unconditional"] != true || ceasefire.Priority != "core" {
		t.Errorf("ceasefire demand terms %v priority %q", ceasefire.Terms, ceasefire.Priority)
	}
	objected := false
	for _, r := range all(t, s, domain.KindObjection) {
		o := r.(*domain.Objection)
		if o.DemandID == ceasefire.ID && o.PartyID == names["Russia"].ID && strings.Contains(o.Grounds, "Western weapons") {
			objected = true
		}
	}
	if !objected {
		t.Error("Russia's objection to the ceasefire demand is missing")
	}

	hist, err := s.History(ctx, domain.KindDemand, ceasefire.ID)
	if err != nil {
		t.Fatal(err)
	}
	// Made at 07:29 EDT, made immediate and unconditional at 08:13 EDT.
	if len(hist) != 2 || hist[0].Action != "create" || hist[1].Action != "update" || hist[0].Actor != "loader" || hist[1].Actor != "loader" ||
		!hist[0].EffectiveAt.Equal(time.Date(2025, 5, 16, 11, 29, 0, 0, time.UTC)) || !hist[1].EffectiveAt.Equal(time.Date(2025, 5, 16, 12, 13, 0, 0, time.UTC)) ||
		!strings.Contains(hist[1].ChangeNote, "unconditional") || len(hist[1].ChangeCitations) != 1 {
		for _, h := range hist {
			t.Errorf("history of the demand: revision %d %s by %s at %s, note %q, %d change citations",
				h.Revision, h.Action, h.Actor, h.EffectiveAt.Format(time.RFC3339), h.ChangeNote, len(h.ChangeCitations))
		}
	}
}

func TestEveryClaimCitesItsReport(t *testing.T) {
	s := storetest.Open(t)
	if _, _, err := demo.Load(context.Background(), s, "demo"); err != nil {
		t.Fatal(err)
	}
	for _, k := range []domain.Kind{domain.KindDemand, domain.KindObjection, domain.KindEndorsement} {
		for _, r := range all(t, s, k) {
			var cs []domain.Citation
			switch x := r.(type) {
			case *domain.Demand:
				cs = x.Citations
			case *domain.Objection:
				cs = x.Citations
			case *domain.Endorsement:
				cs = x.Citations
			}
			if len(cs) == 0 {
				t.Errorf("%s %s cites nothing", k.Singular(), r.Base().ID)
				continue
			}
			for _, c := range cs {
				u, err := url.Parse(c.URL)
				_, located := entryTimes[c.Locator]
				if c.Publisher != "Newsweek" || err != nil || u.Scheme != "https" || !strings.HasSuffix(u.Host, "newsweek.com") ||
					c.PublishedAt != "2025-05-16" || !located || c.Quote == "" ||
					utf8.RuneCountInString(c.Quote) > 120 || c.Grading() != "B2" || !strings.Contains(c.Title, "Live Updates") {
					t.Errorf("%s %s: citation %+v", k.Singular(), r.Base().ID, c)
				}
			}
		}
	}
}

func TestLoadReusesExistingParties(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t)
	// An analyst recorded Türkiye, under the name the demo lists as an alias,
	// and the United States, in other case, before loading the demo.
	tr := &domain.Party{Name: "Türkiye"}
	us := &domain.Party{Name: "united states"}
	for _, p := range []*domain.Party{tr, us} {
		if err := s.Create(ctx, "analyst", p, domain.Dating{}); err != nil {
			t.Fatal(err)
		}
	}
	id, created, err := demo.Load(ctx, s, "demo")
	if err != nil || !created {
		t.Fatalf("Load = %q %v %v", id, created, err)
	}
	if n := len(all(t, s, domain.KindParty)); n != 4 {
		t.Errorf("%d parties, want 4 (two reused)", n)
	}
	r, _ := s.Get(ctx, domain.KindNegotiation, id)
	n := r.(*domain.Negotiation)
	if n.Role(tr.ID) != "host" || n.Role(us.ID) != "mediator" {
		t.Errorf("participants %+v do not reuse %s and %s", n.Participants, tr.ID, us.ID)
	}
}
