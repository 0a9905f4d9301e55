package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/parley/parley/auth"
	"github.com/parley/parley/domain"
	"github.com/parley/parley/store"
)

// maxTokenTTL keeps API tokens from living forever.
const maxTokenTTL = 10 * 365 * 24 * time.Hour

// subcommand is one verb of a command that has several (user add).
type subcommand struct {
	name, synopsis string
	run            command
}

// userSubcommands and tokenSubcommands are what "parley user" and
// "parley token" do.
var (
	userSubcommands = []subcommand{
		{"add", "user add --username NAME --role admin|editor|viewer", cmdUserAdd},
		{"passwd", "user passwd --username NAME", cmdUserPasswd},
	}
	tokenSubcommands = []subcommand{
		{"create", "token create --username NAME [--ttl 720h]", cmdTokenCreate},
	}
)

func cmdUser(ctx context.Context, args []string, env *environment) error {
	return dispatch(ctx, "user", userSubcommands, args, env)
}

func cmdToken(ctx context.Context, args []string, env *environment) error {
	return dispatch(ctx, "token", tokenSubcommands, args, env)
}

// dispatch runs the subcommand args[0] of group with the rest of args, or
// prints the group's usage on --help.
func dispatch(ctx context.Context, group string, subs []subcommand, args []string, env *environment) error {
	names := make([]string, len(subs))
	helps := make([]string, len(subs))
	for i, sub := range subs {
		names[i] = "parley " + group + " " + sub.name
		helps[i] = names[i] + " --help"
	}
	if len(args) == 0 {
		return usagef("%s: missing subcommand; use %s", group, strings.Join(helps, " or "))
	}
	if args[0] == "-h" || args[0] == "--help" || args[0] == "-help" {
		var b strings.Builder
		for i, sub := range subs {
			indent := "Usage: "
			if i > 0 {
				indent = "       "
			}
			b.WriteString(indent + "parley " + sub.synopsis + "\n")
		}
		if len(subs) == 1 {
			fmt.Fprintf(&b, "\nRun %q for its flags.\n", helps[0])
		} else {
			fmt.Fprintf(&b, "\nRun \"parley %s SUBCOMMAND --help\" for the flags of one.\n", group)
		}
		fmt.Fprint(env.stdout, b.String())
		return nil
	}
	for _, sub := range subs {
		if sub.name == args[0] {
			return sub.run(ctx, args[1:], env)
		}
	}
	return usagef("%s: unknown subcommand %q; use %s", group, args[0], strings.Join(names, " or "))
}

func cmdUserAdd(ctx context.Context, args []string, env *environment) error {
	f := newFlags("user add", "user add --username NAME --role admin|editor|viewer [--db PATH_OR_URL]",
		"Creates a user. The password is read from standard input, one line (8 to 72 bytes):\n"+
			"  printf '%s\\n' \"$PASSWORD\" | parley user add --username ana --role editor\n"+
			"A user brought back by parley import exists already: give it a password with parley user passwd.")
	username := f.String("username", "", "the new user's name: letters, digits, dots, dashes, underscores (required)")
	role := f.String("role", "", "viewer (reads), editor (also writes) or admin (also manages users) (required)")
	db := dbFlag(f)
	if err := f.parseNoArgs(args, env, "username", "role"); err != nil {
		return err
	}
	hash, err := newPasswordHash(env.stdin, func(password string) domain.FieldErrors {
		return domain.ValidateUser(*username, password, *role)
	})
	if err != nil {
		return err
	}
	return withStore(ctx, *db, func(s *store.Store) error {
		u, err := s.CreateUser(ctx, *username, hash, domain.Role(*role))
		if err != nil {
			var conflict *domain.ConflictError
			if errors.As(err, &conflict) {
				return fmt.Errorf("a user named %q already exists (to set its password, use parley user passwd)", *username)
			}
			return fmt.Errorf("create user: %w", err)
		}
		fmt.Fprintf(env.stdout, "Created user %s (%s)\n", u.Username, u.Role)
		return nil
	})
}

func cmdUserPasswd(ctx context.Context, args []string, env *environment) error {
	f := newFlags("user passwd", "user passwd --username NAME [--db PATH_OR_URL]",
		"Sets a user's password (one line on standard input, 8 to 72 bytes) and revokes its API tokens\n"+
			"and browser sessions. Users brought back by parley import have no password until it is set:\n"+
			"  printf '%s\\n' \"$PASSWORD\" | parley user passwd --username ana")
	username := f.String("username", "", "the user's name, in any case (required)")
	db := dbFlag(f)
	if err := f.parseNoArgs(args, env, "username"); err != nil {
		return err
	}
	hash, err := newPasswordHash(env.stdin, func(password string) domain.FieldErrors {
		// Only the password is new: the name and role were checked when the
		// user was created.
		var errs domain.FieldErrors
		if msg := domain.ValidateUser(*username, password, "").On("password"); msg != "" {
			errs = append(errs, domain.FieldError{Field: "password", Message: msg})
		}
		return errs
	})
	if err != nil {
		return err
	}
	return withStore(ctx, *db, func(s *store.Store) error {
		if err := s.SetPassword(ctx, *username, hash); err != nil {
			return userError(err, *username, "set the password")
		}
		fmt.Fprintf(env.stdout, "Set the password of %s; its tokens and sessions are revoked\n", *username)
		return nil
	})
}

// newPasswordHash reads a password from standard input and, once validate
// finds nothing wrong with it, returns its bcrypt hash.
func newPasswordHash(stdin io.Reader, validate func(password string) domain.FieldErrors) (string, error) {
	password, err := readPassword(stdin)
	if err != nil {
		return "", err
	}
	if errs := validate(password); len(errs) > 0 {
		return "", errs.Err()
	}
	return auth.HashPassword(password)
}

// userError says "no user named …" for an unknown user and keeps any other
// error under what the command was doing.
func userError(err error, username, doing string) error {
	var nf *domain.NotFoundError
	if errors.As(err, &nf) {
		return fmt.Errorf("no user named %q", username)
	}
	return fmt.Errorf("%s: %w", doing, err)
}

// readPassword reads one line from r, without its line ending. It reads no
// further than the line, so nothing after it is consumed by accident.
func readPassword(r io.Reader) (string, error) {
	line, err := bufio.NewReaderSize(r, 256).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read the password from standard input: %w", err)
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", errors.New("no password on standard input; send it as one line")
	}
	return line, nil
}

func cmdTokenCreate(ctx context.Context, args []string, env *environment) error {
	f := newFlags("token create", "token create --username NAME [--ttl 720h] [--db PATH_OR_URL]",
		"Prints a new API bearer token for the user on standard output, and nothing else:\n"+
			"  TOKEN=$(parley token create --username ana)\n"+
			"  curl -H \"Authorization: Bearer $TOKEN\" http://127.0.0.1:8080/api/v1/negotiations\n"+
			"The token is shown once; only its hash is stored.")
	username := f.String("username", "", "the user the token acts for (required)")
	ttl := f.Duration("ttl", 720*time.Hour, "how long the token is valid")
	db := dbFlag(f)
	if err := f.parseNoArgs(args, env, "username"); err != nil {
		return err
	}
	if *ttl <= 0 || *ttl > maxTokenTTL {
		return usagef("token create: --ttl must be positive and at most %s", maxTokenTTL)
	}
	return withStore(ctx, *db, func(s *store.Store) error {
		u, _, err := s.UserByName(ctx, *username)
		if err != nil {
			return userError(err, *username, "find user")
		}
		token, hash, err := auth.NewToken()
		if err != nil {
			return err
		}
		if err := s.CreateToken(ctx, u.ID, hash, "api", time.Now().UTC().Add(*ttl)); err != nil {
			return fmt.Errorf("store the token: %w", err)
		}
		fmt.Fprintln(env.stdout, token)
		return nil
	})
}
