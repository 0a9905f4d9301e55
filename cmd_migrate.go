package main

import (
	"context"
	"fmt"

	"github.com/parley/parley/store"
)

func cmdMigrate(ctx context.Context, args []string, env *environment) error {
	f := newFlags("migrate", "migrate [--db PATH_OR_URL]",
		"Applies pending schema migrations and exits. Running it again applies nothing.")
	db := dbFlag(f)
	if err := f.parseNoArgs(args, env); err != nil {
		return err
	}
	s, applied, err := openStore(ctx, *db, store.Options{})
	if err != nil {
		return err
	}
	defer s.Close()
	if len(applied) == 0 {
		fmt.Fprintln(env.stdout, "The database is up to date.")
		return nil
	}
	for _, v := range applied {
		fmt.Fprintf(env.stdout, "Applied migration %s\n", v)
	}
	return nil
}
