package ui

import (
	"bytes"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/parley/parley/domain"
	"github.com/parley/parley/report"
)

// reportData is the report page: pickers, the preview and the downloads.
type reportData struct {
	Negotiation *domain.Negotiation
	AsOf        string
	Since       string
	Errors      map[string]string
	Preview     string
	Downloads   []download
}

type download struct {
	Format string
	Label  string
	URL    string
}

var formatLabels = map[string]string{
	"markdown": "Markdown (.md)",
	"html":     "Web page, printable (.html)",
	"pdf":      "PDF (.pdf)",
	"csv":      "Spreadsheet rows (.csv)",
	"xlsx":     "Excel workbook (.xlsx)",
	"json":     "JSON data (.json)",
}

// reportParams reads the as-of and since pickers; bad values are reported
// against their picker and left out.
func reportParams(c echo.Context) (asOf, since time.Time, raw url.Values, errs map[string]string) {
	errs = map[string]string{}
	raw = url.Values{}
	for _, name := range []string{"as_of", "since"} {
		v := strings.TrimSpace(c.QueryParam(name))
		t, err := parseInstant(v)
		if err != nil {
			errs[name] = instantHelp
			continue
		}
		if v != "" {
			raw.Set(name, v)
		}
		if name == "as_of" {
			asOf = t
		} else {
			since = t
		}
	}
	return asOf, since, raw, errs
}

func (srv *server) reportPage(c echo.Context) error {
	asOf, _, raw, errs := reportParams(c)
	snap, err := srv.snapshot(c, time.Time{})
	if err != nil {
		return err
	}
	id := snap.Negotiation.ID
	d := reportData{Negotiation: snap.Negotiation, AsOf: c.QueryParam("as_of"), Since: c.QueryParam("since"), Errors: errs}
	if !asOf.IsZero() {
		if _, err := srv.store.Snapshot(c.Request().Context(), id, domain.Moment{AsOf: asOf}); err != nil {
			d.Errors["as_of"] = "The negotiation did not exist yet at that time."
			raw.Del("as_of")
		}
	}
	query := raw.Encode()
	d.Preview = "/negotiations/" + id + "/report/preview"
	if query != "" {
		d.Preview += "?" + query
	}
	for _, f := range domain.ReportFormats {
		q := url.Values{"format": {f}}
		for k, v := range raw {
			q[k] = v
		}
		d.Downloads = append(d.Downloads, download{Format: f, Label: formatLabels[f], URL: "/negotiations/" + id + "/report/download?" + q.Encode()})
	}
	status := http.StatusOK
	if len(d.Errors) > 0 {
		status = http.StatusUnprocessableEntity
	}
	v := srv.newView(c, "Status report: "+snap.Negotiation.Title, crumb{"Negotiations", "/"}, crumb{snap.Negotiation.Title, "/negotiations/" + id})
	v.Data = d
	return srv.render(c, status, "report", v)
}

// buildReport computes the report for the pickers in the request.
func (srv *server) buildReport(c echo.Context) (*domain.Report, error) {
	asOf, since, _, errs := reportParams(c)
	if len(errs) > 0 {
		return nil, echo.NewHTTPError(http.StatusBadRequest, "The as-of or since time is not a date or a date and time.")
	}
	id := c.Param("id")
	if !looksLikeID(id) {
		return nil, &domain.NotFoundError{Kind: domain.KindNegotiation, ID: id}
	}
	return domain.LoadReport(c.Request().Context(), srv.store, id, domain.Moment{AsOf: asOf}, since, srv.opts.Now().UTC())
}

// reportPreview serves the HTML report for the preview frame. The report is
// a self-contained page with its own embedded stylesheet, so this one
// response allows inline style (never script) and framing by parley itself.
func (srv *server) reportPreview(c echo.Context) error {
	rep, err := srv.buildReport(c)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := report.Render(&buf, "html", rep); err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'self'; form-action 'none'; base-uri 'none'")
	h.Set("X-Frame-Options", "SAMEORIGIN")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	return c.HTMLBlob(http.StatusOK, buf.Bytes())
}

// reportDownload sends the report as a file. It renders into memory first
// so that a failure becomes an error page, not half a file.
func (srv *server) reportDownload(c echo.Context) error {
	format := c.QueryParam("format")
	if !containsString(domain.ReportFormats, format) {
		return echo.NewHTTPError(http.StatusNotFound, "There is no report format of that name.")
	}
	rep, err := srv.buildReport(c)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := report.Render(&buf, format, rep); err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": report.Filename(rep, format)}))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	return c.Blob(http.StatusOK, report.ContentType(format), buf.Bytes())
}
