package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/parley/parley/domain"
)

// registerTimeline adds the negotiation's timeline: the model the
// timeline picture is drawn from, as JSON.
func (h *handlers) registerTimeline(g *echo.Group) {
	h.add(g, route{http.MethodGet, "/negotiations/:id/timeline", domain.RoleViewer, h.timeline, operation{
		ID: "getTimeline", Tag: "views",
		Summary: "The negotiation over negotiation time: rounds, each topic's state as bands, each party's value of each numeric term as a step series",
		Query:   []parameter{asOfParam, asOfRoundParam, recordedAsOfParam},
		Success: http.StatusOK, Response: jsonBody(timelineSchema()), Errors: []int{404, 422},
	}})
}

func (h *handlers) timeline(c echo.Context) error {
	id, err := negotiationID(c)
	if err != nil {
		return err
	}
	var errs domain.FieldErrors
	at, err := h.momentParams(c, id, &errs)
	if err != nil {
		return err
	}
	if err := errs.Err(); err != nil {
		return err
	}
	ctx := c.Request().Context()
	snap, err := h.store.Snapshot(ctx, id, at)
	if err != nil {
		return err
	}
	revs, err := h.store.Timeline(ctx, id, at.RecordedAsOf)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, domain.BuildTimeline(snap, revs))
}

// timelineSchema documents domain.Timeline.
func timelineSchema() map[string]any {
	list := func(item map[string]any) map[string]any { return map[string]any{"type": "array", "items": item} }
	round := object([]string{"id", "title", "start", "end"}, map[string]any{
		"id": uuidSchema(), "title": stringSchema(), "start": dateTimeSchema(), "end": dateTimeSchema(),
	})
	band := object([]string{"from", "to", "state"}, map[string]any{
		"from": dateTimeSchema(), "to": dateTimeSchema(), "state": map[string]any{"type": "string", "enum": domain.TopicStates().Strings()},
	})
	point := object([]string{"at", "value"}, map[string]any{
		"at":        dateTimeSchema(),
		"value":     map[string]any{"type": "number", "nullable": true, "description": "null where the party's line ends"},
		"demand_id": map[string]any{"type": "string", "format": "uuid", "description": "the demand the value is from, or that carried it until the line ended"},
		"ended": map[string]any{"type": "string", "enum": []string{"withdrawn", "rejected", domain.TermEndedMoved, domain.TermEndedDropped},
			"description": "why the line ends: the demand withdrawn or rejected, moved to another topic, or no longer stating the term"},
	})
	series := object([]string{"party_id", "party", "points"}, map[string]any{
		"party_id": uuidSchema(), "party": stringSchema(), "points": list(point),
	})
	topic := object([]string{"topic_id", "title", "bands", "terms"}, map[string]any{
		"topic_id": uuidSchema(), "title": stringSchema(), "bands": list(band),
		"terms": list(object([]string{"term", "series"}, map[string]any{"term": stringSchema(), "series": list(series)})),
	})
	return object([]string{"start", "end", "rounds", "topics"}, map[string]any{
		"start": dateTimeSchema(), "end": dateTimeSchema(), "rounds": list(round), "topics": list(topic),
	})
}
