package domain

import "sort"

// rebuttalsByObjection groups a snapshot's rebuttals by the objection they
// answer, each group by stated_on, then id: the order a thread is read in.
func rebuttalsByObjection(s *Snapshot) map[string][]*Rebuttal {
	out := make(map[string][]*Rebuttal, len(s.Rebuttals))
	for _, r := range s.Rebuttals {
		out[r.ObjectionID] = append(out[r.ObjectionID], r)
	}
	for _, rs := range out {
		sort.SliceStable(rs, func(i, j int) bool {
			if rs[i].StatedOn != rs[j].StatedOn {
				return rs[i].StatedOn < rs[j].StatedOn
			}
			return rs[i].ID < rs[j].ID
		})
	}
	return out
}

// attachRebuttals sets a cell's rebuttals to the answers to its
// objections, in the objections' order.
func attachRebuttals(c *MatrixCell, byObjection map[string][]*Rebuttal) {
	c.Rebuttals = []*Rebuttal{}
	for _, o := range c.Objections {
		c.Rebuttals = append(c.Rebuttals, byObjection[o.ID]...)
	}
}

// RebuttalsOf lists the rebuttals among rs that answer the objection.
func RebuttalsOf(rs []*Rebuttal, objectionID string) []*Rebuttal {
	var out []*Rebuttal
	for _, r := range rs {
		if r.ObjectionID == objectionID {
			out = append(out, r)
		}
	}
	return out
}
