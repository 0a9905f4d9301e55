package domain

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"
)

// FieldChange is one top-level field of a resource that a revision changed.
type FieldChange struct {
	Field  string `json:"field"`
	Before any    `json:"before"`
	After  any    `json:"after"`
}

// metaFields change on every revision or never, or (term_order) only say
// how the terms are laid out, which moves with every term added; listing
// them would bury what an analyst wants to see.
var metaFields = map[string]bool{"id": true, "created_at": true, "updated_at": true, "version": true, "effective_at": true, "term_order": true}

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

// ChangeEntry is one revision in a resource's history, with what it
// changed field by field.
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

// MoveKind says how a resource moved between two states.
const (
	MoveAdded   = "added"
	MoveChanged = "changed"
	MoveRemoved = "removed"
)

// FieldMove is one field of a resource that moved between two states, with
// its value on each side as stored (ids, enumeration codes, numbers) and
// as a reader says it (names, words, "2,500").
type FieldMove struct {
	// Field is the stored name: "status", "grounds", or
	// "terms.duration_days" for one term of a demand.
	Field string `json:"field"`
	From  any    `json:"from"`
	To    any    `json:"to"`
	// Delta is to − from, for a numeric term on both sides; else null.
	Delta    *float64 `json:"delta"`
	Label    string   `json:"label"`
	FromText string   `json:"from_text"`
	ToText   string   `json:"to_text"`
	// Text is the whole move in words: "duration days 30 → 45 (+15)".
	Text string `json:"text"`
}

// Names tells what readers call the resources a change refers to, by id:
// a party's name; a negotiation's, round's, topic's or demand's title.
type Names map[string]string

// NamesOf names everything in the snapshots; an earlier snapshot's name
// stands only where a later one has none, so pass the latest first.
func NamesOf(snaps ...*Snapshot) Names {
	n := Names{}
	add := func(id, name string) {
		if _, ok := n[id]; !ok && name != "" {
			n[id] = name
		}
	}
	for _, s := range snaps {
		if s == nil {
			continue
		}
		if s.Negotiation != nil {
			add(s.Negotiation.ID, s.Negotiation.Title)
		}
		for _, p := range s.Parties {
			add(p.ID, p.Name)
		}
		for _, r := range s.Rounds {
			add(r.ID, r.Title)
		}
		for _, t := range s.Topics {
			add(t.ID, t.Title)
		}
		for _, d := range s.Demands {
			add(d.ID, d.Title)
		}
	}
	// An objection is named by who made it against what, once every
	// party and demand has its name; only the answered ones are ever
	// named, by their rebuttals, so only they are.
	answered := map[string]bool{}
	for _, s := range snaps {
		if s != nil {
			for _, r := range s.Rebuttals {
				answered[r.ObjectionID] = true
			}
		}
	}
	for _, s := range snaps {
		if s == nil || len(answered) == 0 {
			continue
		}
		for _, o := range s.Objections {
			if answered[o.ID] {
				add(o.ID, n.objectionName(o.PartyID, o.DemandID))
			}
		}
	}
	return n
}

// objectionName is what readers call an objection: "Russia's objection
// to “30-day ceasefire”".
func (n Names) objectionName(partyID, demandID string) string {
	return Possessive(n.name(KindParty, partyID)) + " objection to " + Quoted(n.name(KindDemand, demandID), 80)
}

// NamesFrom names resources read from the store.
func NamesFrom(found ...map[string]Resource) Names {
	n := Names{}
	for _, m := range found {
		for id, r := range m {
			switch v := r.(type) {
			case *Party:
				n[id] = v.Name
			case *Negotiation:
				n[id] = v.Title
			case *Round:
				n[id] = v.Title
			case *Topic:
				n[id] = v.Title
			case *Demand:
				n[id] = v.Title
			}
		}
	}
	for _, m := range found {
		for id, r := range m {
			if o, ok := r.(*Objection); ok {
				n[id] = n.objectionName(o.PartyID, o.DemandID)
			}
		}
	}
	return n
}

// name is what readers call the resource of kind k with that id; a
// reference to something no longer on record says so rather than show an
// id.
func (n Names) name(k Kind, id string) string {
	if name, ok := n[id]; ok {
		return name
	}
	article := "a "
	if strings.ContainsAny(k.Singular()[:1], "aeiou") {
		article = "an "
	}
	return article + k.Singular() + notOnRecord
}

// notOnRecord ends the name of something referred to but gone.
const notOnRecord = " no longer on record"

// freeText fields hold sentences a user typed: they are quoted and cut short.
var freeText = map[string]bool{
	"title": true, "details": true, "grounds": true, "note": true, "notes": true,
	"summary": true, "description": true,
}

// dayFields hold YYYY-MM-DD dates.
var dayFields = map[string]bool{"stated_on": true, "starts_on": true, "ends_on": true, "started_on": true}

// enumFields hold enumeration codes, shown as words.
var enumFields = map[string]bool{"status": true, "kind": true, "level": true, "format": true, "priority": true}

// diffMoves lists the fields that differ between two states of a resource,
// each flattened to fields (see flatFields), in reading order. A nil side
// stands for a resource that did not exist.
func diffMoves(before, after map[string]any, kind string, n Names) []FieldMove {
	b, a := flatFields(before), flatFields(after)
	names := make([]string, 0, len(a)+len(b))
	for k := range a {
		names = append(names, k)
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			names = append(names, k)
		}
	}
	sort.Slice(names, func(i, j int) bool { return fieldLess(names[i], names[j]) })
	moves := []FieldMove{}
	for _, f := range names {
		bv, av := emptyToNil(b[f]), emptyToNil(a[f])
		if reflect.DeepEqual(bv, av) {
			continue
		}
		moves = append(moves, fieldMove(f, bv, av, kind, n))
	}
	return moves
}

// flatFields is a resource's fields as moves list them: every field but
// the metadata and the negotiation it belongs to (which never moves), and
// each term of a demand as a field of its own, "terms.KEY".
func flatFields(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		if metaFields[k] || k == "negotiation_id" {
			continue
		}
		if terms, ok := v.(map[string]any); ok && k == "terms" {
			for tk, tv := range terms {
				out["terms."+tk] = tv
			}
			continue
		}
		out[k] = v
	}
	return out
}

// fieldOrder ranks fields so that what matters most is read first.
var fieldOrder = map[string]int{
	"status": 0, "title": 1, "name": 1, "grounds": 3, "kind": 4, "note": 4, "participants": 4, "level": 4,
	"head_name": 5, "head_title": 5, "priority": 6, "party_id": 7, "topic_id": 7, "demand_id": 7, "round_id": 7,
	"stated_on": 8, "starts_on": 8, "ends_on": 8, "started_on": 8, "citations": 20,
}

func fieldLess(a, b string) bool {
	ra, rb := fieldRank(a), fieldRank(b)
	if ra != rb {
		return ra < rb
	}
	return a < b
}

func fieldRank(f string) int {
	if strings.HasPrefix(f, "terms.") {
		return 2
	}
	if r, ok := fieldOrder[f]; ok {
		return r
	}
	return 10
}

// fieldMove describes one moved field. In an added or removed resource a
// field simply has its value; in a changed one a value appearing or going
// away says so.
func fieldMove(field string, from, to any, kind string, n Names) FieldMove {
	fm := FieldMove{Field: field, From: from, To: to, Label: FieldLabel(field),
		FromText: valueText(field, from, n), ToText: valueText(field, to, n)}
	unit := ""
	if key, ok := strings.CutPrefix(field, "terms."); ok {
		_, unit = TermLabel(key)
		f, fok := TermNumber(from)
		t, tok := TermNumber(to)
		if fok && tok {
			d := t - f
			fm.Delta = &d
		}
	}
	switch {
	case from != nil && to != nil:
		fm.Text = fm.Label + " " + fm.FromText + " → " + fm.ToText
		if fm.Delta != nil {
			fm.Text += " (" + FormatDelta(*fm.Delta) + unit + ")"
		}
	case to != nil && kind == MoveChanged:
		fm.Text = fm.Label + " " + fm.ToText + " (new)"
	case from != nil && kind == MoveChanged:
		fm.Text = fm.Label + " " + fm.FromText + " (dropped)"
	case to != nil:
		fm.Text = fm.Label + " " + fm.ToText
	default:
		fm.Text = fm.Label + " " + fm.FromText
	}
	return fm
}

// valueText writes one value of a field for readers: names for
// references, words for enumeration codes, days as "7 Jan 2025", numbers
// with thousands separators and their unit, quoted text cut short, and
// lists as counts or names; never JSON.
func valueText(field string, v any, n Names) string {
	if v == nil {
		return ""
	}
	if k, ok := refFields[field]; ok {
		if id, ok := v.(string); ok {
			if k == KindParty || k == KindObjection {
				return n.name(k, id)
			}
			return Quoted(n.name(k, id), 80)
		}
	}
	if key, ok := strings.CutPrefix(field, "terms."); ok {
		if _, ok := TermNumber(v); ok {
			return TermText(key, v)
		}
	}
	switch x := v.(type) {
	case string:
		switch {
		case freeText[field]:
			return Quoted(x, 80)
		case dayFields[field]:
			return FormatDay(x)
		case enumFields[field]:
			return Humanize(x)
		}
		return x
	case bool:
		if x {
			return "yes"
		}
		return "no"
	case float64:
		return FormatNumber(x)
	case []any:
		return listText(field, x, n)
	case map[string]any:
		return plural(len(x), "entry", "entries")
	}
	return fmt.Sprint(v)
}

// listText writes a list field: sources as a count, participants and
// members by name, plain words joined.
func listText(field string, items []any, n Names) string {
	if field == "citations" {
		return strconv.Itoa(len(items))
	}
	parts := make([]string, 0, len(items))
	for _, it := range items {
		switch x := it.(type) {
		case string:
			parts = append(parts, x)
		case map[string]any:
			parts = append(parts, listItemText(field, x, n))
		default:
			parts = append(parts, valueText("", x, n))
		}
	}
	if field == "members" {
		// A member's title follows a comma, so members part by semicolons.
		return strings.Join(parts, "; ")
	}
	return strings.Join(parts, ", ")
}

// listItemText writes one participant as "Ukraine (principal)", one member
// as "Rustem Umerov, Defence Minister".
func listItemText(field string, m map[string]any, n Names) string {
	if field == "participants" {
		s := n.name(KindParty, str(m, "party_id"))
		if role := str(m, "role"); role != "" {
			s += " (" + Humanize(role) + ")"
		}
		return s
	}
	return PersonText(str(m, "name"), str(m, "title"))
}

// str reads a string field of a decoded resource, "" if absent.
func str(m map[string]any, k string) string {
	s, _ := m[k].(string)
	return s
}

// resourceMap is a resource as the generic map its JSON decodes to, which
// is what diffMoves compares: every field, those added later included.
func resourceMap(r Resource) map[string]any {
	if r == nil || reflect.ValueOf(r).IsNil() {
		return nil
	}
	b, err := json.Marshal(r)
	if err != nil {
		return nil
	}
	return decodeForDiff(b)
}

// ChangedField is one field a revision changed, in the changes view: the
// values before and after as stored, and in words.
type ChangedField struct {
	Field      string   `json:"field"`
	Before     any      `json:"before"`
	After      any      `json:"after"`
	Delta      *float64 `json:"delta"`
	Label      string   `json:"label"`
	BeforeText string   `json:"before_text"`
	AfterText  string   `json:"after_text"`
	Text       string   `json:"text"`
}

// ChangeItem is one entry of the changes view: the revision, a sentence
// saying what it did, and each field it changed.
type ChangeItem struct {
	Revision
	Summary string         `json:"summary"`
	Changes []ChangedField `json:"changes"`
}

// moveKindOf is the move a revision makes.
func moveKindOf(action string) string {
	switch action {
	case "create":
		return MoveAdded
	case "delete":
		return MoveRemoved
	}
	return MoveChanged
}

// decodedChange is a change with both sides decoded once.
type decodedChange struct {
	Change
	before, after map[string]any
}

func decodeChange(c Change) decodedChange {
	d := decodedChange{Change: c}
	switch c.Action {
	case "create":
		d.after = decodeForDiff(c.Resource)
	case "delete":
		d.before = decodeForDiff(c.Resource)
	default:
		d.before, d.after = decodeForDiff(c.Previous), decodeForDiff(c.Resource)
	}
	return d
}

// DescribeChangeItems writes each change in words, naming what it refers
// to through names, keeping their order.
func DescribeChangeItems(changes []Change, n Names) []ChangeItem {
	out := make([]ChangeItem, len(changes))
	for i, c := range changes {
		out[i] = describeDecoded(decodeChange(c), n)
	}
	return out
}

func describeDecoded(d decodedChange, n Names) ChangeItem {
	kind := moveKindOf(string(d.Action))
	moves := diffMoves(d.before, d.after, kind, n)
	item := ChangeItem{Revision: d.Revision, Changes: make([]ChangedField, len(moves))}
	for i, m := range moves {
		item.Changes[i] = ChangedField{Field: m.Field, Before: m.From, After: m.To, Delta: m.Delta, Label: m.Label,
			BeforeText: m.FromText, AfterText: m.ToText, Text: m.Text}
	}
	item.Summary = summarize(d.ResourceType, kind, d.before, d.after, moves, n)
	return item
}

// ReadableChanges describes a page of changes in words, reading the names
// of everything they refer to from the store: one GetMany per kind
// referred to (parties, rounds, topics, demands, objections), whatever the
// page's size.
func ReadableChanges(ctx context.Context, st Store, changes []Change) ([]ChangeItem, error) {
	decoded := make([]decodedChange, len(changes))
	refs := map[Kind][]string{}
	seen := map[string]bool{}
	for i, c := range changes {
		decoded[i] = decodeChange(c)
		for _, m := range []map[string]any{decoded[i].before, decoded[i].after} {
			for k, ids := range referencedIDs(m) {
				for _, id := range ids {
					if !seen[id] {
						seen[id] = true
						refs[k] = append(refs[k], id)
					}
				}
			}
		}
	}
	var found []map[string]Resource
	// Objections first: readers know one by its party and demand, which
	// are then read with the rest.
	if ids := refs[KindObjection]; len(ids) > 0 {
		m, err := st.GetMany(ctx, KindObjection, ids)
		if err != nil {
			return nil, err
		}
		found = append(found, m)
		for _, r := range m {
			o := r.(*Objection)
			for k, id := range map[Kind]string{KindParty: o.PartyID, KindDemand: o.DemandID} {
				if !seen[id] {
					seen[id] = true
					refs[k] = append(refs[k], id)
				}
			}
		}
	}
	for _, k := range Kinds {
		if len(refs[k]) == 0 || k == KindObjection {
			continue
		}
		m, err := st.GetMany(ctx, k, refs[k])
		if err != nil {
			return nil, err
		}
		found = append(found, m)
	}
	n := NamesFrom(found...)
	out := make([]ChangeItem, len(decoded))
	for i, d := range decoded {
		out[i] = describeDecoded(d, n)
	}
	return out, nil
}

// referencedIDs lists, by kind, the ids a decoded resource refers to that
// a description names: its references and its participants' parties.
func referencedIDs(m map[string]any) map[Kind][]string {
	if m == nil {
		return nil
	}
	out := map[Kind][]string{}
	for f, k := range refFields {
		if k == KindNegotiation {
			continue // never named: every change is inside the negotiation asked for
		}
		if id := str(m, f); id != "" {
			out[k] = append(out[k], id)
		}
	}
	if ps, ok := m["participants"].([]any); ok {
		for _, p := range ps {
			if pm, ok := p.(map[string]any); ok && str(pm, "party_id") != "" {
				out[KindParty] = append(out[KindParty], str(pm, "party_id"))
			}
		}
	}
	return out
}
