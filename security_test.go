package main

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/parley/parley/store/storetest"
)

// TestSecureCookiesFlag: behind a TLS proxy that sends no
// X-Forwarded-Proto, --secure-cookies (or PARLEY_SECURE_COOKIES=true) makes
// every cookie Secure and every response carry HSTS; without it a plain
// HTTP request gets neither.
func TestSecureCookiesFlag(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	tests := []struct {
		name string
		env  []string
		args []string
		want bool
	}{
		{"by default", nil, nil, false},
		{"by flag", nil, []string{"--secure-cookies"}, true},
		{"by PARLEY_SECURE_COOKIES", []string{"PARLEY_SECURE_COOKIES=true"}, nil, true},
		{"the flag wins over the environment", []string{"PARLEY_SECURE_COOKIES=true"}, []string{"--secure-cookies=false"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := startServer(t, storetest.DSN(t), tt.env, tt.args...)
			res, err := http.Get(srv.base + "/login")
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			var csrf *http.Cookie
			for _, ck := range res.Cookies() {
				if ck.Name == "parley_login_csrf" {
					csrf = ck
				}
			}
			if csrf == nil || csrf.Secure != tt.want {
				t.Errorf("sign-in cookie %+v, want Secure = %v", csrf, tt.want)
			}
			if hsts := res.Header.Get("Strict-Transport-Security"); (hsts != "") != tt.want {
				t.Errorf("Strict-Transport-Security %q, want it: %v", hsts, tt.want)
			}
		})
	}
}

// TestImportRefusesHostileHistoryFile: `parley import` of an export whose
// history was tampered with (a revision body of the wrong types, which
// once made every as-of view of the negotiation fail) exits 1 naming the
// revision, and writes nothing.
func TestImportRefusesHostileHistoryFile(t *testing.T) {
	source, _ := withDemo(t)
	dir := t.TempDir()
	good := filepath.Join(dir, "good.json")
	parley(t, "", "export", "-o", good, "--db", source).mustSucceed(t)
	b, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	revs := doc["revisions"].([]any)
	last := revs[len(revs)-1].(map[string]any)
	last["resource"].(map[string]any)["created_at"] = 20250516
	if b, err = json.Marshal(doc); err != nil {
		t.Fatal(err)
	}
	hostile := filepath.Join(dir, "hostile.json")
	if err := os.WriteFile(hostile, b, 0o600); err != nil {
		t.Fatal(err)
	}
	target := storetest.DSN(t)
	r := parley(t, "", "import", hostile, "--db", target)
	r.failsWith(t, 1, "revisions[")
	if want := regexp.MustCompile(`revisions\[\d+\]: resource is not a`); !want.MatchString(r.stderr) {
		t.Errorf("stderr %q does not name the revision and its fault", r.stderr)
	}
	parley(t, "", "import", good, "--db", target).mustSucceed(t)
}
