package api_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/parley/parley/api"
	"github.com/parley/parley/domain"
	"github.com/parley/parley/store/storetest"
)

// FuzzCreate posts random bodies to every collection through the router:
// whatever a client sends, the answer is never a 5xx. The seed corpus runs
// with the normal tests.
func FuzzCreate(f *testing.F) {
	seeds := []string{
		``, `{}`, `null`, `[]`, `"x"`, `{"name":"Ukraine"}`, `{"name":null}`, `{"name":1e999}`,
		`{"name":"a","aliases":[1,2]}`, `{"title":"t","participants":[{"party_id":"x","role":"host"}]}`,
		`{"negotiation_id":"00000000-0000-0000-0000-000000000000","title":"t","starts_on":"2025-02-29"}`,
		`{"terms":{"a":{"b":[1]}},"citations":[{"credibility":"7"}]}`, `{"citations":[{"credibility":1.5}]}`,
		`{"citations":[null]}`, `{"members":[{"name":"\u0000"}]}`, `{"version":-1}`, `{"version":1e20}`,
		`{"id":{},"created_at":[],"updated_at":1}`, `{"name":"\xff\xfe"}`, `{"a":1}{"b":2}`,
		`{"name":"` + strings.Repeat("é", 300) + `"}`, `{"sort_order":99999999999999999999}`,
		`{"stated_on":"2025-05-16T00:00:00Z","demand_id":"` + strings.Repeat("f", 36) + `"}`,
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	s := storetest.Open(f)
	_, token := storetest.User(f, s, "editor")
	e := api.New(s, api.Options{})
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, k := range domain.Kinds {
			for _, method := range []string{"POST", "PATCH"} {
				target := "/api/v1/" + string(k)
				if method == "PATCH" {
					target += "/00000000-0000-7000-8000-000000000000"
				}
				r := httptest.NewRequest(method, target, bytes.NewReader(body))
				r.Header.Set("Content-Type", "application/json")
				r.Header.Set("Authorization", "Bearer "+token)
				rec := httptest.NewRecorder()
				e.ServeHTTP(rec, r)
				if rec.Code >= 500 {
					t.Fatalf("%s %s %q: %d %s", method, target, body, rec.Code, rec.Body)
				}
				if rec.Code >= 400 && rec.Header().Get("Content-Type") != "application/problem+json" {
					t.Fatalf("%s %s: %d without problem+json", method, target, rec.Code)
				}
				if !json.Valid(rec.Body.Bytes()) {
					t.Fatalf("%s %s: the response is not JSON: %s", method, target, rec.Body)
				}
			}
		}
	})
}

// FuzzListQuery sends random query strings to every list: never a 5xx.
func FuzzListQuery(f *testing.F) {
	for _, q := range []string{"", "limit=0", "limit=-1", "limit=99999999999999999999", "cursor=%00", "cursor=AAAA",
		"q=%25_%5C", "status=x&status=y", "party_id=%27", "negotiation_id=00000000-0000-0000-0000-000000000000", "q=" + strings.Repeat("x", 300)} {
		f.Add(q)
	}
	s := storetest.Open(f)
	_, token := storetest.User(f, s, "viewer")
	e := api.New(s, api.Options{})
	f.Fuzz(func(t *testing.T, query string) {
		for _, k := range domain.Kinds {
			r, err := http.NewRequest("GET", "/api/v1/"+string(k)+"?"+query, nil)
			if err != nil {
				return // not a URL a client could send
			}
			r.Header.Set("Authorization", "Bearer "+token)
			rec := httptest.NewRecorder()
			e.ServeHTTP(rec, r)
			if rec.Code >= 500 {
				t.Fatalf("%s?%s: %d %s", k, query, rec.Code, rec.Body)
			}
		}
	})
}
