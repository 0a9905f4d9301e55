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
	Choices     []partyChoice
	Columns     []domain.MatrixParty
	Rows        []matrixRow
	Hidden      int
	Errors      map[string]string
	// FiltersOpen unfolds the filter form: when a filter is in force or
	// one needs correcting. The default view keeps it folded so that on a
	// phone the table, not the form, fills the first screen.
	FiltersOpen bool
	// DemandTitles names the demands an inherited objection is about.
	DemandTitles map[string]string
}

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
}

// inheritedView is a bloc's position shown in a silent member's cell.
type inheritedView struct {
	Bloc       string
	Demands    []*domain.Demand
	Objections []*domain.Objection
}

// aboutDemand is an endorsement shown with the demand it backs.
type aboutDemand struct {
	ID       string
	DemandID string
	Demand   string
	Note     string
}

type objectionView struct {
	*domain.Objection
	Demand string
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
	d := matrixData{State: q.Get("state"), Errors: map[string]string{}}
	if d.State != "" && !domain.TopicStates().Has(domain.TopicState(d.State)) {
		d.Errors["state"] = "Choose one of the listed states."
		d.State = ""
	}
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

	var chosen []string
	for _, id := range q["party_id"] {
		if id = strings.TrimSpace(id); id != "" && !containsString(chosen, id) {
			chosen = append(chosen, id)
		}
	}
	m, err := domain.BuildMatrixView(snap, domain.MatrixOptions{PartyIDs: chosen, Today: srv.opts.Now()})
	if err != nil {
		var ve *domain.ValidationError
		if !errors.As(err, &ve) {
			return err
		}
		d.Errors["party_id"] = "Choose parties that take part in this negotiation."
		chosen = nil
		if m, err = domain.BuildMatrixView(snap, domain.MatrixOptions{Today: srv.opts.Now()}); err != nil {
			return err
		}
	}
	names := partyNames(snap)
	for _, id := range snap.Negotiation.ParticipantIDs() {
		d.Choices = append(d.Choices, partyChoice{ID: id, InputID: "party-" + id, Name: names[id], Role: snap.Negotiation.RolesText(id), Checked: containsString(chosen, id)})
	}
	d.DemandTitles = make(map[string]string, len(snap.Demands))
	for _, dm := range snap.Demands {
		d.DemandTitles[dm.ID] = dm.Title
	}
	d.States = []option{{Value: "", Label: "All states", Selected: d.State == ""}}
	for _, s := range domain.TopicStates().Strings() {
		d.States = append(d.States, option{Value: s, Label: s, Selected: s == d.State})
	}
	d.Columns = m.Parties
	d.Rows, d.Hidden = matrixRows(m, snap, d.State)

	d.FiltersOpen = len(d.Errors) > 0 || len(chosen) > 0 || d.State != "" || mv.FormOpen()
	status := http.StatusOK
	if len(d.Errors) > 0 || mv.Refused {
		status = http.StatusUnprocessableEntity
	}
	v := srv.newView(c, "Side by side: "+snap.Negotiation.Title, crumb{"Negotiations", "/"}, crumb{snap.Negotiation.Title, "/negotiations/" + snap.Negotiation.ID})
	v.Data = d
	return srv.render(c, status, "matrix", v)
}

// matrixRows lays the matrix out as table rows, keeping only topics in the
// wanted state ("" keeps all); it also returns how many were left out.
func matrixRows(m *domain.Matrix, snap *domain.Snapshot, state string) ([]matrixRow, int) {
	names := partyNames(snap)
	demandTitles := make(map[string]string, len(snap.Demands))
	for _, dm := range snap.Demands {
		demandTitles[dm.ID] = dm.Title
	}
	states := map[string]string{}
	for _, s := range m.TopicSummaries {
		states[s.TopicID] = string(s.State)
	}
	cells := make(map[[2]string]domain.MatrixCell, len(m.Cells))
	for _, cell := range m.Cells {
		cells[[2]string{cell.TopicID, cell.PartyID}] = cell
	}
	column := map[string]int{}
	for i, p := range m.Parties {
		column[p.ID] = i
	}
	terms := map[string][]domain.TermRow{}
	for _, t := range m.Terms {
		terms[t.TopicID] = append(terms[t.TopicID], t)
	}

	var rows []matrixRow
	hidden := 0
	for _, t := range m.Topics {
		if state != "" && states[t.ID] != state {
			hidden++
			continue
		}
		row := matrixRow{Topic: t, State: states[t.ID]}
		for _, p := range m.Parties {
			cell := cells[[2]string{t.ID, p.ID}]
			mc := matrixCell{Party: names[p.ID], PartyID: p.ID, TopicID: t.ID, Stance: domain.StanceInfo(cell.Stance)}
			for _, d := range cell.Demands {
				mc.Demands = append(mc.Demands, demandWithTopic{Demand: d, topic: t})
			}
			for _, e := range cell.Endorsements {
				mc.Endorsements = append(mc.Endorsements, aboutDemand{ID: e.ID, DemandID: e.DemandID, Demand: demandTitles[e.DemandID], Note: e.Note})
			}
			for _, o := range cell.Objections {
				mc.Objections = append(mc.Objections, objectionView{Objection: o, Demand: demandTitles[o.DemandID]})
			}
			for _, in := range cell.Inherited {
				mc.Inherited = append(mc.Inherited, inheritedView{Bloc: names[in.BlocID], Demands: in.Demands, Objections: in.Objections})
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
	return rows, hidden
}

func containsString(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
