package domain

// Rebuttal is a party's answer to an objection, as in argument maps: the
// objection's grounds met by grounds of the answering party. It has no
// status of its own: whether the objection still stands is the objection's
// status alone, so a rebuttal never changes a topic's state.
type Rebuttal struct {
	Meta
	ObjectionID string `json:"objection_id"`
	PartyID     string `json:"party_id"`
	Grounds     string `json:"grounds"`
	StatedOn    string `json:"stated_on"`
	// RoundID is the round of the objection's negotiation it was stated in.
	RoundID   string     `json:"round_id,omitempty"`
	Citations []Citation `json:"citations"`
	// Handling is the marking; "" for the negotiation's.
	Handling string `json:"handling,omitempty"`
	// NegotiationID is the objection's negotiation, set by the store;
	// read-only.
	NegotiationID string `json:"negotiation_id"`
}

func (*Rebuttal) Kind() Kind            { return KindRebuttal }
func (r *Rebuttal) Negotiation() string { return r.NegotiationID }
func (*Rebuttal) Status() string        { return "" }
func (r *Rebuttal) SearchText() string  { return join(r.Grounds) }

// OwnHandling is the marking the rebuttal itself gives; "" for the negotiation's.
func (r *Rebuttal) OwnHandling() string { return r.Handling }

func (r *Rebuttal) Refs() []Ref {
	return nonEmpty([]Ref{
		{Field: "objection_id", Kind: KindObjection, ID: r.ObjectionID},
		{Field: "party_id", Kind: KindParty, ID: r.PartyID},
		{Field: "round_id", Kind: KindRound, ID: r.RoundID},
	})
}

func (r *Rebuttal) Normalize() {
	for _, s := range []*string{&r.ObjectionID, &r.PartyID, &r.Grounds, &r.StatedOn, &r.RoundID} {
		trim(s)
	}
	normalizeHandling(&r.Handling)
	normalizeCitations(&r.Citations)
}

func (r *Rebuttal) Validate() FieldErrors {
	var c checker
	c.id("objection_id", r.ObjectionID, true)
	c.id("party_id", r.PartyID, true)
	c.text("grounds", r.Grounds, MaxText, true)
	c.date("stated_on", r.StatedOn, true)
	c.handling("handling", r.Handling)
	c.id("round_id", r.RoundID, false)
	validateCitations(&c, r.Citations)
	return c.errs
}
