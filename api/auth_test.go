package api_test

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/parley/parley/api"
	"github.com/parley/parley/auth"
	"github.com/parley/parley/domain"
	"github.com/parley/parley/server"
	"github.com/parley/parley/store/storetest"
	"github.com/parley/parley/ui"
)

// publicRoutes need no token.
var publicRoutes = map[string]bool{
	"POST /api/v1/auth/login":  true,
	"GET /api/v1/openapi.json": true,
}

// apiRoutes lists the router's /api/v1 routes as (method, concrete path),
// with every :param replaced by a fresh UUID.
func apiRoutes(e *env) [][2]string {
	var out [][2]string
	for _, r := range e.e.Routes() {
		if !strings.HasPrefix(r.Path, "/api/v1/") {
			continue
		}
		segs := strings.Split(r.Path, "/")
		for i, s := range segs {
			if strings.HasPrefix(s, ":") {
				segs[i] = newID()
			}
		}
		out = append(out, [2]string{r.Method, strings.Join(segs, "/")})
	}
	return out
}

// TestEveryRouteNeedsAuth iterates over the router so that no route,
// including ones added later, escapes authentication and role checks.
func TestEveryRouteNeedsAuth(t *testing.T) {
	e := newEnv(t)
	if n := len(apiRoutes(e)); n < 8*6+5 {
		t.Fatalf("only %d routes under /api/v1", n)
	}
	for _, r := range e.e.Routes() {
		if !strings.HasPrefix(r.Path, "/api/v1/") || publicRoutes[r.Method+" "+r.Path] {
			continue
		}
		method, p := r.Method, r.Path
		concrete := strings.NewReplacer(":id", newID()).Replace(p)
		t.Run(method+" "+p, func(t *testing.T) {
			e := e.with(t)
			for _, token := range []string{"", "prl_not-a-real-token", e.viewer + "x"} {
				got := e.do(req{Method: method, Path: concrete, Token: token, Body: map[string]any{}})
				wantProblem(t, got, http.StatusUnauthorized)
				if !strings.HasPrefix(got.Header.Get("WWW-Authenticate"), "Bearer") {
					t.Fatalf("401 without WWW-Authenticate: Bearer")
				}
			}
			needed := domain.RoleViewer
			switch {
			case strings.HasPrefix(p, "/api/v1/users"):
				needed = "admin"
			case method != http.MethodGet && p != "/api/v1/auth/logout":
				needed = "editor"
			}
			tokens := map[domain.Role]string{"viewer": e.viewer, "editor": e.editor, "admin": e.admin}
			if p == "/api/v1/auth/logout" {
				// Logging out revokes the token: spend fresh ones, not the shared ones.
				for _, role := range domain.Roles().Values() {
					_, tokens[role] = storetest.User(t, e.store, role)
				}
			}
			for _, role := range domain.Roles().Values() {
				got := e.do(req{Method: method, Path: concrete, Token: tokens[role], Body: map[string]any{}})
				if domain.Roles().Rank(role) < domain.Roles().Rank(needed) {
					wantProblem(t, got, http.StatusForbidden)
				} else if got.Code == http.StatusUnauthorized || got.Code == http.StatusForbidden {
					t.Fatalf("%s got %d on a route for %s", role, got.Code, needed)
				}
				if got.Code >= 500 {
					t.Fatalf("%s: %d: %s", role, got.Code, got.Body)
				}
			}
		})
	}
}

func TestLogin(t *testing.T) {
	e := newEnv(t)
	admin := e.must(http.StatusOK, req{Method: "GET", Path: "/api/v1/users", Token: e.admin})
	if len(admin.items()) != 3 {
		t.Fatalf("%d users, want 3", len(admin.items()))
	}
	e.must(http.StatusCreated, req{Method: "POST", Path: "/api/v1/users", Token: e.admin,
		Body: map[string]any{"username": "amina", "password": "correct horse", "role": "editor"}})

	ok := e.must(http.StatusOK, req{Method: "POST", Path: "/api/v1/auth/login", Body: map[string]any{"username": "amina", "password": "correct horse"}})
	token := ok.str("token")
	if !strings.HasPrefix(token, auth.TokenPrefix) {
		t.Fatalf("token %q", token)
	}
	exp, err := time.Parse(time.RFC3339, ok.str("expires_at"))
	if err != nil || exp.Before(time.Now().Add(719*time.Hour)) || exp.After(time.Now().Add(721*time.Hour)) {
		t.Fatalf("expires_at %q, want about 720h from now", ok.str("expires_at"))
	}
	e.must(http.StatusCreated, req{Method: "POST", Path: "/api/v1/parties", Token: token, Body: map[string]any{"name": "Qatar"}})

	// The same answer for an unknown user as for a wrong password.
	wrong := e.do(req{Method: "POST", Path: "/api/v1/auth/login", Body: map[string]any{"username": "amina", "password": "wrong horse"}})
	unknown := e.do(req{Method: "POST", Path: "/api/v1/auth/login", Body: map[string]any{"username": "nobody", "password": "wrong horse"}})
	wantProblem(t, wrong, http.StatusUnauthorized)
	wantProblem(t, unknown, http.StatusUnauthorized)
	if string(wrong.Body) != string(unknown.Body) {
		t.Fatalf("unknown user and wrong password differ:\n%s\n%s", wrong.Body, unknown.Body)
	}

	// Logout revokes the token.
	e.must(http.StatusNoContent, req{Method: "POST", Path: "/api/v1/auth/logout", Token: token})
	wantProblem(t, e.do(req{Method: "GET", Path: "/api/v1/parties", Token: token}), http.StatusUnauthorized)

	bad := []struct {
		name   string
		body   any
		ctype  string
		status int
	}{
		{"malformed", `{"username":`, "", 400},
		{"unknown field", map[string]any{"username": "amina", "password": "x", "otp": "1"}, "", 400},
		{"form post", "username=amina", "application/x-www-form-urlencoded", 415},
		{"wrong type", map[string]any{"username": 7, "password": "x"}, "", 422},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			wantProblem(t, e.with(t).do(req{Method: "POST", Path: "/api/v1/auth/login", Body: tc.body, Type: tc.ctype}), tc.status)
		})
	}
}

func TestCreateUser(t *testing.T) {
	e := newEnv(t)
	cases := []struct {
		name   string
		body   any
		status int
		fields []string
	}{
		{"valid", map[string]any{"username": "li.wei", "password": "long enough", "role": "viewer"}, 201, nil},
		{"duplicate in another case", map[string]any{"username": "LI.WEI", "password": "long enough", "role": "viewer"}, 409, nil},
		{"everything wrong", map[string]any{"username": "no spaces", "password": "short", "role": "king"}, 422, []string{"username", "password", "role"}},
		{"unknown field", map[string]any{"username": "x", "password": "long enough", "role": "viewer", "admin": true}, 400, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := e.with(t).do(req{Method: "POST", Path: "/api/v1/users", Token: e.admin, Body: tc.body})
			if tc.status == 201 {
				if got.Code != 201 || got.str("username") != "li.wei" || got.str("role") != "viewer" || strings.Contains(string(got.Body), "password") {
					t.Fatalf("create user: %d %s", got.Code, got.Body)
				}
				return
			}
			wantProblem(t, got, tc.status, tc.fields...)
		})
	}
}

// TestLoginThrottle: guesses are limited per username and address, per
// address and per username everywhere, and none of it locks the user out of
// an address that has not been failing.
func TestLoginThrottle(t *testing.T) {
	s := storetest.Open(t)
	now := fixedNow
	e := &env{t: t, store: s, e: server.New(s, api.Options{RateLimit: -1, Now: func() time.Time { return now }}, ui.Options{})}
	// The lowest cost keeps a hundred and more sign-ins quick.
	hash, err := bcrypt.GenerateFromPassword([]byte("correct horse"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateUser(t.Context(), "amina", string(hash), "editor"); err != nil {
		t.Fatal(err)
	}
	login := func(username, password, remote string, headers map[string]string) *resp {
		return e.do(req{Method: "POST", Path: "/api/v1/auth/login", Remote: remote, Headers: headers,
			Body: map[string]any{"username": username, "password": password}})
	}
	right := func(remote string) *resp { return login("amina", "correct horse", remote, nil) }

	// Per username and address: the sixth attempt from there is refused,
	// even with the right password; from another address she signs in.
	for i := 0; i < 5; i++ {
		wantProblem(t, login("amina", "wrong horse", "203.0.113.1:1000", nil), http.StatusUnauthorized)
	}
	got := login("AMINA", "correct horse", "203.0.113.1:2000", nil)
	wantProblem(t, got, http.StatusTooManyRequests)
	if got.Header.Get("Retry-After") == "" {
		t.Fatal("429 without Retry-After")
	}
	e.must(http.StatusOK, req{Method: "POST", Path: "/api/v1/auth/login", Remote: "203.0.113.2:1000",
		Body: map[string]any{"username": "amina", "password": "correct horse"}})
	// The window passes.
	now = now.Add(16 * time.Minute)
	if got := right("203.0.113.1:1000"); got.Code != http.StatusOK {
		t.Fatalf("after the window: %d %s", got.Code, got.Body)
	}

	// An IPv6 client counts per /64: moving inside it gains nothing.
	for i := 1; i <= 5; i++ {
		wantProblem(t, login("amina", "wrong horse", "[2001:db8::"+string(rune('0'+i))+"]:1000", nil), http.StatusUnauthorized)
	}
	wantProblem(t, right("[2001:db8::ffff]:1000"), http.StatusTooManyRequests)
	if got := right("[2001:db8:0:1::1]:1000"); got.Code != http.StatusOK {
		t.Fatalf("another /64: %d %s", got.Code, got.Body)
	}

	// Per address: 20 failures under different usernames; a forged
	// X-Forwarded-For does not escape it without TrustProxy.
	now = now.Add(time.Hour)
	for i := 0; i < 20; i++ {
		wantProblem(t, login("guess"+string(rune('a'+i)), "wrong horse", "198.51.100.7:4000",
			map[string]string{"X-Forwarded-For": "10.0.0." + string(rune('1'+i%9))}), http.StatusUnauthorized)
	}
	wantProblem(t, login("amina", "correct horse", "198.51.100.7:4001", map[string]string{"X-Forwarded-For": "192.0.2.99"}), http.StatusTooManyRequests)
	if got := right("198.51.100.8:4000"); got.Code != http.StatusOK {
		t.Fatalf("another address: %d %s", got.Code, got.Body)
	}

	// Per username from everywhere: 100 failures in a day (10 of them
	// above) from many addresses refuse a new address, but not one she has
	// signed in from before.
	now = now.Add(time.Hour)
	for i := 10; i < 100; i++ {
		wantProblem(t, login("amina", "wrong horse", "192.0.2."+strconv.Itoa(100+i/5)+":1000", nil), http.StatusUnauthorized)
	}
	wantProblem(t, right("198.51.100.77:1000"), http.StatusTooManyRequests)
	if got := right("203.0.113.2:1000"); got.Code != http.StatusOK {
		t.Fatalf("from an address she signed in from: %d %s", got.Code, got.Body)
	}
}

// TestLoginRace: 50 sign-ins for one user at once, 49 wrong and 1 right,
// against the limit of 5 per username and address. Counting and recording
// an attempt are one step before its password is checked, so at most 5
// passwords are checked; the others are refused unchecked.
func TestLoginRace(t *testing.T) {
	s := storetest.Open(t)
	e := server.New(s, api.Options{RateLimit: -1}, ui.Options{})
	// The default bcrypt cost: a check takes as long as in production,
	// which is the window a race needs.
	hash, err := auth.HashPassword("correct horse")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateUser(t.Context(), "amina", hash, "editor"); err != nil {
		t.Fatal(err)
	}
	statuses := make([]int, 50)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range statuses {
		password := "wrong horse " + strconv.Itoa(i)
		if i == 25 {
			password = "correct horse"
		}
		body := `{"username":"amina","password":"` + password + `"}`
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := httptest.NewRequest(http.MethodPost, "/api/v1/auth/login", strings.NewReader(body))
			r.Header.Set("Content-Type", "application/json")
			r.RemoteAddr = "203.0.113.9:5000"
			rec := httptest.NewRecorder()
			<-start
			e.ServeHTTP(rec, r)
			statuses[i] = rec.Code
		}()
	}
	close(start)
	wg.Wait()
	count := map[int]int{}
	for _, code := range statuses {
		count[code]++
	}
	checked := count[http.StatusOK] + count[http.StatusUnauthorized]
	if checked == 0 || checked > 5 || count[http.StatusTooManyRequests] != 50-checked {
		t.Fatalf("statuses %v: %d passwords checked, want 1 to 5 and every other attempt 429", count, checked)
	}
}

// TestTokenExpiry: a token stops working when it expires.
func TestTokenExpiry(t *testing.T) {
	s := storetest.Open(t)
	now := fixedNow
	e := &env{t: t, store: s, e: server.New(s, api.Options{RateLimit: -1, Now: func() time.Time { return now }}, ui.Options{})}
	hash, _ := auth.HashPassword("correct horse")
	if _, err := s.CreateUser(t.Context(), "amina", hash, "viewer"); err != nil {
		t.Fatal(err)
	}
	ok := e.must(http.StatusOK, req{Method: "POST", Path: "/api/v1/auth/login", Body: map[string]any{"username": "amina", "password": "correct horse"}})
	if want := fixedNow.Add(720 * time.Hour).Format(time.RFC3339); ok.str("expires_at") != want {
		t.Fatalf("expires_at %s, want %s", ok.str("expires_at"), want)
	}
	e.must(http.StatusOK, req{Method: "GET", Path: "/api/v1/parties", Token: ok.str("token")})
	now = now.Add(721 * time.Hour)
	wantProblem(t, e.do(req{Method: "GET", Path: "/api/v1/parties", Token: ok.str("token")}), http.StatusUnauthorized)
}

// TestTrustProxy: behind a load balancer the client address comes from
// X-Forwarded-For, so one client's failures do not throttle another's.
func TestTrustProxy(t *testing.T) {
	s := storetest.Open(t)
	e := &env{t: t, store: s, e: server.New(s, api.Options{RateLimit: -1, TrustProxy: true, Now: func() time.Time { return fixedNow }}, ui.Options{})}
	hash, _ := auth.HashPassword("correct horse")
	if _, err := s.CreateUser(t.Context(), "amina", hash, "viewer"); err != nil {
		t.Fatal(err)
	}
	const balancer = "10.0.0.2:5000" // a private address: a trusted proxy
	for i := 0; i < 20; i++ {
		wantProblem(t, e.do(req{Method: "POST", Path: "/api/v1/auth/login", Remote: balancer,
			Headers: map[string]string{"X-Forwarded-For": "203.0.113.50"},
			Body:    map[string]any{"username": "guess" + string(rune('a'+i)), "password": "wrong horse"}}), http.StatusUnauthorized)
	}
	login := func(client string) *resp {
		return e.do(req{Method: "POST", Path: "/api/v1/auth/login", Remote: balancer,
			Headers: map[string]string{"X-Forwarded-For": client},
			Body:    map[string]any{"username": "amina", "password": "correct horse"}})
	}
	wantProblem(t, login("203.0.113.50"), http.StatusTooManyRequests)
	if got := login("203.0.113.51"); got.Code != http.StatusOK {
		t.Fatalf("another client behind the same proxy: %d %s", got.Code, got.Body)
	}
}
