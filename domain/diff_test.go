package domain

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"
)

func TestDiffResources(t *testing.T) {
	tests := []struct {
		name          string
		before, after string
		want          []FieldChange
	}{
		{name: "nothing changed but the metadata",
			before: `{"id":"x","version":1,"updated_at":"2025-01-01T00:00:00Z","title":"a"}`,
			after:  `{"id":"x","version":2,"updated_at":"2025-01-02T00:00:00Z","title":"a"}`,
			want:   []FieldChange{}},
		{name: "a changed string and a changed number",
			before: `{"title":"a","sort_order":1,"version":1}`, after: `{"title":"b","sort_order":2,"version":2}`,
			want: []FieldChange{{"sort_order", 1.0, 2.0}, {"title", "a", "b"}}},
		{name: "terms compared as a whole object",
			before: `{"terms":{"duration_days":30}}`, after: `{"terms":{"duration_days":60,"unconditional":true}}`,
			want: []FieldChange{{"terms", map[string]any{"duration_days": 30.0}, map[string]any{"duration_days": 60.0, "unconditional": true}}}},
		{name: "a field set where it was missing",
			before: `{"title":"a"}`, after: `{"title":"a","round_id":"r"}`,
			want: []FieldChange{{"round_id", nil, "r"}}},
		{name: "empty values are all the same",
			before: `{"details":"","citations":[],"terms":{}}`, after: `{"details":null}`,
			want: []FieldChange{}},
		{name: "a create lists only the fields it set",
			before: ``, after: `{"id":"x","created_at":"t","title":"a","details":"","sort_order":0}`,
			want: []FieldChange{{"sort_order", nil, 0.0}, {"title", nil, "a"}}},
		{name: "a delete lists what went away",
			before: `{"title":"a","status":"tabled"}`, after: `null`,
			want: []FieldChange{{"status", "tabled", nil}, {"title", "a", nil}}},
		{name: "corrupt history is treated as absent",
			before: `not json`, after: `{"title":"a"}`,
			want: []FieldChange{{"title", nil, "a"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := DiffResources(json.RawMessage(tt.before), json.RawMessage(tt.after))
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("DiffResources = %#v, want %#v", got, tt.want)
			}
		})
	}
}

func TestDescribeChange(t *testing.T) {
	v1 := json.RawMessage(`{"title":"30-day ceasefire","status":"tabled","version":1}`)
	v2 := json.RawMessage(`{"title":"30-day ceasefire","status":"agreed","version":2}`)
	rev := func(action string, body json.RawMessage) Revision {
		return Revision{ResourceType: KindDemand, ResourceID: "d", Action: action, Resource: body}
	}
	tests := []struct {
		name   string
		change Change
		want   []FieldChange
	}{
		{"create", Change{Revision: rev("create", v1)}, []FieldChange{{"status", nil, "tabled"}, {"title", nil, "30-day ceasefire"}}},
		{"update against the previous revision", Change{Revision: rev("update", v2), Previous: v1}, []FieldChange{{"status", "tabled", "agreed"}}},
		{"delete holds the resource as it was", Change{Revision: rev("delete", v2), Previous: v2}, []FieldChange{{"status", "agreed", nil}, {"title", "30-day ceasefire", nil}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := DescribeChange(tt.change)
			if !reflect.DeepEqual(got.Changes, tt.want) {
				t.Errorf("changes = %#v, want %#v", got.Changes, tt.want)
			}
			b, _ := json.Marshal(got)
			var m map[string]any
			_ = json.Unmarshal(b, &m)
			for _, k := range []string{"resource_type", "resource_id", "revision", "action", "actor", "at", "resource", "changes"} {
				if _, ok := m[k]; !ok {
					t.Errorf("change entry JSON lacks %q: %s", k, b)
				}
			}
		})
	}
}

func TestChangesSince(t *testing.T) {
	at := func(h int) Change {
		return Change{Revision: Revision{At: time.Date(2025, 5, 16, h, 0, 0, 0, time.UTC)}}
	}
	all := []Change{at(8), at(10), at(12), at(14)}
	tests := []struct {
		name         string
		since, until time.Time
		want         int
	}{
		{"after since, exclusive", all[1].At, time.Time{}, 2},
		{"up to until, inclusive", all[0].At, all[2].At, 2},
		{"since zero keeps all", time.Time{}, time.Time{}, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ChangesSince(all, tt.since, tt.until); len(got) != tt.want {
				t.Errorf("%d changes, want %d", len(got), tt.want)
			}
		})
	}
}

// FuzzDiffResources: history bodies are stored JSON, but a corrupt or
// unexpected one must never panic the changes view.
func FuzzDiffResources(f *testing.F) {
	f.Add([]byte(`{"title":"a","terms":{"x":1}}`), []byte(`{"title":"b","terms":{"x":2}}`))
	f.Add([]byte(`null`), []byte(`[1,2]`))
	f.Add([]byte(``), []byte(`{"version":3}`))
	f.Fuzz(func(t *testing.T, before, after []byte) {
		changes := DiffResources(before, after)
		for _, c := range changes {
			if metaFields[c.Field] {
				t.Errorf("metadata field %q listed", c.Field)
			}
			if reflect.DeepEqual(c.Before, c.After) {
				t.Errorf("field %q listed though unchanged", c.Field)
			}
		}
	})
}
