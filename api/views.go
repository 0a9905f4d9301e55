package api

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/parley/parley/domain"
	"github.com/parley/parley/report"
)

// registerViews adds the read-only views of a negotiation: the comparison
// matrix, the status report in six formats and the changes since an instant.
func (h *handlers) registerViews(g *echo.Group) {
	h.add(g, route{http.MethodGet, "/negotiations/:id/matrix", roleViewer, h.matrix, operation{
		ID: "getMatrix", Tag: "views", Summary: "The side-by-side comparison: topics as rows, participants as columns, each topic's state",
		Query: []parameter{asOfParam, {Name: "party_id", Description: "show only these participants, in this order; repeat for several",
			Schema: uuidSchema()}},
		Success: http.StatusOK, Response: jsonBody(matrixSchema()), Errors: []int{404, 422},
	}})
	h.add(g, route{http.MethodGet, "/negotiations/:id/report", roleViewer, h.report, operation{
		ID: "getReport", Tag: "views", Summary: "The negotiation status report, as a file in the format asked for",
		Query: []parameter{
			{Name: "format", Description: "the report's format", Required: true, Schema: map[string]any{"type": "string", "enum": domain.ReportFormats}},
			asOfParam,
			{Name: "since", Description: "list the changes after this instant (RFC 3339 or YYYY-MM-DD)", Schema: stringSchema()},
		},
		Success: http.StatusOK, Response: reportMedia(), Headers: []string{"Content-Disposition"}, Errors: []int{404, 422},
	}})
	h.add(g, route{http.MethodGet, "/negotiations/:id/changes", roleViewer, h.changes, operation{
		ID: "listChanges", Tag: "views", Summary: "Every revision inside the negotiation after since, oldest first, with what changed",
		Query: []parameter{{Name: "since", Description: "list the revisions after this instant (RFC 3339 or YYYY-MM-DD)", Required: true,
			Schema: stringSchema()}},
		Success: http.StatusOK, Response: jsonBody(itemsOf(changeEntrySchema(), false)), Errors: []int{404, 422},
	}})
}

var asOfParam = parameter{Name: "as_of", Description: "answer as things stood at this instant (RFC 3339 or YYYY-MM-DD); now when absent",
	Schema: stringSchema()}

// negotiationID is the :id of a view's path; one that is not a UUID names
// no negotiation.
func negotiationID(c echo.Context) (string, error) {
	return resourceHandlers{kind: domain.KindNegotiation}.pathID(c)
}

// timeParam reads an optional instant from the query; a bad one is recorded
// in errs under the parameter's name. A date alone is the start of that
// day, or with end its last instant (as_of, until, to).
func timeParam(c echo.Context, name string, required, end bool, errs *domain.FieldErrors) time.Time {
	v := strings.TrimSpace(c.QueryParam(name))
	if v == "" {
		if required {
			errs.Add(name, "is required: an RFC 3339 time or a YYYY-MM-DD date")
		}
		return time.Time{}
	}
	t, err := domain.ParseInstant(v, end)
	if err != nil && strings.Contains(v, " ") {
		// An offset's "+" sent unescaped in a query string arrives as a
		// space: "2025-05-16T10:00:00 02:00". No valid value holds a space.
		t, err = domain.ParseInstant(strings.ReplaceAll(v, " ", "+"), end)
	}
	if err != nil {
		errs.Add(name, "must be an RFC 3339 time or a YYYY-MM-DD date")
	}
	if err == nil && t.IsZero() {
		// The zero instant stands for "now" inside parley; the first
		// instant of year 1 is as far back as anyone means.
		t = t.Add(time.Microsecond)
	}
	return t
}

// momentParams reads the instant a view answers for: as_of or
// as_of_round in negotiation time, recorded_as_of in record time. A bad one
// is recorded in errs under its name; a round that is not one of the
// negotiation's is a bad as_of_round.
func (h *handlers) momentParams(c echo.Context, negotiationID string, errs *domain.FieldErrors) (domain.Moment, error) {
	m := domain.Moment{
		AsOf:         timeParam(c, "as_of", false, true, errs),
		RecordedAsOf: timeParam(c, "recorded_as_of", false, true, errs),
	}
	round := strings.TrimSpace(c.QueryParam("as_of_round"))
	if round == "" {
		return m, nil
	}
	if !m.AsOf.IsZero() {
		errs.Add("as_of_round", "give as_of or as_of_round, not both")
		return m, nil
	}
	end, err := h.roundEnd(c, negotiationID, round)
	if err != nil {
		return m, err
	}
	if end.IsZero() {
		errs.Add("as_of_round", "names no round of this negotiation")
	}
	m.AsOf = end
	return m, nil
}

// roundEnd is the end of a round of the negotiation (zero if the id names
// none of its rounds).
func (h *handlers) roundEnd(c echo.Context, negotiationID, roundID string) (time.Time, error) {
	if _, err := uuid.Parse(roundID); err != nil || len(roundID) != 36 {
		return time.Time{}, nil
	}
	r, err := h.store.Get(c.Request().Context(), domain.KindRound, strings.ToLower(roundID))
	if isNotFound(err) {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, err
	}
	round := r.(*domain.Round)
	if round.NegotiationID != negotiationID {
		return time.Time{}, nil
	}
	return domain.RoundEnd(round), nil
}

func (h *handlers) matrix(c echo.Context) error {
	id, err := negotiationID(c)
	if err != nil {
		return err
	}
	var errs domain.FieldErrors
	at, err := h.momentParams(c, id, &errs)
	if err != nil {
		return err
	}
	var parties []string
	for _, p := range c.QueryParams()["party_id"] {
		p = strings.ToLower(strings.TrimSpace(p))
		if _, err := uuid.Parse(p); err != nil || len(p) != 36 {
			errs.Add("party_id", "must be a UUID")
			continue
		}
		parties = append(parties, p)
	}
	if err := errs.Err(); err != nil {
		return err
	}
	snap, err := h.store.Snapshot(c.Request().Context(), id, at)
	if err != nil {
		return err
	}
	m, err := domain.BuildMatrix(snap, parties)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, m)
}

func (h *handlers) report(c echo.Context) error {
	id, err := negotiationID(c)
	if err != nil {
		return err
	}
	var errs domain.FieldErrors
	format := strings.TrimSpace(c.QueryParam("format"))
	switch {
	case format == "":
		errs.Add("format", "is required: one of %s", strings.Join(domain.ReportFormats, ", "))
	case report.ContentType(format) == "":
		errs.Add("format", "must be one of %s", strings.Join(domain.ReportFormats, ", "))
	}
	at, err := h.momentParams(c, id, &errs)
	if err != nil {
		return err
	}
	since := timeParam(c, "since", false, false, &errs)
	if err := errs.Err(); err != nil {
		return err
	}
	r, err := domain.LoadReport(c.Request().Context(), h.store, id, at, since, h.now())
	if err != nil {
		return err
	}
	// Rendered whole before anything is sent, so that a failure is still a
	// clean problem response rather than half a file.
	var buf bytes.Buffer
	if err := report.Render(&buf, format, r); err != nil {
		return err
	}
	c.Response().Header().Set("Content-Disposition", `attachment; filename="`+report.Filename(r, format)+`"`)
	return c.Blob(http.StatusOK, report.ContentType(format), buf.Bytes())
}

// maxChangesLimit bounds one page of the changes view.
const maxChangesLimit = 500

func (h *handlers) changes(c echo.Context) error {
	id, err := negotiationID(c)
	if err != nil {
		return err
	}
	var errs domain.FieldErrors
	q := domain.ChangesQuery{
		NegotiationID: id,
		Since:         timeParam(c, "since", true, false, &errs),
		Until:         timeParam(c, "until", false, true, &errs),
		Limit:         defaultLimit,
		Cursor:        strings.TrimSpace(c.QueryParam("cursor")),
	}
	if v := strings.TrimSpace(c.QueryParam("limit")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxChangesLimit {
			errs.Add("limit", "must be an integer from 1 to %d", maxChangesLimit)
		}
		q.Limit = n
	}
	if q.Cursor != "" {
		if _, _, err := domain.DecodeChangesCursor(q.Cursor); err != nil {
			errs.Add("cursor", "is not a cursor of this list")
		}
	}
	if !q.Until.IsZero() && q.Until.Before(q.Since) {
		errs.Add("until", "is before since")
	}
	if err := errs.Err(); err != nil {
		return err
	}
	page, err := h.store.Changes(c.Request().Context(), q)
	if err != nil {
		return err
	}
	resp := map[string]any{"items": domain.DescribeChanges(page.Items), "next_cursor": nil}
	if page.NextCursor != "" {
		resp["next_cursor"] = page.NextCursor
	}
	return c.JSON(http.StatusOK, resp)
}

// reportMedia documents the report's body in each format.
func reportMedia() map[string]any {
	media := map[string]any{}
	for _, f := range domain.ReportFormats {
		ct, _, _ := strings.Cut(report.ContentType(f), ";")
		switch f {
		case "json":
			media[ct] = map[string]any{"type": "object", "description": "the report model"}
		case "pdf", "xlsx":
			media[ct] = map[string]any{"type": "string", "format": "binary"}
		default:
			media[ct] = stringSchema()
		}
	}
	return media
}

func arrayOf(item map[string]any) map[string]any {
	return map[string]any{"type": "array", "items": item}
}

// matrixSchema documents domain.Matrix.
func matrixSchema() map[string]any {
	cell := object([]string{"topic_id", "party_id", "demands", "endorsements", "objections"}, map[string]any{
		"topic_id": uuidSchema(), "party_id": uuidSchema(),
		"demands": arrayOf(ref("Demand")), "endorsements": arrayOf(ref("Endorsement")), "objections": arrayOf(ref("Objection")),
	})
	summary := object([]string{"topic_id", "state"}, map[string]any{
		"topic_id": uuidSchema(), "state": map[string]any{"type": "string", "enum": domain.TopicStates},
		"demands": map[string]any{"type": "integer"}, "live_demands": map[string]any{"type": "integer"},
		"standing_objections": map[string]any{"type": "integer"}, "endorsements": map[string]any{"type": "integer"},
	})
	term := object([]string{"topic_id", "term", "values", "min", "max", "gap"}, map[string]any{
		"topic_id": uuidSchema(), "term": stringSchema(),
		"values": arrayOf(object([]string{"party_id", "demand_id", "value"}, map[string]any{
			"party_id": uuidSchema(), "demand_id": uuidSchema(), "value": map[string]any{"type": "number"},
		})),
		"min": map[string]any{"type": "number"}, "max": map[string]any{"type": "number"}, "gap": map[string]any{"type": "number"},
	})
	party := map[string]any{"allOf": []any{ref("Party"), object([]string{"role"}, map[string]any{
		"role": map[string]any{"type": "string", "enum": domain.ParticipantRoles},
	})}}
	return object([]string{"negotiation", "parties", "topics", "cells", "topic_summaries", "terms", "as_of"}, map[string]any{
		"negotiation": ref("Negotiation"), "parties": arrayOf(party), "topics": arrayOf(ref("Topic")),
		"cells": arrayOf(cell), "topic_summaries": arrayOf(summary),
		"terms": map[string]any{"type": "array", "items": term, "description": "numeric terms two or more of the shown parties state on one topic"},
		"as_of": map[string]any{"type": "string", "format": "date-time", "nullable": true},
	})
}

// changeEntrySchema documents domain.ChangeEntry: a revision and what it
// changed, field by field.
func changeEntrySchema() map[string]any {
	return map[string]any{"allOf": []any{ref("Revision"), object([]string{"changes"}, map[string]any{
		"changes": arrayOf(object([]string{"field", "before", "after"}, map[string]any{
			"field":  stringSchema(),
			"before": map[string]any{"nullable": true, "description": "null where the field was empty or the resource did not exist"},
			"after":  map[string]any{"nullable": true, "description": "null where the field is empty or the resource is gone"},
		})),
	})}}
}
