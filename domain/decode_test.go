package domain

import (
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
)

const (
	uuidA = "0196d2a4-1111-7000-8000-000000000001"
	uuidB = "0196d2a4-2222-7000-8000-000000000002"
	uuidC = "0196d2a4-3333-7000-8000-000000000003"
	uuidD = "0196d2a4-4444-7000-8000-000000000004"
)

// errorClass names what the API would answer for an error: 400 or 422.
func errorClass(err error) string {
	var mal *MalformedError
	var ve *ValidationError
	switch {
	case err == nil:
		return "ok"
	case errors.As(err, &mal):
		return "400"
	case errors.As(err, &ve):
		return "422"
	}
	return "other: " + err.Error()
}

// fieldsOf lists the fields an error names, in order.
func fieldsOf(err error) []string {
	var fields []string
	var mal *MalformedError
	var ve *ValidationError
	switch {
	case errors.As(err, &mal):
		for _, fe := range mal.Errors {
			fields = append(fields, fe.Field)
		}
	case errors.As(err, &ve):
		for _, fe := range ve.Errors {
			fields = append(fields, fe.Field)
		}
	}
	return fields
}

func TestDecodeErrorClasses(t *testing.T) {
	tests := []struct {
		name   string
		kind   Kind
		body   string
		class  string
		fields []string // the fields the error must name, sorted; nil to skip
		detail string   // a substring of the error text; "" to skip
	}{
		{name: "empty body", kind: KindParty, body: "", class: "400", detail: "empty"},
		{name: "blank body", kind: KindParty, body: " \n\t", class: "400", detail: "empty"},
		{name: "array", kind: KindParty, body: `[{"name":"x"}]`, class: "400", detail: "JSON object"},
		{name: "string", kind: KindParty, body: `"Ukraine"`, class: "400", detail: "JSON object"},
		{name: "null", kind: KindParty, body: `null`, class: "400", detail: "JSON object"},
		{name: "number", kind: KindTopic, body: `42`, class: "400", detail: "JSON object"},
		{name: "truncated", kind: KindParty, body: `{"name":`, class: "400", detail: "not valid JSON"},
		{name: "trailing comma", kind: KindParty, body: `{"name":"x",}`, class: "400", detail: "not valid JSON"},
		{name: "single quotes", kind: KindParty, body: `{'name':'x'}`, class: "400", detail: "not valid JSON"},
		{name: "two values", kind: KindParty, body: `{"name":"x"} {"name":"y"}`, class: "400", detail: "more than one"},
		{name: "trailing garbage", kind: KindParty, body: `{"name":"x"} garbage`, class: "400"},
		{name: "trailing close brace", kind: KindParty, body: `{"name":"x"}}`, class: "400"},
		{name: "trailing close bracket", kind: KindParty, body: `{"name":"x"}]`, class: "400"},
		{name: "unknown collection", kind: Kind("treaties"), body: `{"name":"x"}`, class: "400", detail: "unknown collection"},
		{
			name: "unknown top-level fields, all named", kind: KindParty,
			body:  `{"name":"x","colour":"red","flag":true}`,
			class: "400", fields: []string{"colour", "flag"}, detail: `"colour", "flag"`,
		},
		{
			name: "unknown field beside a wrong type is still 400", kind: KindTopic,
			body:  `{"title":5,"bogus":1}`,
			class: "400", fields: []string{"bogus"},
		},
		{
			name: "unknown nested field in a participant", kind: KindNegotiation,
			body:  `{"title":"t","participants":[{"party_id":"` + uuidA + `","role":"principal","seat":3}]}`,
			class: "400", fields: []string{"participants[0].seat"}, detail: "seat",
		},
		{
			name: "unknown nested field in a citation", kind: KindDemand,
			body:  `{"title":"t","citations":[{"title":"x","author":"y"}]}`,
			class: "400", fields: []string{"citations[0].author"}, detail: "author",
		},
		{
			name: "unknown nested field in a member", kind: KindDelegation,
			body:  `{"members":[{"name":"a","rank":"b"}]}`,
			class: "400", fields: []string{"members[0].rank"}, detail: "rank",
		},
		{
			name: "wrong types, every field named", kind: KindParty,
			body:  `{"name":5,"aliases":"RF","notes":["x"]}`,
			class: "422", fields: []string{"aliases", "name", "notes"},
		},
		{
			name: "string where an integer goes", kind: KindTopic,
			body:  `{"negotiation_id":"` + uuidA + `","title":"t","sort_order":"first"}`,
			class: "422", fields: []string{"sort_order"}, detail: "integer",
		},
		{
			name: "fraction where an integer goes", kind: KindTopic,
			body:  `{"negotiation_id":"` + uuidA + `","title":"t","sort_order":1.5}`,
			class: "422", fields: []string{"sort_order"},
		},
		{
			name: "huge number where an integer goes", kind: KindTopic,
			body:  `{"negotiation_id":"` + uuidA + `","title":"t","sort_order":1e400}`,
			class: "422", fields: []string{"sort_order"},
		},
		{
			name: "terms not an object", kind: KindDemand,
			body:  `{"terms":[1,2]}`,
			class: "422", fields: []string{"negotiation_id", "party_id", "stated_on", "terms", "title", "topic_id"}, detail: "object",
		},
		{
			name: "wrong type inside an array element names the element field", kind: KindNegotiation,
			body:  `{"title":"t","participants":[{"party_id":"` + uuidA + `","role":7}]}`,
			class: "422", fields: []string{"participants[0].role"},
		},
		{
			name: "aliases with a number", kind: KindParty,
			body:  `{"name":"x","aliases":["RF",2]}`,
			class: "422", fields: []string{"aliases[1]"},
		},
		{
			name: "credibility not a digit", kind: KindEndorsement,
			body:  `{"demand_id":"` + uuidA + `","party_id":"` + uuidB + `","stated_on":"2025-05-16","citations":[{"title":"x","credibility":true}]}`,
			class: "422", fields: []string{"citations[0].credibility"}, detail: "digit",
		},
		{
			name: "credibility a fraction", kind: KindObjection,
			body:  `{"citations":[{"title":"x","credibility":2.5}]}`,
			class: "422", fields: []string{"citations[0].credibility", "demand_id", "grounds", "party_id", "stated_on"},
		},
		{
			name: "wrong types beside broken rules, all named at once", kind: KindParty,
			body:  `{"name":"","kind":"planet","notes":5,"aliases":["RF",2,"x"]}`,
			class: "422", fields: []string{"aliases[1]", "kind", "name", "notes"},
		},
		{
			name: "a field of the wrong type is not also reported as missing", kind: KindTopic,
			body:  `{"negotiation_id":"` + uuidA + `","title":7}`,
			class: "422", fields: []string{"title"},
		},
		{
			name: "every bad citation named, the good ones still validated", kind: KindEndorsement,
			body: `{"demand_id":"` + uuidA + `","party_id":"` + uuidB + `","stated_on":"2025-05-16","citations":[` +
				`{"title":"a","credibility":1.5,"reliability":4},{"title":"b","url":"javascript:x"},{"title":9}]}`,
			class: "422", fields: []string{"citations[0].credibility", "citations[0].reliability", "citations[1].url", "citations[2].title"},
		},
		{
			name: "nested member names match exactly, as top-level ones do", kind: KindDemand,
			body:  `{"citations":[{"Title":"x"}]}`,
			class: "400", fields: []string{"citations[0].Title"},
		},
		{
			name: "unknown nested fields in several elements, all named", kind: KindNegotiation,
			body:  `{"title":"t","participants":[{"seat":1},{"party_id":"` + uuidA + `","chair":true}]}`,
			class: "400", fields: []string{"participants[0].seat", "participants[1].chair"}, detail: "chair",
		},
		{name: "version zero", kind: KindParty, body: `{"name":"x","version":0}`, class: "422", fields: []string{"version"}},
		{name: "version negative", kind: KindParty, body: `{"name":"x","version":-3}`, class: "422", fields: []string{"version"}},
		{name: "version a string", kind: KindParty, body: `{"name":"x","version":"2"}`, class: "422", fields: []string{"version"}},
		{name: "version a fraction", kind: KindParty, body: `{"name":"x","version":1.5}`, class: "422", fields: []string{"version"}},
		{
			name: "version and wrong type reported together", kind: KindParty,
			body:  `{"name":1,"version":"x"}`,
			class: "422", fields: []string{"name", "version"},
		},
		{name: "valid party", kind: KindParty, body: `{"name":"Ukraine"}`, class: "ok"},
		{name: "empty object", kind: KindRound, body: `{}`, class: "ok"},
		{name: "nulls are absent values", kind: KindParty, body: `{"name":"x","aliases":null,"notes":null,"version":null}`, class: "ok"},
		{name: "leading white space", kind: KindParty, body: "\n  {\"name\":\"x\"}\n", class: "ok"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := Decode(tt.kind, []byte(tt.body))
			if got := errorClass(err); got != tt.class {
				t.Fatalf("Decode(%s, %q) = %s (%v), want %s", tt.kind, tt.body, got, err, tt.class)
			}
			if tt.fields != nil {
				got := fieldsOf(err)
				slices.Sort(got)
				if !slices.Equal(got, tt.fields) {
					t.Errorf("fields named = %q, want %q (error %v)", got, tt.fields, err)
				}
			}
			if tt.detail != "" && !strings.Contains(err.Error(), tt.detail) {
				t.Errorf("error %q does not mention %q", err.Error(), tt.detail)
			}
		})
	}
}

func TestDecodeVersion(t *testing.T) {
	tests := []struct {
		body string
		want int
	}{
		{`{"name":"x"}`, 0},
		{`{"name":"x","version":null}`, 0},
		{`{"name":"x","version":1}`, 1},
		{`{"name":"x","version":42}`, 42},
	}
	for _, tt := range tests {
		r, v, err := Decode(KindParty, []byte(tt.body))
		if err != nil {
			t.Fatalf("Decode(%s): %v", tt.body, err)
		}
		if v != tt.want {
			t.Errorf("Decode(%s) version = %d, want %d", tt.body, v, tt.want)
		}
		// The body's version is a precondition, never the resource's own.
		if r.Base().Version != 0 {
			t.Errorf("Decode(%s) set the resource's version to %d", tt.body, r.Base().Version)
		}
	}
}

func TestDecodeIgnoresReadOnlyFields(t *testing.T) {
	tests := []struct {
		kind Kind
		body string
	}{
		{KindParty, `{"id":"` + uuidA + `","created_at":"2020-01-01T00:00:00Z","updated_at":"nonsense","name":"x"}`},
		{KindParty, `{"id":12,"created_at":false,"updated_at":[1],"name":"x"}`},
		{KindDelegation, `{"id":"x","round_id":"` + uuidA + `","party_id":"` + uuidB + `","negotiation_id":"` + uuidC + `"}`},
		{KindObjection, `{"demand_id":"` + uuidA + `","party_id":"` + uuidB + `","grounds":"g","stated_on":"2025-05-16","negotiation_id":"` + uuidC + `"}`},
		{KindEndorsement, `{"demand_id":"` + uuidA + `","party_id":"` + uuidB + `","stated_on":"2025-05-16","negotiation_id":7}`},
	}
	for _, tt := range tests {
		r, _, err := Decode(tt.kind, []byte(tt.body))
		if err != nil {
			t.Fatalf("Decode(%s, %s): %v", tt.kind, tt.body, err)
		}
		m := r.Base()
		if m.ID != "" || !m.CreatedAt.IsZero() || !m.UpdatedAt.IsZero() {
			t.Errorf("Decode(%s) kept read-only metadata %+v", tt.kind, *m)
		}
		if r.Negotiation() != "" {
			t.Errorf("Decode(%s) kept the derived negotiation_id %q", tt.kind, r.Negotiation())
		}
	}
}

func TestDecodeFillsEveryField(t *testing.T) {
	body := `{
		"negotiation_id": "` + uuidA + `", "party_id": "` + uuidB + `", "topic_id": "` + uuidC + `",
		"round_id": "` + uuidD + `", "title": "30-day ceasefire", "details": "immediate",
		"terms": {"duration_days": 30, "unconditional": true, "monitor": "UN"},
		"status": "under_discussion", "priority": "core", "stated_on": "2025-05-16",
		"citations": [{"publisher": "Newsweek", "title": "Live", "url": "https://www.newsweek.com/x",
			"published_at": "2025-05-16", "locator": "08:13 AM EDT", "quote": "q", "reliability": "B", "credibility": 2}]
	}`
	r, _, err := Decode(KindDemand, []byte(body))
	if err != nil {
		t.Fatal(err)
	}
	want := &Demand{
		NegotiationID: uuidA, PartyID: uuidB, TopicID: uuidC, RoundID: uuidD,
		Title: "30-day ceasefire", Details: "immediate",
		Terms: map[string]any{"duration_days": 30.0, "unconditional": true, "monitor": "UN"},
		// The order the body wrote the terms in, which the map forgets.
		TermOrder: []string{"duration_days", "unconditional", "monitor"},
		State:     "under_discussion", Priority: "core", StatedOn: "2025-05-16",
		Citations: []Citation{{Publisher: "Newsweek", Title: "Live", URL: "https://www.newsweek.com/x",
			PublishedAt: "2025-05-16", Locator: "08:13 AM EDT", Quote: "q", Reliability: "B", Credibility: "2"}},
	}
	if !reflect.DeepEqual(r, want) {
		t.Errorf("Decode =\n%+v\nwant\n%+v", r, want)
	}
	if errs := r.Validate(); len(errs) != 0 {
		t.Errorf("a complete demand does not validate: %v", errs)
	}
}

func TestDecodeCredibilityForms(t *testing.T) {
	tests := []struct {
		raw  string
		want Grade
	}{
		{`2`, "2"},
		{`"2"`, "2"},
		{`" 6 "`, "6"}, // trimmed by Normalize
		{`null`, ""},
		{`6`, "6"},
	}
	for _, tt := range tests {
		body := `{"citations":[{"title":"t","credibility":` + tt.raw + `}]}`
		r, _, err := Decode(KindEndorsement, []byte(body))
		if err != nil {
			t.Fatalf("credibility %s: %v", tt.raw, err)
		}
		r.Normalize()
		if got := r.(*Endorsement).Citations[0].Credibility; got != tt.want {
			t.Errorf("credibility %s = %q, want %q", tt.raw, got, tt.want)
		}
	}
	// Written back out it is always a string.
	b, err := json.Marshal(Citation{Title: "t", Credibility: "2"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"credibility":"2"`) {
		t.Errorf("credibility marshals as %s", b)
	}
}

func TestFieldNames(t *testing.T) {
	tests := []struct {
		kind Kind
		want []string
	}{
		{KindParty, []string{"name", "short_name", "aliases", "kind", "notes", "members"}},
		{KindDelegation, []string{"round_id", "party_id", "head_name", "head_title", "level", "members", "notes"}},
		{KindEndorsement, []string{"demand_id", "party_id", "stated_on", "note", "round_id", "citations", "handling"}},
	}
	for _, tt := range tests {
		if got := FieldNames(tt.kind); !slices.Equal(got, tt.want) {
			t.Errorf("FieldNames(%s) = %q, want %q", tt.kind, got, tt.want)
		}
	}
	// Every required field is a writable field.
	for _, k := range Kinds {
		names := FieldNames(k)
		for _, f := range Required[k] {
			if !slices.Contains(names, f) {
				t.Errorf("%s: required field %q is not among FieldNames %q", k, f, names)
			}
		}
	}
}

func TestKinds(t *testing.T) {
	for _, k := range Kinds {
		if !k.Valid() {
			t.Errorf("%s is not Valid", k)
		}
		r := New(k)
		if r == nil || r.Kind() != k {
			t.Errorf("New(%s) = %#v", k, r)
		}
		if k.Singular() == string(k) {
			t.Errorf("%s has no singular name", k)
		}
		if _, ok := RefFields[k]; !ok {
			t.Errorf("%s missing from RefFields", k)
		}
	}
	if Kind("users").Valid() || New("users") != nil {
		t.Error("users is not a collection of resources")
	}
}

// FuzzDecode feeds arbitrary bodies to Decode for every kind: it must never
// panic, and whatever it accepts must normalize, validate and survive a
// round trip through its own JSON.
func FuzzDecode(f *testing.F) {
	seeds := []string{
		``, `{}`, `[]`, `null`, `{"name":"x"}`, `{"name":"x"}}`, `{"version":3}`,
		`{"title":"t","participants":[{"party_id":"` + uuidA + `","role":"principal"}]}`,
		`{"terms":{"duration_days":30,"unconditional":true,"x":{"y":1}}}`,
		`{"citations":[{"title":"t","url":"javascript:alert(1)","credibility":2}]}`,
		`{"citations":[{"credibility":"9"},{"credibility":-0}]}`,
		`{"members":[{"name":"Rustem Umerov","title":"Defence Minister"}],"level":"ministerial"}`,
		`{"sort_order":1e400}`, `{"terms":{"n":1e308,"m":-0}}`,
		`{"name":"\ud800"}`, "{\"name\":\"\xff\"}", `{"aliases":["RF",null,""]}`,
		`{"starts_on":"2025-05-16","ends_on":"2025-05-15"}`,
	}
	for _, s := range seeds {
		for i := range Kinds {
			f.Add(uint8(i), s)
		}
	}
	f.Fuzz(func(t *testing.T, k uint8, body string) {
		kind := Kinds[int(k)%len(Kinds)]
		r, version, err := Decode(kind, []byte(body))
		if err != nil {
			if c := errorClass(err); c != "400" && c != "422" {
				t.Fatalf("Decode returned an error of no known class: %v", err)
			}
			return
		}
		if version < 0 {
			t.Fatalf("negative version %d", version)
		}
		r.Normalize()
		_ = r.Validate()
		_ = r.Refs()
		_ = r.SearchText()
		// As a stored resource would be: version 1, which Decode reads as a
		// precondition and otherwise ignores.
		r.Base().Version = 1
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatalf("cannot marshal what Decode accepted: %v", err)
		}
		again, _, err := Decode(kind, b)
		if err != nil {
			t.Fatalf("Decode rejects its own output %s: %v", b, err)
		}
		again.Normalize()
		again.Base().Version = 1
		if !reflect.DeepEqual(r, again) {
			t.Fatalf("round trip changed the resource:\n%+v\n%+v", r, again)
		}
	})
}
