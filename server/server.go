// Package server is parley's composition root: it builds the echo server,
// mounts the API and the web pages on it as peers, and sends each error to
// the handler of the side whose path it was on. Neither api nor ui knows
// the other; both authenticate through package auth. The command line
// serves what New builds, and tests drive the same thing.
package server

import (
	"github.com/labstack/echo/v4"

	"github.com/parley/parley/api"
	"github.com/parley/parley/domain"
	"github.com/parley/parley/ui"
)

// New builds the whole server over s: the API (/api/v1, /healthz, /readyz,
// /metrics) and the pages (everything else).
func New(s domain.Store, apiOpts api.Options, uiOpts ui.Options) *echo.Echo {
	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	// The client's address feeds the rate limit and sign-in throttling, for
	// the API and the pages alike.
	if apiOpts.TrustProxy {
		e.IPExtractor = echo.ExtractIPFromXFFHeader()
	} else {
		e.IPExtractor = echo.ExtractIPDirect()
	}
	apiErrors := api.Register(e, s, apiOpts)
	pageErrors := ui.Register(e, s, uiOpts)
	e.HTTPErrorHandler = func(err error, c echo.Context) {
		if api.IsAPIPath(c.Request().URL.Path) {
			apiErrors(err, c)
			return
		}
		pageErrors(err, c)
	}
	return e
}
