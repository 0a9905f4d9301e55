package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/parley/parley/domain"
)

// TestCRUD walks every collection through create, read, patch, list,
// delete and history.
func TestCRUD(t *testing.T) {
	e := newEnv(t)
	w := e.world()
	for _, k := range domain.Kinds {
		t.Run(string(k), func(t *testing.T) {
			e := e.with(t)
			created := e.must(http.StatusCreated, req{Method: "POST", Path: "/api/v1/" + string(k), Token: e.editor, Body: w.valid(k)})
			id := created.str("id")
			if loc := created.Header.Get("Location"); loc != path(k, id) {
				t.Fatalf("Location %q, want %q", loc, path(k, id))
			}
			if et := created.Header.Get("ETag"); et != `"1"` {
				t.Fatalf("ETag %q, want \"1\"", et)
			}
			if v := created.JSON["version"]; v != 1.0 {
				t.Fatalf("version %v, want 1", v)
			}
			for _, f := range []string{"created_at", "updated_at"} {
				if created.str(f) == "" {
					t.Fatalf("%s missing: %s", f, created.Body)
				}
			}

			got := e.must(http.StatusOK, req{Method: "GET", Path: path(k, id), Token: e.viewer})
			if got.Header.Get("ETag") != `"1"` || got.str("id") != id {
				t.Fatalf("GET: ETag %q id %q", got.Header.Get("ETag"), got.str("id"))
			}

			field := textField[k]
			patched := e.must(http.StatusOK, req{Method: "PATCH", Path: path(k, id), Token: e.editor, Type: "application/merge-patch+json",
				Headers: map[string]string{"If-Match": `"1"`}, Body: map[string]any{field: "changed by a patch"}})
			if patched.str(field) != "changed by a patch" || patched.JSON["version"] != 2.0 || patched.Header.Get("ETag") != `"2"` {
				t.Fatalf("PATCH: %s = %q, version %v, ETag %q", field, patched.str(field), patched.JSON["version"], patched.Header.Get("ETag"))
			}
			// Fields the patch does not name keep their values.
			for name, v := range created.JSON {
				// A patch without effective_on takes effect now.
				if name == field || name == "version" || name == "updated_at" || name == "effective_at" {
					continue
				}
				if fmt.Sprint(patched.JSON[name]) != fmt.Sprint(v) {
					t.Fatalf("PATCH changed %s from %v to %v", name, v, patched.JSON[name])
				}
			}

			list := e.must(http.StatusOK, req{Method: "GET", Path: "/api/v1/" + string(k) + "?limit=500", Token: e.viewer})
			if !containsID(list.items(), id) {
				t.Fatalf("list does not hold %s", id)
			}

			e.must(http.StatusNoContent, req{Method: "DELETE", Path: path(k, id), Token: e.editor, Headers: map[string]string{"If-Match": `W/"2"`}})
			wantProblem(t, e.do(req{Method: "GET", Path: path(k, id), Token: e.viewer}), http.StatusNotFound)

			hist := e.must(http.StatusOK, req{Method: "GET", Path: path(k, id) + "/history", Token: e.viewer})
			var actions []string
			for _, rev := range hist.items() {
				actions = append(actions, fmt.Sprint(rev["action"]))
			}
			if strings.Join(actions, ",") != "create,update,delete" {
				t.Fatalf("history actions %v, want create,update,delete", actions)
			}
		})
	}
}

func containsID(items []map[string]any, id string) bool {
	for _, it := range items {
		if it["id"] == id {
			return true
		}
	}
	return false
}

// TestListPagination pages through more items than fit on two pages.
func TestListPagination(t *testing.T) {
	e := newEnv(t)
	w := e.world()
	for _, k := range []domain.Kind{domain.KindParty, domain.KindDemand, domain.KindEndorsement} {
		t.Run(string(k), func(t *testing.T) {
			e := e.with(t)
			for i := 0; i < 7; i++ {
				e.create(k, w.valid(k))
			}
			all := e.must(http.StatusOK, req{Method: "GET", Path: "/api/v1/" + string(k) + "?limit=500", Token: e.viewer}).items()
			if len(all) < 7 {
				t.Fatalf("%d items, want at least 7", len(all))
			}
			seen := map[string]bool{}
			pages := 0
			next := "/api/v1/" + string(k) + "?limit=3"
			for next != "" {
				page := e.must(http.StatusOK, req{Method: "GET", Path: next, Token: e.viewer})
				pages++
				if n := len(page.items()); n > 3 || n == 0 {
					t.Fatalf("page %d has %d items", pages, n)
				}
				for _, it := range page.items() {
					id := it["id"].(string)
					if seen[id] {
						t.Fatalf("%s on two pages", id)
					}
					seen[id] = true
				}
				cursor, isString := page.JSON["next_cursor"].(string)
				if _, present := page.JSON["next_cursor"]; !present {
					t.Fatal("next_cursor missing (want null on the last page)")
				}
				next = ""
				if isString {
					next = "/api/v1/" + string(k) + "?limit=3&cursor=" + cursor
				}
			}
			if len(seen) != len(all) || pages != (len(all)+2)/3 {
				t.Fatalf("paged %d items in %d pages, want %d items", len(seen), pages, len(all))
			}
		})
	}
}

// TestListFilters checks every reference filter of every collection, the
// status filter and q.
func TestListFilters(t *testing.T) {
	e := newEnv(t)
	w := e.world()
	// A second negotiation's resources must not leak into filtered lists.
	other := e.create(domain.KindNegotiation, map[string]any{"title": "Other talks", "participants": []map[string]any{{"party_id": w.PartyB, "role": "principal"}}})
	e.create(domain.KindTopic, map[string]any{"negotiation_id": other["id"], "title": "Elsewhere"})

	ids := map[string]string{"negotiation_id": w.Negotiation, "round_id": w.Round, "topic_id": w.Topic, "demand_id": w.Demand, "objection_id": w.Objection}
	// The party each collection's party_id filter should find in w.
	partyFor := map[domain.Kind]string{
		domain.KindNegotiation: w.PartyC, domain.KindRound: w.PartyC, domain.KindDelegation: w.PartyA,
		domain.KindDemand: w.PartyA, domain.KindObjection: w.PartyB, domain.KindRebuttal: w.PartyA, domain.KindEndorsement: w.PartyC,
	}
	for _, k := range domain.Kinds {
		for _, f := range domain.RefFields[k] {
			t.Run(string(k)+"/"+f, func(t *testing.T) {
				e := e.with(t)
				id := ids[f]
				if f == "party_id" {
					id = partyFor[k]
				}
				got := e.must(http.StatusOK, req{Method: "GET", Path: "/api/v1/" + string(k) + "?" + f + "=" + id, Token: e.viewer}).items()
				if !containsID(got, w.IDs[k]) {
					t.Fatalf("?%s=%s does not find %s", f, id, w.IDs[k])
				}
				for _, it := range got {
					if !refersTo(k, f, it, id) {
						t.Fatalf("?%s=%s returned %v", f, id, it)
					}
				}
				none := e.must(http.StatusOK, req{Method: "GET", Path: "/api/v1/" + string(k) + "?" + f + "=" + newID(), Token: e.viewer}).items()
				if len(none) != 0 {
					t.Fatalf("filter by an unknown id returned %d items", len(none))
				}
			})
		}
	}

	cases := []struct {
		name  string
		query string
		want  string // an id that must be found
		not   string // an id that must not be found
	}{
		{"demand status match", "/api/v1/demands?status=tabled", w.Demand, ""},
		{"demand status other", "/api/v1/demands?status=agreed", "", w.Demand},
		{"objection status", "/api/v1/objections?status=standing", w.Objection, ""},
		{"negotiation status", "/api/v1/negotiations?status=suspended", "", w.Negotiation},
		{"party by alias", "/api/v1/parties?q=russian%20FED", w.PartyB, w.PartyA},
		{"party by short name", "/api/v1/parties?q=ua", w.PartyA, w.PartyC},
		{"party by name", "/api/v1/parties?q=TURK", w.PartyC, w.PartyB},
		{"demand by title", "/api/v1/demands?q=30-day", w.Demand, ""},
		{"LIKE wildcard is literal", "/api/v1/parties?q=%25", "", w.PartyA},
		{"empty filter is absent", "/api/v1/demands?status=&party_id=", w.Demand, ""},
		{"unknown parameters ignored", "/api/v1/demands?utm_source=x", w.Demand, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := e.with(t)
			got := e.must(http.StatusOK, req{Method: "GET", Path: tc.query, Token: e.viewer}).items()
			if tc.want != "" && !containsID(got, tc.want) {
				t.Fatalf("%s does not find %s", tc.query, tc.want)
			}
			if tc.not != "" && containsID(got, tc.not) {
				t.Fatalf("%s finds %s", tc.query, tc.not)
			}
		})
	}
}

// refersTo reports whether item matches the filter field=id, with the
// collection-specific meanings of party_id.
func refersTo(k domain.Kind, field string, item map[string]any, id string) bool {
	switch {
	case k == domain.KindNegotiation && field == "party_id":
		parts, _ := item["participants"].([]any)
		for _, p := range parts {
			if p.(map[string]any)["party_id"] == id {
				return true
			}
		}
		return false
	case k == domain.KindRound && field == "party_id":
		return item["host_party_id"] == id
	}
	return item[field] == id
}

// TestReadOnlyFieldsIgnored sends id, created_at, updated_at and version on
// create and patch: the server's values win.
func TestReadOnlyFieldsIgnored(t *testing.T) {
	e := newEnv(t)
	w := e.world()
	for _, k := range domain.Kinds {
		t.Run(string(k), func(t *testing.T) {
			e := e.with(t)
			body := w.valid(k)
			fake := newID()
			body["id"], body["created_at"], body["updated_at"], body["version"] = fake, "1999-01-01T00:00:00Z", "1999-01-01T00:00:00Z", 42
			if k == domain.KindDelegation || k == domain.KindObjection || k == domain.KindEndorsement {
				body["negotiation_id"] = newID() // derived: ignored too
			}
			got := e.create(k, body)
			if got["id"] == fake || got["version"] != 1.0 || strings.HasPrefix(got["created_at"].(string), "1999") {
				t.Fatalf("read-only fields taken from the client: %v", got)
			}
			if nid, ok := got["negotiation_id"]; ok && k != domain.KindNegotiation && nid != w.Negotiation {
				t.Fatalf("negotiation_id %v, want %s", nid, w.Negotiation)
			}
			id := got["id"].(string)
			patched := e.must(http.StatusOK, req{Method: "PATCH", Path: path(k, id), Token: e.editor,
				Body: map[string]any{"id": fake, "created_at": "1999-01-01T00:00:00Z"}})
			if patched.str("id") != id || patched.str("created_at") != got["created_at"] {
				t.Fatalf("patch took read-only fields: %s", patched.Body)
			}
		})
	}
}
