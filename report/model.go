package report

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/parley/parley/domain"
)

// Report is the negotiation status report: one model that the formats
// render as markdown, html, pdf, csv, xlsx and json. It holds names rather
// than ids wherever a reader sees them, so renderers need no lookups.
type Report struct {
	Title       string      `json:"title"`
	Negotiation Negotiation `json:"negotiation"`
	// AsOf is the instant the report describes; null for the present.
	AsOf        *time.Time `json:"as_of"`
	GeneratedAt time.Time  `json:"generated_at"`
	// Since is the first instant of the "what moved" section; null when
	// none was asked.
	Since   *time.Time `json:"since"`
	Summary Summary    `json:"summary"`
	Parties []Party    `json:"parties"`
	Rounds  []Round    `json:"rounds"`
	Topics  []Topic    `json:"topics"`
	// Changes is what moved from since to the report's instant: the
	// comparison of the two moments; null when since was not asked.
	Changes *domain.Comparison `json:"changes"`
	// Sources is the numbered list of every source cited; claims refer to
	// its numbers.
	Sources []Source `json:"sources"`
	// Unsourced lists the claims (demands, objections, endorsements) that
	// cite no source, in the report's order, so that they are sourced or
	// read with care.
	Unsourced []Claim `json:"unsourced"`
	// Timeline is the negotiation over negotiation time, up to the report's
	// as of; Load fills it in (Build alone has no revisions).
	Timeline *domain.Timeline `json:"timeline,omitempty"`
	// States and Stances define the topic states and the parties' stances,
	// for the legend every report prints.
	States  []domain.StateDefinition  `json:"states"`
	Stances []domain.StanceDefinition `json:"stances"`
	// Handling is the highest handling marking of what the report holds,
	// printed at the head and foot of every page.
	Handling string `json:"handling"`
	// Audience is the marking the report was cut down to ("" for none):
	// everything marked above it is left out.
	Audience string `json:"audience,omitempty"`
	// Layout is the layout asked for; "" for the full report.
	Layout string `json:"layout,omitempty"`
}

// Negotiation is the negotiation the report is about.
type Negotiation struct {
	ID          string `json:"id"`
	Title       string `json:"title"`
	Description string `json:"description"`
	Status      string `json:"status"`
	StartedOn   string `json:"started_on"`
}

// Summary is the first thing a minister reads: how many topics stand
// where, and how much is on the table.
type Summary struct {
	TopicsByState []StateCount `json:"topics_by_state"`
	Parties       int          `json:"parties"`
	Rounds        int          `json:"rounds"`
	Topics        int          `json:"topics"`
	Demands       int          `json:"demands"`
	LiveDemands   int          `json:"live_demands"`
	Objections    int          `json:"objections"`
	// StandingObjections counts every standing objection,
	// StandingObjectionsToLive those of them to live demands.
	StandingObjections       int `json:"standing_objections"`
	StandingObjectionsToLive int `json:"standing_objections_to_live"`
	Endorsements             int `json:"endorsements"`
	// Rebuttals counts the answers to objections.
	Rebuttals int `json:"rebuttals"`
	// DefinedTerms counts the terms the topics define.
	DefinedTerms int `json:"defined_terms"`
	Sources      int `json:"sources"`
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

// Party is a party at the table with its role; Role is "" for a party
// that is referred to but no longer a participant.
type Party struct {
	ID        string   `json:"id"`
	Name      string   `json:"name"`
	ShortName string   `json:"short_name"`
	Aliases   []string `json:"aliases"`
	Kind      string   `json:"kind"`
	Role      string   `json:"role"`
}

// Label is the party's short name, or its name.
func (p Party) Label() string {
	if p.ShortName != "" {
		return p.ShortName
	}
	return p.Name
}

// Round is one round of talks with the delegations sent to it.
type Round struct {
	ID          string       `json:"id"`
	Title       string       `json:"title"`
	StartsOn    string       `json:"starts_on"`
	EndsOn      string       `json:"ends_on"`
	Location    string       `json:"location"`
	Venue       string       `json:"venue"`
	Format      string       `json:"format"`
	Host        string       `json:"host"`
	Summary     string       `json:"summary"`
	Delegations []Delegation `json:"delegations"`
	// LevelNote says where the principals' delegations differ in level, a
	// signal of how seriously each side takes the round; "" when they match.
	LevelNote string `json:"level_note"`
}

// Delegation is who one party sent to a round.
type Delegation struct {
	PartyID   string          `json:"party_id"`
	Party     string          `json:"party"`
	HeadName  string          `json:"head_name"`
	HeadTitle string          `json:"head_title"`
	Level     string          `json:"level"`
	Members   []domain.Member `json:"members"`
	Notes     string          `json:"notes"`
}

// Topic is one topic with its state and everything said on it.
type Topic struct {
	ID          string `json:"id"`
	Title       string `json:"title"`
	Description string `json:"description"`
	State       string `json:"state"`
	StateLabel  string `json:"state_label"`
	// StateNote qualifies the state: the pending secondary demands of an
	// agreed topic, the terms a divergent one differs on; "" for none.
	StateNote string   `json:"state_note"`
	Stances   []Stance `json:"stances"`
	Demands   []Demand `json:"demands"`
	// Terms lines up the terms the topic defines (see domain.BuildTermRows).
	Terms []TermRow `json:"terms"`
	// Threads are the topic's demands that drew counter-demands or
	// bridging proposals, with the reactions to each (threads.go).
	Threads []Thread `json:"threads"`
}

// Stance is one participant's stance on a topic.
type Stance struct {
	PartyID string `json:"party_id"`
	Party   string `json:"party"`
	Stance  string `json:"stance"`
}

// TermRow is one defined term lined up across the parties.
type TermRow struct {
	Key string `json:"key"`
	// Label is the term's heading, with its unit.
	Label  string      `json:"label"`
	Type   string      `json:"type"`
	Values []TermValue `json:"values"`
	// Spread says in words how far apart the positions are: the gap with
	// who holds each extreme, or the split.
	Spread string `json:"spread"`
	// RelativeGap ranks rows by how far apart the positions are, so that
	// days and dollars compare: a range's gap over its largest magnitude
	// (0 to 1, the widest range of a money term's currencies), 1 for a
	// split between two or more values, 0 where all agree.
	RelativeGap float64 `json:"relative_gap"`
}

// TermValue is one demand's value of a lined-up term. Live is false
// for a value from a rejected or withdrawn demand, which reports mark.
type TermValue struct {
	Party        string `json:"party"`
	Value        string `json:"value"`
	DemandStatus string `json:"demand_status"`
	Live         bool   `json:"live"`
}

// Demand is a demand as the report shows it.
type Demand struct {
	ID           string        `json:"id"`
	Title        string        `json:"title"`
	Details      string        `json:"details"`
	PartyID      string        `json:"party_id"`
	Party        string        `json:"party"`
	Role         string        `json:"role"`
	Status       string        `json:"status"`
	Handling     string        `json:"handling"`
	Priority     string        `json:"priority"`
	StatedOn     string        `json:"stated_on"`
	Round        string        `json:"round"`
	Terms        []Term        `json:"terms"`
	Citations    []CiteRef     `json:"citations"`
	Endorsements []Endorsement `json:"endorsements"`
	Objections   []Objection   `json:"objections"`
}

// Term is one named term of a demand, its value written for people.
type Term struct {
	Name string `json:"name"`
	// Label names the term for readers: a defined term's label, else its
	// name in words (TermLabel).
	Label string `json:"label"`
	Value string `json:"value"`
	// Raw is the stored value, for typed spreadsheet cells; Defined is
	// true for a term the topic defines.
	Raw     any  `json:"raw"`
	Defined bool `json:"defined"`
}

// Endorsement is a party backing a demand.
type Endorsement struct {
	ID        string    `json:"id"`
	PartyID   string    `json:"party_id"`
	Party     string    `json:"party"`
	StatedOn  string    `json:"stated_on"`
	Note      string    `json:"note"`
	Handling  string    `json:"handling"`
	Citations []CiteRef `json:"citations"`
}

// Objection is a party objecting to a demand.
type Objection struct {
	ID        string    `json:"id"`
	PartyID   string    `json:"party_id"`
	Party     string    `json:"party"`
	Grounds   string    `json:"grounds"`
	Kind      string    `json:"kind"`
	Status    string    `json:"status"`
	StatedOn  string    `json:"stated_on"`
	Handling  string    `json:"handling"`
	Citations []CiteRef `json:"citations"`
	// Rebuttals are the answers to the objection, by stated_on: the
	// thread demand → objection → rebuttal.
	Rebuttals []Rebuttal `json:"rebuttals"`
}

// Rebuttal is a party's answer to an objection.
type Rebuttal struct {
	ID        string    `json:"id"`
	PartyID   string    `json:"party_id"`
	Party     string    `json:"party"`
	Grounds   string    `json:"grounds"`
	StatedOn  string    `json:"stated_on"`
	Round     string    `json:"round,omitempty"`
	Handling  string    `json:"handling"`
	Citations []CiteRef `json:"citations"`
}

// Claim names a claim: a demand, an objection to one or an
// endorsement of one.
type Claim struct {
	Kind  domain.Kind `json:"kind"`
	ID    string      `json:"id"`
	Party string      `json:"party"`
	Topic string      `json:"topic"`
	// Demand is the demand's title, or for an objection or endorsement
	// the demand's it is about (for a rebuttal, its objection's);
	// DemandParty is who made that demand.
	DemandID    string `json:"demand_id"`
	Demand      string `json:"demand"`
	DemandParty string `json:"demand_party"`
	// ObjectionParty is, for a rebuttal, who made the objection it answers.
	ObjectionParty string `json:"objection_party,omitempty"`
}

// CiteRef ties a claim to a numbered source, with what is specific to this
// claim: where in the source, the quote, and the grading of this piece of
// information.
type CiteRef struct {
	Source  int    `json:"source"`
	Locator string `json:"locator"`
	Quote   string `json:"quote"`
	Grading string `json:"grading"`
	// Handling is this citation's marking, resolved.
	Handling string `json:"handling"`
}

// Source is one source in the numbered list.
type Source struct {
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

// Build assembles the status report of a snapshot. since is what
// moved up to the snapshot from the report's since instant (domain.Compare of the
// state just before since with s), nil for a report without that section.
// generatedAt is passed in so that reports are reproducible.
func Build(s *domain.Snapshot, since *domain.Comparison, generatedAt time.Time) *Report {
	ix := domain.IndexSnapshot(s)
	n := s.Negotiation
	r := &Report{
		Title:       n.Title + ": negotiation status report",
		Negotiation: Negotiation{ID: n.ID, Title: n.Title, Description: n.Description, Status: string(n.State), StartedOn: n.StartedOn},
		GeneratedAt: generatedAt.UTC(),
		Parties:     []Party{},
		Rounds:      []Round{},
		Topics:      []Topic{},
		Sources:     []Source{},
		States:      domain.TopicStateDefinitions,
		Stances:     domain.StanceDefinitions,
	}
	if !s.AsOf.IsZero() {
		at := s.AsOf.UTC()
		r.AsOf = &at
	}
	r.Parties = reportParties(ix)
	r.Rounds = reportRounds(ix)
	sources := newSourceList()
	for _, t := range ix.Topics() {
		r.Topics = append(r.Topics, reportTopic(ix, t, sources))
	}
	r.Sources = sources.list
	r.Unsourced = unsourcedOf(ix)
	if since != nil {
		r.Since, r.Changes = since.From, since
	}
	r.Summary = reportSummary(ix, r)
	r.Handling = domain.SnapshotHandling(s, "")
	return r
}

func reportParties(ix domain.SnapshotIndex) []Party {
	parties := make([]Party, 0, len(ix.Snapshot().Parties))
	for _, p := range ix.Snapshot().Parties {
		parties = append(parties, Party{
			ID: p.ID, Name: p.Name, ShortName: p.ShortName, Aliases: nonNil(p.Aliases), Kind: string(p.PartyKind),
			Role: ix.Snapshot().Negotiation.RolesText(p.ID),
		})
	}
	sort.SliceStable(parties, func(i, j int) bool {
		return ix.PartyLess(parties[i].ID, parties[j].ID)
	})
	return parties
}

func reportRounds(ix domain.SnapshotIndex) []Round {
	byRound := map[string][]*domain.Delegation{}
	for _, d := range ix.Snapshot().Delegations {
		byRound[d.RoundID] = append(byRound[d.RoundID], d)
	}
	rounds := append([]*domain.Round(nil), ix.Snapshot().Rounds...)
	sort.SliceStable(rounds, func(i, j int) bool {
		if rounds[i].StartsOn != rounds[j].StartsOn {
			return rounds[i].StartsOn < rounds[j].StartsOn
		}
		if rounds[i].Title != rounds[j].Title {
			return rounds[i].Title < rounds[j].Title
		}
		return rounds[i].ID < rounds[j].ID
	})
	out := make([]Round, 0, len(rounds))
	for _, rd := range rounds {
		rr := Round{
			ID: rd.ID, Title: rd.Title, StartsOn: rd.StartsOn, EndsOn: rd.EndsOn, Location: rd.Location,
			Venue: rd.Venue, Format: string(rd.Format), Summary: rd.Summary, Delegations: []Delegation{},
		}
		if rd.HostPartyID != "" {
			rr.Host = ix.PartyName(rd.HostPartyID)
		}
		delegations := byRound[rd.ID]
		sort.SliceStable(delegations, func(i, j int) bool { return ix.PartyLess(delegations[i].PartyID, delegations[j].PartyID) })
		for _, d := range delegations {
			rr.Delegations = append(rr.Delegations, Delegation{
				PartyID: d.PartyID, Party: ix.PartyName(d.PartyID), HeadName: d.HeadName, HeadTitle: d.HeadTitle,
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
func levelNote(ix domain.SnapshotIndex, delegations []*domain.Delegation) string {
	var principals []*domain.Delegation
	for _, d := range delegations {
		if ix.Snapshot().Negotiation.HasRole(d.PartyID, "principal") {
			principals = append(principals, d)
		}
	}
	if len(principals) < 2 {
		return ""
	}
	lo, hi := domain.DelegationLevels().Rank(principals[0].Level), domain.DelegationLevels().Rank(principals[0].Level)
	for _, d := range principals[1:] {
		rank := domain.DelegationLevels().Rank(d.Level)
		lo, hi = min(lo, rank), max(hi, rank)
	}
	if lo == hi {
		return ""
	}
	sort.SliceStable(principals, func(i, j int) bool {
		return domain.DelegationLevels().Rank(principals[i].Level) > domain.DelegationLevels().Rank(principals[j].Level)
	})
	parts := make([]string, len(principals))
	for i, d := range principals {
		parts[i] = fmt.Sprintf("%s at %s level", ix.PartyName(d.PartyID), strings.ReplaceAll(string(d.Level), "_", " "))
		if d.HeadName != "" {
			parts[i] += " (led by " + domain.PersonText(d.HeadName, d.HeadTitle) + ")"
		}
	}
	return "The principals' delegations differ in level: " + strings.Join(parts, "; ") + "."
}

// topicDemands lists a topic's demands as the report does: by party as
// the negotiation lists its participants, then by stated_on.
func topicDemands(ix domain.SnapshotIndex, topicID string) []*domain.Demand {
	demands := append([]*domain.Demand(nil), ix.TopicDemands(topicID)...)
	sort.SliceStable(demands, func(i, j int) bool {
		if demands[i].PartyID != demands[j].PartyID {
			return ix.PartyLess(demands[i].PartyID, demands[j].PartyID)
		}
		return false // already by stated_on, then id
	})
	return demands
}

func reportTopic(ix domain.SnapshotIndex, t *domain.Topic, sources *sourceList) Topic {
	demands := topicDemands(ix, t.ID)
	sum := ix.Summary(t.ID)
	rt := Topic{ID: t.ID, Title: t.Title, Description: t.Description, State: string(sum.State),
		StateLabel: domain.StateLabel(sum.State), StateNote: stateNote(t, sum), Stances: reportStances(ix, t.ID),
		Demands: make([]Demand, 0, len(demands)), Terms: []TermRow{}, Threads: reportThreads(ix, t.ID)}
	neg := ix.Snapshot().Negotiation.Handling
	for _, d := range demands {
		rd := Demand{
			ID: d.ID, Title: d.Title, Details: d.Details, PartyID: d.PartyID, Party: ix.PartyName(d.PartyID),
			Role: ix.Snapshot().Negotiation.RolesText(d.PartyID), Status: string(d.State), Priority: string(d.Priority), StatedOn: d.StatedOn,
			Handling: domain.ResolveHandling(d.Handling, neg), Terms: []Term{}, Citations: sources.cite(d.Citations, neg),
			Endorsements: []Endorsement{}, Objections: []Objection{},
		}
		if rnd := ix.Round(d.RoundID); rnd != nil {
			rd.Round = rnd.Title
		}
		for _, k := range d.OrderedTermKeys() {
			rd.Terms = append(rd.Terms, reportTerm(t, k, d.Terms[k]))
		}
		for _, e := range byStatedOn(ix.Endorsements(d.ID), func(e *domain.Endorsement) (string, string) { return e.StatedOn, e.ID }) {
			rd.Endorsements = append(rd.Endorsements, Endorsement{
				ID: e.ID, PartyID: e.PartyID, Party: ix.PartyName(e.PartyID), StatedOn: e.StatedOn, Note: e.Note,
				Handling: domain.ResolveHandling(e.Handling, neg), Citations: sources.cite(e.Citations, neg),
			})
		}
		for _, o := range byStatedOn(ix.Objections(d.ID), func(o *domain.Objection) (string, string) { return o.StatedOn, o.ID }) {
			ro := Objection{
				ID: o.ID, PartyID: o.PartyID, Party: ix.PartyName(o.PartyID), Grounds: o.Grounds, Kind: string(o.Type),
				Status: string(o.State), StatedOn: o.StatedOn, Handling: domain.ResolveHandling(o.Handling, neg), Citations: sources.cite(o.Citations, neg),
				Rebuttals: []Rebuttal{},
			}
			for _, rb := range ix.Rebuttals(o.ID) {
				ro.Rebuttals = append(ro.Rebuttals, reportRebuttal(ix, rb, sources, neg))
			}
			rd.Objections = append(rd.Objections, ro)
		}
		rt.Demands = append(rt.Demands, rd)
	}
	for _, row := range domain.BuildTermRows(t, ix.TopicDemands(t.ID), ix.ParticipantOrder()) {
		rt.Terms = append(rt.Terms, reportTermRow(ix, t, row))
	}
	return rt
}

func reportRebuttal(ix domain.SnapshotIndex, rb *domain.Rebuttal, sources *sourceList, neg string) Rebuttal {
	out := Rebuttal{ID: rb.ID, PartyID: rb.PartyID, Party: ix.PartyName(rb.PartyID), Grounds: rb.Grounds, StatedOn: rb.StatedOn,
		Handling: domain.ResolveHandling(rb.Handling, neg), Citations: sources.cite(rb.Citations, neg)}
	if rnd := ix.Round(rb.RoundID); rnd != nil {
		out.Round = rnd.Title
	}
	return out
}

// reportTerm writes one term of a demand: a defined term in its
// definition's words, a free term as given.
func reportTerm(t *domain.Topic, key string, v any) Term {
	if def, ok := t.TermDefinitionByKey(key); ok {
		return Term{Name: key, Label: def.DisplayLabel(), Value: domain.FormatTermValue(def, v), Raw: v, Defined: true}
	}
	label, _ := domain.TermLabel(key)
	return Term{Name: key, Label: label, Value: domain.TermText(key, v), Raw: v}
}

// reportStances judges each participant's stance on a topic. The
// topic's demands, endorsements and objections are sorted into cells by
// party in one pass, so the cost grows with what the topic holds, not
// with it times the number of participants.
func reportStances(ix domain.SnapshotIndex, topicID string) []Stance {
	cells := map[string]*domain.MatrixCell{}
	cell := func(partyID string) *domain.MatrixCell {
		c := cells[partyID]
		if c == nil {
			c = &domain.MatrixCell{PartyID: partyID}
			cells[partyID] = c
		}
		return c
	}
	for _, d := range ix.TopicDemands(topicID) {
		c := cell(d.PartyID)
		c.Demands = append(c.Demands, d)
		for _, e := range ix.Endorsements(d.ID) {
			c := cell(e.PartyID)
			c.Endorsements = append(c.Endorsements, e)
		}
		for _, o := range ix.Objections(d.ID) {
			c := cell(o.PartyID)
			c.Objections = append(c.Objections, o)
		}
	}
	out := []Stance{}
	seen := map[string]bool{} // a party with several roles has one stance
	for _, p := range ix.Snapshot().Negotiation.Participants {
		if seen[p.PartyID] {
			continue
		}
		seen[p.PartyID] = true
		c := cells[p.PartyID]
		if c == nil {
			c = &domain.MatrixCell{PartyID: p.PartyID}
		}
		out = append(out, Stance{PartyID: p.PartyID, Party: ix.PartyName(p.PartyID), Stance: domain.JudgeStance(*c, ix.DemandLive)})
	}
	return out
}

// stateNote qualifies a topic's state in words.
func stateNote(t *domain.Topic, sum domain.TopicSummary) string {
	switch {
	case sum.State == domain.StateAgreed && sum.PendingSecondary > 0:
		return countOf(sum.PendingSecondary, "secondary demand", "secondary demands") + " still pending"
	case sum.State == domain.StateDivergent:
		labels := make([]string, len(sum.DivergentTerms))
		for i, k := range sum.DivergentTerms {
			def, _ := t.TermDefinitionByKey(k)
			labels[i] = def.DisplayLabel()
		}
		return "principals differ on " + strings.Join(labels, ", ")
	}
	return ""
}

func reportTermRow(ix domain.SnapshotIndex, t *domain.Topic, row domain.TermRow) TermRow {
	def, _ := t.TermDefinitionByKey(row.Key)
	out := TermRow{Key: row.Key, Label: def.Heading(), Type: row.Type, Values: []TermValue{}}
	for _, v := range row.Values {
		out.Values = append(out.Values, TermValue{Party: ix.PartyName(v.PartyID), Value: v.Text, DemandStatus: v.DemandStatus, Live: v.Live})
	}
	out.Spread = domain.TermSpreadText(row, ix.PartyName)
	out.RelativeGap = relativeGap(row)
	return out
}

// relativeGap is a term row's RelativeGap.
func relativeGap(row domain.TermRow) float64 {
	if len(row.SplitOrder) > 1 {
		return 1
	}
	widest := 0.0
	for _, r := range row.Ranges {
		lo, okLo := rangeNumber(r.Min)
		hi, okHi := rangeNumber(r.Max)
		if !okLo || !okHi || hi == lo {
			continue
		}
		scale := math.Max(math.Abs(lo), math.Abs(hi))
		widest = math.Max(widest, math.Abs(hi-lo)/scale)
	}
	return widest
}

// rangeNumber reads a range end: a number, or a money amount's decimal
// string; a date is not ranked.
func rangeNumber(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case string:
		if len(x) == len(domain.DateLayout) && strings.Count(x, "-") == 2 {
			return 0, false
		}
		f, err := strconv.ParseFloat(x, 64)
		return f, err == nil
	}
	return 0, false
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
	list   []Source
	number map[string]int
}

func newSourceList() *sourceList {
	return &sourceList{list: []Source{}, number: map[string]int{}}
}

func sourceKey(c domain.Citation) string {
	if c.URL != "" {
		return "url:" + c.URL
	}
	return "title:" + strings.ToLower(strings.TrimSpace(c.Publisher)) + "\x00" + strings.ToLower(strings.TrimSpace(c.Title))
}

func (l *sourceList) cite(cs []domain.Citation, negotiationHandling string) []CiteRef {
	refs := make([]CiteRef, 0, len(cs))
	for _, c := range cs {
		key := sourceKey(c)
		n, ok := l.number[key]
		if !ok {
			n = len(l.list) + 1
			l.number[key] = n
			l.list = append(l.list, Source{
				Number: n, Publisher: c.Publisher, Title: c.Title, URL: c.URL, PublishedAt: c.PublishedAt,
				Reliability: string(c.Reliability), Grading: c.Grading(),
				GradingText: GradingText(string(c.Reliability), string(c.Credibility)),
			})
		}
		refs = append(refs, CiteRef{Source: n, Locator: c.Locator, Quote: c.Quote, Grading: c.Grading(),
			Handling: domain.ResolveHandling(c.Handling, negotiationHandling)})
	}
	return refs
}

// UnsourcedClaims lists the claims of a snapshot (demands, objections,
// endorsements) that cite no source, in the report's order: by topic, each
// demand followed by what is said about it.
func UnsourcedClaims(s *domain.Snapshot) []Claim { return unsourcedOf(domain.IndexSnapshot(s)) }

func unsourcedOf(ix domain.SnapshotIndex) []Claim {
	out := []Claim{}
	for _, t := range ix.Topics() {
		for _, d := range topicDemands(ix, t.ID) {
			claim := Claim{Kind: domain.KindDemand, ID: d.ID, Party: ix.PartyName(d.PartyID), Topic: t.Title,
				DemandID: d.ID, Demand: d.Title, DemandParty: ix.PartyName(d.PartyID)}
			if len(d.Citations) == 0 {
				out = append(out, claim)
			}
			for _, o := range byStatedOn(ix.Objections(d.ID), func(o *domain.Objection) (string, string) { return o.StatedOn, o.ID }) {
				if len(o.Citations) == 0 {
					c := claim
					c.Kind, c.ID, c.Party = domain.KindObjection, o.ID, ix.PartyName(o.PartyID)
					out = append(out, c)
				}
				for _, rb := range ix.Rebuttals(o.ID) {
					if len(rb.Citations) == 0 {
						c := claim
						c.Kind, c.ID, c.Party, c.ObjectionParty = domain.KindRebuttal, rb.ID, ix.PartyName(rb.PartyID), ix.PartyName(o.PartyID)
						out = append(out, c)
					}
				}
			}
			for _, e := range byStatedOn(ix.Endorsements(d.ID), func(e *domain.Endorsement) (string, string) { return e.StatedOn, e.ID }) {
				if len(e.Citations) == 0 {
					c := claim
					c.Kind, c.ID, c.Party = domain.KindEndorsement, e.ID, ix.PartyName(e.PartyID)
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
func ClaimText(c Claim) string {
	switch c.Kind {
	case domain.KindObjection:
		return domain.Possessive(c.Party) + " objection to " + domain.Possessive(c.DemandParty) + " " + domain.Quoted(c.Demand, 80)
	case domain.KindEndorsement:
		return domain.Possessive(c.Party) + " endorsement of " + domain.Possessive(c.DemandParty) + " " + domain.Quoted(c.Demand, 80)
	case domain.KindRebuttal:
		return domain.Possessive(c.Party) + " answer to " + domain.Possessive(c.ObjectionParty) + " objection to " + domain.Possessive(c.DemandParty) + " " + domain.Quoted(c.Demand, 80)
	}
	return domain.Possessive(c.Party) + " demand " + domain.Quoted(c.Demand, 80)
}

func reportSummary(ix domain.SnapshotIndex, r *Report) Summary {
	sum := Summary{
		Rounds: len(r.Rounds), Topics: len(r.Topics), Sources: len(r.Sources), Unsourced: len(r.Unsourced),
		Demands: len(ix.Snapshot().Demands), Objections: len(ix.Snapshot().Objections), Endorsements: len(ix.Snapshot().Endorsements),
		Rebuttals: len(ix.Snapshot().Rebuttals),
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
	for _, d := range ix.Snapshot().Demands {
		if d.Live() {
			sum.LiveDemands++
			live[d.ID] = true
		}
	}
	for _, o := range ix.Snapshot().Objections {
		if o.Standing() {
			sum.StandingObjections++
			if live[o.DemandID] {
				sum.StandingObjectionsToLive++
			}
		}
	}
	for _, t := range ix.Topics() {
		sum.DefinedTerms += len(t.TermDefinitions)
	}
	counts := map[string]int{}
	for _, t := range r.Topics {
		counts[t.State]++
	}
	for _, st := range domain.TopicStates().Strings() {
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

// countOf writes "1 source", "3 sources".
func countOf(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
