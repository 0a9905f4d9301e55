package domain

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"unicode/utf8"
)

// Demand is what one party asks for on one topic.
type Demand struct {
	Meta
	NegotiationID string         `json:"negotiation_id"`
	PartyID       string         `json:"party_id"`
	TopicID       string         `json:"topic_id"`
	Title         string         `json:"title"`
	Details       string         `json:"details,omitempty"`
	Terms         map[string]any `json:"terms"`
	// TermOrder is the order the analyst gave the terms in, which every
	// view keeps (a JSON object, and so Terms, has none). Left out, it is
	// the order the terms object was written in; keys it lacks follow in
	// alphabetical order, and keys no term has are dropped.
	TermOrder []string       `json:"term_order"`
	State     DemandStatus   `json:"status"`
	Priority  DemandPriority `json:"priority"`
	StatedOn  string         `json:"stated_on"`
	RoundID   string         `json:"round_id,omitempty"`
	Citations []Citation     `json:"citations"`
	// Handling is the demand's marking; "" for the negotiation's.
	Handling string `json:"handling,omitempty"`
	// RespondsToID is another demand of the same topic this one answers:
	// a counter-demand, or a mediator's bridging proposal.
	RespondsToID string `json:"responds_to_id,omitempty"`
}

func (*Demand) Kind() Kind            { return KindDemand }
func (d *Demand) Negotiation() string { return d.NegotiationID }
func (d *Demand) Status() string      { return string(d.State) }
func (d *Demand) SearchText() string  { return join(d.Title, d.Details) }

// OwnHandling is the marking the demand itself gives; "" for the negotiation's.
func (d *Demand) OwnHandling() string { return d.Handling }

// Live reports whether the demand is still on the table: not withdrawn and
// not rejected.
func (d *Demand) Live() bool { return d.State != DemandWithdrawn && d.State != DemandRejected }

// Settled reports whether the demand is agreed or fulfilled.
func (d *Demand) Settled() bool { return d.State == DemandAgreed || d.State == DemandFulfilled }

func (d *Demand) Refs() []Ref {
	return nonEmpty([]Ref{
		{Field: "negotiation_id", Kind: KindNegotiation, ID: d.NegotiationID},
		{Field: "party_id", Kind: KindParty, ID: d.PartyID},
		{Field: "topic_id", Kind: KindTopic, ID: d.TopicID},
		{Field: "round_id", Kind: KindRound, ID: d.RoundID},
		{Field: "responds_to_id", Kind: KindDemand, ID: d.RespondsToID},
	})
}

func (d *Demand) Normalize() {
	for _, s := range []*string{&d.NegotiationID, &d.PartyID, &d.TopicID, &d.Title, &d.Details, &d.StatedOn, &d.RoundID, &d.RespondsToID} {
		trim(s)
	}
	defaultTo(&d.State, demandStatuses)
	defaultTo(&d.Priority, demandPriorities)
	if d.Terms == nil {
		d.Terms = map[string]any{}
	}
	d.TermOrder = d.OrderedTermKeys()
	normalizeHandling(&d.Handling)
	normalizeCitations(&d.Citations)
}

func (d *Demand) Validate() FieldErrors {
	var c checker
	c.id("negotiation_id", d.NegotiationID, true)
	c.id("party_id", d.PartyID, true)
	c.id("topic_id", d.TopicID, true)
	c.id("round_id", d.RoundID, false)
	c.id("responds_to_id", d.RespondsToID, false)
	if d.RespondsToID != "" && d.RespondsToID == d.ID {
		c.errs.Add("responds_to_id", "cannot be the demand itself")
	}
	c.text("title", d.Title, MaxName, true)
	c.text("details", d.Details, MaxText, false)
	checkEnum(&c, "status", d.State, demandStatuses)
	checkEnum(&c, "priority", d.Priority, demandPriorities)
	c.handling("handling", d.Handling)
	c.date("stated_on", d.StatedOn, true)
	validateTerms(&c, d.Terms)
	validateCitations(&c, d.Citations)
	return c.errs
}

// validateTerms keeps terms a flat object of strings, numbers and booleans,
// so they can be lined up in the matrix and written to a spreadsheet cell.
func validateTerms(c *checker, terms map[string]any) {
	c.count("terms", len(terms), MaxList)
	for _, k := range TermKeys(terms) {
		field := "terms." + k
		if k == "" || utf8.RuneCountInString(k) > MaxTermKey {
			c.errs.Add("terms", "term names must be 1 to %d characters", MaxTermKey)
			continue
		}
		switch v := terms[k].(type) {
		case string:
			c.maxLen(field, v, MaxTermText)
		case bool:
		case float64:
			if math.IsNaN(v) || math.IsInf(v, 0) {
				c.errs.Add(field, "must be a finite number")
			}
		case json.Number, int, int64, int32:
			// Go callers (the demo, the UI's form parser) may build terms
			// with integers; JSON clients always send float64.
		case map[string]any:
			// Money, the one structured value a defined term stores.
			if _, ok := parseStoredMoney(v); !ok {
				c.errs.Add(field, "an object must be money: {\"amount\": \"1200000\", \"currency\": \"USD\"}")
			}
		default:
			c.errs.Add(field, "must be a string, a number, a boolean or money")
		}
	}
}

// OrderedTermKeys lists the demand's term names in the analyst's order:
// TermOrder's names that are terms, once each, then any other term in
// alphabetical order (a demand stored before terms kept their order has
// no TermOrder, and reads alphabetically).
func (d *Demand) OrderedTermKeys() []string {
	keys := make([]string, 0, len(d.Terms))
	seen := make(map[string]bool, len(d.Terms))
	for _, k := range d.TermOrder {
		if _, ok := d.Terms[k]; ok && !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	for _, k := range TermKeys(d.Terms) {
		if !seen[k] {
			keys = append(keys, k)
		}
	}
	return keys
}

// keepGivenOrder sets a decoded demand's TermOrder, when the body gave
// none, to the order its terms object was written in: encoding/json reads
// an object into a map, which forgets it.
func keepGivenOrder(r Resource, fields map[string]json.RawMessage) {
	d, ok := r.(*Demand)
	if !ok || d.TermOrder != nil {
		return
	}
	if raw, ok := fields["term_order"]; ok && !bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
		return
	}
	d.TermOrder = objectKeys(fields["terms"])
}

// objectKeys lists the keys of a JSON object in the order they are
// written; nil for anything that is not an object.
func objectKeys(raw json.RawMessage) []string {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil
	}
	keys := []string{}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil
		}
		k, _ := t.(string)
		keys = append(keys, k)
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return nil
		}
	}
	return keys
}

// TermKeys returns the term names in alphabetical order; a demand's own
// order is its OrderedTermKeys.
func TermKeys(terms map[string]any) []string {
	keys := make([]string, 0, len(terms))
	for k := range terms {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// FormatTerm writes a term's value for people: numbers without a trailing
// ".0", booleans as yes and no.
func FormatTerm(v any) string {
	switch x := v.(type) {
	case bool:
		if x {
			return "yes"
		}
		return "no"
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1e15 {
			return fmt.Sprintf("%d", int64(x))
		}
		return fmt.Sprintf("%g", x)
	case int, int64, int32:
		return fmt.Sprintf("%d", x)
	case string:
		return x
	case nil:
		return ""
	case map[string]any:
		if m, ok := parseStoredMoney(x); ok {
			return FormatMoney(m)
		}
	}
	return fmt.Sprint(v)
}
