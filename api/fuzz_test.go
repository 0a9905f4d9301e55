package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/parley/parley/api"
	"github.com/parley/parley/domain"
	"github.com/parley/parley/server"
	"github.com/parley/parley/store/storetest"
	"github.com/parley/parley/ui"
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
	e := server.New(s, api.Options{RateLimit: -1}, ui.Options{})
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
		"q=%25_%5C", "q=%00", "q=%C3", "status=x&status=y", "party_id=%27", "negotiation_id=00000000-0000-0000-0000-000000000000", "q=" + strings.Repeat("x", 300)} {
		f.Add(q)
	}
	s := storetest.Open(f)
	_, token := storetest.User(f, s, "viewer")
	e := server.New(s, api.Options{RateLimit: -1}, ui.Options{})
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

// fuzzServer answers fuzz requests through the real router; fuzz targets get
// a *testing.F at setup, which the env helpers do not take.
type fuzzServer struct {
	e     http.Handler
	token string
}

func (fs fuzzServer) do(method, target string, body []byte, header map[string]string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, target, bytes.NewReader(body))
	r.Header.Set("Authorization", "Bearer "+fs.token)
	for k, v := range header {
		r.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	fs.e.ServeHTTP(rec, r)
	return rec
}

// mustCreate posts body and returns the new resource's id, failing setup otherwise.
func (fs fuzzServer) mustCreate(tb testing.TB, k domain.Kind, body string) string {
	tb.Helper()
	rec := fs.do("POST", "/api/v1/"+string(k), []byte(body), map[string]string{"Content-Type": "application/json"})
	var out struct{ ID string }
	if rec.Code != http.StatusCreated || json.Unmarshal(rec.Body.Bytes(), &out) != nil {
		tb.Fatalf("create %s: %d %s", k, rec.Code, rec.Body)
	}
	return out.ID
}

// fuzzNegotiation creates a negotiation with two principals, a topic and a
// round, and returns their ids by name.
func fuzzNegotiation(tb testing.TB, fs fuzzServer) map[string]string {
	tb.Helper()
	ids := map[string]string{}
	ids["ua"] = fs.mustCreate(tb, domain.KindParty, `{"name":"Ukraine"}`)
	ids["ru"] = fs.mustCreate(tb, domain.KindParty, `{"name":"Russia"}`)
	ids["negotiation"] = fs.mustCreate(tb, domain.KindNegotiation, fmt.Sprintf(
		`{"title":"Istanbul talks","participants":[{"party_id":%q,"role":"principal"},{"party_id":%q,"role":"principal"}]}`, ids["ua"], ids["ru"]))
	ids["topic"] = fs.mustCreate(tb, domain.KindTopic, fmt.Sprintf(`{"negotiation_id":%q,"title":"Ceasefire"}`, ids["negotiation"]))
	ids["round"] = fs.mustCreate(tb, domain.KindRound, fmt.Sprintf(`{"negotiation_id":%q,"title":"Dolmabahçe","starts_on":"2025-05-16"}`, ids["negotiation"]))
	ids["demand"] = fs.mustCreate(tb, domain.KindDemand, fmt.Sprintf(
		`{"negotiation_id":%q,"party_id":%q,"topic_id":%q,"round_id":%q,"title":"30-day ceasefire","stated_on":"2025-05-16",`+
			`"terms":{"duration_days":30,"unconditional":true},"citations":[{"title":"Live updates","url":"https://example.org/live","reliability":"B","credibility":2}]}`,
		ids["negotiation"], ids["ua"], ids["topic"], ids["round"]))
	return ids
}

// FuzzPatch sends random merge patches, with or without If-Match, to one
// existing demand. Whatever the patch, the answer is never a 5xx, and the
// demand read back afterwards is still a valid demand: untouched unless the
// answer was 200, and then exactly what the 200 returned.
func FuzzPatch(f *testing.F) {
	seeds := []struct{ body, ifMatch string }{
		{`{"title":"60-day ceasefire"}`, ""}, {`{"title":null}`, ""}, {`{"title":""}`, ""}, {`{}`, ""},
		{`{"terms":{"duration_days":60,"unconditional":null}}`, ""}, {`{"terms":{"nested":{"a":1}}}`, ""},
		{`{"terms":null}`, ""}, {`{"terms":[1]}`, ""}, {`{"status":"agreed"}`, ""}, {`{"status":"nope"}`, ""},
		{`{"version":1,"details":"x"}`, ""}, {`{"version":999,"details":"x"}`, ""}, {`{"details":"x"}`, `"1"`},
		{`{"details":"x"}`, `"999"`}, {`{"details":"x"}`, `*`}, {`{"details":"x"}`, `W/"1"`}, {`{"details":"x"}`, `"-1"`},
		{`{"version":2}`, `"3"`}, {`{"id":"x","created_at":"y","updated_at":null}`, ""},
		{`{"party_id":"00000000-0000-0000-0000-000000000000"}`, ""}, {`{"party_id":null}`, ""},
		{`{"negotiation_id":"not-a-uuid"}`, ""}, {`{"stated_on":"2025-02-29"}`, ""}, {`{"stated_on":"2024-02-29"}`, ""},
		{`{"citations":[{"title":"t","credibility":7}]}`, ""}, {`{"citations":[null]}`, ""}, {`{"citations":{"a":1}}`, ""},
		{`{"round_id":null}`, ""}, {`{"priority":"core","round_id":""}`, ""}, {`[]`, ""}, {`null`, ""}, {``, ""},
		{`{"title":"a"}{"title":"b"}`, ""}, {`{"title":"\u0000"}`, ""}, {`{"title":"` + strings.Repeat("x", 1000) + `"}`, ""},
		{`{"unknown":1}`, ""}, {`{"title":1e999}`, ""}, {`{"version":1e20}`, ""},
	}
	for _, s := range seeds {
		f.Add([]byte(s.body), s.ifMatch)
	}
	s := storetest.Open(f)
	_, token := storetest.User(f, s, "editor")
	fs := fuzzServer{e: server.New(s, api.Options{RateLimit: -1}, ui.Options{}), token: token}
	target := "/api/v1/demands/" + fuzzNegotiation(f, fs)["demand"]

	read := func(t *testing.T) (map[string]any, float64) {
		rec := fs.do("GET", target, nil, nil)
		if rec.Code != http.StatusOK {
			t.Fatalf("GET the demand: %d %s", rec.Code, rec.Body)
		}
		r, _, err := domain.Decode(domain.KindDemand, rec.Body.Bytes())
		if err != nil {
			t.Fatalf("the stored demand no longer decodes: %v: %s", err, rec.Body)
		}
		r.Normalize()
		if errs := r.Validate(); len(errs) > 0 {
			t.Fatalf("the stored demand is invalid: %v: %s", errs, rec.Body)
		}
		var m map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &m); err != nil {
			t.Fatal(err)
		}
		v, _ := m["version"].(float64)
		return m, v
	}

	f.Fuzz(func(t *testing.T, body []byte, ifMatch string) {
		before, version := read(t)
		header := map[string]string{"Content-Type": "application/merge-patch+json"}
		if ifMatch != "" {
			header["If-Match"] = ifMatch
		}
		rec := fs.do("PATCH", target, body, header)
		if rec.Code >= 500 {
			t.Fatalf("PATCH %q (If-Match %q): %d %s", body, ifMatch, rec.Code, rec.Body)
		}
		if rec.Code >= 400 && rec.Header().Get("Content-Type") != "application/problem+json" {
			t.Fatalf("PATCH: %d without problem+json", rec.Code)
		}
		after, newVersion := read(t)
		if rec.Code != http.StatusOK {
			if !reflect.DeepEqual(before, after) {
				t.Fatalf("PATCH %q answered %d yet changed the demand:\n%v\n%v", body, rec.Code, before, after)
			}
			return
		}
		var answered map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &answered); err != nil {
			t.Fatalf("PATCH 200 is not JSON: %s", rec.Body)
		}
		if !reflect.DeepEqual(answered, after) {
			t.Fatalf("PATCH answered one demand and stored another:\n%v\n%v", answered, after)
		}
		if newVersion != version+1 && !(newVersion == version && reflect.DeepEqual(before, after)) {
			t.Fatalf("PATCH 200 moved the version from %v to %v", version, newVersion)
		}
		if after["id"] != before["id"] || after["created_at"] != before["created_at"] {
			t.Fatalf("PATCH changed a read-only field: %v -> %v", before, after)
		}
	})
}

// FuzzTimeQuery sends random as_of and since values to the matrix, the
// report and the changes: whatever they hold, never a 5xx, and a 422 names
// the parameter.
func FuzzTimeQuery(f *testing.F) {
	for _, s := range [][2]string{
		{"", ""}, {"2025-05-16", "2025-05-15"}, {"2025-05-16T12:00:00Z", "2025-05-16T12:00:00.999999999+03:00"},
		{"0000-01-01", "9999-12-31"}, {"0000-01-01T00:00:00+23:59", "9999-12-31T23:59:59-23:59"}, {"9999-12-31T23:59:59-23:59", "0000-01-01T00:00:00+23:59"},
		{"1970-01-01T00:00:00Z", "0001-01-01T00:00:00Z"}, {"2025-02-29", "2025-13-01"}, {"now", "yesterday"},
		{"2025-05-16T12:00:00", "2025-05-16 12:00:00Z"}, {"\x00", "%"}, {strings.Repeat("9", 300), " "},
	} {
		f.Add(s[0], s[1])
	}
	s := storetest.Open(f)
	_, token := storetest.User(f, s, "editor")
	fs := fuzzServer{e: server.New(s, api.Options{RateLimit: -1}, ui.Options{}), token: token}
	neg := "/api/v1/negotiations/" + fuzzNegotiation(f, fs)["negotiation"]

	f.Fuzz(func(t *testing.T, asOf, since string) {
		q := url.Values{"as_of": {asOf}, "since": {since}}
		for _, target := range []string{
			neg + "/matrix?" + url.Values{"as_of": {asOf}}.Encode(),
			neg + "/report?format=json&" + q.Encode(),
			neg + "/changes?" + url.Values{"since": {since}}.Encode(),
		} {
			rec := fs.do("GET", target, nil, nil)
			if rec.Code >= 500 {
				t.Fatalf("GET %s: %d %s", target, rec.Code, rec.Body)
			}
			// 404: the negotiation did not exist yet at as_of.
			if rec.Code != http.StatusOK && rec.Code != http.StatusNotFound && rec.Code != http.StatusUnprocessableEntity {
				t.Fatalf("GET %s: %d, want 200, 404 or 422: %s", target, rec.Code, rec.Body)
			}
			if rec.Code == http.StatusUnprocessableEntity && !strings.Contains(rec.Body.String(), `"field":"as_of"`) &&
				!strings.Contains(rec.Body.String(), `"field":"since"`) {
				t.Fatalf("GET %s: 422 naming neither as_of nor since: %s", target, rec.Body)
			}
		}
	})
}
