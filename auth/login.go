package auth

import (
	"context"
	"net/netip"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/parley/parley/domain"
)

// Sign-in throttling. Each attempt is counted against three limits and
// recorded as pending in one atomic step (domain.Store.ReserveLoginAttempt)
// before any password is checked, so parallel guesses cannot slip past a
// count that none of them has been added to yet:
//
//   - one username from one address: at most maxAttemptsPerPair passwords
//     checked in LoginWindow while any of them fail. This is what limits
//     guessing. Once reached it holds back the right password too, so that
//     a guesser learns nothing from the answer, not even from a right guess.
//   - one address, any username: maxFailuresPerClient failures in
//     LoginWindow, against trying one password on many accounts.
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
	// LoginWindow is how long a refused sign-in counts; a client held back
	// may try again after it.
	LoginWindow          = 15 * time.Minute
	maxAttemptsPerPair   = 5
	maxFailuresPerClient = 20
	userCeilingWindow    = 24 * time.Hour
	maxFailuresPerUser   = 100
	knownAddressWindow   = 30 * 24 * time.Hour
	// maxThrottleKey bounds what a client can make us store as a key.
	maxThrottleKey = 100
)

// Login checks username and password under the sign-in limits and returns a
// new credential of the given kind (domain.TokenAPI or domain.TokenSession)
// and its expiry, or domain.ErrUnauthenticated, or
// domain.ErrTooManyAttempts. clientAddr is the client's IP address.
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
	token, tokenHash, err := NewToken()
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
		return nil, CheckNoPassword(password), nil
	}
	user, hash, err := s.UserByName(ctx, username)
	if err != nil {
		if !isNotFound(err) {
			return nil, false, err
		}
		return nil, CheckNoPassword(password), nil
	}
	return user, CheckPassword(hash, password), nil
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
	addr, _ := ClientKey(clientAddr)
	name := strings.ToLower(username)
	pair := throttleKey("pair:"+throttleKey("", addr)+" ", name)
	since := now.Add(-LoginWindow)
	return []domain.LoginLimit{
		{Key: pair, Max: maxAttemptsPerPair, Since: since, CountSuccesses: true},
		{Key: throttleKey("addr:", addr), Max: maxFailuresPerClient, Since: since},
		{Key: throttleKey("user:", name), Max: maxFailuresPerUser, Since: now.Add(-userCeilingWindow),
			UnlessKnown: pair, KnownSince: now.Add(-knownAddressWindow)},
	}
}

// ClientKey is the address a client is counted under, by sign-in throttling
// and the request rate limit alike: an IPv4 address, or the /64 an IPv6
// address belongs to, the block one subscriber usually holds, so that
// rotating addresses inside it gains nothing. loopback reports a client on
// this host (see the rate limit for why that matters). Anything that is not
// an IP address is its own key.
func ClientKey(ip string) (key string, loopback bool) {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return ip, false
	}
	a = a.Unmap()
	if a.IsLoopback() {
		return a.String(), true
	}
	if a.Is6() {
		if p, err := a.Prefix(64); err == nil {
			return p.String(), false
		}
	}
	return a.String(), false
}
