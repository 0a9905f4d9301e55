package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/parley/parley/positions"
	"github.com/parley/parley/store"
)

// importActor is the history's actor of an import from the command line
// that names no user.
const importActor = "parley import-positions"

func cmdImportPositions(ctx context.Context, args []string, env *environment) error {
	f := newFlags("import-positions", "import-positions --negotiation ID FILE [--dry-run] [--as USERNAME] [--db PATH_OR_URL]",
		"Imports demands, objections and endorsements into a negotiation from a spreadsheet:\n"+
			"FILE.csv (one sheet of demands) or FILE.xlsx (sheets demands, objections, endorsements),\n"+
			"all rows or none, as POST /api/v1/negotiations/{id}/import does. Every bad cell is\n"+
			"listed on standard output by sheet, row and column; --dry-run lists what would be\n"+
			fmt.Sprintf("created and writes nothing. Files up to %d MiB.", positions.MaxFileBytes>>20))
	negotiation := f.String("negotiation", "", "the negotiation's id (required)")
	dryRun := f.Bool("dry-run", false, "check the file and list what would be created, writing nothing")
	as := f.String("as", "", "record the import in the history as this user's (default: "+importActor+")")
	db := dbFlag(f)
	path, err := f.parseOneFile(args, env)
	if err != nil {
		return err
	}
	if strings.TrimSpace(*negotiation) == "" {
		return usagef("import-positions: --negotiation is required (see parley import-positions --help)")
	}
	data, err := readLimited(path)
	if err != nil {
		return err
	}
	media := positions.MediaTypeOf(path, data)
	if media == "" {
		return usagef("import-positions: %s is neither a .csv nor an .xlsx file", path)
	}
	wb, err := positions.Read(data, media)
	if err != nil {
		return fmt.Errorf("import-positions: %w", err)
	}
	return withStore(ctx, *db, func(s *store.Store) error {
		actor := importActor
		if *as != "" {
			u, _, err := s.UserByName(ctx, *as)
			if err != nil {
				return fmt.Errorf("import-positions: --as: no user named %q", *as)
			}
			actor = u.Username
		}
		res, err := positions.Import(ctx, s, actor, strings.ToLower(strings.TrimSpace(*negotiation)), wb, *dryRun, time.Now())
		var cols *positions.ColumnsError
		if errors.As(err, &cols) {
			printCells(env.stdout, cols.Errors)
			return fmt.Errorf("import-positions: the file's columns are wrong; nothing was imported")
		}
		if err != nil {
			return fmt.Errorf("import-positions: %w", err)
		}
		return reportImport(env, path, res)
	})
}

// readLimited reads an import file, refusing one over the import's limit.
func readLimited(path string) ([]byte, error) {
	file, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("import-positions: %w", err)
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, positions.MaxFileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("import-positions: %w", err)
	}
	if len(data) > positions.MaxFileBytes {
		return nil, fmt.Errorf("import-positions: %s exceeds the import limit of %d MiB; split it", path, positions.MaxFileBytes>>20)
	}
	return data, nil
}

// reportImport prints what was (or would be) created, or every bad cell.
func reportImport(env *environment, path string, res *positions.Result) error {
	if len(res.Errors) > 0 {
		printCells(env.stdout, res.Errors)
		return fmt.Errorf("import-positions: %d bad cell(s) in %s; nothing was imported", len(res.Errors), path)
	}
	verb := "Imported"
	if res.DryRun {
		verb = "Would import"
		for _, it := range res.Items {
			fmt.Fprintf(env.stdout, "%s row %d: %s by %s\n", it.Sheet, it.Row, it.Kind.Singular(), it.Party)
		}
	}
	kinds := make([]string, 0, len(res.Created))
	for k := range res.Created {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	parts := make([]string, 0, len(kinds))
	for _, k := range kinds {
		parts = append(parts, fmt.Sprintf("%d %s", res.Created[k], k))
	}
	if len(parts) == 0 {
		parts = []string{"nothing"}
	}
	fmt.Fprintf(env.stdout, "%s %s from %s\n", verb, strings.Join(parts, ", "), path)
	return nil
}

func printCells(w io.Writer, errs []positions.CellError) {
	for _, ce := range errs {
		fmt.Fprintf(w, "%s row %d, column %s: %s\n", ce.Sheet, ce.Row, ce.Column, ce.Message)
	}
}
