package domain

// Enumerations of the contract. Where a field has a default (see
// Defaulted), it is the first value of its list.
var (
	PartyKinds         = []string{"state", "organization", "bloc", "armed_group", "person"}
	NegotiationStatus  = []string{"active", "suspended", "concluded"}
	ParticipantRoles   = []string{"principal", "mediator", "host", "observer"}
	RoundFormats       = []string{"direct", "mediated", "proximity", "virtual"}
	DelegationLevels   = []string{"technical", "senior_official", "ministerial", "head_of_government", "head_of_state"}
	DemandStatuses     = []string{"tabled", "under_discussion", "agreed", "rejected", "withdrawn", "fulfilled"}
	DemandPriorities   = []string{"normal", "core", "secondary"}
	ObjectionKinds     = []string{"rejection", "condition", "reservation"}
	ObjectionStatuses  = []string{"standing", "resolved", "withdrawn"}
	SourceReliability  = []string{"A", "B", "C", "D", "E", "F"}
	InfoCredibility    = []string{"1", "2", "3", "4", "5", "6"}
	UserRoles          = []string{"viewer", "editor", "admin"}
	TopicStates        = []string{"open", "convergent", "contested", "agreed"}
	RevisionActions    = []string{"create", "update", "delete"}
	ReportFormats      = []string{"markdown", "html", "pdf", "csv", "xlsx", "json"}
	participantRoleSet = set(ParticipantRoles)
)

// Enums maps each enumerated field to its values, for the OpenAPI document
// and the UI's select boxes. Keys are "kind.field".
var Enums = map[string][]string{
	"parties.kind":                   PartyKinds,
	"negotiations.status":            NegotiationStatus,
	"negotiations.participants.role": ParticipantRoles,
	"rounds.format":                  RoundFormats,
	"delegations.level":              DelegationLevels,
	"demands.status":                 DemandStatuses,
	"demands.priority":               DemandPriorities,
	"objections.kind":                ObjectionKinds,
	"objections.status":              ObjectionStatuses,
	"citations.reliability":          SourceReliability,
	"citations.credibility":          InfoCredibility,
	"topics.category":                CategoryKeys,
}

// Defaulted names the enumerated fields whose Normalize fills an empty
// value with the first of its values. Only these have a default: a
// source's grades left empty stay empty (ungraded, which reports say),
// and a participant's role must be given. The OpenAPI document states a
// default for these fields alone.
var Defaulted = map[string]bool{
	"parties.kind":        true,
	"negotiations.status": true,
	"rounds.format":       true,
	"delegations.level":   true,
	"demands.status":      true,
	"demands.priority":    true,
	"objections.kind":     true,
	"objections.status":   true,
}

// DelegationLevelRank orders delegation levels from technical (0) to head of
// state (4); reports compare principals' delegations with it.
func DelegationLevelRank(level string) int {
	for i, l := range DelegationLevels {
		if l == level {
			return i
		}
	}
	return -1
}

func set(values []string) map[string]bool {
	m := make(map[string]bool, len(values))
	for _, v := range values {
		m[v] = true
	}
	return m
}

func oneOf(v string, values []string) bool {
	for _, x := range values {
		if x == v {
			return true
		}
	}
	return false
}
