package positions

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/parley/parley/domain"
)

// fold is how names are matched: in any case, with runs of spaces as one.
func fold(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }

// demandTarget is a demand an objection or endorsement can name: one
// already stored, or one of the same file.
type demandTarget struct {
	id, partyID, partyName, title string
}

// index finds the negotiation's participants, topics, rounds and demands
// by name, in memory: an import of thousands of rows reads the
// negotiation once.
type index struct {
	parties map[string][]*domain.Party
	topics  map[string][]*domain.Topic
	rounds  map[string][]*domain.Round
	// roundTitles are the rounds' titles in the negotiation's order, to
	// name in a message what would work.
	roundTitles []string
	roundTitle  map[string]string // round id -> title
	demands     map[string][]demandTarget
	names       map[string]string // party id -> name
}

func newIndex(snap *domain.Snapshot) *index {
	ix := &index{parties: map[string][]*domain.Party{}, topics: map[string][]*domain.Topic{},
		rounds: map[string][]*domain.Round{}, roundTitle: map[string]string{}, demands: map[string][]demandTarget{}, names: map[string]string{}}
	takesPart := map[string]bool{}
	for _, p := range snap.Negotiation.Participants {
		takesPart[p.PartyID] = true
	}
	for _, p := range snap.Parties {
		ix.names[p.ID] = p.Name
		if !takesPart[p.ID] {
			continue
		}
		seen := map[string]bool{}
		for _, n := range append([]string{p.Name, p.ShortName}, p.Aliases...) {
			if k := fold(n); k != "" && !seen[k] {
				seen[k] = true
				ix.parties[k] = append(ix.parties[k], p)
			}
		}
	}
	for _, t := range snap.Topics {
		ix.topics[fold(t.Title)] = append(ix.topics[fold(t.Title)], t)
	}
	for _, r := range snap.Rounds {
		ix.rounds[fold(r.Title)] = append(ix.rounds[fold(r.Title)], r)
		ix.roundTitles = append(ix.roundTitles, r.Title)
		ix.roundTitle[r.ID] = r.Title
	}
	for _, d := range snap.Demands {
		ix.addDemand(demandTarget{id: d.ID, partyID: d.PartyID, partyName: ix.names[d.PartyID], title: d.Title})
	}
	return ix
}

func (ix *index) addDemand(d demandTarget) {
	ix.demands[fold(d.title)] = append(ix.demands[fold(d.title)], d)
}

// party finds a participant by name, short name or alias.
func (ix *index) party(name string) (*domain.Party, string) {
	found := ix.parties[fold(name)]
	switch len(found) {
	case 0:
		return nil, fmt.Sprintf("no party of this negotiation is named or also known as %q", name)
	case 1:
		return found[0], ""
	}
	names := make([]string, len(found))
	for i, p := range found {
		names[i] = p.Name
	}
	sort.Strings(names)
	return nil, fmt.Sprintf("%q names more than one party (%s); write the party's full name", name, strings.Join(names, ", "))
}

func (ix *index) topic(title string) (*domain.Topic, string) {
	found := ix.topics[fold(title)]
	if len(found) != 1 {
		return nil, fmt.Sprintf("no topic of this negotiation is titled %q", title)
	}
	return found[0], ""
}

func (ix *index) round(title string) (string, string) {
	found := ix.rounds[fold(title)]
	switch len(found) {
	case 0:
		return "", fmt.Sprintf("no round of this negotiation is titled %q%s", title, ix.roundChoices())
	case 1:
		return found[0].ID, ""
	}
	return "", fmt.Sprintf("%d rounds are titled %q; give one a distinct title first", len(found), title)
}

// demand finds a demand by its title, or, where several share it, by
// "PARTY: TITLE".
func (ix *index) demand(cell string) (demandTarget, string) {
	found := ix.demands[fold(cell)]
	if len(found) == 0 {
		if partyName, title, ok := strings.Cut(cell, ":"); ok {
			if p, _ := ix.party(partyName); p != nil {
				for _, d := range ix.demands[fold(title)] {
					if d.partyID == p.ID {
						found = append(found, d)
					}
				}
			}
		}
	}
	switch len(found) {
	case 0:
		return demandTarget{}, fmt.Sprintf("no demand of this negotiation or of this file is titled %q", cell)
	case 1:
		return found[0], ""
	}
	by := make([]string, len(found))
	for i, d := range found {
		by[i] = d.partyName
	}
	sort.Strings(by)
	return demandTarget{}, fmt.Sprintf("%d demands are titled %q (by %s); write PARTY: TITLE, e.g. %q", len(found), cell, strings.Join(by, ", "), by[0]+": "+found[0].title)
}

// maxNamedRounds is how many round titles a message lists; beyond that
// the analyst is sent to the negotiation's rounds.
const maxNamedRounds = 12

// roundChoices says which round titles would work, for a message.
func (ix *index) roundChoices() string {
	switch n := len(ix.roundTitles); {
	case n == 0:
		return "; the negotiation has no rounds yet: add them first, or leave this cell empty"
	case n <= maxNamedRounds:
		quoted := make([]string, n)
		for i, t := range ix.roundTitles {
			quoted[i] = strconv.Quote(t)
		}
		return "; its rounds are " + strings.Join(quoted, ", ")
	default:
		return fmt.Sprintf("; it has %d rounds: copy a title from the negotiation's page, or use the XLSX template's list", n)
	}
}
