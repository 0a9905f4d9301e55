package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/parley/parley/auth"
	"github.com/parley/parley/domain"
	"github.com/parley/parley/store"
	"github.com/parley/parley/store/storetest"
)

// userID looks a user up by name for the tests below.
func userID(t *testing.T, s *store.Store, username string) *domain.User {
	t.Helper()
	u, _, err := s.UserByName(context.Background(), username)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestUserByID(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t)
	storetest.UserNamed(t, s, "ana", "editor")
	want := userID(t, s, "ana")
	got, err := s.UserByID(ctx, want.ID)
	if err != nil {
		t.Fatal(err)
	}
	if *got != *want {
		t.Errorf("UserByID = %+v, want %+v", got, want)
	}
	_, err = s.UserByID(ctx, "0190a000-0000-7000-8000-000000000000")
	errorAs[*domain.NotFoundError](t, err)
}

func TestSetRole(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t)
	storetest.UserNamed(t, s, "root", "admin")
	_, anaToken := storetest.UserNamed(t, s, "ana", "editor")
	root, ana := userID(t, s, "root"), userID(t, s, "ana")

	tests := []struct {
		name        string
		id, role    string
		wantRole    string
		wantVersion int
		wantErr     error
	}{
		{"the only admin cannot be demoted", root.ID, "editor", "admin", root.Version, &domain.ConflictError{}},
		{"an editor is promoted", ana.ID, "admin", "admin", ana.Version + 1, nil},
		{"the same role changes nothing", ana.ID, "admin", "admin", ana.Version + 1, nil},
		{"with a second admin the first can be demoted", root.ID, "viewer", "viewer", root.Version + 1, nil},
		{"now ana is the last admin", ana.ID, "viewer", "admin", ana.Version + 1, &domain.ConflictError{}},
		{"an unknown id", "0190a000-0000-7000-8000-000000000000", "viewer", "", 0, &domain.NotFoundError{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			u, err := s.SetRole(ctx, tc.id, domain.Role(tc.role))
			switch tc.wantErr.(type) {
			case nil:
				if err != nil {
					t.Fatalf("SetRole: %v", err)
				}
				if string(u.Role) != tc.wantRole || u.Version != tc.wantVersion {
					t.Errorf("returned role %q version %d, want %q %d", u.Role, u.Version, tc.wantRole, tc.wantVersion)
				}
			case *domain.ConflictError:
				ce := errorAs[*domain.ConflictError](t, err)
				if ce.Field != "role" {
					t.Errorf("conflict on %q, want role", ce.Field)
				}
			case *domain.NotFoundError:
				errorAs[*domain.NotFoundError](t, err)
				return
			}
			got, err := s.UserByID(ctx, tc.id)
			if err != nil {
				t.Fatal(err)
			}
			if string(got.Role) != tc.wantRole || got.Version != tc.wantVersion {
				t.Errorf("stored role %q version %d, want %q %d", got.Role, got.Version, tc.wantRole, tc.wantVersion)
			}
		})
	}
	// A role change keeps the user's sign-ins: only the role they carry changes.
	u, err := s.UserByToken(ctx, auth.HashToken(anaToken), domain.TokenAPI, time.Now())
	if err != nil || u.Role != "admin" {
		t.Errorf("ana's token after the change: %+v, %v; want it valid with role admin", u, err)
	}
}

func TestDeleteUser(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t)
	_, rootToken := storetest.UserNamed(t, s, "root", "admin")
	_, boToken := storetest.UserNamed(t, s, "bo", "viewer")
	root, bo := userID(t, s, "root"), userID(t, s, "bo")

	// The only admin stays, and keeps signing in.
	err := s.DeleteUser(ctx, root.ID)
	errorAs[*domain.ConflictError](t, err)
	if _, err := s.UserByToken(ctx, auth.HashToken(rootToken), domain.TokenAPI, time.Now()); err != nil {
		t.Errorf("root's token after the refused delete: %v", err)
	}

	if err := s.DeleteUser(ctx, bo.ID); err != nil {
		t.Fatalf("DeleteUser: %v", err)
	}
	if _, err := s.UserByID(ctx, bo.ID); !errors.As(err, new(*domain.NotFoundError)) {
		t.Errorf("UserByID after delete: %v, want not found", err)
	}
	if _, err := s.UserByToken(ctx, auth.HashToken(boToken), domain.TokenAPI, time.Now()); !errors.Is(err, domain.ErrUnauthenticated) {
		t.Errorf("bo's token after delete: %v, want it revoked", err)
	}
	// The name is free again.
	storetest.UserNamed(t, s, "bo", "editor")

	err = s.DeleteUser(ctx, bo.ID)
	errorAs[*domain.NotFoundError](t, err)

	// With a second admin, the first may go.
	storetest.UserNamed(t, s, "deputy", "admin")
	if err := s.DeleteUser(ctx, root.ID); err != nil {
		t.Fatalf("DeleteUser with a second admin: %v", err)
	}
	if n, err := s.CountUsers(ctx); err != nil || n != 2 {
		t.Errorf("CountUsers = %d, %v; want 2", n, err)
	}
}

// Two admins stepping down at once must not leave the installation with
// none: exactly one of the two changes goes through.
func TestLastAdminUnderConcurrency(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t)
	storetest.UserNamed(t, s, "a1", "admin")
	storetest.UserNamed(t, s, "a2", "admin")
	ids := []string{userID(t, s, "a1").ID, userID(t, s, "a2").ID}
	for round := 0; round < 5; round++ {
		errs := make(chan error, 2)
		for i, id := range ids {
			go func() {
				if i == 0 {
					_, err := s.SetRole(ctx, id, "editor")
					errs <- err
					return
				}
				errs <- s.DeleteUser(ctx, id)
			}()
		}
		var refused int
		for range ids {
			if err := <-errs; err != nil {
				if !errors.As(err, new(*domain.ConflictError)) {
					t.Fatalf("round %d: %v", round, err)
				}
				refused++
			}
		}
		if refused != 1 {
			t.Fatalf("round %d: %d of 2 changes refused, want 1", round, refused)
		}
		users, err := s.ListUsers(ctx)
		if err != nil {
			t.Fatal(err)
		}
		admins := 0
		for _, u := range users {
			if u.Role == "admin" {
				admins++
			}
		}
		if admins != 1 {
			t.Fatalf("round %d: %d admins left, want 1", round, admins)
		}
		// Put both admins back for the next round.
		ids = ids[:0]
		for _, name := range []string{"a1", "a2"} {
			u, _, err := s.UserByName(ctx, name)
			if err != nil {
				storetest.UserNamed(t, s, name, "admin")
				u = userID(t, s, name)
			} else if _, err := s.SetRole(ctx, u.ID, "admin"); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, u.ID)
		}
	}
}

// TestUpdateUserIsWhole: a role change refused for the last admin takes the
// password change sent with it down too; both together bump the version once.
func TestUpdateUserIsWhole(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t)
	_, rootToken := storetest.UserNamed(t, s, "root", "admin")
	root, before, err := s.UserByName(ctx, "root")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpdateUser(ctx, root.ID, "viewer", "new-hash"); err == nil {
		t.Fatal("demoting the last admin was accepted")
	}
	if _, after, _ := s.UserByName(ctx, "root"); after != before {
		t.Error("the password changed although the update was refused")
	}
	if _, err := s.UserByToken(ctx, auth.HashToken(rootToken), domain.TokenAPI, time.Now()); err != nil {
		t.Errorf("the refused update signed root out: %v", err)
	}
	storetest.UserNamed(t, s, "deputy", "admin")
	u, err := s.UpdateUser(ctx, root.ID, "editor", "newer-hash")
	if err != nil {
		t.Fatal(err)
	}
	if u.Role != "editor" || u.Version != root.Version+1 {
		t.Errorf("after role and password: role %s, version %d; want editor, %d", u.Role, u.Version, root.Version+1)
	}
	if _, err := s.UserByToken(ctx, auth.HashToken(rootToken), domain.TokenAPI, time.Now()); err == nil {
		t.Error("a new password left the old token working")
	}
}
