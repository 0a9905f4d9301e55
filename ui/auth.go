package ui

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/labstack/echo/v4"

	"github.com/parley/parley/auth"
	"github.com/parley/parley/domain"
)

const (
	sessionCookie = "parley_session"
	// loginCSRFCookie protects the sign-in form itself, before any session
	// exists: see loginFormToken.
	loginCSRFCookie = "parley_login_csrf"
	// loginFormTTL is how long a sign-in form may be posted after it was
	// shown.
	loginFormTTL = time.Hour
	// loginSecretName names the installation secret that signs sign-in forms.
	loginSecretName = "login-csrf"
	csrfField       = "csrf"
	// maxFormBytes bounds a form post; the largest form (a demand with many
	// citations) is far below it.
	maxFormBytes = 1 << 20

	ctxSession = "ui.session"
)

// session resolves the session cookie to a user, if there is a valid one.
// Pages that need a user add requireUser after it.
func (srv *server) session(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		ck, err := c.Cookie(sessionCookie)
		if err == nil && ck.Value != "" {
			// Only a session opens pages: an API token set as this cookie
			// would outlive the session's twelve hours.
			u, err := auth.Authenticate(c.Request().Context(), srv.store, ck.Value, domain.TokenSession, srv.opts.Now())
			switch {
			case err == nil && u != nil:
				auth.SetUser(c, u)
				c.Set(ctxSession, ck.Value)
			case err != nil && !errors.Is(err, domain.ErrUnauthenticated):
				// The database failed, which is not the same as "signed out":
				// sending the user to sign in again would not help.
				return err
			}
		}
		return next(c)
	}
}

// requireUser sends anyone not signed in to the sign-in page, and back here
// afterwards.
func (srv *server) requireUser(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if currentUser(c) == nil {
			target := "/login"
			if c.Request().Method == http.MethodGet {
				target += "?next=" + url.QueryEscape(c.Request().URL.RequestURI())
			}
			return c.Redirect(http.StatusSeeOther, target)
		}
		return next(c)
	}
}

// requireEditor refuses viewers: they may read everything and change nothing.
func (srv *server) requireEditor(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if u := currentUser(c); u == nil || !u.Can(domain.RoleEditor) {
			return domain.ErrForbidden
		}
		return next(c)
	}
}

// errBadCSRF is a form post without the token of the session it claims to
// come from: most likely another site submitting on the user's behalf.
var errBadCSRF = echo.NewHTTPError(http.StatusForbidden, "This form has expired or did not come from parley. Go back, reload the page and try again.")

// requireCSRF checks the form's token against the session's. It also caps
// the size of the form before anything parses it.
func (srv *server) requireCSRF(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		r.Body = http.MaxBytesReader(c.Response(), r.Body, maxFormBytes)
		if err := r.ParseForm(); err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				return echo.NewHTTPError(http.StatusRequestEntityTooLarge, "The form is too large.")
			}
			return echo.NewHTTPError(http.StatusBadRequest, "The form could not be read.")
		}
		token, _ := c.Get(ctxSession).(string)
		if token == "" || !sameToken(r.PostForm.Get(csrfField), csrfToken(token)) {
			return errBadCSRF
		}
		return next(c)
	}
}

// csrfToken derives the form token from the session token, so it needs no
// storage and dies with the session. The prefix keeps the two from ever
// being interchangeable.
func csrfToken(session string) string {
	sum := sha256.Sum256([]byte("csrf:" + session))
	return hex.EncodeToString(sum[:])
}

func sameToken(got, want string) bool {
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

func currentUser(c echo.Context) *domain.User {
	return auth.User(c)
}

func actor(c echo.Context) string {
	if u := currentUser(c); u != nil {
		return u.Username
	}
	return ""
}

// secure reports whether cookies should carry the Secure attribute.
func (srv *server) secure(c echo.Context) bool {
	return srv.opts.SecureCookies || c.IsTLS() ||
		strings.EqualFold(c.Request().Header.Get("X-Forwarded-Proto"), "https")
}

func (srv *server) setCookie(c echo.Context, name, value string, maxAge time.Duration) {
	ck := &http.Cookie{
		Name:     name,
		Value:    value,
		Path:     "/",
		HttpOnly: true,
		SameSite: http.SameSiteLaxMode,
		Secure:   srv.secure(c),
	}
	if maxAge > 0 {
		ck.MaxAge = int(maxAge / time.Second)
		ck.Expires = srv.opts.Now().Add(maxAge)
	} else {
		ck.MaxAge = -1
		ck.Expires = time.Unix(1, 0)
	}
	c.SetCookie(ck)
}

type loginData struct {
	Username string
	Next     string
	Error    string
	CSRF     string
}

func (srv *server) loginPage(c echo.Context) error {
	if currentUser(c) != nil {
		return c.Redirect(http.StatusSeeOther, safeNext(c.QueryParam("next")))
	}
	return srv.renderLogin(c, http.StatusOK, loginData{Next: safeNext(c.QueryParam("next"))})
}

// renderLogin shows the sign-in form with a fresh pre-session CSRF token.
func (srv *server) renderLogin(c echo.Context, status int, d loginData) error {
	nonce, err := randomHex(16)
	if err != nil {
		return err
	}
	key, err := srv.loginKey(c.Request().Context())
	if err != nil {
		return err
	}
	value := strconv.FormatInt(srv.opts.Now().Unix(), 10) + "." + nonce
	srv.setCookie(c, loginCSRFCookie, value, loginFormTTL)
	d.CSRF = loginFormToken(key, value)
	v := srv.newView(c, "Sign in")
	v.Data = d
	return srv.render(c, status, "login", v)
}

func (srv *server) login(c echo.Context) error {
	r := c.Request()
	r.Body = http.MaxBytesReader(c.Response(), r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "The form could not be read.")
	}
	if err := srv.checkLoginForm(c); err != nil {
		return err
	}
	d := loginData{Username: strings.TrimSpace(r.PostForm.Get("username")), Next: safeNext(r.PostForm.Get("next"))}
	token, _, err := auth.Login(r.Context(), srv.store, d.Username, r.PostForm.Get("password"), c.RealIP(), domain.TokenSession, auth.SessionTTL, srv.opts.Now())
	switch {
	case errors.Is(err, domain.ErrTooManyAttempts):
		d.Error = "Too many failed attempts. Wait a few minutes, then try again."
		return srv.renderLogin(c, http.StatusTooManyRequests, d)
	case errors.Is(err, domain.ErrUnauthenticated):
		d.Error = "That username and password do not match an account."
		return srv.renderLogin(c, http.StatusUnauthorized, d)
	case err != nil:
		return err
	}
	auth.LogUser(c, d.Username)
	srv.setCookie(c, sessionCookie, token, auth.SessionTTL)
	srv.setCookie(c, loginCSRFCookie, "", 0)
	return c.Redirect(http.StatusSeeOther, d.Next)
}

func (srv *server) logout(c echo.Context) error {
	if token, _ := c.Get(ctxSession).(string); token != "" {
		if err := auth.Revoke(c.Request().Context(), srv.store, token); err != nil {
			return err
		}
	}
	srv.setCookie(c, sessionCookie, "", 0)
	return c.Redirect(http.StatusSeeOther, "/login")
}

// loginFormToken is the sign-in form's CSRF token for the pre-session
// cookie's value (its issue time and a nonce): an HMAC of it under the
// installation's secret. The pair is bound, so a cookie and token of
// someone's own choosing are refused, and a pair parley issued serves for
// loginFormTTL only. A post from another site carries no such cookie
// (SameSite=Lax); one from a sibling site, which could have set it, is
// refused by its Sec-Fetch-Site (checkLoginForm).
func loginFormToken(key []byte, cookie string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("parley login form\x00" + cookie))
	return hex.EncodeToString(m.Sum(nil))
}

// checkLoginForm refuses a sign-in post whose CSRF token is not the one
// parley issued with its pre-session cookie, or came too late, or that the
// browser says came from another site (Sec-Fetch-Site), which no sign-in of
// parley's own ever does.
func (srv *server) checkLoginForm(c echo.Context) error {
	switch c.Request().Header.Get("Sec-Fetch-Site") {
	case "cross-site", "same-site":
		return errBadCSRF
	}
	ck, err := c.Cookie(loginCSRFCookie)
	if err != nil {
		return errBadCSRF
	}
	issued, _, ok := strings.Cut(ck.Value, ".")
	unix, err := strconv.ParseInt(issued, 10, 64)
	if !ok || err != nil {
		return errBadCSRF
	}
	// A little of the future is allowed for the clocks of other instances.
	age := srv.opts.Now().Sub(time.Unix(unix, 0))
	if age > loginFormTTL || age < -time.Minute {
		return errBadCSRF
	}
	key, err := srv.loginKey(c.Request().Context())
	if err != nil {
		return err
	}
	if !sameToken(c.Request().PostForm.Get(csrfField), loginFormToken(key, ck.Value)) {
		return errBadCSRF
	}
	return nil
}

// loginKey is the secret that signs sign-in forms, read from the store
// once and then kept.
func (srv *server) loginKey(ctx context.Context) ([]byte, error) {
	srv.loginKeyMu.Lock()
	defer srv.loginKeyMu.Unlock()
	if srv.loginKeyCache == nil {
		key, err := srv.store.Secret(ctx, loginSecretName)
		if err != nil {
			return nil, err
		}
		srv.loginKeyCache = key
	}
	return srv.loginKeyCache, nil
}

// safeNext keeps the after-sign-in redirect on this site: a local absolute
// path, never "//host" or "/\host", which browsers treat as another origin.
//
// Browsers drop tabs and newlines from a Location before reading it, so
// "/<TAB>/host" would become "//host": any control character refuses the
// address, as does a backslash, which browsers read as a slash.
func safeNext(next string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") ||
		strings.ContainsRune(next, '\\') || strings.IndexFunc(next, unicode.IsControl) >= 0 {
		return "/"
	}
	return next
}

func randomHex(n int) (string, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}
