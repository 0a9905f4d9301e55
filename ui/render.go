package ui

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/parley/parley/domain"
)

// pageTemplate is one page parsed together with the shared layout, so that
// each page can define its own "content" block.
type pageTemplate = template.Template

// crumb is one step of the breadcrumb trail: the way back.
type crumb struct {
	Label string
	URL   string
}

// view is what every page template receives: the layout's needs plus the
// page's own Data.
type view struct {
	Title   string
	Crumbs  []crumb
	User    *domain.User
	CSRF    string
	CanEdit bool
	Flash   string
	Data    any
}

const flashCookie = "parley_flash"

// newView fills in the layout's part and consumes the flash message left by
// the previous request (e.g. "Demand saved").
func (srv *server) newView(c echo.Context, title string, crumbs ...crumb) *view {
	v := &view{Title: title, Crumbs: crumbs, User: currentUser(c)}
	if token, _ := c.Get(ctxSession).(string); token != "" {
		v.CSRF = csrfToken(token)
	}
	v.CanEdit = v.User != nil && v.User.Can(domain.RoleEditor)
	if ck, err := c.Cookie(flashCookie); err == nil && ck.Value != "" {
		if msg, err := url.QueryUnescape(ck.Value); err == nil {
			v.Flash = msg
		}
		srv.setCookie(c, flashCookie, "", 0)
	}
	return v
}

// redirectWithFlash sends the browser on after a successful change (the
// Post/Redirect/Get pattern) with a message for the next page.
func (srv *server) redirectWithFlash(c echo.Context, to, msg string) error {
	srv.setCookie(c, flashCookie, url.QueryEscape(msg), time.Minute)
	return c.Redirect(http.StatusSeeOther, to)
}

func (srv *server) render(c echo.Context, status int, page string, v *view) error {
	t, ok := srv.pages[page]
	if !ok {
		return fmt.Errorf("ui: no template %q", page)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", v); err != nil {
		return fmt.Errorf("ui: render %s: %w", page, err)
	}
	setPageHeaders(c.Response().Header())
	return c.HTMLBlob(status, buf.Bytes())
}

// errorData is the body of the HTML error page.
type errorData struct {
	Status  int
	Heading string
	Message string
	// Retry is set when the database failed: the page offers to try again.
	Retry *retryData
}

// retryData lets a request the database could not serve be made again:
// a page is reloaded, a form is sent again with what was typed in it.
type retryData struct {
	Link   string        // a page to load again
	Action string        // where a form goes, sent again with Fields
	Fields []postedField // a form's fields, sent again by the button
	Typed  []postedField // those a person typed, shown for copying
}

type postedField struct{ Name, Value string }

// renderError turns any error on a page path into an HTML page with the
// right status. Driver and internal text never reach the page: only domain
// errors and messages written for people are shown.
func (srv *server) renderError(c echo.Context, err error) {
	if c.Response().Committed {
		return
	}
	d := errorData{Status: http.StatusInternalServerError, Heading: "Something went wrong",
		Message: "parley could not complete this request. Try again; if it keeps failing, tell your administrator."}
	var (
		nf    *domain.NotFoundError
		he    *echo.HTTPError
		fault *domain.FaultError
	)
	switch {
	case errors.As(err, &fault):
		// Logged and counted where it happened (api's access log).
		d = srv.faultPage(c, fault)
	case errors.As(err, &nf):
		d = errorData{Status: http.StatusNotFound, Heading: "Not found", Message: fmt.Sprintf("There is no such %s. It may have been deleted.", nf.Kind.Singular())}
	case errors.Is(err, domain.ErrForbidden):
		d = errorData{Status: http.StatusForbidden, Heading: "Not allowed", Message: "Your role lets you read but not change this. Ask an administrator for editor rights."}
	case errors.Is(err, domain.ErrUnauthenticated):
		d = errorData{Status: http.StatusUnauthorized, Heading: "Please sign in", Message: "Your session has ended. Sign in again."}
	case errors.As(err, &he):
		d.Status = he.Code
		switch he.Code {
		case http.StatusNotFound:
			d.Heading, d.Message = "Not found", "There is no page at this address."
		case http.StatusMethodNotAllowed:
			d.Heading, d.Message = "Not possible here", "This page cannot be used that way."
		case http.StatusForbidden:
			d.Heading, d.Message = "Not allowed", "This request was refused."
		case http.StatusRequestEntityTooLarge:
			d.Heading, d.Message = "Too large", "The form is too large."
		default:
			if he.Code < 500 {
				d.Heading, d.Message = http.StatusText(he.Code), "The request could not be handled."
			}
		}
		// Messages we wrote ourselves (strings given to NewHTTPError in
		// this package) are meant for people; echo's own are replaced above.
		if msg, ok := he.Message.(string); ok && he.Code < 500 && strings.HasSuffix(msg, ".") {
			d.Message = msg
		}
	}
	if errors.Is(err, context.Canceled) {
		// The browser went away (it navigated elsewhere): nobody to answer.
		return
	}
	if d.Status >= 500 && fault == nil {
		c.Logger().Error(err)
	}
	v := srv.newView(c, d.Heading, crumb{"Negotiations", "/"})
	v.Data = d
	if rerr := srv.render(c, d.Status, "error", v); rerr != nil {
		c.Logger().Error(rerr)
		_ = c.String(http.StatusInternalServerError, "Internal error")
	}
}

// faultPage says that the database, not the user, failed, and keeps what
// a form held so that nothing typed is lost.
func (srv *server) faultPage(c echo.Context, fault *domain.FaultError) errorData {
	c.Response().Header().Set("Retry-After", strconv.Itoa(int(fault.Cause.RetryAfter().Seconds())))
	d := errorData{Status: http.StatusServiceUnavailable, Heading: "The database is unavailable",
		Message: "parley cannot reach its database right now, so this could not be done. Try again in a few seconds.",
		Retry:   &retryData{}}
	if !fault.Unavailable() {
		d.Status, d.Heading = http.StatusInsufficientStorage, "The database is full"
		d.Message = "parley's database has no space left, so this change was not saved. Reading still works; tell your administrator."
	}
	switch c.Request().Method {
	case http.MethodGet, http.MethodHead:
		d.Retry.Link = c.Request().URL.RequestURI()
	case http.MethodPost:
		if fault.Unavailable() {
			d.Message = "parley cannot reach its database right now, so your change was not saved (or, if the database went away the moment it saved it, not confirmed). Send it again in a few seconds."
		}
		d.Retry.Fields, d.Retry.Typed = postedFields(c)
		if len(d.Retry.Fields) > 0 {
			d.Retry.Action = c.Request().URL.RequestURI()
		}
	}
	return d
}

// postedFields reads the form of a failed POST (a failure in the session
// check comes before anything parsed it). A form holding a password gives
// nothing: a page never echoes a password, so that form must be sent again
// from the browser's Back, which still has it.
func postedFields(c echo.Context) (all, typed []postedField) {
	r := c.Request()
	if r.PostForm == nil {
		r.Body = http.MaxBytesReader(c.Response(), r.Body, maxFormBytes)
		if r.ParseForm() != nil {
			return nil, nil
		}
	}
	names := make([]string, 0, len(r.PostForm))
	for name := range r.PostForm {
		if strings.Contains(name, "password") {
			return nil, nil
		}
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		for _, v := range r.PostForm[name] {
			all = append(all, postedField{name, v})
			if name != csrfField && name != "version" && name != "negotiation" && strings.TrimSpace(v) != "" {
				typed = append(typed, postedField{name, v})
			}
		}
	}
	return all, typed
}

var funcs = template.FuncMap{
	"mark":          handlingMark,
	"label":         labelOf,
	"categoryLabel": domain.CategoryLabel,
	"termList":      termList,
	"webURL":        webURL,
	"when":          formatTime,
	"short":         shortText,
	"lower":         strings.ToLower,
	"jsonValue":     jsonValue,
	"add":           func(a, b int) int { return a + b },
	// topicStates and stances are the one definition of each, for legends.
	"topicStates": func() []domain.StateDefinition { return domain.TopicStateDefinitions },
	"stances":     func() []domain.StanceDefinition { return domain.StanceDefinitions },
	"act": func(kind, id string, canEdit bool) rowActions {
		return rowActions{Kind: kind, ID: id, CanEdit: canEdit}
	},
	"answersOf": func(o objectionView, canEdit bool, negotiationID string) answersBlock {
		return answersBlock{Objection: o, CanEdit: canEdit, NegotiationID: negotiationID}
	},
	"grading": func(c domain.Citation) string {
		return c.Grading()
	},
	"anyChecked": func(cs []roundChoice) bool {
		for _, c := range cs {
			if c.Checked {
				return true
			}
		}
		return false
	},
	// quoteStart is a long quote's first lines, "" for a short one, which
	// is shown whole.
	"quoteStart": func(s string) string {
		if start, cut := domain.Excerpt(s, longQuote); cut {
			return start
		}
		return ""
	},
	"words":     func(s string) int { return len(strings.Fields(s)) },
	"clock":     readableTime,
	"day":       domain.FormatDay,
	"published": publishedText,
}

// publishedText writes when a source was published: a day as "16 May
// 2025", a time as "16 May 2025, 12:13 UTC"; anything else as stored.
func publishedText(s string) string {
	if _, ok := domain.DayStart(s); ok {
		return domain.FormatDay(s)
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return formatTime(t)
	}
	return s
}

// termLine is one term of a demand as pages show it.
type termLine struct {
	Label string
	Value string
}

// termList lists a demand's terms in the analyst's order, each named and
// written as the compare view and the reports do: a term its topic
// defines by the definition (a demandWithTopic carries it), any other by
// domain.TermLabel and domain.TermText.
func termList(v any) []termLine {
	switch x := v.(type) {
	case demandWithTopic:
		return termLines(x.Demand, x.topic)
	case *domain.Demand:
		return termLines(x, nil)
	}
	return nil
}

func termLines(d *domain.Demand, topic *domain.Topic) []termLine {
	keys := d.OrderedTermKeys()
	out := make([]termLine, len(keys))
	for i, k := range keys {
		if def, ok := topicDefinition(topic, k); ok {
			out[i] = termLine{Label: def.DisplayLabel(), Value: domain.FormatTermValue(def, d.Terms[k])}
			continue
		}
		label, _ := domain.TermLabel(k)
		out[i] = termLine{Label: label, Value: domain.TermText(k, d.Terms[k])}
	}
	return out
}

func topicDefinition(t *domain.Topic, key string) (domain.TermDefinition, bool) {
	if t == nil {
		return domain.TermDefinition{}, false
	}
	return t.TermDefinitionByKey(key)
}

// demandWithTopic is a demand shown with the topic whose definitions name
// and write its terms.
type demandWithTopic struct {
	*domain.Demand
	topic *domain.Topic
}

// longQuote is the length past which a quote is folded away under its
// source, so that a page of sources stays a page of sources.
const longQuote = 280

// rowActions is the history, edit and delete links of one listed resource;
// edit and delete show only to editors.
type rowActions struct {
	Kind    string
	ID      string
	CanEdit bool
}

// mustParseTemplates parses every page with the layout. A broken template is
// a programming error caught by any test, so it panics.
func mustParseTemplates(assetVersions map[string]string) map[string]*pageTemplate {
	pageFuncs := template.FuncMap{
		// asset is a static file's versioned URL, which may be cached for good.
		"asset": func(name string) (string, error) {
			v, ok := assetVersions[name]
			if !ok {
				return "", fmt.Errorf("ui: no static file %q", name)
			}
			return "/static/" + name + "?v=" + v, nil
		},
	}
	pages := map[string]*pageTemplate{}
	files, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		panic(err)
	}
	for _, f := range files {
		name := strings.TrimSuffix(path.Base(f), ".html")
		if name == "layout" || strings.HasPrefix(name, "_") {
			continue
		}
		t := template.Must(template.New(name).Funcs(funcs).Funcs(pageFuncs).ParseFS(templateFS, "templates/layout.html", "templates/_*.html", f))
		pages[name] = t
	}
	return pages
}

// enumLabel turns an enumeration value into words: "senior_official" ->
// "senior official".
func enumLabel(s string) string { return strings.ReplaceAll(s, "_", " ") }

// labelOf is enumLabel for templates, which hand it typed enumeration
// values (domain.DemandStatus, domain.PartyKind…) as well as plain
// strings; anything else has no label.
func labelOf(v any) string {
	if rv := reflect.ValueOf(v); rv.Kind() == reflect.String {
		return enumLabel(rv.String())
	}
	return ""
}

// webURL returns the address as a safe link target, or "" when it is not an
// absolute http(s) URL; templates then show it as plain text.
func webURL(raw string) template.URL {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return template.URL(u.String()) //nolint:gosec // only an absolute http(s) URL gets here, re-serialised by net/url
}

func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2 Jan 2006, 15:04 UTC")
}

func shortText(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return strings.TrimSpace(string(r[:n])) + "…"
}

// jsonValue writes a field's value from a history revision for people:
// text as is, lists and objects as compact JSON, absent as an em dash.
func jsonValue(v any) string {
	switch x := v.(type) {
	case nil:
		return "—"
	case string:
		if x == "" {
			return "(empty)"
		}
		return x
	case bool, float64, json.Number:
		return domain.FormatTerm(x)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}
