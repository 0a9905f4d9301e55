package store_test

import (
	"bytes"
	"context"
	"errors"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/parley/parley/domain"
	"github.com/parley/parley/store/storetest"
)

// signInLimits are limits shaped like the API's: one username from one
// address (every password counts while failing), one address, one
// username everywhere unless from a known address.
func signInLimits(pair, addr, user string, now time.Time) []domain.LoginLimit {
	since := now.Add(-15 * time.Minute)
	return []domain.LoginLimit{
		{Key: pair, Max: 5, Since: since, CountSuccesses: true},
		{Key: addr, Max: 20, Since: since},
		{Key: user, Max: 100, Since: now.Add(-24 * time.Hour), UnlessKnown: pair, KnownSince: now.Add(-30 * 24 * time.Hour)},
	}
}

// TestReserveLoginAttemptIsAtomic: 50 sign-ins for one user from one
// address at once, against a limit of 5. Counting and recording are one
// step, so exactly 5 get to check a password, whichever finish first and
// however (one of them is right). A race is a matter of luck, so the burst
// is repeated, for a new user each time.
func TestReserveLoginAttemptIsAtomic(t *testing.T) {
	s := storetest.Open(t)
	ctx := context.Background()
	now := time.Now()
	for round := 0; round < 10; round++ {
		user, addr := "amina"+strconv.Itoa(round), "198.51.100."+strconv.Itoa(round)
		limits := signInLimits("pair:"+addr+" "+user, "addr:"+addr, "user:"+user, now)
		var reserved, refused atomic.Int64
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i := 0; i < 50; i++ {
			wg.Add(1)
			go func(right bool) {
				defer wg.Done()
				<-start
				attempt, err := s.ReserveLoginAttempt(ctx, limits, now)
				if errors.Is(err, domain.ErrTooManyAttempts) {
					refused.Add(1)
					return
				}
				if err != nil {
					t.Errorf("reserve: %v", err)
					return
				}
				reserved.Add(1)
				time.Sleep(20 * time.Millisecond) // a password check takes time
				if err := s.FinishLoginAttempt(ctx, attempt, right, now); err != nil {
					t.Errorf("finish: %v", err)
				}
			}(i == 0)
		}
		close(start)
		wg.Wait()
		if reserved.Load() != 5 || refused.Load() != 45 {
			t.Fatalf("round %d: %d attempts checked a password and %d were refused; want 5 and 45", round, reserved.Load(), refused.Load())
		}
		if _, err := s.ReserveLoginAttempt(ctx, limits, now); !errors.Is(err, domain.ErrTooManyAttempts) {
			t.Fatalf("round %d, after the burst: %v, want ErrTooManyAttempts", round, err)
		}
	}
}

// TestLoginLimits: what counts against a limit and what does not.
func TestLoginLimits(t *testing.T) {
	s := storetest.Open(t)
	ctx := context.Background()
	now := time.Date(2025, 5, 16, 12, 0, 0, 0, time.UTC)
	// attempt reserves and finishes one sign-in: "ok", "failed" or
	// "pending" (never finished), and fails the test if it is refused.
	attempt := func(t *testing.T, limits []domain.LoginLimit, at time.Time, outcome string) {
		t.Helper()
		id, err := s.ReserveLoginAttempt(ctx, limits, at)
		if err != nil {
			t.Fatalf("setting up: %v", err)
		}
		if outcome != "pending" {
			if err := s.FinishLoginAttempt(ctx, id, outcome == "ok", at); err != nil {
				t.Fatal(err)
			}
		}
	}
	type step struct {
		pair, addr string // the user is always the same
		ago        time.Duration
		outcome    string
		times      int
	}
	tests := []struct {
		name       string
		before     []step
		pair, addr string
		refused    bool
	}{
		{"five failures refuse the sixth attempt", []step{{"a", "a", 0, "failed", 5}}, "a", "a", true},
		{"attempts still being checked count", []step{{"a", "a", 0, "pending", 5}}, "a", "a", true},
		{"four failures leave one", []step{{"a", "a", 0, "failed", 4}}, "a", "a", false},
		{"failures before the window are forgotten", []step{{"a", "a", 16 * time.Minute, "failed", 5}}, "a", "a", false},
		{"successes alone never count", []step{{"a", "a", 0, "ok", 12}}, "a", "a", false},
		{"successes count while failing", []step{{"a", "a", 0, "failed", 1}, {"a", "a", 0, "ok", 4}}, "a", "a", true},
		{"another address is not held back by this one's failures", []step{{"a", "a", 0, "failed", 5}}, "b", "b", false},
		{"twenty failures from an address refuse any username", []step{{"x*", "a", 0, "failed", 20}}, "a", "a", true},
		{"a hundred failures refuse a new address", []step{{"p*", "p*", 0, "failed", 100}}, "new", "new", true},
		{"a hundred failures do not refuse a known address", []step{{"home", "home", 20 * 24 * time.Hour, "ok", 1}, {"p*", "p*", 0, "failed", 100}}, "home", "home", false},
		{"an address known too long ago is not", []step{{"home", "home", 31 * 24 * time.Hour, "ok", 1}, {"p*", "p*", 0, "failed", 100}}, "home", "home", true},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			user := "user:" + string(rune('a'+i))
			limits := func(pair, addr string, at time.Time) []domain.LoginLimit {
				return signInLimits("pair:"+user+pair, "addr:"+user+addr, user, at)
			}
			for _, st := range tt.before {
				for n := 0; n < st.times; n++ {
					// A "*" spreads the attempts over pairs of four and
					// addresses of twenty, so that only the limit under
					// test is reached.
					pair := strings.ReplaceAll(st.pair, "*", strconv.Itoa(n/4))
					addr := strings.ReplaceAll(st.addr, "*", strconv.Itoa(n/20))
					attempt(t, limits(pair, addr, now.Add(-st.ago)), now.Add(-st.ago), st.outcome)
				}
			}
			_, err := s.ReserveLoginAttempt(ctx, limits(tt.pair, tt.addr, now), now)
			if refused := errors.Is(err, domain.ErrTooManyAttempts); refused != tt.refused || (err != nil && !refused) {
				t.Fatalf("reserve: %v, want refused = %v", err, tt.refused)
			}
		})
	}
}

func TestSecret(t *testing.T) {
	s := storetest.Open(t)
	ctx := context.Background()
	// Instances starting at once must all end up with the same secret.
	secrets := make([][]byte, 8)
	var wg sync.WaitGroup
	for i := range secrets {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b, err := s.Secret(ctx, "login-csrf")
			if err != nil {
				t.Errorf("secret: %v", err)
			}
			secrets[i] = b
		}()
	}
	wg.Wait()
	for _, b := range secrets {
		if len(b) != 32 || !bytes.Equal(b, secrets[0]) {
			t.Fatalf("secrets differ or are not 32 bytes: %x", secrets)
		}
	}
	other, err := s.Secret(ctx, "another")
	if err != nil || bytes.Equal(other, secrets[0]) {
		t.Fatalf("another name gave the same secret (%v)", err)
	}
	again, err := s.Secret(ctx, "login-csrf")
	if err != nil || !bytes.Equal(again, secrets[0]) {
		t.Fatalf("the secret changed (%v)", err)
	}
}
