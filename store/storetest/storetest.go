// Package storetest gives tests a real, migrated, empty parley database of
// their own: a SQLite file in t.TempDir(), or, when PARLEY_TEST_DATABASE_URL
// names a PostgreSQL server, a fresh schema there.
package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"golang.org/x/crypto/bcrypt"

	"github.com/parley/parley/auth"
	"github.com/parley/parley/domain"
	"github.com/parley/parley/store"
)

// EnvDatabaseURL names the variable that switches tests to PostgreSQL.
const EnvDatabaseURL = "PARLEY_TEST_DATABASE_URL"

// Open returns a migrated store for one test, closed at cleanup: a SQLite
// file in t.TempDir(), or, when PARLEY_TEST_DATABASE_URL is set, a fresh
// schema of its own on that server (dropped at cleanup).
func Open(t testing.TB) *store.Store {
	t.Helper()
	ctx := context.Background()
	// Tests check that no view changes a cached snapshot in place;
	// benchmarks measure the server as it runs.
	_, bench := t.(*testing.B)
	s, err := store.Open(ctx, DSN(t), store.Options{CheckSnapshotCache: !bench})
	if err != nil {
		t.Fatalf("storetest: open: %v", err)
	}
	// Registered after DSN's cleanup, so it runs before the schema is dropped.
	t.Cleanup(func() { _ = s.Close() })
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatalf("storetest: migrate: %v", err)
	}
	return s
}

// DSN returns a new, empty database location of the same kind as Open uses,
// for tests that start `parley serve` themselves.
func DSN(t testing.TB) string {
	t.Helper()
	base := os.Getenv(EnvDatabaseURL)
	if base == "" {
		return filepath.Join(tempDir(t), "parley.db")
	}
	return postgresSchema(t, base)
}

// postgresSchema creates a schema with a random name and returns base with
// search_path set to it; the schema is dropped at cleanup.
func postgresSchema(t testing.TB, base string) string {
	t.Helper()
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("storetest: %s: %v", EnvDatabaseURL, err)
	}
	schema := "parley_test_" + randomHex(t, 8)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatalf("storetest: connect to %s: %v", EnvDatabaseURL, err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("storetest: create schema: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, base)
		if err != nil {
			t.Errorf("storetest: drop schema %s: %v", schema, err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("storetest: drop schema %s: %v", schema, err)
		}
	})
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// User creates a user with that role (username: role + a random suffix) and
// returns its name and a valid API bearer token for it.
func User(t testing.TB, s *store.Store, role domain.Role) (username, token string) {
	t.Helper()
	return UserNamed(t, s, string(role)+"-"+randomHex(t, 4), role)
}

// UserNamed is User with a chosen username.
func UserNamed(t testing.TB, s *store.Store, username string, role domain.Role) (string, string) {
	t.Helper()
	ctx := context.Background()
	// The lowest bcrypt cost keeps tests that make many users fast;
	// auth.CheckPassword accepts a hash of any cost.
	h, err := bcrypt.GenerateFromPassword([]byte(Password), bcrypt.MinCost)
	if err != nil {
		t.Fatalf("storetest: hash password: %v", err)
	}
	u, err := s.CreateUser(ctx, username, string(h), role)
	if err != nil {
		t.Fatalf("storetest: create user %s: %v", username, err)
	}
	token, tokenHash, err := auth.NewToken()
	if err != nil {
		t.Fatalf("storetest: new token: %v", err)
	}
	if err := s.CreateToken(ctx, u.ID, tokenHash, domain.TokenAPI, time.Now().Add(24*time.Hour)); err != nil {
		t.Fatalf("storetest: create token: %v", err)
	}
	return username, token
}

// Password is the password of every user User creates, for sign-in tests.
const Password = "correct-horse-battery"

func randomHex(t testing.TB, n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatalf("storetest: random: %v", err)
	}
	return hex.EncodeToString(b)
}

// tempDir is t.TempDir, but named without the test's name: fuzz inputs and
// subtests put '#' in that name, and a SQLite path must not hold '#' or '?'.
func tempDir(t testing.TB) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "parley-test-")
	if err != nil {
		t.Fatalf("storetest: %v", err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	return dir
}
