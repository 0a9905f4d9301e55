// Package demo loads the demo negotiation of the contract: the Russia–Ukraine
// talks in Istanbul on 16 May 2025, as public reporting of that day described
// them. It writes through domain.Store only, so everything it creates has its
// history like anything an analyst records.
package demo

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/parley/parley/domain"
)

// Title is the demo negotiation's title; Load finds an earlier load by it.
const Title = "Istanbul talks, May 2025"

// The day of the talks and of the report every claim cites.
const day = "2025-05-16"

// source is the live report every claim of the demo cites: Newsweek's live
// coverage of the talks on 16 May 2025 (its text is in
// testdata/newsweek-2025-05-16.txt). The locator is the time stamp of the
// entry the quote comes from, or summary; the quote is a span of that entry,
// word for word.
var source = domain.Citation{
	Publisher:   "Newsweek",
	Title:       "Russia-Ukraine Peace Talks Live Updates: Delegations Meet in Istanbul",
	URL:         "https://www.newsweek.com/russia-ukraine-peace-talks-live-updates-istanbul-2072963",
	PublishedAt: day,
	Reliability: "B",
	Credibility: "2",
}

// summary is the locator of the report's opening summary, which precedes
// its first time-stamped entry and carries no time stamp of its own.
const summary = "What to Know"

// edt is the report's clock: its entries are stamped in US Eastern Daylight
// Time, four hours behind UTC.
var edt = time.FixedZone("EDT", -4*60*60)

// entryTime is when a claim reported in the entry at locator took effect:
// the entry's time stamp ("08:13 AM EDT") on the report's day, in UTC. A
// claim from the opening summary takes the start of the report's day, UTC,
// as any claim stated on that date with no time does: the summary gives no
// hour, and a claim it makes that a time-stamped entry reports too is cited
// to that entry, which dates it.
func entryTime(locator string) (time.Time, error) {
	if locator == summary {
		t, _ := domain.DayStart(day)
		return t, nil
	}
	clock, ok := strings.CutSuffix(locator, " EDT")
	if !ok {
		return time.Time{}, fmt.Errorf("locator %q is neither %q nor an EDT time stamp", locator, summary)
	}
	t, err := time.ParseInLocation(domain.DateLayout+" 03:04 PM", day+" "+clock, edt)
	if err != nil {
		return time.Time{}, fmt.Errorf("locator %q: %w", locator, err)
	}
	return t.UTC(), nil
}

// excerpt is a span of the report and the entry it comes from.
type excerpt struct{ locator, quote string }

func cite(from []excerpt) []domain.Citation {
	cs := make([]domain.Citation, len(from))
	for i, e := range from {
		cs[i] = source
		cs[i].Locator = e.locator
		cs[i].Quote = e.quote
	}
	return cs
}

// The report's time-stamped entries, as it prints them.
const (
	at0729 = "07:29 AM EDT"
	at0742 = "07:42 AM EDT"
	at0757 = "07:57 AM EDT"
	at0813 = "08:13 AM EDT"
)

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
		notes: "Hosted the talks at Dolmabahçe Palace and mediated between the delegations; Foreign Minister Hakan Fidan opened the session."},
	{name: "United States", short: "US", aliases: []string{"USA", "US"}, role: "mediator",
		notes: "Proposed a 30-day ceasefire, which Ukraine accepted; Secretary of State Marco Rubio and envoy Keith Kellogg were in Istanbul for separate talks."},
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
		notes: "Led by Defence Minister Rustem Umerov."},
	{party: "Russia", head: "Vladimir Medinsky", title: "Presidential aide", level: "senior_official",
		members: []domain.Member{
			{Name: "Vladimir Medinsky", Title: "Presidential aide"},
			{Name: "Mikhail Galuzin", Title: "Deputy Foreign Minister"},
			{Name: "Alexander Fomin", Title: "Deputy Defence Minister"},
			{Name: "Igor Kostyukov", Title: "Director of the GRU"},
		},
		notes: "Russia sent mid-level representatives; President Putin, who proposed the talks, did not attend."},
	{party: "Turkey", head: "Hakan Fidan", title: "Foreign Minister", level: "ministerial",
		members: []domain.Member{{Name: "Hakan Fidan", Title: "Foreign Minister"}, {Name: "İbrahim Kalın", Title: "Head of the National Intelligence Organisation"}},
		notes:   "Opened the talks as host and mediator."},
	{party: "United States", head: "Marco Rubio", title: "Secretary of State", level: "ministerial",
		members: []domain.Member{{Name: "Marco Rubio", Title: "Secretary of State"}, {Name: "Keith Kellogg", Title: "Special Envoy for Ukraine"}},
		notes:   "Rubio and Kellogg were in Istanbul for separate talks."},
}

var topics = []struct {
	title, description string
}{
	{"Ceasefire", "A halt to the fighting: its length, its conditions and when it starts."},
	{"Children", "The return of Ukrainian children taken by Russia."},
	{"Prisoners of war", "Exchanges of prisoners of war."},
	{"Sanctions", "Pressure on Russia should its peace efforts prove insincere."},
	{"Leaders' meeting", "A meeting of the presidents, and who would take part."},
}

// Each claim takes effect when the report's entry it cites was posted (see
// entryTime); a claim citing several entries, when the latest was.

type demandSpec struct {
	key, party, topic, title, details, priority string
	terms                                       map[string]any // numbers as float64, as JSON decodes them
	from                                        []excerpt
}

var demands = []demandSpec{
	{key: "ua-ceasefire", party: "Ukraine", topic: "Ceasefire", priority: "core",
		title:   "30-day ceasefire",
		details: "Defence Minister Rustem Umerov, who leads Ukraine's delegation, named a 30-day ceasefire a key priority.",
		terms:   map[string]any{"duration_days": 30.0},
		from:    []excerpt{{at0729, "Rustem Umerov, who leads its delegation in Istanbul, has said that a 30-day ceasefire is a key priority"}}},
	{key: "ua-children", party: "Ukraine", topic: "Children", priority: "core",
		title:   "Return of all abducted children",
		details: "The return of all Ukrainian children taken by Russia.",
		from:    []excerpt{{at0729, "He also called for the return of all abducted children"}}},
	{key: "ua-prisoners", party: "Ukraine", topic: "Prisoners of war", priority: "normal",
		title:   "Complete prisoner-of-war exchange",
		details: "An exchange of all prisoners of war between the two sides.",
		terms:   map[string]any{"exchange": "complete"},
		from:    []excerpt{{at0729, "a complete prisoner-of-war exchange"}}},
	{key: "us-ceasefire", party: "United States", topic: "Ceasefire", priority: "core",
		title:   "30-day ceasefire proposal",
		details: "The United States' proposal of a 30-day ceasefire, which Ukraine has accepted and Russia has yet to agree to.",
		terms:   map[string]any{"duration_days": 30.0},
		from:    []excerpt{{at0742, "Zelensky has accepted an American proposal for a 30-day ceasefire, but Russia has yet to agree"}}},
	{key: "us-leaders", party: "United States", topic: "Leaders' meeting", priority: "normal",
		title:   "A direct meeting between Presidents Trump and Putin",
		details: "President Trump is working to arrange direct talks with President Putin as soon as possible, to break the deadlock.",
		from:    []excerpt{{at0742, "Trump stressed the importance of a direct meeting with Putin to break the deadlock"}}},
	{key: "ua-leaders", party: "Ukraine", topic: "Leaders' meeting", priority: "normal",
		title:   "A meeting with Putin himself",
		details: "President Zelensky is not taking part in the Istanbul talks, saying he would only meet with Putin.",
		from:    []excerpt{{at0757, "Ukraine’s president, Volodymyr Zelensky, is also not participating, saying he would only meet with Putin"}}},
	{key: "ua-sanctions", party: "Ukraine", topic: "Sanctions", priority: "secondary",
		title:   "Sanctions against Russia's energy sector and banks if its peace efforts prove insincere",
		details: "President Zelensky called on the international community to respond firmly, with sanctions against Russia's energy sector and banks, if Russia's peace efforts prove insincere.",
		terms:   map[string]any{"targets": "energy sector, banks", "trigger": "peace efforts prove insincere"},
		from: []excerpt{
			{at0813, "called on the international community to respond firmly if Russia’s latest peace efforts prove insincere"},
			{at0813, "there needs to be a strong reaction including sanctions against Russia’s energy sector and banks"},
		}},
}

// amendments are later entries of the report that move a demand already
// made: each is a dated change of that demand, so that the talks as of an
// earlier time show the demand as it stood then.
type amendmentSpec struct {
	demand, title, details, note string
	terms                        map[string]any // merged into the demand's terms
	from                         excerpt
}

var amendments = []amendmentSpec{
	{demand: "ua-ceasefire",
		title:   "Immediate, unconditional 30-day ceasefire",
		details: "Defence Minister Rustem Umerov, who leads Ukraine's delegation, named a 30-day ceasefire a key priority; President Zelensky called for it to be immediate and unconditional.",
		terms:   map[string]any{"unconditional": true},
		note:    "President Zelensky called for an immediate and unconditional ceasefire.",
		from:    excerpt{at0813, "Zelensky spoke about the need for an immediate and unconditional ceasefire"}},
}

// Both of Russia's objections answer the 30-day ceasefire as the 07:29 entry
// reports it, before the report mentions the American proposal (07:42).
var objections = []struct {
	demand, party, kind, grounds string
	from                         []excerpt
}{
	{demand: "ua-ceasefire", party: "Russia", kind: "rejection",
		grounds: "A ceasefire could give Ukraine time to rest its forces, recruit additional troops and receive more Western weapons.",
		from:    []excerpt{{at0729, "ceasefire could give Ukraine time to rest its forces, recruit additional troops, and receive more weapons from the West"}}},
	{demand: "ua-ceasefire", party: "Russia", kind: "condition",
		grounds: "Russia has repeatedly declined the 30-day ceasefire proposal, arguing that its demands have not been met.",
		from:    []excerpt{{at0729, "has repeatedly declined the 30-day ceasefire proposal, arguing that its demands have not been met"}}},
}

var endorsements = []struct {
	demand, party, note string
	from                []excerpt
}{
	{demand: "us-ceasefire", party: "Ukraine", note: "Ukraine accepted the United States' 30-day ceasefire proposal.",
		from: []excerpt{{at0742, "Zelensky has accepted an American proposal for a 30-day ceasefire"}}},
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

// create writes r taking effect as when says (zero: on its own date).
func (l *loader) create(r domain.Resource, when domain.Dating) string {
	if l.err != nil {
		return ""
	}
	l.err = l.s.Create(l.ctx, l.actor, r, when)
	return r.Base().ID
}

// claim writes a demand, objection or endorsement taking effect when the
// latest entry it cites was posted.
func (l *loader) claim(r domain.Resource, cites []domain.Citation) string {
	return l.create(r, l.reported(cites))
}

// reported dates a write by the latest report entry among cites.
func (l *loader) reported(cites []domain.Citation) domain.Dating {
	var latest time.Time
	for _, c := range cites {
		t, err := entryTime(c.Locator)
		if err != nil && l.err == nil {
			l.err = err
		}
		if t.After(latest) {
			latest = t
		}
	}
	return domain.Dating{EffectiveAt: latest}
}

// amend changes a demand as a later entry of the report moved it, dated by
// that entry and citing it both as the change's source and among the
// demand's own.
func (l *loader) amend(id string, a amendmentSpec) {
	if l.err != nil {
		return
	}
	cites := cite([]excerpt{a.from})
	when := l.reported(cites)
	when.Note = a.note
	when.Citations = cites
	if l.err != nil {
		return
	}
	_, l.err = l.s.Update(l.ctx, l.actor, domain.KindDemand, id, 0, when, func(cur domain.Resource) (domain.Resource, error) {
		d := cur.(*domain.Demand)
		d.Title, d.Details = a.title, a.details
		if d.Terms == nil {
			d.Terms = map[string]any{}
		}
		for k, v := range a.terms {
			d.Terms[k] = v
		}
		d.Citations = append(d.Citations, cites...)
		return d, nil
	})
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
			id = l.create(&domain.Party{Name: p.name, ShortName: p.short, Aliases: p.aliases, PartyKind: "state", Notes: p.notes}, domain.Dating{})
		}
		partyIDs[p.name] = id
		participants = append(participants, domain.Participant{PartyID: id, Role: domain.ParticipantRole(p.role)})
	}
	// The negotiation, its round, delegations and topics take effect on
	// their own dates (the start of the day of the talks); the claims at
	// the report's time stamps, later that day.
	negotiationID := l.create(&domain.Negotiation{
		Title:        Title,
		Description:  "The first direct talks between Russia and Ukraine since 2022, hosted by Turkey in Istanbul, with the United States pressing for a 30-day ceasefire. Built from public reporting of 16 May 2025; every claim cites its report.",
		State:        "active",
		StartedOn:    day,
		Participants: participants,
	}, domain.Dating{})
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
	}, domain.Dating{})
	for _, d := range delegations {
		l.create(&domain.Delegation{RoundID: roundID, PartyID: partyIDs[d.party], HeadName: d.head, HeadTitle: d.title,
			Level: domain.DelegationLevel(d.level), Members: d.members, Notes: d.notes}, domain.Dating{})
	}
	topicIDs := map[string]string{}
	for i, t := range topics {
		topicIDs[t.title] = l.create(&domain.Topic{NegotiationID: negotiationID, Title: t.title, Description: t.description, SortOrder: i + 1}, domain.Dating{})
	}
	demandIDs := map[string]string{}
	for _, d := range demands {
		terms := map[string]any{}
		for k, v := range d.terms {
			terms[k] = v
		}
		cites := cite(d.from)
		demandIDs[d.key] = l.claim(&domain.Demand{
			NegotiationID: negotiationID, PartyID: partyIDs[d.party], TopicID: topicIDs[d.topic], RoundID: roundID,
			Title: d.title, Details: d.details, Terms: terms, State: "tabled", Priority: domain.DemandPriority(d.priority), StatedOn: day,
			Citations: cites,
		}, cites)
	}
	for _, o := range objections {
		cites := cite(o.from)
		l.claim(&domain.Objection{DemandID: demandIDs[o.demand], PartyID: partyIDs[o.party], Grounds: o.grounds,
			Type: domain.ObjectionKind(o.kind), State: "standing", StatedOn: day, Citations: cites}, cites)
	}
	for _, e := range endorsements {
		cites := cite(e.from)
		l.claim(&domain.Endorsement{DemandID: demandIDs[e.demand], PartyID: partyIDs[e.party], StatedOn: day,
			Note: e.note, Citations: cites}, cites)
	}
	for _, a := range amendments {
		l.amend(demandIDs[a.demand], a)
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
