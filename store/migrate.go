package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"gorm.io/gorm"
)

// migrations holds the schema as versioned SQL files, one directory per
// dialect; both describe the same schema.
//
//go:embed migrations
var migrations embed.FS

// migrationLockKey is the pg_advisory_xact_lock key that keeps two parley
// processes from migrating one PostgreSQL database at the same time.
const migrationLockKey = 0x7061726c // "parl"

// goSteps are the parts of a migration that SQL alone cannot do well, run
// in its transaction right after its SQL file.
var goSteps = map[string]func(tx *gorm.DB) error{
	"0003_negotiation_time": backfillNegotiationTime,
	"0005_rebuttals":        backfillClaims,
}

type migration struct {
	version string
	sql     string
}

func (s *Store) migrations() ([]migration, error) {
	dir := path.Join("migrations", s.dialect)
	entries, err := fs.ReadDir(migrations, dir)
	if err != nil {
		return nil, fmt.Errorf("store: read migrations: %w", err)
	}
	var out []migration
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".sql") {
			continue
		}
		b, err := fs.ReadFile(migrations, path.Join(dir, name))
		if err != nil {
			return nil, fmt.Errorf("store: read migration %s: %w", name, err)
		}
		out = append(out, migration{version: strings.TrimSuffix(name, ".sql"), sql: string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	return out, nil
}

// Migrate applies the migrations not yet recorded in schema_migrations, in
// order, each in a transaction of its own, and returns the versions it
// applied. A second run applies nothing.
func (s *Store) Migrate(ctx context.Context) ([]string, error) {
	return s.migrateTo(ctx, "")
}

// migrateTo applies the pending migrations up to and including version
// last ("" for all of them).
func (s *Store) migrateTo(ctx context.Context, last string) ([]string, error) {
	ms, err := s.migrations()
	if err != nil {
		return nil, err
	}
	if last != "" {
		for i, m := range ms {
			if m.version == last {
				ms = ms[:i+1]
				break
			}
		}
	}
	createTable := "CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT PRIMARY KEY, applied_at TIMESTAMP NOT NULL)"
	if s.dialect == dialectPostgres {
		createTable = "CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL)"
	}
	applied := []string{}
	for _, m := range ms {
		ran := false
		err := s.write(ctx, func(tx *gorm.DB) error {
			if s.dialect == dialectPostgres {
				// Held to the end of the transaction: a second migrator
				// waits here, then finds the version recorded.
				if err := tx.Exec("SELECT pg_advisory_xact_lock(?)", migrationLockKey).Error; err != nil {
					return err
				}
			}
			if err := tx.Exec(createTable).Error; err != nil {
				return err
			}
			var n int64
			if err := tx.Raw("SELECT COUNT(*) FROM schema_migrations WHERE version = ?", m.version).Row().Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return nil
			}
			for _, stmt := range splitStatements(m.sql) {
				if err := tx.Exec(stmt).Error; err != nil {
					return err
				}
			}
			if step := goSteps[m.version]; step != nil {
				if err := step(tx); err != nil {
					return err
				}
			}
			if err := tx.Exec("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)", m.version, now()).Error; err != nil {
				return err
			}
			ran = true
			return nil
		})
		if err != nil {
			return applied, fmt.Errorf("store: migration %s: %w", m.version, err)
		}
		if ran {
			applied = append(applied, m.version)
		}
	}
	return applied, nil
}

// splitStatements cuts a migration file into statements at each semicolon
// that ends a line, dropping comment lines; the files keep to that form so
// that no SQL parser is needed.
func splitStatements(sql string) []string {
	var stmts []string
	var cur strings.Builder
	for _, line := range strings.Split(sql, "\n") {
		trimmed := strings.TrimSpace(line)
		if trimmed == "" || strings.HasPrefix(trimmed, "--") {
			continue
		}
		cur.WriteString(line)
		cur.WriteByte('\n')
		if strings.HasSuffix(trimmed, ";") {
			stmts = append(stmts, strings.TrimSpace(cur.String()))
			cur.Reset()
		}
	}
	if rest := strings.TrimSpace(cur.String()); rest != "" {
		stmts = append(stmts, rest)
	}
	return stmts
}
