package store

import (
	"context"
	"database/sql"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/stdlib"
	"gorm.io/gorm"
)

// distrustFor is how long after a connection was found closed under a
// request every pooled PostgreSQL connection is pinged before it is used:
// when the server restarts, every connection in the pool dies at once, and
// the requests that follow should not each meet a dead one first.
const distrustFor = 5 * time.Second

// connHealth remembers when a connection was last found closed.
type connHealth struct {
	lostAt atomic.Int64 // unix nanoseconds; 0 for never
}

func (h *connHealth) lost() { h.lostAt.Store(time.Now().UnixNano()) }

// shouldPing decides whether pgx checks a pooled connection before reuse:
// after a second idle (pgx's own default), and always shortly after a
// connection was lost. A failed ping makes database/sql discard the
// connection and take another, or open a fresh one.
func (h *connHealth) shouldPing(_ context.Context, p stdlib.ShouldPingParams) bool {
	if p.IdleDuration > time.Second {
		return true
	}
	at := h.lostAt.Load()
	return at != 0 && time.Since(time.Unix(0, at)) < distrustFor
}

// readPool is the PostgreSQL read handle's connection pool: it retries
// once, on a new connection, a single-statement read that failed on a
// connection the server had closed. Reads have no effect, so running one
// twice is always safe; statements on it outside a transaction are only
// ever reads (writes go through Store.write, on a handle without this).
// Transactions it begins are plain: Store.read decides about retrying those.
type readPool struct {
	db    *sql.DB
	fresh *sql.DB // keeps no connection: each use opens a new one
	store *Store
}

var (
	_ gorm.ConnPool       = (*readPool)(nil)
	_ gorm.TxBeginner     = (*readPool)(nil)
	_ gorm.GetDBConnector = (*readPool)(nil)
)

func (p *readPool) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	rows, err := p.db.QueryContext(ctx, query, args...)
	if err != nil && p.store.lostConnection(ctx, err) {
		rows, err = p.fresh.QueryContext(ctx, query, args...)
	}
	return rows, err
}

func (p *readPool) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	row := p.db.QueryRowContext(ctx, query, args...)
	if err := row.Err(); err != nil && p.store.lostConnection(ctx, err) {
		row = p.fresh.QueryRowContext(ctx, query, args...)
	}
	return row
}

func (p *readPool) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return p.db.ExecContext(ctx, query, args...)
}

func (p *readPool) PrepareContext(ctx context.Context, query string) (*sql.Stmt, error) {
	return p.db.PrepareContext(ctx, query)
}

func (p *readPool) BeginTx(ctx context.Context, opts *sql.TxOptions) (*sql.Tx, error) {
	return p.db.BeginTx(ctx, opts)
}

func (p *readPool) GetDBConn() (*sql.DB, error) { return p.db, nil }
