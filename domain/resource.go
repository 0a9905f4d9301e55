// Package domain holds parley's types, enumerations, validation and rules.
// It knows nothing of HTTP or SQL: api and ui call into it, store implements
// the Store interface it defines.
package domain

import (
	"time"
)

// Kind names a collection of resources; it is also the URL segment and the
// resource_type recorded in the history.
type Kind string

// The nine collections.
const (
	KindParty       Kind = "parties"
	KindNegotiation Kind = "negotiations"
	KindRound       Kind = "rounds"
	KindDelegation  Kind = "delegations"
	KindTopic       Kind = "topics"
	KindDemand      Kind = "demands"
	KindObjection   Kind = "objections"
	KindRebuttal    Kind = "rebuttals"
	KindEndorsement Kind = "endorsements"
)

// Kinds lists every collection in dependency order: a kind only refers to
// kinds before it. Import and the OpenAPI document rely on this order.
var Kinds = []Kind{KindParty, KindNegotiation, KindRound, KindDelegation, KindTopic, KindDemand, KindObjection, KindRebuttal, KindEndorsement}

// Valid reports whether k is one of the nine collections.
func (k Kind) Valid() bool {
	for _, c := range Kinds {
		if c == k {
			return true
		}
	}
	return false
}

// Singular is the human name of one resource of the kind ("party").
func (k Kind) Singular() string {
	switch k {
	case KindParty:
		return "party"
	case KindNegotiation:
		return "negotiation"
	case KindRound:
		return "round"
	case KindDelegation:
		return "delegation"
	case KindTopic:
		return "topic"
	case KindDemand:
		return "demand"
	case KindObjection:
		return "objection"
	case KindRebuttal:
		return "rebuttal"
	case KindEndorsement:
		return "endorsement"
	}
	return string(k)
}

// Meta is what every stored resource carries. The server sets all of it;
// a client's id, created_at and updated_at are ignored and its version is
// read only as a precondition.
type Meta struct {
	ID        string    `json:"id"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	Version   int       `json:"version"`
	// EffectiveAt is negotiation time: when the resource's current state
	// took effect in the talks, as the analyst dated it.
	EffectiveAt time.Time `json:"effective_at"`
}

// Base returns the resource's metadata for the store to fill in.
func (m *Meta) Base() *Meta { return m }

// Ref is one reference from a resource to another, named by the JSON field
// that holds it so that a reference to nothing can be reported on that field.
type Ref struct {
	Field string
	Kind  Kind
	ID    string
}

// Resource is implemented by the nine resource types.
type Resource interface {
	Kind() Kind
	Base() *Meta
	// Normalize trims text and fills in enumeration defaults.
	Normalize()
	// Validate checks everything that needs no other resource: required
	// fields, enumerations, formats and lengths. It returns every problem.
	Validate() FieldErrors
	// Refs lists the non-empty references to other resources.
	Refs() []Ref
	// Negotiation is the negotiation the resource belongs to, "" for parties.
	// Objections and endorsements return "" too; the store derives theirs
	// from the demand, and a rebuttal's from its objection.
	Negotiation() string
	// Status is the value filtered by ?status=, "" where the kind has none.
	Status() string
	// SearchText is the text ?q= searches, in any case.
	SearchText() string
}

// New returns an empty resource of the kind, or nil for an unknown kind.
func New(k Kind) Resource {
	switch k {
	case KindParty:
		return &Party{}
	case KindNegotiation:
		return &Negotiation{}
	case KindRound:
		return &Round{}
	case KindDelegation:
		return &Delegation{}
	case KindTopic:
		return &Topic{}
	case KindDemand:
		return &Demand{}
	case KindObjection:
		return &Objection{}
	case KindRebuttal:
		return &Rebuttal{}
	case KindEndorsement:
		return &Endorsement{}
	}
	return nil
}

// RefFields lists, per kind, the reference fields that a list can filter on.
var RefFields = map[Kind][]string{
	KindParty:       nil,
	KindNegotiation: {"party_id"},
	KindRound:       {"negotiation_id", "party_id"},
	KindDelegation:  {"negotiation_id", "round_id", "party_id"},
	KindTopic:       {"negotiation_id"},
	KindDemand:      {"negotiation_id", "party_id", "topic_id", "round_id"},
	KindObjection:   {"negotiation_id", "demand_id", "party_id", "round_id"},
	KindRebuttal:    {"negotiation_id", "objection_id", "party_id", "round_id"},
	KindEndorsement: {"negotiation_id", "demand_id", "party_id", "round_id"},
}

// HasCategory reports whether ?category= applies to the kind.
func HasCategory(k Kind) bool { return k == KindTopic || k == KindDemand }

// HasStatus reports whether ?status= applies to the kind.
func HasStatus(k Kind) bool {
	return k == KindNegotiation || k == KindDemand || k == KindObjection
}

// Required lists, per kind, the fields a create must carry (the contract's `*`).
var Required = map[Kind][]string{
	KindParty:       {"name"},
	KindNegotiation: {"title"},
	KindRound:       {"negotiation_id", "title", "starts_on"},
	KindDelegation:  {"round_id", "party_id"},
	KindTopic:       {"negotiation_id", "title"},
	KindDemand:      {"negotiation_id", "party_id", "topic_id", "title", "stated_on"},
	KindObjection:   {"demand_id", "party_id", "grounds", "stated_on"},
	KindRebuttal:    {"objection_id", "party_id", "grounds", "stated_on"},
	KindEndorsement: {"demand_id", "party_id", "stated_on"},
}
