package domain

// SnapshotIndex is a snapshot indexed once for the views built on it
// outside this package (the status report): who said what on which topic,
// in the order every view lists it.
type SnapshotIndex struct{ ix *snapshotIndex }

// IndexSnapshot indexes s; s must not change while the index is in use.
func IndexSnapshot(s *Snapshot) SnapshotIndex { return SnapshotIndex{indexSnapshot(s)} }

// Snapshot is the indexed snapshot.
func (x SnapshotIndex) Snapshot() *Snapshot { return x.ix.s }

// Topics are the snapshot's topics in their display order.
func (x SnapshotIndex) Topics() []*Topic { return x.ix.topics }

// Round is the snapshot's round id, nil if it has none by that id.
func (x SnapshotIndex) Round(id string) *Round { return x.ix.rounds[id] }

// TopicDemands are a topic's demands by stated_on, then id.
func (x SnapshotIndex) TopicDemands(topicID string) []*Demand { return x.ix.demandsByTopic[topicID] }

// Objections are the objections to a demand, as the snapshot lists them.
func (x SnapshotIndex) Objections(demandID string) []*Objection {
	return x.ix.objectionsByDemand[demandID]
}

// Rebuttals are the answers to an objection, by stated_on, then id.
func (x SnapshotIndex) Rebuttals(objectionID string) []*Rebuttal {
	return x.ix.rebuttalsByObjection[objectionID]
}

// Endorsements are the endorsements of a demand, as the snapshot lists
// them.
func (x SnapshotIndex) Endorsements(demandID string) []*Endorsement {
	return x.ix.endorsementsByDemand[demandID]
}

// ParticipantOrder is each participant's place in the negotiation's list
// of participants (its first, for a party with several roles).
func (x SnapshotIndex) ParticipantOrder() map[string]int { return x.ix.participantOrder }

// PartyName is the party's name, or its id if the snapshot lacks it.
func (x SnapshotIndex) PartyName(id string) string { return x.ix.partyName(id) }

// PartyLess orders parties as the negotiation lists its participants,
// then any other party by name.
func (x SnapshotIndex) PartyLess(a, b string) bool { return x.ix.partyLess(a, b) }

// Summary is a topic's state and counts.
func (x SnapshotIndex) Summary(topicID string) TopicSummary { return x.ix.summary(topicID) }

// DemandLive reports whether the snapshot's demand id is live.
func (x SnapshotIndex) DemandLive(id string) bool { return x.ix.demandLive(id) }
