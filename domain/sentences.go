package domain

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// summarize writes a move of one resource as the sentence a minister's
// office reads: "Russia's objection to “30-day ceasefire” resolved",
// "Hamas: prisoners in phase 1 2,500 → 1,904 (−596) on “Prisoner
// exchange”". before and after are the resource's two states as decoded
// JSON (nil where it did not exist); fields are what moved between them.
func summarize(k Kind, kind string, before, after map[string]any, fields []FieldMove, n Names) string {
	cur := after
	if cur == nil {
		cur = before
	}
	if cur == nil {
		return ""
	}
	s := sentence{kind: kind, cur: cur, before: before, fields: fields, n: n}
	var out string
	switch k {
	case KindDemand:
		out = s.demand()
	case KindObjection:
		out = s.objection()
	case KindRebuttal:
		out = s.rebuttal()
	case KindEndorsement:
		out = s.endorsement()
	case KindDelegation:
		out = s.delegation()
	case KindNegotiation:
		out = s.negotiation()
	case KindParty:
		out = s.titled("Party", "name")
	default:
		out = s.titled(capitalize(k.Singular()), "title")
	}
	if (strings.HasPrefix(out, "a ") || strings.HasPrefix(out, "an ")) && strings.Contains(out, notOnRecord) {
		// The sentence starts with a reference to something gone, not
		// with a name, whose spelling is never changed.
		out = capitalize(out)
	}
	return out
}

// capitalize starts a sentence with a capital letter.
func capitalize(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return s
	}
	return string(unicode.ToUpper(r)) + s[size:]
}

// sentence holds what each kind's wording draws on.
type sentence struct {
	kind        string
	cur, before map[string]any
	fields      []FieldMove
	n           Names
}

func (s sentence) party() string { return s.n.name(KindParty, str(s.cur, "party_id")) }

func (s sentence) demandTitle() string {
	return Quoted(s.n.name(KindDemand, str(s.cur, "demand_id")), 80)
}

// texts joins the moved fields' words, leaving out those the sentence
// already says.
func (s sentence) texts(skip ...string) string {
	var parts []string
	for _, f := range s.fields {
		if !containsField(skip, f.Field) {
			parts = append(parts, f.Text)
		}
	}
	return strings.Join(parts, "; ")
}

func containsField(list []string, f string) bool {
	for _, x := range list {
		if x == f {
			return true
		}
	}
	return false
}

// moved reports whether a field is among those that moved.
func (s sentence) moved(field string) bool {
	for _, f := range s.fields {
		if f.Field == field {
			return true
		}
	}
	return false
}

// demand: "Hamas demands “Prisoner exchange” (under discussion):
// prisoners in phase 1 2,500"; "Hamas: prisoners in phase 1 2,500 → 1,904
// (−596) on “Prisoner exchange”".
func (s sentence) demand() string {
	title := Quoted(str(s.cur, "title"), 80)
	switch s.kind {
	case MoveAdded:
		out := s.party() + " demands " + title
		if st := str(s.cur, "status"); st != "" && st != "tabled" {
			out += " (" + Humanize(st) + ")"
		}
		var terms []string
		for _, f := range s.fields {
			if strings.HasPrefix(f.Field, "terms.") {
				terms = append(terms, f.Text)
			}
		}
		if len(terms) > 0 {
			out += ": " + strings.Join(terms, "; ")
		}
		return out
	case MoveRemoved:
		return Possessive(s.party()) + " demand " + title + " is no longer on record"
	}
	out := s.party() + ": " + s.texts()
	if !s.moved("title") {
		out += " on " + title
	}
	return out
}

// objectionStatusWords says what became of an objection.
var objectionStatusWords = map[string]string{"resolved": "resolved", "withdrawn": "withdrawn", "standing": "stands again"}

// objection: "Russia objects to “30-day ceasefire” (rejection): would let
// Ukraine rearm"; "Russia's objection to “30-day ceasefire” resolved".
func (s sentence) objection() string {
	switch s.kind {
	case MoveAdded:
		out := s.party() + " objects to " + s.demandTitle()
		if k := str(s.cur, "kind"); k != "" {
			out += " (" + Humanize(k) + ")"
		}
		if g := str(s.cur, "grounds"); g != "" {
			out += ": " + Quoted(g, 120)
		}
		if st := str(s.cur, "status"); st != "" && st != "standing" {
			out += "; " + objectionStatusWords[st]
		}
		return out
	case MoveRemoved:
		return Possessive(s.party()) + " objection to " + s.demandTitle() + " is no longer on record"
	}
	out := Possessive(s.party()) + " objection to " + s.demandTitle()
	if s.moved("status") {
		out += " " + objectionStatusWords[str(s.cur, "status")]
		if rest := s.texts("status"); rest != "" {
			out += "; " + rest
		}
		return out
	}
	return out + ": " + s.texts()
}

// rebuttal: "Ukraine answers Russia's objection to “30-day ceasefire”:
// “a ceasefire stops the killing”".
func (s sentence) rebuttal() string {
	objection := s.n.name(KindObjection, str(s.cur, "objection_id"))
	switch s.kind {
	case MoveAdded:
		out := s.party() + " answers " + objection
		if g := str(s.cur, "grounds"); g != "" {
			out += ": " + Quoted(g, 120)
		}
		return out
	case MoveRemoved:
		return Possessive(s.party()) + " answer to " + objection + " is no longer on record"
	}
	return Possessive(s.party()) + " answer to " + objection + ": " + s.texts()
}

// endorsement: "United States endorses “30-day ceasefire”".
func (s sentence) endorsement() string {
	switch s.kind {
	case MoveAdded:
		out := s.party() + " endorses " + s.demandTitle()
		if note := str(s.cur, "note"); note != "" {
			out += ": " + Quoted(note, 120)
		}
		return out
	case MoveRemoved:
		return s.party() + " no longer endorses " + s.demandTitle()
	}
	return Possessive(s.party()) + " endorsement of " + s.demandTitle() + ": " + s.texts()
}

// delegation: "Qatar sends a delegation to “Cairo round” (ministerial
// level; led by Mohammed Al-Khulaifi, Minister of State)".
func (s sentence) delegation() string {
	round := Quoted(s.n.name(KindRound, str(s.cur, "round_id")), 80)
	switch s.kind {
	case MoveAdded:
		out := s.party() + " sends a delegation to " + round
		var parts []string
		if l := str(s.cur, "level"); l != "" {
			parts = append(parts, Humanize(l)+" level")
		}
		if head := PersonText(str(s.cur, "head_name"), str(s.cur, "head_title")); head != "" {
			parts = append(parts, "led by "+head)
		}
		if len(parts) > 0 {
			out += " (" + strings.Join(parts, "; ") + ")"
		}
		return out
	case MoveRemoved:
		return Possessive(s.party()) + " delegation to " + round + " is no longer on record"
	}
	return Possessive(s.party()) + " delegation to " + round + ": " + s.texts()
}

// negotiation: who joined or left the table, then any other field.
func (s sentence) negotiation() string {
	title := Quoted(str(s.cur, "title"), 80)
	switch s.kind {
	case MoveAdded:
		return "Negotiation " + title + " opens"
	case MoveRemoved:
		return "Negotiation " + title + " is no longer on record"
	}
	var parts []string
	if s.moved("participants") {
		parts = append(parts, s.seats()...)
	}
	if rest := s.texts("participants"); rest != "" {
		parts = append(parts, rest)
	}
	return "Negotiation " + title + ": " + strings.Join(parts, "; ")
}

// seats says who joined, left or changed role at the table.
func (s sentence) seats() []string {
	was, now := roles(s.before), roles(s.cur)
	var out []string
	for _, p := range orderedParties(s.cur) {
		switch {
		case was[p] == "":
			out = append(out, s.n.name(KindParty, p)+" joins as "+Humanize(now[p]))
		case was[p] != now[p]:
			out = append(out, s.n.name(KindParty, p)+" is now "+Humanize(now[p])+" (was "+Humanize(was[p])+")")
		}
	}
	for _, p := range orderedParties(s.before) {
		if now[p] == "" {
			out = append(out, s.n.name(KindParty, p)+" leaves")
		}
	}
	return out
}

func roles(m map[string]any) map[string]string {
	out := map[string]string{}
	ps, _ := m["participants"].([]any)
	for _, p := range ps {
		if pm, ok := p.(map[string]any); ok {
			out[str(pm, "party_id")] = str(pm, "role")
		}
	}
	return out
}

func orderedParties(m map[string]any) []string {
	var out []string
	ps, _ := m["participants"].([]any)
	for _, p := range ps {
		if pm, ok := p.(map[string]any); ok {
			out = append(out, str(pm, "party_id"))
		}
	}
	return out
}

// titled words a move of a resource named by one of its fields: a topic,
// a round, a party, and any kind added later.
func (s sentence) titled(noun, nameField string) string {
	name := Quoted(str(s.cur, nameField), 80)
	switch s.kind {
	case MoveAdded:
		out := "New " + strings.ToLower(noun) + " " + name
		if noun == "Round" {
			if when := roundWhen(s.cur); when != "" {
				out += " (" + when + ")"
			}
		}
		return out
	case MoveRemoved:
		return noun + " " + name + " is no longer on record"
	}
	return noun + " " + name + ": " + s.texts()
}

// roundWhen writes "7 Jan 2025 to 17 Jan 2025, Doha".
func roundWhen(m map[string]any) string {
	when := FormatDay(str(m, "starts_on"))
	if end := str(m, "ends_on"); end != "" && end != str(m, "starts_on") {
		when += " to " + FormatDay(end)
	}
	if loc := str(m, "location"); loc != "" {
		when += ", " + loc
	}
	return strings.TrimPrefix(when, ", ")
}
