package domain

// TopicStateOf computes a topic's state from its demands and the objections and
// endorsements made to them, as the contract defines it. Only live demands
// (neither withdrawn nor rejected) count:
//   - agreed when every live demand is agreed or fulfilled;
//   - else contested when any live demand has a standing objection;
//   - else convergent when every principal either makes or endorses each
//     live demand;
//   - else open, which is also the state of a topic with no live demand.
//
// Objections and endorsements of demands not in demands are ignored, so a
// caller may pass a whole negotiation's. A negotiation without principals
// has nobody to converge, so its topics are never convergent.
func TopicStateOf(demands []*Demand, objections []*Objection, endorsements []*Endorsement, principals []string) TopicState {
	live := make(map[string]*Demand, len(demands))
	settled := true
	for _, d := range demands {
		if d.Live() {
			live[d.ID] = d
			settled = settled && d.Settled()
		}
	}
	if len(live) == 0 {
		return StateOpen
	}
	if settled {
		return StateAgreed
	}
	for _, o := range objections {
		if o.Standing() && live[o.DemandID] != nil {
			return StateContested
		}
	}
	if len(principals) == 0 {
		return StateOpen
	}
	// backers[demand][party] is true when the party makes or endorses it.
	backers := make(map[string]map[string]bool, len(live))
	for id, d := range live {
		backers[id] = map[string]bool{d.PartyID: true}
	}
	for _, e := range endorsements {
		if b := backers[e.DemandID]; b != nil {
			b[e.PartyID] = true
		}
	}
	for _, b := range backers {
		for _, p := range principals {
			if !b[p] {
				return StateOpen
			}
		}
	}
	return StateConvergent
}
