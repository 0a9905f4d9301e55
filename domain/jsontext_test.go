package domain

import (
	"errors"
	"strings"
	"testing"
)

func TestCheckJSONText(t *testing.T) {
	tests := []struct {
		name  string
		body  string
		want  string // a part of the detail; "" for accepted
		field string
	}{
		{"plain", `{"a":1,"b":[{"a":2},{"a":3}],"c":{"a":{"a":4}}}`, "", ""},
		{"broken grammar is the decoder's to report", `{"a":1,"b"`, "", ""},
		{"a surrogate pair", `{"a":"\ud83d\ude00"}`, "", ""},
		{"an escaped backslash before u", `{"a":"\\ud800"}`, "", ""},
		{"a key twice", `{"a":1,"a":2}`, `the key "a" appears twice in the request body`, "a"},
		{"a key twice, nested", `{"x":{"y":[1,{"z":1,"z":2}]}}`, `appears twice in x.y[1]`, "x.y[1].z"},
		{"a key twice after a nested value", `{"a":{"b":1},"a":2}`, `the key "a" appears twice`, "a"},
		{"a key twice in the second element", `[{"a":1},{"b":1,"b":2}]`, `appears twice in [1]`, "[1].b"},
		{"not UTF-8", "{\"a\":\"\xc3\"}", "not valid UTF-8 (at byte 6)", ""},
		{"a lone high surrogate", `{"a":"\ud800x"}`, "surrogate pair at byte 6", ""},
		{"a high surrogate at the end", `{"a":"\ud800"}`, "surrogate pair", ""},
		{"two high surrogates", `{"a":"\ud800\ud800"}`, "surrogate pair", ""},
		{"a lone low surrogate", `{"a":"\udfff"}`, "surrogate pair", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckJSONText([]byte(tt.body), "the request body")
			if tt.want == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			var mal *MalformedError
			if !errors.As(err, &mal) || !strings.Contains(mal.Detail, tt.want) {
				t.Fatalf("got %v, want a MalformedError saying %q", err, tt.want)
			}
			if tt.field != "" && mal.Errors.On(tt.field) == "" {
				t.Fatalf("errors %v do not name %s", mal.Errors, tt.field)
			}
		})
	}
}
