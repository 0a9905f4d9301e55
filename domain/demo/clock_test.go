package demo

import (
	"testing"
	"time"
)

func TestEntryTime(t *testing.T) {
	cases := []struct {
		locator string
		want    time.Time // zero: an error
	}{
		{"08:13 AM EDT", time.Date(2025, 5, 16, 12, 13, 0, 0, time.UTC)},
		{"07:29 AM EDT", time.Date(2025, 5, 16, 11, 29, 0, 0, time.UTC)},
		{"12:05 PM EDT", time.Date(2025, 5, 16, 16, 5, 0, 0, time.UTC)},
		{"11:30 PM EDT", time.Date(2025, 5, 17, 3, 30, 0, 0, time.UTC)},
		{"What to Know", time.Date(2025, 5, 16, 0, 0, 0, 0, time.UTC)},
		{"08:13 AM CET", time.Time{}},
		{"8:13 EDT", time.Time{}},
		{"", time.Time{}},
	}
	for _, tc := range cases {
		t.Run(tc.locator, func(t *testing.T) {
			got, err := entryTime(tc.locator)
			if tc.want.IsZero() {
				if err == nil {
					t.Fatalf("entryTime(%q) = %s, want an error", tc.locator, got)
				}
				return
			}
			if err != nil || !got.Equal(tc.want) || got.Location() != time.UTC {
				t.Errorf("entryTime(%q) = %s, %v; want %s", tc.locator, got, err, tc.want)
			}
		})
	}
}

// TestReportedTakesTheLatestEntry dates a claim citing several entries by
// the latest of them, whatever their order, and refuses an unknown locator.
func TestReportedTakesTheLatestEntry(t *testing.T) {
	var l loader
	got := l.reported(cite([]excerpt{{at0742, "a"}, {at0813, "b"}, {summary, "c"}}))
	if want := time.Date(2025, 5, 16, 12, 13, 0, 0, time.UTC); l.err != nil || !got.EffectiveAt.Equal(want) {
		t.Errorf("reported = %s, %v; want %s", got.EffectiveAt, l.err, want)
	}
	l.reported(cite([]excerpt{{"09:02", "d"}}))
	if l.err == nil {
		t.Error("an unknown locator dated a claim")
	}
}
