package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/parley/parley/domain"
)

// COP29Title is the second demo negotiation's title; LoadCOP29 finds an
// earlier load by it.
const COP29Title = "COP29 Baku: new climate finance goal (NCQG), November 2024"

// The reports the COP29 demo cites. Each quote in it is a span of the
// report, word for word; where a report's headline was not at hand it is
// left out rather than guessed (a citation needs a url or a title).
var (
	newIndianExpress = domain.Citation{
		Publisher:   "The New Indian Express",
		URL:         "https://www.newindianexpress.com/world/2024/Nov/12/g77-china-demand-13-trillion-dollars-in-climate-finance-from-developed-nations-at-cop29",
		PublishedAt: "2024-11-12", Reliability: "B", Credibility: "2",
	}
	devDiscourse = domain.Citation{
		Publisher: "Devdiscourse", Title: "G77 and China Reject Climate Finance Framework at UN Climate Summit",
		URL:         "https://www.devdiscourse.com/article/law-order/3154615-g77-and-china-reject-climate-finance-framework-at-un-climate-summit",
		Reliability: "C", Credibility: "2",
	}
	theHindu = domain.Citation{
		Publisher: "The Hindu (AFP)", Title: "Small islands walk out of climate deal consultation with COP29 president",
		URL:         "https://www.thehindu.com/sci-tech/energy-and-environment/cop29-baku-climate-talks-on-november-23-2024/article68902604.ece",
		PublishedAt: "2024-11-23", Reliability: "B", Credibility: "2",
	}
	hindustanTimes = domain.Citation{
		Publisher: "Hindustan Times", Title: "India’s stand against inadequate climate finance at COP29",
		URL:         "https://www.hindustantimes.com/ht-insight/climate-change/indias-stand-against-inadequate-climate-finance-at-cop29-101732607992344.html",
		PublishedAt: "2024-11-26", Reliability: "B", Credibility: "2",
	}
	nationalHerald = domain.Citation{
		Publisher: "National Herald", Title: "COP29: India rejects new USD 300 bn climate finance deal as inequitable",
		URL:         "https://www.nationalheraldindia.com/international/cop29-300-billion-deal-insufficient-say-climate-advocates",
		PublishedAt: "2024-11-24", Reliability: "C", Credibility: "2",
	}
)

func quoted(c domain.Citation, quote string) domain.Citation {
	c.Quote = quote
	return c
}

// copParty is a party of the COP29 demo; members name other copParties.
type copParty struct {
	name, short string
	kind        domain.PartyKind
	roles       []domain.ParticipantRole
	members     []string
	notes       string
}

// copParties are the blocs and states the demo's claims involve. Bloc
// memberships are limited to those beyond doubt (BASIC is Brazil, South
// Africa, India and China; Samoa chaired AOSIS and Malawi the LDCs in
// 2024); a bloc is not filled out with members no claim here needs.
var copParties = []copParty{
	{name: "Azerbaijan", short: "AZ", kind: "state", roles: []domain.ParticipantRole{"host", "mediator"},
		notes: "Held the COP29 Presidency: hosted the conference in Baku and led the consultations on the finance text."},
	{name: "G77 and China", short: "G77", kind: "bloc", roles: []domain.ParticipantRole{"principal"},
		members: []string{"India", "Malawi", "Brazil", "South Africa", "China"},
		notes:   "The largest negotiating bloc of developing countries."},
	{name: "Least Developed Countries", short: "LDCs", kind: "bloc", roles: []domain.ParticipantRole{"principal"}, members: []string{"Malawi"}},
	{name: "Alliance of Small Island States", short: "AOSIS", kind: "bloc", roles: []domain.ParticipantRole{"principal"}, members: []string{"Samoa"},
		notes: "Chaired in 2024 by Samoa (Cedric Schuster)."},
	{name: "BASIC", kind: "bloc", members: []string{"Brazil", "South Africa", "India", "China"}},
	{name: "European Union", short: "EU", kind: "bloc", roles: []domain.ParticipantRole{"principal"},
		notes: "A Party in its own right, negotiating for its member states; its climate commissioner was Wopke Hoekstra."},
	{name: "India", short: "IN", kind: "state", roles: []domain.ParticipantRole{"principal"}},
	{name: "Malawi", short: "MW", kind: "state", roles: []domain.ParticipantRole{"principal"}},
	{name: "Samoa", short: "WS", kind: "state"},
	{name: "Brazil", short: "BR", kind: "state"},
	{name: "South Africa", short: "ZA", kind: "state"},
	{name: "China", short: "CN", kind: "state"},
}

const (
	copStart = "2024-11-11"
	copEnd   = "2024-11-24"
)

// LoadCOP29 writes the second demo negotiation, the finance goal agreed at
// COP29 in Baku, through s as actor and returns its id. Like Load it is
// idempotent and reuses parties already recorded under a demo name.
func LoadCOP29(ctx context.Context, s domain.Store, actor string) (negotiationID string, created bool, err error) {
	if id, err := findNegotiationTitled(ctx, s, COP29Title); err != nil || id != "" {
		return id, false, err
	}
	l := loader{ctx: ctx, s: s, actor: actor}
	id := l.loadCOP29()
	if l.err != nil {
		return "", false, fmt.Errorf("load the COP29 demo negotiation: %w", l.err)
	}
	return id, true, nil
}

func (l *loader) copParties() map[string]string {
	ids := map[string]string{}
	// States first, so that blocs can name them.
	for _, blocs := range []bool{false, true} {
		for _, p := range copParties {
			if (p.kind == domain.PartyKindBloc) != blocs || l.err != nil {
				continue
			}
			id, err := findParty(l.ctx, l.s, partySpec{name: p.name})
			if err != nil {
				l.err = err
				return ids
			}
			if id == "" {
				party := &domain.Party{Name: p.name, ShortName: p.short, PartyKind: p.kind, Notes: p.notes, Aliases: []string{}}
				for _, m := range p.members {
					party.Members = append(party.Members, domain.Membership{PartyID: ids[m]})
				}
				id = l.create(party, domain.Dating{})
			}
			ids[p.name] = id
		}
	}
	return ids
}

func (l *loader) loadCOP29() string {
	ids := l.copParties()
	var participants []domain.Participant
	for _, p := range copParties {
		for _, r := range p.roles {
			participants = append(participants, domain.Participant{PartyID: ids[p.name], Role: r})
		}
	}
	neg := l.create(&domain.Negotiation{
		Title: COP29Title,
		Description: "The new collective quantified goal on climate finance, negotiated at the UN climate conference in Baku from 11 November 2024 " +
			"and adopted in the early hours of 24 November: developed countries to take the lead in mobilising at least $300 billion a year by 2035, " +
			"against the developing countries' call for $1.3 trillion. A multilateral demo with blocs; every claim cites a public report.",
		State: "concluded", StartedOn: copStart, Participants: participants,
	}, domain.Dating{})
	round := l.create(&domain.Round{NegotiationID: neg, Title: "COP29", StartsOn: copStart, EndsOn: copEnd, Location: "Baku, Azerbaijan",
		Venue: "Baku Olympic Stadium", Format: "mediated", HostPartyID: ids["Azerbaijan"]}, domain.Dating{})
	quantum := l.create(&domain.Topic{NegotiationID: neg, Title: "Size of the goal", SortOrder: 1,
		Description: "How much climate finance a year developed countries provide or mobilise for developing countries, and by when."}, domain.Dating{})

	l.claimOn("2024-11-12", &domain.Demand{NegotiationID: neg, PartyID: ids["G77 and China"], TopicID: quantum, RoundID: round,
		Title: "At least $1.3 trillion a year from developed countries", Priority: "core", State: "tabled",
		Details: "For mitigation, adaptation and loss and damage in developing countries.",
		Terms:   map[string]any{"usd_bn_per_year": 1300},
		Citations: []domain.Citation{
			quoted(newIndianExpress, "G77+China has demanded that developed nations provide at least $1.3 trillion annually to aid mitigation, adaptation, and address loss and damage caused by climate change"),
			quoted(devDiscourse, "G77 and China have called for a revised framework that proposes a minimum of USD 1.3 trillion for mitigation, adaptation, and loss initiatives"),
		}})
	goal := l.claimOn("2024-11-23", &domain.Demand{NegotiationID: neg, PartyID: ids["Azerbaijan"], TopicID: quantum, RoundID: round,
		Title: "$300 billion a year by 2035, with $1.3 trillion as the wider aim", Priority: "core", State: "agreed",
		Details: "The Presidency's text of 23 November, adopted on 24 November: developed countries take the lead on $300 billion a year by 2035; all actors to scale finance up to $1.3 trillion a year.",
		Terms:   map[string]any{"usd_bn_per_year": 300},
		Citations: []domain.Citation{
			quoted(hindustanTimes, "negotiators announced a pledge to triple annual climate finance to $300 billion by 2035, with an aspirational target of $1.3 trillion"),
		}})
	l.claimOn("2024-11-23", &domain.Objection{DemandID: goal, PartyID: ids["Alliance of Small Island States"], Type: "rejection", State: "standing",
		Grounds:   "The small island states walked out of the consultations with the COP29 Presidency on the finance text, saying they had not been heard.",
		Citations: []domain.Citation{quoted(theHindu, "We’ve just walked out. We came here to this COP for a fair deal. We feel that we haven’t been heard")}})
	l.claimOn("2024-11-24", &domain.Objection{DemandID: goal, PartyID: ids["India"], Type: "rejection", State: "standing",
		Grounds: "The amount is abysmally poor and the document an optical illusion; India objected to its adoption.",
		Citations: []domain.Citation{
			quoted(hindustanTimes, "This document is little more than an optical illusion. This, in our opinion, will not address the enormity of the challenge we all face. Therefore, we oppose the adoption of this document."),
			quoted(nationalHerald, "$300 billion does not address the needs and priorities of developing countries."),
		}})
	l.claimOn("2024-11-24", &domain.Endorsement{DemandID: goal, PartyID: ids["European Union"],
		Note:      "The EU's climate envoy, Wopke Hoekstra, welcomed the goal and its wider contributor base.",
		Citations: []domain.Citation{quoted(hindustanTimes, "COP29 will be remembered as the start of a new era on climate finance. The EU will continue to lead. This COP delivered an ambitious and realistic goal and an increased contributor base.")}})
	return neg
}

// claimOn writes a claim taking effect at the start of the day it was
// stated, with that day as its stated_on.
func (l *loader) claimOn(day string, r domain.Resource) string {
	switch v := r.(type) {
	case *domain.Demand:
		v.StatedOn = day
	case *domain.Objection:
		v.StatedOn = day
	case *domain.Endorsement:
		v.StatedOn = day
	}
	at, err := time.Parse(domain.DateLayout, day)
	if err != nil && l.err == nil {
		l.err = err
	}
	return l.create(r, domain.Dating{EffectiveAt: at})
}
