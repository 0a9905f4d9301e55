package ui

import (
	"bytes"
	"errors"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/parley/parley/domain"
	"github.com/parley/parley/report"
)

// reportData is the report page: pickers, the preview and the downloads.
type reportData struct {
	Negotiation *domain.Negotiation
	Moment      momentView
	Since       string
	// Audience is the marking picked: the report leaves out everything
	// marked above it; "" for everything.
	Audience  string
	Audiences []string
	Errors    map[string]string
	Preview   string
	Downloads []download
	// IssueAction is where "Issue this report" posts: the pickers ride
	// in its query, so the issued report is the one previewed.
	IssueAction string
	Formats     []download
	// Briefs are the two-page brief's downloads.
	Briefs []download
}

type download struct {
	Format string
	Label  string
	URL    string
}

// sinceParam reads the "changes since" picker: a date alone is the start
// of that day.
func sinceParam(c echo.Context) (string, time.Time, error) {
	v := strings.TrimSpace(c.QueryParam("since"))
	if v == "" {
		return "", time.Time{}, nil
	}
	t, err := parseInstant(v)
	return v, t, err
}

// audienceParam reads the audience picker: a handling marking, or ""
// for everything; ok is false for anything else.
func audienceParam(c echo.Context) (string, bool) {
	v := strings.TrimSpace(c.QueryParam("audience"))
	if v == "" {
		return "", true
	}
	return domain.ParseHandling(v)
}

func (srv *server) reportPage(c echo.Context) error {
	now, err := srv.snapshot(c, time.Time{})
	if err != nil {
		return err
	}
	id := now.Negotiation.ID
	moment, mv := readMoment(c, "/negotiations/"+id+"/report", now.Rounds)
	// The moment is read here once so that a refused one is said on this
	// page, not as a broken preview.
	if _, err := srv.snapshotAt(c, now, moment, &mv); err != nil {
		return err
	}
	d := reportData{Negotiation: now.Negotiation, Since: c.QueryParam("since"), Audiences: domain.HandlingMarkings().Strings(), Errors: map[string]string{}}
	audience, audienceOK := audienceParam(c)
	d.Audience = audience
	if !audienceOK {
		d.Errors["audience"] = "Choose one of " + domain.HandlingMarkings().String() + ", or everything."
		mv.refuse("audience", d.Errors["audience"])
	}
	typedSince, since, err := sinceParam(c)
	switch {
	case err != nil:
		d.Errors["since"] = unreadable(typedSince)
	case !moment.AsOf.IsZero() && since.After(moment.AsOf):
		d.Errors["since"] = "“" + typedSince + "” is after the moment the report shows: choose a start before it."
	}
	if msg := d.Errors["since"]; msg != "" {
		// A report without the changes asked for, at the moment asked,
		// would pass for the one asked: nothing is applied.
		mv.refuse("since", msg)
	}
	d.Moment = mv
	raw := mv.query()
	if typedSince != "" && !mv.Refused {
		raw.Set("since", typedSince)
	}
	if audience != "" && !mv.Refused {
		raw.Set("audience", audience)
	}
	query := raw.Encode()
	d.Preview = "/negotiations/" + id + "/report/preview"
	if query != "" {
		d.Preview += "?" + query
	}
	for _, f := range report.Formats() {
		q := url.Values{"format": {f.Name}}
		for k, v := range raw {
			q[k] = v
		}
		d.Downloads = append(d.Downloads, download{Format: f.Name, Label: f.Label, URL: "/negotiations/" + id + "/report/download?" + q.Encode()})
		if report.HasLayout(f.Name, "brief") {
			q.Set("layout", "brief")
			d.Briefs = append(d.Briefs, download{Format: f.Name, Label: "Brief: " + f.Label, URL: "/negotiations/" + id + "/report/download?" + q.Encode()})
		}
	}
	d.IssueAction = "/negotiations/" + id + "/reports"
	if query != "" {
		d.IssueAction += "?" + query
	}
	for _, f := range report.Formats() {
		d.Formats = append(d.Formats, download{Format: f.Name, Label: f.Label})
	}
	status := http.StatusOK
	if len(d.Errors) > 0 || mv.Refused {
		status = http.StatusUnprocessableEntity
	}
	v := srv.newView(c, "Status report: "+now.Negotiation.Title, crumb{"Negotiations", "/"}, crumb{now.Negotiation.Title, "/negotiations/" + id})
	v.Data = d
	return srv.render(c, status, "report", v)
}

// reportOptions reads the pickers in the request. Only links and forms
// the report page made reach here, so a moment, since or audience that
// cannot be read is a bad request rather than a page to correct.
func (srv *server) reportOptions(c echo.Context) (report.Options, error) {
	id := c.Param("id")
	if !looksLikeID(id) {
		return report.Options{}, &domain.NotFoundError{Kind: domain.KindNegotiation, ID: id}
	}
	ctx := c.Request().Context()
	var rounds []*domain.Round
	if rid := strings.ToLower(strings.TrimSpace(c.QueryParam("as_of_round"))); looksLikeID(rid) {
		r, err := srv.store.Get(ctx, domain.KindRound, rid)
		var nf *domain.NotFoundError
		if err != nil && !errors.As(err, &nf) {
			return report.Options{}, err
		}
		if err == nil && r.(*domain.Round).NegotiationID == id {
			rounds = append(rounds, r.(*domain.Round))
		}
	}
	moment, mv := readMoment(c, "", rounds)
	_, since, err := sinceParam(c)
	audience, audienceOK := audienceParam(c)
	if mv.Refused || err != nil || !audienceOK || (!moment.AsOf.IsZero() && since.After(moment.AsOf)) {
		return report.Options{}, echo.NewHTTPError(http.StatusBadRequest, "The as-of, round, recorded-as-of, since or audience value cannot be read. Choose them again on the report page.")
	}
	return report.Options{At: moment, Since: since, Audience: audience}, nil
}

// buildReport computes the report for the pickers in the request.
func (srv *server) buildReport(c echo.Context, format, layout string) (*report.Report, error) {
	opts, err := srv.reportOptions(c)
	if err != nil {
		return nil, err
	}
	opts.Layout = layout
	return report.Load(c.Request().Context(), srv.store, c.Param("id"), opts, srv.opts.Now().UTC(), report.DrawsTimelineIn(format, layout))
}

// reportPreview serves the HTML report for the preview frame. The report is
// a self-contained page with its own embedded stylesheet, so this one
// response allows inline style (never script) and framing by parley itself.
func (srv *server) reportPreview(c echo.Context) error {
	rep, err := srv.buildReport(c, "html", "full")
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
	if !slices.Contains(report.FormatNames(), format) {
		return echo.NewHTTPError(http.StatusNotFound, "There is no report format of that name.")
	}
	layout := c.QueryParam("layout")
	if !report.HasLayout(format, layout) {
		return echo.NewHTTPError(http.StatusNotFound, "There is no report layout of that name in this format.")
	}
	rep, err := srv.buildReport(c, format, layout)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := report.RenderLayout(&buf, format, layout, rep); err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": report.LayoutFilename(rep, format, layout)}))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	return c.Blob(http.StatusOK, report.ContentType(format), buf.Bytes())
}
