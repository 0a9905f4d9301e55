package domain

import (
	"fmt"
	"strings"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// FoldName is the key under which two names count as the same: spaces
// collapsed, Unicode compatibility forms unified (NFKC) and full case
// folding, so that "STRASSE" meets "Straße" and "ＲＦ" meets "rf".
func FoldName(s string) string {
	s = strings.Join(strings.Fields(norm.NFKC.String(s)), " ")
	return norm.NFKC.String(cases.Fold().String(s))
}

// NameKey is one folded name a party goes by, with the field it came from.
type NameKey struct {
	Field string // "name" or "aliases[i]"
	Text  string // as typed
	Key   string // FoldName(Text)
}

// NameKeys lists the party's name and aliases folded, each key once.
func (p *Party) NameKeys() []NameKey {
	keys := make([]NameKey, 0, 1+len(p.Aliases))
	seen := map[string]bool{}
	add := func(field, text string) {
		k := FoldName(text)
		if k == "" || seen[k] {
			return
		}
		seen[k] = true
		keys = append(keys, NameKey{Field: field, Text: text, Key: k})
	}
	add("name", p.Name)
	for i, a := range p.Aliases {
		add(fmt.Sprintf("aliases[%d]", i), a)
	}
	return keys
}

// dedupeAliases drops aliases that fold to the party's name or to an
// earlier alias: they name nothing new.
func (p *Party) dedupeAliases() {
	seen := map[string]bool{FoldName(p.Name): true}
	out := p.Aliases[:0]
	for _, a := range p.Aliases {
		k := FoldName(a)
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, a)
	}
	p.Aliases = out
}

// Conflicting names the existing record a duplicate collides with, so that
// a client can show it and link to it.
type Conflicting struct {
	Kind Kind   `json:"kind"`
	ID   string `json:"id"`
	Name string `json:"name"`
}
