package store

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/parley/parley/domain"
)

// connectError is a real *pgconn.ConnectError: a connection attempt to a
// loopback port nothing listens on.
func connectError(t *testing.T) error {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err = pgconn.Connect(ctx, "postgres://postgres@"+addr+"/test?sslmode=disable")
	var ce *pgconn.ConnectError
	if !errors.As(err, &ce) {
		t.Fatalf("connecting to a closed port gave %T %v, not a ConnectError", err, err)
	}
	return err
}

// TestClassify pins which errors are database faults, of which cause, and
// which of them a read may be tried again after: a connection that was open
// and was lost, not one that could not be opened.
func TestClassify(t *testing.T) {
	pg := &Store{dialect: dialectPostgres, name: "db:5432/parley", health: &connHealth{}}
	lite := &Store{dialect: dialectSQLite, name: "/data/parley.db", health: &connHealth{}}
	wrapped := func(err error) error { return fmt.Errorf("store: get party: %w", err) }
	tests := []struct {
		name  string
		store *Store
		err   error
		cause domain.FaultCause // "" for no fault
		lost  bool
	}{
		{"admin shutdown (fast restart)", pg, wrapped(&pgconn.PgError{Severity: "FATAL", Code: "57P01"}), domain.FaultRestarting, true},
		{"crash shutdown", pg, &pgconn.PgError{Code: "57P02"}, domain.FaultRestarting, true},
		{"cannot connect now (starting up)", pg, &pgconn.PgError{Code: "57P03"}, domain.FaultRestarting, true},
		{"connection failure, class 08", pg, &pgconn.PgError{Code: "08006"}, domain.FaultUnreachable, true},
		{"too many connections", pg, &pgconn.PgError{Code: "53300"}, domain.FaultUnreachable, true},
		{"disk full", pg, wrapped(&pgconn.PgError{Code: "53100"}), domain.FaultStorageFull, false},
		{"unique violation", pg, &pgconn.PgError{Code: "23505"}, "", false},
		{"syntax error", pg, &pgconn.PgError{Code: "42601"}, "", false},
		{"connection refused", pg, wrapped(connectError(t)), domain.FaultUnreachable, false},
		{"server hung up", pg, wrapped(io.ErrUnexpectedEOF), domain.FaultUnreachable, true},
		{"socket reset", pg, &net.OpError{Op: "read", Net: "tcp", Err: errors.New("connection reset by peer")}, domain.FaultUnreachable, true},
		{"driver found the connection bad", pg, wrapped(driver.ErrBadConn), domain.FaultUnreachable, true},
		{"closed before use", pg, pgconn.ErrConnClosed, domain.FaultUnreachable, true},
		{"client went away", pg, wrapped(context.Canceled), "", false},
		{"domain error", pg, &domain.NotFoundError{Kind: domain.KindParty, ID: "x"}, "", false},
		{"no error", pg, nil, "", false},
		{"an EOF on SQLite is no connection fault", lite, io.ErrUnexpectedEOF, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fe := tt.store.Fault(tt.err)
			switch {
			case tt.cause == "" && fe != nil:
				t.Errorf("Fault(%v) = %v, want none", tt.err, fe)
			case tt.cause != "" && fe == nil:
				t.Errorf("Fault(%v) = nil, want %s", tt.err, tt.cause)
			case fe != nil && (fe.Cause != tt.cause || fe.Database != tt.store.name || !errors.Is(fe, tt.err)):
				t.Errorf("Fault(%v) = %+v, want cause %s on %s wrapping the error", tt.err, fe, tt.cause, tt.store.name)
			}
			if got := tt.store.lostConnection(context.Background(), tt.err); got != tt.lost {
				t.Errorf("lostConnection(%v) = %v, want %v", tt.err, got, tt.lost)
			}
		})
	}
}

// TestNoRetryOnceTheRequestEnded: a request that has ended is not tried
// again, whatever failed.
func TestNoRetryOnceTheRequestEnded(t *testing.T) {
	pg := &Store{dialect: dialectPostgres, health: &connHealth{}}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if pg.lostConnection(ctx, io.ErrUnexpectedEOF) || pg.neverSent(ctx, driver.ErrBadConn) {
		t.Error("a failure after the request's context ended is retried")
	}
	if !pg.neverSent(context.Background(), driver.ErrBadConn) || pg.neverSent(context.Background(), io.ErrUnexpectedEOF) {
		t.Error("neverSent must hold for driver.ErrBadConn alone")
	}
}
