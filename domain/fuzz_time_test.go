package domain_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/parley/parley/domain"
)

// FuzzTimeParam feeds NormalizeTime, which parses every as_of and since a
// client sends: it never panics, and an instant it accepts is UTC, reads
// back as itself from its RFC 3339 form, and can be written into a JSON
// answer (the matrix and report echo it).
func FuzzTimeParam(f *testing.F) {
	for _, s := range []string{
		"", " ", "2025-05-16", "2025-05-16T12:00:00Z", "2025-05-16T12:00:00.123456789Z", " 2025-05-16T12:00:00+03:00 ",
		"2025-02-29", "2024-02-29", "0000-01-01", "9999-12-31", "9999-12-31T23:59:59-23:59", "0000-01-01T00:00:00+23:59",
		"2025-05-16T24:00:00Z", "2025-05-16t12:00:00z", "2025-05-16 12:00:00Z", "2025-13-01", "-2025-01-01", "+2025-01-01",
		"2025-05-16T12:00:00+99:99", "2025-05-16T12:00:00.Z", "1e9", "\x00", "2025-05-16T12:00:00Z\n", strings.Repeat("9", 100),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		got, err := domain.NormalizeTime(v)
		if err != nil {
			if !got.IsZero() {
				t.Fatalf("NormalizeTime(%q) failed yet returned %v", v, got)
			}
			return
		}
		if got.Location() != time.UTC {
			t.Fatalf("NormalizeTime(%q) = %v, not in UTC", v, got)
		}
		again, err := domain.NormalizeTime(got.Format(time.RFC3339Nano))
		if err != nil || !again.Equal(got) {
			t.Fatalf("NormalizeTime(%q) = %v does not read back: %v, %v", v, got, again, err)
		}
		if _, err := json.Marshal(got); err != nil {
			t.Fatalf("NormalizeTime(%q) = %v cannot be sent as JSON: %v", v, got, err)
		}
	})
}
