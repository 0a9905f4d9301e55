package ui

import (
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/parley/parley/domain"
	"github.com/parley/parley/report"
)

// compareData is the "Compare two moments" page: the form, one-click
// choices of rounds, and, once two moments are given, what moved between
// them.
type compareData struct {
	Negotiation *domain.Negotiation
	// What was typed or chosen, kept as given so that a mistake can be
	// corrected rather than typed again.
	From, To           string
	FromRound, ToRound string
	FromRounds         []option
	ToRounds           []option
	Choices            []compareChoice
	Errors             map[string]string
	// Asked is true once any moment was given; Result is nil until both
	// were, and stays nil when any is wrong: nothing is compared then.
	Asked  bool
	Result *compareResult
}

// compareChoice is a one-click comparison: a link to this page with the
// moments filled in.
type compareChoice struct {
	Label string
	Help  string
	URL   string
}

// compareResult is the comparison laid out for the page.
type compareResult struct {
	Window   string
	Columns  []string // the parties with a move, as the matrix orders them
	Rows     []compareRow
	Unmoved  []compareTopic
	Other    []moveView
	NoneMove bool
}

type compareTopic struct {
	ID, Title          string
	StateFrom, StateTo string // "" where the topic was not on the table
	Summary            string
}

// compareRow is one topic that moved: its states and one cell per column.
type compareRow struct {
	compareTopic
	Topic []moveView // moves of the topic itself (added, renamed)
	Cells []compareCell
}

type compareCell struct {
	Party string
	Moves []moveView
}

// moveView is one move in a cell: its sentence, where to read more, and
// for a changed demand each field with its direction.
type moveView struct {
	Kind    string
	Summary string
	Link    string
	Title   string
	Fields  []moveField
}

type moveField struct {
	Label, From, To string
	Delta           string
	// Direction is "up" or "down" for a numeric term, else "".
	Direction string
}

// compareInput is the page's query, read as typed.
type compareInput struct {
	from, to, fromRound, toRound string
}

func (srv *server) comparePage(c echo.Context) error {
	ctx := c.Request().Context()
	id := c.Param("id")
	if !looksLikeID(id) {
		return &domain.NotFoundError{Kind: domain.KindNegotiation, ID: id}
	}
	n, err := srv.store.Get(ctx, domain.KindNegotiation, id)
	if err != nil {
		return err
	}
	rounds, err := srv.roundsOf(c, id)
	if err != nil {
		return err
	}
	q := c.QueryParams()
	in := compareInput{from: strings.TrimSpace(q.Get("from")), to: strings.TrimSpace(q.Get("to")),
		fromRound: strings.TrimSpace(q.Get("from_round")), toRound: strings.TrimSpace(q.Get("to_round"))}
	d := compareData{Negotiation: n.(*domain.Negotiation), From: in.from, To: in.to, FromRound: in.fromRound, ToRound: in.toRound,
		Errors: map[string]string{}, Asked: in != compareInput{}}
	d.FromRounds, d.ToRounds = roundOptions(rounds, in.fromRound), roundOptions(rounds, in.toRound)
	d.Choices = compareChoices(id, rounds)

	status := http.StatusOK
	if d.Asked {
		from, to, window := readWindow(in, rounds, d.Errors)
		if len(d.Errors) > 0 {
			status = http.StatusUnprocessableEntity
		} else {
			cmp, err := report.LoadComparison(ctx, srv.store, id, from, to, time.Time{})
			if err != nil {
				return err
			}
			d.Result = compareLayout(cmp, d.Negotiation, window)
		}
	}
	v := srv.newView(c, "Compare two moments: "+d.Negotiation.Title, crumb{"Negotiations", "/"}, crumb{d.Negotiation.Title, "/negotiations/" + id})
	v.Data = d
	return srv.render(c, status, "compare", v)
}

// roundsOf lists the negotiation's rounds by date, as they stand now.
func (srv *server) roundsOf(c echo.Context, negotiationID string) ([]*domain.Round, error) {
	page, err := srv.store.List(c.Request().Context(), domain.ListQuery{Kind: domain.KindRound,
		Refs: map[string]string{"negotiation_id": negotiationID}, Limit: 500})
	if err != nil {
		return nil, err
	}
	rounds := make([]*domain.Round, 0, len(page.Items))
	for _, r := range page.Items {
		rounds = append(rounds, r.(*domain.Round))
	}
	sort.SliceStable(rounds, func(i, j int) bool {
		if rounds[i].StartsOn != rounds[j].StartsOn {
			return rounds[i].StartsOn < rounds[j].StartsOn
		}
		return rounds[i].Title < rounds[j].Title
	})
	return rounds, nil
}

func roundOptions(rounds []*domain.Round, selected string) []option {
	opts := []option{{Value: "", Label: "— a date instead —", Selected: selected == ""}}
	for _, r := range rounds {
		opts = append(opts, option{Value: r.ID, Label: roundLabel(r), Selected: r.ID == selected})
	}
	return opts
}

// roundLabel writes "Cairo round (3–5 Feb 2025)".
func roundLabel(r *domain.Round) string {
	when := domain.FormatDay(r.StartsOn)
	if r.EndsOn != "" && r.EndsOn != r.StartsOn {
		when += " to " + domain.FormatDay(r.EndsOn)
	}
	return r.Title + " (" + when + ")"
}

// compareChoices are the one-click comparisons: what moved during each
// round, and from the end of each round to the end of the next.
func compareChoices(negotiationID string, rounds []*domain.Round) []compareChoice {
	base := "/negotiations/" + negotiationID + "/compare?"
	var out []compareChoice
	for i, r := range rounds {
		out = append(out, compareChoice{Label: "During " + r.Title, Help: "from its first day to the end of its last",
			URL: base + url.Values{"from": {r.StartsOn}, "to_round": {r.ID}}.Encode()})
		if i+1 < len(rounds) {
			next := rounds[i+1]
			out = append(out, compareChoice{Label: r.Title + " → " + next.Title, Help: "from the end of one round to the end of the next",
				URL: base + url.Values{"from_round": {r.ID}, "to_round": {next.ID}}.Encode()})
		}
	}
	return out
}

// readWindow reads the two moments as the API's compare does: from is
// the first instant compared (a date its start; a round the instant after
// its end), to the last (a date its end; a round its end). Problems are
// written for people into errs, beside their field.
func readWindow(in compareInput, rounds []*domain.Round, errs map[string]string) (time.Time, time.Time, string) {
	from, fromText := readBound(in.from, in.fromRound, "from", rounds, false, errs)
	to, toText := readBound(in.to, in.toRound, "to", rounds, true, errs)
	if len(errs) == 0 && from.After(to) {
		field := "from"
		if in.fromRound != "" {
			field = "from_round"
		}
		errs[field] = "This is after the end of the comparison. Choose an earlier moment to start from, or a later one to end at."
	}
	return from, to, fromText + " to " + toText
}

// readBound reads one side: a date or time typed, or a round chosen, one
// of them. It returns the instant and the side in words.
func readBound(typed, roundID, name string, rounds []*domain.Round, end bool, errs map[string]string) (time.Time, string) {
	switch {
	case typed != "" && roundID != "":
		errs[name+"_round"] = "Choose a round or give a date, not both."
		return time.Time{}, ""
	case roundID != "":
		for _, r := range rounds {
			if r.ID == roundID {
				t, text := domain.RoundEnd(r), "the end of "+roundLabel(r)
				if !end {
					// The window opens just after the round: its moves are
					// the state compared from.
					t = t.Add(time.Microsecond)
				}
				return t, text
			}
		}
		errs[name+"_round"] = "Choose one of this negotiation's rounds."
		return time.Time{}, ""
	case typed == "":
		if name == "from" {
			errs[name] = "Give the moment to start from: a date, a date and time, or a round."
		} else {
			errs[name] = "Give the moment to end at: a date, a date and time, or a round."
		}
		return time.Time{}, ""
	}
	if day, ok := domain.DayStart(instantInput(typed)); ok {
		if end {
			return domain.EndOfDay(day), "the end of " + domain.FormatDay(instantInput(typed))
		}
		return day, "the start of " + domain.FormatDay(instantInput(typed))
	}
	t, err := parseInstant(typed)
	if err != nil {
		errs[name] = "Give a date: " + unreadable(typed)
		return time.Time{}, ""
	}
	return t, domain.FormatMoment(t)
}

// compareLayout lays the comparison out as the page shows it: the topics
// that moved as rows, a column per party with a move, each moved cell
// holding its moves; then the topics that did not move, and the moves
// beyond topics.
func compareLayout(c *domain.Comparison, n *domain.Negotiation, window string) *compareResult {
	res := &compareResult{Window: window}
	column := map[string]int{}
	var partyIDs []string
	var names = map[string]string{}
	for _, t := range c.Topics {
		for _, m := range t.Moves {
			if m.PartyID != "" && names[m.PartyID] == "" {
				names[m.PartyID] = m.Party
				partyIDs = append(partyIDs, m.PartyID)
			}
		}
	}
	order := map[string]int{}
	for i, p := range n.Participants {
		order[p.PartyID] = i
	}
	sort.SliceStable(partyIDs, func(i, j int) bool {
		oi, iok := order[partyIDs[i]]
		oj, jok := order[partyIDs[j]]
		if iok != jok {
			return iok
		}
		if iok {
			return oi < oj
		}
		return strings.ToLower(names[partyIDs[i]]) < strings.ToLower(names[partyIDs[j]])
	})
	for i, id := range partyIDs {
		column[id] = i
		res.Columns = append(res.Columns, names[id])
	}
	for _, t := range c.Topics {
		ct := compareTopic{ID: t.TopicID, Title: t.TopicTitle, StateFrom: deref(t.StateFrom), StateTo: deref(t.StateTo), Summary: t.Summary}
		if !t.Moved() {
			res.Unmoved = append(res.Unmoved, ct)
			continue
		}
		row := compareRow{compareTopic: ct, Cells: make([]compareCell, len(partyIDs))}
		for i, id := range partyIDs {
			row.Cells[i].Party = names[id]
		}
		for _, m := range t.Moves {
			if i, ok := column[m.PartyID]; ok && m.PartyID != "" {
				row.Cells[i].Moves = append(row.Cells[i].Moves, viewMove(m))
				continue
			}
			row.Topic = append(row.Topic, viewMove(m))
		}
		res.Rows = append(res.Rows, row)
	}
	for _, m := range c.OtherMoves {
		res.Other = append(res.Other, viewMove(m))
	}
	res.NoneMove = len(res.Rows) == 0 && len(res.Other) == 0
	return res
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// viewMove shapes one move for a cell. A changed demand lists its fields,
// numeric terms with their delta and direction; anything else reads as
// its sentence.
func viewMove(m domain.Move) moveView {
	v := moveView{Kind: m.Kind, Summary: m.Summary, Title: m.DemandTitle}
	switch m.ResourceType {
	case domain.KindDemand:
		v.Link = "/demands/" + m.ResourceID
	case domain.KindObjection:
		v.Link = "/demands/" + m.DemandID + "#objection-" + m.ResourceID
	case domain.KindRebuttal:
		v.Link = "/demands/" + m.DemandID + "#rebuttal-" + m.ResourceID
	case domain.KindEndorsement:
		v.Link = "/demands/" + m.DemandID
	}
	if m.ResourceType != domain.KindDemand || m.Kind != domain.MoveChanged {
		return v
	}
	for _, f := range m.Fields {
		mf := moveField{Label: f.Label, From: f.FromText, To: f.ToText}
		if f.Delta != nil {
			_, unit := domain.TermLabel(strings.TrimPrefix(f.Field, "terms."))
			mf.Delta = domain.FormatDelta(*f.Delta) + unit
			switch {
			case *f.Delta > 0:
				mf.Direction = "up"
			case *f.Delta < 0:
				mf.Direction = "down"
			}
		}
		v.Fields = append(v.Fields, mf)
	}
	return v
}
