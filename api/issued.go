package api

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/parley/parley/domain"
	"github.com/parley/parley/report"
)

// registerIssuedReports adds the routes of issued reports: rendered once,
// kept byte for byte, never changed; an admin may delete one.
func (h *handlers) registerIssuedReports(g *echo.Group) {
	h.add(g, route{http.MethodPost, "/negotiations/:id/reports", domain.RoleEditor, h.issueReport, operation{
		ID: "issueReport", Tag: "reports", Summary: "Render a report once and keep its bytes and their SHA-256",
		Request: jsonBody(ref("IssueReportRequest")), Success: http.StatusCreated, Response: jsonBody(ref("IssuedReport")),
		Headers: []string{"Location", "ETag"}, Errors: []int{400, 404, 413, 415, 422},
	}})
	h.add(g, route{http.MethodGet, "/reports", domain.RoleViewer, h.listIssuedReports, operation{
		ID: "listIssuedReports", Tag: "reports", Summary: "A negotiation's issued reports, oldest first, one page at a time",
		Query: []parameter{
			{Name: "negotiation_id", Description: "the negotiation", Required: true, Schema: uuidSchema()},
			{Name: "limit", Description: "page size", Schema: map[string]any{"type": "integer", "minimum": 1, "maximum": maxIssuedLimit, "default": defaultLimit}},
			{Name: "cursor", Description: "next_cursor of the page before", Schema: stringSchema()},
		},
		Success: http.StatusOK, Response: jsonBody(itemsOf(ref("IssuedReport"), true)), Errors: []int{422},
	}})
	h.add(g, route{http.MethodGet, "/reports/:id", domain.RoleViewer, h.getIssuedReport, operation{
		ID: "getIssuedReport", Tag: "reports", Summary: "An issued report's metadata: who issued it, when, with what parameters, and its SHA-256",
		Success: http.StatusOK, Response: jsonBody(ref("IssuedReport")), Headers: []string{"ETag"}, Errors: []int{404},
	}})
	h.add(g, route{http.MethodGet, "/reports/:id/file", domain.RoleViewer, h.issuedReportFile, operation{
		ID: "getIssuedReportFile", Tag: "reports", Summary: "An issued report's file: the same bytes forever, ETag its SHA-256",
		Success: http.StatusOK, Response: reportMedia(), Headers: []string{"ETag", "Content-Disposition"}, Errors: []int{404},
	}})
	h.add(g, route{http.MethodGet, "/reports/:id/history", domain.RoleViewer, h.issuedReportHistory, operation{
		ID: "historyIssuedReport", Tag: "reports", Summary: "Who issued a report and when, and who deleted it and when",
		Success: http.StatusOK, Response: jsonBody(itemsOf(map[string]any{"type": "object", "required": []string{"revision", "action", "actor", "at"},
			"properties": map[string]any{"revision": map[string]any{"type": "integer"}, "action": map[string]any{"type": "string", "enum": []string{"create", "delete"}},
				"actor": stringSchema(), "at": dateTimeSchema()}}, false)), Errors: []int{404},
	}})
	h.add(g, route{http.MethodDelete, "/reports/:id", domain.RoleAdmin, h.deleteIssuedReport, operation{
		ID: "deleteIssuedReport", Tag: "reports", Summary: "Delete an issued report's file (admins); who deleted it and when is kept",
		Success: http.StatusNoContent, Errors: []int{404},
	}})
}

// maxIssuedLimit bounds one page of issued reports.
const maxIssuedLimit = 500

// issueRequest is the body of POST /negotiations/{id}/reports.
type issueRequest struct {
	Format   string `json:"format"`
	AsOf     string `json:"as_of"`
	Since    string `json:"since"`
	Layout   string `json:"layout"`
	Audience string `json:"audience"`
	Title    string `json:"title"`
}

// options reads the request into report options, naming every bad field.
func (q issueRequest) options(errs *domain.FieldErrors) report.Options {
	var o report.Options
	switch f := strings.TrimSpace(q.Format); {
	case f == "":
		errs.Add("format", "is required: one of %s", strings.Join(report.FormatNames(), ", "))
	case report.ContentType(f) == "":
		errs.Add("format", "must be one of %s", strings.Join(report.FormatNames(), ", "))
	}
	for _, p := range []struct {
		name, value string
		end         bool
		dst         *time.Time
	}{{"as_of", q.AsOf, true, &o.At.AsOf}, {"since", q.Since, false, &o.Since}} {
		if strings.TrimSpace(p.value) == "" {
			continue
		}
		t, err := domain.ParseInstant(strings.TrimSpace(p.value), p.end)
		if err != nil {
			errs.Add(p.name, "must be an RFC 3339 time or a YYYY-MM-DD date")
		}
		*p.dst = t
	}
	o.Layout, o.Audience, o.Title = strings.TrimSpace(q.Layout), audienceParam(q.Audience), strings.TrimSpace(q.Title)
	*errs = append(*errs, report.CheckOptions(o)...)
	return o
}

func (h *handlers) issueReport(c echo.Context) error {
	id, err := negotiationID(c)
	if err != nil {
		return err
	}
	var q issueRequest
	errs, err := h.readStrict(c, &q)
	if err != nil {
		return err
	}
	opts := q.options(&errs)
	if err := errs.Err(); err != nil {
		return err
	}
	issued, err := report.Issue(c.Request().Context(), h.store, id, strings.TrimSpace(q.Format), opts, actor(c), h.now())
	if err != nil {
		return err
	}
	c.Response().Header().Set("Location", "/api/v1/reports/"+issued.ID)
	c.Response().Header().Set("ETag", `"`+issued.SHA256+`"`)
	return c.JSON(http.StatusCreated, issued)
}

// issuedID reads a report id from the path; anything but a UUID names
// nothing.
func issuedID(c echo.Context) (string, error) {
	id := strings.ToLower(c.Param("id"))
	if _, err := uuid.Parse(id); err != nil {
		return "", &domain.NotFoundError{Kind: "reports", ID: c.Param("id")}
	}
	return id, nil
}

func (h *handlers) getIssuedReport(c echo.Context) error {
	id, err := issuedID(c)
	if err != nil {
		return err
	}
	r, err := h.store.GetIssuedReport(c.Request().Context(), id)
	if err != nil {
		return err
	}
	c.Response().Header().Set("ETag", `"`+r.SHA256+`"`)
	return c.JSON(http.StatusOK, r)
}

func (h *handlers) issuedReportFile(c echo.Context) error {
	id, err := issuedID(c)
	if err != nil {
		return err
	}
	r, content, err := h.store.IssuedReportFile(c.Request().Context(), id)
	if err != nil {
		return err
	}
	tag := `"` + r.SHA256 + `"`
	c.Response().Header().Set("ETag", tag)
	c.Response().Header().Set("Cache-Control", "private, max-age=31536000, immutable")
	if c.Request().Header.Get("If-None-Match") == tag {
		return c.NoContent(http.StatusNotModified)
	}
	c.Response().Header().Set("Content-Disposition", `attachment; filename="`+r.Filename+`"`)
	return c.Blob(http.StatusOK, r.ContentType, content)
}

func (h *handlers) listIssuedReports(c echo.Context) error {
	var errs domain.FieldErrors
	neg := strings.ToLower(strings.TrimSpace(c.QueryParam("negotiation_id")))
	if _, err := uuid.Parse(neg); err != nil {
		errs.Add("negotiation_id", "is required: the negotiation's id")
	}
	limit := defaultLimit
	if v := strings.TrimSpace(c.QueryParam("limit")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxIssuedLimit {
			errs.Add("limit", "must be an integer from 1 to %d", maxIssuedLimit)
		}
		limit = n
	}
	if err := errs.Err(); err != nil {
		return err
	}
	items, next, err := h.store.ListIssuedReports(c.Request().Context(), neg, limit, c.QueryParam("cursor"))
	if err != nil {
		return err
	}
	resp := map[string]any{"items": items, "next_cursor": nil}
	if next != "" {
		resp["next_cursor"] = next
	}
	return c.JSON(http.StatusOK, resp)
}

func (h *handlers) issuedReportHistory(c echo.Context) error {
	id, err := issuedID(c)
	if err != nil {
		return err
	}
	events, err := h.store.IssuedReportHistory(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"items": events})
}

func (h *handlers) deleteIssuedReport(c echo.Context) error {
	id, err := issuedID(c)
	if err != nil {
		return err
	}
	if err := h.store.DeleteIssuedReport(c.Request().Context(), actor(c), id); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
