package domain

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// FieldError is one problem with one field of a request.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// FieldErrors collects every problem with a request so that a client learns
// all of them at once.
type FieldErrors []FieldError

// Add records a problem with field.
func (e *FieldErrors) Add(field, format string, args ...any) {
	*e = append(*e, FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

// Err returns nil when there is no problem, else a *ValidationError.
func (e FieldErrors) Err() error {
	if len(e) == 0 {
		return nil
	}
	return &ValidationError{Errors: e}
}

// On returns the first message for field, "" if none: forms show it beside
// the field.
func (e FieldErrors) On(field string) string {
	for _, fe := range e {
		if fe.Field == field {
			return fe.Message
		}
	}
	return ""
}

// ValidationError is well-formed input that breaks a rule: HTTP 422.
type ValidationError struct {
	Errors FieldErrors
}

func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Errors))
	for i, fe := range e.Errors {
		parts[i] = fe.Field + ": " + fe.Message
	}
	return "invalid input: " + strings.Join(parts, "; ")
}

// MalformedError is input that cannot be read as the resource at all:
// broken JSON or fields the resource does not have. HTTP 400.
type MalformedError struct {
	Detail string
	Errors FieldErrors
}

func (e *MalformedError) Error() string { return e.Detail }

// NotFoundError names a resource that does not exist: HTTP 404.
type NotFoundError struct {
	Kind Kind
	ID   string
	// Why, when set, says why a resource that exists is not in a view: a
	// moment before it took effect, or before it was recorded.
	Why string
}

func (e *NotFoundError) Error() string {
	if e.Why != "" {
		return fmt.Sprintf("%s %s not found: %s", e.Kind.Singular(), e.ID, e.Why)
	}
	return fmt.Sprintf("%s %s not found", e.Kind.Singular(), e.ID)
}

// ConflictError is a duplicate, or a delete of something others still refer
// to: HTTP 409.
type ConflictError struct {
	Detail string
	// Field names the duplicated field, if that is the conflict.
	Field string
	// ReferredBy lists what still refers to a resource that was to be deleted.
	ReferredBy []Ref
	// With is the existing record a duplicate collides with, when known.
	With *Conflicting
}

func (e *ConflictError) Error() string { return e.Detail }

// NewReferencedError builds the 409 for deleting what others refer to.
func NewReferencedError(k Kind, id string, refs []Ref) *ConflictError {
	counts := map[Kind]int{}
	for _, r := range refs {
		counts[r.Kind]++
	}
	kinds := make([]string, 0, len(counts))
	for k, n := range counts {
		kinds = append(kinds, fmt.Sprintf("%d %s", n, k))
	}
	sort.Strings(kinds)
	return &ConflictError{
		Detail:     fmt.Sprintf("%s %s is still referred to by %s", k.Singular(), id, strings.Join(kinds, ", ")),
		ReferredBy: refs,
	}
}

// PreconditionError is a conditional change against a stale version: HTTP 412.
type PreconditionError struct {
	Kind    Kind
	ID      string
	Current int
	Wanted  int
}

func (e *PreconditionError) Error() string {
	return fmt.Sprintf("%s %s is at version %d, not %d", e.Kind.Singular(), e.ID, e.Current, e.Wanted)
}

// ErrUnauthenticated is a missing, unknown or expired credential: HTTP 401.
var ErrUnauthenticated = errors.New("missing or invalid credentials")

// ErrForbidden is a role too low for the action: HTTP 403.
var ErrForbidden = errors.New("your role does not allow this")

// ErrTooManyAttempts is login throttling: HTTP 429.
var ErrTooManyAttempts = errors.New("too many failed sign-in attempts; try again later")

// BatchError is the answer to a write of many resources at once that
// wrote nothing: the problems of each resource that had any, by its
// position in the batch, so that a caller can name the row it came from.
type BatchError struct {
	Items []BatchItemError
}

// BatchItemError is what was wrong with one resource of a batch: a
// *ValidationError or a *ConflictError.
type BatchItemError struct {
	Index int
	Err   error
}

func (e *BatchError) Error() string {
	parts := make([]string, 0, len(e.Items))
	for _, it := range e.Items {
		parts = append(parts, fmt.Sprintf("item %d: %v", it.Index, it.Err))
	}
	return "nothing was written: " + strings.Join(parts, "; ")
}

// FieldErrors lists every item's problems as fields of one request body,
// items[I].FIELD, for an answer that has no rows to name.
func (e *BatchError) FieldErrors() FieldErrors {
	var out FieldErrors
	for _, it := range e.Items {
		prefix := fmt.Sprintf("items[%d]", it.Index)
		var inv *ValidationError
		var conf *ConflictError
		switch {
		case errors.As(it.Err, &inv):
			for _, fe := range inv.Errors {
				out.Add(prefix+"."+fe.Field, "%s", fe.Message)
			}
		case errors.As(it.Err, &conf):
			field := prefix
			if conf.Field != "" {
				field += "." + conf.Field
			}
			out.Add(field, "%s", conf.Detail)
		default:
			out.Add(prefix, "%s", it.Err.Error())
		}
	}
	return out
}
