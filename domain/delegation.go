package domain

import "fmt"

// Delegation is who a party sends to a round.
type Delegation struct {
	Meta
	RoundID   string          `json:"round_id"`
	PartyID   string          `json:"party_id"`
	HeadName  string          `json:"head_name"`
	HeadTitle string          `json:"head_title"`
	Level     DelegationLevel `json:"level"`
	Members   []Member        `json:"members"`
	Notes     string          `json:"notes"`
	// NegotiationID is the round's negotiation, set by the store; read-only.
	NegotiationID string `json:"negotiation_id"`
}

// Member is one person in a delegation.
type Member struct {
	Name  string `json:"name"`
	Title string `json:"title"`
}

func (*Delegation) Kind() Kind            { return KindDelegation }
func (d *Delegation) Negotiation() string { return d.NegotiationID }
func (*Delegation) Status() string        { return "" }
func (d *Delegation) SearchText() string {
	s := join(d.HeadName, d.HeadTitle, d.Notes)
	for _, m := range d.Members {
		s += " " + join(m.Name, m.Title)
	}
	return s
}

func (d *Delegation) Refs() []Ref {
	return nonEmpty([]Ref{
		{Field: "round_id", Kind: KindRound, ID: d.RoundID},
		{Field: "party_id", Kind: KindParty, ID: d.PartyID},
	})
}

func (d *Delegation) Normalize() {
	for _, s := range []*string{&d.RoundID, &d.PartyID, &d.HeadName, &d.HeadTitle, &d.Notes} {
		trim(s)
	}
	defaultTo(&d.Level, delegationLevels)
	if d.Members == nil {
		d.Members = []Member{}
	}
	for i := range d.Members {
		trim(&d.Members[i].Name)
		trim(&d.Members[i].Title)
	}
}

func (d *Delegation) Validate() FieldErrors {
	var c checker
	c.id("round_id", d.RoundID, true)
	c.id("party_id", d.PartyID, true)
	c.text("head_name", d.HeadName, MaxName, false)
	c.text("head_title", d.HeadTitle, MaxShort, false)
	checkEnum(&c, "level", d.Level, delegationLevels)
	c.text("notes", d.Notes, MaxText, false)
	c.count("members", len(d.Members), MaxList)
	for i, m := range d.Members {
		c.text(fmt.Sprintf("members[%d].name", i), m.Name, MaxName, true)
		c.text(fmt.Sprintf("members[%d].title", i), m.Title, MaxShort, false)
	}
	return c.errs
}
