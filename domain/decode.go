package domain

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"sort"
	"strings"
)

// readOnlyFields are accepted in a request body and ignored: the server sets
// them. "version" is read separately as a precondition.
var readOnlyFields = map[string]bool{"id": true, "created_at": true, "updated_at": true, "version": true}

// derivedFields are read-only fields of some kinds, derived by the store.
var derivedFields = map[Kind]map[string]bool{
	KindDelegation:  {"negotiation_id": true},
	KindObjection:   {"negotiation_id": true},
	KindEndorsement: {"negotiation_id": true},
}

// Decode reads a create or replace body for a resource of kind k. It returns
// a *MalformedError for broken JSON or unknown fields (400) and a
// *ValidationError naming every field of the wrong type (422). The version
// is the body's optional precondition (0 when absent).
func Decode(k Kind, body []byte) (Resource, int, error) {
	fields, err := decodeObject(body)
	if err != nil {
		return nil, 0, err
	}
	return decodeFields(k, fields)
}

func decodeObject(body []byte) (map[string]json.RawMessage, error) {
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return nil, &MalformedError{Detail: "the request body is empty; send a JSON object"}
	}
	if body[0] != '{' {
		return nil, &MalformedError{Detail: "the request body must be a JSON object"}
	}
	var fields map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&fields); err != nil {
		return nil, &MalformedError{Detail: "the request body is not valid JSON: " + jsonProblem(err)}
	}
	// Anything after the object but white space is refused; dec.More alone
	// would let a stray "}" or "]" through.
	if _, err := dec.Token(); err != io.EOF {
		return nil, &MalformedError{Detail: "the request body holds more than one JSON value"}
	}
	return fields, nil
}

func decodeFields(k Kind, fields map[string]json.RawMessage) (Resource, int, error) {
	r := New(k)
	if r == nil {
		return nil, 0, &MalformedError{Detail: fmt.Sprintf("unknown collection %q", k)}
	}
	var errs FieldErrors
	version := 0
	if raw, ok := fields["version"]; ok && string(raw) != "null" {
		if err := json.Unmarshal(raw, &version); err != nil || version < 1 {
			errs.Add("version", "must be a positive integer")
		}
	}
	index := jsonFieldIndex(reflect.TypeOf(r).Elem())
	var unknown []string
	for name := range fields {
		if readOnlyFields[name] || derivedFields[k][name] {
			continue
		}
		if _, ok := index[name]; !ok {
			unknown = append(unknown, name)
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		mal := &MalformedError{Detail: fmt.Sprintf("unknown field %s in a %s", strings.Join(quoteAll(unknown), ", "), k.Singular())}
		for _, u := range unknown {
			mal.Errors.Add(u, "is not a field of a %s", k.Singular())
		}
		return nil, 0, mal
	}
	v := reflect.ValueOf(r).Elem()
	names := make([]string, 0, len(fields))
	for name := range fields {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		idx, ok := index[name]
		if !ok || derivedFields[k][name] {
			continue
		}
		dst := v.FieldByIndex(idx)
		dec := json.NewDecoder(bytes.NewReader(fields[name]))
		dec.DisallowUnknownFields()
		if err := dec.Decode(dst.Addr().Interface()); err != nil {
			if strings.Contains(err.Error(), "unknown field") {
				return nil, 0, &MalformedError{Detail: fmt.Sprintf("%s: %s", name, jsonProblem(err)), Errors: FieldErrors{{Field: name, Message: jsonProblem(err)}}}
			}
			errs = append(errs, typeError(name, err))
		}
	}
	if len(errs) > 0 {
		return nil, 0, errs.Err()
	}
	return r, version, nil
}

// typeError names the field (and the element inside it) that has the wrong type.
func typeError(name string, err error) FieldError {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		field := name
		if te.Field != "" {
			field = name + "." + te.Field
		}
		return FieldError{Field: field, Message: "must be " + describeType(te.Type)}
	}
	return FieldError{Field: name, Message: jsonProblem(err)}
}

func describeType(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Int, reflect.Int64, reflect.Int32:
		return "an integer"
	case reflect.Float64:
		return "a number"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice:
		return "an array"
	case reflect.Map, reflect.Struct:
		return "an object"
	}
	return "of type " + t.String()
}

func jsonProblem(err error) string {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("%s at byte %d", se.Error(), se.Offset)
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}

// jsonFieldIndex maps the JSON names of a resource's own fields (not Meta)
// to their struct field index.
func jsonFieldIndex(t reflect.Type) map[string][]int {
	m := map[string][]int{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if f.Anonymous {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" || name == "-" {
			continue
		}
		m[name] = f.Index
	}
	return m
}

// FieldNames lists the writable JSON fields of a kind in declaration order,
// for the OpenAPI document and the forms.
func FieldNames(k Kind) []string {
	t := reflect.TypeOf(New(k)).Elem()
	var names []string
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if f.Anonymous || name == "" || derivedFields[k][name] {
			continue
		}
		names = append(names, name)
	}
	return names
}

func quoteAll(s []string) []string {
	out := make([]string, len(s))
	for i, x := range s {
		out[i] = fmt.Sprintf("%q", x)
	}
	return out
}
