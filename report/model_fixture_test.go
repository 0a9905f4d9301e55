package report

import (
	"testing"
	"time"

	"github.com/parley/parley/domain"
)

// Fixed ids for the hand-built snapshot the view model tests share.
const (
	fxNeg                      = "00000000-0000-4000-8000-000000000001"
	fxUA, fxRU, fxTR, fxUS     = "00000000-0000-4000-8000-0000000000a1", "00000000-0000-4000-8000-0000000000a2", "00000000-0000-4000-8000-0000000000a3", "00000000-0000-4000-8000-0000000000a4"
	fxOutsider                 = "00000000-0000-4000-8000-0000000000a5"
	fxCeasefire, fxChildren    = "00000000-0000-4000-8000-0000000000b1", "00000000-0000-4000-8000-0000000000b2"
	fxPrisoners, fxLeaders     = "00000000-0000-4000-8000-0000000000b3", "00000000-0000-4000-8000-0000000000b4"
	fxRound                    = "00000000-0000-4000-8000-0000000000c1"
	fxD30, fxDUS, fxDRU, fxDCh = "00000000-0000-4000-8000-0000000000d1", "00000000-0000-4000-8000-0000000000d2", "00000000-0000-4000-8000-0000000000d3", "00000000-0000-4000-8000-0000000000d4"
	fxDPow, fxDOld             = "00000000-0000-4000-8000-0000000000d5", "00000000-0000-4000-8000-0000000000d6"
)

func fxCite(url, title, rel, cred string) domain.Citation {
	return domain.Citation{Publisher: "Reuters", URL: url, Title: title, Reliability: domain.Reliability(rel), Credibility: domain.Grade(cred)}
}

// modelSnapshot is a small Istanbul-like negotiation: two principals, a
// host and a mediator; a ceasefire topic that is contested, a children topic
// that is open, a prisoners topic that is agreed and a leaders' topic with
// only a withdrawn demand.
func modelSnapshot() *domain.Snapshot {
	m := func(id string) domain.Meta { return domain.Meta{ID: id, Version: 1} }
	reuters := fxCite("https://example.org/reuters-1", "Talks open in Istanbul", "B", "2")
	return &domain.Snapshot{
		Negotiation: &domain.Negotiation{Meta: m(fxNeg), Title: "Istanbul talks", State: "active", StartedOn: "2025-05-16",
			Participants: []domain.Participant{{PartyID: fxUA, Role: "principal"}, {PartyID: fxRU, Role: "principal"}, {PartyID: fxTR, Role: "host"}, {PartyID: fxUS, Role: "mediator"}}},
		Parties: []*domain.Party{
			{Meta: m(fxUA), Name: "Ukraine", PartyKind: "state"},
			{Meta: m(fxRU), Name: "Russia", ShortName: "RU", PartyKind: "state", Aliases: []string{"Russian Federation"}},
			{Meta: m(fxTR), Name: "Türkiye", PartyKind: "state"},
			{Meta: m(fxUS), Name: "United States", PartyKind: "state"},
			{Meta: m(fxOutsider), Name: "Observer Org", PartyKind: "organization"},
		},
		Rounds: []*domain.Round{{Meta: m(fxRound), NegotiationID: fxNeg, Title: "Dolmabahçe round", StartsOn: "2025-05-16", HostPartyID: fxTR, Format: "mediated"}},
		Delegations: []*domain.Delegation{
			{Meta: m("00000000-0000-4000-8000-0000000000e1"), RoundID: fxRound, PartyID: fxRU, HeadName: "Vladimir Medinsky", HeadTitle: "Presidential aide", Level: "senior_official", Members: []domain.Member{}},
			{Meta: m("00000000-0000-4000-8000-0000000000e2"), RoundID: fxRound, PartyID: fxUA, HeadName: "Rustem Umerov", HeadTitle: "Defence Minister", Level: "ministerial", Members: []domain.Member{{Name: "Andrii Sybiha"}}},
		},
		Topics: []*domain.Topic{
			{Meta: m(fxLeaders), NegotiationID: fxNeg, Title: "Leaders' meeting", SortOrder: 9},
			{Meta: m(fxPrisoners), NegotiationID: fxNeg, Title: "Prisoners of war", SortOrder: 2},
			{Meta: m(fxChildren), NegotiationID: fxNeg, Title: "children", SortOrder: 2},
			{Meta: m(fxCeasefire), NegotiationID: fxNeg, Title: "Ceasefire", SortOrder: 1, TermDefinitions: []domain.TermDefinition{
				{Key: "duration_days", Label: "Duration", Type: domain.TermTypeNumber, Unit: "days", Choices: []domain.Choice{}},
				{Key: "unconditional", Label: "Unconditional", Type: domain.TermTypeBoolean, Choices: []domain.Choice{}},
			}},
		},
		Demands: []*domain.Demand{
			{Meta: m(fxD30), NegotiationID: fxNeg, PartyID: fxUA, TopicID: fxCeasefire, Title: "Immediate 30-day ceasefire", State: "tabled", Priority: "core", StatedOn: "2025-05-16",
				Terms: map[string]any{"duration_days": 30.0, "unconditional": true}, RoundID: fxRound, Citations: []domain.Citation{reuters}},
			{Meta: m(fxDUS), NegotiationID: fxNeg, PartyID: fxUS, TopicID: fxCeasefire, Title: "US 30-day ceasefire proposal", State: "tabled", StatedOn: "2025-05-10",
				Terms: map[string]any{"duration_days": 30.0}, Citations: []domain.Citation{fxCite("https://example.org/ap", "US proposal", "A", "1")}},
			{Meta: m(fxDRU), NegotiationID: fxNeg, PartyID: fxRU, TopicID: fxCeasefire, Title: "Three-day truce", State: "under_discussion", StatedOn: "2025-05-08",
				Terms: map[string]any{"duration_days": 3.0, "note": "=cmd"}, Citations: []domain.Citation{reuters}},
			{Meta: m(fxDCh), NegotiationID: fxNeg, PartyID: fxUA, TopicID: fxChildren, Title: "Return of all children", State: "tabled", StatedOn: "2025-05-16", Terms: map[string]any{}},
			{Meta: m(fxDPow), NegotiationID: fxNeg, PartyID: fxUA, TopicID: fxPrisoners, Title: "1000-for-1000 exchange", State: "agreed", StatedOn: "2025-05-16", Terms: map[string]any{"prisoners": 1000.0}},
			{Meta: m(fxDOld), NegotiationID: fxNeg, PartyID: fxRU, TopicID: fxLeaders, Title: "No meeting", State: "withdrawn", StatedOn: "2025-05-01", Terms: map[string]any{}},
		},
		Objections: []*domain.Objection{
			{Meta: m("00000000-0000-4000-8000-0000000000f1"), DemandID: fxD30, PartyID: fxRU, Grounds: "A truce would let Ukraine rest its forces", Type: "rejection", State: "standing", StatedOn: "2025-05-16",
				Citations: []domain.Citation{reuters}},
			{Meta: m("00000000-0000-4000-8000-0000000000f2"), DemandID: fxDOld, PartyID: fxUA, Grounds: "old", Type: "rejection", State: "standing", StatedOn: "2025-05-02"},
		},
		Endorsements: []*domain.Endorsement{
			{Meta: m("00000000-0000-4000-8000-0000000000f3"), DemandID: fxDUS, PartyID: fxUA, StatedOn: "2025-05-11", Note: "Ukraine backs it",
				Citations: []domain.Citation{fxCite("", "Zelensky statement", "B", "3")}},
		},
	}
}

var modelTime = time.Date(2025, 5, 17, 9, 0, 0, 0, time.UTC)

// TestModelSnapshotIsValid keeps the fixture honest: every resource in it
// passes the validation a client's would, so that no test of the view
// model relies on data the API could never have stored.
func TestModelSnapshotIsValid(t *testing.T) {
	s := modelSnapshot()
	rs := []domain.Resource{s.Negotiation}
	for _, p := range s.Parties {
		rs = append(rs, p)
	}
	for _, r := range s.Rounds {
		rs = append(rs, r)
	}
	for _, d := range s.Delegations {
		rs = append(rs, d)
	}
	for _, tp := range s.Topics {
		rs = append(rs, tp)
	}
	for _, d := range s.Demands {
		rs = append(rs, d)
	}
	for _, o := range s.Objections {
		rs = append(rs, o)
	}
	for _, e := range s.Endorsements {
		rs = append(rs, e)
	}
	for _, r := range rs {
		if errs := r.Validate(); len(errs) > 0 {
			t.Errorf("%s %s is not valid: %v", r.Kind().Singular(), r.Base().ID, errs)
		}
	}
}
