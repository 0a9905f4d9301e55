package domain

import "regexp"

// MaxPassword is bcrypt's own limit (see package auth): it ignores bytes
// past 72.
const MaxPassword = 72

// MinPassword keeps the worst passwords out.
const MinPassword = 8

var usernamePattern = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9._-]{0,63}$`)

// ValidateUser checks a new account's username, password and role.
func ValidateUser(username, password, role string) FieldErrors {
	var errs FieldErrors
	if !usernamePattern.MatchString(username) {
		errs.Add("username", "must be 1 to 64 letters, digits, dots, dashes or underscores")
	}
	errs = append(errs, ValidatePassword(password)...)
	errs = append(errs, ValidateRole(role)...)
	return errs
}

// ValidatePassword checks a new password on its own (a password reset).
func ValidatePassword(password string) FieldErrors {
	var errs FieldErrors
	if len(password) < MinPassword || len(password) > MaxPassword {
		errs.Add("password", "must be %d to %d bytes long", MinPassword, MaxPassword)
	}
	return errs
}

// ValidateRole checks a role on its own (a role change).
func ValidateRole(role string) FieldErrors {
	var errs FieldErrors
	if !userRoles.Has(Role(role)) {
		errs.Add("role", "must be one of %s", userRoles)
	}
	return errs
}

// Kinds of stored credential. An API token is sent as a bearer token and a
// session as the browser's cookie; neither is accepted as the other, so that
// each keeps its own lifetime.
const (
	TokenAPI     = "api"
	TokenSession = "session"
)
