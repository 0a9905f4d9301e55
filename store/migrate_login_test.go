package store

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/parley/parley/domain"
)

// TestMigrationKeepsSignInFailures: the failures recorded before sign-in
// attempts were counted whole still count after the migration, so an
// upgrade gives a guesser no fresh start.
func TestMigrationKeepsSignInFailures(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "old.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	if _, err := s.migrateTo(ctx, "0003_negotiation_time"); err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	for i := 0; i < 20; i++ {
		if err := s.w.Exec("INSERT INTO login_failures (key, at) VALUES (?, ?)", "addr:203.0.113.1", now.Add(-time.Minute)).Error; err != nil {
			t.Fatal(err)
		}
	}
	if applied, err := s.migrateTo(ctx, "0004_login_attempts"); err != nil || len(applied) != 1 || applied[0] != "0004_login_attempts" {
		t.Fatalf("migrate: %v %v", applied, err)
	}
	limits := func(addr string) []domain.LoginLimit {
		return []domain.LoginLimit{{Key: "addr:" + addr, Max: 20, Since: now.Add(-15 * time.Minute)}}
	}
	if _, err := s.ReserveLoginAttempt(ctx, limits("203.0.113.1"), now); !errors.Is(err, domain.ErrTooManyAttempts) {
		t.Errorf("the address's old failures: %v, want ErrTooManyAttempts", err)
	}
	if _, err := s.ReserveLoginAttempt(ctx, limits("203.0.113.2"), now); err != nil {
		t.Errorf("another address: %v", err)
	}
}
