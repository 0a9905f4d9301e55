// Package ui is parley's web interface: server-rendered html/template pages
// that work without JavaScript, on top of the same domain.Store as the API.
// No page calls the JSON API over HTTP.
package ui

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/parley/parley/domain"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Options configures the web interface.
type Options struct {
	// SecureCookies forces the Secure attribute on cookies; otherwise they
	// are Secure when the request came over TLS or X-Forwarded-Proto=https.
	SecureCookies bool
	// Now is the clock; nil means time.Now. Tests override it.
	Now func() time.Time
}

// server holds what every page handler needs.
type server struct {
	store domain.Store
	opts  Options
	pages map[string]*pageTemplate

	loginKeyMu    sync.Mutex
	loginKeyCache []byte
}

// Register mounts every page under / (not /api) on e, beside the API (see
// package server, which builds e), and serves /static/*. It returns the
// handler that renders errors as HTML error pages; the caller sends the
// pages' errors to it.
func Register(e *echo.Echo, s domain.Store, opts Options) echo.HTTPErrorHandler {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	static, err := fs.Sub(staticFS, "static")
	if err != nil {
		panic(err) // the embedded tree is fixed at build time
	}
	versions := assetVersions(static)
	srv := &server{store: s, opts: opts, pages: mustParseTemplates(versions)}

	fileServer := http.StripPrefix("/static/", http.FileServer(http.FS(static)))
	e.GET("/static/*", func(c echo.Context) error {
		// Only the files themselves: no listing of the directories.
		if p := c.Param("*"); p == "" || strings.HasSuffix(p, "/") {
			return echo.ErrNotFound
		}
		h := c.Response().Header()
		h.Set("X-Content-Type-Options", "nosniff")
		version, known := versions[c.Param("*")]
		if known {
			// Embedded files carry no modification time; the hash lets a
			// browser revalidate with If-None-Match instead.
			h.Set("ETag", `"`+version+`"`)
		}
		if known && c.QueryParam("v") == version {
			// Pages link each asset by the hash of its content, so this URL
			// names these exact bytes: an upgrade changes the URL, not what
			// it answers, and browsers may keep it for good.
			h.Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			// An unversioned or outdated URL gets today's file, which must
			// not be kept under that name past the next upgrade.
			h.Set("Cache-Control", "no-cache")
		}
		fileServer.ServeHTTP(c.Response(), c.Request())
		return nil
	})

	srv.routes(e)
	return func(err error, c echo.Context) { srv.renderError(c, err) }
}

// assetVersions hashes every embedded static file once: the first 12 hex
// digits of its SHA-256, which pages put in the asset's URL.
func assetVersions(static fs.FS) map[string]string {
	versions := map[string]string{}
	err := fs.WalkDir(static, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(static, name)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		versions[name] = hex.EncodeToString(sum[:])[:12]
		return nil
	})
	if err != nil {
		panic(err) // the embedded tree is fixed at build time
	}
	return versions
}

// routes registers every page. Each route names its middleware itself rather
// than sharing an echo.Group: a group with middleware registers a catch-all
// that would swallow the API's 404s.
func (srv *server) routes(e *echo.Echo) {
	open := []echo.MiddlewareFunc{srv.headers, srv.session}
	read := append(open[:len(open):len(open)], srv.requireUser)
	write := append(read[:len(read):len(read)], srv.requireCSRF, srv.requireEditor)
	edit := append(read[:len(read):len(read)], srv.requireEditor)

	e.GET("/login", srv.loginPage, open...)
	e.POST("/login", srv.login, open...)
	e.POST("/logout", srv.logout, append(read[:len(read):len(read)], srv.requireCSRF)...)

	e.GET("/", srv.negotiationList, read...)
	e.GET("/parties", srv.partyList, read...)
	e.GET("/parties/:id", srv.partyPage, read...)
	e.GET("/categories", srv.categoryList, read...)
	e.GET("/categories/go", srv.categoryChoice, read...)
	e.GET("/categories/:key", srv.categoryPage, read...)
	e.GET("/negotiations/:id", srv.overview, read...)
	e.GET("/negotiations/:id/matrix", srv.matrix, read...)
	e.GET("/negotiations/:id/compare", srv.comparePage, read...)
	e.GET("/negotiations/:id/timeline", srv.timeline, read...)
	e.GET("/negotiations/:id/report", srv.reportPage, read...)
	e.GET("/negotiations/:id/report/preview", srv.reportPreview, read...)
	e.GET("/negotiations/:id/report/download", srv.reportDownload, read...)
	e.POST("/negotiations/:id/reports", srv.issueReport, write...)
	e.GET("/negotiations/:id/reports", srv.issuedList, read...)
	e.GET("/reports/:id/file", srv.issuedFile, read...)
	e.GET("/reports/:id/history", srv.issuedHistory, read...)
	// Deleting an issued report is for admins alone; the handler says so.
	e.POST("/reports/:id/delete", srv.deleteIssued, append(read[:len(read):len(read)], srv.requireCSRF)...)
	e.GET("/demands/:id", srv.demandPage, read...)
	e.GET("/negotiations/:id/import", srv.importPage, edit...)
	e.GET("/negotiations/:id/record", srv.recordReaction, edit...)
	e.POST("/negotiations/:id/record", srv.recordReaction, write...)
	e.GET("/demands/:id/position", srv.newPosition, edit...)
	e.POST("/demands/:id/position", srv.newPosition, write...)
	e.GET("/negotiations/:id/import/template", srv.importTemplate, read...)
	upload := append(read[:len(read):len(read)], srv.requireUploadCSRF, srv.requireEditor)
	e.POST("/negotiations/:id/import/check", srv.importCheck, upload...)
	e.POST("/negotiations/:id/import", srv.importConfirm, upload...)

	// Managing users is for admins alone.
	admin := append(read[:len(read):len(read)], srv.requireAdmin)
	adminWrite := append(read[:len(read):len(read)], srv.requireCSRF, srv.requireAdmin)
	e.GET("/users", srv.userList, admin...)
	e.POST("/users", srv.createUser, adminWrite...)
	e.GET("/users/:id", srv.userPage, admin...)
	e.POST("/users/:id/role", srv.setRole, adminWrite...)
	e.POST("/users/:id/password", srv.setPassword, adminWrite...)
	e.GET("/users/:id/delete", srv.userDeleteConfirm, admin...)
	e.POST("/users/:id/delete", srv.deleteUser, adminWrite...)

	for _, k := range domain.Kinds {
		base := "/" + string(k)
		e.GET(base+"/:id/history", func(c echo.Context) error { return srv.history(c, k) }, read...)
		e.GET(base+"/new", func(c echo.Context) error { return srv.newForm(c, k) }, edit...)
		e.POST(base+"/new", func(c echo.Context) error { return srv.create(c, k) }, write...)
		e.GET(base+"/:id/edit", func(c echo.Context) error { return srv.editForm(c, k) }, edit...)
		e.POST(base+"/:id/edit", func(c echo.Context) error { return srv.update(c, k) }, write...)
		e.GET(base+"/:id/delete", func(c echo.Context) error { return srv.deleteConfirm(c, k) }, edit...)
		e.POST(base+"/:id/delete", func(c echo.Context) error { return srv.delete(c, k) }, write...)
	}
}

// headers sets the security headers of every page. The policy allows no
// inline script or style at all, which is why templates use no style=
// attributes and the JavaScript lives in /static.
func (srv *server) headers(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		setPageHeaders(c.Response().Header())
		return next(c)
	}
}

const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"frame-ancestors 'none'; form-action 'self'; base-uri 'none'"

func setPageHeaders(h http.Header) {
	h.Set("Content-Security-Policy", contentSecurityPolicy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "same-origin")
	// Pages show what a signed-in user may see; no shared cache may keep them.
	h.Set("Cache-Control", "no-store")
}
