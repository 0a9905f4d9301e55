package domain

import (
	"slices"
	"strings"
	"testing"
)

func TestValidateUser(t *testing.T) {
	tests := []struct {
		name             string
		user, pass, role string
		fields           []string
	}{
		{"valid", "analyst.one", "correct horse", "editor", nil},
		{"all roles", "a", "12345678", "viewer", nil},
		{"admin", "A_b-c.9", strings.Repeat("p", MaxPassword), "admin", nil},
		{"empty everything", "", "", "", []string{"password", "role", "username"}},
		{"username with space", "an alyst", "12345678", "viewer", []string{"username"}},
		{"username starting with a dot", ".hidden", "12345678", "viewer", []string{"username"}},
		{"username too long", strings.Repeat("u", 65), "12345678", "viewer", []string{"username"}},
		{"username 64 is fine", strings.Repeat("u", 64), "12345678", "viewer", nil},
		{"username non-ASCII", "müller", "12345678", "viewer", []string{"username"}},
		{"password too short", "a", "1234567", "viewer", []string{"password"}},
		{"password past bcrypt's limit", "a", strings.Repeat("p", MaxPassword+1), "viewer", []string{"password"}},
		{"role unknown", "a", "12345678", "root", []string{"role"}},
		{"role in capitals", "a", "12345678", "Admin", []string{"role"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, fe := range ValidateUser(tt.user, tt.pass, tt.role) {
				got = append(got, fe.Field)
			}
			slices.Sort(got)
			if !slices.Equal(got, tt.fields) {
				t.Errorf("fields named = %q, want %q", got, tt.fields)
			}
		})
	}
}

func TestRoles(t *testing.T) {
	tests := []struct {
		role, needed string
		want         bool
	}{
		{"viewer", "viewer", true},
		{"viewer", "editor", false},
		{"editor", "viewer", true},
		{"editor", "editor", true},
		{"editor", "admin", false},
		{"admin", "admin", true},
		{"admin", "viewer", true},
		{"", "viewer", false},
		{"root", "viewer", false},
	}
	for _, tt := range tests {
		u := &User{Role: Role(tt.role)}
		if got := u.Can(Role(tt.needed)); got != tt.want {
			t.Errorf("%q.Can(%q) = %v, want %v", tt.role, tt.needed, got, tt.want)
		}
	}
}
