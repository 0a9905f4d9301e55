package ui

import (
	"fmt"
	"mime"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/parley/parley/domain"
	"github.com/parley/parley/report"
)

// issuedData is the page listing a negotiation's issued reports.
type issuedData struct {
	Negotiation *domain.Negotiation
	Reports     []domain.IssuedReport
	// CanDelete is true for an admin, who alone may delete a report's file.
	CanDelete bool
}

// issuedHistoryData is the page of an issued report's history.
type issuedHistoryData struct {
	ID     string
	Events []domain.IssuedReportEvent
}

// maxIssuedShown bounds the issued reports one page lists.
const maxIssuedShown = 500

// issueReport renders the report the page previewed, in the format and
// for the audience chosen, and keeps it as issued.
func (srv *server) issueReport(c echo.Context) error {
	opts, err := srv.reportOptions(c)
	if err != nil {
		return err
	}
	format := c.FormValue("format")
	if _, ok := report.LookupFormat(format); !ok {
		return echo.NewHTTPError(http.StatusBadRequest, "Choose one of the report formats.")
	}
	if a := strings.TrimSpace(c.FormValue("audience")); a != "" {
		m, ok := domain.ParseHandling(a)
		if !ok {
			return echo.NewHTTPError(http.StatusBadRequest, "Choose one of the handling markings as the audience.")
		}
		opts.Audience = m
	}
	opts.Title = strings.TrimSpace(c.FormValue("title"))
	if utf8.RuneCountInString(opts.Title) > domain.MaxName {
		return echo.NewHTTPError(http.StatusBadRequest, "The title is too long.")
	}
	user := currentUser(c)
	issued, err := report.Issue(c.Request().Context(), srv.store, c.Param("id"), format, opts, user.Username, srv.opts.Now().UTC())
	if err != nil {
		return err
	}
	return srv.redirectWithFlash(c, "/negotiations/"+issued.NegotiationID+"/reports", "Report issued: SHA-256 "+issued.SHA256)
}

// issuedList shows a negotiation's issued reports: who issued each,
// when, with what parameters, its SHA-256 and its file.
func (srv *server) issuedList(c echo.Context) error {
	now, err := srv.snapshot(c, time.Time{})
	if err != nil {
		return err
	}
	n := now.Negotiation
	items, _, err := srv.store.ListIssuedReports(c.Request().Context(), n.ID, maxIssuedShown, "")
	if err != nil {
		return err
	}
	v := srv.newView(c, "Issued reports: "+n.Title, crumb{"Negotiations", "/"}, crumb{n.Title, "/negotiations/" + n.ID})
	u := currentUser(c)
	v.Data = issuedData{Negotiation: n, Reports: items, CanDelete: u != nil && u.Can(domain.RoleAdmin)}
	return srv.render(c, http.StatusOK, "issued", v)
}

// issuedFile sends an issued report's bytes as they were issued.
func (srv *server) issuedFile(c echo.Context) error {
	id := c.Param("id")
	if !looksLikeID(id) {
		return &domain.NotFoundError{Kind: "reports", ID: id}
	}
	r, content, err := srv.store.IssuedReportFile(c.Request().Context(), id)
	if err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": r.Filename}))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("ETag", `"`+r.SHA256+`"`)
	return c.Blob(http.StatusOK, r.ContentType, content)
}

// errNotAdminDelete refuses to delete an issued report for anyone but an
// admin.
var errNotAdminDelete = echo.NewHTTPError(http.StatusForbidden, "Only an administrator can delete an issued report.")

// deleteIssued drops an issued report's file (admins alone); the record
// of what was issued stays, with who deleted it and when in its history.
func (srv *server) deleteIssued(c echo.Context) error {
	if u := currentUser(c); u == nil || !u.Can(domain.RoleAdmin) {
		return errNotAdminDelete
	}
	id := c.Param("id")
	if !looksLikeID(id) {
		return &domain.NotFoundError{Kind: "reports", ID: id}
	}
	ctx := c.Request().Context()
	r, err := srv.store.GetIssuedReport(ctx, id)
	if err != nil {
		return err
	}
	if err := srv.store.DeleteIssuedReport(ctx, currentUser(c).Username, id); err != nil {
		return err
	}
	return srv.redirectWithFlash(c, "/negotiations/"+r.NegotiationID+"/reports",
		fmt.Sprintf("Deleted the issued report “%s”: its file is gone; who issued it and who deleted it stay in its history.", r.Title))
}

// issuedHistory shows who issued a report and when and, once it is
// deleted, who deleted it and when.
func (srv *server) issuedHistory(c echo.Context) error {
	id := c.Param("id")
	if !looksLikeID(id) {
		return &domain.NotFoundError{Kind: "reports", ID: id}
	}
	events, err := srv.store.IssuedReportHistory(c.Request().Context(), id)
	if err != nil {
		return err
	}
	v := srv.newView(c, "History of an issued report", crumb{"Negotiations", "/"})
	v.Data = issuedHistoryData{ID: id, Events: events}
	return srv.render(c, http.StatusOK, "issued_history", v)
}
