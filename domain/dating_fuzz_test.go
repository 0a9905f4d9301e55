package domain

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"
)

// FuzzExtractDating: whatever the body, the dating fields are taken out or
// the body comes back unchanged, a dating that passes is within tomorrow,
// and nothing panics.
func FuzzExtractDating(f *testing.F) {
	for _, seed := range []string{
		`{"title":"x","effective_on":"2025-05-16","change_note":"why","change_citations":[{"title":"t"}]}`,
		`{"effective_on":"2025-05-16T08:13:00-04:00"}`,
		`{"effective_on":20250516,"change_note":true,"change_citations":"x"}`,
		`{"effective_on":"9999-12-31"}`,
		`{"effective_on":null}`,
		`[1,2]`, `"effective_on"`, `{"a":{"effective_on":"x"}}`, ``,
	} {
		f.Add([]byte(seed))
	}
	now := time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, body []byte) {
		rest, d, errs := ExtractDating(body, now)
		if len(errs) == 0 && d.EffectiveAt.After(EndOfDay(now.AddDate(0, 0, 1))) {
			t.Fatalf("accepted a dating in the future: %v", d.EffectiveAt)
		}
		if bytes.Equal(rest, body) {
			return
		}
		var fields map[string]json.RawMessage
		if err := json.Unmarshal(rest, &fields); err != nil {
			t.Fatalf("the rest of %q is not an object: %q", body, rest)
		}
		for _, f := range datingFields {
			if _, ok := fields[f]; ok {
				t.Fatalf("%s left in %q", f, rest)
			}
		}
	})
}

// FuzzChangesCursor: a cursor the service gave out reads back as what it
// names, and anything else is refused, never a panic.
func FuzzChangesCursor(f *testing.F) {
	f.Add(EncodeChangesCursor(time.Date(2025, 5, 16, 12, 13, 0, 0, time.UTC), 42), int64(7))
	f.Add("bogus", int64(0))
	f.Fuzz(func(t *testing.T, cursor string, seq int64) {
		_, _, _ = DecodeChangesCursor(cursor)
		if seq < 0 {
			return
		}
		at := time.Unix(seq%253402300799, 0).UTC()
		gotAt, gotSeq, err := DecodeChangesCursor(EncodeChangesCursor(at, seq))
		if err != nil || !gotAt.Equal(at) || gotSeq != seq {
			t.Fatalf("round trip of %v/%d: %v/%d %v", at, seq, gotAt, gotSeq, err)
		}
	})
}
