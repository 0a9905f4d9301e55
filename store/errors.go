package store

import (
	"errors"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/mattn/go-sqlite3"
)

// constraintKind classifies a driver error as a broken unique or foreign key
// constraint, so that what a client caused becomes a domain error and the
// driver's text goes no further.
type constraintKind int

const (
	notConstraint constraintKind = iota
	uniqueViolation
	foreignKeyViolation
)

func constraintOf(err error) constraintKind {
	var se sqlite3.Error
	if errors.As(err, &se) {
		switch se.ExtendedCode {
		case sqlite3.ErrConstraintUnique, sqlite3.ErrConstraintPrimaryKey:
			return uniqueViolation
		case sqlite3.ErrConstraintForeignKey:
			return foreignKeyViolation
		}
		return notConstraint
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "23505":
			return uniqueViolation
		case "23503":
			return foreignKeyViolation
		}
	}
	return notConstraint
}
