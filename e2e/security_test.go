package e2e

import (
	"net/http"
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
