package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/parley/parley/domain"
)

// revisionRow is one row of the revisions table.
type revisionRow struct {
	kind          domain.Kind
	id            string
	revision      int
	action        string
	actor         string
	at            time.Time
	negotiationID string
	body          []byte
}

func addRevision(tx *gorm.DB, r revisionRow) error {
	err := tx.Exec("INSERT INTO revisions (resource_type, resource_id, revision, action, actor, at, negotiation_id, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
		string(r.kind), r.id, r.revision, r.action, r.actor, r.at, nullable(r.negotiationID), string(r.body)).Error
	if err != nil {
		return fmt.Errorf("store: record %s revision: %w", r.action, err)
	}
	return nil
}

// History returns every revision of one resource, oldest first, deleted
// ones included; a *domain.NotFoundError if it never existed.
func (s *Store) History(ctx context.Context, k domain.Kind, id string) ([]domain.Revision, error) {
	if _, err := tableOf(k); err != nil {
		return nil, err
	}
	rows, err := s.r.WithContext(ctx).Raw("SELECT revision, action, actor, at, body FROM revisions WHERE resource_type = ? AND resource_id = ? ORDER BY revision", string(k), id).Rows()
	if err != nil {
		return nil, fmt.Errorf("store: history: %w", err)
	}
	defer rows.Close()
	var out []domain.Revision
	for rows.Next() {
		rev := domain.Revision{ResourceType: k, ResourceID: id}
		var at dbTime
		var body []byte
		if err := rows.Scan(&rev.Revision, &rev.Action, &rev.Actor, &at, &body); err != nil {
			return nil, fmt.Errorf("store: history: %w", err)
		}
		rev.At = at.Time
		rev.Resource = json.RawMessage(body)
		out = append(out, rev)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: history: %w", err)
	}
	if len(out) == 0 {
		return nil, &domain.NotFoundError{Kind: k, ID: id}
	}
	return out, nil
}

// snapshotKinds are the kinds a snapshot gathers by negotiation_id, beside
// the negotiation itself and the parties.
var snapshotKinds = []domain.Kind{domain.KindRound, domain.KindDelegation, domain.KindTopic, domain.KindDemand, domain.KindObjection, domain.KindEndorsement}

// Snapshot loads everything in a negotiation, as it stands or, with a
// non-zero asOf, as it stood at that instant (rebuilt from the history).
// Either way it costs a fixed handful of queries.
func (s *Store) Snapshot(ctx context.Context, negotiationID string, asOf time.Time) (*domain.Snapshot, error) {
	snap := &domain.Snapshot{}
	var err error
	if asOf.IsZero() {
		err = s.read(ctx, func(tx *gorm.DB) error { return s.snapshotNow(tx, negotiationID, snap) })
	} else {
		snap.AsOf = bound(asOf)
		err = s.read(ctx, func(tx *gorm.DB) error { return s.snapshotAsOf(tx, negotiationID, snap.AsOf, snap) })
	}
	if err != nil {
		return nil, err
	}
	sortSnapshot(snap)
	return snap, nil
}

func (s *Store) snapshotNow(tx *gorm.DB, negotiationID string, snap *domain.Snapshot) error {
	n, _, err := s.get(tx, domain.KindNegotiation, negotiationID, false)
	if err != nil {
		return err
	}
	snap.Negotiation = n.(*domain.Negotiation)
	var raws []rawBody
	for _, k := range snapshotKinds {
		if err := collectBodies(tx, &raws, k, "SELECT body FROM "+tables[k].name+" WHERE negotiation_id = ?", negotiationID); err != nil {
			return err
		}
	}
	// Every party the negotiation refers to, in one query.
	q := `SELECT body FROM parties WHERE id IN (
		SELECT party_id FROM negotiation_participants WHERE negotiation_id = ?
		UNION SELECT host_party_id FROM rounds WHERE negotiation_id = ?
		UNION SELECT party_id FROM delegations WHERE negotiation_id = ?
		UNION SELECT party_id FROM demands WHERE negotiation_id = ?
		UNION SELECT party_id FROM objections WHERE negotiation_id = ?
		UNION SELECT party_id FROM endorsements WHERE negotiation_id = ?)`
	id := negotiationID
	if err := collectBodies(tx, &raws, domain.KindParty, q, id, id, id, id, id, id); err != nil {
		return err
	}
	return decodeInto(snap, raws)
}

func (s *Store) snapshotAsOf(tx *gorm.DB, negotiationID string, asOf time.Time, snap *domain.Snapshot) error {
	// The latest revision at asOf of every resource that was ever in the
	// negotiation by then; kept if it is not a delete and, as resources can
	// move between negotiations, if it was in this one then.
	q := `SELECT resource_type, body FROM (
		SELECT r.resource_type, r.action, r.negotiation_id, r.body,
			ROW_NUMBER() OVER (PARTITION BY r.resource_type, r.resource_id ORDER BY r.revision DESC) AS rn
		FROM (SELECT DISTINCT resource_type, resource_id FROM revisions WHERE negotiation_id = ? AND at <= ?) ids
		JOIN revisions r ON r.resource_type = ids.resource_type AND r.resource_id = ids.resource_id
		WHERE r.at <= ?
	) latest WHERE rn = 1 AND action <> 'delete' AND negotiation_id = ?`
	rows, err := tx.Raw(q, negotiationID, asOf, asOf, negotiationID).Rows()
	if err != nil {
		return fmt.Errorf("store: snapshot: %w", err)
	}
	var raws []rawBody
	for rows.Next() {
		var kind string
		var body []byte
		if err := rows.Scan(&kind, &body); err != nil {
			rows.Close()
			return fmt.Errorf("store: snapshot: %w", err)
		}
		raws = append(raws, rawBody{domain.Kind(kind), body})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: snapshot: %w", err)
	}
	if err := decodeInto(snap, raws); err != nil {
		return err
	}
	if snap.Negotiation == nil {
		return &domain.NotFoundError{Kind: domain.KindNegotiation, ID: negotiationID}
	}
	ids := snapshotPartyIDs(snap)
	if len(ids) == 0 {
		return nil
	}
	pq := `SELECT body FROM (
		SELECT action, body, ROW_NUMBER() OVER (PARTITION BY resource_id ORDER BY revision DESC) AS rn
		FROM revisions WHERE resource_type = 'parties' AND at <= ? AND resource_id IN ?
	) latest WHERE rn = 1 AND action <> 'delete'`
	raws = raws[:0]
	if err := collectBodies(tx, &raws, domain.KindParty, pq, asOf, ids); err != nil {
		return err
	}
	return decodeInto(snap, raws)
}

// collectBodies gathers every body a query returns, to be decoded later.
func collectBodies(tx *gorm.DB, raws *[]rawBody, k domain.Kind, q string, args ...any) error {
	rows, err := tx.Raw(q, args...).Rows()
	if err != nil {
		return fmt.Errorf("store: snapshot %s: %w", k, err)
	}
	defer rows.Close()
	for rows.Next() {
		var body []byte
		if err := rows.Scan(&body); err != nil {
			return fmt.Errorf("store: snapshot %s: %w", k, err)
		}
		*raws = append(*raws, rawBody{k, body})
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: snapshot %s: %w", k, err)
	}
	return nil
}
