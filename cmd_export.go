package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/parley/parley/store"
)

func cmdExport(ctx context.Context, args []string, env *environment) error {
	f := newFlags("export", "export [-o FILE] [--db PATH_OR_URL]",
		"Writes the whole database as one JSON document: users (without passwords or tokens),\n"+
			"every resource and its whole history. parley import loads it into an empty database.")
	out := f.String("o", "", "write to this file (default: standard output)")
	db := dbFlag(f)
	if err := f.parseNoArgs(args, env); err != nil {
		return err
	}
	return withStore(ctx, *db, func(s *store.Store) error {
		return writeOutput(*out, env.stdout, 0o600, func(w io.Writer) error {
			return s.Export(ctx, w)
		})
	})
}

func cmdImport(ctx context.Context, args []string, env *environment) error {
	f := newFlags("import", "import FILE [--db PATH_OR_URL]",
		"Loads a document written by parley export into an empty database, all or nothing.\n"+
			"A database that already holds users or resources is refused and left as it was.\n"+
			"FILE - reads standard input. Users come back without passwords, so they cannot sign in\n"+
			"until they have one: set it with parley user passwd (or give them API tokens with\n"+
			"parley token create).")
	db := dbFlag(f)
	path, err := f.parseOneFile(args, env)
	if err != nil {
		return err
	}
	in := env.stdin
	if path != "-" {
		file, err := os.Open(path)
		if err != nil {
			return fmt.Errorf("import: %w", err)
		}
		defer file.Close()
		in = file
	}
	// A refused import changes nothing: not even a database file that did
	// not exist before it.
	location := databaseLocation(*db)
	_, statErr := os.Stat(location)
	created := !isPostgresURL(location) && errors.Is(statErr, fs.ErrNotExist)
	err = withStore(ctx, *db, func(s *store.Store) error {
		// The store's errors already begin with "import:".
		return s.Import(ctx, bufio.NewReader(in))
	})
	if err != nil {
		if created {
			removeDatabase(location)
		}
		return err
	}
	fmt.Fprintf(env.stdout, "Imported %s\n", path)
	return nil
}

// writeOutput runs write against standard output, or against a temporary
// file beside path that replaces path only when write succeeded, so that a
// failed report or export never leaves half a file behind.
func writeOutput(path string, stdout io.Writer, mode os.FileMode, write func(io.Writer) error) error {
	if path == "" || path == "-" {
		return write(stdout)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // fails harmlessly once renamed
	w := bufio.NewWriter(tmp)
	if err := write(w); err != nil {
		tmp.Close()
		return err
	}
	if err := w.Flush(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(mode); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
