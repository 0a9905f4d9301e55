package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/parley/parley/domain"
)

// maxActor bounds an imported revision's actor, a username or a name the
// command line recorded.
const maxActor = 200

// importedRow is one resource row of an import document, as stored.
type importedRow struct {
	index int // in its section
	res   domain.Resource
}

// importedRevision is one revision of an import document, checked.
type importedRevision struct {
	index int // in the revisions section
	row   revisionRow
	res   domain.Resource // its body
}

// readHistory checks the revisions of an import document and returns them
// ready to store, or an error naming the first bad one (revisions[i]: …).
// Each must hold on its own (readRevision); each resource's revisions must
// run 1, 2, 3, … from a create, with nothing after a delete; every resource
// with a history must be in the document or deleted, and every row must be
// what its history leaves; what a revision refers to must be in the
// document. Any moment's view replays this history, so a hostile one
// would otherwise show things that never were, or fail to be read at all.
func readHistory(ers []exportRevision, rows map[resourceKey]importedRow, dated bool) ([]importedRevision, error) {
	revs := make([]importedRevision, len(ers))
	for i, er := range ers {
		rev, err := readRevision(er, dated)
		if err != nil {
			return nil, fmt.Errorf("revisions[%d]: %w", i, err)
		}
		rev.index = i
		revs[i] = rev
	}
	histories, order, err := sequences(revs, dated)
	if err != nil {
		return nil, err
	}
	for _, key := range order {
		if err := matchesRow(histories[key], rows); err != nil {
			return nil, err
		}
	}
	for key, row := range rows {
		if histories[key] == nil {
			return nil, fmt.Errorf("%s[%d]: %s %s has no history", key.kind, row.index, domain.Kind(key.kind).Singular(), key.id)
		}
	}
	if err := checkHistoryRefs(revs, rows); err != nil {
		return nil, err
	}
	return revs, nil
}

// readRevision checks one revision on its own: its kind, action, numbers
// and times, its actor, and its body, which must decode as its kind (no
// unknown fields, no wrong types), pass the kind's rules unless it records
// a delete, and be the resource the revision names, at that version, in
// the negotiation the revision names.
func readRevision(er exportRevision, dated bool) (importedRevision, error) {
	k := domain.Kind(er.ResourceType)
	if !k.Valid() {
		return importedRevision{}, fmt.Errorf("resource_type %q is not a collection", er.ResourceType)
	}
	if er.Action != "create" && er.Action != "update" && er.Action != "delete" {
		return importedRevision{}, fmt.Errorf("action %q is not create, update or delete", er.Action)
	}
	if !validID(er.ResourceID) || er.Revision < 1 {
		return importedRevision{}, errors.New("resource_id must be a UUID and revision at least 1")
	}
	if er.Actor == "" || len(er.Actor) > maxActor || !utf8.ValidString(er.Actor) || strings.IndexFunc(er.Actor, unicode.IsControl) >= 0 {
		return importedRevision{}, fmt.Errorf("actor must be 1 to %d bytes of text without control characters", maxActor)
	}
	at, err := parseExportTime("at", er.At)
	if err != nil {
		return importedRevision{}, err
	}
	res, body, err := revisionBody(k, er)
	if err != nil {
		return importedRevision{}, err
	}
	rev := revisionRow{kind: k, id: er.ResourceID, revision: er.Revision, action: er.Action, actor: er.Actor, at: at, body: body}
	if er.NegotiationID != nil {
		rev.negotiationID = *er.NegotiationID
	}
	if rev.negotiationID != res.Negotiation() {
		return importedRevision{}, fmt.Errorf("negotiation_id %q is not the negotiation of the %s in it (%q)", rev.negotiationID, k.Singular(), res.Negotiation())
	}
	if err := importDating(&rev, er, dated); err != nil {
		return importedRevision{}, err
	}
	return importedRevision{row: rev, res: res}, nil
}

// revisionBody decodes a revision's resource strictly and checks that it is
// the one the revision names: its id, and the version it had then (a
// delete records the resource as it was, at the version before).
func revisionBody(k domain.Kind, er exportRevision) (domain.Resource, []byte, error) {
	var body bytes.Buffer
	if err := json.Compact(&body, er.Resource); err != nil || !bytes.HasPrefix(body.Bytes(), []byte("{")) {
		return nil, nil, errors.New("resource must be a JSON object")
	}
	if err := domain.CheckJSONText(body.Bytes(), "the resource"); err != nil {
		return nil, nil, err
	}
	res := domain.New(k)
	dec := json.NewDecoder(bytes.NewReader(body.Bytes()))
	dec.DisallowUnknownFields()
	if err := dec.Decode(res); err != nil {
		return nil, nil, fmt.Errorf("resource is not a %s: %v", k.Singular(), strings.TrimPrefix(err.Error(), "json: "))
	}
	m := res.Base()
	version := er.Revision
	if er.Action == "delete" {
		version--
	}
	if m.ID != er.ResourceID || m.Version != version {
		return nil, nil, fmt.Errorf("resource is %s %s at version %d, not %s at version %d", k.Singular(), m.ID, m.Version, er.ResourceID, version)
	}
	if er.Action != "delete" {
		if err := normalized(res).Validate().Err(); err != nil {
			return nil, nil, fmt.Errorf("resource: %w", err)
		}
	}
	return res, body.Bytes(), nil
}

// sequences groups the revisions by resource, in document order, and
// checks that each resource's run 1, 2, 3, … from its create, with nothing
// after a delete and no change dated before the create took effect.
func sequences(revs []importedRevision, dated bool) (map[resourceKey][]*importedRevision, []resourceKey, error) {
	histories := map[resourceKey][]*importedRevision{}
	var order []resourceKey
	for i := range revs {
		rev := &revs[i]
		key := resourceKey{string(rev.row.kind), rev.row.id}
		h := histories[key]
		name := rev.row.kind.Singular() + " " + rev.row.id
		switch {
		case rev.row.revision != len(h)+1:
			return nil, nil, fmt.Errorf("revisions[%d]: revision %d of %s is out of sequence: its revisions must run 1, 2, 3, … in order, and %d comes next", rev.index, rev.row.revision, name, len(h)+1)
		case len(h) == 0 && rev.row.action != "create":
			return nil, nil, fmt.Errorf("revisions[%d]: the history of %s begins with %s, not create", rev.index, name, rev.row.action)
		case len(h) > 0 && rev.row.action == "create":
			return nil, nil, fmt.Errorf("revisions[%d]: %s is created a second time", rev.index, name)
		case len(h) > 0 && h[len(h)-1].row.action == "delete":
			return nil, nil, fmt.Errorf("revisions[%d]: %s changes after its delete", rev.index, name)
		case dated && rev.row.action == "update" && rev.row.effectiveAt.Before(h[0].row.effectiveAt):
			return nil, nil, fmt.Errorf("revisions[%d]: a change to %s takes effect before its create did", rev.index, name)
		}
		if h == nil {
			order = append(order, key)
		}
		histories[key] = append(h, rev)
	}
	return histories, order, nil
}

// matchesRow checks one resource's history against the document's rows: a
// resource that was not deleted is there, at the version of its last
// revision, as the latest of its revisions in negotiation time (record
// time for an undated export) left it; one that was deleted is not.
func matchesRow(h []*importedRevision, rows map[resourceKey]importedRow) error {
	first, last := h[0], h[len(h)-1]
	key := resourceKey{string(first.row.kind), first.row.id}
	name := first.row.kind.Singular() + " " + first.row.id
	row, ok := rows[key]
	switch {
	case !ok && last.row.action != "delete":
		return fmt.Errorf("revisions[%d]: %s is neither in the document nor deleted", first.index, name)
	case !ok:
		return nil
	case last.row.action == "delete":
		return fmt.Errorf("revisions[%d]: %s is deleted, yet %s[%d] holds it", last.index, name, key.kind, row.index)
	case row.res.Base().Version != last.row.revision:
		return fmt.Errorf("revisions[%d]: %s has %d revisions, but %s[%d] is at version %d", last.index, name, last.row.revision, key.kind, row.index, row.res.Base().Version)
	}
	current := h[0]
	for _, rev := range h[1:] {
		if !rev.row.effectiveAt.Before(current.row.effectiveAt) {
			current = rev
		}
	}
	if !sameContent(row.res, current.res) || !row.res.Base().EffectiveAt.Equal(current.row.effectiveAt) {
		return fmt.Errorf("revisions[%d]: %s[%d] is not %s as this revision, the latest in negotiation time, leaves it", current.index, key.kind, row.index, name)
	}
	return nil
}

// checkHistoryRefs checks that what every revision refers to is in the
// document, as a row or a history, and that a delegation, objection,
// rebuttal or endorsement is in the negotiation of its round, demand or
// objection.
func checkHistoryRefs(revs []importedRevision, rows map[resourceKey]importedRow) error {
	known := map[resourceKey]bool{}
	negotiationsOf := map[string]map[string]bool{} // round, demand or objection id -> its negotiations
	note := func(r domain.Resource) {
		known[resourceKey{string(r.Kind()), r.Base().ID}] = true
		if k := r.Kind(); k == domain.KindRound || k == domain.KindDemand || k == domain.KindObjection {
			if negotiationsOf[r.Base().ID] == nil {
				negotiationsOf[r.Base().ID] = map[string]bool{}
			}
			negotiationsOf[r.Base().ID][r.Negotiation()] = true
		}
	}
	for _, row := range rows {
		note(row.res)
	}
	for _, rev := range revs {
		note(rev.res)
	}
	for _, rev := range revs {
		for _, ref := range rev.res.Refs() {
			if !known[resourceKey{string(ref.Kind), ref.ID}] {
				return fmt.Errorf("revisions[%d]: %s refers to %s %s, which is not in the document", rev.index, ref.Field, ref.Kind.Singular(), ref.ID)
			}
		}
		if parent := parentOf(rev.res); parent != "" && !negotiationsOf[parent][rev.res.Negotiation()] {
			return fmt.Errorf("revisions[%d]: %s %s is in negotiation %q, which %s is not", rev.index, rev.row.kind.Singular(), rev.row.id, rev.res.Negotiation(), parent)
		}
	}
	return nil
}

// parentOf is the round, demand or objection whose negotiation a resource
// takes, "" for the kinds that name theirs.
func parentOf(r domain.Resource) string {
	switch v := r.(type) {
	case *domain.Delegation:
		return v.RoundID
	case *domain.Objection:
		return v.DemandID
	case *domain.Rebuttal:
		return v.ObjectionID
	case *domain.Endorsement:
		return v.DemandID
	}
	return ""
}

// sameContent reports whether two states of a resource agree in everything
// but their metadata.
func sameContent(a, b domain.Resource) bool {
	x, errA := encodeBody(withoutMeta(a))
	y, errB := encodeBody(withoutMeta(b))
	return errA == nil && errB == nil && bytes.Equal(x, y)
}

// withoutMeta is a normalized copy of r with its metadata cleared.
func withoutMeta(r domain.Resource) domain.Resource {
	c := normalized(r)
	*c.Base() = domain.Meta{}
	return c
}

// normalized is a normalized copy of r, which stays as it is.
func normalized(r domain.Resource) domain.Resource {
	c := domain.New(r.Kind())
	if b, err := json.Marshal(r); err == nil {
		_ = json.Unmarshal(b, c)
	}
	c.Normalize()
	return c
}
