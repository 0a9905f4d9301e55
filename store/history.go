package store

import (
	"bytes"
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
	// effectiveAt is negotiation time; a delete's is its record time.
	effectiveAt time.Time
	note        string
	citations   []domain.Citation
	// undated leaves effective_at NULL, for backfillNegotiationTime to set
	// (the import of an export written before negotiation time).
	undated bool
}

func addRevision(tx *gorm.DB, r revisionRow) error {
	args, err := revisionArgs(r)
	if err != nil {
		return err
	}
	err = tx.Exec("INSERT INTO revisions (resource_type, resource_id, revision, action, actor, at, negotiation_id, body, effective_at, change_note, change_citations) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", args...).Error
	if err != nil {
		return fmt.Errorf("store: record %s revision: %w", r.action, err)
	}
	return nil
}

// revisionArgs are the values of a revision's row, in the column order
// of addRevision.
func revisionArgs(r revisionRow) ([]any, error) {
	eff := r.effectiveAt
	if eff.IsZero() {
		eff = r.at
	}
	cits, err := encodeCitations(r.citations)
	if err != nil {
		return nil, err
	}
	var effective any = bound(eff)
	if r.undated {
		effective = nil
	}
	return []any{string(r.kind), r.id, r.revision, r.action, r.actor, r.at, nullable(r.negotiationID), string(r.body), effective, nullable(r.note), cits}, nil
}

// encodeCitations is the stored form of a revision's change_citations:
// NULL for none.
func encodeCitations(cs []domain.Citation) (any, error) {
	if len(cs) == 0 {
		return nil, nil
	}
	b, err := marshal(cs)
	if err != nil {
		return nil, fmt.Errorf("store: encode change citations: %w", err)
	}
	return string(bytes.TrimRight(b, "\n")), nil
}

// decodeCitations reads a stored change_citations column; NULL is none.
func decodeCitations(s sql.NullString) ([]domain.Citation, error) {
	out := []domain.Citation{}
	if !s.Valid || s.String == "" {
		return out, nil
	}
	if err := json.Unmarshal([]byte(s.String), &out); err != nil {
		return nil, fmt.Errorf("store: decode change citations: %w", err)
	}
	return out, nil
}

// revisionColumns are the columns scanRevision reads, in its order.
const revisionColumns = "resource_type, resource_id, revision, action, actor, at, effective_at, change_note, change_citations, body"

// scanRevision reads one row of revisionColumns.
func scanRevision(rows *sql.Rows, extra ...any) (domain.Revision, error) {
	var rev domain.Revision
	var kind string
	var at, eff dbTime
	var note, cits sql.NullString
	var body []byte
	dest := append([]any{&kind, &rev.ResourceID, &rev.Revision, &rev.Action, &rev.Actor, &at, &eff, &note, &cits, &body}, extra...)
	if err := rows.Scan(dest...); err != nil {
		return rev, err
	}
	rev.ResourceType = domain.Kind(kind)
	rev.At, rev.EffectiveAt, rev.ChangeNote = at.Time, eff.Time, note.String
	rev.Resource = json.RawMessage(body)
	var err error
	rev.ChangeCitations, err = decodeCitations(cits)
	return rev, err
}

// History returns every revision of one resource, oldest first, deleted
// ones included; a *domain.NotFoundError if it never existed.
func (s *Store) History(ctx context.Context, k domain.Kind, id string) ([]domain.Revision, error) {
	if _, err := tableOf(k); err != nil {
		return nil, err
	}
	rows, err := s.r.WithContext(ctx).Raw("SELECT "+revisionColumns+" FROM revisions WHERE resource_type = ? AND resource_id = ? ORDER BY revision", string(k), id).Rows()
	if err != nil {
		return nil, fmt.Errorf("store: history: %w", err)
	}
	defer rows.Close()
	var out []domain.Revision
	for rows.Next() {
		rev, err := scanRevision(rows)
		if err != nil {
			return nil, fmt.Errorf("store: history: %w", err)
		}
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
var snapshotKinds = []domain.Kind{domain.KindRound, domain.KindDelegation, domain.KindTopic, domain.KindDemand, domain.KindObjection, domain.KindRebuttal, domain.KindEndorsement}

// Snapshot loads everything in a negotiation as it stood at a moment: as
// it stands, or rebuilt from the history in negotiation time (at.AsOf) as
// recorded by at.RecordedAsOf. Either way it costs a fixed handful of
// queries.
func (s *Store) Snapshot(ctx context.Context, negotiationID string, at domain.Moment) (*domain.Snapshot, error) {
	if at.IsNow() {
		return s.currentSnapshot(ctx, negotiationID)
	}
	snap := &domain.Snapshot{}
	if !at.AsOf.IsZero() {
		snap.AsOf = bound(at.AsOf)
	}
	if !at.RecordedAsOf.IsZero() {
		snap.RecordedAsOf = bound(at.RecordedAsOf)
	}
	if err := s.read(ctx, func(tx *gorm.DB) error { return s.snapshotAsOf(tx, negotiationID, snap) }); err != nil {
		return nil, err
	}
	sortSnapshot(snap)
	return snap, nil
}

// currentSnapshot is the negotiation as it stands, from the cache when
// nothing in it has changed since it was last read.
func (s *Store) currentSnapshot(ctx context.Context, negotiationID string) (*domain.Snapshot, error) {
	var out *domain.Snapshot
	err := s.read(ctx, func(tx *gorm.DB) error {
		mark, err := readSnapshotMark(tx, negotiationID)
		if err != nil {
			return err
		}
		kept, keptMark, err := s.snaps.kept(negotiationID)
		if err != nil {
			return err
		}
		if kept != nil && keptMark == mark {
			out = shareSnapshot(kept)
			return nil
		}
		if kept != nil {
			snap, ok, err := refreshSnapshot(tx, kept, keptMark, mark)
			if err != nil {
				return err
			}
			if ok {
				out = s.snaps.put(negotiationID, mark, snap)
				return nil
			}
		}
		snap := &domain.Snapshot{}
		if err := s.snapshotNow(tx, negotiationID, snap); err != nil {
			return err
		}
		sortSnapshot(snap)
		out = s.snaps.put(negotiationID, mark, snap)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
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
	if err := collectByID(tx, &raws, domain.KindParty, snapshotPartyIDs(snap)); err != nil {
		return err
	}
	return decodeInto(snap, raws)
}

// collectByID adds the stored bodies of the resources of kind k with
// these ids, in batches of at most maxBatch.
func collectByID(tx *gorm.DB, raws *[]rawBody, k domain.Kind, ids []string) error {
	for _, batch := range idBatches(ids) {
		if err := collectBodies(tx, raws, k, "SELECT body FROM "+tables[k].name+" WHERE id IN ?", batch); err != nil {
			return err
		}
	}
	return nil
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

// farFuture stands for "no bound" in a comparison with a stored time.
var farFuture = time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC)

func orFarFuture(t time.Time) time.Time {
	if t.IsZero() {
		return farFuture
	}
	return t
}

// containerKinds are the kinds a view cannot do without while something in
// them stands: a demand stated before its topic or round took effect (a
// position from before the talks opened) still shows under them.
var containerKinds = map[domain.Kind]bool{domain.KindNegotiation: true, domain.KindTopic: true, domain.KindRound: true}

func (s *Store) snapshotAsOf(tx *gorm.DB, negotiationID string, snap *domain.Snapshot) error {
	asOf, recorded := orFarFuture(snap.AsOf), orFarFuture(snap.RecordedAsOf)
	// Every revision recorded in the negotiation by recorded, in one walk
	// of revisions_negotiation_timeline: each resource's revisions in
	// timeline order, the last that took effect by asOf being its state.
	// Deletes (records made in error) and creates (the first state of a
	// container) are read whatever their date. SQLite's planner, having no
	// statistics, would rather use another index and sort every body; the
	// index that needs no sort is named.
	from := "revisions"
	if s.dialect == dialectSQLite {
		from = "revisions INDEXED BY revisions_negotiation_timeline"
	}
	rows, err := tx.Raw(`SELECT resource_type, resource_id, action, effective_at <= ?, body FROM `+from+`
		WHERE negotiation_id = ? AND at <= ? AND (effective_at <= ? OR action = 'delete'
			OR (revision = 1 AND resource_type IN (?, ?, ?)))
		ORDER BY resource_type, resource_id, effective_at, revision`, asOf, negotiationID, recorded, asOf,
		string(domain.KindNegotiation), string(domain.KindTopic), string(domain.KindRound)).Rows()
	if err != nil {
		return fmt.Errorf("store: snapshot: %w", err)
	}
	raws, pending, err := statesAt(rows)
	if err != nil {
		return err
	}
	if err := decodeInto(snap, raws); err != nil {
		return err
	}
	if err := addContainers(snap, pending); err != nil {
		return err
	}
	if snap.Negotiation == nil {
		return notYet(negotiationID, snap, len(pending) > 0)
	}
	// Parties belong to no negotiation and have no negotiation time: they
	// are read as recorded by then.
	var parties []rawBody
	for _, ids := range idBatches(snapshotPartyIDs(snap)) {
		rows, err := tx.Raw(`SELECT resource_type, resource_id, action, true, body FROM revisions
			WHERE resource_type = ? AND resource_id IN ? AND at <= ?
			ORDER BY resource_type, resource_id, revision`, string(domain.KindParty), ids, recorded).Rows()
		if err != nil {
			return fmt.Errorf("store: snapshot: %w", err)
		}
		batch, _, err := statesAt(rows)
		if err != nil {
			return err
		}
		parties = append(parties, batch...)
	}
	return decodeInto(snap, parties)
}

// notYet is the answer for a negotiation that is not in a view of the
// past: nothing in it had taken effect, or it had not been recorded.
func notYet(id string, snap *domain.Snapshot, recorded bool) error {
	nf := &domain.NotFoundError{Kind: domain.KindNegotiation, ID: id}
	switch {
	case recorded:
		nf.Why = "nothing in it had taken effect as of " + snap.AsOf.Format(time.RFC3339)
	case !snap.RecordedAsOf.IsZero():
		nf.Why = "it had not been recorded as of " + snap.RecordedAsOf.Format(time.RFC3339)
	}
	return nf
}

// addContainers adds to the snapshot, in their first state, the
// containers that had not yet taken effect but that something standing
// refers to; the negotiation itself as soon as anything in it stands (a
// position stated before the talks opened).
func addContainers(snap *domain.Snapshot, pending map[resourceKey]rawBody) error {
	if len(pending) == 0 {
		return nil
	}
	if len(snap.Rounds)+len(snap.Topics)+len(snap.Demands)+len(snap.Delegations) == 0 {
		return nil
	}
	wanted := map[string]bool{}
	for _, d := range snap.Demands {
		wanted[d.TopicID], wanted[d.RoundID] = true, true
	}
	for _, d := range snap.Delegations {
		wanted[d.RoundID] = true
	}
	var raws []rawBody
	for k, raw := range pending {
		if (k.kind == string(domain.KindNegotiation) && snap.Negotiation == nil) || wanted[k.id] {
			raws = append(raws, raw)
		}
	}
	return decodeInto(snap, raws)
}

// resourceKey names one resource in the revisions table.
type resourceKey struct {
	kind string
	id   string
}

// statesAt reads rows of (resource_type, resource_id, action, in effect,
// body) ordered by resource and timeline, and closes them. It returns the
// body of each resource's last revision in effect, leaving out any
// resource with a delete; and, for containers with none in effect, their
// first body.
func statesAt(rows *sql.Rows) ([]rawBody, map[resourceKey]rawBody, error) {
	defer rows.Close()
	var out []rawBody
	pending := map[resourceKey]rawBody{}
	var cur, next resourceKey
	var body, first string
	var deleted, found bool
	// keep adds the resource just read in full.
	keep := func() {
		switch {
		case cur.id == "" || deleted:
		case found:
			out = append(out, rawBody{domain.Kind(cur.kind), body})
		case containerKinds[domain.Kind(cur.kind)] && first != "":
			pending[cur] = rawBody{domain.Kind(cur.kind), first}
		}
	}
	for rows.Next() {
		var action, nextBody string
		var inEffect bool
		if err := rows.Scan(&next.kind, &next.id, &action, &inEffect, &nextBody); err != nil {
			return nil, nil, fmt.Errorf("store: snapshot: %w", err)
		}
		if next != cur {
			keep()
			cur, deleted, found, first = next, false, false, ""
		}
		switch {
		case action == "delete":
			deleted = true
		case inEffect:
			body, found = nextBody, true
		}
		if first == "" && action == "create" {
			first = nextBody
		}
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("store: snapshot: %w", err)
	}
	keep()
	return out, pending, nil
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
