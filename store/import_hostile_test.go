package store_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/parley/parley/domain"
	"github.com/parley/parley/store/storetest"
)

// exportDoc is an export document opened up for tampering.
type exportDoc map[string]any

func openExport(t *testing.T, b []byte) exportDoc {
	t.Helper()
	var d exportDoc
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&d); err != nil {
		t.Fatal(err)
	}
	return d
}

func (d exportDoc) revisions() []any { return d["revisions"].([]any) }

// revision returns the index and the entry of one revision.
func (d exportDoc) revision(t *testing.T, k domain.Kind, id string, n int) (int, map[string]any) {
	t.Helper()
	for i, r := range d.revisions() {
		rev := r.(map[string]any)
		if rev["resource_type"] == string(k) && rev["resource_id"] == id && rev["revision"] == json.Number(fmt.Sprint(n)) {
			return i, rev
		}
	}
	t.Fatalf("no revision %d of %s %s", n, k.Singular(), id)
	return 0, nil
}

// row returns the index and the body of a resource's row.
func (d exportDoc) row(t *testing.T, k domain.Kind, id string) (int, map[string]any) {
	t.Helper()
	for i, r := range d[string(k)].([]any) {
		if body := r.(map[string]any); body["id"] == id {
			return i, body
		}
	}
	t.Fatalf("no row of %s %s", k.Singular(), id)
	return 0, nil
}

func (d exportDoc) bytes(t *testing.T) []byte {
	t.Helper()
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// copyOf is a deep copy of a JSON value.
func copyOf(t *testing.T, v any) map[string]any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out map[string]any
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&out); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestImportRefusesHostileHistory: a crafted export whose history parley
// could never have written is refused whole, naming the bad revision, and
// leaves the database empty.
func TestImportRefusesHostileHistory(t *testing.T) {
	w := richWorld(t)
	ctx := context.Background()
	original := export(t, w.s)
	const stranger = "0196f3a0-0000-7000-8000-0000000000aa"
	tests := []struct {
		name string
		// tamper changes the document and returns the message the refusal
		// must hold, starting with the section and index it names.
		tamper func(t *testing.T, d exportDoc) string
	}{
		{"a resource that never existed", func(t *testing.T, d exportDoc) string {
			_, create := d.revision(t, domain.KindDemand, w.demand.ID, 1)
			fake := copyOf(t, create)
			fake["resource_id"] = stranger
			fake["actor"] = "someone-else"
			fake["resource"].(map[string]any)["id"] = stranger
			d["revisions"] = append(d.revisions(), fake)
			return fmt.Sprintf("revisions[%d]: demand %s is neither in the document nor deleted", len(d.revisions())-1, stranger)
		}},
		{"a body of the wrong types", func(t *testing.T, d exportDoc) string {
			i, rev := d.revision(t, domain.KindDemand, w.demand.ID, 1)
			rev["resource"].(map[string]any)["title"] = 7
			return fmt.Sprintf("revisions[%d]: resource is not a demand", i)
		}},
		{"a body of a list where an object goes", func(t *testing.T, d exportDoc) string {
			i, rev := d.revision(t, domain.KindDemand, w.demand.ID, 1)
			rev["resource"].(map[string]any)["terms"] = []any{1, 2}
			return fmt.Sprintf("revisions[%d]: resource is not a demand", i)
		}},
		{"a body of another resource", func(t *testing.T, d exportDoc) string {
			i, rev := d.revision(t, domain.KindTopic, w.topic.ID, 1)
			rev["resource"].(map[string]any)["id"] = stranger
			return fmt.Sprintf("revisions[%d]: resource is topic %s", i, stranger)
		}},
		{"a body that breaks the rules", func(t *testing.T, d exportDoc) string {
			i, rev := d.revision(t, domain.KindDemand, w.demand.ID, 1)
			rev["resource"].(map[string]any)["stated_on"] = "May"
			return fmt.Sprintf("revisions[%d]: resource: ", i)
		}},
		{"a key twice in a body", func(t *testing.T, d exportDoc) string {
			i, rev := d.revision(t, domain.KindDemand, w.demand.ID, 1)
			rev["resource"].(map[string]any)["title"] = "SENTINEL"
			// Rewritten as text: a map cannot hold a key twice.
			d["__raw"] = strings.Replace(string(d.bytes(t)), `"title":"SENTINEL"`, `"title":"30-day ceasefire","title":"a 90-day ceasefire"`, 1)
			return fmt.Sprintf("revisions[%d]: the key \"title\" appears twice in the resource", i)
		}},
		{"revision numbers out of sequence", func(t *testing.T, d exportDoc) string {
			i, rev := d.revision(t, domain.KindObjection, firstOf(t, d, domain.KindObjection), 2)
			rev["revision"] = 3
			rev["resource"].(map[string]any)["version"] = 3
			return fmt.Sprintf("revisions[%d]: revision 3 of objection", i)
		}},
		{"a history that does not begin with a create", func(t *testing.T, d exportDoc) string {
			i, rev := d.revision(t, domain.KindParty, w.ua.ID, 1)
			rev["action"] = "update"
			return fmt.Sprintf("revisions[%d]: the history of party %s begins with update", i, w.ua.ID)
		}},
		{"a change after the delete", func(t *testing.T, d exportDoc) string {
			var deleted map[string]any
			for _, r := range d.revisions() {
				if rev := r.(map[string]any); rev["action"] == "delete" {
					deleted = rev
				}
			}
			after := copyOf(t, deleted)
			after["action"] = "update"
			after["revision"] = json.Number(fmt.Sprint(mustInt(t, deleted["revision"]) + 1))
			body := after["resource"].(map[string]any)
			body["version"] = after["revision"]
			d["revisions"] = append(d.revisions(), after)
			return fmt.Sprintf("revisions[%d]: demand %s changes after its delete", len(d.revisions())-1, deleted["resource_id"])
		}},
		{"a row the history does not leave", func(t *testing.T, d exportDoc) string {
			_, row := d.row(t, domain.KindDemand, w.demand.ID)
			row["title"] = "a 90-day ceasefire"
			i, _ := d.revision(t, domain.KindDemand, w.demand.ID, 1)
			return fmt.Sprintf("revisions[%d]: demands[", i)
		}},
		{"a row at another version", func(t *testing.T, d exportDoc) string {
			_, row := d.row(t, domain.KindTopic, w.topic.ID)
			row["version"] = 2
			i, _ := d.revision(t, domain.KindTopic, w.topic.ID, 1)
			return fmt.Sprintf("revisions[%d]: topic %s has 1 revisions, but topics[0] is at version 2", i, w.topic.ID)
		}},
		{"a row without history", func(t *testing.T, d exportDoc) string {
			var kept []any
			for _, r := range d.revisions() {
				if r.(map[string]any)["resource_id"] != w.absent.ID {
					kept = append(kept, r)
				}
			}
			d["revisions"] = kept
			i, _ := d.row(t, domain.KindParty, w.absent.ID)
			return fmt.Sprintf("parties[%d]: party %s has no history", i, w.absent.ID)
		}},
		{"a revision filed under another negotiation", func(t *testing.T, d exportDoc) string {
			i, rev := d.revision(t, domain.KindTopic, w.topic.ID, 1)
			rev["negotiation_id"] = stranger
			return fmt.Sprintf("revisions[%d]: negotiation_id %q is not the negotiation of the topic", i, stranger)
		}},
		{"a reference to nothing in an old revision", func(t *testing.T, d exportDoc) string {
			i, rev := d.revision(t, domain.KindObjection, firstOf(t, d, domain.KindObjection), 1)
			rev["resource"].(map[string]any)["party_id"] = stranger
			return fmt.Sprintf("revisions[%d]: party_id refers to party %s, which is not in the document", i, stranger)
		}},
		{"a change dated before the create", func(t *testing.T, d exportDoc) string {
			i, rev := d.revision(t, domain.KindObjection, firstOf(t, d, domain.KindObjection), 2)
			rev["effective_at"] = "2001-01-01T00:00:00.000000Z"
			return fmt.Sprintf("revisions[%d]: a change to objection", i)
		}},
		{"no actor", func(t *testing.T, d exportDoc) string {
			i, rev := d.revision(t, domain.KindParty, w.ru.ID, 1)
			rev["actor"] = ""
			return fmt.Sprintf("revisions[%d]: actor must be", i)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := openExport(t, original)
			want := tt.tamper(t, d)
			doc := d.bytes(t)
			if raw, ok := d["__raw"].(string); ok {
				doc = []byte(raw)
			}
			s := storetest.Open(t)
			empty := export(t, s)
			err := s.Import(ctx, bytes.NewReader(doc))
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Fatalf("got %v, want an error containing %q", err, want)
			}
			if after := export(t, s); !bytes.Equal(empty, after) {
				t.Fatalf("a refused import wrote:\n%s", after)
			}
		})
	}
	// The untampered document, through the same opening and closing,
	// still imports.
	if err := storetest.Open(t).Import(ctx, bytes.NewReader(openExport(t, original).bytes(t))); err != nil {
		t.Fatalf("the document itself: %v", err)
	}
}

// firstOf is the id of the first row of a kind in the document.
func firstOf(t *testing.T, d exportDoc, k domain.Kind) string {
	t.Helper()
	rows := d[string(k)].([]any)
	if len(rows) == 0 {
		t.Fatalf("no %s in the document", k)
	}
	return rows[0].(map[string]any)["id"].(string)
}

func mustInt(t *testing.T, v any) int {
	t.Helper()
	n, err := v.(json.Number).Int64()
	if err != nil {
		t.Fatal(err)
	}
	return int(n)
}
