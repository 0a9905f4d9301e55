package api_test

import (
	"net/http"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/parley/parley/domain"
)

// TestOpenAPI proves the document is valid OpenAPI 3 and lists exactly the
// routes the router serves under /api/v1.
func TestOpenAPI(t *testing.T) {
	e := newEnv(t)
	got := e.must(http.StatusOK, req{Method: "GET", Path: "/api/v1/openapi.json"})
	doc, err := openapi3.NewLoader().LoadFromData(got.Body)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	if err := doc.Validate(t.Context()); err != nil {
		t.Fatalf("validate: %v", err)
	}

	documented := map[string]bool{}
	for p, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			documented[method+" /api/v1"+p] = true
		}
	}
	routed := map[string]bool{}
	for _, r := range e.e.Routes() {
		if strings.HasPrefix(r.Path, "/api/v1/") {
			p := r.Path
			for _, seg := range strings.Split(p, "/") {
				if strings.HasPrefix(seg, ":") {
					p = strings.Replace(p, seg, "{"+seg[1:]+"}", 1)
				}
			}
			routed[r.Method+" "+p] = true
		}
	}
	if missing, extra := diff(routed, documented), diff(documented, routed); len(missing) > 0 || len(extra) > 0 {
		t.Fatalf("routes not documented: %v\ndocumented but not routed: %v", missing, extra)
	}

	// Each collection's schemas come from the domain: every field, enums and required.
	for _, k := range domain.Kinds {
		name := strings.ToUpper(k.Singular()[:1]) + k.Singular()[1:]
		res := doc.Components.Schemas[name]
		input := doc.Components.Schemas[name+"Input"]
		if res == nil || input == nil {
			t.Fatalf("%s: schemas %s and %sInput missing", k, name, name)
		}
		for _, f := range domain.FieldNames(k) {
			if res.Value.Properties[f] == nil || input.Value.Properties[f] == nil {
				t.Fatalf("%s: field %s not documented", k, f)
			}
		}
		req := append([]string(nil), input.Value.Required...)
		want := append([]string(nil), domain.Required[k]...)
		sort.Strings(req)
		sort.Strings(want)
		if strings.Join(req, ",") != strings.Join(want, ",") {
			t.Fatalf("%s: required %v, want %v", k, req, want)
		}
		if k == domain.KindDemand {
			enum := res.Value.Properties["status"].Value.Enum
			if len(enum) != domain.DemandStatuses().Len() {
				t.Fatalf("demand status enum %v", enum)
			}
		}
	}
	// Authenticated operations declare 401 and 403; every one declares 500.
	for p, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			if op.Responses.Value("500") == nil {
				t.Fatalf("%s %s: no 500 response", method, p)
			}
			public := publicRoutes[method+" /api/v1"+p]
			if !public && (op.Responses.Value("401") == nil || op.Responses.Value("403") == nil) {
				t.Fatalf("%s %s: no 401/403 response", method, p)
			}
		}
	}
}

func diff(a, b map[string]bool) []string {
	var out []string
	for k := range a {
		if !b[k] {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// TestOpenAPIErrorResponses: the document declares the statuses the routes
// really answer with: a wrong password is a 401 on the public sign-in, and
// the per-client rate limit can answer 429 on every route.
func TestOpenAPIErrorResponses(t *testing.T) {
	e := newEnv(t)
	got := e.must(http.StatusOK, req{Method: "GET", Path: "/api/v1/openapi.json"})
	doc, err := openapi3.NewLoader().LoadFromData(got.Body)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	login := doc.Paths.Find("/auth/login").Post
	for _, status := range []string{"400", "401", "415", "422", "429"} {
		if login.Responses.Value(status) == nil {
			t.Errorf("POST /auth/login: no %s response", status)
		}
	}
	for p, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			if op.Responses.Value("429") == nil {
				t.Errorf("%s %s: no 429 response, though the rate limit applies to it", method, p)
			}
		}
	}
}
