package auth

import (
	"github.com/labstack/echo/v4"

	"github.com/parley/parley/domain"
)

// Keys on the echo context. They are the same for the API and the pages,
// so that the access log names whoever acted, wherever.
const (
	userKey    = "parley.user"
	logUserKey = "parley.log_user"
)

// SetUser records the request's authenticated user.
func SetUser(c echo.Context, u *domain.User) { c.Set(userKey, u) }

// User is the request's authenticated user, nil when nobody authenticated
// (yet, or on a public route).
func User(c echo.Context) *domain.User {
	u, _ := c.Get(userKey).(*domain.User)
	return u
}

// LogUser names the user a request acts for in the access log when the
// request authenticated no one itself, as a sign-in does. It grants
// nothing: nothing that checks a role reads it.
func LogUser(c echo.Context, username string) { c.Set(logUserKey, username) }

// LoggedUser is the user the access log names: the authenticated one, else
// the one LogUser named, else "".
func LoggedUser(c echo.Context) string {
	if u := User(c); u != nil {
		return u.Username
	}
	name, _ := c.Get(logUserKey).(string)
	return name
}
