package domain

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"regexp"

	"golang.org/x/crypto/bcrypt"
)

// MaxPassword is bcrypt's own limit: it ignores bytes past 72.
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

// HashPassword hashes a password with bcrypt.
func HashPassword(password string) (string, error) {
	h, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.DefaultCost)
	return string(h), err
}

// CheckPassword reports whether password matches hash.
func CheckPassword(hash, password string) bool {
	return bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) == nil
}

// dummyHash is compared against when a username is unknown, so that an
// unknown user takes as long to refuse as a wrong password.
var dummyHash, _ = bcrypt.GenerateFromPassword([]byte("parley-timing-equalizer"), bcrypt.DefaultCost)

// CheckNoPassword spends the time of a password check and fails.
func CheckNoPassword(password string) bool {
	_ = bcrypt.CompareHashAndPassword(dummyHash, []byte(password))
	return false
}

// Kinds of stored credential. An API token is sent as a bearer token and a
// session as the browser's cookie; neither is accepted as the other, so that
// each keeps its own lifetime.
const (
	TokenAPI     = "api"
	TokenSession = "session"
)

// TokenPrefix marks parley's bearer tokens so that a leaked one is easy to
// recognise in logs and secret scanners.
const TokenPrefix = "prl_"

// NewToken returns a new random credential and the hash to store for it.
// The credential is shown once; only the hash is kept.
func NewToken() (token, hash string, err error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", "", err
	}
	token = TokenPrefix + base64.RawURLEncoding.EncodeToString(b)
	return token, HashToken(token), nil
}

// HashToken is the stored form of a credential. Tokens carry 256 random bits,
// so a fast hash is enough: there is nothing to brute-force.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// RandomPassword makes the first admin's password.
func RandomPassword() (string, error) {
	b := make([]byte, 15)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}
