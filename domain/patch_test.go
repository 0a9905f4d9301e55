package domain

import (
	"encoding/json"
	"reflect"
	"slices"
	"testing"
	"time"
)

// TestMergePatchRFC7396 runs the examples of RFC 7396 appendix A whose target
// and patch are both objects (MergePatch works on objects only).
func TestMergePatchRFC7396(t *testing.T) {
	tests := []struct {
		target, patch, want string
	}{
		{`{"a":"b"}`, `{"a":"c"}`, `{"a":"c"}`},
		{`{"a":"b"}`, `{"b":"c"}`, `{"a":"b","b":"c"}`},
		{`{"a":"b"}`, `{"a":null}`, `{}`},
		{`{"a":"b","b":"c"}`, `{"a":null}`, `{"b":"c"}`},
		{`{"a":["b"]}`, `{"a":"c"}`, `{"a":"c"}`},
		{`{"a":"c"}`, `{"a":["b"]}`, `{"a":["b"]}`},
		{`{"a":{"b":"c"}}`, `{"a":{"b":"d","c":null}}`, `{"a":{"b":"d"}}`},
		{`{"a":[{"b":"c"}]}`, `{"a":[1]}`, `{"a":[1]}`},
		{`{"e":null}`, `{"a":1}`, `{"e":null,"a":1}`},
		{`null`, `{"a":"b","c":null}`, `{"a":"b"}`}, // a non-object target is replaced by an object
		{`{}`, `{"a":{"bb":{"ccc":null}}}`, `{"a":{"bb":{}}}`},
		// Beyond the appendix: a scalar replaced by an object, nested nulls removed.
		{`{"a":1}`, `{"a":{"b":null,"c":2}}`, `{"a":{"c":2}}`},
		{`{"a":{"b":1}}`, `{}`, `{"a":{"b":1}}`},
	}
	for _, tt := range tests {
		var target, patch, want map[string]any
		mustUnmarshal(t, tt.target, &target)
		mustUnmarshal(t, tt.patch, &patch)
		mustUnmarshal(t, tt.want, &want)
		if got := MergePatch(target, patch); !reflect.DeepEqual(got, want) {
			t.Errorf("MergePatch(%s, %s) = %v, want %s", tt.target, tt.patch, got, tt.want)
		}
	}
}

func mustUnmarshal(t testing.TB, s string, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(s), v); err != nil {
		t.Fatalf("unmarshal %s: %v", s, err)
	}
}

func storedDemand() *Demand {
	d := &Demand{
		Meta:          Meta{ID: uuidD, CreatedAt: time.Date(2025, 5, 16, 8, 0, 0, 0, time.UTC), UpdatedAt: time.Date(2025, 5, 16, 9, 0, 0, 0, time.UTC), Version: 3},
		NegotiationID: uuidA, PartyID: uuidB, TopicID: uuidC,
		Title: "30-day ceasefire", Details: "immediate and unconditional",
		Terms:    map[string]any{"duration_days": 30.0, "unconditional": true},
		StatedOn: "2025-05-16",
		Citations: []Citation{
			{Publisher: "Newsweek", Title: "Live", URL: "https://www.newsweek.com/a", Reliability: "B", Credibility: "2"},
			{Publisher: "Reuters", Title: "Talks", Reliability: "A", Credibility: "2"},
		},
	}
	d.Normalize()
	return d
}

func TestApplyPatch(t *testing.T) {
	tests := []struct {
		name    string
		patch   string
		class   string
		fields  []string
		version int
		check   func(t *testing.T, d *Demand)
	}{
		{
			name: "replaces a field and keeps the rest", patch: `{"title":"60-day ceasefire"}`, class: "ok",
			check: func(t *testing.T, d *Demand) {
				if d.Title != "60-day ceasefire" || d.Details != "immediate and unconditional" || d.PartyID != uuidB {
					t.Errorf("got %+v", d)
				}
			},
		},
		{
			name: "null removes a field", patch: `{"details":null}`, class: "ok",
			check: func(t *testing.T, d *Demand) {
				if d.Details != "" || d.Title != "30-day ceasefire" {
					t.Errorf("details = %q, title = %q", d.Details, d.Title)
				}
			},
		},
		{
			name: "terms merge: one changed, one removed, one added", patch: `{"terms":{"duration_days":60,"unconditional":null,"monitor":"UN"}}`, class: "ok",
			check: func(t *testing.T, d *Demand) {
				want := map[string]any{"duration_days": 60.0, "monitor": "UN"}
				if !reflect.DeepEqual(d.Terms, want) {
					t.Errorf("terms = %v, want %v", d.Terms, want)
				}
			},
		},
		{
			name: "arrays replace whole", patch: `{"citations":[{"title":"Only this"}]}`, class: "ok",
			check: func(t *testing.T, d *Demand) {
				if len(d.Citations) != 1 || d.Citations[0].Title != "Only this" || d.Citations[0].Publisher != "" {
					t.Errorf("citations = %+v", d.Citations)
				}
			},
		},
		{
			name: "null array empties it", patch: `{"citations":null}`, class: "ok",
			check: func(t *testing.T, d *Demand) {
				if len(d.Citations) != 0 {
					t.Errorf("citations = %+v", d.Citations)
				}
			},
		},
		{
			name: "empty patch changes nothing", patch: `{}`, class: "ok",
			check: func(t *testing.T, d *Demand) {
				want := storedDemand()
				want.Meta = Meta{}
				d.Normalize()
				if !reflect.DeepEqual(d, want) {
					t.Errorf("got %+v\nwant %+v", d, want)
				}
			},
		},
		{
			name: "read-only fields in a patch are ignored", patch: `{"id":"x","created_at":"never","updated_at":1,"title":"T"}`, class: "ok",
			check: func(t *testing.T, d *Demand) {
				if d.Title != "T" || d.ID != "" {
					t.Errorf("got %+v", d)
				}
			},
		},
		{name: "version is read as the precondition", patch: `{"version":3,"status":"agreed"}`, class: "ok", version: 3,
			check: func(t *testing.T, d *Demand) {
				if d.State != "agreed" {
					t.Errorf("status = %q", d.State)
				}
			},
		},
		{name: "unknown field", patch: `{"colour":"red"}`, class: "400", fields: []string{"colour"}},
		{name: "unknown field beside valid ones", patch: `{"title":"x","colour":"red","size":1}`, class: "400", fields: []string{"colour", "size"}},
		{name: "unknown field in a citation", patch: `{"citations":[{"title":"x","author":"y"}]}`, class: "400", fields: []string{"citations[0].author"}},
		{name: "not an object", patch: `[{"op":"replace","path":"/title","value":"x"}]`, class: "400"},
		{name: "broken JSON", patch: `{"title":`, class: "400"},
		{name: "empty body", patch: ``, class: "400"},
		{name: "trailing data", patch: `{"title":"x"}}`, class: "400"},
		{name: "wrong type named", patch: `{"title":5,"terms":"x"}`, class: "422", fields: []string{"terms", "title"}},
		{name: "bad version", patch: `{"version":"three"}`, class: "422", fields: []string{"version"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			current := storedDemand()
			before := *current
			r, version, err := ApplyPatch(current, []byte(tt.patch))
			if got := errorClass(err); got != tt.class {
				t.Fatalf("ApplyPatch(%s) = %s (%v), want %s", tt.patch, got, err, tt.class)
			}
			if tt.fields != nil {
				got := fieldsOf(err)
				slices.Sort(got)
				if !slices.Equal(got, tt.fields) {
					t.Errorf("fields named = %q, want %q", got, tt.fields)
				}
			}
			if current.Title != before.Title || current.Version != before.Version || len(current.Citations) != 2 {
				t.Errorf("ApplyPatch changed the current resource: %+v", current)
			}
			if err != nil {
				return
			}
			if version != tt.version {
				t.Errorf("version = %d, want %d", version, tt.version)
			}
			d, ok := r.(*Demand)
			if !ok {
				t.Fatalf("ApplyPatch returned a %T", r)
			}
			tt.check(t, d)
		})
	}
}

func TestApplyPatchDropsDerivedFields(t *testing.T) {
	current := &Objection{DemandID: uuidA, PartyID: uuidB, Grounds: "g", StatedOn: "2025-05-16", NegotiationID: uuidC}
	current.Normalize()
	r, _, err := ApplyPatch(current, []byte(`{"negotiation_id":"`+uuidD+`","grounds":"new"}`))
	if err != nil {
		t.Fatal(err)
	}
	o := r.(*Objection)
	// The store sets it again from the demand; a client never does.
	if o.NegotiationID != "" || o.Grounds != "new" {
		t.Errorf("got negotiation_id %q grounds %q", o.NegotiationID, o.Grounds)
	}
}

// FuzzMergePatch applies arbitrary patches to a stored demand: ApplyPatch must
// never panic, must leave the current resource alone, and what it accepts
// must validate without panicking; MergePatch of two objects must be
// idempotent (applying the same patch twice gives the same document).
func FuzzMergePatch(f *testing.F) {
	for _, s := range []string{
		`{}`, `{"title":null}`, `{"terms":{"a":{"b":null}}}`, `{"terms":null}`, `{"citations":[1]}`,
		`{"citations":[{"title":"t","credibility":2}]}`, `{"version":1}`, `{"version":0}`, `[]`, `null`,
		`{"a":{"bb":{"ccc":null}}}`, `{"status":"agreed","priority":"core"}`, `{"stated_on":"2025-02-30"}`,
		`{"title":"x"}}`, `{"id":null,"negotiation_id":null}`, `{"terms":{"duration_days":1e999}}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, patch string) {
		current := storedDemand()
		snapshot, _ := json.Marshal(current)
		r, _, err := ApplyPatch(current, []byte(patch))
		after, _ := json.Marshal(current)
		if string(snapshot) != string(after) {
			t.Fatalf("ApplyPatch changed the current resource")
		}
		if err != nil {
			if c := errorClass(err); c != "400" && c != "422" {
				t.Fatalf("ApplyPatch returned an error of no known class: %v", err)
			}
		} else {
			r.Normalize()
			_ = r.Validate()
		}

		var p map[string]any
		if json.Unmarshal([]byte(patch), &p) != nil {
			return
		}
		var t1, t2 map[string]any
		_ = json.Unmarshal(snapshot, &t1)
		_ = json.Unmarshal(snapshot, &t2)
		once := MergePatch(t1, p)
		twice := MergePatch(MergePatch(t2, p), p)
		if !reflect.DeepEqual(once, twice) {
			t.Fatalf("MergePatch is not idempotent:\n%v\n%v", once, twice)
		}
	})
}
