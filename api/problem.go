package api

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/parley/parley/auth"
	"github.com/parley/parley/domain"
)

// problemBase prefixes each problem type URI. The URIs are stable
// identifiers of a class of error (RFC 9457), not pages that must resolve.
const problemBase = "https://parley.dev/problems/"

// Problem is an RFC 9457 problem details document. Every error the API
// answers is one of these.
type Problem struct {
	Type       string             `json:"type"`
	Title      string             `json:"title"`
	Status     int                `json:"status"`
	Detail     string             `json:"detail"`
	Instance   string             `json:"instance,omitempty"`
	Errors     domain.FieldErrors `json:"errors,omitempty"`
	ReferredBy []referrer         `json:"referred_by,omitempty"`
	// ConflictsWith is the existing record a duplicate collides with.
	ConflictsWith *domain.Conflicting `json:"conflicts_with,omitempty"`
	// header is sent along with the problem (WWW-Authenticate, Retry-After).
	header http.Header
}

// referrer names one resource that blocks a delete.
type referrer struct {
	Kind  domain.Kind `json:"kind"`
	ID    string      `json:"id"`
	Field string      `json:"field"`
}

// Error lets a handler return a *Problem it built itself.
func (p *Problem) Error() string { return p.Detail }

// problemClasses fixes the type and title of each status the API answers.
var problemClasses = map[int]struct{ slug, title string }{
	http.StatusBadRequest:            {"malformed-request", "Malformed request"},
	http.StatusUnauthorized:          {"unauthenticated", "Authentication required"},
	http.StatusForbidden:             {"forbidden", "Forbidden"},
	http.StatusNotFound:              {"not-found", "Not found"},
	http.StatusMethodNotAllowed:      {"method-not-allowed", "Method not allowed"},
	http.StatusConflict:              {"conflict", "Conflict"},
	http.StatusPreconditionFailed:    {"precondition-failed", "Precondition failed"},
	http.StatusRequestEntityTooLarge: {"payload-too-large", "Request body too large"},
	http.StatusUnsupportedMediaType:  {"unsupported-media-type", "Unsupported media type"},
	http.StatusUnprocessableEntity:   {"validation", "Invalid input"},
	http.StatusTooManyRequests:       {"too-many-attempts", "Too many attempts"},
	http.StatusInternalServerError:   {"internal", "Internal server error"},
	http.StatusServiceUnavailable:    {"unavailable", "Service unavailable"},
}

// faultProblems fix the answer to each database fault: its status, title
// and what the client is told. The type ends in the cause.
var faultProblems = map[domain.FaultCause]struct {
	status        int
	title, detail string
}{
	domain.FaultUnreachable: {http.StatusServiceUnavailable, "Database unreachable",
		"the database cannot be reached right now; try again in a few seconds"},
	domain.FaultRestarting: {http.StatusServiceUnavailable, "Database restarting",
		"the database is restarting; try again in a few seconds"},
	domain.FaultStorageFull: {http.StatusInsufficientStorage, "Insufficient storage",
		"the database has no space left to store this; reading still works"},
}

// faultProblem is the problem a database fault is answered with, with a
// Retry-After saying when to try again.
func faultProblem(f *domain.FaultError) *Problem {
	fp, ok := faultProblems[f.Cause]
	if !ok {
		fp = faultProblems[domain.FaultUnreachable]
	}
	retry := strconv.Itoa(int(f.Cause.RetryAfter().Seconds()))
	return &Problem{Type: problemBase + string(f.Cause), Title: fp.title, Status: fp.status, Detail: fp.detail,
		header: http.Header{"Retry-After": {retry}}}
}

// newProblem builds a problem of the class of status.
func newProblem(status int, detail string) *Problem {
	class, ok := problemClasses[status]
	if !ok {
		class.slug, class.title = "http-"+strconv.Itoa(status), http.StatusText(status)
	}
	return &Problem{Type: problemBase + class.slug, Title: class.title, Status: status, Detail: detail}
}

// maxBodyBytes is the largest request body the API reads.
const maxBodyBytes = 1 << 20

// retryAfterSeconds is sent with a 429: the throttling window.
var retryAfterSeconds = strconv.Itoa(int(auth.LoginWindow.Seconds()))

// toProblem maps any error a handler returns to the problem the client sees.
// Errors it does not know are internal: their text is logged, never sent.
func toProblem(err error) (p *Problem, internal bool) {
	var (
		prob  *Problem
		mal   *domain.MalformedError
		inv   *domain.ValidationError
		nf    *domain.NotFoundError
		conf  *domain.ConflictError
		pre   *domain.PreconditionError
		httpE *echo.HTTPError
		fault *domain.FaultError
		batch *domain.BatchError
	)
	switch {
	case errors.As(err, &prob):
		return prob, false
	case errors.As(err, &fault):
		return faultProblem(fault), false
	case errors.As(err, &batch):
		p = newProblem(http.StatusUnprocessableEntity, "nothing was written: "+strconv.Itoa(len(batch.Items))+" item(s) are invalid")
		p.Errors = batch.FieldErrors()
	case errors.As(err, &mal):
		p = newProblem(http.StatusBadRequest, mal.Detail)
		p.Errors = mal.Errors
	case errors.As(err, &inv):
		p = newProblem(http.StatusUnprocessableEntity, fmt.Sprintf("the request has %d invalid field(s)", len(inv.Errors)))
		p.Errors = inv.Errors
	case errors.As(err, &nf):
		p = newProblem(http.StatusNotFound, nf.Error())
	case errors.As(err, &conf):
		p = newProblem(http.StatusConflict, conf.Detail)
		if conf.Field != "" {
			p.Errors = domain.FieldErrors{{Field: conf.Field, Message: conf.Detail}}
		}
		p.ConflictsWith = conf.With
		for _, r := range conf.ReferredBy {
			p.ReferredBy = append(p.ReferredBy, referrer{Kind: r.Kind, ID: r.ID, Field: r.Field})
		}
	case errors.As(err, &pre):
		p = newProblem(http.StatusPreconditionFailed, pre.Error())
	case errors.Is(err, domain.ErrUnauthenticated):
		p = newProblem(http.StatusUnauthorized, err.Error())
		p.header = http.Header{"Www-Authenticate": {`Bearer realm="parley"`}}
	case errors.Is(err, domain.ErrForbidden):
		p = newProblem(http.StatusForbidden, err.Error())
	case errors.Is(err, domain.ErrTooManyAttempts):
		p = newProblem(http.StatusTooManyRequests, err.Error())
		p.header = http.Header{"Retry-After": {retryAfterSeconds}}
	case errors.As(err, &httpE):
		return echoProblem(httpE)
	default:
		return newProblem(http.StatusInternalServerError, "an internal error occurred; it has been logged"), true
	}
	return p, false
}

// echoProblem maps the router's own errors (no route, wrong method, …).
func echoProblem(e *echo.HTTPError) (*Problem, bool) {
	switch e.Code {
	case http.StatusNotFound:
		return newProblem(e.Code, "no such resource or route"), false
	case http.StatusMethodNotAllowed:
		return newProblem(e.Code, "the method is not allowed on this resource"), false
	case http.StatusRequestEntityTooLarge:
		return newProblem(e.Code, fmt.Sprintf("the request body exceeds %d bytes", maxBodyBytes)), false
	}
	if e.Code >= 500 {
		return newProblem(http.StatusInternalServerError, "an internal error occurred; it has been logged"), true
	}
	// Echo's message for client errors is its own fixed text, never driver text.
	detail := http.StatusText(e.Code)
	if m, ok := e.Message.(string); ok && m != "" {
		detail = m
	}
	return newProblem(e.Code, detail), false
}

// ErrorHandler returns the echo error handler that answers every error as
// problem+json. The ui package wraps it (e.HTTPErrorHandler) to answer its
// own pages in HTML and delegates everything else here.
func ErrorHandler(logger *slog.Logger) echo.HTTPErrorHandler {
	return func(err error, c echo.Context) {
		if c.Response().Committed {
			return
		}
		p, internal := toProblem(err)
		if internal {
			logger.ErrorContext(c.Request().Context(), "request failed",
				"method", c.Request().Method, "path", c.Request().URL.Path,
				"request_id", c.Response().Header().Get(echo.HeaderXRequestID), "error", err)
			p = newProblem(http.StatusInternalServerError, "an internal error occurred; it has been logged under request id "+c.Response().Header().Get(echo.HeaderXRequestID))
		}
		writeProblem(c, p)
	}
}

func writeProblem(c echo.Context, p *Problem) {
	h := c.Response().Header()
	for k, vs := range p.header {
		for _, v := range vs {
			h.Add(k, v)
		}
	}
	h.Set(echo.HeaderContentType, "application/problem+json")
	if p.Instance == "" {
		p.Instance = c.Request().URL.Path
	}
	if c.Request().Method == http.MethodHead {
		_ = c.NoContent(p.Status)
		return
	}
	// The problem is built from fixed strings and domain errors; encoding it cannot fail.
	_ = c.JSON(p.Status, p)
}
