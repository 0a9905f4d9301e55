// Package store keeps parley's resources, their history and its accounts in
// SQLite (the default) or PostgreSQL, through gorm, with the same code and
// the same SQL for both wherever the dialects allow.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"gorm.io/driver/postgres"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/parley/parley/domain"
)

// Options tunes how a database is opened.
type Options struct {
	// Synchronous is SQLite's PRAGMA synchronous: "NORMAL" (default) or "FULL".
	Synchronous string
	// ReadConns is the size of the SQLite read pool (default 4).
	ReadConns int
}

const (
	dialectSQLite   = "sqlite"
	dialectPostgres = "postgres"

	defaultReadConns = 4
	postgresConns    = 10
)

// Store is a parley database. On SQLite it holds two handles: a writer with
// exactly one connection whose transactions all begin IMMEDIATE, so writers
// queue for the lock instead of failing with "database is locked", and a
// pool of readers that WAL lets run beside it. On PostgreSQL both are the
// same pool.
type Store struct {
	dialect string
	w       *gorm.DB
	r       *gorm.DB
}

var _ domain.Store = (*Store)(nil)

// Open opens a SQLite file path (default driver) or a postgres:// /
// postgresql:// URL. It does not migrate.
func Open(ctx context.Context, dsn string, opts Options) (*Store, error) {
	if dsn == "" {
		return nil, errors.New("store: no database given")
	}
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		return openPostgres(ctx, dsn)
	}
	return openSQLite(ctx, dsn, opts)
}

func gormConfig() *gorm.Config {
	// The logger is silenced because driver text must never reach a client
	// or a log line by accident; errors are wrapped where they happen.
	return &gorm.Config{Logger: logger.Discard, SkipDefaultTransaction: true}
}

func openPostgres(ctx context.Context, dsn string) (*Store, error) {
	db, err := gorm.Open(postgres.Open(dsn), gormConfig())
	if err != nil {
		return nil, fmt.Errorf("store: open postgres: %w", err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, fmt.Errorf("store: open postgres: %w", err)
	}
	sqlDB.SetMaxOpenConns(postgresConns)
	sqlDB.SetMaxIdleConns(postgresConns)
	sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	s := &Store{dialect: dialectPostgres, w: db, r: db}
	if err := s.Ping(ctx); err != nil {
		_ = sqlDB.Close()
		return nil, fmt.Errorf("store: open postgres: %w", err)
	}
	return s, nil
}

func sqliteDSN(path, synchronous string, writer bool) string {
	v := url.Values{}
	v.Set("_journal_mode", "WAL")
	v.Set("_foreign_keys", "on")
	v.Set("_busy_timeout", "10000")
	v.Set("_synchronous", synchronous)
	if writer {
		v.Set("_txlock", "immediate")
	}
	return path + "?" + v.Encode()
}

func openSQLite(ctx context.Context, path string, opts Options) (*Store, error) {
	if errNoCgo != nil {
		return nil, errNoCgo
	}
	sync := strings.ToUpper(strings.TrimSpace(opts.Synchronous))
	if sync == "" {
		sync = "NORMAL"
	}
	if sync != "NORMAL" && sync != "FULL" {
		return nil, fmt.Errorf("store: synchronous must be NORMAL or FULL, not %q", opts.Synchronous)
	}
	// The driver cuts the DSN at the first '?', so a path holding one would
	// silently open another file.
	if strings.ContainsAny(path, "?#") || strings.HasPrefix(path, "file:") || path == ":memory:" {
		return nil, fmt.Errorf("store: %q is not a plain file path", path)
	}
	readConns := opts.ReadConns
	if readConns <= 0 {
		readConns = defaultReadConns
	}
	w, err := gorm.Open(sqlite.Open(sqliteDSN(path, sync, true)), gormConfig())
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	wdb, err := w.DB()
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	wdb.SetMaxOpenConns(1)
	wdb.SetMaxIdleConns(1)
	wdb.SetConnMaxLifetime(0)
	wdb.SetConnMaxIdleTime(0)
	// The writer connects first, so the file exists and is in WAL mode
	// before any reader opens it.
	if err := wdb.PingContext(ctx); err != nil {
		_ = wdb.Close()
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	r, err := gorm.Open(sqlite.Open(sqliteDSN(path, sync, false)), gormConfig())
	if err != nil {
		_ = wdb.Close()
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	rdb, err := r.DB()
	if err != nil {
		_ = wdb.Close()
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	rdb.SetMaxOpenConns(readConns)
	rdb.SetMaxIdleConns(readConns)
	s := &Store{dialect: dialectSQLite, w: w, r: r}
	if err := s.Ping(ctx); err != nil {
		_ = s.Close()
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	return s, nil
}

// Close releases every connection.
func (s *Store) Close() error {
	var errs []error
	if db, err := s.w.DB(); err == nil {
		errs = append(errs, db.Close())
	}
	if s.r != s.w {
		if db, err := s.r.DB(); err == nil {
			errs = append(errs, db.Close())
		}
	}
	return errors.Join(errs...)
}

// Dialect is "sqlite" or "postgres".
func (s *Store) Dialect() string { return s.dialect }

// Ping checks that the database answers a query, for /readyz.
func (s *Store) Ping(ctx context.Context) error {
	var one int
	if err := s.r.WithContext(ctx).Raw("SELECT 1").Row().Scan(&one); err != nil {
		return fmt.Errorf("store: ping: %w", err)
	}
	return nil
}

// write runs fn in one write transaction: BEGIN IMMEDIATE on SQLite's single
// writer connection, an ordinary transaction on PostgreSQL. fn's error is
// returned as it is, so domain errors pass through untouched.
func (s *Store) write(ctx context.Context, fn func(tx *gorm.DB) error) error {
	return s.w.WithContext(ctx).Transaction(fn)
}

// read runs fn in one read transaction so that a view made of several
// queries sees one consistent state. SQLite's WAL gives a read transaction
// one snapshot from its first query on; PostgreSQL's default READ COMMITTED
// would give each query a snapshot of its own, so there the transaction is
// REPEATABLE READ (read only, so it can never fail to serialize).
func (s *Store) read(ctx context.Context, fn func(tx *gorm.DB) error) error {
	if s.dialect == dialectPostgres {
		return s.r.WithContext(ctx).Transaction(fn, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	}
	return s.r.WithContext(ctx).Transaction(fn)
}

// forUpdate locks the rows a write transaction reads before it changes them.
// SQLite needs nothing: its writer transaction already holds the lock.
func (s *Store) forUpdate() string {
	if s.dialect == dialectPostgres {
		return " FOR UPDATE"
	}
	return ""
}

// shareLock holds rows a write transaction reads to check a rule, so that
// no other writer changes them before it commits. SQLite needs nothing.
func (s *Store) shareLock() string {
	if s.dialect == dialectPostgres {
		return " FOR SHARE"
	}
	return ""
}

// now is the store's clock: UTC, truncated to PostgreSQL's microseconds so
// that what is returned equals what is read back.
func now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }

// bound prepares a time for a comparison in SQL: UTC and truncated to the
// stored precision, so that comparing with it gives the same answer as
// comparing the exact instant with what is stored.
func bound(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }
