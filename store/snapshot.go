package store

import (
	"context"
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

// Changes lists every revision inside a negotiation after since, oldest
// first, each with the body of the revision before it: two queries in all.
func (s *Store) Changes(ctx context.Context, negotiationID string, since time.Time) ([]domain.Change, error) {
	var out []domain.Change
	err := s.read(ctx, func(tx *gorm.DB) error {
		var n int64
		if err := tx.Raw("SELECT COUNT(*) FROM revisions WHERE resource_type = ? AND resource_id = ?", string(domain.KindNegotiation), negotiationID).Row().Scan(&n); err != nil {
			return fmt.Errorf("store: changes: %w", err)
		}
		if n == 0 {
			return &domain.NotFoundError{Kind: domain.KindNegotiation, ID: negotiationID}
		}
		since := bound(since)
		rows, err := tx.Raw("SELECT id, resource_type, resource_id, revision, action, actor, at, body FROM revisions WHERE negotiation_id = ? AND at > ? ORDER BY at, id", negotiationID, since).Rows()
		if err != nil {
			return fmt.Errorf("store: changes: %w", err)
		}
		index := map[int64]int{}
		for rows.Next() {
			var c domain.Change
			var id int64
			var kind string
			var at dbTime
			var body []byte
			if err := rows.Scan(&id, &kind, &c.ResourceID, &c.Revision.Revision, &c.Action, &c.Actor, &at, &body); err != nil {
				rows.Close()
				return fmt.Errorf("store: changes: %w", err)
			}
			c.ResourceType = domain.Kind(kind)
			c.At = at.Time
			c.Resource = json.RawMessage(body)
			index[id] = len(out)
			out = append(out, c)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("store: changes: %w", err)
		}
		if len(out) == 0 {
			return nil
		}
		prev, err := tx.Raw(`SELECT c.id, p.body FROM revisions c
			JOIN revisions p ON p.resource_type = c.resource_type AND p.resource_id = c.resource_id AND p.revision = c.revision - 1
			WHERE c.negotiation_id = ? AND c.at > ?`, negotiationID, since).Rows()
		if err != nil {
			return fmt.Errorf("store: changes: %w", err)
		}
		defer prev.Close()
		for prev.Next() {
			var id int64
			var body []byte
			if err := prev.Scan(&id, &body); err != nil {
				return fmt.Errorf("store: changes: %w", err)
			}
			if i, ok := index[id]; ok {
				out[i].Previous = json.RawMessage(body)
			}
		}
		return prev.Err()
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
