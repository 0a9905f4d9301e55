package domain

import "strings"

// Topic is one subject on the table: a row of the matrix.
type Topic struct {
	Meta
	NegotiationID string `json:"negotiation_id"`
	Title         string `json:"title"`
	Description   string `json:"description,omitempty"`
	SortOrder     int    `json:"sort_order"`
	// TermDefinitions are the named terms every party's demands on the
	// topic are compared on.
	TermDefinitions []TermDefinition `json:"term_definitions"`
	// Category is a key of Categories, "" for none.
	Category string `json:"category,omitempty"`
}

func (*Topic) Kind() Kind            { return KindTopic }
func (t *Topic) Negotiation() string { return t.NegotiationID }
func (*Topic) Status() string        { return "" }
func (t *Topic) SearchText() string  { return join(t.Title, t.Description) }

// TitleKey is the case-insensitive uniqueness key within the negotiation.
func (t *Topic) TitleKey() string { return strings.ToLower(t.Title) }

func (t *Topic) Refs() []Ref {
	return nonEmpty([]Ref{{Field: "negotiation_id", Kind: KindNegotiation, ID: t.NegotiationID}})
}

func (t *Topic) Normalize() {
	trim(&t.NegotiationID)
	trim(&t.Title)
	trim(&t.Description)
	t.TermDefinitions = normalizeTermDefinitions(t.TermDefinitions)
	trim(&t.Category)
}

func (t *Topic) Validate() FieldErrors {
	var c checker
	c.id("negotiation_id", t.NegotiationID, true)
	c.text("title", t.Title, MaxName, true)
	c.text("description", t.Description, MaxText, false)
	if t.Category != "" {
		if _, ok := CategoryByKey(t.Category); !ok {
			c.errs.Add("category", "must be one of %s (GET /api/v1/categories)", CategoryKeys().String())
		}
	}
	if t.SortOrder < -1_000_000 || t.SortOrder > 1_000_000 {
		c.errs.Add("sort_order", "must be between -1000000 and 1000000")
	}
	validateTermDefinitions(&c, t.TermDefinitions)
	return c.errs
}
