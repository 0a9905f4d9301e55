package api_test

import (
	"bytes"
	"net/http"
	"slices"
	"sort"
	"testing"

	"github.com/parley/parley/domain"
)

// sortedErrorFields lists the fields a problem's errors name, sorted.
func sortedErrorFields(r *resp) []string {
	var fields []string
	for f := range errorFields(r) {
		fields = append(fields, f)
	}
	sort.Strings(fields)
	return fields
}

// TestEveryBadFieldAtOnce: a body with values of the wrong type beside
// values that break a rule gets one 422 naming every one of them, each under
// the name validation uses ("citations[1].url"), on create and on patch; a
// refused patch changes nothing.
func TestEveryBadFieldAtOnce(t *testing.T) {
	e := newEnv(t)
	w := e.world()
	cases := []struct {
		name   string
		method string
		kind   domain.Kind
		body   string
		status int
		fields []string
	}{
		{
			name: "create: wrong types beside broken rules", method: "POST", kind: domain.KindParty,
			body:   `{"name":"","kind":"planet","notes":5,"aliases":["RF",2]}`,
			status: 422, fields: []string{"aliases[1]", "kind", "name", "notes"},
		},
		{
			name: "create: a wrong type is not also reported as missing", method: "POST", kind: domain.KindTopic,
			body:   `{"negotiation_id":"` + w.Negotiation + `","title":7}`,
			status: 422, fields: []string{"title"},
		},
		{
			name: "create: every bad citation, each by its index", method: "POST", kind: domain.KindDemand,
			body: `{"negotiation_id":"` + w.Negotiation + `","party_id":"` + w.PartyB + `","topic_id":"` + w.Topic + `",` +
				`"title":"t","stated_on":"2025-05-16","status":"won","citations":[{"title":"a","credibility":1.5},` +
				`{"title":"b","url":"javascript:alert(1)"},{"title":"c","credibility":true}]}`,
			status: 422, fields: []string{"citations[0].credibility", "citations[1].url", "citations[2].credibility", "status"},
		},
		{
			name: "create: unknown members of nested objects, each by its path", method: "POST", kind: domain.KindNegotiation,
			body:   `{"title":"t","participants":[{"party_id":"` + w.PartyA + `","role":"principal","seat":1},{"Role":"host"}]}`,
			status: 400, fields: []string{"participants[0].seat", "participants[1].Role"},
		},
		{
			name: "patch: wrong type beside broken rules", method: "PATCH", kind: domain.KindObjection,
			body:   `{"grounds":5,"kind":"veto","status":"pending"}`,
			status: 422, fields: []string{"grounds", "kind", "status"},
		},
		{
			name: "patch: wrong types inside and beside a citation", method: "PATCH", kind: domain.KindDemand,
			body:   `{"title":["x"],"stated_on":"yesterday","citations":[{"title":"t","reliability":4}]}`,
			status: 422, fields: []string{"citations[0].reliability", "stated_on", "title"},
		},
		{
			name: "patch: a bad version is refused before the resource is read, with the wrong types", method: "PATCH", kind: domain.KindTopic,
			body:   `{"version":"one","title":5}`,
			status: 422, fields: []string{"title", "version"},
		},
		{
			name: "patch: unknown member of a citation", method: "PATCH", kind: domain.KindDemand,
			body:   `{"citations":[{"title":"t","author":"x"}]}`,
			status: 400, fields: []string{"citations[0].author"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := e.with(t)
			p := "/api/v1/" + string(tc.kind)
			var before *resp
			if tc.method == "PATCH" {
				p = path(tc.kind, w.IDs[tc.kind])
				before = e.must(http.StatusOK, req{Method: "GET", Path: p, Token: e.viewer})
			}
			r := e.do(req{Method: tc.method, Path: p, Token: e.editor, Body: tc.body})
			wantProblem(t, r, tc.status)
			if got := sortedErrorFields(r); !slices.Equal(got, tc.fields) {
				t.Fatalf("errors name %q, want %q: %s", got, tc.fields, r.Body)
			}
			if before != nil {
				after := e.must(http.StatusOK, req{Method: "GET", Path: p, Token: e.viewer})
				if !bytes.Equal(before.Body, after.Body) {
					t.Fatalf("a refused patch changed the resource:\n%s\n%s", before.Body, after.Body)
				}
			}
		})
	}
}

// TestOwnRequestsNameEveryBadField covers the API's own small requests
// (sign-in, user accounts): every bad field is named, and an incomplete
// sign-in is invalid input (422), not a failed guess that counts towards
// the throttle.
func TestOwnRequestsNameEveryBadField(t *testing.T) {
	e := newEnv(t)
	cases := []struct {
		name   string
		path   string
		token  string
		body   string
		status int
		fields []string
	}{
		{"login: nothing sent", "/api/v1/auth/login", "", `{}`, 422, []string{"password", "username"}},
		{"login: password missing", "/api/v1/auth/login", "", `{"username":"ann"}`, 422, []string{"password"}},
		{"login: wrong types", "/api/v1/auth/login", "", `{"username":1,"password":true}`, 422, []string{"password", "username"}},
		{"login: unknown fields", "/api/v1/auth/login", "", `{"user":"ann","pass":"x"}`, 400, []string{"pass", "user"}},
		{"login: trailing data", "/api/v1/auth/login", "", `{"username":"a","password":"b"}]`, 400, nil},
		{"user: wrong type beside broken rules", "/api/v1/users", e.admin, `{"username":5,"password":"short","role":"god"}`, 422,
			[]string{"password", "role", "username"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := e.with(t)
			r := e.do(req{Method: "POST", Path: tc.path, Token: tc.token, Body: tc.body})
			wantProblem(t, r, tc.status)
			if got := sortedErrorFields(r); !slices.Equal(got, tc.fields) {
				t.Fatalf("errors name %q, want %q: %s", got, tc.fields, r.Body)
			}
		})
	}

	t.Run("incomplete sign-ins do not throttle the address", func(t *testing.T) {
		e := e.with(t)
		const client = "192.0.2.7:4000"
		for range 30 {
			r := e.do(req{Method: "POST", Path: "/api/v1/auth/login", Body: `{"password":"x"}`, Remote: client})
			wantProblem(t, r, http.StatusUnprocessableEntity, "username")
		}
		e.createUser("ann", "correct horse battery")
		r := e.do(req{Method: "POST", Path: "/api/v1/auth/login", Remote: client,
			Body: map[string]string{"username": "ann", "password": "correct horse battery"}})
		if r.Code != http.StatusOK || r.str("token") == "" {
			t.Fatalf("a right password after incomplete requests: %d %s", r.Code, r.Body)
		}
	})
}

// createUser adds a viewer through the API as the admin.
func (e *env) createUser(username, password string) {
	e.t.Helper()
	e.must(http.StatusCreated, req{Method: "POST", Path: "/api/v1/users", Token: e.admin,
		Body: map[string]string{"username": username, "password": password, "role": "viewer"}})
}

// TestTimeParamWithUnescapedOffset: an RFC 3339 offset typed into a URL
// unescaped ("?as_of=…T12:00:00+02:00") arrives with a space for its "+";
// as_of and since still read it as the instant meant, on every view.
func TestTimeParamWithUnescapedOffset(t *testing.T) {
	e := newEnv(t)
	w := e.world()
	base := "/api/v1/negotiations/" + w.Negotiation
	// Far enough ahead to be after the world's creation whatever the clock.
	const raw = "2999-05-16T12:00:00+02:00"
	for _, p := range []string{
		base + "/matrix?as_of=" + raw,
		base + "/report?format=json&as_of=" + raw + "&since=" + raw,
		base + "/changes?since=" + raw,
	} {
		t.Run(p, func(t *testing.T) {
			r := e.with(t).must(http.StatusOK, req{Method: "GET", Path: p, Token: e.viewer})
			if got, ok := r.JSON["as_of"]; ok && got != "2999-05-16T10:00:00Z" {
				t.Errorf("as_of = %v, want the instant in UTC", got)
			}
		})
	}
	// A space anywhere else is still refused.
	r := e.do(req{Method: "GET", Path: base + "/matrix?as_of=2025-05-16%20T12:00:00Z", Token: e.viewer})
	wantProblem(t, r, http.StatusUnprocessableEntity, "as_of")
}

// TestBadCursorWithOtherBadParameters: a mangled cursor is named together
// with the list's other bad parameters, not on a later request.
func TestBadCursorWithOtherBadParameters(t *testing.T) {
	e := newEnv(t)
	got := e.do(req{Method: "GET", Path: "/api/v1/parties?limit=0&cursor=zz", Token: e.viewer})
	wantProblem(t, got, http.StatusUnprocessableEntity, "limit", "cursor")
}
