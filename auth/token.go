package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"time"

	"github.com/parley/parley/domain"
)

// Lifetimes of the two kinds of credential (domain.TokenAPI and
// domain.TokenSession).
const (
	// APITokenTTL is the lifetime of a token from the API's sign-in.
	APITokenTTL = 720 * time.Hour
	// SessionTTL is the lifetime of a web UI session.
	SessionTTL = 12 * time.Hour
)

// TokenPrefix marks parley's bearer tokens so that a leaked one is easy to
// recognise in logs and secret scanners.
const TokenPrefix = "prl_"

// maxToken bounds a presented credential; longer ones are not ours.
const maxToken = 256

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

// Authenticate resolves a credential of the given kind (domain.TokenAPI for
// a bearer token, domain.TokenSession for the web UI's cookie) to a user. A
// credential of the other kind, an unknown or an expired one is
// domain.ErrUnauthenticated.
func Authenticate(ctx context.Context, s domain.Store, token, kind string, now time.Time) (*domain.User, error) {
	if token == "" || len(token) > maxToken {
		return nil, domain.ErrUnauthenticated
	}
	u, err := s.UserByToken(ctx, HashToken(token), kind, now)
	if err != nil {
		if isNotFound(err) {
			return nil, domain.ErrUnauthenticated
		}
		return nil, err
	}
	return u, nil
}

// Revoke deletes a credential; one that is unknown already is no error.
func Revoke(ctx context.Context, s domain.Store, token string) error {
	if err := s.DeleteToken(ctx, HashToken(token)); err != nil && !isNotFound(err) {
		return err
	}
	return nil
}

func isNotFound(err error) bool {
	var nf *domain.NotFoundError
	return errors.As(err, &nf)
}
