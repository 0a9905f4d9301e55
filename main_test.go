package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/parley/parley/auth"
	"github.com/parley/parley/domain"
	"github.com/parley/parley/domain/demo"
	"github.com/parley/parley/store"
	"github.com/parley/parley/store/storetest"
)

// result is what one in-process run of the command line gave.
type result struct {
	code           int
	stdout, stderr string
}

// parley runs one command line in-process with stdin as standard input.
func parley(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(stdin), &out, &errOut)
	return result{code: code, stdout: out.String(), stderr: errOut.String()}
}

// mustSucceed fails the test unless the command exited 0.
func (r result) mustSucceed(t *testing.T) result {
	t.Helper()
	if r.code != 0 {
		t.Fatalf("exit %d, stderr %q, stdout %q", r.code, r.stderr, r.stdout)
	}
	return r
}

// failsWith checks the exit code and that the error is one line "parley: …"
// containing want.
func (r result) failsWith(t *testing.T, code int, want string) {
	t.Helper()
	if r.code != code {
		t.Errorf("exit %d, want %d (stderr %q)", r.code, code, r.stderr)
	}
	if !strings.HasPrefix(r.stderr, "parley: ") || strings.Count(r.stderr, "\n") != 1 {
		t.Errorf("stderr %q is not one line starting with \"parley: \"", r.stderr)
	}
	if !strings.Contains(r.stderr, want) {
		t.Errorf("stderr %q does not mention %q", r.stderr, want)
	}
}

func isPostgres(dsn string) bool { return strings.HasPrefix(dsn, "postgres") }

func TestHelpForEveryCommand(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--help"}, "parley serve"},
		{[]string{"help"}, "parley token create"},
		{[]string{"serve", "--help"}, "Usage: parley serve"},
		{[]string{"serve", "-h"}, "--synchronous"},
		{[]string{"migrate", "--help"}, "Usage: parley migrate"},
		{[]string{"user", "--help"}, "parley user add"},
		{[]string{"user", "add", "--help"}, "standard input"},
		{[]string{"user", "--help"}, "parley user passwd --username NAME"},
		{[]string{"user", "passwd", "--help"}, "revokes its API tokens"},
		{[]string{"token", "--help"}, "parley token create"},
		{[]string{"token", "create", "--help"}, "--ttl"},
		{[]string{"report", "--help"}, "markdown, html, pdf, csv, xlsx, json"},
		{[]string{"export", "--help"}, "Usage: parley export"},
		{[]string{"import", "--help"}, "Usage: parley import FILE"},
		{[]string{"import", "--help"}, "parley user passwd"},
		{[]string{"backup", "--help"}, "VACUUM INTO"},
		{[]string{"healthcheck", "--help"}, "/healthz"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			r := parley(t, "", tt.args...).mustSucceed(t)
			if !strings.Contains(r.stdout, tt.want) {
				t.Errorf("help %q does not mention %q", r.stdout, tt.want)
			}
			if r.stderr != "" {
				t.Errorf("help wrote to stderr: %q", r.stderr)
			}
		})
	}
}

func TestUsageErrors(t *testing.T) {
	db := filepath.Join(t.TempDir(), "parley.db")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"unknown flag", []string{"serve", "--port", "80"}, "flag provided but not defined: -port"},
		{"bad synchronous", []string{"serve", "--synchronous", "OFF", "--db", db}, "NORMAL or FULL"},
		{"stray argument", []string{"migrate", "now", "--db", db}, `unexpected argument "now"`},
		{"user without subcommand", []string{"user"}, "missing subcommand"},
		{"user unknown subcommand", []string{"user", "delete"}, `unknown subcommand "delete"`},
		{"user add without role", []string{"user", "add", "--username", "ana", "--db", db}, "--role is required"},
		{"user passwd without username", []string{"user", "passwd", "--db", db}, "--username is required"},
		{"user passwd stray argument", []string{"user", "passwd", "ana", "--db", db}, `unexpected argument "ana"`},
		{"token create without username", []string{"token", "create", "--db", db}, "--username is required"},
		{"token unknown subcommand", []string{"token", "revoke"}, `unknown subcommand "revoke"; use parley token create`},
		{"token ttl negative", []string{"token", "create", "--username", "ana", "--ttl", "-1h", "--db", db}, "--ttl must be positive"},
		{"token ttl not a duration", []string{"token", "create", "--username", "ana", "--ttl", "month"}, "invalid value"},
		{"report bad format", []string{"report", "--negotiation", "x", "--format", "docx", "--db", db}, "--format must be one of"},
		{"report bad as-of", []string{"report", "--negotiation", "x", "--format", "csv", "--as-of", "yesterday", "--db", db}, "--as-of"},
		{"report without negotiation", []string{"report", "--format", "csv"}, "--negotiation is required"},
		{"import without file", []string{"import", "--db", db}, "exactly one FILE"},
		{"backup without -o", []string{"backup", "--db", db}, "--o is required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			parley(t, "", tt.args...).failsWith(t, 2, tt.want)
		})
	}
	if _, err := os.Stat(db); err == nil {
		t.Error("a wrongly used command touched the database")
	}

	t.Run("unknown command prints the usage", func(t *testing.T) {
		r := parley(t, "", "frobnicate")
		if r.code != 2 || !strings.HasPrefix(r.stderr, `parley: unknown command "frobnicate"`) || !strings.Contains(r.stderr, "parley serve") {
			t.Errorf("exit %d, stderr %q", r.code, r.stderr)
		}
	})
	t.Run("no command prints the usage", func(t *testing.T) {
		if r := parley(t, ""); r.code != 2 || !strings.Contains(r.stderr, "Usage:") {
			t.Errorf("exit %d, stderr %q", r.code, r.stderr)
		}
	})
}

func TestMigrateTwice(t *testing.T) {
	db := storetest.DSN(t)
	first := parley(t, "", "migrate", "--db", db).mustSucceed(t)
	if !strings.Contains(first.stdout, "Applied migration 0001") {
		t.Errorf("first migrate said %q", first.stdout)
	}
	second := parley(t, "", "migrate", "--db", db).mustSucceed(t)
	if strings.TrimSpace(second.stdout) != "The database is up to date." {
		t.Errorf("second migrate said %q", second.stdout)
	}
}

func TestDatabaseFromEnvironment(t *testing.T) {
	dir := t.TempDir()
	fromEnv := filepath.Join(dir, "env.db")
	fromFlag := filepath.Join(dir, "flag.db")
	t.Setenv("PARLEY_DB", fromEnv)

	parley(t, "", "migrate").mustSucceed(t)
	if _, err := os.Stat(fromEnv); err != nil {
		t.Errorf("PARLEY_DB was not used: %v", err)
	}
	os.Remove(fromEnv)
	parley(t, "", "migrate", "--db", fromFlag).mustSucceed(t)
	if _, err := os.Stat(fromFlag); err != nil {
		t.Errorf("--db was not used: %v", err)
	}
	if _, err := os.Stat(fromEnv); err == nil {
		t.Error("PARLEY_DB won over --db")
	}
}

func TestUserAddAndTokenCreate(t *testing.T) {
	db := storetest.DSN(t)
	r := parley(t, "a long passphrase\n", "user", "add", "--username", "ana", "--role", "editor", "--db", db).mustSucceed(t)
	if !strings.Contains(r.stdout, "ana") {
		t.Errorf("user add said %q", r.stdout)
	}
	// A password without a final newline, with a Windows line ending, and
	// with spaces inside all count as one line.
	parley(t, "no newline at all", "user", "add", "--username", "bo", "--role", "viewer", "--db", db).mustSucceed(t)
	parley(t, "windows line\r\nsecond line ignored\n", "user", "add", "--username", "cy", "--role", "admin", "--db", db).mustSucceed(t)

	tok := parley(t, "", "token", "create", "--username", "ana", "--ttl", "2h", "--db", db).mustSucceed(t)
	token := strings.TrimSuffix(tok.stdout, "\n")
	if !regexp.MustCompile(`^prl_[A-Za-z0-9_-]{43}$`).MatchString(token) {
		t.Fatalf("token create printed %q, want the token alone", tok.stdout)
	}

	s, err := store.Open(context.Background(), db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	u, err := auth.Authenticate(ctx, s, token, domain.TokenAPI, time.Now())
	if err != nil || u.Username != "ana" || u.Role != "editor" {
		t.Fatalf("the printed token authenticates as %+v (%v)", u, err)
	}
	if _, err := auth.Authenticate(ctx, s, token, domain.TokenAPI, time.Now().Add(3*time.Hour)); err == nil {
		t.Error("the token outlived its --ttl of 2h")
	}
	_, hash, err := s.UserByName(ctx, "cy")
	if err != nil || !auth.CheckPassword(hash, "windows line") {
		t.Errorf("cy's password is not the first line without its CR (%v)", err)
	}
	_, hash, _ = s.UserByName(ctx, "bo")
	if !auth.CheckPassword(hash, "no newline at all") {
		t.Error("bo's password was not read without a newline")
	}

	tests := []struct {
		name  string
		stdin string
		args  []string
		want  string
	}{
		{"bad role", "a long passphrase\n", []string{"user", "add", "--username", "dee", "--role", "owner"}, "role must be one of viewer, editor, admin"},
		{"bad username", "a long passphrase\n", []string{"user", "add", "--username", "d e", "--role", "viewer"}, "username must be"},
		{"short password", "short\n", []string{"user", "add", "--username", "dee", "--role", "viewer"}, "password must be 8 to 72 bytes"},
		{"no password", "", []string{"user", "add", "--username", "dee", "--role", "viewer"}, "no password on standard input"},
		{"duplicate", "a long passphrase\n", []string{"user", "add", "--username", "ana", "--role", "viewer"}, `a user named "ana" already exists`},
		{"token for nobody", "", []string{"token", "create", "--username", "nobody"}, `no user named "nobody"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			parley(t, tt.stdin, append(tt.args, "--db", db)...).failsWith(t, 1, tt.want)
		})
	}
	users, err := s.ListUsers(ctx)
	if err != nil || len(users) != 3 {
		t.Errorf("%d users after the refusals, want 3 (%v)", len(users), err)
	}
}

// withDemo returns a database location holding a user and the demo
// negotiation, and the negotiation's id.
func withDemo(t *testing.T) (db, negotiationID string) {
	t.Helper()
	db = storetest.DSN(t)
	ctx := context.Background()
	s, err := store.Open(ctx, db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	storetest.UserNamed(t, s, "ana", "editor")
	id, _, err := demo.Load(ctx, s, "ana")
	if err != nil {
		t.Fatal(err)
	}
	return db, id
}

func TestExportImportRoundTrip(t *testing.T) {
	dir := t.TempDir()
	source, _ := withDemo(t)
	first := filepath.Join(dir, "first.json")
	parley(t, "", "export", "-o", first, "--db", source).mustSucceed(t)

	target := storetest.DSN(t)
	// The file before the flags: flags and arguments mix in any order.
	parley(t, "", "import", first, "--db", target).mustSucceed(t)
	second := parley(t, "", "export", "--db", target).mustSucceed(t)

	a, err := os.ReadFile(first)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, []byte(second.stdout)) {
		t.Errorf("export, import, export differ: %d bytes then %d bytes", len(a), len(second.stdout))
	}
	if !bytes.Contains(a, []byte("Dolmabahçe Palace")) || bytes.Contains(a, []byte("$2a$")) {
		t.Error("the export lacks the demo or carries a password hash")
	}

	parley(t, "", "import", first, "--db", target).failsWith(t, 1, "import")
	again := parley(t, "", "export", "--db", target).mustSucceed(t)
	if again.stdout != second.stdout {
		t.Error("a refused import changed the database")
	}
	parley(t, "", "import", filepath.Join(dir, "missing.json"), "--db", storetest.DSN(t)).failsWith(t, 1, "missing.json")

	// A malformed document into a new SQLite file leaves no file behind, and
	// the message says "import:" once.
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte(`{"format":"something else"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	fresh := storetest.DSN(t)
	refused := parley(t, "", "import", bad, "--db", fresh)
	refused.failsWith(t, 1, "not a parley export")
	if strings.Count(refused.stderr, "import:") != 1 {
		t.Errorf("stderr %q repeats itself", refused.stderr)
	}
	if !isPostgres(fresh) {
		if _, err := os.Stat(fresh); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("a refused import left %s behind: %v", fresh, err)
		}
	}

	// Standard input works as FILE "-".
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"import", "-", "--db", storetest.DSN(t)}, bytes.NewReader(a), &out, &errOut); code != 0 {
		t.Errorf("import - exited %d: %s", code, errOut.String())
	}
}

// TestUserPasswdAfterImport gives a user brought back by import, who has no
// password, one with user passwd: it signs in with it afterwards, and the
// token it held before the change stops working.
func TestUserPasswdAfterImport(t *testing.T) {
	ctx := context.Background()
	source, _ := withDemo(t)
	dump := filepath.Join(t.TempDir(), "dump.json")
	parley(t, "", "export", "-o", dump, "--db", source).mustSucceed(t)
	db := storetest.DSN(t)
	parley(t, "", "import", dump, "--db", db).mustSucceed(t)
	parley(t, "a long passphrase\n", "user", "add", "--username", "ana", "--role", "viewer", "--db", db).
		failsWith(t, 1, "parley user passwd")
	oldToken := strings.TrimSpace(parley(t, "", "token", "create", "--username", "ana", "--db", db).mustSucceed(t).stdout)

	s, err := store.Open(ctx, db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	loginAs := func(username, password string) (string, error) {
		token, _, err := auth.Login(ctx, s, username, password, "192.0.2.1", domain.TokenAPI, time.Hour, time.Now())
		return token, err
	}
	if _, err := loginAs("ana", storetest.Password); err == nil {
		t.Fatal("an imported user signed in with its old password; the export carried a hash")
	}
	before, _, err := s.UserByName(ctx, "ana")
	if err != nil {
		t.Fatal(err)
	}

	// The name in another case names the same user.
	r := parley(t, "a new passphrase\n", "user", "passwd", "--username", "ANA", "--db", db).mustSucceed(t)
	if !strings.Contains(r.stdout, "ANA") {
		t.Errorf("user passwd said %q", r.stdout)
	}
	token, err := loginAs("ana", "a new passphrase")
	if err != nil {
		t.Fatalf("login with the new password: %v", err)
	}
	if u, err := auth.Authenticate(ctx, s, token, domain.TokenAPI, time.Now()); err != nil || u.Username != "ana" || u.Role != "editor" {
		t.Errorf("the new sign-in authenticates as %+v (%v)", u, err)
	}
	if _, err := auth.Authenticate(ctx, s, oldToken, domain.TokenAPI, time.Now()); err == nil {
		t.Error("the token made before the password change still works")
	}

	tests := []struct {
		name  string
		stdin string
		user  string
		want  string
	}{
		{"short password", "short\n", "ana", "password must be 8 to 72 bytes"},
		{"long password", strings.Repeat("x", domain.MaxPassword+1) + "\n", "ana", "password must be 8 to 72 bytes"},
		{"no password", "", "ana", "no password on standard input"},
		{"unknown user", "a long passphrase\n", "nobody", `no user named "nobody"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			parley(t, tt.stdin, "user", "passwd", "--username", tt.user, "--db", db).failsWith(t, 1, tt.want)
		})
	}
	after, _, err := s.UserByName(ctx, "ana")
	if err != nil {
		t.Fatal(err)
	}
	if after.Version != before.Version+1 {
		t.Errorf("version %d after one change and four refusals, want %d", after.Version, before.Version+1)
	}
	if _, err := loginAs("ana", "a new passphrase"); err != nil {
		t.Errorf("a refused change touched the password: %v", err)
	}
}

func TestReport(t *testing.T) {
	db, id := withDemo(t)
	dir := t.TempDir()
	md := parley(t, "", "report", "--negotiation", id, "--format", "markdown", "--db", db).mustSucceed(t)
	for _, want := range []string{demo.Title, "Rustem Umerov", "Newsweek"} {
		if !strings.Contains(md.stdout, want) {
			t.Errorf("the markdown report lacks %q", want)
		}
	}
	tests := []struct {
		format string
		magic  string
	}{
		{"pdf", "%PDF-"},
		{"xlsx", "PK"},
		{"json", "{"},
		{"html", "<!DOCTYPE html>"},
		{"csv", "\ufeff"},
	}
	for _, tt := range tests {
		path := filepath.Join(dir, "report."+tt.format)
		r := parley(t, "", "report", "--negotiation", id, "--format", tt.format, "--since", "2025-01-01", "-o", path, "--db", db).mustSucceed(t)
		if r.stdout != "" {
			t.Errorf("%s: -o also wrote to stdout", tt.format)
		}
		b, err := os.ReadFile(path)
		if err != nil || !strings.HasPrefix(strings.ToUpper(string(b)), strings.ToUpper(tt.magic)) {
			t.Errorf("%s report starts %q (%v)", tt.format, head(b), err)
		}
	}
	// The demo runs on the report's own clock: as of 11:45 UTC Zelensky's
	// 08:13 EDT call for sanctions had not been made; recorded as of a
	// time before the demo was loaded, nothing was known.
	sanctions := "Sanctions against Russia"
	before := parley(t, "", "report", "--negotiation", id, "--format", "markdown", "--as-of", "2025-05-16T11:45:00Z", "--db", db).mustSucceed(t)
	if strings.Contains(before.stdout, sanctions) || !strings.Contains(md.stdout, sanctions) {
		t.Errorf("the sanctions demand: as of 11:45 UTC %v, now %v; want absent, then present",
			strings.Contains(before.stdout, sanctions), strings.Contains(md.stdout, sanctions))
	}
	parley(t, "", "report", "--negotiation", id, "--format", "json", "--recorded-as-of", "2001-01-01", "--db", db).failsWith(t, 1, "recorded as of 2001-01-01")
	parley(t, "", "report", "--negotiation", id, "--format", "json", "--as-of-round", "0196d2a4-0000-7000-8000-000000000000", "--db", db).failsWith(t, 1, "--as-of-round")
	parley(t, "", "report", "--negotiation", id, "--format", "json", "--as-of", "2025-05-16", "--as-of-round", "x", "--db", db).failsWith(t, 2, "not both")
	// As of a time before anything took effect there was no negotiation.
	parley(t, "", "report", "--negotiation", id, "--format", "json", "--as-of", "2000-01-01", "--db", db).failsWith(t, 1, "as of 2000-01-01")
	parley(t, "", "report", "--negotiation", "0196d2a4-0000-7000-8000-000000000000", "--format", "json", "--db", db).failsWith(t, 1, "no negotiation")
	// A failed report leaves no file behind.
	failed := filepath.Join(dir, "failed.md")
	parley(t, "", "report", "--negotiation", "0196d2a4-0000-7000-8000-000000000000", "--format", "markdown", "-o", failed, "--db", db)
	if entries, _ := os.ReadDir(dir); len(entries) != len(tests) {
		t.Errorf("%d files in the output directory, want %d", len(entries), len(tests))
	}
}

func head(b []byte) string {
	if len(b) > 16 {
		b = b[:16]
	}
	return string(b)
}

func TestBackup(t *testing.T) {
	db, _ := withDemo(t)
	if isPostgres(db) {
		t.Skip("backup copies SQLite databases; PostgreSQL uses pg_dump")
	}
	copyPath := filepath.Join(t.TempDir(), "copy.db")
	parley(t, "", "backup", "-o", copyPath, "--db", db).mustSucceed(t)
	// The copy is a parley database with the demo in it.
	r := parley(t, "", "export", "--db", copyPath).mustSucceed(t)
	if !strings.Contains(r.stdout, "Dolmabahçe Palace") {
		t.Error("the backup lacks the demo negotiation")
	}
	parley(t, "", "backup", "-o", copyPath, "--db", db).failsWith(t, 1, "already exists")
}

func TestHealthcheck(t *testing.T) {
	status := http.StatusOK
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/healthz" {
			http.NotFound(w, r)
			return
		}
		w.WriteHeader(status)
	}))
	defer srv.Close()

	parley(t, "", "healthcheck", "--url", srv.URL+"/healthz").mustSucceed(t)
	status = http.StatusServiceUnavailable
	parley(t, "", "healthcheck", "--url", srv.URL+"/healthz").failsWith(t, 1, "503")

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := ln.Addr().String()
	ln.Close()
	t.Setenv("PARLEY_ADDR", closed)
	parley(t, "", "healthcheck", "--timeout", "2s").failsWith(t, 1, "healthcheck")

	tests := []struct{ addr, want string }{
		{"", "http://127.0.0.1:8080/healthz"},
		{"0.0.0.0:9090", "http://127.0.0.1:9090/healthz"},
		{"[::]:7000", "http://127.0.0.1:7000/healthz"},
		{"localhost", "http://127.0.0.1:8080/healthz"},
	}
	for _, tt := range tests {
		if got := healthURL(tt.addr); got != tt.want {
			t.Errorf("healthURL(%q) = %q, want %q", tt.addr, got, tt.want)
		}
	}
}

func TestBrowsable(t *testing.T) {
	tests := []struct{ in, want string }{
		{"127.0.0.1:8080", "127.0.0.1:8080"},
		{"0.0.0.0:8080", "localhost:8080"},
		{"[::]:8080", "localhost:8080"},
		{"[::1]:8080", "[::1]:8080"},
		{"example.org:80", "example.org:80"},
	}
	for _, tt := range tests {
		if got := browsable(tt.in); got != tt.want {
			t.Errorf("browsable(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// syncBuffer is written by a running server and read by the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// listeningAddr waits for the "listening" log line of serve and returns its
// address.
func listeningAddr(t *testing.T, logs interface{ String() string }, exited <-chan int) string {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		for _, line := range strings.Split(logs.String(), "\n") {
			var entry struct{ Msg, Addr string }
			if json.Unmarshal([]byte(line), &entry) == nil && entry.Msg == "listening" {
				return entry.Addr
			}
		}
		select {
		case code := <-exited:
			t.Fatalf("serve exited %d before listening; logs:\n%s", code, logs.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	t.Fatalf("serve did not start; logs:\n%s", logs.String())
	return ""
}

var adminLine = regexp.MustCompile(`^Created user admin with password (\S+) — sign in at (http://\S+/)\n$`)

// login signs in through the API and returns a bearer token.
func login(t *testing.T, base, username, password string) string {
	t.Helper()
	body := fmt.Sprintf(`{"username":%q,"password":%q}`, username, password)
	resp, err := http.Post(base+"/api/v1/auth/login", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct{ Token string }
	if resp.StatusCode != http.StatusOK || json.NewDecoder(resp.Body).Decode(&out) != nil || out.Token == "" {
		t.Fatalf("login as %s: %s", username, resp.Status)
	}
	return out.Token
}

func get(t *testing.T, url, token string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestServe starts serve in-process twice on one database: the first start
// creates admin and the demo, the second creates neither again.
func TestServe(t *testing.T) {
	db := storetest.DSN(t)
	start := func() (stdout, stderr *syncBuffer, stop func() int, base string) {
		ctx, cancel := context.WithCancel(context.Background())
		stdout, stderr = &syncBuffer{}, &syncBuffer{}
		exited := make(chan int, 1)
		go func() {
			exited <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--db", db, "--demo"}, strings.NewReader(""), stdout, stderr)
		}()
		base = "http://" + listeningAddr(t, stderr, exited)
		stop = func() int {
			cancel()
			select {
			case code := <-exited:
				return code
			case <-time.After(40 * time.Second):
				t.Fatal("serve did not stop after its context was cancelled")
				return -1
			}
		}
		t.Cleanup(func() { cancel() })
		return stdout, stderr, stop, base
	}

	stdout, stderr, stop, base := start()
	m := adminLine.FindStringSubmatch(stdout.String())
	if m == nil {
		t.Fatalf("first start printed %q, want the admin password line", stdout.String())
	}
	if m[2] != base+"/" {
		t.Errorf("the printed address %s is not where it listens (%s)", m[2], base)
	}
	if code, _ := get(t, base+"/healthz", ""); code != http.StatusOK {
		t.Errorf("/healthz: %d", code)
	}
	token := login(t, base, "admin", m[1])
	code, body := get(t, base+"/api/v1/negotiations?q=istanbul", token)
	if code != http.StatusOK || strings.Count(body, demo.Title) != 1 {
		t.Errorf("negotiations: %d %s", code, body)
	}
	if code, _ := get(t, base+"/", ""); code >= 500 || code == http.StatusNotFound {
		t.Errorf("the UI at / answered %d", code)
	}
	if code := stop(); code != 0 {
		t.Fatalf("serve exited %d; stderr %s", code, stderr.String())
	}
	if !strings.Contains(stderr.String(), `"msg":"stopped"`) {
		t.Errorf("no clean stop in the logs:\n%s", stderr.String())
	}

	stdout, stderr, stop, base = start()
	if stdout.String() != "" {
		t.Errorf("second start printed %q; the admin exists already", stdout.String())
	}
	token = login(t, base, "admin", m[1])
	if code, body := get(t, base+"/api/v1/negotiations", token); code != http.StatusOK || strings.Count(body, demo.Title) != 1 {
		t.Errorf("after the second --demo: %d %s", code, body)
	}
	if code := stop(); code != 0 {
		t.Fatalf("serve exited %d; stderr %s", code, stderr.String())
	}
}

// TestGracefulShutdown builds the binary, starts it, and sends SIGTERM while
// a request is in flight (its body half sent): the request still completes,
// its write is kept, and the process exits 0.
func TestGracefulShutdown(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := parleyBinary(t)
	db := storetest.DSN(t)
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--db", db)
	stdout, stderr := &syncBuffer{}, &syncBuffer{}
	cmd.Stdout, cmd.Stderr = stdout, stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan int, 1)
	go func() {
		_ = cmd.Wait()
		exited <- cmd.ProcessState.ExitCode()
	}()
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	addr := listeningAddr(t, stderr, exited)
	m := adminLine.FindStringSubmatch(stdout.String())
	if m == nil {
		t.Fatalf("stdout %q lacks the admin line", stdout.String())
	}
	token := login(t, "http://"+addr, "admin", m[1])

	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	body := `{"name":"Shutdown Test Party","notes":"sent across a SIGTERM"}`
	half := len(body) / 2
	fmt.Fprintf(conn, "POST /api/v1/parties HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\n"+
		"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", addr, token, len(body), body[:half])
	time.Sleep(300 * time.Millisecond) // the server has the headers and is reading the body

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	// Shutdown has begun once the log says so; new connections are refused.
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(stderr.String(), "shutting down") {
		if time.Now().After(deadline) {
			t.Fatalf("no shutdown after SIGTERM; logs:\n%s", stderr.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(200 * time.Millisecond)
	if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		c.Close()
		t.Error("a new connection was accepted after SIGTERM")
	}
	select {
	case code := <-exited:
		t.Fatalf("the process exited (%d) with a request in flight", code)
	default:
	}

	if _, err := io.WriteString(conn, body[half:]); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("the request in flight got no response: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Errorf("the request in flight got %s", resp.Status)
	}
	select {
	case code := <-exited:
		if code != 0 {
			t.Errorf("exit code %d after SIGTERM; logs:\n%s", code, stderr.String())
		}
	case <-time.After(35 * time.Second):
		t.Fatal("the process did not exit after its last request")
	}

	// The write acknowledged during shutdown is in the database.
	s, err := store.Open(context.Background(), db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	page, err := s.List(context.Background(), domain.ListQuery{Kind: domain.KindParty, Text: "shutdown test party"})
	if err != nil || len(page.Items) != 1 {
		t.Errorf("the party created across SIGTERM: %d found (%v)", len(page.Items), err)
	}
}

func TestImportPositions(t *testing.T) {
	db, id := withDemo(t)
	dir := t.TempDir()
	good := filepath.Join(dir, "positions.csv")
	if err := os.WriteFile(good, []byte("party,topic,title,stated_on,citation_title\nRussian Federation,Ceasefire,Ceasefire only after talks,2025-05-16,Kremlin readout\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r := parley(t, "", "import-positions", "--negotiation", id, good, "--dry-run", "--db", db).mustSucceed(t)
	if !strings.Contains(r.stdout, "Would import 1 demands") || !strings.Contains(r.stdout, "demands row 2: demand by Russia") {
		t.Fatalf("dry run: %q", r.stdout)
	}
	r = parley(t, "", "import-positions", "--negotiation", id, good, "--as", "ana", "--db", db).mustSucceed(t)
	if !strings.Contains(r.stdout, "Imported 1 demands") {
		t.Fatalf("import: %q", r.stdout)
	}
	bad := filepath.Join(dir, "bad.csv")
	if err := os.WriteFile(bad, []byte("party,topic,title,stated_on\nAtlantis,Ceasefire,x,2025-05-16\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r = parley(t, "", "import-positions", "--negotiation", id, bad, "--db", db)
	r.failsWith(t, 1, "1 bad cell(s)")
	if !strings.Contains(r.stdout, "demands row 2, column party: no party of this negotiation is named or also known as \"Atlantis\"") {
		t.Fatalf("bad cells: %q", r.stdout)
	}
	notes := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(notes, []byte("party,topic\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	parley(t, "", "import-positions", "--negotiation", id, notes, "--db", db).failsWith(t, 2, "neither a .csv nor an .xlsx")
}
