package domain

import (
	"fmt"
	"strings"
)

// Negotiation is one set of talks, with the parties taking part and their roles.
type Negotiation struct {
	Meta
	Title        string            `json:"title"`
	Description  string            `json:"description,omitempty"`
	State        NegotiationStatus `json:"status"`
	StartedOn    string            `json:"started_on,omitempty"`
	Participants []Participant     `json:"participants"`
	// Handling is the negotiation's marking, and that of everything in it
	// that gives none (see HandlingMarkings).
	Handling string `json:"handling"`
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

// OwnHandling is the marking the negotiation itself gives; "" for the negotiation's.
func (n *Negotiation) OwnHandling() string { return n.Handling }

func (n *Negotiation) Refs() []Ref {
	refs := make([]Ref, 0, len(n.Participants))
	for i, p := range n.Participants {
		if p.PartyID != "" {
			refs = append(refs, Ref{Field: fmt.Sprintf("participants[%d].party_id", i), Kind: KindParty, ID: p.PartyID})
		}
	}
	return refs
}

// Role returns the first role of a party in the negotiation, "" if it
// takes no part.
func (n *Negotiation) Role(partyID string) ParticipantRole {
	for _, p := range n.Participants {
		if p.PartyID == partyID {
			return p.Role
		}
	}
	return ""
}

// Roles returns every role a party holds in the negotiation, in the order
// listed: Qatar as host and mediator.
func (n *Negotiation) Roles(partyID string) []ParticipantRole {
	var roles []ParticipantRole
	for _, p := range n.Participants {
		if p.PartyID == partyID {
			roles = append(roles, p.Role)
		}
	}
	return roles
}

// RolesText is a party's roles in words, "host, mediator"; reports and
// headers show it.
func (n *Negotiation) RolesText(partyID string) string {
	var words []string
	for _, r := range n.Roles(partyID) {
		words = append(words, humanize(string(r)))
	}
	return strings.Join(words, ", ")
}

// HasRole reports whether the party holds that role in the negotiation.
func (n *Negotiation) HasRole(partyID string, role ParticipantRole) bool {
	for _, p := range n.Participants {
		if p.PartyID == partyID && p.Role == role {
			return true
		}
	}
	return false
}

// ParticipantIDs lists each participating party once, in the order it
// first appears.
func (n *Negotiation) ParticipantIDs() []string {
	seen := make(map[string]bool, len(n.Participants))
	ids := make([]string, 0, len(n.Participants))
	for _, p := range n.Participants {
		if !seen[p.PartyID] {
			seen[p.PartyID] = true
			ids = append(ids, p.PartyID)
		}
	}
	return ids
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
	normalizeHandling(&n.Handling)
	if n.Handling == "" {
		n.Handling = DefaultHandling
	}
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
	c.handling("handling", n.Handling)
	c.date("started_on", n.StartedOn, false)
	c.count("participants", len(n.Participants), MaxParticipants)
	// A party may hold several roles, each once: a repeated (party, role)
	// pair says nothing new and is refused rather than silently merged.
	seen := map[Participant]bool{}
	for i, p := range n.Participants {
		field := fmt.Sprintf("participants[%d]", i)
		c.id(field+".party_id", p.PartyID, true)
		if c.required(field+".role", string(p.Role)) && !participantRoles.Has(p.Role) {
			c.errs.Add(field+".role", "must be one of %s", participantRoles)
		}
		if p.PartyID != "" && p.Role != "" && seen[p] {
			c.errs.Add(field+".role", "the party already holds the role %s in this negotiation", p.Role)
		}
		seen[p] = true
	}
	return c.errs
}
