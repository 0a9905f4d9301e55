package domain

import (
	"fmt"
	"time"
)

// FaultCause names why the database could not do its part of a request.
// Each is also the last segment of the problem type the API answers with
// and the cause label of parley_db_errors_total.
type FaultCause string

const (
	// FaultUnreachable means no connection to the database could be made or
	// kept (refused, reset, timed out, closed under the request).
	FaultUnreachable FaultCause = "database-unreachable"
	// FaultRestarting means the database server said it is shutting down or
	// starting up (PostgreSQL 57P01, 57P02, 57P03).
	FaultRestarting FaultCause = "database-restarting"
	// FaultStorageFull means the database could not write for lack of space
	// (SQLite's "database or disk is full", PostgreSQL 53100).
	FaultStorageFull FaultCause = "storage-full"
)

// FaultError is a database failure that is neither the client's doing nor
// a bug: HTTP 503 while the database is unreachable or restarting, 507
// while its storage is full. Database and FreeBytes are for the operator's
// log and are never sent to a client.
type FaultError struct {
	Cause FaultCause
	// Database names the database: the SQLite file, or PostgreSQL's
	// host:port/name (never its credentials).
	Database string
	// FreeBytes is the space left on the file system of a SQLite database
	// when its storage is full; -1 when not known.
	FreeBytes int64
	Err       error
}

func (e *FaultError) Error() string {
	return fmt.Sprintf("%s (%s): %v", e.Cause, e.Database, e.Err)
}

func (e *FaultError) Unwrap() error { return e.Err }

// Unavailable reports whether the fault is a database that cannot answer
// at all (503), rather than one that answers but cannot store more (507).
func (e *FaultError) Unavailable() bool { return e.Cause != FaultStorageFull }

// RetryAfter is how long a client should wait before trying again: a
// restart takes seconds, a full disk needs someone to free space.
func (c FaultCause) RetryAfter() time.Duration {
	switch c {
	case FaultRestarting:
		return 3 * time.Second
	case FaultStorageFull:
		return time.Minute
	}
	return 5 * time.Second
}
