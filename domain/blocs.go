package domain

import (
	"fmt"
	"sort"
	"strings"
)

// Membership is one party's membership of a bloc over a period. Since and
// until are days (YYYY-MM-DD), both included; either may be open. A party
// may belong to several blocs at once, and to one bloc over several
// periods.
type Membership struct {
	PartyID string `json:"party_id"`
	Since   string `json:"since,omitempty"`
	Until   string `json:"until,omitempty"`
}

// ActiveOn reports whether the membership holds on day (YYYY-MM-DD);
// dates in that layout compare as strings.
func (m Membership) ActiveOn(day string) bool {
	return (m.Since == "" || m.Since <= day) && (m.Until == "" || day <= m.Until)
}

func (m Membership) overlaps(o Membership) bool {
	startsBeforeOtherEnds := m.Since == "" || o.Until == "" || m.Since <= o.Until
	endsAfterOtherStarts := m.Until == "" || o.Since == "" || o.Since <= m.Until
	return startsBeforeOtherEnds && endsAfterOtherStarts
}

func normalizeMembers(ms []Membership) {
	for i := range ms {
		trim(&ms[i].PartyID)
		ms[i].PartyID = strings.ToLower(ms[i].PartyID)
		trim(&ms[i].Since)
		trim(&ms[i].Until)
	}
}

// validateMembers checks a bloc's members: only a bloc has any, each a
// party id with a well-formed period, never the bloc itself, and one party
// listed twice only over periods that do not overlap. Cycles through other
// blocs need the stored blocs: see BlocCycle.
func validateMembers(c *checker, p *Party) {
	if len(p.Members) == 0 {
		return
	}
	if p.PartyKind != "bloc" {
		c.errs.Add("members", "only a party of kind bloc has members; this one is %s", humanize(string(p.PartyKind)))
		return
	}
	c.count("members", len(p.Members), MaxMembers)
	periods := map[string][]Membership{}
	for i, m := range p.Members {
		field := fmt.Sprintf("members[%d]", i)
		c.id(field+".party_id", m.PartyID, true)
		c.date(field+".since", m.Since, false)
		c.date(field+".until", m.Until, false)
		if m.Since != "" && m.Until != "" && m.Until < m.Since {
			c.errs.Add(field+".since", "is after until (%s)", m.Until)
		}
		if m.PartyID == "" {
			continue
		}
		if p.ID != "" && m.PartyID == p.ID {
			c.errs.Add(field+".party_id", "is this bloc itself; a bloc cannot contain itself")
			continue
		}
		for _, o := range periods[m.PartyID] {
			if m.overlaps(o) {
				c.errs.Add(field+".party_id", "is already a member over an overlapping period")
				break
			}
		}
		periods[m.PartyID] = append(periods[m.PartyID], m)
	}
}

// BlocGraph maps each bloc's id to the ids of its members, over any period:
// a bloc that ever contained another contains it for the cycle rule.
type BlocGraph map[string][]string

// BlocCycle returns the index of the first member of bloc that leads back
// to bloc through graph (the stored blocs, bloc's own entry ignored), or -1.
// A bloc in its own membership chain would make "who speaks for whom" and
// inherited positions endless.
func BlocCycle(bloc string, members []Membership, graph BlocGraph) int {
	for i, m := range members {
		if m.PartyID == bloc || reaches(graph, m.PartyID, bloc, map[string]bool{}) {
			return i
		}
	}
	return -1
}

func reaches(graph BlocGraph, from, target string, seen map[string]bool) bool {
	if seen[from] {
		return false
	}
	seen[from] = true
	for _, next := range graph[from] {
		if next == target || reaches(graph, next, target, seen) {
			return true
		}
	}
	return false
}

// BlocsOf lists the blocs among parties that count partyID as a member on
// day, ordered by name.
func BlocsOf(partyID string, parties []*Party, day string) []*Party {
	var out []*Party
	for _, b := range parties {
		if b.PartyKind != "bloc" {
			continue
		}
		for _, m := range b.Members {
			if m.PartyID == partyID && (day == "" || m.ActiveOn(day)) {
				out = append(out, b)
				break
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].NameKey() < out[j].NameKey() })
	return out
}

// ResolvePartyNames finds each line's party by name, short name or alias,
// ignoring case: the UI's "paste names, one per line". It returns the ids
// found, in order and without repeats, and the lines that name no party.
func ResolvePartyNames(lines []string, parties []*Party) (ids []string, unknown []string) {
	byName := map[string]string{}
	for _, p := range parties {
		for _, n := range append([]string{p.Name, p.ShortName}, p.Aliases...) {
			if k := strings.ToLower(strings.TrimSpace(n)); k != "" {
				if _, taken := byName[k]; !taken {
					byName[k] = p.ID
				}
			}
		}
	}
	seen := map[string]bool{}
	for _, l := range lines {
		l = strings.TrimSpace(l)
		if l == "" {
			continue
		}
		id, ok := byName[strings.ToLower(l)]
		if !ok {
			unknown = append(unknown, l)
			continue
		}
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	return ids, unknown
}

// BlocMembership is one of a party's memberships of a bloc.
type BlocMembership struct {
	Bloc *Party
	Membership
}

// MembershipsOf lists every membership of partyID in the blocs among
// parties, over any period (a party's page shows the past ones too), by
// bloc name and then by start.
func MembershipsOf(partyID string, parties []*Party) []BlocMembership {
	var out []BlocMembership
	for _, b := range parties {
		if b.PartyKind != PartyKindBloc {
			continue
		}
		for _, m := range b.Members {
			if m.PartyID == partyID {
				out = append(out, BlocMembership{Bloc: b, Membership: m})
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if a, b := out[i].Bloc.NameKey(), out[j].Bloc.NameKey(); a != b {
			return a < b
		}
		return out[i].Since < out[j].Since
	})
	return out
}
