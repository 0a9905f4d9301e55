package domain

// Objection is a party's refusal of, condition on or reservation about a
// demand, with its grounds.
type Objection struct {
	Meta
	DemandID  string          `json:"demand_id"`
	PartyID   string          `json:"party_id"`
	Grounds   string          `json:"grounds"`
	Type      ObjectionKind   `json:"kind"`
	State     ObjectionStatus `json:"status"`
	StatedOn  string          `json:"stated_on"`
	Citations []Citation      `json:"citations"`
	// NegotiationID is the demand's negotiation, set by the store; read-only.
	NegotiationID string `json:"negotiation_id"`
}

func (*Objection) Kind() Kind            { return KindObjection }
func (o *Objection) Negotiation() string { return o.NegotiationID }
func (o *Objection) Status() string      { return string(o.State) }
func (o *Objection) SearchText() string  { return join(o.Grounds) }

// Standing reports whether the objection still stands.
func (o *Objection) Standing() bool { return o.State == ObjectionStanding }

func (o *Objection) Refs() []Ref {
	return nonEmpty([]Ref{
		{Field: "demand_id", Kind: KindDemand, ID: o.DemandID},
		{Field: "party_id", Kind: KindParty, ID: o.PartyID},
	})
}

func (o *Objection) Normalize() {
	for _, s := range []*string{&o.DemandID, &o.PartyID, &o.Grounds, &o.StatedOn} {
		trim(s)
	}
	defaultTo(&o.Type, objectionKinds)
	defaultTo(&o.State, objectionStatuses)
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
	validateCitations(&c, o.Citations)
	return c.errs
}

// Endorsement is a party accepting or backing a demand.
type Endorsement struct {
	Meta
	DemandID  string     `json:"demand_id"`
	PartyID   string     `json:"party_id"`
	StatedOn  string     `json:"stated_on"`
	Note      string     `json:"note"`
	Citations []Citation `json:"citations"`
	// NegotiationID is the demand's negotiation, set by the store; read-only.
	NegotiationID string `json:"negotiation_id"`
}

func (*Endorsement) Kind() Kind            { return KindEndorsement }
func (e *Endorsement) Negotiation() string { return e.NegotiationID }
func (*Endorsement) Status() string        { return "" }
func (e *Endorsement) SearchText() string  { return join(e.Note) }

func (e *Endorsement) Refs() []Ref {
	return nonEmpty([]Ref{
		{Field: "demand_id", Kind: KindDemand, ID: e.DemandID},
		{Field: "party_id", Kind: KindParty, ID: e.PartyID},
	})
}

func (e *Endorsement) Normalize() {
	for _, s := range []*string{&e.DemandID, &e.PartyID, &e.StatedOn, &e.Note} {
		trim(s)
	}
	normalizeCitations(&e.Citations)
}

func (e *Endorsement) Validate() FieldErrors {
	var c checker
	c.id("demand_id", e.DemandID, true)
	c.id("party_id", e.PartyID, true)
	c.date("stated_on", e.StatedOn, true)
	c.text("note", e.Note, MaxText, false)
	validateCitations(&c, e.Citations)
	return c.errs
}
