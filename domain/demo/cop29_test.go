package demo_test

import (
	"context"
	"testing"
	"time"

	"github.com/parley/parley/domain"
	"github.com/parley/parley/domain/demo"
	"github.com/parley/parley/store/storetest"
)

func TestCOP29LoadsSecondAndOnce(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t)
	istanbul, _, err := demo.Load(ctx, s, "demo")
	if err != nil {
		t.Fatal(err)
	}
	cop, created, err := demo.LoadCOP29(ctx, s, "demo")
	if err != nil || !created {
		t.Fatalf("LoadCOP29: %v created=%v", err, created)
	}
	again, created, err := demo.LoadCOP29(ctx, s, "demo")
	if err != nil || created || again != cop {
		t.Fatalf("second LoadCOP29: %s created=%v %v, want %s unchanged", again, created, err, cop)
	}
	page, err := s.List(ctx, domain.ListQuery{Kind: domain.KindNegotiation, Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) != 2 || page.Items[0].Base().ID != istanbul || page.Items[1].Base().ID != cop {
		t.Fatalf("negotiations = %d, want Istanbul first and COP29 second", len(page.Items))
	}
	parties, err := s.List(ctx, domain.ListQuery{Kind: domain.KindParty, Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]int{}
	for _, p := range parties.Items {
		names[p.(*domain.Party).Name]++
	}
	for n, c := range names {
		if c != 1 {
			t.Errorf("party %q recorded %d times", n, c)
		}
	}
}

func TestCOP29BlocsAndClaims(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t)
	id, _, err := demo.LoadCOP29(ctx, s, "demo")
	if err != nil {
		t.Fatal(err)
	}
	snap, err := s.Snapshot(ctx, id, domain.Moment{})
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]*domain.Party{}
	for _, p := range snap.Parties {
		byName[p.Name] = p
	}
	if az := byName["Azerbaijan"]; az == nil || snap.Negotiation.RolesText(az.ID) != "host, mediator" {
		t.Errorf("Azerbaijan should hold the Presidency as host and mediator")
	}
	if g77 := byName["G77 and China"]; g77 == nil || g77.PartyKind != "bloc" || len(g77.Members) == 0 {
		t.Fatalf("the G77 and China is not a bloc with members")
	}
	m, err := domain.BuildMatrixView(snap, domain.MatrixOptions{Today: time.Date(2024, 11, 24, 12, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	malawi := byName["Malawi"].ID
	inherits := false
	for _, c := range m.Cells {
		if c.PartyID == malawi {
			for _, in := range c.Inherited {
				inherits = inherits || (in.BlocID == byName["G77 and China"].ID && len(in.Demands) == 1)
			}
		}
	}
	if !inherits {
		t.Error("Malawi, silent, should inherit the G77 and China's demand")
	}
	var claims int
	check := func(kind, id string, cs []domain.Citation) {
		claims++
		if len(cs) == 0 {
			t.Errorf("%s %s cites nothing", kind, id)
		}
		for _, c := range cs {
			if c.Publisher == "" || c.URL == "" || c.Quote == "" || (c.Title == "" && c.PublishedAt == "") {
				t.Errorf("%s %s: citation %+v lacks a publisher, url, quote, or both title and date", kind, id, c)
			}
		}
	}
	for _, d := range snap.Demands {
		check("demand", d.Title, d.Citations)
	}
	for _, o := range snap.Objections {
		check("objection", o.Grounds, o.Citations)
	}
	for _, e := range snap.Endorsements {
		check("endorsement", e.Note, e.Citations)
	}
	if claims != 5 {
		t.Errorf("%d claims, want 5", claims)
	}
}
