package api

import (
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/parley/parley/auth"
	"github.com/parley/parley/domain"
)

// bearerToken returns the token of an "Authorization: Bearer …" header, "" if none.
func bearerToken(c echo.Context) string {
	scheme, token, ok := strings.Cut(c.Request().Header.Get(echo.HeaderAuthorization), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	return strings.TrimSpace(token)
}

// requireRole authenticates the request's bearer token as an API token
// (a browser session is not one) and refuses a role below role.
func (h *handlers) requireRole(role domain.Role) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			u := auth.User(c)
			if u == nil {
				var err error
				u, err = auth.Authenticate(c.Request().Context(), h.store, bearerToken(c), domain.TokenAPI, h.now())
				if err != nil {
					return err
				}
				auth.SetUser(c, u)
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
	token, expires, err := auth.Login(c.Request().Context(), h.store, req.Username, req.Password, c.RealIP(), domain.TokenAPI, auth.APITokenTTL, h.now())
	if err != nil {
		return err
	}
	auth.LogUser(c, req.Username)
	return c.JSON(http.StatusOK, loginResponse{Token: token, ExpiresAt: expires})
}

// logout revokes the token the request was made with.
func (h *handlers) logout(c echo.Context) error {
	if err := auth.Revoke(c.Request().Context(), h.store, bearerToken(c)); err != nil {
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
	hash, err := auth.HashPassword(req.Password)
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
		if hash, err = auth.HashPassword(*req.Password); err != nil {
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
