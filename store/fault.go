package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/parley/parley/domain"
)

// PostgreSQL error codes that are faults of the database rather than of
// the request (https://www.postgresql.org/docs/current/errcodes-appendix.html).
const (
	pgDiskFull           = "53100"
	pgTooManyConnections = "53300"
	pgAdminShutdown      = "57P01" // the server is shutting down (pg_ctl stop/restart -m fast)
	pgCrashShutdown      = "57P02" // another backend crashed; the server is resetting
	pgCannotConnectNow   = "57P03" // the server is starting up or shutting down
	pgIdleSessionTimeout = "57P05"
	pgConnectionClass    = "08" // connection exception
)

// classify tells a database fault from every other error: the cause, and
// whether it is one at all. Connection faults only exist on PostgreSQL;
// gating them on the dialect keeps an io.EOF from elsewhere on a SQLite
// server from being taken for one.
func (s *Store) classify(err error) (domain.FaultCause, bool) {
	if err == nil || errors.Is(err, context.Canceled) {
		return "", false
	}
	if sqliteFull(err) {
		return domain.FaultStorageFull, true
	}
	if s.dialect != dialectPostgres {
		return "", false
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch {
		case pe.Code == pgDiskFull:
			return domain.FaultStorageFull, true
		case pe.Code == pgAdminShutdown, pe.Code == pgCrashShutdown, pe.Code == pgCannotConnectNow:
			return domain.FaultRestarting, true
		case pe.Code == pgTooManyConnections, pe.Code == pgIdleSessionTimeout, strings.HasPrefix(pe.Code, pgConnectionClass):
			return domain.FaultUnreachable, true
		}
		return "", false
	}
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) || connectionBroken(err) {
		return domain.FaultUnreachable, true
	}
	return "", false
}

// connectionBroken reports an error of the connection itself rather than of
// a statement: the socket failed, the server hung up, or the driver had
// already found the connection dead.
func connectionBroken(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.EPIPE) ||
		errors.Is(err, driver.ErrBadConn) || errors.Is(err, sql.ErrConnDone) || errors.Is(err, pgconn.ErrConnClosed) ||
		pgconn.SafeToRetry(err)
}

// lostConnection reports a failure on a connection that was open — the
// server closed it (a restart's 57P01, or a socket reset) — as opposed to
// one that could not be opened. Only the first kind is worth another try at
// once: a pooled connection is as old as the failure, a fresh one is not,
// while a connect that just failed would fail again.
func (s *Store) lostConnection(ctx context.Context, err error) bool {
	if ctx.Err() != nil {
		return false
	}
	cause, ok := s.classify(err)
	if !ok || cause == domain.FaultStorageFull {
		return false
	}
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) {
		return false
	}
	s.health.lost()
	return true
}

// neverSent reports a statement that failed before any of it reached the
// server: pgx says so with SafeToRetry, and its database/sql driver turns
// that into driver.ErrBadConn.
func (s *Store) neverSent(ctx context.Context, err error) bool {
	if ctx.Err() != nil || !(pgconn.SafeToRetry(err) || errors.Is(err, driver.ErrBadConn)) {
		return false
	}
	s.health.lost()
	return true
}

// Fault returns the database fault in an error the store returned, nil if
// it is none. Reads and writes through the store's transactions already
// return a *domain.FaultError; single-statement reads hand back the
// driver's error, which the API passes here before answering.
func (s *Store) Fault(err error) *domain.FaultError {
	var fe *domain.FaultError
	if errors.As(err, &fe) {
		return fe
	}
	cause, ok := s.classify(err)
	if !ok {
		return nil
	}
	fe = &domain.FaultError{Cause: cause, Database: s.name, FreeBytes: -1, Err: err}
	if cause == domain.FaultStorageFull && s.dialect == dialectSQLite {
		fe.FreeBytes = freeBytes(filepath.Dir(s.name))
	}
	return fe
}

// asFault returns err as a *domain.FaultError when it is a fault, and as it
// is otherwise, so that domain errors pass through untouched.
func (s *Store) asFault(err error) error {
	if fe := s.Fault(err); fe != nil {
		return fe
	}
	return err
}
