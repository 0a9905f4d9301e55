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
	"strings"
	"time"

	"github.com/parley/parley/domain"
	"github.com/parley/parley/report"
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

func cmdReport(ctx context.Context, args []string, env *environment) error {
	f := newFlags("report", "report --negotiation ID --format FORMAT [--as-of T | --as-of-round ROUND_ID] [--recorded-as-of T] [--since T] [-o FILE] [--db PATH_OR_URL]",
		"Writes a negotiation's status report. Formats: "+strings.Join(report.FormatNames(), ", ")+".\n"+
			"T is an RFC 3339 time (2025-05-16T12:00:00Z) or a date (2025-05-16): as --as-of or\n"+
			"--recorded-as-of the end of that day, as --since its start (UTC).\n"+
			"--as-of and --as-of-round are negotiation time (when things happened in the talks);\n"+
			"--recorded-as-of is record time (what the database held then).")
	negotiation := f.String("negotiation", "", "the negotiation's id (required)")
	format := f.String("format", "", strings.Join(report.FormatNames(), ", ")+" (required)")
	asOf := f.String("as-of", "", "report the negotiation as it stood at this time in the talks (default: now)")
	asOfRound := f.String("as-of-round", "", "report the negotiation as it stood at the end of this round")
	recordedAsOf := f.String("recorded-as-of", "", "report what had been recorded by this time (default: everything)")
	since := f.String("since", "", "list what changed since this time")
	out := f.String("o", "", "write to this file (default: standard output)")
	db := dbFlag(f)
	if err := f.parseNoArgs(args, env, "negotiation"); err != nil {
		return err
	}
	if _, ok := report.LookupFormat(*format); !ok {
		return usagef("report: --format must be one of %s", strings.Join(report.FormatNames(), ", "))
	}
	if *asOf != "" && *asOfRound != "" {
		return usagef("report: give --as-of or --as-of-round, not both")
	}
	var at domain.Moment
	var sinceTime time.Time
	for _, p := range []struct {
		flag, value string
		end         bool
		dst         *time.Time
	}{{"as-of", *asOf, true, &at.AsOf}, {"recorded-as-of", *recordedAsOf, true, &at.RecordedAsOf}, {"since", *since, false, &sinceTime}} {
		if p.value == "" {
			continue
		}
		t, err := domain.ParseInstant(p.value, p.end)
		if err != nil {
			return usagef("report: --%s: %v", p.flag, err)
		}
		*p.dst = t
	}
	return withStore(ctx, *db, func(s *store.Store) error {
		if *asOfRound != "" {
			r, err := s.Get(ctx, domain.KindRound, *asOfRound)
			round, ok := r.(*domain.Round)
			if err != nil || !ok || round.NegotiationID != *negotiation {
				return fmt.Errorf("--as-of-round: no round %s in negotiation %s", *asOfRound, *negotiation)
			}
			at.AsOf = domain.RoundEnd(round)
		}
		rep, err := domain.LoadReport(ctx, s, *negotiation, at, sinceTime, time.Now().UTC(), report.DrawsTimeline(*format))
		if err != nil {
			var nf *domain.NotFoundError
			if errors.As(err, &nf) && at.IsNow() {
				return fmt.Errorf("no negotiation %s", *negotiation)
			}
			if errors.As(err, &nf) {
				return fmt.Errorf("no negotiation %s as of %s", *negotiation, formatMoment(at))
			}
			return fmt.Errorf("load the negotiation: %w", err)
		}
		return writeOutput(*out, env.stdout, 0o644, func(w io.Writer) error {
			return report.Render(w, *format, rep)
		})
	})
}

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
	var in io.Reader = env.stdin
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

// formatMoment names the instant a report was asked for, as the command
// line took it.
func formatMoment(at domain.Moment) string {
	var parts []string
	if !at.AsOf.IsZero() {
		parts = append(parts, at.AsOf.Format(time.RFC3339))
	}
	if !at.RecordedAsOf.IsZero() {
		parts = append(parts, "recorded as of "+at.RecordedAsOf.Format(time.RFC3339))
	}
	return strings.Join(parts, ", ")
}
