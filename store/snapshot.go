package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"sort"
	"sync"
	"time"

	"gorm.io/gorm"

	"github.com/parley/parley/domain"
)

// rawBody is a stored body waiting to be decoded into a snapshot. It is
// kept as the string the driver returns, so that it is never copied.
type rawBody struct {
	kind domain.Kind
	body string
}

// decodeInto decodes bodies on every core, the bulk of a large snapshot's
// cost, and places them in the snapshot in their original order.
func decodeInto(snap *domain.Snapshot, raws []rawBody) error {
	decoded := make([]domain.Resource, len(raws))
	workers := runtime.GOMAXPROCS(0)
	if workers > len(raws)/256+1 {
		workers = len(raws)/256 + 1
	}
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; i < len(raws); i += workers {
				r, err := decodeStored(raws[i].kind, raws[i].body)
				if err != nil {
					errs[w] = err
					return
				}
				decoded[i] = r
			}
		}(w)
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	for _, r := range decoded {
		place(snap, r)
	}
	return nil
}

// place puts one resource in its slice of the snapshot.
func place(snap *domain.Snapshot, r domain.Resource) {
	switch v := r.(type) {
	case *domain.Negotiation:
		snap.Negotiation = v
	case *domain.Party:
		snap.Parties = append(snap.Parties, v)
	case *domain.Round:
		snap.Rounds = append(snap.Rounds, v)
	case *domain.Delegation:
		snap.Delegations = append(snap.Delegations, v)
	case *domain.Topic:
		snap.Topics = append(snap.Topics, v)
	case *domain.Demand:
		snap.Demands = append(snap.Demands, v)
	case *domain.Objection:
		snap.Objections = append(snap.Objections, v)
	case *domain.Rebuttal:
		snap.Rebuttals = append(snap.Rebuttals, v)
	case *domain.Endorsement:
		snap.Endorsements = append(snap.Endorsements, v)
	}
}

// snapshotPartyIDs lists every party the snapshot's resources refer to.
func snapshotPartyIDs(snap *domain.Snapshot) []string {
	seen := map[string]bool{}
	add := func(id string) {
		if id != "" {
			seen[id] = true
		}
	}
	for _, p := range snap.Negotiation.Participants {
		add(p.PartyID)
	}
	for _, r := range snap.Rounds {
		add(r.HostPartyID)
	}
	for _, d := range snap.Delegations {
		add(d.PartyID)
	}
	for _, d := range snap.Demands {
		add(d.PartyID)
	}
	for _, o := range snap.Objections {
		add(o.PartyID)
	}
	for _, r := range snap.Rebuttals {
		add(r.PartyID)
	}
	for _, e := range snap.Endorsements {
		add(e.PartyID)
	}
	ids := make([]string, 0, len(seen))
	for id := range seen {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// sortSnapshot orders every slice by id, and topics as the matrix shows
// them: by sort_order, then title.
func sortSnapshot(snap *domain.Snapshot) {
	sort.Slice(snap.Parties, func(i, j int) bool { return snap.Parties[i].ID < snap.Parties[j].ID })
	sort.Slice(snap.Rounds, func(i, j int) bool { return snap.Rounds[i].ID < snap.Rounds[j].ID })
	sort.Slice(snap.Delegations, func(i, j int) bool { return snap.Delegations[i].ID < snap.Delegations[j].ID })
	sort.Slice(snap.Demands, func(i, j int) bool { return snap.Demands[i].ID < snap.Demands[j].ID })
	sort.Slice(snap.Objections, func(i, j int) bool { return snap.Objections[i].ID < snap.Objections[j].ID })
	sort.Slice(snap.Rebuttals, func(i, j int) bool { return snap.Rebuttals[i].ID < snap.Rebuttals[j].ID })
	sort.Slice(snap.Endorsements, func(i, j int) bool { return snap.Endorsements[i].ID < snap.Endorsements[j].ID })
	sort.Slice(snap.Topics, func(i, j int) bool {
		a, b := snap.Topics[i], snap.Topics[j]
		if a.SortOrder != b.SortOrder {
			return a.SortOrder < b.SortOrder
		}
		if a.Title != b.Title {
			return a.Title < b.Title
		}
		return a.ID < b.ID
	})
}

// Changes lists one page of what took effect inside a negotiation in a
// window of negotiation time, ordered by effective_at and then by the
// order of recording, each with the state before it in its resource's
// timeline: three queries a page, whatever the size of the negotiation.
// Resources deleted (recorded in error) are left out.
func (s *Store) Changes(ctx context.Context, q domain.ChangesQuery) (domain.ChangesPage, error) {
	var page domain.ChangesPage
	err := s.read(ctx, func(tx *gorm.DB) error {
		if err := negotiationRecorded(tx, q.NegotiationID); err != nil {
			return err
		}
		afterAt, afterSeq := time.Time{}, int64(0)
		if q.Cursor != "" {
			var err error
			if afterAt, afterSeq, err = domain.DecodeChangesCursor(q.Cursor); err != nil {
				return err
			}
		}
		limit := q.Limit
		if limit <= 0 {
			limit = 50
		}
		var seqs []int64
		err := eachRow(tx, func(rows *sql.Rows) error {
			var seq int64
			rev, err := scanRevision(rows, &seq)
			if err != nil {
				return err
			}
			page.Items = append(page.Items, domain.Change{Revision: rev})
			seqs = append(seqs, seq)
			return nil
		}, `SELECT `+revisionColumns+`, r.id FROM revisions r
			WHERE r.negotiation_id = ? AND r.action <> 'delete' AND r.effective_at >= ? AND r.effective_at <= ?
				AND (r.effective_at > ? OR (r.effective_at = ? AND r.id > ?))
				AND NOT EXISTS (SELECT 1 FROM revisions d WHERE d.resource_type = r.resource_type AND d.resource_id = r.resource_id AND d.action = 'delete')
			ORDER BY r.effective_at, r.id LIMIT ?`,
			q.NegotiationID, bound(q.Since), orFarFuture(q.Until), bound(afterAt), bound(afterAt), afterSeq, limit+1)
		if err != nil {
			return fmt.Errorf("store: changes: %w", err)
		}
		if len(page.Items) > limit {
			page.Items = page.Items[:limit]
			last := page.Items[limit-1]
			page.NextCursor = domain.EncodeChangesCursor(last.EffectiveAt, seqs[limit-1])
		}
		return previousStates(tx, page.Items)
	})
	return page, err
}

// negotiationRecorded is a *domain.NotFoundError unless the negotiation
// has a history (a deleted one's changes can still be read).
func negotiationRecorded(tx *gorm.DB, id string) error {
	var n int64
	if err := tx.Raw("SELECT COUNT(*) FROM revisions WHERE resource_type = ? AND resource_id = ?", string(domain.KindNegotiation), id).Row().Scan(&n); err != nil {
		return fmt.Errorf("store: changes: %w", err)
	}
	if n == 0 {
		return &domain.NotFoundError{Kind: domain.KindNegotiation, ID: id}
	}
	return nil
}

// previousStates sets each change's Previous: the state before it in its
// resource's timeline (effective_at, then revision), read in one query per
// kind for the whole page.
func previousStates(tx *gorm.DB, changes []domain.Change) error {
	byKind := map[domain.Kind][]string{}
	for _, c := range changes {
		byKind[c.ResourceType] = append(byKind[c.ResourceType], c.ResourceID)
	}
	type state struct {
		revision int
		at       time.Time
		body     []byte
	}
	timelines := map[resourceKey][]state{}
	for k, ids := range byKind {
		for _, batch := range idBatches(ids) {
			err := eachRow(tx, func(rows *sql.Rows) error {
				var id string
				var st state
				var at dbTime
				if err := rows.Scan(&id, &st.revision, &at, &st.body); err != nil {
					return err
				}
				st.at = at.Time
				key := resourceKey{string(k), id}
				timelines[key] = append(timelines[key], st)
				return nil
			}, `SELECT resource_id, revision, effective_at, body FROM revisions
				WHERE resource_type = ? AND resource_id IN ? AND action <> 'delete'`, string(k), batch)
			if err != nil {
				return fmt.Errorf("store: changes: %w", err)
			}
		}
	}
	for i := range changes {
		c := &changes[i]
		var best *state
		for j, st := range timelines[resourceKey{string(c.ResourceType), c.ResourceID}] {
			before := st.at.Before(c.EffectiveAt) || (st.at.Equal(c.EffectiveAt) && st.revision < c.Revision.Revision)
			if !before {
				continue
			}
			if best == nil || st.at.After(best.at) || (st.at.Equal(best.at) && st.revision > best.revision) {
				best = &timelines[resourceKey{string(c.ResourceType), c.ResourceID}][j]
			}
		}
		if best != nil {
			c.Previous = json.RawMessage(best.body)
		}
	}
	return nil
}

// Timeline lists every revision that shaped the negotiation, as recorded
// by recordedAsOf (zero: everything), in negotiation-time order; resources
// deleted by then are left out. One query.
func (s *Store) Timeline(ctx context.Context, negotiationID string, recordedAsOf time.Time) ([]domain.Revision, error) {
	var out []domain.Revision
	err := s.read(ctx, func(tx *gorm.DB) error {
		if err := negotiationRecorded(tx, negotiationID); err != nil {
			return err
		}
		recorded := orFarFuture(recordedAsOf)
		rows, err := tx.Raw(`SELECT `+revisionColumns+` FROM revisions r
			WHERE r.negotiation_id = ? AND r.action <> 'delete' AND r.at <= ?
				AND NOT EXISTS (SELECT 1 FROM revisions d WHERE d.resource_type = r.resource_type AND d.resource_id = r.resource_id AND d.action = 'delete' AND d.at <= ?)
			ORDER BY r.effective_at, r.id`, negotiationID, recorded, recorded).Rows()
		if err != nil {
			return fmt.Errorf("store: timeline: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			rev, err := scanRevision(rows)
			if err != nil {
				return fmt.Errorf("store: timeline: %w", err)
			}
			out = append(out, rev)
		}
		return rows.Err()
	})
	return out, err
}
