//go:build !cgo

package store

import "errors"

// errNoCgo explains the one way SQLite cannot open: the driver
// (mattn/go-sqlite3) is C, and without a C compiler Go quietly builds it as
// a stub that fails at the first query with a cryptic message.
var errNoCgo = errors.New("store: this parley was built without cgo, which SQLite needs: install a C compiler (Debian: apt-get install gcc) and build again, or use a postgres:// database")

// sqliteConstraintOf never sees a SQLite error without cgo.
func sqliteConstraintOf(error) (constraintKind, bool) { return notConstraint, false }
