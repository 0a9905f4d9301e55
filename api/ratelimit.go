package api

import (
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/parley/parley/auth"
)

// Default request rate per client address: enough for a person clicking
// through pages and a script paging through a collection, not for a flood.
const (
	DefaultRateLimit = 20 // requests per second, sustained
	defaultBurstRate = 3  // a burst of three seconds' worth
)

// rateExempt paths are probed by orchestrators and scrapers, often from one
// address at a fixed pace; refusing them would make a busy server look dead.
var rateExempt = map[string]bool{"/healthz": true, "/readyz": true, metricsPath: true}

// clientSweepInterval is how often buckets of clients gone quiet are dropped,
// so that the map does not grow with every address ever seen.
const clientSweepInterval = time.Minute

// rateLimiter is a token bucket per client address: each holds up to burst
// tokens, refills at rate per second, and a request takes one.
type rateLimiter struct {
	rate  float64
	burst float64
	now   func() time.Time

	mu        sync.Mutex
	clients   map[string]*tokenBucket
	lastSweep time.Time
}

type tokenBucket struct {
	tokens float64
	last   time.Time
}

// newRateLimiter returns nil when limiting is off (a negative rate).
func newRateLimiter(rate float64, burst int) *rateLimiter {
	if rate < 0 || math.IsNaN(rate) {
		return nil
	}
	if rate == 0 {
		rate = DefaultRateLimit
	}
	b := float64(burst)
	if burst <= 0 {
		b = math.Ceil(rate * defaultBurstRate)
	}
	if b < 1 {
		b = 1
	}
	// The limiter keeps real time even when tests fix Options.Now: a frozen
	// clock would never refill a bucket.
	return &rateLimiter{rate: rate, burst: b, now: time.Now, clients: map[string]*tokenBucket{}, lastSweep: time.Now()}
}

// allow takes a token from key's bucket; when there is none it reports how
// long until there will be one.
func (l *rateLimiter) allow(key string) (ok bool, wait time.Duration) {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.lastSweep) >= clientSweepInterval {
		l.sweep(now)
	}
	b := l.clients[key]
	if b == nil {
		b = &tokenBucket{tokens: l.burst, last: now}
		l.clients[key] = b
	}
	if elapsed := now.Sub(b.last).Seconds(); elapsed > 0 {
		b.tokens = math.Min(l.burst, b.tokens+elapsed*l.rate)
	}
	b.last = now
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	return false, time.Duration((1 - b.tokens) / l.rate * float64(time.Second))
}

// sweep drops every bucket that has refilled completely: forgetting it
// changes nothing, as a new client starts with a full bucket.
func (l *rateLimiter) sweep(now time.Time) {
	for key, b := range l.clients {
		if b.tokens+now.Sub(b.last).Seconds()*l.rate >= l.burst {
			delete(l.clients, key)
		}
	}
	l.lastSweep = now
}

// middleware refuses a client over its rate with 429 and Retry-After. The
// address is c.RealIP(), which follows Options.TrustProxy, counted as
// auth.ClientKey counts it (an IPv6 /64 is one client). A loopback client is
// not limited: it is either a process on the host itself or a reverse proxy
// on the same host whose clients cannot be told apart (TrustProxy off), and
// limiting those as one address would throttle every user of the site
// together. The refusal is an
// echo.HTTPError so that the API answers it as problem+json and the UI as
// its error page.
func (l *rateLimiter) middleware(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if rateExempt[c.Request().URL.Path] {
			return next(c)
		}
		key, loopback := auth.ClientKey(c.RealIP())
		if loopback {
			return next(c)
		}
		ok, wait := l.allow(key)
		if ok {
			return next(c)
		}
		seconds := int(math.Ceil(wait.Seconds()))
		if seconds < 1 {
			seconds = 1
		}
		c.Response().Header().Set("Retry-After", strconv.Itoa(seconds))
		return echo.NewHTTPError(http.StatusTooManyRequests,
			"Too many requests from this address; wait "+strconv.Itoa(seconds)+" s and try again.")
	}
}
