package domain

import (
	"errors"
	"testing"
)

func TestParseDay(t *testing.T) {
	tests := []struct {
		in, want string
		err      string // the error's message, when refused
	}{
		{"2025-01-10", "2025-01-10", ""},
		{" 2025/01/10 ", "2025-01-10", ""},
		{"2025.1.9", "2025-01-09", ""},
		{"10 Jan 2025", "2025-01-10", ""},
		{"10 January 2025", "2025-01-10", ""},
		{"10 jan. 2025", "2025-01-10", ""},
		{"10-Jan-2025", "2025-01-10", ""},
		{"10th January, 2025", "2025-01-10", ""},
		{"1 Sept 2025", "2025-09-01", ""},
		{"January 10, 2025", "2025-01-10", ""},
		{"Jan 10 2025", "2025-01-10", ""},
		{"06/01/2025", "", "could be 6 Jan 2025 or 1 Jun 2025: write the month as a word (6 Jan 2025) or write YYYY-MM-DD"},
		{"6.1.2025", "", "could be 6 Jan 2025 or 1 Jun 2025: write the month as a word (6 Jan 2025) or write YYYY-MM-DD"},
		{"13/01/2025", "2025-01-13", ""},
		{"01/13/2025", "2025-01-13", ""},
		{"01/01/2025", "2025-01-01", ""},
		{"31/02/2025", "", "is not a date: write it as 10 Jan 2025 or 2025-01-10"},
		{"31 Feb 2025", "", "is not a date: write it as 10 Jan 2025 or 2025-01-10"},
		{"2025-13-01", "", "is not a date: write it as 10 Jan 2025 or 2025-01-10"},
		{"10 Foo 2025", "", "is not a date: write it as 10 Jan 2025 or 2025-01-10"},
		{"yesterday", "", "is not a date: write it as 10 Jan 2025 or 2025-01-10"},
		{"", "", "is not a date: write it as 10 Jan 2025 or 2025-01-10"},
	}
	for _, tt := range tests {
		got, err := ParseDay(tt.in)
		var de *DayError
		switch {
		case tt.err == "" && (err != nil || got != tt.want):
			t.Errorf("ParseDay(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		case tt.err != "" && (!errors.As(err, &de) || err.Error() != tt.err):
			t.Errorf("ParseDay(%q) = %q, %v; want the error %q", tt.in, got, err, tt.err)
		}
	}
}

// FuzzParseDay: whatever is typed, ParseDay never panics, and a day it
// accepts is a real YYYY-MM-DD day that reads back as itself.
func FuzzParseDay(f *testing.F) {
	for _, s := range []string{"2025-01-10", "10 Jan 2025", "January 10, 2025", "06/01/2025", "13/01/2025", "31 Feb 2025", "1 Sept 2025"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDay(s)
		if err != nil {
			return
		}
		if _, ok := DayStart(d); !ok {
			t.Fatalf("ParseDay(%q) = %q, not a YYYY-MM-DD day", s, d)
		}
		if again, err := ParseDay(d); err != nil || again != d {
			t.Fatalf("ParseDay(%q) = %q, which reads back as %q, %v", s, d, again, err)
		}
	})
}
