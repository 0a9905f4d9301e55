package ui

import (
	"context"
	"fmt"
	"strings"

	"github.com/parley/parley/domain"
)

// What a delete touches, read before the click: the parts deleted with a
// resource (a demand's objections and endorsements, a round's
// delegations) and the records that refer to it, which make the store
// refuse the delete. These tables say what the store's own say
// (store/resources.go, ownedParts and referrers), in terms of list
// filters; TestDeletePageSaysWhatTheStoreDoes holds them to it.

// dependent is a kind of record that points at a resource through a
// list filter; field names the reference as a refusal names it.
type dependent struct {
	kind   domain.Kind
	filter string
	field  string
}

// ownedBy lists, per kind, the parts deleted with a resource.
var ownedBy = map[domain.Kind][]dependent{
	domain.KindDemand: {{domain.KindEndorsement, "demand_id", "demand_id"}, {domain.KindObjection, "demand_id", "demand_id"}},
	domain.KindRound:  {{domain.KindDelegation, "round_id", "round_id"}},
}

// referrers lists, per kind, the records that keep a resource from being
// deleted.
var referrers = map[domain.Kind][]dependent{
	domain.KindParty: {
		{domain.KindNegotiation, "party_id", "participants"},
		{domain.KindRound, "party_id", "host_party_id"},
		{domain.KindDelegation, "party_id", "party_id"},
		{domain.KindDemand, "party_id", "party_id"},
		{domain.KindObjection, "party_id", "party_id"},
		{domain.KindEndorsement, "party_id", "party_id"},
	},
	domain.KindNegotiation: {
		{domain.KindRound, "negotiation_id", "negotiation_id"},
		{domain.KindTopic, "negotiation_id", "negotiation_id"},
		{domain.KindDemand, "negotiation_id", "negotiation_id"},
	},
	domain.KindTopic: {{domain.KindDemand, "topic_id", "topic_id"}},
	domain.KindRound: {{domain.KindDemand, "round_id", "round_id"}},
}

// maxDependents bounds how many of one kind a delete page reads.
const maxDependents = 500

// dependents lists the records of the table's kinds that point at r.
func (srv *server) dependents(ctx context.Context, r domain.Resource, table map[domain.Kind][]dependent) ([]domain.Ref, error) {
	var out []domain.Ref
	for _, d := range table[r.Kind()] {
		page, err := srv.store.List(ctx, domain.ListQuery{Kind: d.kind, Refs: map[string]string{d.filter: r.Base().ID}, Limit: maxDependents})
		if err != nil {
			return nil, err
		}
		for _, item := range page.Items {
			out = append(out, domain.Ref{Kind: d.kind, ID: item.Base().ID, Field: d.field})
		}
	}
	return out, nil
}

// countRefs counts records by kind in words: "4 endorsements and 1
// objection"; "" for none.
func countRefs(refs []domain.Ref) string {
	var kinds []domain.Kind
	n := map[domain.Kind]int{}
	for _, r := range refs {
		if n[r.Kind] == 0 {
			kinds = append(kinds, r.Kind)
		}
		n[r.Kind]++
	}
	parts := make([]string, len(kinds))
	for i, k := range kinds {
		if n[k] == 1 {
			parts[i] = "1 " + k.Singular()
		} else {
			parts[i] = fmt.Sprintf("%d %s", n[k], k)
		}
	}
	switch len(parts) {
	case 0:
		return ""
	case 1:
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}
