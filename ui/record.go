package ui

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/parley/parley/domain"
)

// Short forms to record what an analyst sees where they look at it: from
// a matrix cell or a demand's page, a party's objection to or endorsement
// of a demand, a party's answer to an objection, and a demand's new
// position (a dated change of its status,
// title or terms). A source may be chosen among those the negotiation
// already cites instead of typed again.

// recordData is the short form of a reaction or of a new position.
type recordData struct {
	Negotiation *domain.Negotiation
	Action      string
	As          string // "objection", "endorsement", "rebuttal" or "position"
	Demand      *domain.Demand
	DemandParty string
	// Objection is the objection a rebuttal answers, ObjectionParty who
	// made it.
	Objection      *domain.Objection
	ObjectionParty string
	Demands        []option // when the demand is still to be chosen
	Parties        []option
	Kinds          []option
	Statuses       []option
	// TermInputs are the typed inputs of the terms the demand's topic
	// defines; Terms the demand's other terms, as text.
	TermInputs []termInput
	Terms      []plainInput
	Sources    []option
	// CitationFields are the inputs of a source typed anew.
	CitationFields []plainInput
	Values         url.Values
	Errors         map[string]string
	Problems       []string
}

// plainInput is one labelled text input: a term of a new position, or a
// field of a new source.
type plainInput struct {
	Key, Name, Value, Label string
}

var citationInputs = []plainInput{
	{Name: "citation_publisher", Label: "Publisher"}, {Name: "citation_title", Label: "Title"},
	{Name: "citation_url", Label: "Link (URL)"}, {Name: "citation_quote", Label: "Quote"},
}

// citationKey names a citation by its content, so that a choice made on
// one page finds the same source on the next whatever was added between.
func citationKey(c domain.Citation) string {
	b, _ := json.Marshal(c)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:8])
}

// knownSources lists every citation the negotiation holds, once each, by
// publisher and title.
func knownSources(snap *domain.Snapshot) map[string]domain.Citation {
	out := map[string]domain.Citation{}
	add := func(cs []domain.Citation) {
		for _, c := range cs {
			out[citationKey(c)] = c
		}
	}
	for _, d := range snap.Demands {
		add(d.Citations)
	}
	for _, o := range snap.Objections {
		add(o.Citations)
	}
	for _, r := range snap.Rebuttals {
		add(r.Citations)
	}
	for _, e := range snap.Endorsements {
		add(e.Citations)
	}
	return out
}

func sourceOptions(sources map[string]domain.Citation, chosen string) []option {
	opts := make([]option, 0, len(sources)+1)
	for k, c := range sources {
		label := strings.TrimSpace(strings.Join(nonEmptyStrings(c.Publisher, c.Title), " — "))
		if label == "" {
			label = c.URL
		}
		if c.PublishedAt != "" {
			label += " (" + domain.FormatDay(c.PublishedAt) + ")"
		}
		if c.Locator != "" {
			label += ", " + c.Locator
		}
		opts = append(opts, option{Value: k, Label: shortText(label, 140), Selected: k == chosen})
	}
	sort.Slice(opts, func(i, j int) bool { return opts[i].Label < opts[j].Label })
	return append([]option{{Value: "", Label: "— none, or type a new one below —"}}, opts...)
}

func nonEmptyStrings(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			out = append(out, s)
		}
	}
	return out
}

// formCitations is the source chosen and the one typed, in that order.
func formCitations(f url.Values, sources map[string]domain.Citation) []domain.Citation {
	var out []domain.Citation
	if c, ok := sources[f.Get("source")]; ok {
		out = append(out, c)
	}
	typed := domain.Citation{Publisher: f.Get("citation_publisher"), Title: f.Get("citation_title"),
		URL: f.Get("citation_url"), Quote: f.Get("citation_quote")}
	if strings.TrimSpace(typed.Publisher+typed.Title+typed.URL+typed.Quote) != "" {
		out = append(out, typed)
	}
	return out
}

// typedDay reads a day as the forms take it; what cannot be read is
// kept as typed, for validation to name.
func typedDay(v string) string {
	if d, err := formDay(v); err == nil {
		return d
	}
	return strings.TrimSpace(v)
}

// fieldOf names the form field of a resource field.
func fieldOf(field string) string {
	if strings.HasPrefix(field, "citations[") || strings.HasPrefix(field, domain.FieldChangeCitations+"[") {
		if _, sub, ok := strings.Cut(field, "]."); ok {
			return "citation_" + sub
		}
		return "citation_title"
	}
	if strings.HasPrefix(field, "terms.") {
		return "term:" + strings.TrimPrefix(field, "terms.")
	}
	return field
}

func errorMap(errs domain.FieldErrors, d *recordData) {
	for _, fe := range errs {
		f := fieldOf(fe.Field)
		if fe.Field == "" {
			d.Problems = append(d.Problems, fe.Message)
			continue
		}
		if _, ok := d.Errors[f]; !ok {
			d.Errors[f] = fe.Message
		}
	}
}

// recordReaction is the short form of an objection, an endorsement or a
// rebuttal: GET shows it pre-filled from the query (demand_id, or
// topic_id to choose among the topic's demands; for a rebuttal
// objection_id; party_id), POST records it.
func (srv *server) recordReaction(c echo.Context) error {
	snap, err := srv.snapshot(c, time.Time{})
	if err != nil {
		return err
	}
	as := c.QueryParam("as")
	if as != "objection" && as != "endorsement" && as != "rebuttal" {
		return echo.NewHTTPError(http.StatusNotFound, "Record an objection, an endorsement or an answer to an objection.")
	}
	values := c.QueryParams()
	if c.Request().Method == http.MethodPost {
		values = c.Request().PostForm
	}
	d := &recordData{Negotiation: snap.Negotiation, As: as, Values: values, Errors: map[string]string{},
		Action: "/negotiations/" + snap.Negotiation.ID + "/record?as=" + as}
	showing := c.Request().Method != http.MethodPost
	if as == "rebuttal" && !answering(d, snap, showing) && showing {
		return &domain.NotFoundError{Kind: domain.KindObjection, ID: values.Get("objection_id")}
	}
	sources := knownSources(snap)
	status := http.StatusOK
	if c.Request().Method == http.MethodPost {
		r := reactionOf(as, values, sources)
		err := srv.store.Create(c.Request().Context(), actor(c), r, domain.Dating{})
		if err == nil {
			if as == "rebuttal" {
				return srv.redirectWithFlash(c, rebuttalHome(values.Get("demand_id"), r.Base().ID), "Answer recorded.")
			}
			return srv.redirectWithFlash(c, "/demands/"+values.Get("demand_id"), strings.ToUpper(as[:1])+as[1:]+" recorded.")
		}
		st, errs, ok := formErrors(err)
		if !ok {
			return err
		}
		status = st
		errorMap(errs, d)
	}
	fillReaction(d, snap, sources)
	title := map[string]string{"objection": "Record an objection", "endorsement": "Record an endorsement", "rebuttal": "Answer an objection"}[as]
	v := srv.newView(c, title, crumb{"Negotiations", "/"}, crumb{snap.Negotiation.Title, "/negotiations/" + snap.Negotiation.ID})
	v.Data = d
	return srv.render(c, status, "record", v)
}

// answering finds the objection a rebuttal form answers (objection_id)
// and sets the demand it is about, so the form shows both and returns to
// the demand's page; on a form shown anew (suggest) it proposes as the
// answering party the demanding one, who most often answers. It reports
// whether the objection is in the negotiation.
func answering(d *recordData, snap *domain.Snapshot, suggest bool) bool {
	names := partyNames(snap)
	for _, o := range snap.Objections {
		if o.ID != d.Values.Get("objection_id") {
			continue
		}
		d.Objection, d.ObjectionParty = o, names[o.PartyID]
		d.Values.Set("demand_id", o.DemandID)
		for _, dm := range snap.Demands {
			if suggest && dm.ID == o.DemandID && d.Values.Get("party_id") == "" && dm.PartyID != o.PartyID {
				d.Values.Set("party_id", dm.PartyID)
			}
		}
		return true
	}
	return false
}

// reactionOf builds the objection, endorsement or rebuttal a form
// describes.
func reactionOf(as string, f url.Values, sources map[string]domain.Citation) domain.Resource {
	cits := formCitations(f, sources)
	if as == "rebuttal" {
		return &domain.Rebuttal{ObjectionID: f.Get("objection_id"), PartyID: f.Get("party_id"), Grounds: f.Get("grounds"),
			StatedOn: typedDay(f.Get("stated_on")), Citations: cits}
	}
	if as == "objection" {
		return &domain.Objection{DemandID: f.Get("demand_id"), PartyID: f.Get("party_id"), Grounds: f.Get("grounds"),
			Type: domain.ObjectionKind(f.Get("kind")), StatedOn: typedDay(f.Get("stated_on")), Citations: cits}
	}
	return &domain.Endorsement{DemandID: f.Get("demand_id"), PartyID: f.Get("party_id"), Note: f.Get("note"),
		StatedOn: typedDay(f.Get("stated_on")), Citations: cits}
}

// fillReaction sets the form's choices: the demand (fixed, or the topic's
// demands by other parties), the parties that may react, kinds, sources.
func fillReaction(d *recordData, snap *domain.Snapshot, sources map[string]domain.Citation) {
	names := partyNames(snap)
	demandID, topicID, partyID := d.Values.Get("demand_id"), d.Values.Get("topic_id"), d.Values.Get("party_id")
	for _, dm := range snap.Demands {
		if dm.ID == demandID {
			d.Demand, d.DemandParty = dm, names[dm.PartyID]
		}
	}
	if d.Demand == nil {
		d.Demands = append(d.Demands, option{Value: "", Label: "— choose the demand —"})
		for _, dm := range snap.Demands {
			if (topicID == "" || dm.TopicID == topicID) && dm.PartyID != partyID && dm.Live() {
				d.Demands = append(d.Demands, option{Value: dm.ID, Label: names[dm.PartyID] + ": " + dm.Title, Selected: dm.ID == demandID})
			}
		}
		if len(d.Demands) == 2 {
			d.Demands[1].Selected = true // the only demand the party can react to there
		}
	}
	d.Parties = append(d.Parties, option{Value: "", Label: "— choose the party —"})
	for _, p := range snap.Negotiation.Participants {
		if d.Demand != nil && p.PartyID == d.Demand.PartyID && d.As == "objection" {
			continue // a party cannot object to its own demand
		}
		if d.Objection != nil && p.PartyID == d.Objection.PartyID {
			continue // nor answer its own objection
		}
		if containsOption(d.Parties, p.PartyID) {
			continue
		}
		d.Parties = append(d.Parties, option{Value: p.PartyID, Label: names[p.PartyID], Selected: p.PartyID == partyID})
	}
	for _, k := range domain.ObjectionKinds().Strings() {
		d.Kinds = append(d.Kinds, option{Value: k, Label: enumLabel(k), Selected: k == d.Values.Get("kind")})
	}
	d.Sources = sourceOptions(sources, d.Values.Get("source"))
	d.CitationFields = citationInputs
}

func containsOption(opts []option, v string) bool {
	for _, o := range opts {
		if o.Value == v {
			return true
		}
	}
	return false
}

// newPosition is the short form of a demand's dated move: status, title
// and terms as they stand from effective_on, why, and the source.
func (srv *server) newPosition(c echo.Context) error {
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
	sources := knownSources(snap)
	topic := topicOf(snap, dm.TopicID)
	d := &recordData{Negotiation: snap.Negotiation, As: "position", Demand: dm, DemandParty: partyNames(snap)[dm.PartyID],
		Action: "/demands/" + id + "/position", Errors: map[string]string{}, Values: url.Values{}}
	status := http.StatusOK
	if c.Request().Method == http.MethodPost {
		d.Values = c.Request().PostForm
		saved, st, err := srv.savePosition(c, dm, topic, d, sources)
		if err != nil {
			return err
		}
		if saved {
			return srv.redirectWithFlash(c, "/demands/"+id, "New position recorded.")
		}
		status = st
	} else {
		d.Values.Set("status", string(dm.State))
		d.Values.Set("title", dm.Title)
		d.Values.Set("version", strconv.Itoa(dm.Version))
		for _, k := range dm.OrderedTermKeys() {
			if def, ok := definedTerm(topic, k); ok {
				d.Values.Set(termFieldPrefix+k, termInputValue(def, dm.Terms[k]))
			} else {
				d.Values.Set("term:"+k, formatTermInput(dm.Terms[k]))
			}
		}
	}
	for _, s := range domain.DemandStatuses().Strings() {
		d.Statuses = append(d.Statuses, option{Value: s, Label: enumLabel(s), Selected: s == d.Values.Get("status")})
	}
	for _, def := range termDefinitions(topic) {
		in := typedTermInput(def, "r-term:"+def.Key, d.Values.Get(termFieldPrefix+def.Key))
		if msg := d.Errors["term:"+def.Key]; msg != "" {
			in.Errors = []string{msg}
		}
		d.TermInputs = append(d.TermInputs, in)
	}
	for _, k := range dm.OrderedTermKeys() {
		if _, defined := definedTerm(topic, k); !defined {
			d.Terms = append(d.Terms, plainInput{Key: k, Name: "term:" + k, Value: d.Values.Get("term:" + k)})
		}
	}
	d.Sources = sourceOptions(sources, d.Values.Get("source"))
	d.CitationFields = citationInputs
	v := srv.newView(c, "New position: "+dm.Title, crumb{"Negotiations", "/"}, crumb{snap.Negotiation.Title, "/negotiations/" + snap.Negotiation.ID}, crumb{dm.Title, "/demands/" + id})
	v.Data = d
	return srv.render(c, status, "record", v)
}

// savePosition applies the form as a dated update; saved is false with the
// status to answer when the form has problems, which d then names.
func (srv *server) savePosition(c echo.Context, dm *domain.Demand, topic *domain.Topic, d *recordData, sources map[string]domain.Citation) (saved bool, status int, err error) {
	f := d.Values
	effective := strings.TrimSpace(f.Get(domain.FieldEffectiveOn))
	if effective == "" {
		d.Errors[domain.FieldEffectiveOn] = "is required: say when the position changed in the talks"
		return false, http.StatusUnprocessableEntity, nil
	}
	when, errs := domain.ParseDating(typedDay(effective), f.Get(domain.FieldChangeNote), formCitations(f, sources), srv.opts.Now())
	if len(errs) > 0 {
		errorMap(errs, d)
		return false, http.StatusUnprocessableEntity, nil
	}
	version, _ := strconv.Atoi(f.Get("version"))
	_, err = srv.store.Update(c.Request().Context(), actor(c), domain.KindDemand, dm.ID, version, when, func(cur domain.Resource) (domain.Resource, error) {
		next := *cur.(*domain.Demand)
		next.State, next.Title = domain.DemandStatus(f.Get("status")), f.Get("title")
		next.Terms, next.TermOrder = positionTerms(f, cur.(*domain.Demand), topic)
		if k := strings.TrimSpace(f.Get("new_term_key")); k != "" {
			next.Terms[k] = termValue(strings.TrimSpace(f.Get("new_term_value")))
			next.TermOrder = append(next.TermOrder, k)
		}
		return &next, nil
	})
	if err == nil {
		return true, 0, nil
	}
	st, ferrs, ok := formErrors(err)
	if !ok {
		var pre *domain.PreconditionError
		if !errors.As(err, &pre) {
			return false, 0, err
		}
		d.Problems = append(d.Problems, "Someone changed this demand while you were filling in the form. Open the demand again to see its current state.")
		return false, http.StatusPreconditionFailed, nil
	}
	errorMap(ferrs, d)
	return false, st, nil
}

// topicOf finds a topic of the snapshot; nil if none.
func topicOf(snap *domain.Snapshot, id string) *domain.Topic {
	for _, t := range snap.Topics {
		if t.ID == id {
			return t
		}
	}
	return nil
}

// positionTerms reads a new position's terms: each term the topic defines
// from its typed input, as typed (the store reads it by the definition),
// each other term of the demand from its line of text; an emptied input
// drops its term. The demand's order is kept, terms newly given after.
func positionTerms(f url.Values, cur *domain.Demand, topic *domain.Topic) (map[string]any, []string) {
	terms := map[string]any{}
	var order []string
	set := func(k string) {
		if _, done := terms[k]; done {
			return
		}
		if _, defined := definedTerm(topic, k); defined {
			if v := strings.TrimSpace(f.Get(termFieldPrefix + k)); v != "" {
				terms[k] = v
				order = append(order, k)
			}
			return
		}
		if v := strings.TrimSpace(f.Get("term:" + k)); v != "" {
			terms[k] = termValue(v)
			order = append(order, k)
		}
	}
	for _, k := range cur.OrderedTermKeys() {
		set(k)
	}
	for _, def := range termDefinitions(topic) {
		set(def.Key)
	}
	return terms, order
}

// termDefinitions are a topic's term definitions; none for no topic.
func termDefinitions(topic *domain.Topic) []domain.TermDefinition {
	if topic == nil {
		return nil
	}
	return topic.TermDefinitions
}

// definedTerm finds a topic's definition of a term; none for no topic.
func definedTerm(topic *domain.Topic, key string) (domain.TermDefinition, bool) {
	if topic == nil {
		return domain.TermDefinition{}, false
	}
	return topic.TermDefinitionByKey(key)
}
