package api

import (
	"bytes"
	"net/http"
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
// in errs under the parameter's name.
func timeParam(c echo.Context, name string, required bool, errs *domain.FieldErrors) time.Time {
	v := strings.TrimSpace(c.QueryParam(name))
	if v == "" {
		if required {
			errs.Add(name, "is required: an RFC 3339 time or a YYYY-MM-DD date")
		}
		return time.Time{}
	}
	t, err := domain.NormalizeTime(v)
	if err != nil && strings.Contains(v, " ") {
		// An offset's "+" sent unescaped in a query string arrives as a
		// space: "2025-05-16T10:00:00 02:00". No valid value holds a space.
		t, err = domain.NormalizeTime(strings.ReplaceAll(v, " ", "+"))
	}
	if err != nil {
		errs.Add(name, "must be an RFC 3339 time or a YYYY-MM-DD date")
	}
	return t
}

func (h *handlers) matrix(c echo.Context) error {
	id, err := negotiationID(c)
	if err != nil {
		return err
	}
	var errs domain.FieldErrors
	asOf := timeParam(c, "as_of", false, &errs)
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
	snap, err := h.store.Snapshot(c.Request().Context(), id, asOf)
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
	asOf := timeParam(c, "as_of", false, &errs)
	since := timeParam(c, "since", false, &errs)
	if err := errs.Err(); err != nil {
		return err
	}
	ctx := c.Request().Context()
	snap, err := h.store.Snapshot(ctx, id, asOf)
	if err != nil {
		return err
	}
	var changes []domain.Change
	if !since.IsZero() {
		if changes, err = h.store.Changes(ctx, id, since); err != nil {
			return err
		}
	}
	r := domain.BuildReport(snap, changes, since, h.now())
	// Rendered whole before anything is sent, so that a failure is still a
	// clean problem response rather than half a file.
	var buf bytes.Buffer
	if err := report.Render(&buf, format, r); err != nil {
		return err
	}
	c.Response().Header().Set("Content-Disposition", `attachment; filename="`+report.Filename(r, format)+`"`)
	return c.Blob(http.StatusOK, report.ContentType(format), buf.Bytes())
}

func (h *handlers) changes(c echo.Context) error {
	id, err := negotiationID(c)
	if err != nil {
		return err
	}
	var errs domain.FieldErrors
	since := timeParam(c, "since", true, &errs)
	if err := errs.Err(); err != nil {
		return err
	}
	ctx := c.Request().Context()
	// The history, not the live row, decides whether the negotiation exists:
	// what changed in a deleted negotiation can still be read.
	if _, err := h.store.History(ctx, domain.KindNegotiation, id); err != nil {
		return err
	}
	changes, err := h.store.Changes(ctx, id, since)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"items": domain.DescribeChanges(changes)})
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
