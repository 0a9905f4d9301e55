package domain

import "strings"

// handlingMarkings are the handling markings of FIRST's Traffic Light Protocol 2.0: how widely
// a piece of information may be shared, from TLP:CLEAR (no limit) to
// TLP:RED (the people in the room), listed from the
// least to the most restricted; a marking's place in it is its level.
var handlingMarkings = enumOf("TLP:CLEAR", "TLP:GREEN", "TLP:AMBER", "TLP:AMBER+STRICT", "TLP:RED")

// HandlingMarkings lists the markings from the least to the most restricted.
func HandlingMarkings() Enum[string] { return handlingMarkings }

// DefaultHandling is a negotiation's marking when none is given.
const DefaultHandling = "TLP:AMBER"

// How markings are stored: a negotiation always holds one (Normalize
// fills in DefaultHandling). A demand, objection, rebuttal, endorsement
// or citation holds "" to mean "the negotiation's": it follows the
// negotiation when that changes, and every view shows it resolved
// (ResolveHandling). A citation's "" is the negotiation's too, not its
// claim's, as the contract says.

// HandlingLevel is a marking's level, 0 for TLP:CLEAR; -1 for anything
// that is not a marking.
func HandlingLevel(marking string) int {
	for i, m := range HandlingMarkings().Strings() {
		if m == marking {
			return i
		}
	}
	return -1
}

// ParseHandling reads a marking as people type it ("tlp:green", "GREEN",
// "amber+strict") and returns its canonical form; ok is false for
// anything else.
func ParseHandling(s string) (string, bool) {
	s = strings.ToUpper(strings.TrimSpace(s))
	if s != "" && !strings.HasPrefix(s, "TLP:") {
		s = "TLP:" + s
	}
	if HandlingLevel(s) < 0 {
		return "", false
	}
	return s, true
}

// ResolveHandling is the marking a thing carries: its own, or where it
// has none the negotiation's, or where that has none DefaultHandling.
func ResolveHandling(own, negotiation string) string {
	if own != "" {
		return own
	}
	if negotiation != "" {
		return negotiation
	}
	return DefaultHandling
}

// SharableWith reports whether information carrying marking (resolved)
// may go to an audience cleared up to audience: its level is not above
// the audience's. An empty audience is everyone who may read it at all,
// so everything is sharable.
func SharableWith(marking, audience string) bool {
	if audience == "" {
		return true
	}
	return HandlingLevel(marking) <= HandlingLevel(audience)
}

// Marked is what every marked resource answers: its own marking, "" for
// the negotiation's.
type Marked interface{ OwnHandling() string }

// VisibleTo reports whether a marked thing inside negotiation n may go
// to audience. Rebuttals and any other marked kind use it as the
// report's filter does.
func VisibleTo(m Marked, n *Negotiation, audience string) bool {
	return SharableWith(ResolveHandling(m.OwnHandling(), n.Handling), audience)
}

// HighestHandling is the most restricted of markings, "" for none.
func HighestHandling(markings ...string) string {
	best := ""
	for _, m := range markings {
		if HandlingLevel(m) > HandlingLevel(best) {
			best = m
		}
	}
	return best
}

// handling checks an optional marking field.
func (c *checker) handling(field, v string) {
	if v != "" && HandlingLevel(v) < 0 {
		c.errs.Add(field, "must be one of %s", HandlingMarkings().String())
	}
}

// normalizeHandling writes a marking in its canonical form, so that
// "tlp:green" is stored as TLP:GREEN; anything else is left for
// validation to name.
func normalizeHandling(s *string) {
	trim(s)
	if m, ok := ParseHandling(*s); ok {
		*s = m
	}
}
