package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/parley/parley/domain"
	"github.com/parley/parley/store"
)

// maxTokenTTL keeps API tokens from living forever.
const maxTokenTTL = 10 * 365 * 24 * time.Hour

func cmdUser(ctx context.Context, args []string, env *environment) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "-help" {
		if len(args) == 0 {
			return usagef("user: missing subcommand; use parley user add --help")
		}
		fmt.Fprint(env.stdout, "Usage: parley user add --username NAME --role admin|editor|viewer\n\nRun \"parley user add --help\" for its flags.\n")
		return nil
	}
	if args[0] != "add" {
		return usagef("user: unknown subcommand %q; use parley user add", args[0])
	}
	f := newFlags("user add", "user add --username NAME --role admin|editor|viewer [--db PATH_OR_URL]",
		"Creates a user. The password is read from standard input, one line (8 to 72 bytes):\n"+
			"  printf '%s\\n' \"$PASSWORD\" | parley user add --username ana --role editor")
	username := f.String("username", "", "the new user's name: letters, digits, dots, dashes, underscores (required)")
	role := f.String("role", "", "viewer (reads), editor (also writes) or admin (also manages users) (required)")
	db := dbFlag(f)
	rest, err := f.parse(args[1:], env)
	if err != nil {
		return err
	}
	if err := f.noArgs(rest); err != nil {
		return err
	}
	if err := f.required("username", *username); err != nil {
		return err
	}
	if err := f.required("role", *role); err != nil {
		return err
	}
	password, err := readPassword(env.stdin)
	if err != nil {
		return err
	}
	if errs := domain.ValidateUser(*username, password, *role); len(errs) > 0 {
		return errs.Err()
	}
	hash, err := domain.HashPassword(password)
	if err != nil {
		return err
	}
	s, _, err := openStore(ctx, *db, store.Options{})
	if err != nil {
		return err
	}
	defer s.Close()
	u, err := s.CreateUser(ctx, *username, hash, *role)
	if err != nil {
		var conflict *domain.ConflictError
		if errors.As(err, &conflict) {
			return fmt.Errorf("a user named %q already exists", *username)
		}
		return fmt.Errorf("create user: %w", err)
	}
	fmt.Fprintf(env.stdout, "Created user %s (%s)\n", u.Username, u.Role)
	return nil
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

func cmdToken(ctx context.Context, args []string, env *environment) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "-help" {
		if len(args) == 0 {
			return usagef("token: missing subcommand; use parley token create --help")
		}
		fmt.Fprint(env.stdout, "Usage: parley token create --username NAME [--ttl 720h]\n\nRun \"parley token create --help\" for its flags.\n")
		return nil
	}
	if args[0] != "create" {
		return usagef("token: unknown subcommand %q; use parley token create", args[0])
	}
	f := newFlags("token create", "token create --username NAME [--ttl 720h] [--db PATH_OR_URL]",
		"Prints a new API bearer token for the user on standard output, and nothing else:\n"+
			"  TOKEN=$(parley token create --username ana)\n"+
			"  curl -H \"Authorization: Bearer $TOKEN\" http://127.0.0.1:8080/api/v1/negotiations\n"+
			"The token is shown once; only its hash is stored.")
	username := f.String("username", "", "the user the token acts for (required)")
	ttl := f.Duration("ttl", 720*time.Hour, "how long the token is valid")
	db := dbFlag(f)
	rest, err := f.parse(args[1:], env)
	if err != nil {
		return err
	}
	if err := f.noArgs(rest); err != nil {
		return err
	}
	if err := f.required("username", *username); err != nil {
		return err
	}
	if *ttl <= 0 || *ttl > maxTokenTTL {
		return usagef("token create: --ttl must be positive and at most %s", maxTokenTTL)
	}
	s, _, err := openStore(ctx, *db, store.Options{})
	if err != nil {
		return err
	}
	defer s.Close()
	u, _, err := s.UserByName(ctx, *username)
	if err != nil {
		var nf *domain.NotFoundError
		if errors.As(err, &nf) {
			return fmt.Errorf("no user named %q", *username)
		}
		return fmt.Errorf("find user: %w", err)
	}
	token, hash, err := domain.NewToken()
	if err != nil {
		return err
	}
	if err := s.CreateToken(ctx, u.ID, hash, "api", time.Now().UTC().Add(*ttl)); err != nil {
		return fmt.Errorf("store the token: %w", err)
	}
	fmt.Fprintln(env.stdout, token)
	return nil
}
