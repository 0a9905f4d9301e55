package domain

import (
	"encoding/json"
	"reflect"
	"sort"
	"time"
)

// FieldChange is one top-level field of a resource that a revision changed.
type FieldChange struct {
	Field  string `json:"field"`
	Before any    `json:"before"`
	After  any    `json:"after"`
}

// metaFields change on every revision or never; listing them would bury
// what an analyst wants to see.
var metaFields = map[string]bool{"id": true, "created_at": true, "updated_at": true, "version": true, "effective_at": true}

// DiffResources lists the top-level fields that differ between two JSON
// objects, by field name, metadata excluded. An empty or null side stands for
// a resource that did not exist, so a create lists every field it set and a
// delete every field it had. A missing field, null, "", [] and {} count as
// the same empty value: they all mean "not given".
func DiffResources(before, after json.RawMessage) []FieldChange {
	b, a := decodeForDiff(before), decodeForDiff(after)
	fields := map[string]bool{}
	for k := range b {
		fields[k] = true
	}
	for k := range a {
		fields[k] = true
	}
	names := make([]string, 0, len(fields))
	for k := range fields {
		if !metaFields[k] {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	changes := []FieldChange{}
	for _, k := range names {
		bv, av := emptyToNil(b[k]), emptyToNil(a[k])
		if !reflect.DeepEqual(bv, av) {
			changes = append(changes, FieldChange{Field: k, Before: bv, After: av})
		}
	}
	return changes
}

func decodeForDiff(raw json.RawMessage) map[string]any {
	var m map[string]any
	if len(raw) > 0 {
		// A side that is not an object (null, or corrupt history) is treated
		// as absent rather than failing the whole changes view.
		_ = json.Unmarshal(raw, &m)
	}
	return m
}

func emptyToNil(v any) any {
	switch x := v.(type) {
	case string:
		if x == "" {
			return nil
		}
	case []any:
		if len(x) == 0 {
			return nil
		}
	case map[string]any:
		if len(x) == 0 {
			return nil
		}
	}
	return v
}

// ChangeEntry is one revision in the changes view, with what it changed.
type ChangeEntry struct {
	Revision
	Changes []FieldChange `json:"changes"`
}

// DescribeChange computes what a revision changed: a create against
// nothing, an update against the revision before it, and a delete as every
// field going away (its revision holds the resource as it was).
func DescribeChange(c Change) ChangeEntry {
	var fields []FieldChange
	switch c.Action {
	case "create":
		fields = DiffResources(nil, c.Resource)
	case "delete":
		fields = DiffResources(c.Resource, nil)
	default:
		fields = DiffResources(c.Previous, c.Resource)
	}
	return ChangeEntry{Revision: c.Revision, Changes: fields}
}

// DescribeChanges describes each change, keeping their order.
func DescribeChanges(changes []Change) []ChangeEntry {
	out := make([]ChangeEntry, len(changes))
	for i, c := range changes {
		out[i] = DescribeChange(c)
	}
	return out
}

// ChangesSince keeps the changes after since and, when until is not zero,
// not after until: a report as of a past instant shows what moved up to it.
func ChangesSince(changes []Change, since, until time.Time) []Change {
	var out []Change
	for _, c := range changes {
		if !c.At.After(since) {
			continue
		}
		if !until.IsZero() && c.At.After(until) {
			continue
		}
		out = append(out, c)
	}
	return out
}
