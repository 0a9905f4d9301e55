package ui

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/parley/parley/domain"
	"github.com/parley/parley/report"
)

// timelineData is the timeline page: the negotiation over negotiation time
// as charts, each with its data as tables.
type timelineData struct {
	Negotiation  *domain.Negotiation
	AsOf         string
	RecordedAsOf string
	Errors       map[string]string
	// Refused: a moment could not be used, so none was applied and the
	// page draws the talks as recorded now.
	Refused     bool
	FiltersOpen bool
	// Shown says in words which moment the page draws.
	Shown      string
	Start, End time.Time
	Timeline   *report.TimelineView
	// RoundEnds are one-click choices of as_of: the end of each round.
	RoundEnds []crumb
}

// timelinePickers names the page's two optional instants: as_of bounds the
// axis in negotiation time, recorded_as_of answers as the records stood.
var timelinePickers = []string{"as_of", "recorded_as_of"}

func (srv *server) timeline(c echo.Context) error {
	id := c.Param("id")
	if !looksLikeID(id) {
		return &domain.NotFoundError{Kind: domain.KindNegotiation, ID: id}
	}
	d := timelineData{Errors: map[string]string{}}
	var at domain.Moment
	for _, name := range timelinePickers {
		v := strings.TrimSpace(c.QueryParam(name))
		t, err := endInstant(v)
		if err != nil {
			d.Errors[name] = unreadable(v)
		}
		if name == "as_of" {
			d.AsOf, at.AsOf = v, t
		} else {
			d.RecordedAsOf, at.RecordedAsOf = v, t
		}
	}
	if len(d.Errors) > 0 {
		// One moment that cannot be read applies none: a page drawn at
		// the other alone would be easy to take for the one asked.
		at = domain.Moment{}
	}
	ctx := c.Request().Context()
	snap, err := srv.store.Snapshot(ctx, id, at)
	var nf *domain.NotFoundError
	if errors.As(err, &nf) && nf.Kind == domain.KindNegotiation && !at.IsNow() {
		// The negotiation exists now but not at that moment.
		if snap, err = srv.store.Snapshot(ctx, id, domain.Moment{}); err == nil {
			d.Errors["as_of"] = "The negotiation did not exist yet at that time."
			at = domain.Moment{}
		}
	}
	if err != nil {
		return err
	}
	d.Refused = len(d.Errors) > 0
	d.Shown = describeMoment(at, nil, isDay(d.AsOf), isDay(d.RecordedAsOf))
	revs, err := srv.store.Timeline(ctx, id, at.RecordedAsOf)
	if err != nil {
		return err
	}
	tl := domain.BuildTimeline(snap, revs)
	d.Negotiation, d.Start, d.End = snap.Negotiation, tl.Start, tl.End
	d.Timeline = report.NewTimelineView(tl)
	for _, r := range tl.Rounds {
		q := url.Values{"as_of": {r.End.UTC().Format(domain.DateLayout)}}
		if !at.RecordedAsOf.IsZero() {
			q.Set("recorded_as_of", d.RecordedAsOf)
		}
		d.RoundEnds = append(d.RoundEnds, crumb{Label: r.Title, URL: "/negotiations/" + id + "/timeline?" + q.Encode()})
	}
	d.FiltersOpen = len(d.Errors) > 0 || !at.IsNow()
	status := http.StatusOK
	if len(d.Errors) > 0 {
		status = http.StatusUnprocessableEntity
	}
	v := srv.newView(c, "Timeline: "+snap.Negotiation.Title, crumb{"Negotiations", "/"}, crumb{snap.Negotiation.Title, "/negotiations/" + id})
	v.Data = d
	return srv.render(c, status, "timeline", v)
}

// isDay reports whether a picker holds a day alone, which as of means up
// to its end.
func isDay(typed string) bool {
	_, err := time.Parse(domain.DateLayout, instantInput(typed))
	return err == nil
}

// endInstant reads an as-of picker: a date alone is the end of that day
// (as of 16 May includes 16 May), anything else as parseInstant reads it;
// "" is the zero time.
func endInstant(v string) (time.Time, error) {
	v = instantInput(v)
	if _, err := time.Parse(domain.DateLayout, v); err == nil {
		return domain.ParseInstant(v, true)
	}
	return parseInstant(v)
}
