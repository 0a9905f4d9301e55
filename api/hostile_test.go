package api_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestTextTheDatabaseCannotHold: text PostgreSQL cannot store or compare (a
// NUL, bad UTF-8, a key cut inside a character) is refused as a client
// error on every path that reaches the database, on SQLite alike.
func TestTextTheDatabaseCannotHold(t *testing.T) {
	e := newEnv(t)
	w := e.world()
	cases := []struct {
		name   string
		r      req
		want   int
		fields []string
	}{
		{"NUL in q", req{Method: "GET", Path: "/api/v1/parties?q=a%00", Token: e.viewer}, http.StatusUnprocessableEntity, []string{"q"}},
		{"NUL in a name", req{Method: "POST", Path: "/api/v1/parties", Token: e.editor, Body: `{"name":"a\u0000"}`}, http.StatusUnprocessableEntity, []string{"name"}},
		{"NUL in an alias", req{Method: "POST", Path: "/api/v1/parties", Token: e.editor, Body: `{"name":"Chad","aliases":["\u0000"]}`}, http.StatusUnprocessableEntity, nil},
		{"NUL in a patched title", req{Method: "PATCH", Path: path("demands", w.Demand), Token: e.editor, Body: `{"title":"\u0000"}`}, http.StatusUnprocessableEntity, []string{"title"}},
		{"NUL in a term", req{Method: "PATCH", Path: path("demands", w.Demand), Token: e.editor, Body: `{"terms":{"a":"x\u0000"}}`}, http.StatusUnprocessableEntity, nil},
		{"NUL in a login name", req{Method: "POST", Path: "/api/v1/auth/login", Body: `{"username":"\u0000","password":"x"}`}, http.StatusUnauthorized, nil},
		{"login name cut inside a character", req{Method: "POST", Path: "/api/v1/auth/login", Body: `{"username":"` + strings.Repeat("é", 300) + `","password":"x"}`}, http.StatusUnauthorized, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			wantProblem(t, e.with(t).do(tc.r), tc.want, tc.fields...)
		})
	}
	// Refused means untouched: the demand is as it was and no party was added.
	demand := e.must(http.StatusOK, req{Method: "GET", Path: path("demands", w.Demand), Token: e.viewer}).JSON
	if demand["version"] != float64(1) || strings.ContainsRune(demand["title"].(string), 0) {
		t.Errorf("the demand changed after refused patches: version %v, title %q", demand["version"], demand["title"])
	}
	parties := e.must(http.StatusOK, req{Method: "GET", Path: "/api/v1/parties?q=chad", Token: e.viewer}).JSON
	if items := parties["items"].([]any); len(items) != 0 {
		t.Errorf("a refused party was stored: %v", items)
	}
}
