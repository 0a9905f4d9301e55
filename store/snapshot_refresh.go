package store

import (
	"database/sql"
	"fmt"
	"slices"

	"gorm.io/gorm"

	"github.com/parley/parley/domain"
)

// refreshLimit is the most revisions a kept snapshot is brought up to date
// with; past it, reading the whole negotiation again costs about as much.
const refreshLimit = 2_000

// refreshSnapshot brings a snapshot kept at mark old up to mark now by
// reading again only the resources whose revisions came after old: an
// analyst's edit then costs the next view a few rows, not the whole
// negotiation. ok is false when the revisions cannot tell what changed
// (one committed late, with an id below old's highest; or too many) and
// the whole must be read. kept is not changed.
func refreshSnapshot(tx *gorm.DB, kept *domain.Snapshot, old, now snapshotMark) (*domain.Snapshot, bool, error) {
	changed := map[domain.Kind][]string{}
	n, err := changedSince(tx, changed, "negotiation_id = ?", kept.Negotiation.ID, old.negotiationLast)
	if err != nil || n > refreshLimit || old.negotiationCount+int64(n) != now.negotiationCount {
		return nil, false, err
	}
	m, err := changedSince(tx, changed, "resource_type = ?", string(domain.KindParty), old.partyLast)
	if err != nil || m > refreshLimit || old.partyCount+int64(m) != now.partyCount {
		return nil, false, err
	}

	fresh := &domain.Snapshot{}
	var raws []rawBody
	for _, k := range append([]domain.Kind{domain.KindNegotiation}, snapshotKinds...) {
		if err := collectByID(tx, &raws, k, changed[k]); err != nil {
			return nil, false, err
		}
	}
	if err := decodeInto(fresh, raws); err != nil {
		return nil, false, err
	}
	out := shareSnapshot(kept)
	if len(changed[domain.KindNegotiation]) > 0 {
		if fresh.Negotiation == nil {
			// Deleted: the whole read says so.
			return nil, false, nil
		}
		out.Negotiation = fresh.Negotiation
	}
	out.Rounds = replaceChanged(out.Rounds, changed[domain.KindRound], fresh.Rounds)
	out.Delegations = replaceChanged(out.Delegations, changed[domain.KindDelegation], fresh.Delegations)
	out.Topics = replaceChanged(out.Topics, changed[domain.KindTopic], fresh.Topics)
	out.Demands = replaceChanged(out.Demands, changed[domain.KindDemand], fresh.Demands)
	out.Objections = replaceChanged(out.Objections, changed[domain.KindObjection], fresh.Objections)
	out.Rebuttals = replaceChanged(out.Rebuttals, changed[domain.KindRebuttal], fresh.Rebuttals)
	out.Endorsements = replaceChanged(out.Endorsements, changed[domain.KindEndorsement], fresh.Endorsements)
	if err := refreshParties(tx, out, changed[domain.KindParty]); err != nil {
		return nil, false, err
	}
	sortSnapshot(out)
	return out, true, nil
}

// changedSince adds to changed, by kind, the resources of the revisions
// that match where, after the revision id last, and returns how many
// revisions there were.
func changedSince(tx *gorm.DB, changed map[domain.Kind][]string, where, arg string, last int64) (int, error) {
	seen := map[[2]string]bool{}
	n := 0
	err := eachRow(tx, func(rows *sql.Rows) error {
		var kind, id string
		if err := rows.Scan(&kind, &id); err != nil {
			return err
		}
		n++
		if key := [2]string{kind, id}; !seen[key] {
			seen[key] = true
			changed[domain.Kind(kind)] = append(changed[domain.Kind(kind)], id)
		}
		return nil
	}, "SELECT resource_type, resource_id FROM revisions WHERE "+where+" AND id > ?", arg, last)
	if err != nil {
		return 0, fmt.Errorf("store: snapshot changes: %w", err)
	}
	return n, nil
}

// replaceChanged is list without the resources of these ids, and with
// those of them that still exist (fresh) in their place.
func replaceChanged[T domain.Resource](list []T, ids []string, fresh []T) []T {
	if len(ids) == 0 {
		return list
	}
	gone := make(map[string]bool, len(ids))
	for _, id := range ids {
		gone[id] = true
	}
	out := append(slices.DeleteFunc(list, func(r T) bool { return gone[r.Base().ID] }), fresh...)
	if len(out) == 0 {
		// As a whole read leaves a kind it found none of.
		return nil
	}
	return out
}

// refreshParties makes the snapshot's parties those its resources now
// refer to, reading again those that changed and those newly referred to.
func refreshParties(tx *gorm.DB, s *domain.Snapshot, changed []string) error {
	have := make(map[string]*domain.Party, len(s.Parties))
	for _, p := range s.Parties {
		have[p.ID] = p
	}
	for _, id := range changed {
		delete(have, id)
	}
	wanted := snapshotPartyIDs(s)
	var missing []string
	for _, id := range wanted {
		if have[id] == nil {
			missing = append(missing, id)
		}
	}
	fresh := &domain.Snapshot{}
	var raws []rawBody
	if err := collectByID(tx, &raws, domain.KindParty, missing); err != nil {
		return err
	}
	if err := decodeInto(fresh, raws); err != nil {
		return err
	}
	for _, p := range fresh.Parties {
		have[p.ID] = p
	}
	s.Parties = nil
	for _, id := range wanted {
		if p := have[id]; p != nil {
			s.Parties = append(s.Parties, p)
		}
	}
	return nil
}
