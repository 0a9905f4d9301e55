package domain

import (
	"testing"
	"time"
)

func TestFormatNumber(t *testing.T) {
	tests := []struct {
		in   float64
		want string
	}{
		{0, "0"}, {7, "7"}, {999, "999"}, {1000, "1,000"}, {2500, "2,500"}, {1904, "1,904"},
		{-596, "−596"}, {1234567.5, "1,234,567.5"}, {0.25, "0.25"}, {1.0 / 3, "0.333"}, {-0.0001, "0"},
		{36000, "36,000"}, {-1000000, "−1,000,000"},
	}
	for _, tt := range tests {
		if got := FormatNumber(tt.in); got != tt.want {
			t.Errorf("FormatNumber(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
	for in, want := range map[float64]string{15: "+15", -596: "−596", 0: "0", 1500: "+1,500"} {
		if got := FormatDelta(in); got != want {
			t.Errorf("FormatDelta(%v) = %q, want %q", in, got, want)
		}
	}
}

func TestLabels(t *testing.T) {
	tests := []struct{ field, want string }{
		{"status", "status"}, {"stated_on", "stated on"}, {"party_id", "party"}, {"host_party_id", "host"},
		{"terms.duration_days", "duration days"}, {"terms.buffer_zone_m", "buffer zone"}, {"terms.ceasefire_pct", "ceasefire"},
		{"citations", "sources"}, {"terms.m", "m"},
	}
	for _, tt := range tests {
		if got := FieldLabel(tt.field); got != tt.want {
			t.Errorf("FieldLabel(%q) = %q, want %q", tt.field, got, tt.want)
		}
	}
	if got := FormatDay("2025-01-07"); got != "7 Jan 2025" {
		t.Errorf("FormatDay = %q", got)
	}
	if got := FormatMoment(time.Date(2025, 5, 16, 11, 45, 0, 0, time.UTC)); got != "16 May 2025, 11:45 UTC" {
		t.Errorf("FormatMoment = %q", got)
	}
	if got := Possessive("United States"); got != "United States'" {
		t.Errorf("Possessive = %q", got)
	}
	if got := Quoted("a  b\nc", 80); got != "“a b c”" {
		t.Errorf("Quoted = %q", got)
	}
}
