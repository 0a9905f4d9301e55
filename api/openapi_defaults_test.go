package api_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"testing"

	"github.com/parley/parley/domain"
)

// documentedDefault is one "default" the OpenAPI document states, with
// where it stands.
type documentedDefault struct {
	where []string // the JSON path to the schema holding it
	value any
}

// defaultsIn walks a decoded JSON document and lists every schema that
// states a default.
func defaultsIn(v any, where []string, out *[]documentedDefault) {
	switch x := v.(type) {
	case map[string]any:
		if d, ok := x["default"]; ok {
			*out = append(*out, documentedDefault{where: append([]string(nil), where...), value: d})
		}
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			defaultsIn(x[k], append(where, k), out)
		}
	case []any:
		for i, e := range x {
			name := fmt.Sprint(i)
			if m, ok := e.(map[string]any); ok && m["name"] != nil {
				name = fmt.Sprint(m["name"]) // a parameter, by its name
			}
			defaultsIn(e, append(where, name), out)
		}
	}
}

// TestOpenAPIDefaultsAreTheServers: every default the document states is
// what the server does when the field is left out. A create without the
// field stores the default; a list or the changes view without limit
// answers a page of that size. A default anywhere else (on a patch, whose
// absent fields stay unchanged, or on an answer) is a lie, and fails.
func TestOpenAPIDefaultsAreTheServers(t *testing.T) {
	e := newEnv(t)
	w := e.world()
	got := e.must(http.StatusOK, req{Method: "GET", Path: "/api/v1/openapi.json"})
	var doc map[string]any
	if err := json.Unmarshal(got.Body, &doc); err != nil {
		t.Fatal(err)
	}
	var defaults []documentedDefault
	defaultsIn(doc, nil, &defaults)
	if len(defaults) == 0 {
		t.Fatal("the document states no default at all; the walk is broken")
	}
	inputs := map[string]domain.Kind{}
	for _, k := range domain.Kinds {
		inputs[strings.ToUpper(k.Singular()[:1])+k.Singular()[1:]+"Input"] = k
	}
	for _, d := range defaults {
		where := strings.Join(d.where, "/")
		t.Run(where, func(t *testing.T) {
			e := e.with(t)
			switch {
			case len(d.where) == 5 && d.where[0] == "components" && d.where[1] == "schemas" && inputs[d.where[2]] != "" && d.where[3] == "properties":
				k, field := inputs[d.where[2]], d.where[4]
				body := w.valid(k)
				delete(body, field)
				created := e.create(k, body)
				if created[field] != d.value {
					t.Errorf("%s created without %s has %v; the document says the default is %v", k.Singular(), field, created[field], d.value)
				}
			case len(d.where) == 5 && d.where[0] == "components" && d.where[1] == "schemas" && d.where[2] == "Citation" && d.where[3] == "properties":
				field := d.where[4]
				body := w.valid(domain.KindDemand)
				citation := map[string]any{"title": "Live report", "url": "https://example.org/live", "reliability": "B", "credibility": "2"}
				delete(citation, field)
				body["citations"] = []map[string]any{citation}
				cs, _ := e.create(domain.KindDemand, body)["citations"].([]any)
				stored, _ := cs[0].(map[string]any)
				if stored[field] != d.value {
					t.Errorf("a citation given without %s stores %v; the document says the default is %v", field, stored[field], d.value)
				}
			case d.where[0] == "paths" && d.where[len(d.where)-2] == "limit" && d.where[len(d.where)-1] == "schema":
				checkDefaultLimit(t, e, w, d.where[1], d.value)
			default:
				t.Errorf("the document states the default %v at %s, where the server applies none (or this test does not know how to check it)", d.value, where)
			}
		})
	}
}

// checkDefaultLimit fills a list (parties) or the changes view past the
// documented default page size and reads a page without limit.
func checkDefaultLimit(t *testing.T, e *env, w *world, path string, want any) {
	t.Helper()
	n, ok := want.(float64)
	if !ok || n < 1 {
		t.Fatalf("limit default %v is not a page size", want)
	}
	var url string
	switch path {
	case "/parties":
		for i := 0; i <= int(n); i++ {
			e.create(domain.KindParty, w.valid(domain.KindParty))
		}
		url = "/api/v1/parties"
	case "/negotiations/{id}/changes":
		for i := 0; i <= int(n); i++ {
			e.create(domain.KindTopic, w.valid(domain.KindTopic))
		}
		url = "/api/v1/negotiations/" + w.Negotiation + "/changes?since=2000-01-01"
	default:
		// Every list pages alike; parties and the changes view stand for
		// the lists and the views.
		if !strings.HasSuffix(path, "}") && strings.Count(path, "/") == 1 {
			return
		}
		t.Fatalf("a default limit on %s, which this test does not check", path)
	}
	page := e.must(http.StatusOK, req{Method: "GET", Path: url, Token: e.viewer})
	if got := len(page.items()); got != int(n) || page.str("next_cursor") == "" {
		t.Errorf("GET %s without limit: %d items (next_cursor %q); the document says pages of %v", url, got, page.str("next_cursor"), n)
	}
}
