// Command parley is the diplomatic negotiation position tracker: one binary
// that serves the web UI and the REST API and administers the database.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/parley/parley/domain"
	"github.com/parley/parley/store"
)

// Default values of the flags that environment variables can also set.
const (
	defaultAddr = "127.0.0.1:8080"
	defaultDB   = "./parley.db"
)

const usage = `parley — a diplomatic negotiation position tracker

Usage:
  parley serve [--addr 127.0.0.1:8080] [--db PATH_OR_URL] [--demo] [--synchronous NORMAL|FULL] [--trust-proxy] [--secure-cookies]
  parley migrate [--db PATH_OR_URL]
  parley user add --username NAME --role admin|editor|viewer   (password on standard input)
  parley user passwd --username NAME                           (password on standard input)
  parley token create --username NAME [--ttl 720h]
  parley negotiations
  parley report --negotiation ID|TITLE --format FORMAT [--as-of T] [--since T] [-o FILE]
  parley export [-o FILE]
  parley import FILE
  parley import-positions --negotiation ID FILE.csv|FILE.xlsx [--dry-run]
  parley backup -o FILE
  parley restore FILE
  parley healthcheck [--url http://127.0.0.1:8080/healthz]

Environment: PARLEY_ADDR, PARLEY_DB, PARLEY_SYNCHRONOUS, PARLEY_TRUST_PROXY and
PARLEY_SECURE_COOKIES stand in for --addr, --db, --synchronous, --trust-proxy and
--secure-cookies; flags win. PARLEY_METRICS_TOKEN, when set,
is the bearer token /metrics requires.
--db takes a SQLite file path (default ./parley.db) or a postgres:// URL.
Run "parley COMMAND --help" for the flags of one command.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// command is one subcommand: it parses its own flags from args.
type command func(ctx context.Context, args []string, env *environment) error

// environment is what a command may touch of the outside world, so that
// tests run commands in-process.
type environment struct {
	stdin          io.Reader
	stdout, stderr io.Writer
}

var commands = map[string]command{
	"serve":            cmdServe,
	"migrate":          cmdMigrate,
	"user":             cmdUser,
	"token":            cmdToken,
	"report":           cmdReport,
	"negotiations":     cmdNegotiations,
	"export":           cmdExport,
	"import":           cmdImport,
	"import-positions": cmdImportPositions,
	"backup":           cmdBackup,
	"restore":          cmdRestore,
	"healthcheck":      cmdHealthcheck,
}

// run executes one command line and returns the process exit code: 0 on
// success, 1 when the command failed, 2 when it was used wrongly. Every
// failure is one line on stderr.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	name := args[0]
	if name == "help" || name == "-h" || name == "--help" || name == "-help" {
		fmt.Fprint(stdout, usage)
		return 0
	}
	cmd, ok := commands[name]
	if !ok {
		fmt.Fprintf(stderr, "parley: unknown command %q\n\n%s", name, usage)
		return 2
	}
	err := cmd(ctx, args[1:], &environment{stdin: stdin, stdout: stdout, stderr: stderr})
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case isUsageError(err):
		fmt.Fprintln(stderr, "parley: "+oneLine(err.Error()))
		return 2
	default:
		fmt.Fprintln(stderr, "parley: "+oneLine(describe(err)))
		return 1
	}
}

// usageError is a command line that does not make sense: exit code 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

func isUsageError(err error) bool {
	var ue *usageError
	return errors.As(err, &ue)
}

// describe turns domain errors into the sentence a person at a terminal
// needs: validation problems name each field.
func describe(err error) string {
	var ve *domain.ValidationError
	if errors.As(err, &ve) {
		parts := make([]string, len(ve.Errors))
		for i, fe := range ve.Errors {
			parts[i] = fe.Field + " " + fe.Message
		}
		return strings.Join(parts, "; ")
	}
	return err.Error()
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// flags is a command's flag set with its help text.
type flags struct {
	*flag.FlagSet
	help string
}

// newFlags makes a command's flag set. Errors and --help are handled by
// parse, so the flag package prints nothing itself.
func newFlags(name, synopsis, about string) *flags {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return &flags{FlagSet: fs, help: "Usage: parley " + synopsis + "\n\n" + about + "\n"}
}

// parse parses args with flags and positional arguments in any order
// ("parley import dump.json --db x" works). On --help it prints the
// command's help to stdout and returns flag.ErrHelp.
func (f *flags) parse(args []string, env *environment) ([]string, error) {
	var positional []string
	for {
		if err := f.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				f.printHelp(env.stdout)
				return nil, flag.ErrHelp
			}
			return nil, usagef("%s: %v (see parley %s --help)", f.Name(), err, f.Name())
		}
		rest := f.Args()
		if len(rest) == 0 {
			return positional, nil
		}
		if rest[0] == "--" {
			return append(positional, rest[1:]...), nil
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
}

func (f *flags) printHelp(w io.Writer) {
	fmt.Fprint(w, f.help)
	var b strings.Builder
	f.SetOutput(&b)
	f.PrintDefaults()
	f.SetOutput(io.Discard)
	if b.Len() > 0 {
		fmt.Fprint(w, "\nFlags:\n"+b.String())
	}
}

// parseNoArgs is parse for a command that takes flags only: a positional
// argument is a usage error, and so is an empty value of a flag named in
// required.
func (f *flags) parseNoArgs(args []string, env *environment, required ...string) error {
	rest, err := f.parse(args, env)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("%s: unexpected argument %q (see parley %s --help)", f.Name(), rest[0], f.Name())
	}
	for _, name := range required {
		if strings.TrimSpace(f.Lookup(name).Value.String()) == "" {
			return usagef("%s: --%s is required (see parley %s --help)", f.Name(), name, f.Name())
		}
	}
	return nil
}

// parseOneFile is parse for a command that takes exactly one FILE besides
// its flags, and returns that FILE.
func (f *flags) parseOneFile(args []string, env *environment) (string, error) {
	rest, err := f.parse(args, env)
	if err != nil {
		return "", err
	}
	if len(rest) != 1 {
		return "", usagef("%s: give exactly one FILE (see parley %s --help)", f.Name(), f.Name())
	}
	return rest[0], nil
}

// dbFlag adds --db; its value falls back to PARLEY_DB, then ./parley.db.
func dbFlag(f *flags) *string {
	return f.String("db", "", "SQLite file path or postgres:// URL (env PARLEY_DB, default "+defaultDB+")")
}

func databaseLocation(flagValue string) string {
	if flagValue != "" {
		return flagValue
	}
	if v := os.Getenv("PARLEY_DB"); v != "" {
		return v
	}
	return defaultDB
}

// withStore runs fn on the database, opened and migrated by openStore, and
// closes it afterwards.
func withStore(ctx context.Context, db string, fn func(s *store.Store) error) error {
	s, _, err := openStore(ctx, db, store.Options{})
	if err != nil {
		return err
	}
	defer s.Close()
	return fn(s)
}

// openStore opens the database and applies pending migrations, so that
// every command works on a fresh database. The caller closes the store.
func openStore(ctx context.Context, db string, opts store.Options) (*store.Store, []string, error) {
	s, err := store.Open(ctx, databaseLocation(db), opts)
	if err != nil {
		return nil, nil, fmt.Errorf("open the database: %w", err)
	}
	applied, err := s.Migrate(ctx)
	if err != nil {
		s.Close()
		return nil, nil, fmt.Errorf("migrate the database: %w", err)
	}
	return s, applied, nil
}
