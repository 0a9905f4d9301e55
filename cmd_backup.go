package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/parley/parley/store"
)

// firstMigration starts the version of the migration every parley database
// has applied; a file on which Migrate still applies it was not a parley
// database.
const firstMigration = "0001_"

func cmdRestore(ctx context.Context, args []string, env *environment) error {
	f := newFlags("restore", "restore FILE [--db PATH]",
		"Puts a copy written by parley backup in place as the SQLite database --db (or PARLEY_DB),\n"+
			"only if that file does not exist yet: it never overwrites a database. Stop parley serve,\n"+
			"move the damaged database aside, restore, start again. The copy is checked (PRAGMA\n"+
			"integrity_check) and migrated to this version of parley; FILE itself is not changed.\n"+
			"For PostgreSQL use pg_restore (see the README); between kinds of database use export/import.")
	db := dbFlag(f)
	source, err := f.parseOneFile(args, env)
	if err != nil {
		return err
	}
	target := databaseLocation(*db)
	if isPostgresURL(target) {
		return usagef("restore: --db is a PostgreSQL URL; restore PostgreSQL with pg_restore (see the README)")
	}
	if err := checkRestoreSource(source); err != nil {
		return err
	}
	// A WAL or shared-memory file left beside the target would be read as
	// part of the restored database.
	for _, p := range []string{target, target + "-wal", target + "-shm"} {
		if _, err := os.Stat(p); err == nil {
			return fmt.Errorf("restore: %s already exists; restore only into a new file (move the old database aside first)", p)
		} else if !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("restore: %w", err)
		}
	}
	if err := copyNew(source, target); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	applied, err := verifyRestored(ctx, target)
	if err != nil {
		removeDatabase(target)
		return fmt.Errorf("restore: %s: %w", source, err)
	}
	fmt.Fprintf(env.stdout, "Restored %s to %s\n", source, target)
	for _, v := range applied {
		fmt.Fprintf(env.stdout, "Applied migration %s\n", v)
	}
	return nil
}

func isPostgresURL(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// checkRestoreSource refuses what is not a closed SQLite file: a database
// with a WAL beside it holds commits that a copy of the main file alone
// would lose (a live database is copied with parley backup, not cp).
func checkRestoreSource(source string) error {
	info, err := os.Stat(source)
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	if !info.Mode().IsRegular() {
		return fmt.Errorf("restore: %s is not a regular file", source)
	}
	if wal, err := os.Stat(source + "-wal"); err == nil && wal.Size() > 0 {
		return fmt.Errorf("restore: %s has a write-ahead log beside it (in use, or not closed cleanly); take a copy with parley backup", source)
	}
	return nil
}

// copyNew copies source to target, which must not exist, and syncs it and
// its directory so that a restored database survives a power loss.
func copyNew(source, target string) (err error) {
	in, err := os.Open(source)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(target, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			out.Close()
			os.Remove(target)
		}
	}()
	if _, err = io.Copy(out, in); err != nil {
		return err
	}
	if err = out.Sync(); err != nil {
		return err
	}
	if err = out.Close(); err != nil {
		return err
	}
	if dir, derr := os.Open(filepath.Dir(target)); derr == nil {
		_ = dir.Sync() // not every file system syncs directories; the file itself is synced
		dir.Close()
	}
	return nil
}

// verifyRestored opens the restored file, checks its integrity and that it
// is a parley database, and applies this version's pending migrations.
func verifyRestored(ctx context.Context, target string) ([]string, error) {
	s, err := store.Open(ctx, target, store.Options{})
	if err != nil {
		return nil, err
	}
	defer s.Close()
	if err := s.IntegrityCheck(ctx); err != nil {
		return nil, err
	}
	applied, err := s.Migrate(ctx)
	if err != nil {
		return nil, err
	}
	if slices.ContainsFunc(applied, func(v string) bool { return strings.HasPrefix(v, firstMigration) }) {
		return nil, errors.New("not a parley database")
	}
	return applied, nil
}

// removeDatabase deletes a SQLite database and the files SQLite keeps
// beside it.
func removeDatabase(path string) {
	for _, p := range []string{path, path + "-wal", path + "-shm", path + "-journal"} {
		os.Remove(p)
	}
}

func cmdBackup(ctx context.Context, args []string, env *environment) error {
	f := newFlags("backup", "backup -o FILE [--db PATH]",
		"Writes a consistent copy of a live SQLite database to a new file while parley serve\n"+
			"keeps running (VACUUM INTO). For PostgreSQL use pg_dump (see the README).")
	out := f.String("o", "", "the new file (required; must not exist)")
	db := dbFlag(f)
	if err := f.parseNoArgs(args, env, "o"); err != nil {
		return err
	}
	if _, err := os.Stat(*out); err == nil {
		return fmt.Errorf("backup: %s already exists; choose a new file", *out)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("backup: %w", err)
	}
	return withStore(ctx, *db, func(s *store.Store) error {
		if err := s.Backup(ctx, *out); err != nil {
			return fmt.Errorf("backup: %w", err)
		}
		fmt.Fprintf(env.stdout, "Backed up to %s\n", *out)
		return nil
	})
}
