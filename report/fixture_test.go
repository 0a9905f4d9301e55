package report

import (
	"testing"
	"time"

	"github.com/parley/parley/domain"
)

var (
	fixtureGenerated = time.Date(2025, 5, 17, 9, 30, 0, 0, time.UTC)
	fixtureSince     = time.Date(2025, 5, 16, 0, 0, 0, 0, time.UTC)
)

func id(n int) string { return "00000000-0000-4000-8000-" + pad12(n) }

func pad12(n int) string {
	s := []byte("000000000000")
	for i := 11; n > 0 && i >= 0; i-- {
		s[i] = byte('0' + n%10)
		n /= 10
	}
	return string(s)
}

// fixtureReport is a small Istanbul-like report with Cyrillic and Turkish
// names, and text an attacker might type: markup and spreadsheet formulas.
// Its since section compares it with the state before fixtureSince, when
// Russia's three-day truce was still tabled and Kyiv had not yet backed
// the US plan.
func fixtureReport() *Report {
	before := fixtureSnapshot()
	before.AsOf = JustBefore(fixtureSince)
	before.Endorsements = nil
	for _, d := range before.Demands {
		if d.ID == id(33) {
			d.State = "tabled"
		}
	}
	now := fixtureSnapshot()
	return Build(now, domain.Compare(before, now), fixtureGenerated)
}

// fixtureSnapshot is the negotiation the fixture report shows.
func fixtureSnapshot() *domain.Snapshot {
	neg, ua, ru, tr, us := id(1), id(2), id(3), id(4), id(5)
	round, cease, children := id(10), id(20), id(21)
	d30, dus, dch := id(30), id(31), id(32)
	m := func(id string) domain.Meta { return domain.Meta{ID: id, Version: 1} }
	reuters := domain.Citation{Publisher: "Reuters", Title: "Russia, Ukraine hold first direct talks in three years", URL: "https://example.org/reuters?a=1&b=2",
		PublishedAt: "2025-05-16", Reliability: "B", Credibility: "2", Locator: "08:13 AM EDT", Quote: "Ukraine wants an immediate ceasefire"}
	s := &domain.Snapshot{
		Negotiation: &domain.Negotiation{Meta: m(neg), Title: "Istanbul talks 2025", Description: "Direct talks at Dolmabahçe Palace.",
			State: "active", StartedOn: "2025-05-16",
			Participants: []domain.Participant{{PartyID: ua, Role: "principal"}, {PartyID: ru, Role: "principal"}, {PartyID: tr, Role: "host"}, {PartyID: us, Role: "mediator"}}},
		Parties: []*domain.Party{
			{Meta: m(ua), Name: "Ukraine", PartyKind: "state", Aliases: []string{"Україна"}},
			{Meta: m(ru), Name: "Russia", ShortName: "RU", PartyKind: "state", Aliases: []string{"Российская Федерация", "RF"}},
			{Meta: m(tr), Name: "Türkiye", PartyKind: "state", Aliases: []string{"Turkey"}},
			{Meta: m(us), Name: "United States", PartyKind: "state"},
		},
		Rounds: []*domain.Round{{Meta: m(round), NegotiationID: neg, Title: "Istanbul round", StartsOn: "2025-05-16", Location: "Istanbul",
			Venue: "Dolmabahçe Palace", Format: "mediated", HostPartyID: tr, Summary: "Opened by Foreign Minister Hakan Fidan (Dışişleri Bakanı)."}},
		Delegations: []*domain.Delegation{
			{Meta: m(id(40)), RoundID: round, PartyID: ua, HeadName: "Rustem Umerov", HeadTitle: "Defence Minister", Level: "ministerial",
				Members: []domain.Member{{Name: "Kyrylo Budanov", Title: "Intelligence chief"}}},
			{Meta: m(id(41)), RoundID: round, PartyID: ru, HeadName: "Владимир Мединский", HeadTitle: "Presidential aide", Level: "senior_official", Members: []domain.Member{}},
			{Meta: m(id(42)), RoundID: round, PartyID: tr, HeadName: "Hakan Fidan", HeadTitle: "Foreign Minister", Level: "ministerial", Members: []domain.Member{}},
		},
		Topics: []*domain.Topic{
			{Meta: m(children), NegotiationID: neg, Title: "Children", SortOrder: 2},
			{Meta: m(cease), NegotiationID: neg, Title: "Ceasefire", SortOrder: 1, Description: "Length and conditions of a truce.", TermDefinitions: []domain.TermDefinition{
				{Key: "duration_days", Type: domain.TermTypeNumber}, {Key: "unconditional", Type: domain.TermTypeBoolean},
			}},
		},
		Demands: []*domain.Demand{
			{Meta: m(d30), NegotiationID: neg, PartyID: ua, TopicID: cease, Title: "Immediate, unconditional 30-day ceasefire", State: "tabled", Priority: "core",
				StatedOn: "2025-05-16", RoundID: round, Terms: map[string]any{"duration_days": 30.0, "unconditional": true}, Citations: []domain.Citation{reuters}},
			{Meta: m(dus), NegotiationID: neg, PartyID: us, TopicID: cease, Title: "US 30-day ceasefire proposal <script>alert(1)</script>", State: "tabled", Priority: "normal",
				StatedOn: "2025-05-10", Terms: map[string]any{"duration_days": 30.0, "note": "=cmd"},
				Citations: []domain.Citation{{Publisher: "AP", Title: "Rubio and Kellogg in separate talks", Reliability: "A", Credibility: "3"}}},
			{Meta: m(id(33)), NegotiationID: neg, PartyID: ru, TopicID: cease, Title: "Three-day truce", State: "withdrawn", Priority: "normal",
				StatedOn: "2025-05-08", Terms: map[string]any{"duration_days": 3.0}, Citations: []domain.Citation{}},
			{Meta: m(dch), NegotiationID: neg, PartyID: ua, TopicID: children, Title: "Return of all children taken by Russia", State: "tabled", Priority: "core",
				StatedOn: "2025-05-16", Details: "-2+3 counted by the ombudsman", Terms: map[string]any{}, Citations: []domain.Citation{reuters}},
		},
		Objections: []*domain.Objection{
			{Meta: m(id(50)), DemandID: d30, PartyID: ru, Grounds: "=cmd|' /C calc'!A0 a truce would let Ukraine rest its forces, recruit and rearm",
				Type: "rejection", State: "standing", StatedOn: "2025-05-16", Citations: []domain.Citation{reuters}},
		},
		Rebuttals: []*domain.Rebuttal{
			{Meta: m(id(55)), ObjectionID: id(50), PartyID: ua, Grounds: "A truce <i>stops</i> the killing; talks on the rest follow", StatedOn: "2025-05-16", RoundID: round,
				NegotiationID: neg, Citations: []domain.Citation{{Publisher: "Kyiv Independent", Title: "Kyiv answers Moscow's truce objection",
					URL: "https://example.org/kyiv-answers", Reliability: "B", Credibility: "3"}}},
		},
		Endorsements: []*domain.Endorsement{
			{Meta: m(id(60)), DemandID: dus, PartyID: ua, StatedOn: "2025-05-11", Note: "@SUM(1) Kyiv backs the US plan", Citations: []domain.Citation{}},
		},
	}
	return s
}

// TestFixtureReport pins what the golden files rest on, so that a change to
// the fixture shows here first: two topics, the ceasefire contested by
// Russia's standing objection, and the two moves since listed.
func TestFixtureReport(t *testing.T) {
	r := fixtureReport()
	if len(r.Topics) != 2 {
		t.Fatalf("%d topics, want 2", len(r.Topics))
	}
	if got := r.Topics[0].State; got != "contested" {
		t.Errorf("ceasefire is %q, want contested", got)
	}
	if r.Changes == nil || r.Changes.MoveCount() != 2 {
		t.Errorf("changes since %s = %+v, want 2 moves", fixtureSince, r.Changes)
	}
	if len(r.Sources) == 0 {
		t.Error("no sources listed")
	}
}
