package ui

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/parley/parley/domain"
)

// listData is a page of a collection with a search box.
type listData struct {
	Query string
	Items []domain.Resource
	Next  string
	// Counts by negotiation id, for the list of negotiations.
	Parties map[string]string
}

func (srv *server) list(c echo.Context, k domain.Kind) (listData, error) {
	d := listData{Query: strings.TrimSpace(c.QueryParam("q"))}
	if len([]rune(d.Query)) > 200 {
		d.Query = string([]rune(d.Query)[:200])
	}
	q := domain.ListQuery{Kind: k, Text: d.Query, Limit: 100, Cursor: c.QueryParam("cursor")}
	page, err := srv.store.List(c.Request().Context(), q)
	if _, ok := err.(*domain.ValidationError); ok {
		// A mangled cursor is a stale link, not a failure: start over.
		q.Cursor = ""
		page, err = srv.store.List(c.Request().Context(), q)
	}
	if err != nil {
		return d, err
	}
	d.Items = page.Items
	d.Next = page.NextCursor
	return d, nil
}

func (srv *server) negotiationList(c echo.Context) error {
	d, err := srv.list(c, domain.KindNegotiation)
	if err != nil {
		return err
	}
	d.Parties = map[string]string{}
	var ids []string
	for _, r := range d.Items {
		for _, p := range r.(*domain.Negotiation).Participants {
			ids = append(ids, p.PartyID)
		}
	}
	// One query for every participant on the page, not one per participant.
	parties, err := srv.store.GetMany(c.Request().Context(), domain.KindParty, ids)
	if err != nil {
		return err
	}
	for _, r := range d.Items {
		n := r.(*domain.Negotiation)
		var names []string
		for _, p := range n.Participants {
			if party, ok := parties[p.PartyID]; ok {
				names = append(names, party.(*domain.Party).Name)
			}
		}
		d.Parties[n.ID] = strings.Join(names, ", ")
	}
	v := srv.newView(c, "Negotiations")
	v.Data = d
	return srv.render(c, http.StatusOK, "negotiations", v)
}

func (srv *server) partyList(c echo.Context) error {
	d, err := srv.partyListData(c)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if d.Error != "" {
		status = http.StatusUnprocessableEntity
	}
	v := srv.newView(c, "Parties", crumb{"Negotiations", "/"})
	v.Data = d
	return srv.render(c, status, "parties", v)
}

// overviewData is a negotiation at a glance.
type overviewData struct {
	Negotiation  *domain.Negotiation
	Moment       momentView
	Participants []participantView
	Rounds       []roundView
	Topics       []topicView
	Names        map[string]string
	// Unsourced are the claims shown that cite no source.
	Unsourced []unsourcedClaim
	// UnsourcedCount counts them all, UnsourcedFold what the page left out.
	UnsourcedCount int
	UnsourcedFold  folded
}

type participantView struct {
	Party *domain.Party
	Role  string
	Roles []domain.ParticipantRole
}

type roundView struct {
	Round       *domain.Round
	Host        string
	Delegations []*domain.Delegation
	folded
}

type topicView struct {
	Topic   *domain.Topic
	State   string
	Demands []*domain.Demand
	folded
}

func (srv *server) snapshot(c echo.Context, asOf time.Time) (*domain.Snapshot, error) {
	id := c.Param("id")
	if !looksLikeID(id) {
		return nil, &domain.NotFoundError{Kind: domain.KindNegotiation, ID: id}
	}
	return srv.store.Snapshot(c.Request().Context(), id, domain.Moment{AsOf: asOf})
}

// overview shows the negotiation at the moment asked for (as_of,
// as_of_round, recorded_as_of), or as it stands.
func (srv *server) overview(c echo.Context) error {
	now, err := srv.snapshot(c, time.Time{})
	if err != nil {
		return err
	}
	moment, mv := readMoment(c, "/negotiations/"+now.Negotiation.ID, now.Rounds)
	snap, err := srv.snapshotAt(c, now, moment, &mv)
	if err != nil {
		return err
	}
	m, err := domain.BuildMatrix(snap, nil)
	if err != nil {
		return err
	}
	d := overviewData{Negotiation: snap.Negotiation, Moment: mv, Names: partyNames(snap), Unsourced: unsourcedClaims(snap)}
	parties := map[string]*domain.Party{}
	for _, p := range snap.Parties {
		parties[p.ID] = p
	}
	for _, id := range snap.Negotiation.ParticipantIDs() {
		if party := parties[id]; party != nil {
			d.Participants = append(d.Participants, participantView{Party: party, Role: string(snap.Negotiation.Role(id)), Roles: snap.Negotiation.Roles(id)})
		}
	}
	show := c.QueryParam("show")
	d.UnsourcedCount = len(d.Unsourced)
	d.UnsourcedFold, d.Unsourced = fold(c, d.Unsourced, "unsourced", "unsourced", unsourcedShown, show)
	byRound := map[string][]*domain.Delegation{}
	for _, del := range snap.Delegations {
		byRound[del.RoundID] = append(byRound[del.RoundID], del)
	}
	for _, r := range snap.Rounds {
		rv := roundView{Round: r, Host: d.Names[r.HostPartyID], Delegations: byRound[r.ID]}
		rv.folded, rv.Delegations = fold(c, rv.Delegations, r.ID, "round-"+r.ID, delegationsShown, show)
		d.Rounds = append(d.Rounds, rv)
	}
	states := map[string]string{}
	for _, s := range m.TopicSummaries {
		states[s.TopicID] = string(s.State)
	}
	byTopic := map[string][]*domain.Demand{}
	for _, dm := range snap.Demands {
		byTopic[dm.TopicID] = append(byTopic[dm.TopicID], dm)
	}
	for _, t := range m.Topics {
		tv := topicView{Topic: t, State: states[t.ID], Demands: byTopic[t.ID]}
		tv.folded, tv.Demands = fold(c, tv.Demands, t.ID, "topic-"+t.ID, demandsShown, show)
		d.Topics = append(d.Topics, tv)
	}
	v := srv.newView(c, snap.Negotiation.Title, crumb{"Negotiations", "/"})
	v.Data = d
	status := http.StatusOK
	if mv.Refused {
		status = http.StatusUnprocessableEntity
	}
	return srv.render(c, status, "overview", v)
}

// demandData is one demand with everything said about it.
type demandData struct {
	Demand *domain.Demand
	// Terms is the demand with its topic, so that defined terms print by
	// their label in the analyst's form.
	Terms       demandWithTopic
	Negotiation *domain.Negotiation
	Topic       string
	Round       string
	Names       map[string]string
	Objections  []*domain.Objection
	// Rebuttals are the answers to each objection, by objection id.
	Rebuttals    map[string][]*domain.Rebuttal
	Endorsements []*domain.Endorsement
}

func (srv *server) demandPage(c echo.Context) error {
	ctx := c.Request().Context()
	id := c.Param("id")
	if !looksLikeID(id) {
		return &domain.NotFoundError{Kind: domain.KindDemand, ID: id}
	}
	r, err := srv.store.Get(ctx, domain.KindDemand, id)
	if err != nil {
		return err
	}
	dm := r.(*domain.Demand)
	snap, err := srv.store.Snapshot(ctx, dm.NegotiationID, domain.Moment{})
	if err != nil {
		return err
	}
	d := demandData{Demand: dm, Terms: demandWithTopic{Demand: dm}, Negotiation: snap.Negotiation, Names: partyNames(snap)}
	for _, t := range snap.Topics {
		if t.ID == dm.TopicID {
			d.Topic, d.Terms.topic = t.Title, t
		}
	}
	for _, rd := range snap.Rounds {
		if rd.ID == dm.RoundID {
			d.Round = rd.Title
		}
	}
	answers := domain.IndexSnapshot(snap)
	d.Rebuttals = map[string][]*domain.Rebuttal{}
	for _, o := range snap.Objections {
		if o.DemandID == id {
			d.Objections = append(d.Objections, o)
			d.Rebuttals[o.ID] = answers.Rebuttals(o.ID)
		}
	}
	for _, e := range snap.Endorsements {
		if e.DemandID == id {
			d.Endorsements = append(d.Endorsements, e)
		}
	}
	v := srv.newView(c, dm.Title, crumb{"Negotiations", "/"}, crumb{snap.Negotiation.Title, "/negotiations/" + snap.Negotiation.ID})
	v.Data = d
	return srv.render(c, http.StatusOK, "demand", v)
}

// historyData is every revision of one resource with what each changed.
type historyData struct {
	Kind domain.Kind
	// Dated: the kind has negotiation time (parties have none).
	Dated     bool
	Noun      string
	Label     string
	Home      string
	Deleted   bool
	Revisions []revisionView
}

type revisionView struct {
	domain.Revision
	Changes []changeView
	// Inserted is set when the move was recorded after another dated
	// later: a move learned late, inserted earlier in the timeline.
	Inserted *laterMove
}

// laterMove names the latest-dated move recorded before an inserted one.
type laterMove struct {
	Revision    int
	EffectiveAt time.Time
}

type changeView struct {
	Field  string
	Before fieldValue
	After  fieldValue
}

// fieldValue is one side of a changed field, shaped for people: sources as
// on the demand page, and participants, members, terms and aliases one per
// line, rather than as the JSON they are stored as.
type fieldValue struct {
	Text      string
	Lines     []string
	Citations []domain.Citation
}

func (srv *server) history(c echo.Context, k domain.Kind) error {
	ctx := c.Request().Context()
	id := c.Param("id")
	if !looksLikeID(id) {
		return &domain.NotFoundError{Kind: k, ID: id}
	}
	revs, err := srv.store.History(ctx, k, id)
	if err != nil {
		return err
	}
	last := domain.New(k)
	if err := json.Unmarshal(revs[len(revs)-1].Resource, last); err != nil {
		return err
	}
	d := historyData{Kind: k, Dated: dated(k), Noun: k.Singular(), Label: srv.labelOf(ctx, last), Deleted: revs[len(revs)-1].Action == "delete"}
	if !d.Deleted {
		if d.Home, err = srv.homeOf(ctx, last); err != nil {
			return err
		}
	}
	// Newest first: an analyst opens the history to see what moved last.
	// Each move is shown against the state before it in the timeline, as
	// every dated view sees it, which for a move learned late is not the
	// revision recorded just before it.
	before := timelinePredecessors(revs)
	entries := make([]domain.ChangeEntry, 0, len(revs))
	for i := len(revs) - 1; i >= 0; i-- {
		ch := domain.Change{Revision: revs[i]}
		if p := before[i]; p >= 0 {
			ch.Previous = revs[p].Resource
		}
		entries = append(entries, domain.DescribeChange(ch))
	}
	names, err := srv.refNames(ctx, entries)
	if err != nil {
		return err
	}
	inserted := insertedMoves(revs)
	for i, entry := range entries {
		n := len(revs) - 1 - i
		rv := revisionView{Revision: revs[n], Inserted: inserted[n]}
		// Terms read in the order the analyst gave them on each side.
		afterOrder, beforeOrder := termOrderIn(revs[n].Resource), []string(nil)
		if p := before[n]; p >= 0 {
			beforeOrder = termOrderIn(revs[p].Resource)
		}
		if revs[n].Action == "delete" {
			beforeOrder = afterOrder
		}
		for _, fc := range entry.Changes {
			rv.Changes = append(rv.Changes, changeView{Field: labelFor(k, fc.Field),
				Before: names.value(fc.Field, fc.Before, beforeOrder), After: names.value(fc.Field, fc.After, afterOrder)})
		}
		d.Revisions = append(d.Revisions, rv)
	}
	crumbs, err := srv.crumbsFor(ctx, last)
	if err != nil {
		return err
	}
	if d.Home != "" && k != domain.KindParty {
		crumbs = append(crumbs, crumb{d.Label, d.Home})
	}
	v := srv.newView(c, "History of "+k.Singular()+": "+d.Label, crumbs...)
	v.Data = d
	return srv.render(c, http.StatusOK, "history", v)
}

// timelinePredecessors gives, for each revision of one resource (in
// revision order), the index of the revision before it in negotiation
// time (effective_at, then revision), or -1 for the first. Deletes are
// records made in error: nothing follows them in the timeline.
func timelinePredecessors(revs []domain.Revision) []int {
	out := make([]int, len(revs))
	for i, r := range revs {
		out[i] = -1
		for j, p := range revs {
			if j == i || p.Action == "delete" || !timelineBefore(p, r) {
				continue
			}
			if out[i] < 0 || timelineBefore(revs[out[i]], p) {
				out[i] = j
			}
		}
	}
	return out
}

// timelineBefore orders revisions in negotiation time, a delete last.
func timelineBefore(a, b domain.Revision) bool {
	if (a.Action == "delete") != (b.Action == "delete") {
		return b.Action == "delete"
	}
	if !a.EffectiveAt.Equal(b.EffectiveAt) {
		return a.EffectiveAt.Before(b.EffectiveAt)
	}
	return a.Revision < b.Revision
}

// insertedMoves finds the moves dated before a move recorded earlier: for
// each, the latest-dated of the moves recorded before it.
func insertedMoves(revs []domain.Revision) map[int]*laterMove {
	out := map[int]*laterMove{}
	var latest *laterMove
	for i, r := range revs {
		if r.Action == "delete" {
			continue
		}
		if latest != nil && r.EffectiveAt.Before(latest.EffectiveAt) {
			out[i] = latest
		}
		if latest == nil || r.EffectiveAt.After(latest.EffectiveAt) {
			latest = &laterMove{Revision: r.Revision, EffectiveAt: r.EffectiveAt}
		}
	}
	return out
}

// refNamer shows references in a history by name rather than by UUID.
type refNamer map[string]string

var refKinds = map[string]domain.Kind{
	"party_id": domain.KindParty, "host_party_id": domain.KindParty, "topic_id": domain.KindTopic,
	"round_id": domain.KindRound, "demand_id": domain.KindDemand, "negotiation_id": domain.KindNegotiation,
}

// maxDeletedRefs bounds the history look-ups made to name references to
// things since deleted; beyond it they are named by kind alone.
const maxDeletedRefs = 10

// refNames names every reference a history mentions, reading the store once
// per kind of reference however many revisions there are.
func (srv *server) refNames(ctx context.Context, entries []domain.ChangeEntry) (refNamer, error) {
	byKind := map[domain.Kind][]string{}
	seen := map[string]bool{}
	for _, e := range entries {
		for _, fc := range e.Changes {
			k, isRef := refKinds[fc.Field]
			if fc.Field == "participants" {
				k, isRef = domain.KindParty, true
			}
			if !isRef {
				continue
			}
			for _, v := range []any{fc.Before, fc.After} {
				for _, id := range refsIn(fc.Field, v) {
					if looksLikeID(id) && !seen[id] {
						seen[id] = true
						byKind[k] = append(byKind[k], id)
					}
				}
			}
		}
	}
	names := refNamer{}
	deleted := 0
	for k, ids := range byKind {
		found, err := srv.getMany(ctx, k, ids)
		if err != nil {
			return nil, err
		}
		for _, id := range ids {
			if r, ok := found[id]; ok {
				// References are to parties, negotiations, rounds, topics and
				// demands, whose labels need no further reads.
				names[id] = labelFrom(r, func(string) string { return "" }, func(string) (string, bool) { return "", false })
				continue
			}
			names[id] = "a deleted " + k.Singular()
			if deleted++; deleted > maxDeletedRefs {
				continue
			}
			if revs, err := srv.store.History(ctx, k, id); err == nil && len(revs) > 0 {
				gone := domain.New(k)
				if json.Unmarshal(revs[len(revs)-1].Resource, gone) == nil {
					names[id] = labelFrom(gone, func(string) string { return "" }, func(string) (string, bool) { return "", false }) + " (deleted)"
				}
			}
		}
	}
	return names, nil
}

// refsIn lists the ids a changed field's value refers to: the value itself
// for a reference field, each seat's party for participants.
func refsIn(field string, v any) []string {
	if field == "participants" {
		var ps []domain.Participant
		if !reshape(v, &ps) {
			return nil
		}
		ids := make([]string, 0, len(ps))
		for _, p := range ps {
			ids = append(ids, p.PartyID)
		}
		return ids
	}
	if id, ok := v.(string); ok {
		return []string{id}
	}
	return nil
}

// name is the name of a referenced resource, or its id if it has none.
func (n refNamer) name(id string) string {
	if name, ok := n[id]; ok {
		return name
	}
	return id
}

// termOrderIn reads the order of a demand's terms from a revision's body;
// nil for any other body.
func termOrderIn(raw json.RawMessage) []string {
	var b struct {
		TermOrder []string `json:"term_order"`
	}
	_ = json.Unmarshal(raw, &b) // a body that is not a demand has no order
	return b.TermOrder
}

// value shapes one side of a changed field. Lists and objects whose shape
// is known read as lines; terms in termOrder, the order the analyst gave
// them; anything else (and any value that does not have the expected
// shape, as in corrupt history) falls back to jsonValue.
func (n refNamer) value(field string, v any, termOrder []string) fieldValue {
	if v == nil {
		return fieldValue{Text: jsonValue(v)}
	}
	if _, isRef := refKinds[field]; isRef {
		if id, ok := v.(string); ok {
			return fieldValue{Text: n.name(id)}
		}
	}
	if day, ok := v.(string); ok && strings.HasSuffix(field, "_on") {
		return fieldValue{Text: domain.FormatDay(day)}
	}
	switch field {
	case "citations":
		var cs []domain.Citation
		if reshape(v, &cs) && len(cs) > 0 {
			return fieldValue{Citations: cs}
		}
	case "participants":
		var ps []domain.Participant
		if reshape(v, &ps) && len(ps) > 0 {
			lines := make([]string, 0, len(ps))
			for _, p := range ps {
				line := n.name(p.PartyID)
				if p.Role != "" {
					line += " (" + enumLabel(string(p.Role)) + ")"
				}
				lines = append(lines, line)
			}
			return fieldValue{Lines: lines}
		}
	case "members":
		var ms []domain.Member
		if reshape(v, &ms) && len(ms) > 0 {
			lines := make([]string, 0, len(ms))
			for _, m := range ms {
				lines = append(lines, domain.PersonText(m.Name, m.Title))
			}
			return fieldValue{Lines: lines}
		}
	case "terms":
		if terms, ok := v.(map[string]any); ok {
			d := &domain.Demand{Terms: terms, TermOrder: termOrder}
			lines := make([]string, 0, len(terms))
			for _, t := range termList(d) {
				lines = append(lines, t.Label+" = "+t.Value)
			}
			return fieldValue{Lines: lines}
		}
	}
	// A plain list of words, such as a party's aliases.
	var words []string
	if _, isList := v.([]any); isList && reshape(v, &words) {
		return fieldValue{Lines: words}
	}
	return fieldValue{Text: jsonValue(v)}
}

// reshape decodes a value read as generic JSON into the type it was stored
// as, reporting whether it fits.
func reshape(v any, into any) bool {
	b, err := json.Marshal(v)
	return err == nil && json.Unmarshal(b, into) == nil
}
