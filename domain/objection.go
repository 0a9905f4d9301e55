package domain

// Objection is a party's refusal of, condition on or reservation about a
// demand, with its grounds.
type Objection struct {
	Meta
	DemandID string          `json:"demand_id"`
	PartyID  string          `json:"party_id"`
	Grounds  string          `json:"grounds"`
	Type     ObjectionKind   `json:"kind"`
	State    ObjectionStatus `json:"status"`
	StatedOn string          `json:"stated_on"`
	// RoundID is the round of the demand's negotiation it was stated in.
	RoundID   string     `json:"round_id,omitempty"`
	Citations []Citation `json:"citations"`
	// Handling is the marking; "" for the negotiation's.
	Handling string `json:"handling,omitempty"`
	// NegotiationID is the demand's negotiation, set by the store; read-only.
	NegotiationID string `json:"negotiation_id"`
}

func (*Objection) Kind() Kind            { return KindObjection }
func (o *Objection) Negotiation() string { return o.NegotiationID }
func (o *Objection) Status() string      { return string(o.State) }
func (o *Objection) SearchText() string  { return join(o.Grounds) }

// OwnHandling is the marking the objection itself gives; "" for the negotiation's.
func (o *Objection) OwnHandling() string { return o.Handling }

// Standing reports whether the objection still stands.
func (o *Objection) Standing() bool { return o.State == ObjectionStanding }

func (o *Objection) Refs() []Ref {
	return nonEmpty([]Ref{
		{Field: "demand_id", Kind: KindDemand, ID: o.DemandID},
		{Field: "party_id", Kind: KindParty, ID: o.PartyID},
		{Field: "round_id", Kind: KindRound, ID: o.RoundID},
	})
}

func (o *Objection) Normalize() {
	for _, s := range []*string{&o.DemandID, &o.PartyID, &o.Grounds, &o.StatedOn, &o.RoundID} {
		trim(s)
	}
	defaultTo(&o.Type, objectionKinds)
	defaultTo(&o.State, objectionStatuses)
	normalizeHandling(&o.Handling)
	normalizeCitations(&o.Citations)
}

func (o *Objection) Validate() FieldErrors {
	var c checker
	c.id("demand_id", o.DemandID, true)
	c.id("party_id", o.PartyID, true)
	c.text("grounds", o.Grounds, MaxText, true)
	checkEnum(&c, "kind", o.Type, objectionKinds)
	checkEnum(&c, "status", o.State, objectionStatuses)
	c.date("stated_on", o.StatedOn, true)
	c.handling("handling", o.Handling)
	c.id("round_id", o.RoundID, false)
	validateCitations(&c, o.Citations)
	return c.errs
}

// Endorsement is a party accepting or backing a demand.
type Endorsement struct {
	Meta
	DemandID string `json:"demand_id"`
	PartyID  string `json:"party_id"`
	StatedOn string `json:"stated_on"`
	Note     string `json:"note,omitempty"`
	// RoundID is the round of the demand's negotiation it was stated in.
	RoundID   string     `json:"round_id,omitempty"`
	Citations []Citation `json:"citations"`
	// Handling is the marking; "" for the negotiation's.
	Handling string `json:"handling,omitempty"`
	// NegotiationID is the demand's negotiation, set by the store; read-only.
	NegotiationID string `json:"negotiation_id"`
}

func (*Endorsement) Kind() Kind            { return KindEndorsement }
func (e *Endorsement) Negotiation() string { return e.NegotiationID }
func (*Endorsement) Status() string        { return "" }
func (e *Endorsement) SearchText() string  { return join(e.Note) }

// OwnHandling is the marking the endorsement itself gives; "" for the negotiation's.
func (e *Endorsement) OwnHandling() string { return e.Handling }

func (e *Endorsement) Refs() []Ref {
	return nonEmpty([]Ref{
		{Field: "demand_id", Kind: KindDemand, ID: e.DemandID},
		{Field: "party_id", Kind: KindParty, ID: e.PartyID},
		{Field: "round_id", Kind: KindRound, ID: e.RoundID},
	})
}

func (e *Endorsement) Normalize() {
	for _, s := range []*string{&e.DemandID, &e.PartyID, &e.StatedOn, &e.Note, &e.RoundID} {
		trim(s)
	}
	normalizeHandling(&e.Handling)
	normalizeCitations(&e.Citations)
}

func (e *Endorsement) Validate() FieldErrors {
	var c checker
	c.id("demand_id", e.DemandID, true)
	c.id("party_id", e.PartyID, true)
	c.date("stated_on", e.StatedOn, true)
	c.text("note", e.Note, MaxText, false)
	c.handling("handling", e.Handling)
	c.id("round_id", e.RoundID, false)
	validateCitations(&c, e.Citations)
	return c.errs
}
