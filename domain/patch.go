package domain

import (
	"encoding/json"
)

// MergePatch applies an RFC 7396 JSON merge patch to a JSON object: members
// of the patch replace those of the target, null removes a member, objects
// merge recursively and anything else (arrays included) replaces whole.
func MergePatch(target map[string]any, patch map[string]any) map[string]any {
	if target == nil {
		target = map[string]any{}
	}
	for k, pv := range patch {
		if pv == nil {
			delete(target, k)
			continue
		}
		if pm, ok := pv.(map[string]any); ok {
			tm, _ := target[k].(map[string]any)
			target[k] = MergePatch(tm, pm)
			continue
		}
		target[k] = pv
	}
	return target
}

// ApplyPatch applies a merge patch body to the current state of a resource
// and decodes the result as a full resource, strictly: a patch naming an
// unknown field is malformed, one giving a field the wrong type invalid.
// The returned version is the patch's optional precondition (0 if absent).
// The result is neither normalized nor validated.
func ApplyPatch(current Resource, body []byte) (Resource, int, error) {
	raw, err := decodeObject(body)
	if err != nil {
		return nil, 0, err
	}
	var patch map[string]any
	if err := json.Unmarshal(body, &patch); err != nil {
		return nil, 0, &MalformedError{Detail: "the request body is not valid JSON: " + jsonProblem(err)}
	}
	// Check the patch's own fields first so that its problems, not the
	// merged document's, are reported.
	k := current.Kind()
	if _, _, err := decodeFields(k, raw); err != nil {
		var ve *ValidationError
		if !isValidation(err, &ve) {
			return nil, 0, err
		}
	}
	doc, err := ToMap(current)
	if err != nil {
		return nil, 0, err
	}
	for name := range readOnlyFields {
		delete(doc, name)
		delete(patch, name)
	}
	for name := range derivedFields[k] {
		delete(doc, name)
		delete(patch, name)
	}
	merged, err := json.Marshal(MergePatch(doc, patch))
	if err != nil {
		return nil, 0, &MalformedError{Detail: "the patch cannot be applied"}
	}
	fields, err := decodeObject(merged)
	if err != nil {
		return nil, 0, err
	}
	if v, ok := raw["version"]; ok {
		fields["version"] = v
	}
	return decodeWhole(k, fields)
}

// PatchVersion reads what must be known of a merge patch body before the
// resource it changes is read: that it is a JSON object naming only fields
// of kind k (else a *MalformedError), and its optional version precondition
// (0 if absent). A version that is not a positive integer is a
// *ValidationError naming it and any other field of the wrong type; without
// one, fields of the wrong type are left to ApplyPatch, which reports them
// together with every rule the patched resource breaks.
func PatchVersion(k Kind, body []byte) (int, error) {
	raw, err := decodeObject(body)
	if err != nil {
		return 0, err
	}
	_, version, errs, err := decodeInto(k, raw)
	if err != nil {
		return 0, err
	}
	if errs.On("version") != "" {
		return 0, errs.Err()
	}
	return version, nil
}

// ToMap turns a resource into its generic JSON form.
func ToMap(r Resource) (map[string]any, error) {
	b, err := json.Marshal(r)
	if err != nil {
		return nil, err
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	return m, nil
}

func isValidation(err error, target **ValidationError) bool {
	ve, ok := err.(*ValidationError)
	if ok {
		*target = ve
	}
	return ok
}
