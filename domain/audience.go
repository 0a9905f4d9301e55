package domain

// ForAudience is the part of a snapshot that may go to audience: every
// demand, objection, rebuttal and endorsement marked above it is left
// out, with what hangs on a left-out demand or objection (a rebuttal of a
// left-out objection answers nothing the audience may see), every citation marked above it is
// dropped from its claim, the negotiation's description goes when the
// negotiation itself is marked above it, and a party that only a
// left-out claim named goes too. Views computed from what remains
// (states, counts, gaps) then cannot betray what was left out. The
// frame of the talks (title, participants, rounds, delegations, topics)
// carries no marking of its own and stays. s is not changed.
func ForAudience(s *Snapshot, audience string) *Snapshot {
	if audience == "" {
		return s
	}
	out := *s
	n := *s.Negotiation
	if !SharableWith(n.Handling, audience) {
		n.Description = ""
	}
	out.Negotiation = &n
	visible := func(own string) bool { return SharableWith(ResolveHandling(own, s.Negotiation.Handling), audience) }
	cites := func(cs []Citation) []Citation {
		kept := make([]Citation, 0, len(cs))
		for _, c := range cs {
			if visible(c.Handling) {
				kept = append(kept, c)
			}
		}
		return kept
	}
	named := map[string]bool{}
	demands := map[string]bool{}
	out.Demands = nil
	for _, d := range s.Demands {
		if visible(d.Handling) {
			c := *d
			c.Citations = cites(d.Citations)
			out.Demands = append(out.Demands, &c)
			demands[d.ID], named[d.PartyID] = true, true
		}
	}
	objections := map[string]bool{}
	out.Objections = nil
	for _, o := range s.Objections {
		if demands[o.DemandID] && visible(o.Handling) {
			c := *o
			c.Citations = cites(o.Citations)
			out.Objections = append(out.Objections, &c)
			objections[o.ID], named[o.PartyID] = true, true
		}
	}
	out.Rebuttals = nil
	for _, r := range s.Rebuttals {
		if objections[r.ObjectionID] && visible(r.Handling) {
			c := *r
			c.Citations = cites(r.Citations)
			out.Rebuttals = append(out.Rebuttals, &c)
			named[r.PartyID] = true
		}
	}
	out.Endorsements = nil
	for _, e := range s.Endorsements {
		if demands[e.DemandID] && visible(e.Handling) {
			c := *e
			c.Citations = cites(e.Citations)
			out.Endorsements = append(out.Endorsements, &c)
			named[e.PartyID] = true
		}
	}
	out.Parties = framedParties(s, named)
	return &out
}

// framedParties keeps the participants, the parties rounds and
// delegations name, and those in named.
func framedParties(s *Snapshot, named map[string]bool) []*Party {
	for _, p := range s.Negotiation.Participants {
		named[p.PartyID] = true
	}
	for _, r := range s.Rounds {
		named[r.HostPartyID] = true
	}
	for _, d := range s.Delegations {
		named[d.PartyID] = true
	}
	var out []*Party
	for _, p := range s.Parties {
		if named[p.ID] {
			out = append(out, p)
		}
	}
	return out
}

// SnapshotHandling is the highest marking of what a snapshot holds: its
// claims and their citations, and the negotiation's own where its text
// is there. With nothing marked left, it is the audience the frame was
// released to, or the negotiation's marking.
func SnapshotHandling(s *Snapshot, audience string) string {
	neg := s.Negotiation.Handling
	var marks []string
	if SharableWith(ResolveHandling(neg, ""), audience) {
		marks = append(marks, ResolveHandling(neg, ""))
	}
	add := func(own string, cs []Citation) {
		marks = append(marks, ResolveHandling(own, neg))
		for _, c := range cs {
			marks = append(marks, ResolveHandling(c.Handling, neg))
		}
	}
	for _, d := range s.Demands {
		add(d.Handling, d.Citations)
	}
	for _, o := range s.Objections {
		add(o.Handling, o.Citations)
	}
	for _, r := range s.Rebuttals {
		add(r.Handling, r.Citations)
	}
	for _, e := range s.Endorsements {
		add(e.Handling, e.Citations)
	}
	if h := HighestHandling(marks...); h != "" {
		return h
	}
	return ResolveHandling(audience, neg)
}

// RevisionsForAudience keeps the revisions of what a filtered snapshot
// still holds: a left-out claim leaves no trace in the timeline either.
func RevisionsForAudience(revs []Revision, kept *Snapshot) []Revision {
	ids := map[string]bool{}
	for _, d := range kept.Demands {
		ids[d.ID] = true
	}
	for _, o := range kept.Objections {
		ids[o.ID] = true
	}
	for _, r := range kept.Rebuttals {
		ids[r.ID] = true
	}
	for _, e := range kept.Endorsements {
		ids[e.ID] = true
	}
	out := make([]Revision, 0, len(revs))
	for _, r := range revs {
		switch r.ResourceType {
		case KindDemand, KindObjection, KindRebuttal, KindEndorsement:
			if !ids[r.ResourceID] {
				continue
			}
		}
		out = append(out, r)
	}
	return out
}
