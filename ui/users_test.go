package ui_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/parley/parley/auth"
	"github.com/parley/parley/domain"
	"github.com/parley/parley/store/storetest"
)

// userNamed returns the stored user, failing the test if there is none.
func (a *testApp) userNamed(username string) *domain.User {
	a.t.Helper()
	u, _, err := a.store.UserByName(context.Background(), username)
	if err != nil {
		a.t.Fatalf("user %q: %v", username, err)
	}
	return u
}

func TestUsersPageIsForAdminsOnly(t *testing.T) {
	app := newApp(t)
	admin := app.signIn("admin")
	storetest.UserNamed(t, app.store, "mira", "viewer")
	mira := app.userNamed("mira").ID

	status, body, _ := admin.get("/")
	if status != http.StatusOK || !strings.Contains(body, `<a href="/users">Users</a>`) {
		t.Fatalf("the admin's header has no Users link (%d)", status)
	}
	status, body, _ = admin.get("/users")
	if status != http.StatusOK || !strings.Contains(body, "mira") || !strings.Contains(body, admin.user) {
		t.Fatalf("users page: %d", status)
	}

	for _, role := range []domain.Role{domain.RoleViewer, domain.RoleEditor} {
		c := app.signIn(role)
		_, home, _ := c.get("/")
		if strings.Contains(home, `href="/users"`) {
			t.Errorf("the %s sees a Users link", role)
		}
		token := c.csrf()
		tests := []struct {
			method, path string
		}{
			{http.MethodGet, "/users"},
			{http.MethodGet, "/users/" + mira},
			{http.MethodGet, "/users/" + mira + "/delete"},
			{http.MethodPost, "/users"},
			{http.MethodPost, "/users/" + mira + "/role"},
			{http.MethodPost, "/users/" + mira + "/password"},
			{http.MethodPost, "/users/" + mira + "/delete"},
		}
		for _, tc := range tests {
			var status int
			var body string
			if tc.method == http.MethodGet {
				status, body, _ = c.get(tc.path)
			} else {
				res := c.post(tc.path, url.Values{"csrf": {token}, "username": {"sneaky"}, "role": {"admin"}, "password": {"long enough pass"}})
				status, body = res.status, res.body
			}
			if status != http.StatusForbidden || !strings.Contains(body, "Only an administrator can manage users.") {
				t.Errorf("%s %s by %s: %d", tc.method, tc.path, role, status)
			}
		}
	}
	// Nothing the others tried went through.
	if u := app.userNamed("mira"); u.Role != "viewer" || u.Version != 1 {
		t.Errorf("mira is now %s, version %d", u.Role, u.Version)
	}
	if _, _, err := app.store.UserByName(context.Background(), "sneaky"); err == nil {
		t.Error("a non-admin added a user")
	}
}

func TestAddUserForm(t *testing.T) {
	app := newApp(t)
	admin := app.signIn("admin")
	storetest.UserNamed(t, app.store, "taken", "viewer")
	tests := []struct {
		name     string
		form     url.Values
		status   int
		besides  map[string]string // input id -> part of the error beside it
		wantRole string
	}{
		{"every field wrong", url.Values{"username": {"no spaces"}, "role": {"king"}, "password": {"short"}}, 422,
			map[string]string{"new-username": "letters, digits", "new-role": "must be one of", "new-password": "8 to 72"}, ""},
		{"name taken in another case", url.Values{"username": {"TAKEN"}, "role": {"editor"}, "password": {"long enough pass"}}, 409,
			map[string]string{"new-username": "already taken"}, ""},
		{"valid", url.Values{"username": {"li.wei"}, "role": {"editor"}, "password": {"long enough pass"}}, 303, nil, "editor"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.form.Set("csrf", admin.csrf())
			res := admin.post("/users", tc.form)
			if res.status != tc.status {
				t.Fatalf("status %d, want %d: %s", res.status, tc.status, res.body)
			}
			if tc.status == http.StatusSeeOther {
				if loc := res.header.Get("Location"); loc != "/users" {
					t.Errorf("redirect to %q", loc)
				}
				if u := app.userNamed(tc.form.Get("username")); string(u.Role) != tc.wantRole {
					t.Errorf("stored role %q", u.Role)
				}
				_, page, _ := admin.get("/users")
				if !strings.Contains(page, "Added the editor “li.wei”") {
					t.Error("no message after adding")
				}
				return
			}
			for id, want := range tc.besides {
				if got := errorBeside(res.body, id); !strings.Contains(got, want) {
					t.Errorf("beside %s: %q, want it to say %q", id, got, want)
				}
			}
			// What was typed stays, except the password.
			if !strings.Contains(res.body, `value="`+tc.form.Get("username")+`"`) {
				t.Error("the typed username is gone")
			}
			if strings.Contains(res.body, tc.form.Get("password")) {
				t.Error("the password was sent back")
			}
			if !strings.Contains(res.body, `<label for="new-password">`) {
				t.Error("the password input has no label")
			}
		})
	}
	// Without the session's CSRF token nothing is added.
	res := admin.post("/users", url.Values{"username": {"forged"}, "role": {"admin"}, "password": {"long enough pass"}})
	if res.status != http.StatusForbidden {
		t.Errorf("post without CSRF: %d", res.status)
	}
	if _, _, err := app.store.UserByName(context.Background(), "forged"); err == nil {
		t.Error("a forged post added a user")
	}
}

func TestChangeRoleAndPassword(t *testing.T) {
	app := newApp(t)
	admin := app.signIn("admin")
	mira := app.signIn("viewer")
	id := app.userNamed(mira.user).ID

	status, page, _ := admin.get("/users/" + id)
	if status != http.StatusOK || !strings.Contains(page, `action="/users/`+id+`/role"`) || !strings.Contains(page, `action="/users/`+id+`/password"`) {
		t.Fatalf("user page: %d", status)
	}
	res := admin.post("/users/"+id+"/role", url.Values{"csrf": {admin.csrf()}, "role": {"emperor"}})
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(errorBeside(res.body, "role"), "must be one of") {
		t.Fatalf("bad role: %d", res.status)
	}
	res = admin.post("/users/"+id+"/role", url.Values{"csrf": {admin.csrf()}, "role": {"editor"}})
	if res.status != http.StatusSeeOther || app.userNamed(mira.user).Role != "editor" {
		t.Fatalf("change role: %d, role %s", res.status, app.userNamed(mira.user).Role)
	}
	// The role change keeps mira signed in, now able to edit.
	if status, _, _ := mira.get("/parties/new"); status != http.StatusOK {
		t.Errorf("mira as editor gets %d on a new form", status)
	}

	res = admin.post("/users/"+id+"/password", url.Values{"csrf": {admin.csrf()}, "password": {"short"}})
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(errorBeside(res.body, "password"), "8 to 72") || strings.Contains(res.body, `value="short"`) {
		t.Fatalf("short password: %d", res.status)
	}
	res = admin.post("/users/"+id+"/password", url.Values{"csrf": {admin.csrf()}, "password": {"a fresh passphrase"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("set password: %d %s", res.status, res.body)
	}
	// The new password ended mira's session.
	if status, _, hdr := mira.get("/"); status != http.StatusSeeOther || !strings.HasPrefix(hdr.Get("Location"), "/login") {
		t.Errorf("mira after the reset: %d %q, want sent to sign in", status, hdr.Get("Location"))
	}
	if _, hash, _ := app.store.UserByName(context.Background(), mira.user); !auth.CheckPassword(hash, "a fresh passphrase") {
		t.Error("the new password is not stored")
	}
}

func TestDeleteUserConfirmsAndKeepsLastAdmin(t *testing.T) {
	app := newApp(t)
	admin := app.signIn("admin")
	self := app.userNamed(admin.user).ID
	editor := app.signIn("editor")
	id := app.userNamed(editor.user).ID

	status, page, _ := admin.get("/users/" + id + "/delete")
	if status != http.StatusOK || !strings.Contains(page, "Delete user") || !strings.Contains(page, editor.user) {
		t.Fatalf("confirmation: %d", status)
	}
	res := admin.post("/users/"+id+"/delete", url.Values{"csrf": {csrfOf(t, page)}})
	if res.status != http.StatusSeeOther || res.header.Get("Location") != "/users" {
		t.Fatalf("delete: %d %q", res.status, res.header.Get("Location"))
	}
	if _, err := app.store.UserByID(context.Background(), id); err == nil {
		t.Error("the user is still there")
	}
	if status, _, _ := editor.get("/"); status != http.StatusSeeOther {
		t.Errorf("the deleted user's session still works: %d", status)
	}

	// The only admin can be neither demoted nor deleted.
	res = admin.post("/users/"+self+"/role", url.Values{"csrf": {admin.csrf()}, "role": {"viewer"}})
	if res.status != http.StatusConflict || !strings.Contains(errorBeside(res.body, "role"), "last admin") {
		t.Errorf("demoting the last admin: %d", res.status)
	}
	res = admin.post("/users/"+self+"/delete", url.Values{"csrf": {admin.csrf()}})
	if res.status != http.StatusConflict || !strings.Contains(res.body, "last admin") {
		t.Errorf("deleting the last admin: %d", res.status)
	}
	if u := app.userNamed(admin.user); u.Role != "admin" {
		t.Errorf("the last admin is now %s", u.Role)
	}
	if status, _, _ := admin.get("/users/0190a000-0000-7000-8000-000000000000"); status != http.StatusNotFound {
		t.Errorf("unknown user: %d", status)
	}
}
