package domain

import (
	"encoding/base64"
	"strconv"
	"strings"
	"time"

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

// The changes view is ordered by negotiation time, then by the order of
// recording; its cursor is the last item's pair, just as opaque.

// EncodeChangesCursor is the cursor that continues a changes page after the
// revision with that effective time and sequence number.
func EncodeChangesCursor(effectiveAt time.Time, seq int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(effectiveAt.UTC().Format(time.RFC3339Nano) + "|" + strconv.FormatInt(seq, 10)))
}

// DecodeChangesCursor reads a changes cursor, or returns a
// *ValidationError on field "cursor".
func DecodeChangesCursor(cursor string) (time.Time, int64, error) {
	bad := FieldErrors{{Field: "cursor", Message: "is not a cursor this service gave out"}}.Err()
	b, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil {
		return time.Time{}, 0, bad
	}
	at, seq, ok := strings.Cut(string(b), "|")
	if !ok {
		return time.Time{}, 0, bad
	}
	t, err := time.Parse(time.RFC3339Nano, at)
	n, err2 := strconv.ParseInt(seq, 10, 64)
	if err != nil || err2 != nil || n < 0 {
		return time.Time{}, 0, bad
	}
	return t.UTC(), n, nil
}
