package domain

import (
	"slices"
	"testing"
)

func TestEnumListsCannotBeChangedFromOutside(t *testing.T) {
	values := DemandStatuses().Values()
	values[0] = "tampered"
	names := DemandStatuses().Strings()
	names[1] = "tampered"
	keyed := EnumValues("demands.status")
	keyed[2] = "tampered"
	if got := DemandStatuses().Strings(); got[0] != "tabled" || got[1] != "under_discussion" || got[2] != "agreed" {
		t.Errorf("the list changed through a copy: %v", got)
	}
	if got := EnumValues("demands.status"); got[2] != "agreed" {
		t.Errorf("EnumValues changed through a copy: %v", got)
	}
}

func TestEnumFieldsMatchTheirTypedLists(t *testing.T) {
	tests := map[string][]string{
		"parties.kind":                   PartyKinds().Strings(),
		"negotiations.status":            NegotiationStatuses().Strings(),
		"negotiations.participants.role": ParticipantRoles().Strings(),
		"rounds.format":                  RoundFormats().Strings(),
		"delegations.level":              DelegationLevels().Strings(),
		"demands.status":                 DemandStatuses().Strings(),
		"demands.priority":               DemandPriorities().Strings(),
		"objections.kind":                ObjectionKinds().Strings(),
		"objections.status":              ObjectionStatuses().Strings(),
		"citations.reliability":          Reliabilities().Strings(),
		"citations.credibility":          Credibilities().Strings(),
	}
	for key, want := range tests {
		if got := EnumValues(key); !slices.Equal(got, want) {
			t.Errorf("EnumValues(%q) = %v, want %v", key, got, want)
		}
	}
	if EnumValues("parties.name") != nil {
		t.Error("a field that is not enumerated has values")
	}
	if EnumDefaulted("negotiations.participants.role") || EnumDefaulted("citations.reliability") || !EnumDefaulted("demands.status") {
		t.Error("EnumDefaulted disagrees with Normalize")
	}
}

func TestEnumDefaultsAreWhatNormalizeFillsIn(t *testing.T) {
	d := &Demand{}
	d.Normalize()
	if d.State != DemandStatuses().Default() || d.Priority != DemandPriorities().Default() {
		t.Errorf("defaults %q/%q, want %q/%q", d.State, d.Priority, DemandStatuses().Default(), DemandPriorities().Default())
	}
	p := &Party{PartyKind: " bloc "}
	p.Normalize()
	if p.PartyKind != PartyKindBloc {
		t.Errorf("kind %q, want %q", p.PartyKind, PartyKindBloc)
	}
}

func TestEnumRankOrdersRolesAndLevels(t *testing.T) {
	if !(Roles().Rank(RoleViewer) < Roles().Rank(RoleEditor) && Roles().Rank(RoleEditor) < Roles().Rank(RoleAdmin)) {
		t.Error("roles are not ordered viewer < editor < admin")
	}
	if Roles().Rank("root") != -1 || DelegationLevels().Rank(LevelHeadOfState) != DelegationLevels().Len()-1 {
		t.Error("Rank of an unknown value or of the highest level is wrong")
	}
}

func TestEnumMessageListsEveryValue(t *testing.T) {
	errs := ValidateRole("root")
	if len(errs) != 1 || errs[0].Message != "must be one of viewer, editor, admin" {
		t.Errorf("ValidateRole(root) = %v", errs)
	}
}
