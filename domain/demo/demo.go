// Package demo loads the demo negotiation of the contract: the Russia–Ukraine
// talks in Istanbul on 16 May 2025, as public reporting of that day described
// them. It writes through domain.Store only, so everything it creates has its
// history like anything an analyst records.
package demo

import (
	"context"
	"fmt"
	"strings"

	"github.com/parley/parley/domain"
)

// Title is the demo negotiation's title; Load finds an earlier load by it.
const Title = "Istanbul talks, May 2025"

// The day of the talks and of the report every claim cites.
const day = "2025-05-16"

// source is the live report every claim of the demo cites: Newsweek's live
// coverage of the talks on 16 May 2025. The locator is the time stamp of the
// entry, the quote a short excerpt.
var source = domain.Citation{
	Publisher:   "Newsweek",
	Title:       "Russia-Ukraine Peace Talks Live Updates: Delegations Meet in Istanbul",
	URL:         "https://www.newsweek.com/russia-ukraine-peace-talks-live-updates-istanbul-2072963",
	PublishedAt: day,
	Reliability: "B",
	Credibility: "2",
}

func cite(locator, quote string) []domain.Citation {
	c := source
	c.Locator = locator
	c.Quote = quote
	return []domain.Citation{c}
}

type partySpec struct {
	name, short string
	aliases     []string
	role        string
	notes       string
}

var parties = []partySpec{
	{name: "Ukraine", short: "UA", aliases: []string{"Україна"}, role: "principal"},
	{name: "Russia", short: "RU", aliases: []string{"Russian Federation", "RF"}, role: "principal"},
	{name: "Turkey", short: "TR", aliases: []string{"Türkiye", "Republic of Türkiye"}, role: "host",
		notes: "Hosted the talks at Dolmabahçe Palace and mediated between the delegations; Foreign Minister Hakan Fidan opened and chaired the session."},
	{name: "United States", short: "US", aliases: []string{"USA", "US"}, role: "mediator",
		notes: "Pressed for a 30-day ceasefire; its officials met the Ukrainian and Turkish delegations in separate talks in Istanbul."},
}

type delegationSpec struct {
	party, head, title, level string
	members                   []domain.Member
	notes                     string
}

var delegations = []delegationSpec{
	{party: "Ukraine", head: "Rustem Umerov", title: "Defence Minister", level: "ministerial",
		members: []domain.Member{
			{Name: "Rustem Umerov", Title: "Defence Minister"},
			{Name: "Serhiy Kyslytsya", Title: "First Deputy Foreign Minister"},
			{Name: "Oleksandr Poklad", Title: "Deputy head of the SBU"},
			{Name: "Oleh Luhovskyi", Title: "Deputy head of the Foreign Intelligence Service"},
		},
		notes: "A minister-led delegation, in contrast to Russia's mid-level one."},
	{party: "Russia", head: "Vladimir Medinsky", title: "Presidential aide", level: "senior_official",
		members: []domain.Member{
			{Name: "Vladimir Medinsky", Title: "Presidential aide"},
			{Name: "Mikhail Galuzin", Title: "Deputy Foreign Minister"},
			{Name: "Alexander Fomin", Title: "Deputy Defence Minister"},
			{Name: "Igor Kostyukov", Title: "Director of the GRU"},
		},
		notes: "Russia sent mid-level representatives; neither President Putin nor a minister attended."},
	{party: "Turkey", head: "Hakan Fidan", title: "Foreign Minister", level: "ministerial",
		members: []domain.Member{{Name: "Hakan Fidan", Title: "Foreign Minister"}, {Name: "İbrahim Kalın", Title: "Head of the National Intelligence Organisation"}},
		notes:   "Opened the talks as host and mediator."},
	{party: "United States", head: "Marco Rubio", title: "Secretary of State", level: "ministerial",
		members: []domain.Member{{Name: "Marco Rubio", Title: "Secretary of State"}, {Name: "Keith Kellogg", Title: "Special Envoy for Ukraine"}},
		notes:   "Rubio and Kellogg were in Istanbul for separate talks, not at the Russia–Ukraine table."},
}

var topics = []struct {
	title, description string
}{
	{"Ceasefire", "A halt to the fighting: its length, its conditions and when it starts."},
	{"Children", "The return of Ukrainian children taken to Russia."},
	{"Prisoners of war", "Exchanges of prisoners of war."},
	{"Sanctions", "Pressure on Russia should it refuse a ceasefire."},
	{"Leaders' meeting", "A meeting of the presidents, and who would take part."},
}

type demandSpec struct {
	key, party, topic, title, details, priority string
	terms                                       map[string]any // numbers as float64, as JSON decodes them
	locator, quote                              string
}

var demands = []demandSpec{
	{key: "ua-ceasefire", party: "Ukraine", topic: "Ceasefire", priority: "core",
		title:   "Immediate, unconditional 30-day ceasefire",
		details: "Ukraine's first demand at the table: an immediate and unconditional ceasefire of 30 days.",
		terms:   map[string]any{"duration_days": 30.0, "unconditional": true},
		locator: "08:13 AM EDT", quote: "an immediate 30-day ceasefire"},
	{key: "ua-children", party: "Ukraine", topic: "Children", priority: "core",
		title:   "Return of all children taken by Russia",
		details: "The return of every Ukrainian child taken to Russia.",
		locator: "08:13 AM EDT", quote: "the return of children taken by Russia"},
	{key: "ua-prisoners", party: "Ukraine", topic: "Prisoners of war", priority: "normal",
		title:   "Full prisoner exchange (all for all)",
		details: "An exchange of all prisoners of war held by each side.",
		terms:   map[string]any{"exchange": "all for all"},
		locator: "08:13 AM EDT", quote: "a full prisoner swap"},
	{key: "ua-sanctions", party: "Ukraine", topic: "Sanctions", priority: "secondary",
		title:   "Sanctions on Russia's energy sector and banks if Russia refuses a ceasefire",
		details: "Ukraine's call on its partners to sanction Russia's energy sector and banks should Russia refuse the ceasefire.",
		terms:   map[string]any{"targets": "energy sector, banks", "trigger": "ceasefire refused"},
		locator: "09:02 AM EDT", quote: "sanctions on Russia's energy sector and banks"},
	{key: "us-ceasefire", party: "United States", topic: "Ceasefire", priority: "core",
		title:   "30-day ceasefire proposal",
		details: "The United States' proposal of a 30-day ceasefire, which Ukraine has accepted.",
		terms:   map[string]any{"duration_days": 30.0},
		locator: "07:41 AM EDT", quote: "30-day ceasefire proposal"},
	{key: "us-leaders", party: "United States", topic: "Leaders' meeting", priority: "normal",
		title:   "A direct meeting between Presidents Trump and Putin",
		details: "President Trump said no real progress could be made before he met President Putin himself.",
		locator: "07:15 AM EDT", quote: "as soon as we can set it up"},
	{key: "ua-leaders", party: "Ukraine", topic: "Leaders' meeting", priority: "normal",
		title:   "A meeting with Putin himself",
		details: "President Zelensky's position that he would meet only Putin, not a lower-level envoy.",
		locator: "06:48 AM EDT", quote: "he would meet only Putin"},
}

var objections = []struct {
	demand, party, kind, grounds, locator, quote string
}{
	{demand: "ua-ceasefire", party: "Russia", kind: "rejection",
		grounds: "A truce would let Ukraine rest its forces, recruit troops and receive more Western weapons.",
		locator: "08:13 AM EDT", quote: "using truces to regroup and rearm"},
	{demand: "us-ceasefire", party: "Russia", kind: "condition",
		grounds: "Russia's own demands have not been met; it sets conditions before any ceasefire.",
		locator: "08:13 AM EDT", quote: "its own demands have not been met"},
}

var endorsements = []struct {
	demand, party, note, locator, quote string
}{
	{demand: "us-ceasefire", party: "Ukraine", note: "Ukraine accepted the United States' 30-day ceasefire proposal.",
		locator: "07:41 AM EDT", quote: "Ukraine accepted a 30-day ceasefire proposal"},
}

// Load writes the demo negotiation through s as actor and returns its id.
// It is idempotent: when a negotiation titled Title exists, Load returns it
// with created false and writes nothing; parties that already exist under
// one of the demo names are reused rather than duplicated.
func Load(ctx context.Context, s domain.Store, actor string) (negotiationID string, created bool, err error) {
	if id, err := findNegotiation(ctx, s); err != nil || id != "" {
		return id, false, err
	}
	l := loader{ctx: ctx, s: s, actor: actor}
	id := l.load()
	if l.err != nil {
		return "", false, fmt.Errorf("load the demo negotiation: %w", l.err)
	}
	return id, true, nil
}

// loader keeps the first error so that load reads as the list of things it
// creates.
type loader struct {
	ctx   context.Context
	s     domain.Store
	actor string
	err   error
}

func (l *loader) create(r domain.Resource) string {
	if l.err != nil {
		return ""
	}
	l.err = l.s.Create(l.ctx, l.actor, r, domain.Dating{})
	return r.Base().ID
}

func (l *loader) load() string {
	partyIDs := map[string]string{}
	var participants []domain.Participant
	for _, p := range parties {
		id, err := findParty(l.ctx, l.s, p)
		if err != nil {
			l.err = err
			return ""
		}
		if id == "" {
			id = l.create(&domain.Party{Name: p.name, ShortName: p.short, Aliases: p.aliases, PartyKind: "state", Notes: p.notes})
		}
		partyIDs[p.name] = id
		participants = append(participants, domain.Participant{PartyID: id, Role: p.role})
	}
	negotiationID := l.create(&domain.Negotiation{
		Title:        Title,
		Description:  "The first direct talks between Russia and Ukraine since 2022, hosted by Turkey in Istanbul, with the United States pressing for a 30-day ceasefire. Built from public reporting of 16 May 2025; every claim cites its report.",
		State:        "active",
		StartedOn:    day,
		Participants: participants,
	})
	roundID := l.create(&domain.Round{
		NegotiationID: negotiationID,
		Title:         "Istanbul round",
		StartsOn:      day,
		EndsOn:        day,
		Location:      "Istanbul, Turkey",
		Venue:         "Dolmabahçe Palace",
		Format:        "mediated",
		HostPartyID:   partyIDs["Turkey"],
		Summary: "Opened by Turkish Foreign Minister Hakan Fidan. Ukraine's delegation was led by Defence Minister Rustem Umerov; " +
			"Russia sent mid-level representatives headed by presidential aide Vladimir Medinsky. " +
			"US Secretary of State Marco Rubio and envoy Keith Kellogg held separate talks in Istanbul.",
	})
	for _, d := range delegations {
		l.create(&domain.Delegation{RoundID: roundID, PartyID: partyIDs[d.party], HeadName: d.head, HeadTitle: d.title,
			Level: d.level, Members: d.members, Notes: d.notes})
	}
	topicIDs := map[string]string{}
	for i, t := range topics {
		topicIDs[t.title] = l.create(&domain.Topic{NegotiationID: negotiationID, Title: t.title, Description: t.description, SortOrder: i + 1})
	}
	demandIDs := map[string]string{}
	for _, d := range demands {
		terms := map[string]any{}
		for k, v := range d.terms {
			terms[k] = v
		}
		demandIDs[d.key] = l.create(&domain.Demand{
			NegotiationID: negotiationID, PartyID: partyIDs[d.party], TopicID: topicIDs[d.topic], RoundID: roundID,
			Title: d.title, Details: d.details, Terms: terms, State: "tabled", Priority: d.priority, StatedOn: day,
			Citations: cite(d.locator, d.quote),
		})
	}
	for _, o := range objections {
		l.create(&domain.Objection{DemandID: demandIDs[o.demand], PartyID: partyIDs[o.party], Grounds: o.grounds,
			Type: o.kind, State: "standing", StatedOn: day, Citations: cite(o.locator, o.quote)})
	}
	for _, e := range endorsements {
		l.create(&domain.Endorsement{DemandID: demandIDs[e.demand], PartyID: partyIDs[e.party], StatedOn: day,
			Note: e.note, Citations: cite(e.locator, e.quote)})
	}
	return negotiationID
}

// findNegotiation returns the id of the negotiation titled Title, "" if none.
func findNegotiation(ctx context.Context, s domain.Store) (string, error) {
	var found string
	err := each(ctx, s, domain.ListQuery{Kind: domain.KindNegotiation, Text: Title}, func(r domain.Resource) bool {
		if n := r.(*domain.Negotiation); strings.EqualFold(n.Title, Title) {
			found = n.ID
			return false
		}
		return true
	})
	return found, err
}

// findParty returns the id of a party whose name is the spec's name or one
// of its aliases (an analyst may have recorded "Türkiye" before loading the
// demo), "" if none.
func findParty(ctx context.Context, s domain.Store, p partySpec) (string, error) {
	names := append([]string{p.name}, p.aliases...)
	for _, name := range names {
		var found string
		err := each(ctx, s, domain.ListQuery{Kind: domain.KindParty, Text: name}, func(r domain.Resource) bool {
			if strings.EqualFold(r.(*domain.Party).Name, name) {
				found = r.Base().ID
				return false
			}
			return true
		})
		if err != nil || found != "" {
			return found, err
		}
	}
	return "", nil
}

// each calls fn for every resource the query finds, page by page, until fn
// returns false.
func each(ctx context.Context, s domain.Store, q domain.ListQuery, fn func(domain.Resource) bool) error {
	q.Limit = 500
	for {
		page, err := s.List(ctx, q)
		if err != nil {
			return err
		}
		for _, r := range page.Items {
			if !fn(r) {
				return nil
			}
		}
		if page.NextCursor == "" {
			return nil
		}
		q.Cursor = page.NextCursor
	}
}
