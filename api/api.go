// Package api serves parley's REST API under /api/v1 with echo: the eight
// collections, authentication, history and the OpenAPI document. Handlers
// decode, call the store and encode; rules live in domain.
package api

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/parley/parley/auth"
	"github.com/parley/parley/domain"
)

// Options configures New.
type Options struct {
	Logger *slog.Logger // nil -> discard
	// TrustProxy: take the client address from X-Forwarded-For (behind a
	// load balancer), for the rate limit and sign-in throttling. The
	// composition root (package server) applies it to the whole server.
	TrustProxy bool
	Now        func() time.Time // nil -> time.Now; tests override

	// RateLimit is how many requests per second one client address may make
	// to the API and the pages, sustained; RateBurst how many it may make at
	// once. 0 -> DefaultRateLimit (burst three seconds' worth); a negative
	// RateLimit turns limiting off. /healthz, /readyz and /metrics are exempt,
	// and so are loopback clients: behind a reverse proxy on the same host
	// without TrustProxy, every user would otherwise share one budget.
	RateLimit float64
	RateBurst int

	// DBStats reports the database connection pools by name ("writer",
	// "reader") for /metrics; nil leaves the pool gauges out. A function
	// rather than the store keeps api independent of store.
	DBStats func() map[string]sql.DBStats
	// MetricsToken, when set, is the bearer token /metrics requires. /metrics
	// is otherwise open: keep it off the public internet.
	MetricsToken string
	// HTTPSOnly says the site is reached over HTTPS alone, through a TLS
	// proxy that may not say so (no X-Forwarded-Proto): every response then
	// carries Strict-Transport-Security, as it does anyway when the request
	// came over TLS or X-Forwarded-Proto says https.
	HTTPSOnly bool
}

// handlers holds what every handler needs. The routes it registers are kept
// in routes so that the OpenAPI document describes exactly them.
type handlers struct {
	store  domain.Store
	logger *slog.Logger
	now    func() time.Time
	faults *faults

	routes  []route
	docOnce sync.Once
	doc     []byte
	docErr  error
}

// Register mounts the API on e, beside the web pages (see package server,
// which builds e): /healthz, /readyz, /metrics and /api/v1. It also installs
// the middleware every response goes through, pages included: request ids,
// security headers, metrics, the access log, the rate limit and panic
// recovery. It returns the handler that answers errors on the API's paths
// as problem+json; the caller sends those paths' errors to it.
func Register(e *echo.Echo, s domain.Store, opts Options) echo.HTTPErrorHandler {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	h := &handlers{store: s, logger: opts.Logger, now: opts.Now}
	m := newMetrics(opts)
	h.faults = newFaults(s, opts.Logger, m.dbErrors)
	// Metrics wrap the access log, which answers errors itself, so both see
	// the status sent; the rate limit sits inside them so that refusals are
	// logged and counted.
	chain := []echo.MiddlewareFunc{requestID, securityHeaders(opts.HTTPSOnly), m.instrument, h.accessLog}
	if limiter := newRateLimiter(opts.RateLimit, opts.RateBurst); limiter != nil {
		chain = append(chain, limiter.middleware)
	}
	e.Use(append(chain, h.recoverPanic)...)

	e.GET("/healthz", h.healthz)
	e.GET("/readyz", h.readyz)
	e.GET(metricsPath, m.handler())
	h.register(e.Group("/api/v1"))
	return ErrorHandler(opts.Logger)
}

// IsAPIPath reports whether a path belongs to the API, whose errors are
// problem+json.
func IsAPIPath(p string) bool {
	return p == "/api" || strings.HasPrefix(p, "/api/") || p == "/healthz" || p == "/readyz"
}

// requestIDKey is where the request id is kept on the echo context.
const requestIDKey = "parley.request_id"

// requestID gives every request an id, taken from the client when it sent a
// sane one (so a proxy's id carries through), and echoes it back.
func requestID(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		id := c.Request().Header.Get(echo.HeaderXRequestID)
		if !saneRequestID(id) {
			id = uuid.NewString()
		}
		c.Set(requestIDKey, id)
		c.Response().Header().Set(echo.HeaderXRequestID, id)
		return next(c)
	}
}

func saneRequestID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
			return false
		}
	}
	return true
}

// hsts keeps browsers on HTTPS for a year once they have seen it over
// HTTPS. Subdomains are left alone: they may be other people's sites.
const hsts = "max-age=31536000"

// securityHeaders are set before the handler runs so that errors carry them
// too. HSTS goes with every response served over HTTPS, or said to be
// (browsers ignore it over plain HTTP, so a forged X-Forwarded-Proto gains
// nothing), and with every response when httpsOnly.
func securityHeaders(httpsOnly bool) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			h := c.Response().Header()
			h.Set("X-Content-Type-Options", "nosniff")
			h.Set("X-Frame-Options", "DENY")
			h.Set("Referrer-Policy", "no-referrer")
			if httpsOnly || c.IsTLS() || strings.EqualFold(c.Request().Header.Get(echo.HeaderXForwardedProto), "https") {
				h.Set("Strict-Transport-Security", hsts)
			}
			if p := c.Request().URL.Path; p == "/api/v1" || strings.HasPrefix(p, "/api/v1/") {
				h.Set("Cache-Control", "no-store")
			}
			return next(c)
		}
	}
}

// accessLog writes one structured line per request. It hands errors to the
// error handler itself so that the status it logs is the one sent.
func (h *handlers) accessLog(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			// A database fault is answered as one (503, 507), on the API
			// and the pages alike, and logged here, sparingly.
			c.Error(h.faults.observe(c.Request().Context(), err))
		}
		h.logger.LogAttrs(c.Request().Context(), slog.LevelInfo, "request",
			slog.String("method", c.Request().Method),
			slog.String("route", c.Path()),
			slog.String("path", c.Request().URL.Path),
			slog.Int("status", c.Response().Status),
			slog.Duration("duration", time.Since(start)),
			slog.String("request_id", c.Response().Header().Get(echo.HeaderXRequestID)),
			slog.String("user", auth.LoggedUser(c)),
		)
		return nil
	}
}

// recoverPanic turns a panic into a logged 500; the client sees a plain
// problem without the stack.
func (h *handlers) recoverPanic(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) (err error) {
		defer func() {
			if r := recover(); r != nil {
				if r == http.ErrAbortHandler {
					panic(r)
				}
				h.logger.ErrorContext(c.Request().Context(), "panic", "panic", fmt.Sprint(r), "stack", string(debug.Stack()),
					"request_id", c.Response().Header().Get(echo.HeaderXRequestID))
				err = fmt.Errorf("panic: %v", r)
			}
		}()
		return next(c)
	}
}

func (h *handlers) healthz(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
}

// readyTimeout bounds /readyz's database check, so that it answers within
// a second of an outage even when the database does not answer at all.
const readyTimeout = 800 * time.Millisecond

// readyz answers 200 while the database answers and can store more, and 503
// otherwise, with a problem whose type names the cause — storage-full too:
// an instance that cannot write should get no traffic that writes.
func (h *handlers) readyz(c echo.Context) error {
	ctx, cancel := context.WithTimeout(c.Request().Context(), readyTimeout)
	defer cancel()
	if err := h.store.Ping(ctx); err != nil {
		fe := h.faults.of(err)
		if fe == nil {
			// Whatever else kept the database from answering in time, it
			// is not ready.
			fe = &domain.FaultError{Cause: domain.FaultUnreachable, FreeBytes: -1, Err: err}
		}
		h.faults.note(ctx, fe)
		p := faultProblem(fe)
		if fe.Cause == domain.FaultStorageFull {
			p.Status, p.Detail = http.StatusServiceUnavailable, "the database's storage is full: writes fail until space is freed; reads still work"
		}
		return p
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "ready"})
}
