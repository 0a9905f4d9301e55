package ui

import (
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
	v.Data = issuedData{Negotiation: n, Reports: items}
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
