package domain

import (
	"fmt"
	"strings"
)

// Party is someone at or around the table: a state, an organization, a bloc,
// an armed group or a person.
type Party struct {
	Meta
	Name      string    `json:"name"`
	ShortName string    `json:"short_name"`
	Aliases   []string  `json:"aliases"`
	PartyKind PartyKind `json:"kind"`
	Notes     string    `json:"notes"`
}

func (*Party) Kind() Kind          { return KindParty }
func (*Party) Negotiation() string { return "" }
func (*Party) Status() string      { return "" }
func (*Party) Refs() []Ref         { return nil }

// SearchText finds a party by its name, short name or any alias.
func (p *Party) SearchText() string {
	return join(p.Name, p.ShortName, strings.Join(p.Aliases, " "))
}

// NameKey is the case-insensitive uniqueness key of a party's name.
func (p *Party) NameKey() string { return strings.ToLower(p.Name) }

// Label is the name to show in tight spaces: the short name if there is one.
func (p *Party) Label() string {
	if p.ShortName != "" {
		return p.ShortName
	}
	return p.Name
}

func (p *Party) Normalize() {
	trim(&p.Name)
	trim(&p.ShortName)
	trim(&p.Notes)
	defaultTo(&p.PartyKind, partyKinds)
	aliases := make([]string, 0, len(p.Aliases))
	for _, a := range p.Aliases {
		if a = strings.TrimSpace(a); a != "" {
			aliases = append(aliases, a)
		}
	}
	p.Aliases = aliases
}

func (p *Party) Validate() FieldErrors {
	var c checker
	c.text("name", p.Name, MaxName, true)
	c.text("short_name", p.ShortName, MaxName, false)
	checkEnum(&c, "kind", p.PartyKind, partyKinds)
	c.text("notes", p.Notes, MaxText, false)
	c.count("aliases", len(p.Aliases), MaxList)
	for i, a := range p.Aliases {
		c.maxLen(fmt.Sprintf("aliases[%d]", i), a, MaxName)
	}
	return c.errs
}
