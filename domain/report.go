package domain

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// Report is the negotiation status report: one model that package report
// renders as markdown, html, pdf, csv, xlsx and json. It holds names rather
// than ids wherever a reader sees them, so renderers need no lookups.
type Report struct {
	Title       string            `json:"title"`
	Negotiation ReportNegotiation `json:"negotiation"`
	// AsOf is the instant the report describes; null for the present.
	AsOf        *time.Time `json:"as_of"`
	GeneratedAt time.Time  `json:"generated_at"`
	// Since is the first instant of the "what moved" section; null when
	// none was asked.
	Since   *time.Time    `json:"since"`
	Summary ReportSummary `json:"summary"`
	Parties []ReportParty `json:"parties"`
	Rounds  []ReportRound `json:"rounds"`
	Topics  []ReportTopic `json:"topics"`
	// Changes is what moved from since to the report's instant: the
	// comparison of the two moments; null when since was not asked.
	Changes *Comparison `json:"changes"`
	// Sources is the numbered list of every source cited; claims refer to
	// its numbers.
	Sources []ReportSource `json:"sources"`
	// Unsourced lists the claims (demands, objections, endorsements) that
	// cite no source, in the report's order, so that they are sourced or
	// read with care.
	Unsourced []ReportClaim `json:"unsourced"`
	// Timeline is the negotiation over negotiation time, up to the report's
	// as of; LoadReport fills it in (BuildReport alone has no revisions).
	Timeline *Timeline `json:"timeline,omitempty"`
}

// ReportNegotiation is the negotiation the report is about.
type ReportNegotiation struct {
	ID          string `json:"id"`
	Title       string `json:"title"`
	Description string `json:"description"`
	Status      string `json:"status"`
	StartedOn   string `json:"started_on"`
}

// ReportSummary is the first thing a minister reads: how many topics stand
// where, and how much is on the table.
type ReportSummary struct {
	TopicsByState      []StateCount `json:"topics_by_state"`
	Parties            int          `json:"parties"`
	Rounds             int          `json:"rounds"`
	Topics             int          `json:"topics"`
	Demands            int          `json:"demands"`
	LiveDemands        int          `json:"live_demands"`
	Objections         int          `json:"objections"`
	StandingObjections int          `json:"standing_objections"`
	Endorsements       int          `json:"endorsements"`
	Sources            int          `json:"sources"`
	// Unsourced counts the claims that cite no source.
	Unsourced int `json:"unsourced"`
	// Changes counts the moves since the report's since instant.
	Changes int `json:"changes"`
}

// StateCount is the number of topics in one state.
type StateCount struct {
	State string `json:"state"`
	Count int    `json:"count"`
}

// ReportParty is a party at the table with its role; Role is "" for a party
// that is referred to but no longer a participant.
type ReportParty struct {
	ID        string   `json:"id"`
	Name      string   `json:"name"`
	ShortName string   `json:"short_name"`
	Aliases   []string `json:"aliases"`
	Kind      string   `json:"kind"`
	Role      string   `json:"role"`
}

// Label is the party's short name, or its name.
func (p ReportParty) Label() string {
	if p.ShortName != "" {
		return p.ShortName
	}
	return p.Name
}

// ReportRound is one round of talks with the delegations sent to it.
type ReportRound struct {
	ID          string             `json:"id"`
	Title       string             `json:"title"`
	StartsOn    string             `json:"starts_on"`
	EndsOn      string             `json:"ends_on"`
	Location    string             `json:"location"`
	Venue       string             `json:"venue"`
	Format      string             `json:"format"`
	Host        string             `json:"host"`
	Summary     string             `json:"summary"`
	Delegations []ReportDelegation `json:"delegations"`
	// LevelNote says where the principals' delegations differ in level, a
	// signal of how seriously each side takes the round; "" when they match.
	LevelNote string `json:"level_note"`
}

// ReportDelegation is who one party sent to a round.
type ReportDelegation struct {
	PartyID   string   `json:"party_id"`
	Party     string   `json:"party"`
	HeadName  string   `json:"head_name"`
	HeadTitle string   `json:"head_title"`
	Level     string   `json:"level"`
	Members   []Member `json:"members"`
	Notes     string   `json:"notes"`
}

// ReportTopic is one topic with its state and everything said on it.
type ReportTopic struct {
	ID          string          `json:"id"`
	Title       string          `json:"title"`
	Description string          `json:"description"`
	State       string          `json:"state"`
	Demands     []ReportDemand  `json:"demands"`
	TermGaps    []ReportTermGap `json:"term_gaps"`
}

// ReportTermGap lines up one numeric term that several parties state on a
// topic.
type ReportTermGap struct {
	Term string `json:"term"`
	// Label names the term for readers, as everywhere (TermLabel).
	Label  string            `json:"label"`
	Values []ReportTermValue `json:"values"`
	Gap    string            `json:"gap"`
}

// ReportTermValue is one party's value of a lined-up term.
type ReportTermValue struct {
	Party string `json:"party"`
	Value string `json:"value"`
}

// ReportDemand is a demand as the report shows it.
type ReportDemand struct {
	ID           string              `json:"id"`
	Title        string              `json:"title"`
	Details      string              `json:"details"`
	PartyID      string              `json:"party_id"`
	Party        string              `json:"party"`
	Role         string              `json:"role"`
	Status       string              `json:"status"`
	Priority     string              `json:"priority"`
	StatedOn     string              `json:"stated_on"`
	Round        string              `json:"round"`
	Terms        []ReportTerm        `json:"terms"`
	Citations    []CiteRef           `json:"citations"`
	Endorsements []ReportEndorsement `json:"endorsements"`
	Objections   []ReportObjection   `json:"objections"`
}

// ReportTerm is one named term of a demand, its value written for people.
type ReportTerm struct {
	Name string `json:"name"`
	// Label names the term for readers, as everywhere (TermLabel).
	Label string `json:"label"`
	Value string `json:"value"`
}

// ReportEndorsement is a party backing a demand.
type ReportEndorsement struct {
	ID        string    `json:"id"`
	PartyID   string    `json:"party_id"`
	Party     string    `json:"party"`
	StatedOn  string    `json:"stated_on"`
	Note      string    `json:"note"`
	Citations []CiteRef `json:"citations"`
}

// ReportObjection is a party objecting to a demand.
type ReportObjection struct {
	ID        string    `json:"id"`
	PartyID   string    `json:"party_id"`
	Party     string    `json:"party"`
	Grounds   string    `json:"grounds"`
	Kind      string    `json:"kind"`
	Status    string    `json:"status"`
	StatedOn  string    `json:"stated_on"`
	Citations []CiteRef `json:"citations"`
}

// ReportClaim names a claim: a demand, an objection to one or an
// endorsement of one.
type ReportClaim struct {
	Kind  Kind   `json:"kind"`
	ID    string `json:"id"`
	Party string `json:"party"`
	Topic string `json:"topic"`
	// Demand is the demand's title, or for an objection or endorsement
	// the demand's it is about; DemandParty is who made that demand.
	DemandID    string `json:"demand_id"`
	Demand      string `json:"demand"`
	DemandParty string `json:"demand_party"`
}

// CiteRef ties a claim to a numbered source, with what is specific to this
// claim: where in the source, the quote, and the grading of this piece of
// information.
type CiteRef struct {
	Source  int    `json:"source"`
	Locator string `json:"locator"`
	Quote   string `json:"quote"`
	Grading string `json:"grading"`
}

// ReportSource is one source in the numbered list.
type ReportSource struct {
	Number      int    `json:"number"`
	Publisher   string `json:"publisher"`
	Title       string `json:"title"`
	URL         string `json:"url"`
	PublishedAt string `json:"published_at"`
	// Reliability is the Admiralty grade of the source (A–F) as first cited.
	Reliability string `json:"reliability"`
	// Grading is the Admiralty code of its first citation, e.g. "B2".
	Grading string `json:"grading"`
	// GradingText spells the grading out: "usually reliable; probably true".
	GradingText string `json:"grading_text"`
}

// Admiralty scale wording, for readers who do not know the codes.
var (
	reliabilityText = map[string]string{"A": "completely reliable", "B": "usually reliable", "C": "fairly reliable", "D": "not usually reliable", "E": "unreliable", "F": "reliability cannot be judged"}
	credibilityText = map[string]string{"1": "confirmed by other sources", "2": "probably true", "3": "possibly true", "4": "doubtful", "5": "improbable", "6": "truth cannot be judged"}
)

// GradingText spells out an Admiralty grading such as "B2"; "" if ungraded.
func GradingText(reliability, credibility string) string {
	var parts []string
	if t := reliabilityText[reliability]; t != "" {
		parts = append(parts, t)
	}
	if t := credibilityText[credibility]; t != "" {
		parts = append(parts, t)
	}
	return strings.Join(parts, "; ")
}

// BuildReport assembles the status report of a snapshot. since is what
// moved up to the snapshot from the report's since instant (Compare of the
// state just before since with s), nil for a report without that section.
// generatedAt is passed in so that reports are reproducible.
func BuildReport(s *Snapshot, since *Comparison, generatedAt time.Time) *Report {
	ix := indexSnapshot(s)
	n := s.Negotiation
	r := &Report{
		Title:       n.Title + ": negotiation status report",
		Negotiation: ReportNegotiation{ID: n.ID, Title: n.Title, Description: n.Description, Status: string(n.State), StartedOn: n.StartedOn},
		GeneratedAt: generatedAt.UTC(),
		Parties:     []ReportParty{},
		Rounds:      []ReportRound{},
		Topics:      []ReportTopic{},
		Sources:     []ReportSource{},
	}
	if !s.AsOf.IsZero() {
		at := s.AsOf.UTC()
		r.AsOf = &at
	}
	r.Parties = reportParties(ix)
	r.Rounds = reportRounds(ix)
	sources := newSourceList()
	for _, t := range ix.topics {
		r.Topics = append(r.Topics, reportTopic(ix, t, sources))
	}
	r.Sources = sources.list
	r.Unsourced = unsourcedOf(ix)
	if since != nil {
		r.Since, r.Changes = since.From, since
	}
	r.Summary = reportSummary(ix, r)
	return r
}

func reportParties(ix *snapshotIndex) []ReportParty {
	parties := make([]ReportParty, 0, len(ix.s.Parties))
	for _, p := range ix.s.Parties {
		parties = append(parties, ReportParty{
			ID: p.ID, Name: p.Name, ShortName: p.ShortName, Aliases: nonNil(p.Aliases), Kind: string(p.PartyKind),
			Role: string(ix.s.Negotiation.Role(p.ID)),
		})
	}
	sort.SliceStable(parties, func(i, j int) bool {
		return ix.partyLess(parties[i].ID, parties[j].ID)
	})
	return parties
}

// partyLess orders parties as the negotiation lists its participants, then
// any other party by name.
func (ix *snapshotIndex) partyLess(a, b string) bool {
	oa, aok := ix.participantOrder[a]
	ob, bok := ix.participantOrder[b]
	switch {
	case aok && bok:
		return oa < ob
	case aok != bok:
		return aok
	}
	na, nb := strings.ToLower(ix.partyName(a)), strings.ToLower(ix.partyName(b))
	if na != nb {
		return na < nb
	}
	return a < b
}

func reportRounds(ix *snapshotIndex) []ReportRound {
	byRound := map[string][]*Delegation{}
	for _, d := range ix.s.Delegations {
		byRound[d.RoundID] = append(byRound[d.RoundID], d)
	}
	rounds := append([]*Round(nil), ix.s.Rounds...)
	sort.SliceStable(rounds, func(i, j int) bool {
		if rounds[i].StartsOn != rounds[j].StartsOn {
			return rounds[i].StartsOn < rounds[j].StartsOn
		}
		if rounds[i].Title != rounds[j].Title {
			return rounds[i].Title < rounds[j].Title
		}
		return rounds[i].ID < rounds[j].ID
	})
	out := make([]ReportRound, 0, len(rounds))
	for _, rd := range rounds {
		rr := ReportRound{
			ID: rd.ID, Title: rd.Title, StartsOn: rd.StartsOn, EndsOn: rd.EndsOn, Location: rd.Location,
			Venue: rd.Venue, Format: string(rd.Format), Summary: rd.Summary, Delegations: []ReportDelegation{},
		}
		if rd.HostPartyID != "" {
			rr.Host = ix.partyName(rd.HostPartyID)
		}
		delegations := byRound[rd.ID]
		sort.SliceStable(delegations, func(i, j int) bool { return ix.partyLess(delegations[i].PartyID, delegations[j].PartyID) })
		for _, d := range delegations {
			rr.Delegations = append(rr.Delegations, ReportDelegation{
				PartyID: d.PartyID, Party: ix.partyName(d.PartyID), HeadName: d.HeadName, HeadTitle: d.HeadTitle,
				Level: string(d.Level), Members: nonNil(d.Members), Notes: d.Notes,
			})
		}
		rr.LevelNote = levelNote(ix, delegations)
		out = append(out, rr)
	}
	return out
}

// levelNote compares the levels of the principals' delegations to a round
// and, where they differ, says so from the highest level down.
func levelNote(ix *snapshotIndex, delegations []*Delegation) string {
	var principals []*Delegation
	for _, d := range delegations {
		if ix.s.Negotiation.Role(d.PartyID) == "principal" {
			principals = append(principals, d)
		}
	}
	if len(principals) < 2 {
		return ""
	}
	lo, hi := delegationLevels.Rank(principals[0].Level), delegationLevels.Rank(principals[0].Level)
	for _, d := range principals[1:] {
		rank := delegationLevels.Rank(d.Level)
		lo, hi = min(lo, rank), max(hi, rank)
	}
	if lo == hi {
		return ""
	}
	sort.SliceStable(principals, func(i, j int) bool {
		return delegationLevels.Rank(principals[i].Level) > delegationLevels.Rank(principals[j].Level)
	})
	parts := make([]string, len(principals))
	for i, d := range principals {
		parts[i] = fmt.Sprintf("%s at %s level", ix.partyName(d.PartyID), humanize(string(d.Level)))
		if d.HeadName != "" {
			parts[i] += " (led by " + PersonText(d.HeadName, d.HeadTitle) + ")"
		}
	}
	return "The principals' delegations differ in level: " + strings.Join(parts, "; ") + "."
}

// topicDemands lists a topic's demands as the report does: by party as
// the negotiation lists its participants, then by stated_on.
func topicDemands(ix *snapshotIndex, topicID string) []*Demand {
	demands := append([]*Demand(nil), ix.demandsByTopic[topicID]...)
	sort.SliceStable(demands, func(i, j int) bool {
		if demands[i].PartyID != demands[j].PartyID {
			return ix.partyLess(demands[i].PartyID, demands[j].PartyID)
		}
		return false // already by stated_on, then id
	})
	return demands
}

func reportTopic(ix *snapshotIndex, t *Topic, sources *sourceList) ReportTopic {
	demands := topicDemands(ix, t.ID)
	rt := ReportTopic{ID: t.ID, Title: t.Title, Description: t.Description, State: string(ix.summary(t.ID).State),
		Demands: make([]ReportDemand, 0, len(demands)), TermGaps: []ReportTermGap{}}
	for _, d := range demands {
		rd := ReportDemand{
			ID: d.ID, Title: d.Title, Details: d.Details, PartyID: d.PartyID, Party: ix.partyName(d.PartyID),
			Role: string(ix.s.Negotiation.Role(d.PartyID)), Status: string(d.State), Priority: string(d.Priority), StatedOn: d.StatedOn,
			Terms: []ReportTerm{}, Citations: sources.cite(d.Citations),
			Endorsements: []ReportEndorsement{}, Objections: []ReportObjection{},
		}
		if rnd := ix.rounds[d.RoundID]; rnd != nil {
			rd.Round = rnd.Title
		}
		for _, k := range d.OrderedTermKeys() {
			label, _ := TermLabel(k)
			rd.Terms = append(rd.Terms, ReportTerm{Name: k, Label: label, Value: TermText(k, d.Terms[k])})
		}
		for _, e := range byStatedOn(ix.endorsementsByDemand[d.ID], func(e *Endorsement) (string, string) { return e.StatedOn, e.ID }) {
			rd.Endorsements = append(rd.Endorsements, ReportEndorsement{
				ID: e.ID, PartyID: e.PartyID, Party: ix.partyName(e.PartyID), StatedOn: e.StatedOn, Note: e.Note,
				Citations: sources.cite(e.Citations),
			})
		}
		for _, o := range byStatedOn(ix.objectionsByDemand[d.ID], func(o *Objection) (string, string) { return o.StatedOn, o.ID }) {
			rd.Objections = append(rd.Objections, ReportObjection{
				ID: o.ID, PartyID: o.PartyID, Party: ix.partyName(o.PartyID), Grounds: o.Grounds, Kind: string(o.Type),
				Status: string(o.State), StatedOn: o.StatedOn, Citations: sources.cite(o.Citations),
			})
		}
		rt.Demands = append(rt.Demands, rd)
	}
	column := make(map[string]int, len(ix.participantOrder))
	for id, i := range ix.participantOrder {
		column[id] = i
	}
	for _, a := range alignTerms(t.ID, demands, column) {
		label, _ := TermLabel(a.Term)
		g := ReportTermGap{Term: a.Term, Label: label, Gap: TermText(a.Term, a.Gap)}
		for _, v := range a.Values {
			g.Values = append(g.Values, ReportTermValue{Party: ix.partyName(v.PartyID), Value: TermText(a.Term, v.Value)})
		}
		rt.TermGaps = append(rt.TermGaps, g)
	}
	return rt
}

func byStatedOn[T any](items []T, key func(T) (string, string)) []T {
	out := append([]T(nil), items...)
	sort.SliceStable(out, func(i, j int) bool {
		di, ii := key(out[i])
		dj, ij := key(out[j])
		if di != dj {
			return di < dj
		}
		return ii < ij
	})
	return out
}

// sourceList numbers sources in the order the report first cites them,
// counting a source once however often it is cited: by its URL, or by its
// title where it has none.
type sourceList struct {
	list   []ReportSource
	number map[string]int
}

func newSourceList() *sourceList {
	return &sourceList{list: []ReportSource{}, number: map[string]int{}}
}

func sourceKey(c Citation) string {
	if c.URL != "" {
		return "url:" + c.URL
	}
	return "title:" + strings.ToLower(strings.TrimSpace(c.Publisher)) + "\x00" + strings.ToLower(strings.TrimSpace(c.Title))
}

func (l *sourceList) cite(cs []Citation) []CiteRef {
	refs := make([]CiteRef, 0, len(cs))
	for _, c := range cs {
		key := sourceKey(c)
		n, ok := l.number[key]
		if !ok {
			n = len(l.list) + 1
			l.number[key] = n
			l.list = append(l.list, ReportSource{
				Number: n, Publisher: c.Publisher, Title: c.Title, URL: c.URL, PublishedAt: c.PublishedAt,
				Reliability: string(c.Reliability), Grading: c.Grading(),
				GradingText: GradingText(string(c.Reliability), string(c.Credibility)),
			})
		}
		refs = append(refs, CiteRef{Source: n, Locator: c.Locator, Quote: c.Quote, Grading: c.Grading()})
	}
	return refs
}

// UnsourcedClaims lists the claims of a snapshot (demands, objections,
// endorsements) that cite no source, in the report's order: by topic, each
// demand followed by what is said about it.
func UnsourcedClaims(s *Snapshot) []ReportClaim { return unsourcedOf(indexSnapshot(s)) }

func unsourcedOf(ix *snapshotIndex) []ReportClaim {
	out := []ReportClaim{}
	for _, t := range ix.topics {
		for _, d := range topicDemands(ix, t.ID) {
			claim := ReportClaim{Kind: KindDemand, ID: d.ID, Party: ix.partyName(d.PartyID), Topic: t.Title,
				DemandID: d.ID, Demand: d.Title, DemandParty: ix.partyName(d.PartyID)}
			if len(d.Citations) == 0 {
				out = append(out, claim)
			}
			for _, o := range byStatedOn(ix.objectionsByDemand[d.ID], func(o *Objection) (string, string) { return o.StatedOn, o.ID }) {
				if len(o.Citations) == 0 {
					c := claim
					c.Kind, c.ID, c.Party = KindObjection, o.ID, ix.partyName(o.PartyID)
					out = append(out, c)
				}
			}
			for _, e := range byStatedOn(ix.endorsementsByDemand[d.ID], func(e *Endorsement) (string, string) { return e.StatedOn, e.ID }) {
				if len(e.Citations) == 0 {
					c := claim
					c.Kind, c.ID, c.Party = KindEndorsement, e.ID, ix.partyName(e.PartyID)
					out = append(out, c)
				}
			}
		}
	}
	return out
}

// ClaimText names a claim for readers: "Russia's demand “Three-day
// truce”", "Russia's objection to Ukraine's “30-day ceasefire”",
// "Ukraine's endorsement of the United States' “US plan”".
func ClaimText(c ReportClaim) string {
	switch c.Kind {
	case KindObjection:
		return Possessive(c.Party) + " objection to " + Possessive(c.DemandParty) + " " + Quoted(c.Demand, 80)
	case KindEndorsement:
		return Possessive(c.Party) + " endorsement of " + Possessive(c.DemandParty) + " " + Quoted(c.Demand, 80)
	}
	return Possessive(c.Party) + " demand " + Quoted(c.Demand, 80)
}

func reportSummary(ix *snapshotIndex, r *Report) ReportSummary {
	sum := ReportSummary{
		Rounds: len(r.Rounds), Topics: len(r.Topics), Sources: len(r.Sources), Unsourced: len(r.Unsourced),
		Demands: len(ix.s.Demands), Objections: len(ix.s.Objections), Endorsements: len(ix.s.Endorsements),
	}
	if r.Changes != nil {
		sum.Changes = r.Changes.MoveCount()
	}
	for _, p := range r.Parties {
		if p.Role != "" {
			sum.Parties++
		}
	}
	live := map[string]bool{}
	for _, d := range ix.s.Demands {
		if d.Live() {
			sum.LiveDemands++
			live[d.ID] = true
		}
	}
	for _, o := range ix.s.Objections {
		if o.Standing() && live[o.DemandID] {
			sum.StandingObjections++
		}
	}
	counts := map[string]int{}
	for _, t := range r.Topics {
		counts[t.State]++
	}
	for _, st := range TopicStates().Strings() {
		sum.TopicsByState = append(sum.TopicsByState, StateCount{State: st, Count: counts[st]})
	}
	return sum
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
