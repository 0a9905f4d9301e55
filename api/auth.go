package api

import (
	"context"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"
	"github.com/parley/parley/domain"
)

// Sign-in throttling: more failures than these within loginWindow refuse
// further attempts (429) for that username or that client address.
const (
	loginWindow          = 15 * time.Minute
	maxFailuresPerUser   = 5
	maxFailuresPerClient = 20
	// apiTokenTTL is the lifetime of a token from POST /auth/login.
	apiTokenTTL = 720 * time.Hour
	// maxThrottleKey bounds what a client can make us store as a key.
	maxThrottleKey = 100
)

// Authenticate resolves a credential of the given kind (domain.TokenAPI for
// a bearer token, domain.TokenSession for the web UI's cookie) to a user
// (shared with ui). A credential of the other kind is refused.
func Authenticate(ctx context.Context, s domain.Store, token, kind string, now time.Time) (*domain.User, error) {
	if token == "" || len(token) > 256 {
		return nil, domain.ErrUnauthenticated
	}
	u, err := s.UserByToken(ctx, domain.HashToken(token), kind, now)
	if err != nil {
		if isNotFound(err) {
			return nil, domain.ErrUnauthenticated
		}
		return nil, err
	}
	return u, nil
}

// throttleKeys are the login_failures keys for one attempt.
func throttleKeys(username, clientAddr string) (userKey, addrKey string) {
	userKey = "user:" + strings.ToLower(username)
	addrKey = "addr:" + clientAddr
	if len(userKey) > maxThrottleKey {
		userKey = userKey[:maxThrottleKey]
	}
	if len(addrKey) > maxThrottleKey {
		addrKey = addrKey[:maxThrottleKey]
	}
	// The keys are stored as text: a cut inside a character, a NUL or bad
	// UTF-8 from the client would make PostgreSQL refuse them.
	clean := func(k string) string { return strings.ToValidUTF8(strings.ReplaceAll(k, "\x00", ""), "") }
	return clean(userKey), clean(addrKey)
}

// Login checks username/password with throttling (shared with ui): returns a new token of the given kind
// (domain.TokenAPI or domain.TokenSession) and its expiry, or domain.ErrUnauthenticated /
// domain.ErrTooManyAttempts.
func Login(ctx context.Context, s domain.Store, username, password, clientAddr, kind string, ttl time.Duration, now time.Time) (token string, expires time.Time, err error) {
	userKey, addrKey := throttleKeys(username, clientAddr)
	since := now.Add(-loginWindow)
	// The throttle is checked before the password so that a guesser learns
	// nothing more once it applies, not even from a right guess.
	for _, limit := range []struct {
		key string
		max int64
	}{{userKey, maxFailuresPerUser}, {addrKey, maxFailuresPerClient}} {
		n, err := s.CountLoginFailures(ctx, limit.key, since)
		if err != nil {
			return "", time.Time{}, err
		}
		if n >= limit.max {
			return "", time.Time{}, domain.ErrTooManyAttempts
		}
	}

	fail := func() (string, time.Time, error) {
		if err := s.RecordLoginFailure(ctx, []string{userKey, addrKey}, now); err != nil {
			return "", time.Time{}, err
		}
		return "", time.Time{}, domain.ErrUnauthenticated
	}
	// A name with a NUL or bad UTF-8 names no user, and PostgreSQL could not
	// even look it up.
	if len(password) > domain.MaxPassword || username == "" || !utf8.ValidString(username) || strings.IndexByte(username, 0) >= 0 {
		domain.CheckNoPassword(password)
		return fail()
	}
	user, hash, err := s.UserByName(ctx, username)
	if err != nil {
		if !isNotFound(err) {
			return "", time.Time{}, err
		}
		// Spend a password check's time so an unknown user cannot be told
		// from a wrong password.
		domain.CheckNoPassword(password)
		return fail()
	}
	if !domain.CheckPassword(hash, password) {
		return fail()
	}
	if err := s.ClearLoginFailures(ctx, userKey); err != nil {
		return "", time.Time{}, err
	}
	token, tokenHash, err := domain.NewToken()
	if err != nil {
		return "", time.Time{}, err
	}
	expires = now.Add(ttl).UTC().Truncate(time.Second)
	if err := s.CreateToken(ctx, user.ID, tokenHash, kind, expires); err != nil {
		return "", time.Time{}, err
	}
	return token, expires, nil
}

// logUserKey is where a request that authenticates outside requireRole (a
// sign-in, a web UI page) names its user for the access log.
const logUserKey = "parley.log_user"

// LogUser names the user a request acts for in the access log, for requests
// authenticated outside requireRole: a sign-in, a page of the web UI. It
// grants nothing: requireRole does not read it.
func LogUser(c echo.Context, username string) {
	c.Set(logUserKey, username)
}

// loggedUser is the user the access log names: the authenticated one, or
// the one LogUser named.
func loggedUser(c echo.Context) string {
	if u := currentUser(c); u != nil {
		return u.Username
	}
	name, _ := c.Get(logUserKey).(string)
	return name
}

// bearerToken returns the token of an "Authorization: Bearer …" header, "" if none.
func bearerToken(c echo.Context) string {
	scheme, token, ok := strings.Cut(c.Request().Header.Get(echo.HeaderAuthorization), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	return strings.TrimSpace(token)
}

// currentUser is the authenticated user of the request, nil before
// requireRole ran (or on public routes).
func currentUser(c echo.Context) *domain.User {
	u, _ := c.Get(userKey).(*domain.User)
	return u
}

// requireRole authenticates the request's bearer token (unless something
// before it, such as the ui's session check, already did) and refuses a role
// below role.
func (h *handlers) requireRole(role string) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			u := currentUser(c)
			if u == nil {
				var err error
				u, err = Authenticate(c.Request().Context(), h.store, bearerToken(c), domain.TokenAPI, h.now())
				if err != nil {
					return err
				}
				c.Set(userKey, u)
			}
			if !u.Can(role) {
				return domain.ErrForbidden
			}
			return next(c)
		}
	}
}

type loginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

type loginResponse struct {
	Token     string    `json:"token"`
	ExpiresAt time.Time `json:"expires_at"`
}

func (h *handlers) login(c echo.Context) error {
	var req loginRequest
	errs, err := h.readStrict(c, &req)
	if err != nil {
		return err
	}
	// A request without a name or password is incomplete rather than a
	// wrong guess: 422, and no failure counted against the address.
	requireFields(&errs, map[string]string{"username": req.Username, "password": req.Password})
	if err := errs.Err(); err != nil {
		return err
	}
	token, expires, err := Login(c.Request().Context(), h.store, req.Username, req.Password, c.RealIP(), domain.TokenAPI, apiTokenTTL, h.now())
	if err != nil {
		return err
	}
	LogUser(c, req.Username)
	return c.JSON(http.StatusOK, loginResponse{Token: token, ExpiresAt: expires})
}

// logout revokes the token the request was made with.
func (h *handlers) logout(c echo.Context) error {
	if err := h.store.DeleteToken(c.Request().Context(), domain.HashToken(bearerToken(c))); err != nil && !isNotFound(err) {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (h *handlers) listUsers(c echo.Context) error {
	users, err := h.store.ListUsers(c.Request().Context())
	if err != nil {
		return err
	}
	if users == nil {
		users = []domain.User{}
	}
	return c.JSON(http.StatusOK, map[string]any{"items": users})
}

type createUserRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
	Role     string `json:"role"`
}

func (h *handlers) createUser(c echo.Context) error {
	var req createUserRequest
	errs, err := h.readStrict(c, &req)
	if err != nil {
		return err
	}
	for _, fe := range domain.ValidateUser(req.Username, req.Password, req.Role) {
		if errs.On(fe.Field) == "" {
			errs = append(errs, fe)
		}
	}
	if err := errs.Err(); err != nil {
		return err
	}
	hash, err := domain.HashPassword(req.Password)
	if err != nil {
		return err
	}
	u, err := h.store.CreateUser(c.Request().Context(), req.Username, hash, req.Role)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, "/api/v1/users/"+u.ID)
	return c.JSON(http.StatusCreated, u)
}

// userID is the :id of a /users path; one that is not a UUID names nobody,
// so it is a 404 like any unknown id.
func userID(c echo.Context) (string, error) {
	id := c.Param("id")
	if _, err := uuid.Parse(id); err != nil || len(id) != 36 {
		return "", &domain.NotFoundError{Kind: "users", ID: truncate(id, 64)}
	}
	return strings.ToLower(id), nil
}

func (h *handlers) getUser(c echo.Context) error {
	id, err := userID(c)
	if err != nil {
		return err
	}
	u, err := h.store.UserByID(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, u)
}

// patchUserRequest changes a role, a password or both; a field left out
// (or null) stays as it is.
type patchUserRequest struct {
	Role     *string `json:"role"`
	Password *string `json:"password"`
}

// patchUser changes a user's role and/or password. A new password revokes
// every token and session of that user, as `parley user passwd` does. The
// role goes first: if it is refused (the last admin), nothing has changed.
func (h *handlers) patchUser(c echo.Context) error {
	id, err := userID(c)
	if err != nil {
		return err
	}
	var req patchUserRequest
	errs, err := h.readStrict(c, &req)
	if err != nil {
		return err
	}
	if req.Role == nil && req.Password == nil && len(errs) == 0 {
		errs.Add("role", "is required unless password is given")
		errs.Add("password", "is required unless role is given")
	}
	if req.Role != nil && errs.On("role") == "" {
		errs = append(errs, domain.ValidateRole(*req.Role)...)
	}
	if req.Password != nil && errs.On("password") == "" {
		errs = append(errs, domain.ValidatePassword(*req.Password)...)
	}
	if err := errs.Err(); err != nil {
		return err
	}
	role, hash := "", ""
	if req.Role != nil {
		role = *req.Role
	}
	if req.Password != nil {
		if hash, err = domain.HashPassword(*req.Password); err != nil {
			return err
		}
	}
	// One store call, one transaction: a refused role change leaves the
	// password as it was.
	u, err := h.store.UpdateUser(c.Request().Context(), id, role, hash)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, u)
}

// deleteUser removes a user and ends its sign-ins; the last admin stays (409).
func (h *handlers) deleteUser(c echo.Context) error {
	id, err := userID(c)
	if err != nil {
		return err
	}
	if err := h.store.DeleteUser(c.Request().Context(), id); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
