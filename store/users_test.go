package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/parley/parley/auth"
	"github.com/parley/parley/domain"
	"github.com/parley/parley/store/storetest"
)

func TestSetPassword(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t)
	_, apiToken := storetest.UserNamed(t, s, "ana", "editor")
	_, otherToken := storetest.UserNamed(t, s, "bo", "viewer")
	before, oldHash, err := s.UserByName(ctx, "ana")
	if err != nil {
		t.Fatal(err)
	}
	session, sessionHash, err := auth.NewToken()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.CreateToken(ctx, before.ID, sessionHash, "session", time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	newHash, err := bcrypt.GenerateFromPassword([]byte("a new passphrase"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}

	// The name in another case finds the user, as the uniqueness of names does.
	if err := s.SetPassword(ctx, "ANA", string(newHash)); err != nil {
		t.Fatalf("SetPassword: %v", err)
	}

	after, hash, err := s.UserByName(ctx, "ana")
	if err != nil {
		t.Fatal(err)
	}
	if hash == oldHash || !auth.CheckPassword(hash, "a new passphrase") || auth.CheckPassword(hash, storetest.Password) {
		t.Error("the stored hash is not the new password's")
	}
	if after.Version != before.Version+1 {
		t.Errorf("version %d after the change, want %d", after.Version, before.Version+1)
	}
	if after.UpdatedAt.Before(before.UpdatedAt) || !after.CreatedAt.Equal(before.CreatedAt) {
		t.Errorf("created_at %v updated_at %v after the change; before %v %v", after.CreatedAt, after.UpdatedAt, before.CreatedAt, before.UpdatedAt)
	}

	tests := []struct {
		name    string
		token   string
		revoked bool
	}{
		{"ana's API token", apiToken, true},
		{"ana's session", session, true},
		{"another user's token", otherToken, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, err := s.UserByToken(ctx, auth.HashToken(tt.token), domain.TokenAPI, time.Now())
			switch {
			case tt.revoked && !errors.Is(err, domain.ErrUnauthenticated):
				t.Errorf("still signs in as %+v (%v)", u, err)
			case !tt.revoked && err != nil:
				t.Errorf("was revoked too: %v", err)
			}
		})
	}
}

func TestSetPasswordUnknownUser(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t)
	storetest.UserNamed(t, s, "ana", "editor")
	for _, name := range []string{"nobody", "ana2", ""} {
		t.Run(name, func(t *testing.T) {
			nf := errorAs[*domain.NotFoundError](t, s.SetPassword(ctx, name, "$2a$04$irrelevant"))
			if nf.Kind != "users" || nf.ID != name {
				t.Errorf("NotFoundError %+v, want users %q", nf, name)
			}
		})
	}
	if _, hash, err := s.UserByName(ctx, "ana"); err != nil || !auth.CheckPassword(hash, storetest.Password) {
		t.Errorf("an unknown name changed another user's password (%v)", err)
	}
}
