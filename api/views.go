package api

import (
	"bytes"
	"net/http"
	"slices"
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
	h.add(g, route{http.MethodGet, "/negotiations/:id/matrix", domain.RoleViewer, h.matrix, operation{
		ID: "getMatrix", Tag: "views", Summary: "The side-by-side comparison: topics as rows, participants as columns, each topic's state",
		Description: matrixDescription,
		Query: append([]parameter{asOfParam, asOfRoundParam, recordedAsOfParam, {Name: "party_id", Description: "show only these columns (participants, or with group_by=bloc blocs and participants in no bloc), in this order; repeat for several",
			Schema: uuidSchema()}}, matrixFilterParams...),
		Success: http.StatusOK, Response: jsonBody(map[string]any{"oneOf": []any{ref("Matrix"), ref("CompactMatrix")}}), Errors: []int{404, 422},
	}})
	h.add(g, route{http.MethodGet, "/negotiations/:id/report", domain.RoleViewer, h.report, operation{
		ID: "getReport", Tag: "views", Summary: "The negotiation status report, as a file in the format asked for",
		Query: []parameter{
			{Name: "format", Description: "the report's format", Required: true, Schema: map[string]any{"type": "string", "enum": report.FormatNames()}},
			asOfParam, asOfRoundParam, recordedAsOfParam,
			{Name: "since", Description: "add what moved from this instant (RFC 3339, or YYYY-MM-DD for the start of that day) to the report's: the compare view of the two moments, in sentences per topic", Schema: stringSchema()},
			{Name: "layout", Description: "full (default): everything the report holds; brief (markdown, html and pdf): at most two A4 pages with each topic's state and stances, what moved since `since`, the widest gaps, the standing objections and the sources", Schema: map[string]any{"type": "string", "enum": report.Layouts}},
			{Name: "audience", Description: "a TLP 2.0 marking: leave out everything marked above it (demands and objections with what hangs on them, rebuttals, endorsements, citations) before anything is counted; the highest marking left is printed at the head and foot of every page", Schema: map[string]any{"type": "string", "enum": domain.HandlingMarkings().Strings()}},
		},
		Success: http.StatusOK, Response: reportMedia(), Headers: []string{"Content-Disposition"}, Errors: []int{404, 422},
	}})
	h.add(g, route{http.MethodGet, "/negotiations/:id/changes", domain.RoleViewer, h.changes, operation{
		ID: "listChanges", Tag: "views", Summary: "What took effect inside the negotiation in a window of negotiation time, in words, one page at a time",
		Description: "Every revision that took effect from since to until (negotiation time), ordered by effective_at. " +
			"Each item keeps the revision's fields and adds summary, one sentence a reader understands " +
			"(\"Russia's objection to “30-day ceasefire” resolved\"), and changes: each field with its value before and after as stored " +
			"and in words (party names, labels, status words, numbers with thousands separators and units, the delta of a numeric term). " +
			"Names are read in one query per kind of thing referred to, whatever the page's size.",
		Query: []parameter{
			{Name: "since", Description: "the first instant of the window (RFC 3339, or YYYY-MM-DD for the start of that day)", Required: true, Schema: stringSchema()},
			{Name: "until", Description: "the last instant of the window, included (RFC 3339, or YYYY-MM-DD for the end of that day); no bound when absent", Schema: stringSchema()},
			{Name: "limit", Description: "page size", Schema: map[string]any{"type": "integer", "minimum": 1, "maximum": maxChangesLimit, "default": defaultLimit}},
			{Name: "cursor", Description: "the next_cursor of the previous page", Schema: stringSchema()},
		},
		Success: http.StatusOK, Response: jsonBody(itemsOf(changeItemSchema(), true)), Errors: []int{404, 422},
	}})
	h.add(g, route{http.MethodGet, "/negotiations/:id/compare", domain.RoleViewer, h.compare, operation{
		ID: "compareMoments", Tag: "views", Summary: "What moved between two moments of negotiation time: per topic the state on each side and every position added, changed or removed",
		Description: compareDescription,
		Query: []parameter{
			{Name: "from", Description: "the first instant of the window: the comparison starts from the state just before it, so a move taking effect at from is included. " +
				"RFC 3339, or YYYY-MM-DD for the start of that day (from=2025-05-16 includes the moves of 16 May). Give from or from_round.", Schema: stringSchema()},
			{Name: "from_round", Description: "start from the state at the end of this round of the negotiation (its ends_on, else starts_on, end of day UTC): the moves after it", Schema: uuidSchema()},
			{Name: "to", Description: "the last instant of the window, included. RFC 3339, or YYYY-MM-DD for the end of that day. Give to or to_round.", Schema: stringSchema()},
			{Name: "to_round", Description: "end at the state at the end of this round of the negotiation, included", Schema: uuidSchema()},
			{Name: "recorded_as_of", Description: "read both sides as the database stood at this record time (RFC 3339 or YYYY-MM-DD, end of day): what was known then", Schema: stringSchema()},
		},
		Success: http.StatusOK, Response: jsonBody(comparisonSchema()), Errors: []int{404, 422},
	}})
}

// compareDescription documents the compare view's semantics in the
// OpenAPI document.
const compareDescription = "Compares the negotiation as it stood just before from (or at the end of from_round) with the negotiation as it stood at to " +
	"(or at the end of to_round), both in negotiation time and, with recorded_as_of, as recorded by then. " +
	"A date alone is a day in UTC: as from its start, as to its end, so from=2025-05-16&to=2025-05-16 shows what moved on 16 May. " +
	"Every topic of either side is listed in the matrix's order with state_from and state_to (null where the topic was not on the table) " +
	"and its moves: demands, and objections, rebuttals and endorsements under their demand's topic; kind added, changed or removed; " +
	"fields with from, to and, for a numeric term, delta (to − from); a summary sentence in words. " +
	"A resource recorded in error (deleted) is on neither side and makes no move; metadata (version, updated_at, effective_at) is never a move. " +
	"The negotiation's own moves (participants, status), its rounds' and its delegations' are in other_moves. " +
	"Bad input is a 422 naming each field: a from after to, from together with from_round (or to with to_round), a round that is not one of the negotiation's, " +
	"a missing from or to, a time that is neither RFC 3339 nor YYYY-MM-DD."

var asOfRoundParam = parameter{Name: "as_of_round", Description: "answer as things stood at the end of this round of the negotiation (its ends_on, else starts_on, end of day UTC); instead of as_of",
	Schema: uuidSchema()}

var recordedAsOfParam = parameter{Name: "recorded_as_of", Description: "record time: answer as the database stood at this instant (RFC 3339, or YYYY-MM-DD for the end of that day); with as_of, what was known then about the talks as of as_of",
	Schema: stringSchema()}

var asOfParam = parameter{Name: "as_of", Description: "negotiation time: answer as things stood in the talks at this instant (RFC 3339, or YYYY-MM-DD for the end of that day); the latest state when absent",
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
		return time.Time{}, nil //nolint:nilerr // a malformed id names no round: the caller reports the zero time
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
	opts, compact, titles := matrixOptions(c, &errs)
	opts.Today = h.now()
	if err := errs.Err(); err != nil {
		return err
	}
	snap, err := h.store.Snapshot(c.Request().Context(), id, at)
	if err != nil {
		return err
	}
	m, err := domain.BuildMatrixView(snap, opts)
	if err != nil {
		return err
	}
	if compact {
		return c.JSON(http.StatusOK, m.Compact(titles))
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
		errs.Add("format", "is required: one of %s", strings.Join(report.FormatNames(), ", "))
	case report.ContentType(format) == "":
		errs.Add("format", "must be one of %s", strings.Join(report.FormatNames(), ", "))
	}
	layout := strings.TrimSpace(c.QueryParam("layout"))
	switch {
	case layout != "" && !slices.Contains(report.Layouts, layout):
		// report.CheckOptions names an unknown layout.
	case report.ContentType(format) != "" && !report.HasLayout(format, layout):
		errs.Add("layout", "brief comes in %s only", strings.Join(report.BriefFormats, ", "))
	}
	at, err := h.momentParams(c, id, &errs)
	if err != nil {
		return err
	}
	opts := report.Options{At: at, Since: timeParam(c, "since", false, false, &errs),
		Layout: strings.TrimSpace(c.QueryParam("layout")), Audience: audienceParam(c.QueryParam("audience"))}
	errs = append(errs, report.CheckOptions(opts)...)
	if err := errs.Err(); err != nil {
		return err
	}
	r, err := report.Load(c.Request().Context(), h.store, id, opts, h.now(), report.DrawsTimelineIn(format, layout))
	if err != nil {
		return err
	}
	// Rendered whole before anything is sent, so that a failure is still a
	// clean problem response rather than half a file.
	var buf bytes.Buffer
	if err := report.RenderLayout(&buf, format, layout, r); err != nil {
		return err
	}
	c.Response().Header().Set("Content-Disposition", `attachment; filename="`+report.LayoutFilename(r, format, layout)+`"`)
	return c.Blob(http.StatusOK, report.ContentType(format), buf.Bytes())
}

// audienceParam reads a marking as people type it ("tlp:green"); anything
// else is kept as given, for report.CheckOptions to name.
func audienceParam(v string) string {
	if m, ok := domain.ParseHandling(v); ok {
		return m
	}
	return strings.TrimSpace(v)
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
	items, err := domain.ReadableChanges(c.Request().Context(), h.store, page.Items)
	if err != nil {
		return err
	}
	resp := map[string]any{"items": items, "next_cursor": nil}
	if page.NextCursor != "" {
		resp["next_cursor"] = page.NextCursor
	}
	return c.JSON(http.StatusOK, resp)
}

// compare answers what moved between two moments of negotiation time:
// two snapshots and a pure comparison, plus one read per round named.
func (h *handlers) compare(c echo.Context) error {
	id, err := negotiationID(c)
	if err != nil {
		return err
	}
	var errs domain.FieldErrors
	from, fromField, err := h.windowBound(c, id, "from", "from_round", false, &errs)
	if err != nil {
		return err
	}
	to, toField, err := h.windowBound(c, id, "to", "to_round", true, &errs)
	if err != nil {
		return err
	}
	recorded := timeParam(c, "recorded_as_of", false, true, &errs)
	if !from.IsZero() && !to.IsZero() && from.After(to) {
		errs.Add(fromField, "is after %s: the comparison runs forward in time", toField)
	}
	if err := errs.Err(); err != nil {
		return err
	}
	cmp, err := report.LoadComparison(c.Request().Context(), h.store, id, from, to, recorded)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, cmp)
}

// windowBound reads one side of a compare window: an instant (timeName)
// or a round (roundName), one of them and not both. A round stands for
// its end: as the window's last instant (end) that very instant, as its
// first the instant after, so that the window holds what moved after the
// round. It returns the instant and the name of the parameter it came
// from; a problem is recorded in errs.
func (h *handlers) windowBound(c echo.Context, negotiationID, timeName, roundName string, end bool, errs *domain.FieldErrors) (time.Time, string, error) {
	t := timeParam(c, timeName, false, end, errs)
	given := strings.TrimSpace(c.QueryParam(timeName)) != ""
	round := strings.TrimSpace(c.QueryParam(roundName))
	switch {
	case round == "" && !given:
		errs.Add(timeName, "is required: an RFC 3339 time or a YYYY-MM-DD date (or give %s)", roundName)
		return t, timeName, nil
	case round == "":
		return t, timeName, nil
	case given:
		errs.Add(roundName, "give %s or %s, not both", timeName, roundName)
		return t, roundName, nil
	}
	roundEnd, err := h.roundEnd(c, negotiationID, round)
	if err != nil {
		return time.Time{}, roundName, err
	}
	if roundEnd.IsZero() {
		errs.Add(roundName, "names no round of this negotiation")
		return roundEnd, roundName, nil
	}
	if !end {
		roundEnd = roundEnd.Add(time.Microsecond)
	}
	return roundEnd, roundName, nil
}

// reportMedia documents the report's body in each format.
func reportMedia() map[string]any {
	media := map[string]any{}
	for _, f := range report.Formats() {
		ct, _, _ := strings.Cut(f.ContentType, ";")
		switch {
		case f.Name == "json":
			media[ct] = map[string]any{"type": "object", "description": "the report model"}
		case f.Binary:
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
	cell := object([]string{"topic_id", "party_id", "demands", "endorsements", "objections", "rebuttals", "stance"}, map[string]any{
		"topic_id": uuidSchema(), "party_id": uuidSchema(),
		"demands": arrayOf(ref("Demand")), "endorsements": arrayOf(ref("Endorsement")), "objections": arrayOf(ref("Objection")),
		"rebuttals": map[string]any{"type": "array", "items": ref("Rebuttal"),
			"description": "the answers to the cell's objections, by whichever party gave them, each naming its objection in objection_id, by stated_on; they change no stance or state"},
		"stance": stanceSchema(),
		"inherited": map[string]any{"type": "array", "description": "the positions of the party's blocs on the topic, where the party states none of its own",
			"items": object([]string{"bloc_id", "demands", "endorsements", "objections"}, map[string]any{
				"bloc_id": uuidSchema(), "demands": arrayOf(ref("Demand")), "endorsements": arrayOf(ref("Endorsement")), "objections": arrayOf(ref("Objection")),
			})},
		"diverges_from":     map[string]any{"type": "array", "items": uuidSchema(), "description": "the blocs whose position on the topic the party's own differs from"},
		"divergent_members": map[string]any{"type": "array", "items": uuidSchema(), "description": "grouped by bloc: the members whose differing statements the bloc's cell adds"},
	})
	summary := topicSummarySchema()
	term := termRowSchema()
	states, stances := legendSchemas()
	party := map[string]any{"allOf": []any{ref("Party"), object([]string{"role", "roles"}, map[string]any{
		"role":    map[string]any{"type": "string", "enum": domain.ParticipantRoles().Strings(), "description": "the first of the party's roles"},
		"roles":   map[string]any{"type": "array", "items": map[string]any{"type": "string", "enum": domain.ParticipantRoles().Strings()}},
		"grouped": map[string]any{"type": "array", "items": uuidSchema(), "description": "grouped by bloc: the participants a bloc's column stands for"},
	})}}
	return object([]string{"negotiation", "parties", "topics", "cells", "topic_summaries", "terms", "states", "stances", "as_of"}, map[string]any{
		"negotiation": ref("Negotiation"), "parties": arrayOf(party), "topics": arrayOf(ref("Topic")),
		"cells": arrayOf(cell), "topic_summaries": arrayOf(summary),
		"terms":  map[string]any{"type": "array", "items": term, "description": "one row per term a topic defines that a demand of a shown party states, live or not"},
		"states": states, "stances": stances,
		"as_of": map[string]any{"type": "string", "format": "date-time", "nullable": true},
	})
}

// compactMatrixSchema documents domain.CompactMatrix.
func compactMatrixSchema() map[string]any {
	ids := func(d string) map[string]any {
		return map[string]any{"type": "array", "items": uuidSchema(), "description": d}
	}
	count := func(d string) map[string]any {
		return map[string]any{"type": "integer", "description": d + "; absent when 0"}
	}
	indexes := func(d string) map[string]any {
		return map[string]any{"type": "array", "items": map[string]any{"type": "integer"}, "description": d + ", by index into parties"}
	}
	cell := object([]string{"t", "p"}, map[string]any{
		"t": map[string]any{"type": "integer", "description": "the topic: index into topics"},
		"p": map[string]any{"type": "integer", "description": "the party: index into parties"},
		"d": map[string]any{"type": "array", "description": "the party's demands on the topic", "items": object([]string{"id", "s"}, map[string]any{
			"id": uuidSchema(), "s": map[string]any{"type": "string", "enum": domain.DemandStatuses().Strings(), "description": "status"},
			"title": map[string]any{"type": "string", "description": "with fields=title"},
		})},
		"e":  count("the party's endorsements of demands on the topic"),
		"o":  count("the party's objections to demands on the topic"),
		"so": count("of those, the ones still standing"),
		"r":  count("the rebuttals answering those objections"),
		"in": indexes("the blocs whose position the party inherits here"),
		"dv": indexes("the blocs whose position the party's own differs from"),
		"dm": indexes("grouped by bloc: the members whose differing statements the cell counts"),
	})
	party := object([]string{"id", "name", "kind", "roles"}, map[string]any{
		"id": uuidSchema(), "name": stringSchema(), "short_name": stringSchema(), "kind": map[string]any{"type": "string", "enum": domain.PartyKinds().Strings()},
		"roles":   map[string]any{"type": "array", "items": map[string]any{"type": "string", "enum": domain.ParticipantRoles().Strings()}},
		"grouped": ids("grouped by bloc: the participants a bloc's column stands for"),
	})
	full := matrixSchema()["properties"].(map[string]any)
	return object([]string{"compact", "negotiation", "parties", "topics", "cells", "topic_summaries", "as_of"}, map[string]any{
		"compact": map[string]any{"type": "boolean", "enum": []any{true}},
		"negotiation": object([]string{"id", "title", "status"}, map[string]any{
			"id": uuidSchema(), "title": stringSchema(), "status": map[string]any{"type": "string", "enum": domain.NegotiationStatuses().Strings()},
		}),
		"parties":         arrayOf(party),
		"topics":          arrayOf(object([]string{"id", "title"}, map[string]any{"id": uuidSchema(), "title": stringSchema()})),
		"cells":           map[string]any{"type": "array", "items": cell, "description": "only the cells that hold something"},
		"topic_summaries": full["topic_summaries"],
		"as_of":           map[string]any{"type": "string", "format": "date-time", "nullable": true},
		"recorded_as_of":  map[string]any{"type": "string", "format": "date-time", "nullable": true},
	})
}

// fieldMoveSchema documents one moved field; from and to are named after
// the view's sides ("from"/"to" in compare, "before"/"after" in changes).
func fieldMoveSchema(from, to string) map[string]any {
	return object([]string{"field", from, to, "delta", "label", from + "_text", to + "_text", "text"}, map[string]any{
		"field": map[string]any{"type": "string", "description": `the stored field: "status", "grounds", or "terms.KEY" for one term of a demand`},
		// Any JSON value, null included: a schema without a type admits
		// null in OpenAPI 3.0, where nullable beside no type means nothing.
		from:           map[string]any{"description": "the stored value (a string, number, boolean, array or object); null where the field was empty or the resource did not exist"},
		to:             map[string]any{"description": "the stored value (a string, number, boolean, array or object); null where the field is empty or the resource is gone"},
		"delta":        map[string]any{"type": "number", "nullable": true, "description": "to − from for a numeric term on both sides; else null"},
		"label":        map[string]any{"type": "string", "description": `the field in words: "duration days", "party"`},
		from + "_text": map[string]any{"type": "string", "description": "the value in words: names for ids, words for codes, numbers with separators and units"},
		to + "_text":   map[string]any{"type": "string", "description": "the value in words"},
		"text":         map[string]any{"type": "string", "description": `the whole change: "buffer zone 1,000 m → 700 m (−300 m)"`},
	})
}

// changeItemSchema documents domain.ChangeItem: a revision, a sentence
// saying what it did, and what it changed, field by field.
func changeItemSchema() map[string]any {
	return map[string]any{"allOf": []any{ref("Revision"), object([]string{"effective_at", "change_citations", "summary", "changes"}, map[string]any{
		"effective_at":     map[string]any{"type": "string", "format": "date-time", "description": "negotiation time: when the change took effect"},
		"change_note":      map[string]any{"type": "string", "description": "why, as the analyst noted it"},
		"change_citations": arrayOf(map[string]any{"type": "object", "description": "the sources that reported the move"}),
		"summary":          map[string]any{"type": "string", "description": `one sentence: "Russia's objection to “30-day ceasefire” resolved"`},
		"changes":          arrayOf(fieldMoveSchema("before", "after")),
	})}}
}

// comparisonSchema documents domain.Comparison.
func comparisonSchema() map[string]any {
	nullableTime := func(d string) map[string]any {
		return map[string]any{"type": "string", "format": "date-time", "nullable": true, "description": d}
	}
	state := map[string]any{"type": "string", "enum": domain.TopicStates().Strings(), "nullable": true, "description": "null where the topic was not on the table"}
	move := object([]string{"resource_type", "resource_id", "kind", "fields", "summary", "effective_at"}, map[string]any{
		"resource_type": enumOfKinds(), "resource_id": uuidSchema(),
		"party_id":     map[string]any{"type": "string", "format": "uuid", "description": "whose position moved; absent for topics, rounds and the negotiation"},
		"party":        map[string]any{"type": "string", "description": "that party's name"},
		"demand_id":    map[string]any{"type": "string", "format": "uuid", "description": "the demand moved, or the one an objection or endorsement is about (a rebuttal: its objection's)"},
		"demand_title": map[string]any{"type": "string", "description": "that demand's title"},
		"kind":         map[string]any{"type": "string", "enum": []string{domain.MoveAdded, domain.MoveChanged, domain.MoveRemoved}},
		"fields":       arrayOf(fieldMoveSchema("from", "to")),
		"summary":      map[string]any{"type": "string", "description": `the move in one sentence: "Hamas: prisoners in phase 1 2,500 → 1,904 (−596) on “Prisoner exchange”"`},
		"effective_at": nullableTime("when the state on the to side took effect; null for a removal"),
	})
	topic := object([]string{"topic_id", "topic_title", "state_from", "state_to", "summary", "moves"}, map[string]any{
		"topic_id": uuidSchema(), "topic_title": stringSchema(), "state_from": state, "state_to": state,
		"summary": map[string]any{"type": "string", "description": `how the state went: "contested → agreed", "still open", "new topic, open"`},
		"moves":   arrayOf(move),
	})
	return object([]string{"negotiation_id", "from", "to", "recorded_as_of", "topics", "other_moves"}, map[string]any{
		"negotiation_id": uuidSchema(),
		"from":           nullableTime("the first instant of the window; the comparison starts from the state just before it"),
		"to":             nullableTime("the last instant of the window, included; null for now"),
		"recorded_as_of": nullableTime("the record time both sides were read as of; null for everything recorded"),
		"topics":         map[string]any{"type": "array", "items": topic, "description": "every topic of either side, moved or not, in the matrix's order"},
		"other_moves":    map[string]any{"type": "array", "items": move, "description": "moves of the negotiation itself, its rounds and its delegations"},
	})
}

// categories answers the fixed topic taxonomy.
func (h *handlers) categories(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string]any{"items": domain.Categories})
}
