package domain

import (
	"encoding/base64"

	"github.com/google/uuid"
)

// Lists are ordered by id (time-ordered UUIDs, so creation order) and
// continue after the last id of a page. The cursor is that id, opaque to
// clients; it lives here so that the API can refuse a mangled cursor with
// the other bad parameters of a request, before the store is asked.

// EncodeCursor is the opaque cursor that continues a list after id.
func EncodeCursor(id string) string { return base64.RawURLEncoding.EncodeToString([]byte(id)) }

// DecodeCursor returns the id a cursor continues after, or a
// *ValidationError on field "cursor".
func DecodeCursor(cursor string) (string, error) {
	b, err := base64.RawURLEncoding.DecodeString(cursor)
	if err == nil && len(b) == 36 {
		if _, err := uuid.Parse(string(b)); err == nil {
			return string(b), nil
		}
	}
	return "", FieldErrors{{Field: "cursor", Message: "is not a cursor this service gave out"}}.Err()
}
