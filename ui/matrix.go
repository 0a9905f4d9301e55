package ui

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/parley/parley/domain"
)

// matrixData is the side-by-side comparison page.
type matrixData struct {
	Negotiation *domain.Negotiation
	Moment      momentView
	State       string
	States      []option
	// Categories are the categories chosen (none keeps every topic), each
	// a box of CategoryChoices.
	Categories      []string
	CategoryChoices []categoryChoice
	GroupBy         string
	Groupings       []option
	RoleChoices     []roleChoice
	// View is "compact" or "full"; Compact is the view in force: asked
	// for in the URL, else compact when more than six columns show, so a
	// wide table still fits a screen.
	View    string
	Compact bool
	Choices []partyChoice
	Columns []domain.MatrixParty
	Rows    []matrixRow
	Hidden  int
	// Pages is where the shown topics sit among those the filters keep.
	Pages  topicPages
	Errors map[string]string
	// FiltersOpen unfolds the filter form: when a filter is in force or
	// one needs correcting. The default view keeps it folded so that on a
	// phone the table, not the form, fills the first screen.
	FiltersOpen bool
	// Pair is the two parties the phone's pair picker starts on: the
	// first two chosen, else the first two participants.
	Pair [2]string
	// DemandTitles names the demands an inherited objection is about.
	DemandTitles map[string]string
}

// roleChoice is one role the columns can be narrowed to.
type roleChoice struct {
	Value   string
	InputID string
	Checked bool
}

// categoryChoice is one topic category the rows can be narrowed to.
type categoryChoice struct {
	Value   string
	Label   string
	InputID string
	Checked bool
}

// compactFrom is the column count above which the matrix is compact
// unless the URL asks for the full view.
const compactFrom = 6

type partyChoice struct {
	ID      string
	InputID string
	Name    string
	Role    string
	Checked bool
}

type matrixRow struct {
	Topic *domain.Topic
	State string
	Cells []matrixCell
	Terms []termRow
}

type matrixCell struct {
	Party        string
	Stance       domain.StanceDefinition
	PartyID      string
	TopicID      string
	Demands      []demandWithTopic
	Endorsements []aboutDemand
	Objections   []objectionView
	// Inherited are the positions of the party's blocs where it states
	// none; DivergesFrom names the blocs its own position differs from.
	Inherited    []inheritedView
	DivergesFrom []string
	// Responses words the cell's counter-demands and bridging proposals
	// and the answers its demands drew (see responses.go).
	Responses []responseLine
}

// Recorded says whether the cell holds anything to read beyond its stance.
func (c matrixCell) Recorded() bool {
	return len(c.Demands) > 0 || len(c.Endorsements) > 0 || len(c.Objections) > 0 || len(c.Inherited) > 0
}

// inheritedView is a bloc's position shown in a silent member's cell.
type inheritedView struct {
	Bloc       string
	Demands    []*domain.Demand
	Objections []inheritedObjection
}

// inheritedObjection is a bloc's objection in a member's cell, with who
// answered it ("Ukraine, Türkiye"; empty when no one has).
type inheritedObjection struct {
	*domain.Objection
	AnsweredBy string
}

// aboutDemand is an endorsement shown with the demand it backs.
type aboutDemand struct {
	ID       string
	DemandID string
	Demand   string
	Note     string
	// Of words the demand when it is a response: "the United States'
	// bridging proposal".
	Of string
}

type objectionView struct {
	*domain.Objection
	Demand string
	// Of words the demand when it is a response, as aboutDemand.Of.
	Of string
	// Answers are the rebuttals of the objection, each with who gave it.
	Answers []answerView
}

// answersBlock is what a matrix cell shows under an objection: its
// answers, and the link to record one.
type answersBlock struct {
	Objection     objectionView
	CanEdit       bool
	NegotiationID string
}

// answerView is a rebuttal as a matrix cell shows it, under its objection.
type answerView struct {
	*domain.Rebuttal
	Party string
}

// termRow lines one defined term up across the columns.
type termRow struct {
	Term   string
	Values [][]termCell // per column, the values its demands state
	Spread string
}

// termCell is one demand's value of a term; Inactive marks one from a
// rejected or withdrawn demand.
type termCell struct {
	Text     string
	Status   string
	Inactive bool
}

// parseInstant reads an instant picker: RFC 3339, a date (its start), or
// what people type and a datetime-local input sends (taken as UTC, as the
// labels say). Only an empty picker is the zero time, which stands for
// "now": the first instant of year 1, which a picker can name, becomes the
// microsecond after it.
func parseInstant(s string) (time.Time, error) {
	t, err := parsePicker(s)
	if err == nil && t.IsZero() && strings.TrimSpace(s) != "" {
		t = t.Add(time.Microsecond)
	}
	return t, err
}

func parsePicker(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	return domain.NormalizeTime(instantInput(s))
}

func (srv *server) matrix(c echo.Context) error {
	q := c.QueryParams()
	d := matrixData{Errors: map[string]string{}}
	opts := readMatrixFilters(q, &d)
	now, err := srv.snapshot(c, time.Time{})
	if err != nil {
		return err
	}
	moment, mv := readMoment(c, "/negotiations/"+now.Negotiation.ID+"/matrix", now.Rounds)
	snap, err := srv.snapshotAt(c, now, moment, &mv)
	if err != nil {
		return err
	}
	d.Moment = mv
	d.Negotiation = snap.Negotiation

	opts.Today = srv.opts.Now()
	// The domain checks the other filters before the parties; checking
	// the parties here too names every bad field at once.
	for _, id := range opts.PartyIDs {
		if !containsString(snap.Negotiation.ParticipantIDs(), id) {
			d.Errors["party_id"] = matrixFieldError(domain.FieldError{Field: "party_id"})
		}
	}
	// The columns, the options checked, from the matrix without its
	// topics: what a page costs is the cost of its own topics, not of a
	// conference's hundred.
	m, err := domain.BuildMatrixView(topicsOnly(snap, nil), opts)
	if err == nil && len(d.Errors) > 0 {
		err = &domain.ValidationError{}
	}
	if err != nil {
		var ve *domain.ValidationError
		if !errors.As(err, &ve) {
			return err
		}
		for _, fe := range ve.Errors {
			if _, seen := d.Errors[fe.Field]; !seen {
				d.Errors[fe.Field] = matrixFieldError(fe)
			}
		}
		// Show every column rather than nothing while the form is corrected.
		opts = domain.MatrixOptions{Today: opts.Today}
		d.GroupBy = ""
		if m, err = domain.BuildMatrixView(topicsOnly(snap, nil), opts); err != nil {
			return err
		}
	}
	names := partyNames(snap)
	for _, id := range snap.Negotiation.ParticipantIDs() {
		d.Choices = append(d.Choices, partyChoice{ID: id, InputID: "party-" + id, Name: names[id], Role: snap.Negotiation.RolesText(id), Checked: containsString(opts.PartyIDs, id)})
	}
	d.Pair = startingPair(opts.PartyIDs, snap.Negotiation.ParticipantIDs())
	d.DemandTitles = make(map[string]string, len(snap.Demands))
	for _, dm := range snap.Demands {
		d.DemandTitles[dm.ID] = dm.Title
	}
	d.fillChoices(opts)
	d.Columns = m.Parties
	d.Compact = d.View == "compact" || (d.View == "" && len(d.Columns) > compactFrom)
	outline, err := topicOutline(snap)
	if err != nil {
		return err
	}
	kept, hidden := keptTopics(outline, d.State, d.Categories)
	d.Hidden = hidden
	d.Pages = pageTopics(c, rowWeights(outline, kept, len(d.Columns), d.Compact), c.QueryParam("page"))
	if d.Pages.Bad {
		d.Errors["page"] = d.Pages.Problem()
	}
	shown := kept[d.Pages.First:d.Pages.Last]
	ids := make([]string, len(shown))
	for i, kt := range shown {
		ids[i] = kt.Topic.ID
	}
	if m, err = domain.BuildMatrixView(topicsOnly(snap, ids), opts); err != nil {
		return err
	}
	d.Rows = matrixRows(m, names, d.DemandTitles, answerers(snap, names), shown)

	// A pair chosen with the phone's picker keeps the form folded, so
	// that the pair, not the form, fills the small screen.
	pair := c.QueryParam("pair") == "1" && len(opts.PartyIDs) == 2
	d.FiltersOpen = len(d.Errors) > 0 || (len(opts.PartyIDs) > 0 && !pair) || len(opts.Roles) > 0 || d.State != "" ||
		len(d.Categories) > 0 || d.GroupBy != "" || mv.FormOpen()
	status := http.StatusOK
	if len(d.Errors) > 0 || mv.Refused {
		status = http.StatusUnprocessableEntity
	}
	v := srv.newView(c, "Side by side: "+snap.Negotiation.Title, crumb{"Negotiations", "/"}, crumb{snap.Negotiation.Title, "/negotiations/" + snap.Negotiation.ID})
	v.Data = d
	return srv.render(c, status, "matrix", v)
}

// readMatrixFilters reads the columns, rows and view the URL asks for. A
// bad state, category or view is noted in d.Errors and dropped; parties,
// roles and group_by are checked by the domain against the negotiation.
func readMatrixFilters(q map[string][]string, d *matrixData) domain.MatrixOptions {
	var o domain.MatrixOptions
	get := func(k string) string {
		if v := q[k]; len(v) > 0 {
			return strings.TrimSpace(v[0])
		}
		return ""
	}
	for _, id := range q["party_id"] {
		if id = strings.TrimSpace(id); id != "" && !containsString(o.PartyIDs, id) {
			o.PartyIDs = append(o.PartyIDs, id)
		}
	}
	for _, r := range q["role"] {
		if r = strings.TrimSpace(r); r != "" && !containsString(o.Roles, r) {
			o.Roles = append(o.Roles, r)
		}
	}
	d.State = get("state")
	if d.State != "" && !domain.TopicStates().Has(domain.TopicState(d.State)) {
		d.Errors["state"] = "Choose one of the listed states."
		d.State = ""
	}
	for _, c := range q["category"] {
		c = strings.TrimSpace(c)
		if _, ok := domain.CategoryByKey(c); !ok {
			if c != "" {
				d.Errors["category"] = "Choose one of the listed categories."
			}
			continue
		}
		if !containsString(d.Categories, c) {
			d.Categories = append(d.Categories, c)
		}
	}
	d.View = get("view")
	if d.View != "" && d.View != "compact" && d.View != "full" {
		d.Errors["view"] = "Choose compact or full."
		d.View = ""
	}
	// An empty group_by, as the form sends it, is a column per participant.
	o.GroupBy = get("group_by")
	d.GroupBy = o.GroupBy
	return o
}

// startingPair is the pair the phone's picker shows first: the first two
// chosen parties, topped up from the participants in their order.
func startingPair(chosen, participants []string) [2]string {
	var pair [2]string
	n := 0
	for _, id := range append(append([]string{}, chosen...), participants...) {
		if n < 2 && (n == 0 || pair[0] != id) {
			pair[n] = id
			n++
		}
	}
	return pair
}

// matrixFieldError words a domain error on a matrix filter for the form.
func matrixFieldError(fe domain.FieldError) string {
	switch fe.Field {
	case "party_id":
		return "Choose parties that take part in this negotiation."
	case "role":
		return "Choose one of the listed roles."
	case "group_by":
		return "Choose a column per party or per bloc."
	}
	return fe.Message
}

// fillChoices lists the options of the filter form, marking those in force.
func (d *matrixData) fillChoices(o domain.MatrixOptions) {
	d.States = []option{{Value: "", Label: "All states", Selected: d.State == ""}}
	for _, s := range domain.TopicStates().Strings() {
		d.States = append(d.States, option{Value: s, Label: s, Selected: s == d.State})
	}
	for _, c := range domain.Categories {
		d.CategoryChoices = append(d.CategoryChoices, categoryChoice{Value: c.Key, Label: c.Label, InputID: "category-" + c.Key, Checked: containsString(d.Categories, c.Key)})
	}
	d.Groupings = []option{{Value: "", Label: "A column per party", Selected: d.GroupBy == ""}}
	for _, g := range domain.MatrixGroupings {
		d.Groupings = append(d.Groupings, option{Value: g, Label: "A column per " + g, Selected: g == d.GroupBy})
	}
	for _, r := range domain.ParticipantRoles().Strings() {
		d.RoleChoices = append(d.RoleChoices, roleChoice{Value: r, InputID: "role-" + r, Checked: containsString(o.Roles, r)})
	}
}

// topicOutline is the matrix of one column: every topic in the matrix's
// order with its state and counts, at a fraction of the whole's cost.
func topicOutline(s *domain.Snapshot) (*domain.Matrix, error) {
	return domain.BuildMatrix(s, s.Negotiation.ParticipantIDs()[:min(1, len(s.Negotiation.ParticipantIDs()))])
}

// topicsOnly is the snapshot narrowed to these topics, their demands and
// what is said about those demands. A matrix row depends on its topic's
// statements alone, so the rows of the narrowed snapshot are the rows of
// the whole.
func topicsOnly(s *domain.Snapshot, ids []string) *domain.Snapshot {
	keep := make(map[string]bool, len(ids))
	for _, id := range ids {
		keep[id] = true
	}
	n := *s
	n.Topics = nil
	for _, t := range s.Topics {
		if keep[t.ID] {
			n.Topics = append(n.Topics, t)
		}
	}
	demands := map[string]bool{}
	n.Demands = nil
	for _, d := range s.Demands {
		if keep[d.TopicID] {
			n.Demands = append(n.Demands, d)
			demands[d.ID] = true
		}
	}
	n.Objections = nil
	for _, o := range s.Objections {
		if demands[o.DemandID] {
			n.Objections = append(n.Objections, o)
		}
	}
	n.Endorsements = nil
	for _, e := range s.Endorsements {
		if demands[e.DemandID] {
			n.Endorsements = append(n.Endorsements, e)
		}
	}
	return &n
}

// keptTopics lists the topics in the wanted state ("" keeps all) and in
// one of the categories (none keeps all), each with its state, and counts
// those left out.
func keptTopics(m *domain.Matrix, state string, categories []string) ([]keptTopic, int) {
	states := make(map[string]string, len(m.TopicSummaries))
	for _, s := range m.TopicSummaries {
		states[s.TopicID] = string(s.State)
	}
	kept := make([]keptTopic, 0, len(m.Topics))
	for _, t := range m.Topics {
		if (state != "" && states[t.ID] != state) || (len(categories) > 0 && !domain.InCategories(t, categories)) {
			continue
		}
		kept = append(kept, keptTopic{Topic: t, State: states[t.ID]})
	}
	return kept, len(m.Topics) - len(kept)
}

// keptTopic is a topic the filters keep, with its state.
type keptTopic struct {
	Topic *domain.Topic
	State string
}

// answerers names, by objection, the parties that answered it, in the
// order of their answers.
func answerers(s *domain.Snapshot, names map[string]string) map[string]string {
	by := map[string][]string{}
	for _, r := range s.Rebuttals {
		if name := nameOr(names, r.PartyID); !containsString(by[r.ObjectionID], name) {
			by[r.ObjectionID] = append(by[r.ObjectionID], name)
		}
	}
	out := make(map[string]string, len(by))
	for id, list := range by {
		out[id] = strings.Join(list, ", ")
	}
	return out
}

// matrixRows lays these topics of the matrix out as table rows; names and
// demandTitles name the parties and demands, answeredBy who answered each
// objection.
func matrixRows(m *domain.Matrix, names, demandTitles, answeredBy map[string]string, topics []keptTopic) []matrixRow {
	shown := make(map[string]bool, len(topics))
	for _, kt := range topics {
		shown[kt.Topic.ID] = true
	}
	// Only the cells of the rows shown: a page is a few of a conference's
	// hundred topics.
	cells := make(map[[2]string]domain.MatrixCell, len(topics)*len(m.Parties))
	for _, cell := range m.Cells {
		if shown[cell.TopicID] {
			cells[[2]string{cell.TopicID, cell.PartyID}] = cell
		}
	}
	column := map[string]int{}
	for i, p := range m.Parties {
		column[p.ID] = i
	}
	terms := map[string][]domain.TermRow{}
	for _, t := range m.Terms {
		terms[t.TopicID] = append(terms[t.TopicID], t)
	}

	rows := make([]matrixRow, 0, len(topics))
	for _, kt := range topics {
		t := kt.Topic
		row := matrixRow{Topic: t, State: kt.State, Cells: make([]matrixCell, 0, len(m.Parties))}
		for _, p := range m.Parties {
			cell := cells[[2]string{t.ID, p.ID}]
			mc := matrixCell{Party: names[p.ID], PartyID: p.ID, TopicID: t.ID, Stance: domain.StanceInfo(cell.Stance),
				Responses: cellResponseLines(cell, names, demandTitles)}
			of := reactionWords(cell, names)
			for _, d := range cell.Demands {
				mc.Demands = append(mc.Demands, demandWithTopic{Demand: d, topic: t})
			}
			for _, e := range cell.Endorsements {
				mc.Endorsements = append(mc.Endorsements, aboutDemand{ID: e.ID, DemandID: e.DemandID, Demand: demandTitles[e.DemandID], Note: e.Note, Of: of[e.ID]})
			}
			for _, o := range cell.Objections {
				ov := objectionView{Objection: o, Demand: demandTitles[o.DemandID], Of: of[o.ID]}
				for _, rb := range domain.RebuttalsOf(cell.Rebuttals, o.ID) {
					ov.Answers = append(ov.Answers, answerView{Rebuttal: rb, Party: names[rb.PartyID]})
				}
				mc.Objections = append(mc.Objections, ov)
			}
			for _, in := range cell.Inherited {
				iv := inheritedView{Bloc: blocThrough(in, names), Demands: in.Demands}
				for _, o := range in.Objections {
					iv.Objections = append(iv.Objections, inheritedObjection{Objection: o, AnsweredBy: answeredBy[o.ID]})
				}
				mc.Inherited = append(mc.Inherited, iv)
			}
			for _, b := range cell.DivergesFrom {
				mc.DivergesFrom = append(mc.DivergesFrom, names[b])
			}
			row.Cells = append(row.Cells, mc)
		}
		for _, ta := range terms[t.ID] {
			def, _ := t.TermDefinitionByKey(ta.Key)
			tr := termRow{Term: def.Heading(), Values: make([][]termCell, len(m.Parties)),
				Spread: domain.TermSpreadText(ta, func(id string) string { return names[id] })}
			for _, v := range ta.Values {
				if i, ok := column[v.PartyID]; ok {
					tr.Values[i] = append(tr.Values[i], termCell{Text: v.Text, Status: v.DemandStatus, Inactive: !v.Live})
				}
			}
			row.Terms = append(row.Terms, tr)
		}
		rows = append(rows, row)
	}
	return rows
}

func containsString(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
