package domain

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
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
		return Revision{ResourceType: KindDemand, ResourceID: "d", Action: RevisionAction(action), Resource: body}
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

// TestDescribeChangeItems words each kind of revision of the changes
// view, naming what it refers to and never showing a code or JSON.
func TestDescribeChangeItems(t *testing.T) {
	names := Names{fxUA: "Ukraine", fxRU: "Russia", fxUS: "United States", fxD30: "30-day ceasefire", fxRound: "Doha round", fxTR: "Türkiye"}
	rev := func(k Kind, action, body string) Revision {
		return Revision{ResourceType: k, ResourceID: "x", Action: RevisionAction(action), Resource: json.RawMessage(body)}
	}
	tests := []struct {
		name    string
		change  Change
		summary string
		texts   []string
	}{
		{"a demand stated",
			Change{Revision: rev(KindDemand, "create", `{"party_id":"`+fxUA+`","title":"Prisoner exchange","status":"under_discussion","terms":{"prisoners_phase_1":2500},"version":1}`)},
			"Ukraine demands “Prisoner exchange” (under discussion): prisoners phase 1 2,500",
			[]string{"status under discussion", "title “Prisoner exchange”", "prisoners phase 1 2,500", "party Ukraine"}},
		{"a term moved",
			Change{Revision: rev(KindDemand, "update", `{"party_id":"`+fxUA+`","title":"Prisoner exchange","terms":{"prisoners_phase_1":1904},"version":2}`),
				Previous: json.RawMessage(`{"party_id":"` + fxUA + `","title":"Prisoner exchange","terms":{"prisoners_phase_1":2500},"version":1}`)},
			"Ukraine: prisoners phase 1 2,500 → 1,904 (−596) on “Prisoner exchange”",
			[]string{"prisoners phase 1 2,500 → 1,904 (−596)"}},
		{"an objection resolved",
			Change{Revision: rev(KindObjection, "update", `{"party_id":"`+fxRU+`","demand_id":"`+fxD30+`","grounds":"no","status":"resolved"}`),
				Previous: json.RawMessage(`{"party_id":"` + fxRU + `","demand_id":"` + fxD30 + `","grounds":"no","status":"standing"}`)},
			"Russia's objection to “30-day ceasefire” resolved",
			[]string{"status standing → resolved"}},
		{"an endorsement",
			Change{Revision: rev(KindEndorsement, "create", `{"party_id":"`+fxUS+`","demand_id":"`+fxD30+`","stated_on":"2025-05-17"}`)},
			"United States endorses “30-day ceasefire”",
			[]string{"demand “30-day ceasefire”", "party United States", "stated on 17 May 2025"}},
		{"a delegation sent",
			Change{Revision: rev(KindDelegation, "create", `{"party_id":"`+fxTR+`","round_id":"`+fxRound+`","level":"head_of_state","head_name":"Recep Tayyip Erdoğan","members":[{"name":"Hakan Fidan","title":"Foreign Minister"}]}`)},
			"Türkiye sends a delegation to “Doha round” (head of state level; led by Recep Tayyip Erdoğan)",
			[]string{"level head of state", "head of delegation Recep Tayyip Erdoğan", "party Türkiye", "round “Doha round”", "members Hakan Fidan, Foreign Minister"}},
		{"a party joins the table",
			Change{Revision: rev(KindNegotiation, "update", `{"title":"Talks","participants":[{"party_id":"`+fxUA+`","role":"principal"},{"party_id":"`+fxUS+`","role":"mediator"}]}`),
				Previous: json.RawMessage(`{"title":"Talks","participants":[{"party_id":"` + fxUA + `","role":"principal"}]}`)},
			"Negotiation “Talks”: United States joins as mediator",
			[]string{"participants Ukraine (principal) → Ukraine (principal), United States (mediator)"}},
		{"a reference to something gone",
			Change{Revision: rev(KindEndorsement, "create", `{"party_id":"`+fxOutsider+`","demand_id":"`+fxD30+`"}`)},
			"A party no longer on record endorses “30-day ceasefire”",
			[]string{"demand “30-day ceasefire”", "party a party no longer on record"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			item := DescribeChangeItems([]Change{tt.change}, names)[0]
			if item.Summary != tt.summary {
				t.Errorf("summary = %q, want %q", item.Summary, tt.summary)
			}
			var texts []string
			for _, c := range item.Changes {
				texts = append(texts, c.Text)
			}
			if !reflect.DeepEqual(texts, tt.texts) {
				t.Errorf("changes = %q, want %q", texts, tt.texts)
			}
			b, _ := json.Marshal(item)
			for _, k := range []string{"resource_type", "resource_id", "revision", "action", "actor", "at", "effective_at", "change_citations", "resource", "summary", "changes"} {
				if !strings.Contains(string(b), `"`+k+`"`) {
					t.Errorf("change item JSON lacks %q: %s", k, b)
				}
			}
			for _, code := range []string{"under_discussion", "head_of_state", "{\"", "[{"} {
				if strings.Contains(item.Summary, code) {
					t.Errorf("summary shows %q: %s", code, item.Summary)
				}
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

// FuzzDescribeChangeItems: whatever a stored revision holds, describing it
// in words must not panic, and must never show a field's JSON.
func FuzzDescribeChangeItems(f *testing.F) {
	f.Add("demands", "update", []byte(`{"party_id":"p","terms":{"x":1}}`), []byte(`{"party_id":"p","terms":{"x":2.5}}`))
	f.Add("negotiations", "update", []byte(`{"participants":[{"party_id":1}]}`), []byte(`{"participants":"x"}`))
	f.Add("objections", "create", []byte(`null`), []byte(`{"status":7,"demand_id":[]}`))
	f.Add("rebuttals", "delete", []byte(``), []byte(`{"title":{"a":"b"}}`))
	f.Fuzz(func(t *testing.T, kind, action string, before, after []byte) {
		c := Change{Revision: Revision{ResourceType: Kind(kind), Action: RevisionAction(action), Resource: after}, Previous: before}
		item := DescribeChangeItems([]Change{c}, Names{"p": "Ukraine"})[0]
		for _, ch := range item.Changes {
			if strings.Contains(ch.Text, "{\"") || strings.Contains(ch.Text, "map[") {
				t.Errorf("change text shows raw data: %q", ch.Text)
			}
		}
	})
}
