package api_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/parley/parley/store/storetest"
)

// newUser creates a user through the API as the admin and returns its id.
func (e *env) newUser(username, role string) string {
	e.t.Helper()
	got := e.must(http.StatusCreated, req{Method: "POST", Path: "/api/v1/users", Token: e.admin,
		Body: map[string]any{"username": username, "password": storetest.Password, "role": role}})
	id := got.str("id")
	if loc := got.Header.Get("Location"); loc != "/api/v1/users/"+id {
		e.t.Fatalf("Location %q, want /api/v1/users/%s", loc, id)
	}
	return id
}

// login signs in through the API and returns the token.
func (e *env) login(username, password string) string {
	e.t.Helper()
	return e.must(http.StatusOK, req{Method: "POST", Path: "/api/v1/auth/login",
		Body: map[string]any{"username": username, "password": password}}).str("token")
}

func TestGetUser(t *testing.T) {
	e := newEnv(t)
	id := e.newUser("mira", "viewer")
	tests := []struct {
		name   string
		path   string
		status int
	}{
		{"existing", "/api/v1/users/" + id, 200},
		{"existing, upper case", "/api/v1/users/" + strings.ToUpper(id), 200},
		{"unknown", "/api/v1/users/" + newID(), 404},
		{"not a uuid", "/api/v1/users/mira", 404},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := e.with(t).do(req{Method: "GET", Path: tc.path, Token: e.admin})
			if tc.status != 200 {
				wantProblem(t, got, tc.status)
				return
			}
			if got.Code != 200 || got.str("id") != id || got.str("username") != "mira" || got.str("role") != "viewer" || strings.Contains(string(got.Body), "password") {
				t.Fatalf("GET user: %d %s", got.Code, got.Body)
			}
		})
	}
}

func TestPatchUser(t *testing.T) {
	e := newEnv(t)
	id := e.newUser("mira", "viewer")
	path := "/api/v1/users/" + id
	tests := []struct {
		name     string
		body     any
		status   int
		fields   []string
		wantRole string
	}{
		{"promote", map[string]any{"role": "editor"}, 200, nil, "editor"},
		{"role and password", map[string]any{"role": "admin", "password": "another long one"}, 200, nil, "admin"},
		{"bad role and short password", map[string]any{"role": "king", "password": "short"}, 422, []string{"role", "password"}, ""},
		{"wrong types", map[string]any{"role": 3, "password": true}, 422, []string{"role", "password"}, ""},
		{"empty", map[string]any{}, 422, []string{"role", "password"}, ""},
		{"unknown field", map[string]any{"username": "other"}, 400, []string{"username"}, ""},
		{"not an object", "[]", 400, nil, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := e.with(t).do(req{Method: "PATCH", Path: path, Token: e.admin, Body: tc.body})
			if tc.status != 200 {
				wantProblem(t, got, tc.status, tc.fields...)
				return
			}
			if got.Code != 200 || got.str("role") != tc.wantRole || got.str("username") != "mira" {
				t.Fatalf("PATCH: %d %s", got.Code, got.Body)
			}
			if read := e.with(t).must(200, req{Method: "GET", Path: path, Token: e.admin}); read.str("role") != tc.wantRole {
				t.Fatalf("stored role %q, want %q", read.str("role"), tc.wantRole)
			}
		})
	}
	wantProblem(t, e.do(req{Method: "PATCH", Path: "/api/v1/users/" + newID(), Token: e.admin, Body: map[string]any{"role": "viewer"}}), 404)
}

// A new password ends the user's sign-ins and is the one that works; a role
// change alone leaves the sign-ins be.
func TestPatchUserPassword(t *testing.T) {
	e := newEnv(t)
	id := e.newUser("mira", "editor")
	token := e.login("mira", storetest.Password)

	e.must(200, req{Method: "PATCH", Path: "/api/v1/users/" + id, Token: e.admin, Body: map[string]any{"role": "viewer"}})
	e.must(200, req{Method: "GET", Path: "/api/v1/parties", Token: token})
	// The token now carries the new role.
	wantProblem(t, e.do(req{Method: "POST", Path: "/api/v1/parties", Token: token, Body: map[string]any{"name": "X"}}), 403)

	e.must(200, req{Method: "PATCH", Path: "/api/v1/users/" + id, Token: e.admin, Body: map[string]any{"password": "a brand new one"}})
	wantProblem(t, e.do(req{Method: "GET", Path: "/api/v1/parties", Token: token}), 401)
	wantProblem(t, e.do(req{Method: "POST", Path: "/api/v1/auth/login", Body: map[string]any{"username": "mira", "password": storetest.Password}}), 401)
	e.login("mira", "a brand new one")
}

func TestDeleteUser(t *testing.T) {
	e := newEnv(t)
	id := e.newUser("mira", "editor")
	token := e.login("mira", storetest.Password)

	got := e.must(http.StatusNoContent, req{Method: "DELETE", Path: "/api/v1/users/" + id, Token: e.admin})
	if len(got.Body) != 0 {
		t.Errorf("204 with a body: %s", got.Body)
	}
	wantProblem(t, e.do(req{Method: "GET", Path: "/api/v1/parties", Token: token}), 401)
	wantProblem(t, e.do(req{Method: "GET", Path: "/api/v1/users/" + id, Token: e.admin}), 404)
	wantProblem(t, e.do(req{Method: "DELETE", Path: "/api/v1/users/" + id, Token: e.admin}), 404)
}

// The last admin can be neither demoted nor deleted; once there is a second
// admin, the first can step down.
func TestLastAdmin(t *testing.T) {
	e := newEnv(t)
	users := e.must(200, req{Method: "GET", Path: "/api/v1/users", Token: e.admin}).items()
	var adminID string
	for _, u := range users {
		if u["role"] == "admin" {
			adminID, _ = u["id"].(string)
		}
	}
	if adminID == "" {
		t.Fatal("no admin listed")
	}
	self := "/api/v1/users/" + adminID
	wantProblem(t, e.do(req{Method: "PATCH", Path: self, Token: e.admin, Body: map[string]any{"role": "editor"}}), 409)
	wantProblem(t, e.do(req{Method: "PATCH", Path: self, Token: e.admin, Body: map[string]any{"role": "editor", "password": "not applied either"}}), 409)
	wantProblem(t, e.do(req{Method: "DELETE", Path: self, Token: e.admin}), 409)
	// The refused change changed nothing: the admin's token still works.
	e.must(200, req{Method: "GET", Path: self, Token: e.admin})

	e.newUser("deputy", "admin")
	if got := e.must(200, req{Method: "PATCH", Path: self, Token: e.admin, Body: map[string]any{"role": "editor"}}); got.str("role") != "editor" {
		t.Fatalf("demoted role %q", got.str("role"))
	}
	// Now an editor, the former admin may no longer manage users.
	wantProblem(t, e.do(req{Method: "GET", Path: "/api/v1/users", Token: e.admin}), 403)
}

// Only admins manage users: viewers and editors get 403 on every user route
// and change nothing.
func TestUserRoutesAreAdminOnly(t *testing.T) {
	e := newEnv(t)
	id := e.newUser("mira", "viewer")
	routes := []req{
		{Method: "GET", Path: "/api/v1/users"},
		{Method: "POST", Path: "/api/v1/users", Body: map[string]any{"username": "sneaky", "password": "long enough", "role": "admin"}},
		{Method: "GET", Path: "/api/v1/users/" + id},
		{Method: "PATCH", Path: "/api/v1/users/" + id, Body: map[string]any{"role": "admin"}},
		{Method: "DELETE", Path: "/api/v1/users/" + id},
	}
	for _, token := range []string{e.viewer, e.editor} {
		for _, r := range routes {
			r.Token = token
			wantProblem(t, e.do(r), http.StatusForbidden)
		}
	}
	if got := e.must(200, req{Method: "GET", Path: "/api/v1/users/" + id, Token: e.admin}); got.str("role") != "viewer" {
		t.Errorf("mira is now %s", got.str("role"))
	}
	for _, u := range e.must(200, req{Method: "GET", Path: "/api/v1/users", Token: e.admin}).items() {
		if u["username"] == "sneaky" {
			t.Error("a non-admin created a user")
		}
	}
}
