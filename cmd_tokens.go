package main

import (
	"context"
	"fmt"
	"time"

	"github.com/parley/parley/auth"
	"github.com/parley/parley/store"
)

// maxTokenTTL keeps API tokens from living forever.
const maxTokenTTL = 10 * 365 * 24 * time.Hour

// tokenSubcommands are what "parley token" does.
var tokenSubcommands = []subcommand{
	{"create", "token create --username NAME [--ttl 720h]", cmdTokenCreate},
}

func cmdToken(ctx context.Context, args []string, env *environment) error {
	return dispatch(ctx, "token", tokenSubcommands, args, env)
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
