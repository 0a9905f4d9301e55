package ui

import (
	"fmt"
	"strings"

	"github.com/parley/parley/domain"
)

// A bloc's members are edited as lines, "Name | since | until", so that a
// list copied from a group's web page can be pasted whole; a party is
// found by its name, short name, an alias or its id, ignoring case.

// memberLine writes one membership as the textarea holds it.
func memberLine(party, since, until string) string {
	switch {
	case until != "":
		return party + " | " + domain.FormatDay(since) + " | " + domain.FormatDay(until)
	case since != "":
		return party + " | " + domain.FormatDay(since)
	}
	return party
}

// nameBlocMembers replaces the ids stateOf wrote with the parties' names.
func (st *formState) nameBlocMembers(parties []*domain.Party) {
	raw, ok := st.Values["members"]
	if !ok || raw == "" {
		return
	}
	names := make(map[string]string, len(parties))
	for _, p := range parties {
		names[p.ID] = p.Name
	}
	ls := lines(raw)
	for i, l := range ls {
		id, rest, _ := strings.Cut(l, "|")
		if n, ok := names[strings.TrimSpace(id)]; ok {
			ls[i] = strings.TrimSpace(n + " |" + rest)
			if rest == "" {
				ls[i] = n
			}
		}
	}
	st.Values["members"] = strings.Join(ls, "\n")
}

// resolveBlocMembers reads the members textarea against the parties: each
// line's party by name, short name, alias or id, and its days. A name that
// is no party's, or a day that cannot be read, is an error on that member.
func (st *formState) resolveBlocMembers(parties []*domain.Party) {
	st.BlocMembers, st.MemberErrors = nil, nil
	byID := make(map[string]bool, len(parties))
	for _, p := range parties {
		byID[p.ID] = true
	}
	for i, l := range lines(st.Values["members"]) {
		parts := strings.Split(l, "|")
		for len(parts) < 3 {
			parts = append(parts, "")
		}
		field := fmt.Sprintf("members[%d]", i)
		m := domain.Membership{}
		name := strings.TrimSpace(parts[0])
		if id := strings.ToLower(name); byID[id] {
			m.PartyID = id
		} else if ids, unknown := domain.ResolvePartyNames([]string{name}, parties); len(unknown) == 0 && len(ids) == 1 {
			m.PartyID = ids[0]
		} else {
			st.MemberErrors.Add(field+".party_id", "no party is named or also known as “%s”; add it as a party first", name)
			// A placeholder keeps the following members' numbers in line.
			m.PartyID = "00000000-0000-0000-0000-000000000000"
		}
		var err error
		if m.Since, err = formDay(parts[1]); err != nil {
			st.MemberErrors.Add(field+".since", "%s", err.Error())
		}
		if m.Until, err = formDay(parts[2]); err != nil {
			st.MemberErrors.Add(field+".until", "%s", err.Error())
		}
		st.BlocMembers = append(st.BlocMembers, m)
	}
}

// partyNameOptions are the choices of the members' pick list: every
// party's name, with its short name as a hint.
func partyNameOptions(parties []*domain.Party) []option {
	out := make([]option, 0, len(parties))
	for _, p := range parties {
		label := p.Name
		if p.ShortName != "" {
			label = p.ShortName
		}
		out = append(out, option{Value: p.Name, Label: label})
	}
	return out
}
