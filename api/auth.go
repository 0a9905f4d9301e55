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

// Sign-in throttling. Each attempt is counted against three limits and
// recorded as pending in one atomic step (domain.Store.ReserveLoginAttempt)
// before any password is checked, so parallel guesses cannot slip past a
// count that none of them has been added to yet:
//
//   - one username from one address: at most maxAttemptsPerPair passwords
//     checked in loginWindow while any of them fail. This is what limits
//     guessing. Once reached it holds back the right password too, so that
//     a guesser learns nothing from the answer, not even from a right guess.
//   - one address, any username: maxFailuresPerClient failures in
//     loginWindow, against trying one password on many accounts.
//   - one username, any address: maxFailuresPerUser failures in
//     userCeilingWindow, a ceiling on guessing spread over many addresses.
//     It does not bind an address the user has signed in from within
//     knownAddressWindow.
//
// Nothing locks the account itself: while someone guesses a user's password
// elsewhere, the user still signs in from an address that has not been
// failing (and, under the ceiling, from one they have used before). An
// address is an IPv4 address or an IPv6 /64, the block one subscriber holds.
const (
	loginWindow          = 15 * time.Minute
	maxAttemptsPerPair   = 5
	maxFailuresPerClient = 20
	userCeilingWindow    = 24 * time.Hour
	maxFailuresPerUser   = 100
	knownAddressWindow   = 30 * 24 * time.Hour
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

// throttleKey makes a login_attempts key: bounded, and free of what
// PostgreSQL refuses in text (a NUL, bad UTF-8, a character cut in two).
func throttleKey(prefix, value string) string {
	k := prefix + value
	if len(k) > maxThrottleKey {
		k = k[:maxThrottleKey]
	}
	return strings.ToValidUTF8(strings.ReplaceAll(k, "\x00", ""), "")
}

// loginLimits are the limits one sign-in attempt is held to; see above.
func loginLimits(username, clientAddr string, now time.Time) []domain.LoginLimit {
	addr, _ := clientKey(clientAddr)
	name := strings.ToLower(username)
	pair := throttleKey("pair:"+throttleKey("", addr)+" ", name)
	since := now.Add(-loginWindow)
	return []domain.LoginLimit{
		{Key: pair, Max: maxAttemptsPerPair, Since: since, CountSuccesses: true},
		{Key: throttleKey("addr:", addr), Max: maxFailuresPerClient, Since: since},
		{Key: throttleKey("user:", name), Max: maxFailuresPerUser, Since: now.Add(-userCeilingWindow),
			UnlessKnown: pair, KnownSince: now.Add(-knownAddressWindow)},
	}
}

// Login checks username/password with throttling (shared with ui): returns a new token of the given kind
// (domain.TokenAPI or domain.TokenSession) and its expiry, or domain.ErrUnauthenticated /
// domain.ErrTooManyAttempts.
func Login(ctx context.Context, s domain.Store, username, password, clientAddr, kind string, ttl time.Duration, now time.Time) (token string, expires time.Time, err error) {
	attempt, err := s.ReserveLoginAttempt(ctx, loginLimits(username, clientAddr, now), now)
	if err != nil {
		return "", time.Time{}, err
	}
	// On an error below the attempt stays pending, which counts as failed.
	user, ok, err := checkCredentials(ctx, s, username, password)
	if err != nil {
		return "", time.Time{}, err
	}
	if err := s.FinishLoginAttempt(ctx, attempt, ok, now); err != nil {
		return "", time.Time{}, err
	}
	if !ok {
		return "", time.Time{}, domain.ErrUnauthenticated
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

// checkCredentials reports whether the password is the user's. Every
// refusal costs one bcrypt comparison, so that an unknown user cannot be
// told from a wrong password by the time it takes.
func checkCredentials(ctx context.Context, s domain.Store, username, password string) (*domain.User, bool, error) {
	// A name with a NUL or bad UTF-8 names no user, and PostgreSQL could not
	// even look it up.
	if len(password) > domain.MaxPassword || username == "" || !utf8.ValidString(username) || strings.IndexByte(username, 0) >= 0 {
		return nil, domain.CheckNoPassword(password), nil
	}
	user, hash, err := s.UserByName(ctx, username)
	if err != nil {
		if !isNotFound(err) {
			return nil, false, err
		}
		return nil, domain.CheckNoPassword(password), nil
	}
	return user, domain.CheckPassword(hash, password), nil
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
func (h *handlers) requireRole(role domain.Role) echo.MiddlewareFunc {
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
	u, err := h.store.CreateUser(c.Request().Context(), req.Username, hash, domain.Role(req.Role))
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
	u, err := h.store.UpdateUser(c.Request().Context(), id, domain.Role(role), hash)
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
