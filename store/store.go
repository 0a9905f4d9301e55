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

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
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
	// CheckSnapshotCache makes every use of a cached snapshot verify
	// that no reader changed it: a check for tests, which costs an
	// encoding of the whole snapshot each time.
	CheckSnapshotCache bool
}

const (
	dialectSQLite   = "sqlite"
	dialectPostgres = "postgres"

	defaultReadConns = 4
	postgresConns    = 10
	// retryConns bounds the connections retries open at once on
	// PostgreSQL, beside the postgresConns of the pool.
	retryConns = 4
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
	// name is the database as a log may show it: the SQLite file, or
	// PostgreSQL's host:port/name without credentials.
	name   string
	health *connHealth
	space  *spaceState
	// fresh, on PostgreSQL, opens a new connection for every use and keeps
	// none: a retry after a lost connection runs there, on a connection
	// the failure cannot have touched (nil on SQLite, which loses none).
	fresh *gorm.DB
	// snaps keeps the current snapshots last read (snapshot_cache.go).
	snaps *snapshotCache
}

var _ domain.Store = (*Store)(nil)

// Open opens a SQLite file path (default driver) or a postgres:// /
// postgresql:// URL. It does not migrate.
func Open(ctx context.Context, dsn string, opts Options) (*Store, error) {
	if dsn == "" {
		return nil, errors.New("store: no database given")
	}
	var s *Store
	var err error
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		s, err = openPostgres(ctx, dsn)
	} else {
		s, err = openSQLite(ctx, dsn, opts)
	}
	if err != nil {
		return nil, err
	}
	s.snaps = newSnapshotCache(opts.CheckSnapshotCache)
	return s, nil
}

func gormConfig() *gorm.Config {
	// The logger is silenced because driver text must never reach a client
	// or a log line by accident; errors are wrapped where they happen.
	return &gorm.Config{Logger: logger.Discard, SkipDefaultTransaction: true}
}

// connectTimeout bounds a new PostgreSQL connection when the URL (or
// PGCONNECT_TIMEOUT) sets none: a server that does not answer is an outage
// the client hears about in seconds, not a request that hangs.
const connectTimeout = 2 * time.Second

func openPostgres(ctx context.Context, dsn string) (*Store, error) {
	health := &connHealth{}
	s := &Store{dialect: dialectPostgres, name: postgresName(dsn), health: health, space: &spaceState{}}
	open := func(maxOpen, maxIdle int) (*gorm.DB, *sql.DB, error) {
		db, err := gorm.Open(postgres.New(postgres.Config{DSN: dsn, OptionOpenDB: []stdlib.OptionOpenDB{
			stdlib.OptionShouldPing(health.shouldPing),
			stdlib.OptionBeforeConnect(func(_ context.Context, c *pgx.ConnConfig) error {
				if c.ConnectTimeout == 0 {
					c.ConnectTimeout = connectTimeout
				}
				return nil
			}),
		}}), gormConfig())
		if err != nil {
			return nil, nil, err
		}
		sqlDB, err := db.DB()
		if err != nil {
			return nil, nil, err
		}
		sqlDB.SetMaxOpenConns(maxOpen)
		sqlDB.SetMaxIdleConns(maxIdle)
		sqlDB.SetConnMaxIdleTime(5 * time.Minute)
		return db, sqlDB, nil
	}
	var (
		pool, fresh *sql.DB
		err         error
	)
	if s.w, pool, err = open(postgresConns, postgresConns); err == nil {
		s.fresh, fresh, err = open(retryConns, 0)
	}
	if err == nil {
		// Reads share the writer's pool through a handle that retries them.
		s.r, err = gorm.Open(postgres.New(postgres.Config{Conn: &readPool{db: pool, fresh: fresh, store: s}}), gormConfig())
	}
	if err == nil {
		err = s.Ping(ctx)
	}
	if err != nil {
		for _, db := range []*sql.DB{pool, fresh} {
			if db != nil {
				_ = db.Close()
			}
		}
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
	s := &Store{dialect: dialectSQLite, w: w, r: r, name: path, health: &connHealth{}, space: &spaceState{}}
	if err := s.Ping(ctx); err != nil {
		_ = s.Close()
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	return s, nil
}

// Close releases every connection.
func (s *Store) Close() error {
	var errs []error
	for _, db := range s.pools() {
		errs = append(errs, db.Close())
	}
	return errors.Join(errs...)
}

// pools are the connection pools behind the handles: the writer's and the
// readers' on SQLite, one shared by both on PostgreSQL.
func (s *Store) pools() []*sql.DB {
	var out []*sql.DB
	w, werr := s.w.DB()
	if werr == nil {
		out = append(out, w)
	}
	if r, err := s.r.DB(); err == nil && (werr != nil || r != w) {
		out = append(out, r)
	}
	if s.fresh != nil {
		if f, err := s.fresh.DB(); err == nil {
			out = append(out, f)
		}
	}
	return out
}

// postgresName is a PostgreSQL URL as a log may show it: host, port and
// database, without user or password.
func postgresName(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "postgres"
	}
	return u.Host + u.Path
}

// Dialect is "sqlite" or "postgres".
func (s *Store) Dialect() string { return s.dialect }

// Ping checks that the database answers a query and, for /readyz, that it
// can store more: while a write has last failed for lack of space it
// returns that fault (a *domain.FaultError), trying a small write now and
// then to see whether space was freed.
func (s *Store) Ping(ctx context.Context) error {
	var one int
	if err := s.r.WithContext(ctx).Raw("SELECT 1").Row().Scan(&one); err != nil {
		return s.asFault(fmt.Errorf("store: ping: %w", err))
	}
	return s.spaceFault(ctx)
}

// write runs fn in one write transaction: BEGIN IMMEDIATE on SQLite's single
// writer connection, an ordinary transaction on PostgreSQL. fn's error is
// returned as it is, so domain errors pass through untouched; a database
// fault comes back as a *domain.FaultError. fn may run twice (see
// transact): it must not depend on anything a first run left behind, and
// every write of the store is written so.
func (s *Store) write(ctx context.Context, fn func(tx *gorm.DB) error) error {
	err := s.transact(ctx, s.w, fn, true)
	s.noteWrite(err)
	return s.asFault(err)
}

// Atomically runs fn with a Store whose every read and write happens in
// one transaction: when fn returns an error, nothing it wrote is kept, and
// otherwise all of it is, at once. Reads inside fn see fn's own writes.
// Each write fn makes is still a whole unit with its revision (a savepoint
// inside the transaction).
func (s *Store) Atomically(ctx context.Context, fn func(tx domain.Store) error) error {
	return s.write(ctx, func(tx *gorm.DB) error { return fn(s.within(tx)) })
}

// within is s working inside the transaction tx. It never retries on a
// fresh connection: that would step outside the transaction.
func (s *Store) within(tx *gorm.DB) *Store {
	return &Store{dialect: s.dialect, w: tx, r: tx, name: s.name, health: s.health, space: s.space}
}

// read runs fn in one read transaction so that a view made of several
// queries sees one consistent state. SQLite's WAL gives a read transaction
// one snapshot from its first query on; PostgreSQL's default READ COMMITTED
// would give each query a snapshot of its own, so there the transaction is
// REPEATABLE READ (read only, so it can never fail to serialize). fn
// gathers its results as it goes, so it never runs twice.
func (s *Store) read(ctx context.Context, fn func(tx *gorm.DB) error) error {
	var opts []*sql.TxOptions
	if s.dialect == dialectPostgres {
		opts = append(opts, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	}
	return s.asFault(s.transact(ctx, s.r, fn, false, opts...))
}

// transact runs fn in a transaction on db, and once more, on a new
// connection (s.fresh), when the first attempt provably had no effect:
//   - the transaction could not begin on a connection the server had
//     closed (fn never ran);
//   - with rerun, a statement inside fn failed without being sent (pgx's
//     SafeToRetry, which database/sql passes on as driver.ErrBadConn):
//     COMMIT was then never sent, and PostgreSQL drops a transaction whose
//     connection is gone.
//
// A failure at COMMIT is never retried, whatever the driver says: pgx can
// report "conn closed" as safe to retry while it reads the answer to a
// COMMIT the server has applied (TestOutagePostgres met that as duplicate
// writes).
func (s *Store) transact(ctx context.Context, db *gorm.DB, fn func(tx *gorm.DB) error, rerun bool, opts ...*sql.TxOptions) error {
	for attempt := 0; ; attempt++ {
		started := false
		var fnErr error
		err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			started = true
			fnErr = fn(tx)
			return fnErr
		}, opts...)
		retry := err != nil && attempt == 0 &&
			(!started && s.lostConnection(ctx, err) || rerun && fnErr != nil && s.neverSent(ctx, fnErr))
		if !retry {
			return err
		}
		if s.fresh != nil {
			db = s.fresh
		}
	}
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
