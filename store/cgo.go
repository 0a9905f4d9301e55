//go:build cgo

package store

import (
	"errors"

	"github.com/mattn/go-sqlite3"
)

// errNoCgo is nil when cgo, and so SQLite, is available (see nocgo.go).
var errNoCgo error

// sqliteConstraintOf classifies a SQLite error; ok is false for an error
// that is not SQLite's.
func sqliteConstraintOf(err error) (kind constraintKind, ok bool) {
	var se sqlite3.Error
	if !errors.As(err, &se) {
		return notConstraint, false
	}
	switch se.ExtendedCode {
	case sqlite3.ErrConstraintUnique, sqlite3.ErrConstraintPrimaryKey:
		return uniqueViolation, true
	case sqlite3.ErrConstraintForeignKey:
		return foreignKeyViolation, true
	}
	return notConstraint, true
}
