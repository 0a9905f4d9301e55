package ui

import (
	"errors"
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/parley/parley/domain"
)

// momentView is the moment a dated page (overview, matrix, report) shows,
// with its pickers: as_of (negotiation time), as_of_round (the end of a
// round) and recorded_as_of (record time), read as the API reads them.
type momentView struct {
	// As typed, kept when refused.
	AsOf         string
	AsOfRound    string
	RecordedAsOf string
	Rounds       []option    // the as_of_round select
	Links        []roundLink // one-click: now, and the end of each round
	Errors       map[string]string
	// Refused: a value could not be read, so none was applied and the
	// page shows the negotiation as it stands now.
	Refused bool
	// Shown says in words which moment the page shows.
	Shown string
	// Historic is set when the page shows anything but the present.
	Historic bool
	// Before: the talks had not started by the moment shown.
	Before string
}

// roundLink is one one-click moment: the page again as of the end of a
// round (or now), other choices kept.
type roundLink struct {
	Label   string
	URL     string
	Current bool
}

// momentHelp is the message beside a time the pickers cannot read.
const momentHelp = "is not a date or a time: give a day (16 May 2025 or 2025-05-16), a day and time in UTC such as 2025-05-16T12:00, or an RFC 3339 time such as 2025-05-16T08:13-04:00."

// unreadable says why a typed moment cannot be read, quoting it: a day
// that could be two (06/01/2025) says which two, anything else gets
// momentHelp.
func unreadable(typed string) string {
	var de *domain.DayError
	if _, err := domain.ParseDay(typed); errors.As(err, &de) && len(de.Readings) > 1 {
		return "“" + typed + "” " + de.Error() + "."
	}
	return "“" + typed + "” " + momentHelp
}

// viewInstant reads an as_of or recorded_as_of picker as the API does (a
// date alone is the end of that day, UTC), also taking what people type
// and datetime-local inputs send; dateOnly tells the two apart for words.
// As in the API, the first instant of year 1 becomes the microsecond
// after it: the zero time stands for "now" (or "everything recorded").
func viewInstant(s string) (t time.Time, dateOnly bool, err error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, false, nil
	}
	s = instantInput(s)
	_, dayErr := time.Parse(domain.DateLayout, s)
	t, err = domain.ParseInstant(s, true)
	return t, dayErr == nil, err
}

// readMoment reads the moment pickers of a page. rounds are the
// negotiation's rounds as they stand, which as_of_round may name. A value
// that cannot be read is reported beside its picker, and then nothing is
// applied: the moment returned is the present.
func readMoment(c echo.Context, page string, rounds []*domain.Round) (domain.Moment, momentView) {
	q := c.QueryParams()
	mv := momentView{
		AsOf:         strings.TrimSpace(q.Get("as_of")),
		AsOfRound:    strings.TrimSpace(q.Get("as_of_round")),
		RecordedAsOf: strings.TrimSpace(q.Get("recorded_as_of")),
		Errors:       map[string]string{},
	}
	var m domain.Moment
	asOf, asOfDay, err := viewInstant(mv.AsOf)
	if err != nil {
		mv.Errors["as_of"] = unreadable(mv.AsOf)
	}
	m.AsOf = asOf
	recorded, recordedDay, err := viewInstant(mv.RecordedAsOf)
	if err != nil {
		mv.Errors["recorded_as_of"] = unreadable(mv.RecordedAsOf)
	}
	m.RecordedAsOf = recorded

	var round *domain.Round
	if mv.AsOfRound != "" {
		for _, r := range rounds {
			if strings.EqualFold(r.ID, mv.AsOfRound) {
				round = r
			}
		}
		switch {
		case mv.AsOf != "":
			mv.Errors["as_of_round"] = "Give a date or a round, not both: clear one of them."
		case round == nil:
			mv.Errors["as_of_round"] = "names no round of this negotiation: choose one of the listed rounds."
		default:
			m.AsOf = domain.RoundEnd(round)
		}
	}

	for _, r := range rounds {
		mv.Rounds = append(mv.Rounds, option{Value: r.ID, Label: r.Title + " (" + domain.FormatDay(roundLastDay(r)) + ")", Selected: round == r})
	}
	if mv.AsOfRound != "" && round == nil {
		// Kept as typed, like any refused value.
		mv.Rounds = append(mv.Rounds, option{Value: mv.AsOfRound, Label: mv.AsOfRound + " (no round of these talks)", Selected: true})
	}
	if len(mv.Errors) > 0 {
		mv.Refused = true
		mv.Shown = "The moment asked for could not be read, so the page shows the negotiation as it stands now, as recorded now. Correct it below:"
		mv.Links = momentLinks(c, page, rounds, nil, domain.Moment{})
		return domain.Moment{}, mv
	}
	mv.Links = momentLinks(c, page, rounds, round, m)
	mv.Historic = !m.IsNow()
	mv.Shown = describeMoment(m, round, asOfDay, recordedDay)
	return m, mv
}

// roundLastDay is the day a round ends on: ends_on, else starts_on.
func roundLastDay(r *domain.Round) string {
	if r.EndsOn != "" {
		return r.EndsOn
	}
	return r.StartsOn
}

// describeMoment says which moment a page shows, e.g. "As of the end of
// Round 2 (10 Feb 2025), as recorded now".
func describeMoment(m domain.Moment, round *domain.Round, asOfDay, recordedDay bool) string {
	var b strings.Builder
	switch {
	case round != nil:
		b.WriteString("As of the end of " + round.Title + " (" + domain.FormatDay(roundLastDay(round)) + ")")
	case m.AsOf.IsZero():
		b.WriteString("As it stands now")
	case asOfDay:
		b.WriteString("As of the end of " + m.AsOf.UTC().Format("2 Jan 2006"))
	default:
		b.WriteString("As of " + formatTime(m.AsOf))
	}
	switch {
	case m.RecordedAsOf.IsZero():
		b.WriteString(", as recorded now")
	case recordedDay:
		b.WriteString(", as recorded by the end of " + m.RecordedAsOf.UTC().Format("2 Jan 2006"))
	default:
		b.WriteString(", as recorded by " + formatTime(m.RecordedAsOf))
	}
	return b.String()
}

// momentLinks are the one-click moments: the same page now and as of the
// end of each round, keeping the page's other choices (parties, state,
// since, recorded_as_of).
func momentLinks(c echo.Context, page string, rounds []*domain.Round, current *domain.Round, m domain.Moment) []roundLink {
	base := url.Values{}
	for k, v := range c.QueryParams() {
		if k != "as_of" && k != "as_of_round" {
			base[k] = v
		}
	}
	link := func(round string) string {
		q := url.Values{}
		for k, v := range base {
			q[k] = v
		}
		if round != "" {
			q.Set("as_of_round", round)
		}
		if enc := q.Encode(); enc != "" {
			return page + "?" + enc
		}
		return page
	}
	out := []roundLink{{Label: "Now", URL: link(""), Current: m.AsOf.IsZero()}}
	for _, r := range rounds {
		out = append(out, roundLink{Label: "End of " + r.Title, URL: link(r.ID), Current: current == r})
	}
	return out
}

// notStartedYet says so when the moment shown falls before the talks
// began, so that an empty page is not read as nothing agreed.
func notStartedYet(n *domain.Negotiation, m domain.Moment) string {
	start, ok := domain.DayStart(n.StartedOn)
	if m.AsOf.IsZero() || !ok || !m.AsOf.Before(start) {
		return ""
	}
	return "The talks had not started by then: they started on " + domain.FormatDay(n.StartedOn) + "."
}

// snapshotAt reads the negotiation at the moment asked for; now is the
// snapshot of the present, already read for the pickers, and is what a
// refused moment shows. A moment recorded before anything of the
// negotiation was is refused like a value that cannot be read.
func (srv *server) snapshotAt(c echo.Context, now *domain.Snapshot, m domain.Moment, mv *momentView) (*domain.Snapshot, error) {
	if m.IsNow() {
		return now, nil
	}
	snap, err := srv.store.Snapshot(c.Request().Context(), now.Negotiation.ID, m)
	var nf *domain.NotFoundError
	recorded := m.RecordedAsOf.IsZero() || !m.RecordedAsOf.Before(now.Negotiation.CreatedAt)
	if errors.As(err, &nf) && nf.Kind == domain.KindNegotiation && recorded {
		// Nothing in the talks had taken effect yet: the negotiation,
		// empty, with a note saying why.
		mv.Before = notStartedYet(now.Negotiation, m)
		return &domain.Snapshot{AsOf: m.AsOf, RecordedAsOf: m.RecordedAsOf, Negotiation: now.Negotiation, Parties: now.Parties}, nil
	}
	if errors.As(err, &nf) && nf.Kind == domain.KindNegotiation {
		mv.Errors["recorded_as_of"] = "Nothing of this negotiation had been recorded by then: it was first recorded on " + formatTime(now.Negotiation.CreatedAt) + "."
		mv.Refused, mv.Historic = true, false
		for i := range mv.Links {
			mv.Links[i].Current = i == 0 // now, which is shown
		}
		mv.Shown = "The moment asked for cannot be shown, so the page shows the negotiation as it stands now, as recorded now:"
		return now, nil
	}
	if err != nil {
		return nil, err
	}
	mv.Before = notStartedYet(now.Negotiation, m)
	return snap, nil
}

// refuse records a problem with one of the page's choices beside the
// moment (the report's "changes since"): then no choice is applied, and the
// page says so and shows the present.
func (mv *momentView) refuse(field, msg string) {
	mv.Errors[field] = msg
	mv.Refused, mv.Historic, mv.Before = true, false, ""
	mv.Shown = "The choices asked for could not be used together, so the page shows the negotiation as it stands now, as recorded now. Correct them below:"
	for i := range mv.Links {
		mv.Links[i].Current = i == 0 // now, which is shown
	}
}

// FormOpen reports whether the pickers should be unfolded: a moment typed
// in them, or one to correct. A round chosen with one click is shown by
// the bar above them.
func (mv momentView) FormOpen() bool {
	return mv.Refused || mv.AsOf != "" || mv.RecordedAsOf != ""
}

// query is the moment as URL parameters, for links that must show the same
// moment (the report's preview and downloads).
func (mv momentView) query() url.Values {
	q := url.Values{}
	if mv.Refused {
		return q
	}
	for name, v := range map[string]string{"as_of": mv.AsOf, "as_of_round": mv.AsOfRound, "recorded_as_of": mv.RecordedAsOf} {
		if v != "" {
			q.Set(name, v)
		}
	}
	return q
}
