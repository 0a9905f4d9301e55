package store

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/parley/parley/domain"
)

// A COP-scale snapshot holds tens of thousands of demands, objections and
// endorsements, and decoding their bodies with encoding/json's reflection
// was most of its cost. The store writes those bodies itself, in one plain
// form, so they are read here by hand, straight from the driver's string
// and without copying it. Anything this reader does not expect (an unknown
// or repeated key, a null, an escaped key, a number where a string belongs)
// sends the whole body back to encoding/json, so the result is always
// exactly what json.Unmarshal gives; FuzzDecodeStored checks that.

// decodeStored turns a stored body into a resource of kind k.
func decodeStored(k domain.Kind, body string) (domain.Resource, error) {
	var r domain.Resource
	var ok bool
	switch k {
	case domain.KindDemand:
		r, ok = readDemand(body)
	case domain.KindObjection:
		r, ok = readObjection(body)
	case domain.KindRebuttal:
		r, ok = readRebuttal(body)
	case domain.KindEndorsement:
		r, ok = readEndorsement(body)
	}
	if ok {
		return r, nil
	}
	return decode(k, []byte(body))
}

// bodyReader reads one JSON document. It only ever refuses: ok turns false
// at the first thing it does not handle and stays false.
type bodyReader struct {
	s   string
	pos int
	ok  bool
}

func newBodyReader(s string) *bodyReader { return &bodyReader{s: s, ok: true} }

func (r *bodyReader) fail() { r.ok = false }

func (r *bodyReader) space() {
	for r.pos < len(r.s) {
		switch r.s[r.pos] {
		case ' ', '\t', '\n', '\r':
			r.pos++
		default:
			return
		}
	}
}

func (r *bodyReader) eat(c byte) bool {
	r.space()
	if r.pos < len(r.s) && r.s[r.pos] == c {
		r.pos++
		return true
	}
	return false
}

// end checks that nothing but white space follows the document.
func (r *bodyReader) end() bool {
	r.space()
	return r.ok && r.pos == len(r.s)
}

// beginObject reads the '{' that opens an object.
func (r *bodyReader) beginObject() {
	if !r.eat('{') {
		r.fail()
	}
}

// key reads the next key of an object and its ':'; it returns false at the
// closing '}' or on an error. first is true for the object's first key.
func (r *bodyReader) key(first bool) (string, bool) {
	if !r.ok {
		return "", false
	}
	if r.eat('}') {
		return "", false
	}
	if !first && !r.eat(',') {
		r.fail()
		return "", false
	}
	r.space()
	start, end, plain := r.stringExtent()
	if !plain {
		// An escaped key might match a field case-insensitively once
		// unescaped, as encoding/json allows; leave that to it.
		r.fail()
		return "", false
	}
	if !r.eat(':') {
		r.fail()
		return "", false
	}
	r.space()
	return r.s[start+1 : end-1], true
}

// stringExtent finds the string starting at pos, moves past it and returns
// where it starts and ends (quotes included) and whether its content can be
// used as it is: no escapes, no control characters, valid UTF-8.
func (r *bodyReader) stringExtent() (start, end int, plain bool) {
	start = r.pos
	if r.pos >= len(r.s) || r.s[r.pos] != '"' {
		r.fail()
		return start, start, false
	}
	plain = true
	ascii := true
	for i := r.pos + 1; i < len(r.s); i++ {
		c := r.s[i]
		switch {
		case c == '"':
			r.pos = i + 1
			if !ascii && !utf8.ValidString(r.s[start+1:i]) {
				plain = false
			}
			return start, r.pos, plain
		case c == '\\':
			plain = false
			i++
		case c < 0x20:
			plain = false
		case c >= 0x80:
			ascii = false
		}
	}
	r.fail()
	return start, len(r.s), false
}

// str reads a string value into dst.
// strAs reads a string into a field of a string type (an enumeration).
func strAs[T ~string](r *bodyReader, dst *T) {
	var s string
	r.str(&s)
	*dst = T(s)
}

func (r *bodyReader) str(dst *string) {
	if !r.ok {
		return
	}
	start, end, plain := r.stringExtent()
	if !r.ok {
		return
	}
	if plain {
		*dst = r.s[start+1 : end-1]
		return
	}
	// Escapes and invalid UTF-8 are rare; encoding/json unquotes them
	// exactly as it would have.
	if err := json.Unmarshal([]byte(r.s[start:end]), dst); err != nil {
		r.fail()
	}
}

// integer reads a JSON integer (no fraction or exponent, which
// encoding/json refuses for an int field) into dst.
func (r *bodyReader) integer(dst *int) {
	if !r.ok {
		return
	}
	start := r.pos
	if r.pos < len(r.s) && r.s[r.pos] == '-' {
		r.pos++
	}
	digits := r.pos
	for r.pos < len(r.s) && r.s[r.pos] >= '0' && r.s[r.pos] <= '9' {
		r.pos++
	}
	n := r.pos - digits
	if n == 0 || (n > 1 && r.s[digits] == '0') {
		r.fail()
		return
	}
	if r.pos < len(r.s) {
		switch r.s[r.pos] {
		case '.', 'e', 'E':
			r.fail()
			return
		}
	}
	v, err := strconv.Atoi(r.s[start:r.pos])
	if err != nil {
		r.fail()
		return
	}
	*dst = v
}

// timestamp reads a time through time.Time's own UnmarshalJSON, as
// encoding/json does, so the same texts are accepted.
func (r *bodyReader) timestamp(dst *time.Time) {
	if !r.ok {
		return
	}
	start, end, _ := r.stringExtent()
	if !r.ok {
		return
	}
	if err := dst.UnmarshalJSON([]byte(r.s[start:end])); err != nil {
		r.fail()
	}
}

// grade reads a credibility written as a plain string, its stored form;
// the digit form clients may send is left to encoding/json.
func (r *bodyReader) grade(dst *domain.Grade) {
	if !r.ok {
		return
	}
	start, end, plain := r.stringExtent()
	if !r.ok || !plain {
		r.fail()
		return
	}
	*dst = domain.Grade(r.s[start+1 : end-1])
}

// skip moves past one value of any kind and returns its text. It does not
// check the value's grammar: the caller hands the text to encoding/json,
// which does.
func (r *bodyReader) skip() string {
	start := r.pos
	depth := 0
	for r.ok && r.pos < len(r.s) {
		switch c := r.s[r.pos]; c {
		case '"':
			r.stringExtent()
			if depth == 0 {
				return r.s[start:r.pos]
			}
			continue
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth < 0 {
				r.fail()
				return ""
			}
			if depth == 0 {
				r.pos++
				return r.s[start:r.pos]
			}
		case ',', ' ', '\t', '\n', '\r', ':':
			if depth == 0 {
				return r.s[start:r.pos]
			}
		}
		r.pos++
	}
	if depth != 0 {
		r.fail()
	}
	return r.s[start:r.pos]
}

// terms reads a demand's terms: an object of strings, numbers, booleans
// and nulls by hand, any other shape through encoding/json.
func (r *bodyReader) terms(dst *map[string]any) {
	if !r.ok {
		return
	}
	start := r.pos
	if m, ok := r.flatTerms(); ok {
		*dst = m
		return
	}
	r.pos, r.ok = start, true
	if r.pos >= len(r.s) || r.s[r.pos] != '{' {
		r.fail()
		return
	}
	raw := r.skip()
	if !r.ok {
		return
	}
	if err := json.Unmarshal([]byte(raw), dst); err != nil {
		r.fail()
	}
}

// flatTerms reads an object whose values are all scalars into the map
// encoding/json would make of it: numbers as float64, a repeated key's last
// value winning.
func (r *bodyReader) flatTerms() (map[string]any, bool) {
	r.beginObject()
	m := map[string]any{}
	for k, more := r.key(true); more; k, more = r.key(false) {
		if r.pos >= len(r.s) {
			r.fail()
			break
		}
		switch c := r.s[r.pos]; {
		case c == '"':
			var v string
			r.str(&v)
			m[k] = v
		case c == '-' || (c >= '0' && c <= '9'):
			m[k] = r.number()
		case strings.HasPrefix(r.s[r.pos:], "true"):
			r.pos += 4
			m[k] = true
		case strings.HasPrefix(r.s[r.pos:], "false"):
			r.pos += 5
			m[k] = false
		case strings.HasPrefix(r.s[r.pos:], "null"):
			r.pos += 4
			m[k] = nil
		default:
			r.fail()
		}
	}
	return m, r.ok
}

// number reads a JSON number, checked against JSON's grammar (which
// strconv.ParseFloat alone is laxer than), as a float64.
func (r *bodyReader) number() float64 {
	start := r.pos
	digits := func() int {
		n := 0
		for r.pos < len(r.s) && r.s[r.pos] >= '0' && r.s[r.pos] <= '9' {
			r.pos++
			n++
		}
		return n
	}
	if r.pos < len(r.s) && r.s[r.pos] == '-' {
		r.pos++
	}
	intStart := r.pos
	if n := digits(); n == 0 || (n > 1 && r.s[intStart] == '0') {
		r.fail()
		return 0
	}
	if r.pos < len(r.s) && r.s[r.pos] == '.' {
		r.pos++
		if digits() == 0 {
			r.fail()
			return 0
		}
	}
	if r.pos < len(r.s) && (r.s[r.pos] == 'e' || r.s[r.pos] == 'E') {
		r.pos++
		if r.pos < len(r.s) && (r.s[r.pos] == '+' || r.s[r.pos] == '-') {
			r.pos++
		}
		if digits() == 0 {
			r.fail()
			return 0
		}
	}
	v, err := strconv.ParseFloat(r.s[start:r.pos], 64)
	if err != nil {
		r.fail()
		return 0
	}
	return v
}

// citations reads a list of citations; an empty list stays non-nil, as
// encoding/json leaves it.
func (r *bodyReader) citations(dst *[]domain.Citation) {
	if !r.ok {
		return
	}
	if !r.eat('[') {
		r.fail()
		return
	}
	out := []domain.Citation{}
	if r.eat(']') {
		*dst = out
		return
	}
	for r.ok {
		out = append(out, domain.Citation{})
		r.citation(&out[len(out)-1])
		if r.eat(']') {
			*dst = out
			return
		}
		if !r.eat(',') {
			r.fail()
		}
	}
}

// strs reads a list of strings; an empty list stays non-nil and null is
// nil, as encoding/json leaves them (a demand stored before its terms kept
// their order has no list).
func (r *bodyReader) strs(dst *[]string) {
	if !r.ok {
		return
	}
	if strings.HasPrefix(r.s[r.pos:], "null") {
		r.pos += 4
		*dst = nil
		return
	}
	if !r.eat('[') {
		r.fail()
		return
	}
	out := []string{}
	if r.eat(']') {
		*dst = out
		return
	}
	for r.ok {
		var s string
		r.space()
		r.str(&s)
		out = append(out, s)
		if r.eat(']') {
			*dst = out
			return
		}
		if !r.eat(',') {
			r.fail()
		}
	}
}

// Each bit marks a key already read, so that a repeated key, which
// encoding/json would merge, goes to it.
type seenKeys uint32

func (s *seenKeys) first(r *bodyReader, bit uint) {
	if *s&(1<<bit) != 0 {
		r.fail()
	}
	*s |= 1 << bit
}

func (r *bodyReader) citation(c *domain.Citation) {
	r.beginObject()
	var seen seenKeys
	for k, more := r.key(true); more; k, more = r.key(false) {
		switch k {
		case "publisher":
			seen.first(r, 0)
			r.str(&c.Publisher)
		case "title":
			seen.first(r, 1)
			r.str(&c.Title)
		case "url":
			seen.first(r, 2)
			r.str(&c.URL)
		case "published_at":
			seen.first(r, 3)
			r.str(&c.PublishedAt)
		case "locator":
			seen.first(r, 4)
			r.str(&c.Locator)
		case "quote":
			seen.first(r, 5)
			r.str(&c.Quote)
		case "reliability":
			seen.first(r, 6)
			strAs(r, &c.Reliability)
		case "credibility":
			seen.first(r, 7)
			r.grade(&c.Credibility)
		case "handling":
			seen.first(r, 8)
			r.str(&c.Handling)
		default:
			r.fail()
		}
	}
}

// meta reads one of the keys every resource has, reporting whether k was one.
func (r *bodyReader) meta(m *domain.Meta, seen *seenKeys, k string) bool {
	switch k {
	case "id":
		seen.first(r, 28)
		r.str(&m.ID)
	case "created_at":
		seen.first(r, 29)
		r.timestamp(&m.CreatedAt)
	case "updated_at":
		seen.first(r, 30)
		r.timestamp(&m.UpdatedAt)
	case "version":
		seen.first(r, 31)
		r.integer(&m.Version)
	case "effective_at":
		seen.first(r, 27)
		r.timestamp(&m.EffectiveAt)
	default:
		return false
	}
	return true
}

func readDemand(s string) (*domain.Demand, bool) {
	d := &domain.Demand{}
	r := newBodyReader(s)
	r.beginObject()
	var seen seenKeys
	for k, more := r.key(true); more; k, more = r.key(false) {
		switch k {
		case "negotiation_id":
			seen.first(r, 0)
			r.str(&d.NegotiationID)
		case "party_id":
			seen.first(r, 1)
			r.str(&d.PartyID)
		case "topic_id":
			seen.first(r, 2)
			r.str(&d.TopicID)
		case "title":
			seen.first(r, 3)
			r.str(&d.Title)
		case "details":
			seen.first(r, 4)
			r.str(&d.Details)
		case "terms":
			seen.first(r, 5)
			r.terms(&d.Terms)
		case "status":
			seen.first(r, 6)
			strAs(r, &d.State)
		case "priority":
			seen.first(r, 7)
			strAs(r, &d.Priority)
		case "stated_on":
			seen.first(r, 8)
			r.str(&d.StatedOn)
		case "round_id":
			seen.first(r, 9)
			r.str(&d.RoundID)
		case "citations":
			seen.first(r, 10)
			r.citations(&d.Citations)
		case "term_order":
			seen.first(r, 11)
			r.strs(&d.TermOrder)
		case "handling":
			seen.first(r, 12)
			r.str(&d.Handling)
		case "responds_to_id":
			seen.first(r, 13)
			r.str(&d.RespondsToID)
		default:
			if !r.meta(&d.Meta, &seen, k) {
				r.fail()
			}
		}
	}
	return d, r.end()
}

func readObjection(s string) (*domain.Objection, bool) {
	o := &domain.Objection{}
	r := newBodyReader(s)
	r.beginObject()
	var seen seenKeys
	for k, more := r.key(true); more; k, more = r.key(false) {
		switch k {
		case "demand_id":
			seen.first(r, 0)
			r.str(&o.DemandID)
		case "party_id":
			seen.first(r, 1)
			r.str(&o.PartyID)
		case "grounds":
			seen.first(r, 2)
			r.str(&o.Grounds)
		case "kind":
			seen.first(r, 3)
			strAs(r, &o.Type)
		case "status":
			seen.first(r, 4)
			strAs(r, &o.State)
		case "stated_on":
			seen.first(r, 5)
			r.str(&o.StatedOn)
		case "citations":
			seen.first(r, 6)
			r.citations(&o.Citations)
		case "negotiation_id":
			seen.first(r, 7)
			r.str(&o.NegotiationID)
		case "handling":
			seen.first(r, 8)
			r.str(&o.Handling)
		case "round_id":
			seen.first(r, 9)
			r.str(&o.RoundID)
		default:
			if !r.meta(&o.Meta, &seen, k) {
				r.fail()
			}
		}
	}
	return o, r.end()
}

func readRebuttal(s string) (*domain.Rebuttal, bool) {
	b := &domain.Rebuttal{}
	r := newBodyReader(s)
	r.beginObject()
	var seen seenKeys
	for k, more := r.key(true); more; k, more = r.key(false) {
		switch k {
		case "objection_id":
			seen.first(r, 0)
			r.str(&b.ObjectionID)
		case "party_id":
			seen.first(r, 1)
			r.str(&b.PartyID)
		case "grounds":
			seen.first(r, 2)
			r.str(&b.Grounds)
		case "stated_on":
			seen.first(r, 3)
			r.str(&b.StatedOn)
		case "citations":
			seen.first(r, 4)
			r.citations(&b.Citations)
		case "negotiation_id":
			seen.first(r, 5)
			r.str(&b.NegotiationID)
		case "handling":
			seen.first(r, 6)
			r.str(&b.Handling)
		case "round_id":
			seen.first(r, 7)
			r.str(&b.RoundID)
		default:
			if !r.meta(&b.Meta, &seen, k) {
				r.fail()
			}
		}
	}
	return b, r.end()
}

func readEndorsement(s string) (*domain.Endorsement, bool) {
	e := &domain.Endorsement{}
	r := newBodyReader(s)
	r.beginObject()
	var seen seenKeys
	for k, more := r.key(true); more; k, more = r.key(false) {
		switch k {
		case "demand_id":
			seen.first(r, 0)
			r.str(&e.DemandID)
		case "party_id":
			seen.first(r, 1)
			r.str(&e.PartyID)
		case "stated_on":
			seen.first(r, 2)
			r.str(&e.StatedOn)
		case "note":
			seen.first(r, 3)
			r.str(&e.Note)
		case "citations":
			seen.first(r, 4)
			r.citations(&e.Citations)
		case "negotiation_id":
			seen.first(r, 5)
			r.str(&e.NegotiationID)
		case "handling":
			seen.first(r, 6)
			r.str(&e.Handling)
		case "round_id":
			seen.first(r, 7)
			r.str(&e.RoundID)
		default:
			if !r.meta(&e.Meta, &seen, k) {
				r.fail()
			}
		}
	}
	return e, r.end()
}
