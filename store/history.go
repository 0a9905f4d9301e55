package store

import (
	"context"
	"database/sql"
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
	if err := decodeInto(snap, raws); err != nil {
		return err
	}
	// The parties the negotiation refers to, by id: gathering the ids from
	// the snapshot costs far less than a UNION over every table, which
	// reads each demand's row again for its party_id.
	raws = raws[:0]
	for _, ids := range idBatches(snapshotPartyIDs(snap)) {
		if err := collectBodies(tx, &raws, domain.KindParty, "SELECT body FROM parties WHERE id IN ?", ids); err != nil {
			return err
		}
	}
	return decodeInto(snap, raws)
}

// maxBatch bounds the ids bound to one query, well inside SQLite's and
// PostgreSQL's limits on parameters; a negotiation has far fewer parties.
const maxBatch = 1000

// idBatches cuts ids into lists of at most maxBatch.
func idBatches(ids []string) [][]string {
	var out [][]string
	for len(ids) > maxBatch {
		out = append(out, ids[:maxBatch])
		ids = ids[maxBatch:]
	}
	if len(ids) > 0 {
		out = append(out, ids)
	}
	return out
}

func (s *Store) snapshotAsOf(tx *gorm.DB, negotiationID string, asOf time.Time, snap *domain.Snapshot) error {
	// A delegation, objection or endorsement follows its round or demand,
	// so an edit can move it to another negotiation, where its later
	// revisions are not in the walk below. Those whose latest revision at
	// asOf is such a move are few; finding them costs one probe of
	// revisions_resource per revision of those kinds here.
	movedRows, err := tx.Raw(`SELECT DISTINCT o.resource_type, o.resource_id FROM revisions n
		JOIN revisions o ON o.resource_type = n.resource_type AND o.resource_id = n.resource_id AND o.revision > n.revision
		WHERE n.negotiation_id = ? AND n.at <= ? AND n.resource_type IN (?, ?, ?)
			AND o.at <= ? AND (o.negotiation_id IS NULL OR o.negotiation_id <> ?)
			AND o.revision > (SELECT MAX(x.revision) FROM revisions x
				WHERE x.resource_type = o.resource_type AND x.resource_id = o.resource_id AND x.negotiation_id = ? AND x.at <= ?)`,
		negotiationID, asOf, string(domain.KindDelegation), string(domain.KindObjection), string(domain.KindEndorsement),
		asOf, negotiationID, negotiationID, asOf).Rows()
	if err != nil {
		return fmt.Errorf("store: snapshot: %w", err)
	}
	movedOut := map[resourceKey]bool{}
	for movedRows.Next() {
		var k resourceKey
		if err := movedRows.Scan(&k.kind, &k.id); err != nil {
			movedRows.Close()
			return fmt.Errorf("store: snapshot: %w", err)
		}
		movedOut[k] = true
	}
	movedRows.Close()
	if err := movedRows.Err(); err != nil {
		return fmt.Errorf("store: snapshot: %w", err)
	}
	// Every revision recorded in the negotiation up to asOf, in one ordered
	// walk of revisions_negotiation_resource: the last of each resource is
	// its state at asOf, unless it is a delete or a move out. SQLite's
	// planner, having no statistics, would rather range over
	// revisions_negotiation_at and sort every body; the index that needs no
	// sort is named.
	from := "revisions"
	if s.dialect == dialectSQLite {
		from = "revisions INDEXED BY revisions_negotiation_resource"
	}
	rows, err := tx.Raw(`SELECT resource_type, resource_id, action, body FROM `+from+`
		WHERE negotiation_id = ? AND at <= ?
		ORDER BY resource_type, resource_id, revision`, negotiationID, asOf).Rows()
	if err != nil {
		return fmt.Errorf("store: snapshot: %w", err)
	}
	raws, err := lastRevisions(rows, movedOut)
	if err != nil {
		return err
	}
	if err := decodeInto(snap, raws); err != nil {
		return err
	}
	if snap.Negotiation == nil {
		return &domain.NotFoundError{Kind: domain.KindNegotiation, ID: negotiationID}
	}
	// Parties belong to no negotiation: their revisions up to asOf, by id.
	var parties []rawBody
	for _, ids := range idBatches(snapshotPartyIDs(snap)) {
		rows, err := tx.Raw(`SELECT resource_type, resource_id, action, body FROM revisions
			WHERE resource_type = ? AND resource_id IN ? AND at <= ?
			ORDER BY resource_type, resource_id, revision`, string(domain.KindParty), ids, asOf).Rows()
		if err != nil {
			return fmt.Errorf("store: snapshot: %w", err)
		}
		batch, err := lastRevisions(rows, nil)
		if err != nil {
			return err
		}
		parties = append(parties, batch...)
	}
	return decodeInto(snap, parties)
}

// resourceKey names one resource in the revisions table.
type resourceKey struct {
	kind string
	id   string
}

// lastRevisions reads rows of (resource_type, resource_id, action, body)
// ordered by resource and revision, and closes them. It returns the body of
// each resource's last revision, unless that is a delete or the resource is
// in movedOut.
func lastRevisions(rows *sql.Rows, movedOut map[resourceKey]bool) ([]rawBody, error) {
	defer rows.Close()
	var out []rawBody
	var cur, next resourceKey
	var action, body string
	// keep adds the resource just read in full, if it stood at the instant.
	keep := func() {
		if cur.id != "" && action != "delete" && !movedOut[cur] {
			out = append(out, rawBody{domain.Kind(cur.kind), body})
		}
	}
	for rows.Next() {
		var nextAction, nextBody string
		if err := rows.Scan(&next.kind, &next.id, &nextAction, &nextBody); err != nil {
			return nil, fmt.Errorf("store: snapshot: %w", err)
		}
		if next != cur {
			keep()
			cur = next
		}
		action, body = nextAction, nextBody
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: snapshot: %w", err)
	}
	keep()
	return out, nil
}

// collectBodies gathers every body a query returns, to be decoded later.
func collectBodies(tx *gorm.DB, raws *[]rawBody, k domain.Kind, q string, args ...any) error {
	rows, err := tx.Raw(q, args...).Rows()
	if err != nil {
		return fmt.Errorf("store: snapshot %s: %w", k, err)
	}
	defer rows.Close()
	for rows.Next() {
		var body string
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
