package domain

import (
	"slices"
	"strings"
)

// Enum is an ordered, read-only list of the values of one enumerated
// type. Its order is the contract's: where a field has a default (see
// EnumDefaulted) it is the first value, and ranks (delegation levels,
// user userRoles) rise with the position. The list cannot be changed from
// outside: Values and Strings return copies.
type Enum[T ~string] struct{ values []T }

func enumOf[T ~string](values ...T) Enum[T] { return Enum[T]{values: values} }

// Values returns the values in order, as a fresh slice.
func (e Enum[T]) Values() []T { return slices.Clone(e.values) }

// Strings returns the values in order as plain strings, as a fresh slice.
func (e Enum[T]) Strings() []string {
	out := make([]string, len(e.values))
	for i, v := range e.values {
		out[i] = string(v)
	}
	return out
}

// Has reports whether v is one of the values.
func (e Enum[T]) Has(v T) bool { return slices.Contains(e.values, v) }

// Rank is v's position in the list, -1 when v is not a value.
func (e Enum[T]) Rank(v T) int { return slices.Index(e.values, v) }

// Default is the first value, the one Normalize fills in where the field
// has a default.
func (e Enum[T]) Default() T { return e.values[0] }

// Len is the number of values.
func (e Enum[T]) Len() int { return len(e.values) }

// String lists the values separated by commas, for messages.
func (e Enum[T]) String() string { return strings.Join(e.Strings(), ", ") }

// PartyKind says what sort of actor a party is.
type PartyKind string

// Party kinds.
const (
	PartyKindState        PartyKind = "state"
	PartyKindOrganization PartyKind = "organization"
	PartyKindBloc         PartyKind = "bloc"
	PartyKindArmedGroup   PartyKind = "armed_group"
	PartyKindPerson       PartyKind = "person"
)

// NegotiationStatus says whether talks are going on.
type NegotiationStatus string

// Negotiation statuses.
const (
	NegotiationActive    NegotiationStatus = "active"
	NegotiationSuspended NegotiationStatus = "suspended"
	NegotiationConcluded NegotiationStatus = "concluded"
)

// ParticipantRole is the part a party plays in a negotiation.
type ParticipantRole string

// Participant userRoles.
const (
	ParticipantPrincipal ParticipantRole = "principal"
	ParticipantMediator  ParticipantRole = "mediator"
	ParticipantHost      ParticipantRole = "host"
	ParticipantObserver  ParticipantRole = "observer"
	ParticipantGuarantor ParticipantRole = "guarantor"
)

// RoundFormat is how a round's parties met.
type RoundFormat string

// Round formats.
const (
	RoundDirect    RoundFormat = "direct"
	RoundMediated  RoundFormat = "mediated"
	RoundProximity RoundFormat = "proximity"
	RoundVirtual   RoundFormat = "virtual"
)

// DelegationLevel is the rank of a delegation's head, lowest first.
type DelegationLevel string

// Delegation levels, from the lowest rank to the highest.
const (
	LevelTechnical        DelegationLevel = "technical"
	LevelSeniorOfficial   DelegationLevel = "senior_official"
	LevelMinisterial      DelegationLevel = "ministerial"
	LevelHeadOfGovernment DelegationLevel = "head_of_government"
	LevelHeadOfState      DelegationLevel = "head_of_state"
)

// DemandStatus is where a demand stands.
type DemandStatus string

// Demand statuses.
const (
	DemandTabled          DemandStatus = "tabled"
	DemandUnderDiscussion DemandStatus = "under_discussion"
	DemandAgreed          DemandStatus = "agreed"
	DemandRejected        DemandStatus = "rejected"
	DemandWithdrawn       DemandStatus = "withdrawn"
	DemandFulfilled       DemandStatus = "fulfilled"
)

// DemandPriority is how much a demand matters to the party making it.
type DemandPriority string

// Demand priorities.
const (
	PriorityNormal    DemandPriority = "normal"
	PriorityCore      DemandPriority = "core"
	PrioritySecondary DemandPriority = "secondary"
)

// ObjectionKind is how firmly a party objects.
type ObjectionKind string

// Objection kinds.
const (
	ObjectionRejection   ObjectionKind = "rejection"
	ObjectionCondition   ObjectionKind = "condition"
	ObjectionReservation ObjectionKind = "reservation"
)

// ObjectionStatus says whether an objection still stands.
type ObjectionStatus string

// Objection statuses.
const (
	ObjectionStanding  ObjectionStatus = "standing"
	ObjectionResolved  ObjectionStatus = "resolved"
	ObjectionWithdrawn ObjectionStatus = "withdrawn"
)

// Reliability is the Admiralty grade of a source, A (reliable) to F.
type Reliability string

// TopicState is a topic's state, computed from its demands (see
// TopicStateOf).
type TopicState string

// Topic states, as the contract defines them.
const (
	StateOpen       TopicState = "open"
	StateDivergent  TopicState = "divergent"
	StateContested  TopicState = "contested"
	StateConvergent TopicState = "convergent"
	StateAgreed     TopicState = "agreed"
)

// Role is a user's role; each role may do what the ones before it may.
type Role string

// User userRoles, from the least to the most powerful.
const (
	RoleViewer Role = "viewer"
	RoleEditor Role = "editor"
	RoleAdmin  Role = "admin"
)

// RevisionAction is what a revision did to its resource.
type RevisionAction string

// Revision actions.
const (
	ActionCreate RevisionAction = "create"
	ActionUpdate RevisionAction = "update"
	ActionDelete RevisionAction = "delete"
)

var (
	partyKinds          = enumOf(PartyKindState, PartyKindOrganization, PartyKindBloc, PartyKindArmedGroup, PartyKindPerson)
	negotiationStatuses = enumOf(NegotiationActive, NegotiationSuspended, NegotiationConcluded)
	participantRoles    = enumOf(ParticipantPrincipal, ParticipantMediator, ParticipantHost, ParticipantObserver, ParticipantGuarantor)
	roundFormats        = enumOf(RoundDirect, RoundMediated, RoundProximity, RoundVirtual)
	delegationLevels    = enumOf(LevelTechnical, LevelSeniorOfficial, LevelMinisterial, LevelHeadOfGovernment, LevelHeadOfState)
	demandStatuses      = enumOf(DemandTabled, DemandUnderDiscussion, DemandAgreed, DemandRejected, DemandWithdrawn, DemandFulfilled)
	demandPriorities    = enumOf(PriorityNormal, PriorityCore, PrioritySecondary)
	objectionKinds      = enumOf(ObjectionRejection, ObjectionCondition, ObjectionReservation)
	objectionStatuses   = enumOf(ObjectionStanding, ObjectionResolved, ObjectionWithdrawn)
	reliabilities       = enumOf[Reliability]("A", "B", "C", "D", "E", "F")
	credibilities       = enumOf[Grade]("1", "2", "3", "4", "5", "6")
	topicStates         = enumOf(StateOpen, StateDivergent, StateContested, StateConvergent, StateAgreed)
	userRoles           = enumOf(RoleViewer, RoleEditor, RoleAdmin)
	revisionActions     = enumOf(ActionCreate, ActionUpdate, ActionDelete)
)

// PartyKinds lists the party kinds; the first is the default.
func PartyKinds() Enum[PartyKind] { return partyKinds }

// NegotiationStatuses lists the negotiation statuses; the first is the default.
func NegotiationStatuses() Enum[NegotiationStatus] { return negotiationStatuses }

// ParticipantRoles lists the userRoles a party may play in a negotiation.
func ParticipantRoles() Enum[ParticipantRole] { return participantRoles }

// RoundFormats lists the round formats; the first is the default.
func RoundFormats() Enum[RoundFormat] { return roundFormats }

// DelegationLevels lists the delegation levels from the lowest rank up;
// the first is the default.
func DelegationLevels() Enum[DelegationLevel] { return delegationLevels }

// DemandStatuses lists the demand statuses; the first is the default.
func DemandStatuses() Enum[DemandStatus] { return demandStatuses }

// DemandPriorities lists the demand priorities; the first is the default.
func DemandPriorities() Enum[DemandPriority] { return demandPriorities }

// ObjectionKinds lists the objection kinds; the first is the default.
func ObjectionKinds() Enum[ObjectionKind] { return objectionKinds }

// ObjectionStatuses lists the objection statuses; the first is the default.
func ObjectionStatuses() Enum[ObjectionStatus] { return objectionStatuses }

// Reliabilities lists the Admiralty source grades, A to F.
func Reliabilities() Enum[Reliability] { return reliabilities }

// Credibilities lists the Admiralty information grades, 1 to 6.
func Credibilities() Enum[Grade] { return credibilities }

// TopicStates lists the topic states.
func TopicStates() Enum[TopicState] { return topicStates }

// Roles lists the user userRoles from the least to the most powerful.
func Roles() Enum[Role] { return userRoles }

// RevisionActions lists what a revision may do.
func RevisionActions() Enum[RevisionAction] { return revisionActions }

// enumField is an enumerated field of a resource: its values, and whether
// Normalize fills an empty value with the first of them. A source's grades
// left empty stay empty (ungraded, which reports say), and a participant's
// role must be given, so those have no default.
type enumField struct {
	values    []string
	defaulted bool
}

// enumeratedFields maps each enumerated resource field, keyed "kind.field", to
// its values, for the OpenAPI document and the UI's select boxes.
var enumeratedFields = map[string]enumField{
	"parties.kind":                   {partyKinds.Strings(), true},
	"negotiations.status":            {negotiationStatuses.Strings(), true},
	"negotiations.participants.role": {participantRoles.Strings(), false},
	"rounds.format":                  {roundFormats.Strings(), true},
	"delegations.level":              {delegationLevels.Strings(), true},
	"demands.status":                 {demandStatuses.Strings(), true},
	"demands.priority":               {demandPriorities.Strings(), true},
	"topics.term_definitions.type":   {TermTypes().Strings(), false},
	"objections.kind":                {objectionKinds.Strings(), true},
	"objections.status":              {objectionStatuses.Strings(), true},
	"citations.reliability":          {reliabilities.Strings(), false},
	"citations.credibility":          {credibilities.Strings(), false},
	"topics.category":                {CategoryKeys().Strings(), false},
	"negotiations.handling":          {HandlingMarkings().Strings(), false},
	"demands.handling":               {HandlingMarkings().Strings(), false},
	"objections.handling":            {HandlingMarkings().Strings(), false},
	"endorsements.handling":          {HandlingMarkings().Strings(), false},
	"citations.handling":             {HandlingMarkings().Strings(), false},
}

// ListLimits gives the lists whose limit is not MaxList, by "kind.field",
// for the OpenAPI document's maxItems.
var ListLimits = map[string]int{
	"negotiations.participants": MaxParticipants,
	"parties.members":           MaxMembers,
}

// EnumValues returns the values of the enumerated field key ("kind.field",
// e.g. "demands.status") as a fresh slice, nil when the field is not
// enumerated.
func EnumValues(key string) []string { return slices.Clone(enumeratedFields[key].values) }

// EnumDefaulted reports whether Normalize fills the enumerated field key
// with its first value when it is left empty; the OpenAPI document states a
// default for these fields alone.
func EnumDefaulted(key string) bool { return enumeratedFields[key].defaulted }

// checkEnum records an error for field when v is set and not one of e.
func checkEnum[T ~string](c *checker, field string, v T, e Enum[T]) {
	if v != "" && !e.Has(v) {
		c.errs.Add(field, "must be one of %s", e)
	}
}

// defaultTo trims v and fills it with e's default when it is empty.
func defaultTo[T ~string](v *T, e Enum[T]) {
	*v = T(strings.TrimSpace(string(*v)))
	if *v == "" {
		*v = e.Default()
	}
}
