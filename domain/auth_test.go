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

func TestPasswordHash(t *testing.T) {
	hash, err := HashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if hash == "correct horse battery" || !strings.HasPrefix(hash, "$2") {
		t.Fatalf("hash %q is not a bcrypt hash", hash)
	}
	tests := []struct {
		password string
		want     bool
	}{
		{"correct horse battery", true},
		{"correct horse batter", false},
		{"Correct horse battery", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := CheckPassword(hash, tt.password); got != tt.want {
			t.Errorf("CheckPassword(%q) = %v, want %v", tt.password, got, tt.want)
		}
	}
	if CheckPassword("not a hash", "x") {
		t.Error("a broken hash matched")
	}
	if CheckNoPassword("correct horse battery") || CheckNoPassword("parley-timing-equalizer") {
		t.Error("CheckNoPassword must always fail")
	}
	again, _ := HashPassword("correct horse battery")
	if again == hash {
		t.Error("two hashes of one password are equal: no salt")
	}
}

func TestTokens(t *testing.T) {
	seen := map[string]bool{}
	for range 20 {
		token, hash, err := NewToken()
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(token, TokenPrefix) || len(token) != len(TokenPrefix)+43 {
			t.Errorf("token %q: want %s and 43 base64url characters", token, TokenPrefix)
		}
		if strings.ContainsAny(token, "+/=") {
			t.Errorf("token %q is not URL-safe", token)
		}
		if hash != HashToken(token) || strings.Contains(hash, token) {
			t.Errorf("hash %q does not match HashToken", hash)
		}
		if seen[token] {
			t.Fatalf("token repeated: %q", token)
		}
		seen[token] = true
	}
	// HashToken is stable across processes: it is what the database keeps.
	if got := HashToken("abc"); got != "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" {
		t.Errorf("HashToken(abc) = %s, want SHA-256 hex", got)
	}
}

func TestRandomPassword(t *testing.T) {
	a, err := RandomPassword()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := RandomPassword()
	if a == b {
		t.Error("two random passwords are equal")
	}
	if errs := ValidateUser("admin", a, "admin"); len(errs) != 0 {
		t.Errorf("the first admin's password %q is refused: %v", a, errs)
	}
	if len(a) != 20 {
		t.Errorf("password %q has %d characters, want 20", a, len(a))
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
