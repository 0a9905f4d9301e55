package domain

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// readOnlyFields are accepted in a request body and ignored: the server sets
// them. "version" is read separately as a precondition.
var readOnlyFields = map[string]bool{"id": true, "created_at": true, "updated_at": true, "version": true, "effective_at": true}

// derivedFields are read-only fields of some kinds, derived by the store.
var derivedFields = map[Kind]map[string]bool{
	KindDelegation:  {"negotiation_id": true},
	KindObjection:   {"negotiation_id": true},
	KindRebuttal:    {"negotiation_id": true},
	KindEndorsement: {"negotiation_id": true},
}

// Decode reads a create or replace body for a resource of kind k. It returns
// a *MalformedError for broken JSON or unknown fields, nested ones included
// (400), and a *ValidationError naming every field of the wrong type (422)
// together with every other field that breaks a rule, so that a client
// learns of all its mistakes at once. The version is the body's optional
// precondition (0 when absent).
func Decode(k Kind, body []byte) (Resource, int, error) {
	fields, err := decodeObject(body)
	if err != nil {
		return nil, 0, err
	}
	return decodeWhole(k, fields)
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

// decodeWhole decodes fields that make up a whole resource. When some have
// the wrong type, the others are still validated: a field of the wrong type
// is left empty, so the rules on it (and inside it) are not reported twice.
func decodeWhole(k Kind, fields map[string]json.RawMessage) (Resource, int, error) {
	r, version, errs, err := decodeInto(k, fields)
	if err != nil {
		return nil, 0, err
	}
	if len(errs) == 0 {
		return r, version, nil
	}
	r.Normalize()
	for _, fe := range r.Validate() {
		if !coveredBy(fe.Field, errs) {
			errs = append(errs, fe)
		}
	}
	return nil, 0, errs.Err()
}

// coveredBy reports whether field lies inside the element or field that one
// of errs is about: "citations[0].title" is covered by an error on
// "citations[0].credibility", "aliases[2]" by one on "aliases".
func coveredBy(field string, errs FieldErrors) bool {
	for _, fe := range errs {
		root := fe.Field
		if i := strings.IndexByte(root, '.'); i >= 0 {
			root = root[:i]
		}
		if field == root || strings.HasPrefix(field, root+".") || strings.HasPrefix(field, root+"[") {
			return true
		}
	}
	return false
}

func decodeFields(k Kind, fields map[string]json.RawMessage) (Resource, int, error) {
	r, version, errs, err := decodeInto(k, fields)
	if err != nil {
		return nil, 0, err
	}
	if len(errs) > 0 {
		return nil, 0, errs.Err()
	}
	return r, version, nil
}

// decodeInto decodes fields into a new resource of kind k. Unknown fields
// anywhere are a *MalformedError; fields of the wrong type are returned as
// errs, each named down to the element and member ("citations[1].credibility"),
// the names validation uses, and left empty in the partly decoded resource.
func decodeInto(k Kind, fields map[string]json.RawMessage) (Resource, int, FieldErrors, error) {
	r := New(k)
	if r == nil {
		return nil, 0, nil, &MalformedError{Detail: fmt.Sprintf("unknown collection %q", k)}
	}
	var errs FieldErrors
	version := 0
	if raw, ok := fields["version"]; ok && string(raw) != "null" {
		if err := json.Unmarshal(raw, &version); err != nil || version < 1 {
			errs.Add("version", "must be a positive integer")
			version = 0
		}
	}
	index := jsonFieldIndex(reflect.TypeOf(r).Elem())
	names := make([]string, 0, len(fields))
	for name := range fields {
		names = append(names, name)
	}
	sort.Strings(names)
	var unknown []string
	for _, name := range names {
		if readOnlyFields[name] || derivedFields[k][name] {
			continue
		}
		if _, ok := index[name]; !ok {
			unknown = append(unknown, name)
		}
	}
	v := reflect.ValueOf(r).Elem()
	var typeErrs FieldErrors
	for _, name := range names {
		idx, ok := index[name]
		if !ok || derivedFields[k][name] {
			continue
		}
		dst := v.FieldByIndex(idx)
		n := len(typeErrs)
		fitting := valueProblems(name, dst.Type(), fields[name], &unknown, &typeErrs)
		if len(typeErrs) > n {
			// What fits is kept so that the rest of the field can still be
			// validated; the values of the wrong type are left empty.
			_ = json.Unmarshal(fitting, dst.Addr().Interface())
			continue
		}
		dec := json.NewDecoder(bytes.NewReader(fields[name]))
		dec.DisallowUnknownFields()
		if err := dec.Decode(dst.Addr().Interface()); err != nil {
			// valueProblems found nothing, so this is a case it does not
			// know; report it on the whole field.
			typeErrs = append(typeErrs, typeError(name, err))
			dst.Set(reflect.Zero(dst.Type()))
		}
	}
	if len(unknown) > 0 {
		mal := &MalformedError{Detail: fmt.Sprintf("unknown field %s in a %s", strings.Join(quoteAll(unknown), ", "), k.Singular())}
		for _, u := range unknown {
			mal.Errors.Add(u, "is not a field of %s", fieldOwner(k, u))
		}
		return nil, 0, nil, mal
	}
	keepGivenOrder(r, fields)
	return r, version, append(errs, typeErrs...), nil
}

// fieldOwner names what a field path belongs to, for the message on an
// unknown field: "a party", "a citation".
func fieldOwner(k Kind, path string) string {
	i := strings.LastIndexByte(path, '.')
	if i < 0 {
		return "a " + k.Singular()
	}
	owner := path[:i]
	if j := strings.LastIndexByte(owner, '['); j >= 0 {
		owner = owner[:j]
	}
	if j := strings.LastIndexByte(owner, '.'); j >= 0 {
		owner = owner[j+1:]
	}
	switch owner {
	case "citations":
		return "a citation"
	case "participants":
		return "a participant"
	case "members":
		return "a member"
	}
	return owner
}

var jsonUnmarshaler = reflect.TypeFor[json.Unmarshaler]()

// valueProblems checks raw against the Go type t, which it will be decoded
// into, recursing into arrays and objects of our own types: members those
// do not have are added to unknown, values of the wrong type to errs, each
// under its full path. Matching of member names is exact, as at the top
// level (encoding/json alone would accept "Title" for "title"). It returns
// raw with every value of the wrong type replaced by null.
func valueProblems(path string, t reflect.Type, raw json.RawMessage, unknown *[]string, errs *FieldErrors) json.RawMessage {
	null := json.RawMessage("null")
	if bytes.Equal(bytes.TrimSpace(raw), null) {
		return null // an absent value, whatever the type
	}
	if !reflect.PointerTo(t).Implements(jsonUnmarshaler) {
		switch t.Kind() {
		case reflect.Slice:
			var elems []json.RawMessage
			if err := json.Unmarshal(raw, &elems); err != nil {
				errs.Add(path, "must be an array")
				return null
			}
			for i, e := range elems {
				elems[i] = valueProblems(fmt.Sprintf("%s[%d]", path, i), t.Elem(), e, unknown, errs)
			}
			return marshalRaw(elems)
		case reflect.Struct:
			var members map[string]json.RawMessage
			if err := json.Unmarshal(raw, &members); err != nil {
				errs.Add(path, "must be an object")
				return null
			}
			index := jsonFieldIndex(t)
			names := make([]string, 0, len(members))
			for name := range members {
				names = append(names, name)
			}
			sort.Strings(names)
			for _, name := range names {
				idx, ok := index[name]
				if !ok {
					*unknown = append(*unknown, path+"."+name)
					delete(members, name)
					continue
				}
				members[name] = valueProblems(path+"."+name, t.FieldByIndex(idx).Type, members[name], unknown, errs)
			}
			return marshalRaw(members)
		}
	}
	if err := json.Unmarshal(raw, reflect.New(t).Interface()); err != nil {
		*errs = append(*errs, typeError(path, err))
		return null
	}
	return raw
}

// marshalRaw re-encodes pieces of valid JSON, which cannot fail.
func marshalRaw(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		return json.RawMessage("null")
	}
	return b
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

// CheckJSONText refuses a JSON text that readers could take in different
// ways, a *MalformedError naming what and where: bytes that are not UTF-8
// and escaped lone surrogates (encoding/json would quietly read either as
// U+FFFD), and a key given twice in one object (encoding/json would keep
// the last, another reader the first). A proxy or firewall in front of
// parley must see the same document parley stores. Broken grammar is left
// for the decoder to report. what names the text in messages ("the
// request body").
func CheckJSONText(body []byte, what string) error {
	if !utf8.Valid(body) {
		return &MalformedError{Detail: fmt.Sprintf("%s is not valid UTF-8 (at byte %d); send JSON in UTF-8", what, invalidUTF8At(body))}
	}
	if at := loneSurrogateAt(body); at >= 0 {
		return &MalformedError{Detail: fmt.Sprintf("%s escapes half a UTF-16 surrogate pair at byte %d, which is no character", what, at)}
	}
	return duplicateKey(body, what)
}

func invalidUTF8At(b []byte) int {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return -1
}

// loneSurrogateAt returns the offset of a \uD800–\uDFFF escape that is not
// half of a high–low pair, or -1. A backslash can stand only inside a
// string in valid JSON, so the escapes are found without parsing.
func loneSurrogateAt(b []byte) int {
	for i := 0; i < len(b); i++ {
		if b[i] != '\\' {
			continue
		}
		r, ok := unicodeEscape(b, i)
		switch {
		case !ok:
			i++ // any other escape: skip the escaped byte
		case utf16.IsSurrogate(r) && r < 0xDC00:
			if low, ok := unicodeEscape(b, i+6); !ok || low < 0xDC00 || low > 0xDFFF {
				return i
			}
			i += 11
		case utf16.IsSurrogate(r):
			return i
		default:
			i += 5
		}
	}
	return -1
}

// unicodeEscape reads a \uXXXX escape at b[i:].
func unicodeEscape(b []byte, i int) (rune, bool) {
	if i+6 > len(b) || b[i] != '\\' || b[i+1] != 'u' {
		return 0, false
	}
	n, err := strconv.ParseUint(string(b[i+2:i+6]), 16, 16)
	return rune(n), err == nil
}

// jsonFrame is one open object or array while duplicateKey walks a text.
type jsonFrame struct {
	path   string
	object bool
	keys   map[string]bool
	key    string // the member being read, in an object
	index  int    // the element being read, in an array
	atKey  bool   // the next string is a key
}

// duplicateKey walks the text token by token and reports the first key
// given twice in one object, named by its path as field errors name it
// ("citations[1].title").
func duplicateKey(body []byte, what string) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	var stack []*jsonFrame
	for {
		tok, err := dec.Token()
		if err != nil {
			return nil //nolint:nilerr // the end, or broken grammar for the decoder to report
		}
		var top *jsonFrame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		if top != nil && top.object && top.atKey {
			if key, ok := tok.(string); ok {
				if top.keys[key] {
					field := joinPath(top.path, key)
					return &MalformedError{
						Detail: fmt.Sprintf("the key %q appears twice in %s; send each key once", key, describePath(top.path, what)),
						Errors: FieldErrors{{Field: field, Message: "appears more than once"}},
					}
				}
				top.keys[key] = true
				top.key, top.atKey = key, false
				continue
			}
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			stack = append(stack, &jsonFrame{path: valuePath(top), object: tok == json.Delim('{'), keys: map[string]bool{}, atKey: true})
			continue
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
			if len(stack) > 0 {
				top = stack[len(stack)-1]
			} else {
				top = nil
			}
		}
		// A value has ended: an object waits for its next key, an array
		// for its next element.
		if top != nil {
			top.atKey = top.object
			if !top.object {
				top.index++
			}
		}
	}
}

// valuePath is the path of the value about to be read inside parent.
func valuePath(parent *jsonFrame) string {
	switch {
	case parent == nil:
		return ""
	case parent.object:
		return joinPath(parent.path, parent.key)
	default:
		return fmt.Sprintf("%s[%d]", parent.path, parent.index)
	}
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func describePath(path, what string) string {
	if path == "" {
		return what
	}
	return path
}
