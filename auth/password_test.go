package auth

import (
	"strings"
	"testing"

	"github.com/parley/parley/domain"
)

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
	if errs := domain.ValidateUser("admin", a, "admin"); len(errs) != 0 {
		t.Errorf("the first admin's password %q is refused: %v", a, errs)
	}
	if len(a) != 20 {
		t.Errorf("password %q has %d characters, want 20", a, len(a))
	}
}
