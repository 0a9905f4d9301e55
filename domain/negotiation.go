package domain

import (
	"fmt"
	"strings"
)

// Negotiation is one set of talks, with the parties taking part and their roles.
type Negotiation struct {
	Meta
	Title        string            `json:"title"`
	Description  string            `json:"description"`
	State        NegotiationStatus `json:"status"`
	StartedOn    string            `json:"started_on"`
	Participants []Participant     `json:"participants"`
}

// Participant is a party's seat at a negotiation.
type Participant struct {
	PartyID string          `json:"party_id"`
	Role    ParticipantRole `json:"role"`
}

func (*Negotiation) Kind() Kind            { return KindNegotiation }
func (n *Negotiation) Negotiation() string { return n.ID }
func (n *Negotiation) Status() string      { return string(n.State) }
func (n *Negotiation) SearchText() string  { return join(n.Title, n.Description) }

func (n *Negotiation) Refs() []Ref {
	refs := make([]Ref, 0, len(n.Participants))
	for i, p := range n.Participants {
		if p.PartyID != "" {
			refs = append(refs, Ref{Field: fmt.Sprintf("participants[%d].party_id", i), Kind: KindParty, ID: p.PartyID})
		}
	}
	return refs
}

// Role returns the role of a party in the negotiation, "" if it takes no part.
func (n *Negotiation) Role(partyID string) ParticipantRole {
	for _, p := range n.Participants {
		if p.PartyID == partyID {
			return p.Role
		}
	}
	return ""
}

// Principals lists the ids of the principal parties.
func (n *Negotiation) Principals() []string {
	var ids []string
	for _, p := range n.Participants {
		if p.Role == ParticipantPrincipal {
			ids = append(ids, p.PartyID)
		}
	}
	return ids
}

func (n *Negotiation) Normalize() {
	trim(&n.Title)
	trim(&n.Description)
	trim(&n.StartedOn)
	defaultTo(&n.State, negotiationStatuses)
	if n.Participants == nil {
		n.Participants = []Participant{}
	}
	for i := range n.Participants {
		trim(&n.Participants[i].PartyID)
		n.Participants[i].Role = ParticipantRole(strings.TrimSpace(string(n.Participants[i].Role)))
	}
}

func (n *Negotiation) Validate() FieldErrors {
	var c checker
	c.text("title", n.Title, MaxName, true)
	c.text("description", n.Description, MaxText, false)
	checkEnum(&c, "status", n.State, negotiationStatuses)
	c.date("started_on", n.StartedOn, false)
	c.count("participants", len(n.Participants), MaxList)
	seen := map[string]bool{}
	for i, p := range n.Participants {
		field := fmt.Sprintf("participants[%d]", i)
		c.id(field+".party_id", p.PartyID, true)
		if c.required(field+".role", string(p.Role)) && !participantRoles.Has(p.Role) {
			c.errs.Add(field+".role", "must be one of %s", participantRoles)
		}
		if p.PartyID != "" && seen[p.PartyID] {
			c.errs.Add(field+".party_id", "names a party that is already a participant")
		}
		seen[p.PartyID] = true
	}
	return c.errs
}
