package store

import (
	"errors"

	"github.com/jackc/pgx/v5/pgconn"
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
	if kind, ok := sqliteConstraintOf(err); ok {
		return kind
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
