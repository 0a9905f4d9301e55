package store

import (
	"fmt"

	"gorm.io/gorm"

	"github.com/parley/parley/domain"
)

// refCache remembers, for the length of one write transaction that
// creates many resources, what the reference checks have read: a batch of
// thousands of demands refers to a handful of parties, topics and rounds,
// which are then read once each. Nothing a batch holds can change under
// it: the transaction is the only writer on SQLite, and on PostgreSQL the
// rows read are share-locked until commit. A nil *refCache remembers
// nothing.
type refCache struct {
	targets      map[domain.Kind]map[string]refTarget
	participants map[[2]string]bool
	// topics are the topics read for their term definitions; nil for one
	// that does not exist.
	topics map[string]*domain.Topic
}

func newRefCache() *refCache {
	return &refCache{targets: map[domain.Kind]map[string]refTarget{}, participants: map[[2]string]bool{}, topics: map[string]*domain.Topic{}}
}

func (c *refCache) target(k domain.Kind, id string) (refTarget, bool) {
	if c == nil {
		return refTarget{}, false
	}
	t, ok := c.targets[k][id]
	return t, ok
}

func (c *refCache) keep(k domain.Kind, id string, t refTarget) {
	if c == nil {
		return
	}
	if c.targets[k] == nil {
		c.targets[k] = map[string]refTarget{}
	}
	c.targets[k][id] = t
}

// remember keeps a resource the batch has just created, so that later
// resources of the batch that refer to it need not read it back.
func (c *refCache) remember(r domain.Resource) {
	if c == nil {
		return
	}
	switch v := r.(type) {
	case *domain.Demand:
		c.keep(domain.KindDemand, v.ID, refTarget{negotiationID: v.NegotiationID, partyID: v.PartyID})
	case *domain.Objection:
		c.keep(domain.KindObjection, v.ID, refTarget{negotiationID: v.NegotiationID, partyID: v.PartyID})
	case *domain.Rebuttal:
		c.keep(domain.KindRebuttal, v.ID, refTarget{negotiationID: v.NegotiationID, partyID: v.PartyID})
	case *domain.Endorsement:
		c.keep(domain.KindEndorsement, v.ID, refTarget{negotiationID: v.NegotiationID, partyID: v.PartyID})
	}
}

// isParticipant reports whether a party takes part in a negotiation.
func isParticipant(tx *gorm.DB, negotiationID, partyID string, cache *refCache) (bool, error) {
	key := [2]string{negotiationID, partyID}
	if cache != nil {
		if ok, seen := cache.participants[key]; seen {
			return ok, nil
		}
	}
	var n int64
	if err := tx.Raw("SELECT COUNT(*) FROM negotiation_participants WHERE negotiation_id = ? AND party_id = ?", negotiationID, partyID).Row().Scan(&n); err != nil {
		return false, fmt.Errorf("store: check participant: %w", err)
	}
	if cache != nil {
		cache.participants[key] = n > 0
	}
	return n > 0, nil
}

// topic reads a topic for its term definitions, once a batch; nil if
// none. A batch creates no topic it then reads here: a topic is written
// as it comes (see gathers), and read after.
func (c *refCache) topic(tx *gorm.DB, id string) (*domain.Topic, error) {
	if c == nil {
		return topicDefinitions(tx, id)
	}
	if t, seen := c.topics[id]; seen {
		return t, nil
	}
	t, err := topicDefinitions(tx, id)
	if err == nil {
		c.topics[id] = t
	}
	return t, err
}
