// Package reporttest builds negotiations of conference scale for the
// benchmarks of the views and reports: as a domain.Snapshot in memory, and
// loaded through a domain.Store so that the store's queries are measured too.
package reporttest

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/google/uuid"

	"github.com/parley/parley/domain"
)

// Size is the shape of a generated negotiation.
type Size struct {
	Parties, Rounds, Topics, Demands, Objections, Endorsements int
}

// COP is the scale of a UN climate conference: 200 parties, 120 topics,
// 12,000 demands and 24,000 objections and endorsements.
var COP = Size{Parties: 200, Rounds: 3, Topics: 120, Demands: 12000, Objections: 12000, Endorsements: 12000}

// Names mix scripts so that the renderers' Unicode paths are exercised.
var partyNames = []string{"Україна", "Türkiye", "Brasil", "Россия", "Côte d'Ivoire", "España", "Ελλάδα", "Norge", "Québec", "Kenya"}

// Generate builds a negotiation of the given size, deterministically from
// seed. Every party is a participant; ten in eleven are principals.
func Generate(size Size, seed uint64) *domain.Snapshot {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	newID := func() string {
		var b [16]byte
		for i := range b {
			b[i] = byte(rng.UintN(256))
		}
		id, _ := uuid.FromBytes(b[:])
		id[6] = id[6]&0x0f | 0x40
		id[8] = id[8]&0x3f | 0x80
		return id.String()
	}
	meta := func() domain.Meta { return domain.Meta{ID: newID(), Version: 1} }
	sources := make([]domain.Citation, 500)
	for i := range sources {
		sources[i] = domain.Citation{Publisher: "Earth Negotiations Bulletin", Title: fmt.Sprintf("Daily report %d", i+1),
			URL: fmt.Sprintf("https://enb.example.org/daily/%d", i+1), PublishedAt: "2025-11-15",
			Reliability: domain.Reliability(rune('A' + i%6)), Credibility: domain.Grade(fmt.Sprint(1 + i%6)), Locator: "para 3"}
	}
	cite := func() []domain.Citation { return []domain.Citation{sources[rng.IntN(len(sources))]} }

	s := &domain.Snapshot{}
	n := &domain.Negotiation{Meta: meta(), Title: "COP-scale climate negotiation", Description: "Generated for benchmarks.",
		State: "active", StartedOn: "2025-11-10", Participants: []domain.Participant{}}
	s.Negotiation = n
	for i := 0; i < size.Parties; i++ {
		p := &domain.Party{Meta: meta(), Name: fmt.Sprintf("%s %03d", partyNames[i%len(partyNames)], i+1), PartyKind: "state", Aliases: []string{}}
		s.Parties = append(s.Parties, p)
		role := domain.ParticipantPrincipal
		if i%11 == 10 {
			role = []domain.ParticipantRole{domain.ParticipantMediator, domain.ParticipantObserver, domain.ParticipantHost}[i%3]
		}
		n.Participants = append(n.Participants, domain.Participant{PartyID: p.ID, Role: role})
	}
	levels := domain.DelegationLevels().Values()
	for i := 0; i < size.Rounds; i++ {
		r := &domain.Round{Meta: meta(), NegotiationID: n.ID, Title: fmt.Sprintf("Session %d", i+1), StartsOn: fmt.Sprintf("2025-11-%02d", 10+i),
			Location: "Belém", Venue: "Hangar", Format: "direct"}
		s.Rounds = append(s.Rounds, r)
		for _, p := range s.Parties {
			s.Delegations = append(s.Delegations, &domain.Delegation{Meta: meta(), RoundID: r.ID, PartyID: p.ID, NegotiationID: n.ID,
				HeadName: "Head of " + p.Name, HeadTitle: "Minister", Level: levels[rng.IntN(len(levels))], Members: []domain.Member{}})
		}
	}
	for i := 0; i < size.Topics; i++ {
		s.Topics = append(s.Topics, &domain.Topic{Meta: meta(), NegotiationID: n.ID, Title: fmt.Sprintf("Topic %03d: finance, adaptation and mitigation", i+1), SortOrder: i % 10})
	}
	statuses := []domain.DemandStatus{"tabled", "tabled", "under_discussion", "agreed", "withdrawn"}
	for i := 0; i < size.Demands; i++ {
		p := s.Parties[rng.IntN(len(s.Parties))]
		s.Demands = append(s.Demands, &domain.Demand{Meta: meta(), NegotiationID: n.ID, PartyID: p.ID, TopicID: s.Topics[i%len(s.Topics)].ID,
			Title: fmt.Sprintf("Demand %d: raise the collective goal", i+1), Details: "Developed countries should lead, with a review every five years.",
			Terms: map[string]any{"target_bn_usd": float64(100 + rng.IntN(1200)), "by_year": float64(2030 + rng.IntN(20))},
			State: statuses[rng.IntN(len(statuses))], Priority: "normal", StatedOn: fmt.Sprintf("2025-11-%02d", 10+rng.IntN(10)), Citations: cite()})
	}
	other := func(d *domain.Demand) string {
		for {
			if p := s.Parties[rng.IntN(len(s.Parties))]; p.ID != d.PartyID {
				return p.ID
			}
		}
	}
	for i := 0; i < size.Objections; i++ {
		d := s.Demands[rng.IntN(len(s.Demands))]
		state := domain.ObjectionStanding
		if i%3 == 0 {
			state = domain.ObjectionResolved
		}
		s.Objections = append(s.Objections, &domain.Objection{Meta: meta(), DemandID: d.ID, PartyID: other(d), NegotiationID: n.ID,
			Grounds: "The burden falls on developing economies.", Type: "reservation", State: state, StatedOn: d.StatedOn, Citations: cite()})
	}
	for i := 0; i < size.Endorsements; i++ {
		d := s.Demands[rng.IntN(len(s.Demands))]
		s.Endorsements = append(s.Endorsements, &domain.Endorsement{Meta: meta(), DemandID: d.ID, PartyID: other(d), NegotiationID: n.ID,
			StatedOn: d.StatedOn, Note: "Supports with conditions.", Citations: []domain.Citation{}})
	}
	return s
}

// Load writes a generated negotiation through the store, in dependency
// order, and returns the new negotiation's id. The store picks new ids, so
// references are rewritten as resources are created.
func Load(ctx context.Context, st domain.Store, s *domain.Snapshot) (string, error) {
	ids := map[string]string{}
	create := func(r domain.Resource) error {
		old := r.Base().ID
		*r.Base() = domain.Meta{}
		if err := st.Create(ctx, "benchmark", r, domain.Dating{}); err != nil {
			return fmt.Errorf("load %s %s: %w", r.Kind().Singular(), old, err)
		}
		ids[old] = r.Base().ID
		return nil
	}
	for _, p := range s.Parties {
		c := *p
		if err := create(&c); err != nil {
			return "", err
		}
	}
	n := *s.Negotiation
	n.Participants = append([]domain.Participant(nil), s.Negotiation.Participants...)
	for i := range n.Participants {
		n.Participants[i].PartyID = ids[n.Participants[i].PartyID]
	}
	if err := create(&n); err != nil {
		return "", err
	}
	for _, r := range s.Rounds {
		c := *r
		c.NegotiationID, c.HostPartyID = n.ID, ids[c.HostPartyID]
		if err := create(&c); err != nil {
			return "", err
		}
	}
	for _, d := range s.Delegations {
		c := *d
		c.RoundID, c.PartyID, c.NegotiationID = ids[c.RoundID], ids[c.PartyID], ""
		if err := create(&c); err != nil {
			return "", err
		}
	}
	for _, t := range s.Topics {
		c := *t
		c.NegotiationID = n.ID
		if err := create(&c); err != nil {
			return "", err
		}
	}
	for _, d := range s.Demands {
		c := *d
		c.NegotiationID, c.PartyID, c.TopicID, c.RoundID = n.ID, ids[c.PartyID], ids[c.TopicID], ids[c.RoundID]
		if err := create(&c); err != nil {
			return "", err
		}
	}
	for _, o := range s.Objections {
		c := *o
		c.DemandID, c.PartyID, c.NegotiationID = ids[c.DemandID], ids[c.PartyID], ""
		if err := create(&c); err != nil {
			return "", err
		}
	}
	for _, e := range s.Endorsements {
		c := *e
		c.DemandID, c.PartyID, c.NegotiationID = ids[c.DemandID], ids[c.PartyID], ""
		if err := create(&c); err != nil {
			return "", err
		}
	}
	return n.ID, nil
}
