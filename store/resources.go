package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/parley/parley/domain"
)

// Create normalizes and validates r, checks its references in the same
// transaction as the insert, fills in its Meta and stores it with a
// "create" revision by actor, taking effect as when says.
func (s *Store) Create(ctx context.Context, actor string, r domain.Resource, when domain.Dating) error {
	if r == nil {
		return errors.New("store: create: no resource")
	}
	if _, err := tableOf(r.Kind()); err != nil {
		return err
	}
	r.Normalize()
	errs := r.Validate()
	return s.write(ctx, func(tx *gorm.DB) error {
		return s.createIn(tx, actor, r, when, errs, "", nil, now(), nil)
	})
}

// CreateMany creates rs in one write transaction, each as Create does,
// with whens[i] (absent: its own date). A resource whose ID is set keeps
// it, so that later resources of the batch can refer to it. Every
// resource is checked, and the problems of all of them come back together
// as a *domain.BatchError; any problem writes nothing. References (and a
// topic's term definitions) are looked up once per batch, not once per
// resource, and demands, objections and endorsements reach the database
// as multi-row INSERTs (see batchRows). A taken id stops the batch at the
// statement that would write it, so the problems told with it are those
// of the resources before.
func (s *Store) CreateMany(ctx context.Context, actor string, rs []domain.Resource, whens []domain.Dating) error {
	ids := make([]string, len(rs))
	errs := make([]domain.FieldErrors, len(rs))
	for i, r := range rs {
		if r == nil {
			return fmt.Errorf("store: create many: no resource at %d", i)
		}
		if _, err := tableOf(r.Kind()); err != nil {
			return err
		}
		ids[i] = r.Base().ID
		r.Normalize()
		errs[i] = r.Validate()
		if ids[i] != "" && !validID(ids[i]) {
			errs[i].Add("id", "must be a UUID")
		}
	}
	return s.write(ctx, func(tx *gorm.DB) error {
		at := now()
		cache := newRefCache()
		rows := &batchRows{}
		var batch domain.BatchError
		for i, r := range rs {
			var when domain.Dating
			if i < len(whens) {
				when = whens[i]
			}
			// Rows wait only while nothing checked next may read them.
			if t, _ := tableOf(r.Kind()); !gathers(r) || rows.holdsOther(t) || rows.full() {
				if err := rows.flush(tx); err != nil {
					return joinBatch(&batch, err)
				}
			}
			err := s.createIn(tx, actor, r, when, errs[i], ids[i], cache, at, rows.gather(i))
			var conf *domain.ConflictError
			switch {
			case errors.As(err, &conf):
				// A duplicate may be the answer to a statement that
				// failed, after which PostgreSQL runs no other in this
				// transaction: the batch stops here.
				batch.Items = append(batch.Items, domain.BatchItemError{Index: i, Err: err})
				return &batch
			case isItemError(err):
				batch.Items = append(batch.Items, domain.BatchItemError{Index: i, Err: err})
			case err != nil:
				return err
			}
		}
		if len(batch.Items) > 0 {
			return &batch
		}
		return joinBatch(&batch, rows.flush(tx))
	})
}

// isItemError reports whether err is a problem of the resource written
// rather than of the database.
func isItemError(err error) bool {
	var inv *domain.ValidationError
	return errors.As(err, &inv)
}

// createIn checks and inserts one resource inside a write transaction,
// with its create revision recorded at at. errs holds what Validate found;
// id, when not "", is the id the resource keeps; cache, when not nil,
// remembers the references looked up across a batch.
//
// gather, when not nil, takes the rows of a resource batchRows may hold
// (see gathers) instead of their being inserted at once.
func (s *Store) createIn(tx *gorm.DB, actor string, r domain.Resource, when domain.Dating, errs domain.FieldErrors, id string, cache *refCache, at time.Time, gather func(table, domain.Resource, []byte, revisionRow)) error {
	t, err := tableOf(r.Kind())
	if err != nil {
		return err
	}
	errs, err = checkRefs(tx, r, errs, nil, s.shareLock(), cache)
	if err != nil {
		return err
	}
	if err := errs.Err(); err != nil {
		return err
	}
	if err := s.checkUnique(tx, r, ""); err != nil {
		return err
	}
	if id == "" {
		u, err := uuid.NewV7()
		if err != nil {
			return fmt.Errorf("store: new id: %w", err)
		}
		id = u.String()
	}
	effective, err := createEffective(tx, r, when, at)
	if err != nil {
		return err
	}
	*r.Base() = domain.Meta{ID: id, CreatedAt: at, UpdatedAt: at, Version: 1, EffectiveAt: bound(effective)}
	rev := revisionRow{
		kind: r.Kind(), id: id, revision: 1, action: "create", actor: actor,
		at: at, negotiationID: r.Negotiation(),
		effectiveAt: effective, note: when.Note, citations: when.Citations,
	}
	if gather != nil && gathers(r) {
		body, err := encodeBody(r)
		if err != nil {
			*r.Base() = domain.Meta{}
			return fmt.Errorf("store: encode %s: %w", r.Kind().Singular(), err)
		}
		rev.body = body
		gather(t, r, body, rev)
		cache.remember(r)
		return nil
	}
	body, err := insertRow(tx, t, r)
	if err != nil {
		*r.Base() = domain.Meta{}
		return err
	}
	if err := syncClaims(tx, r, false); err != nil {
		*r.Base() = domain.Meta{}
		return err
	}
	if n, ok := r.(*domain.Negotiation); ok {
		if err := syncParticipants(tx, n); err != nil {
			return writeError(err, r)
		}
	}
	if p, ok := r.(*domain.Party); ok {
		if err := syncMembers(tx, p); err != nil {
			return writeError(err, r)
		}
	}
	cache.remember(r)
	rev.body = body
	return addRevision(tx, rev)
}

// Get returns the resource, or a *domain.NotFoundError.
func (s *Store) Get(ctx context.Context, k domain.Kind, id string) (domain.Resource, error) {
	r, _, err := s.get(s.r.WithContext(ctx), k, id, false)
	return r, err
}

// get reads one resource and its stored body; lock takes a row lock on
// PostgreSQL for a write that follows.
func (s *Store) get(tx *gorm.DB, k domain.Kind, id string, lock bool) (domain.Resource, []byte, error) {
	t, err := tableOf(k)
	if err != nil {
		return nil, nil, err
	}
	q := "SELECT body FROM " + t.name + " WHERE id = ?"
	if lock {
		q += s.forUpdate()
	}
	var body []byte
	if err := tx.Raw(q, id).Row().Scan(&body); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, nil, &domain.NotFoundError{Kind: k, ID: id}
		}
		return nil, nil, fmt.Errorf("store: get %s: %w", k.Singular(), err)
	}
	r, err := decode(k, body)
	return r, body, err
}

// Update passes the resource as it stood at when.EffectiveAt (now when
// zero) to change, and stores what change returns with an "update" revision
// taking effect then, all in one write transaction. A change dated before
// the resource's latest dated change is inserted into its timeline: the
// stored row takes it only if it is now the latest, and otherwise keeps
// its state under the new version. The write itself is one conditional
// UPDATE on the version read, so a writer that lost a race changes
// nothing. It returns the resource as it now stands.
func (s *Store) Update(ctx context.Context, actor string, k domain.Kind, id string, ifVersion int, when domain.Dating, change func(current domain.Resource) (domain.Resource, error)) (domain.Resource, error) {
	t, err := tableOf(k)
	if err != nil {
		return nil, err
	}
	var out domain.Resource
	err = s.write(ctx, func(tx *gorm.DB) error {
		cur, curBody, err := s.get(tx, k, id, true)
		if err != nil {
			return err
		}
		meta := *cur.Base()
		if ifVersion > 0 && ifVersion != meta.Version {
			return &domain.PreconditionError{Kind: k, ID: id, Current: meta.Version, Wanted: ifVersion}
		}
		at := now()
		effective := bound(when.EffectiveAt)
		if when.EffectiveAt.IsZero() {
			effective = at
		}
		// The latest dated state stays current when the change is dated
		// before it; the change then applies to the state at its date.
		latest := !effective.Before(meta.EffectiveAt)
		base, body := cur, curBody
		if !latest {
			if body, err = stateAt(tx, k, id, effective); err != nil {
				return err
			}
			if body == nil {
				first, err := firstEffective(tx, k, id)
				if err != nil {
					return err
				}
				return tookEffectError(k, first)
			}
			if base, err = decode(k, body); err != nil {
				return err
			}
		}
		// change may modify what it is given; the comparisons below need
		// the resource as stored.
		old, err := decode(k, body)
		if err != nil {
			return err
		}
		baseMeta := *base.Base()
		next, err := change(base)
		if err != nil {
			return err
		}
		if next == nil || next.Kind() != k {
			return fmt.Errorf("store: update %s: change returned another kind", k.Singular())
		}
		next.Normalize()
		*next.Base() = baseMeta
		errs := next.Validate()
		errs, err = checkRefs(tx, next, errs, old, s.shareLock(), nil)
		if err != nil {
			return err
		}
		if err := errs.Err(); err != nil {
			return err
		}
		if latest {
			if err := s.checkUnique(tx, next, id); err != nil {
				return err
			}
		}
		// A change that changes nothing is no change: the version counts
		// changes, and the history should not fill with empty revisions.
		if same, err := encodeBody(next); err == nil && string(same) == string(body) {
			out = cur
			return nil
		}
		version := meta.Version + 1
		*next.Base() = domain.Meta{ID: meta.ID, CreatedAt: meta.CreatedAt, UpdatedAt: at, Version: version, EffectiveAt: effective}
		revBody, err := encodeBody(next)
		if err != nil {
			return fmt.Errorf("store: encode %s: %w", k.Singular(), err)
		}
		row, rowBody := next, revBody
		if !latest {
			row = cur
			*row.Base() = domain.Meta{ID: meta.ID, CreatedAt: meta.CreatedAt, UpdatedAt: at, Version: version, EffectiveAt: meta.EffectiveAt}
			if rowBody, err = encodeBody(row); err != nil {
				return fmt.Errorf("store: encode %s: %w", k.Singular(), err)
			}
		}
		if err := updateRow(tx, t, row, rowBody, meta.Version); err != nil {
			return err
		}
		if latest {
			if err := syncClaims(tx, row, false); err != nil {
				return err
			}
		}
		if n, ok := row.(*domain.Negotiation); ok && latest {
			if err := syncParticipants(tx, n); err != nil {
				return writeError(err, next)
			}
		}
		if t, ok := next.(*domain.Topic); ok && latest && definitionsChanged(old, next) {
			if err := convertTopicDemands(tx, t, actor, at, effective); err != nil {
				return err
			}
		}
		if p, ok := row.(*domain.Party); ok && latest {
			if err := syncMembers(tx, p); err != nil {
				return writeError(err, next)
			}
		}
		if err := addRevision(tx, revisionRow{
			kind: k, id: id, revision: version, action: "update", actor: actor,
			at: at, negotiationID: next.Negotiation(), body: revBody,
			effectiveAt: effective, note: when.Note, citations: when.Citations,
		}); err != nil {
			return err
		}
		out = row
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// updateRow writes a resource's row, on condition that it still has the
// version read.
func updateRow(tx *gorm.DB, t table, r domain.Resource, body []byte, readVersion int) error {
	m := r.Base()
	sets := make([]string, 0, len(t.cols)+4)
	args := make([]any, 0, len(t.cols)+6)
	vals := values(r)
	for i, c := range t.cols {
		sets = append(sets, c+" = ?")
		args = append(args, vals[i])
	}
	sets = append(sets, "search = ?", "body = ?", "version = ?", "updated_at = ?")
	args = append(args, r.SearchText(), string(body), m.Version, m.UpdatedAt, m.ID, readVersion)
	res := tx.Exec("UPDATE "+t.name+" SET "+strings.Join(sets, ", ")+" WHERE id = ? AND version = ?", args...)
	if res.Error != nil {
		return writeError(res.Error, r)
	}
	if res.RowsAffected == 0 {
		return &domain.PreconditionError{Kind: r.Kind(), ID: m.ID, Current: currentVersion(tx, t, m.ID), Wanted: readVersion}
	}
	return nil
}

// currentVersion reads the version that beat a conditional update, for the
// 412's detail; 0 if the resource is gone.
func currentVersion(tx *gorm.DB, t table, id string) int {
	var v int
	_ = tx.Raw("SELECT version FROM "+t.name+" WHERE id = ?", id).Row().Scan(&v)
	return v
}

// ownedPart is a kind whose resources go with their owner when it is
// deleted: those whose column names the owner, or, with via, those whose
// column names a resource that via selects by the owner's id (a demand's
// objections' rebuttals). Parts are deleted in the order listed, so the
// parts of parts go first.
type ownedPart struct {
	kind   domain.Kind
	column string
	via    string
}

// where is the condition selecting the part's rows, with one placeholder
// for the owner's id.
func (p ownedPart) where() string {
	if p.via != "" {
		return p.column + " IN (" + p.via + ")"
	}
	return p.column + " = ?"
}

var ownedParts = map[domain.Kind][]ownedPart{
	domain.KindDemand: {
		{kind: domain.KindRebuttal, column: "objection_id", via: "SELECT id FROM objections WHERE demand_id = ?"},
		{kind: domain.KindObjection, column: "demand_id"},
		{kind: domain.KindEndorsement, column: "demand_id"},
	},
	domain.KindObjection: {{kind: domain.KindRebuttal, column: "objection_id"}},
	domain.KindRound:     {{kind: domain.KindDelegation, column: "round_id"}},
}

// referrer is a query for what refers to a resource of some kind and so
// keeps it from being deleted.
type referrer struct {
	kind  domain.Kind
	field string
	query string
}

// maxReferrers bounds how many referrers of each kind a 409 names.
const maxReferrers = 1000

var referrers = map[domain.Kind][]referrer{
	domain.KindParty: {
		{domain.KindNegotiation, "participants", "SELECT DISTINCT negotiation_id FROM negotiation_participants WHERE party_id = ? ORDER BY negotiation_id"},
		{domain.KindParty, "members", "SELECT DISTINCT bloc_id FROM party_members WHERE party_id = ? ORDER BY bloc_id"},
		{domain.KindRound, "host_party_id", "SELECT id FROM rounds WHERE host_party_id = ? ORDER BY id"},
		{domain.KindDelegation, "party_id", "SELECT id FROM delegations WHERE party_id = ? ORDER BY id"},
		{domain.KindDemand, "party_id", "SELECT id FROM demands WHERE party_id = ? ORDER BY id"},
		{domain.KindObjection, "party_id", "SELECT id FROM objections WHERE party_id = ? ORDER BY id"},
		{domain.KindRebuttal, "party_id", "SELECT id FROM rebuttals WHERE party_id = ? ORDER BY id"},
		{domain.KindEndorsement, "party_id", "SELECT id FROM endorsements WHERE party_id = ? ORDER BY id"},
	},
	domain.KindNegotiation: {
		{domain.KindRound, "negotiation_id", "SELECT id FROM rounds WHERE negotiation_id = ? ORDER BY id"},
		{domain.KindTopic, "negotiation_id", "SELECT id FROM topics WHERE negotiation_id = ? ORDER BY id"},
		{domain.KindDemand, "negotiation_id", "SELECT id FROM demands WHERE negotiation_id = ? ORDER BY id"},
	},
	domain.KindTopic: {
		{domain.KindDemand, "topic_id", "SELECT id FROM demands WHERE topic_id = ? ORDER BY id"},
	},
	domain.KindRound: {
		{domain.KindDemand, "round_id", "SELECT id FROM demands WHERE round_id = ? ORDER BY id"},
		{domain.KindObjection, "round_id", "SELECT id FROM objections WHERE round_id = ? ORDER BY id"},
		{domain.KindRebuttal, "round_id", "SELECT id FROM rebuttals WHERE round_id = ? ORDER BY id"},
		{domain.KindEndorsement, "round_id", "SELECT id FROM endorsements WHERE round_id = ? ORDER BY id"},
	},
	domain.KindDemand: {
		{domain.KindDemand, "responds_to_id", "SELECT id FROM demands WHERE responds_to_id = ? ORDER BY id"},
	},
}

// Delete removes the resource and the parts it owns, each with a "delete"
// revision holding it as it was. A resource that others still refer to is a
// *domain.ConflictError naming them.
func (s *Store) Delete(ctx context.Context, actor string, k domain.Kind, id string, ifVersion int) error {
	t, err := tableOf(k)
	if err != nil {
		return err
	}
	return s.write(ctx, func(tx *gorm.DB) error {
		cur, body, err := s.get(tx, k, id, true)
		if err != nil {
			return err
		}
		version := cur.Base().Version
		if ifVersion > 0 && ifVersion != version {
			return &domain.PreconditionError{Kind: k, ID: id, Current: version, Wanted: ifVersion}
		}
		refs, err := referringRefs(tx, k, id)
		if err != nil {
			return err
		}
		if len(refs) > 0 {
			return domain.NewReferencedError(k, id, refs)
		}
		at := now()
		for _, part := range ownedParts[k] {
			if err := s.deleteParts(tx, part, id, actor, at); err != nil {
				return err
			}
		}
		if k == domain.KindNegotiation {
			if err := tx.Exec("DELETE FROM negotiation_participants WHERE negotiation_id = ?", id).Error; err != nil {
				return fmt.Errorf("store: delete negotiation: %w", err)
			}
		}
		if k == domain.KindParty {
			if err := tx.Exec("DELETE FROM party_members WHERE bloc_id = ?", id).Error; err != nil {
				return fmt.Errorf("store: delete party: %w", err)
			}
		}
		res := tx.Exec("DELETE FROM "+t.name+" WHERE id = ? AND version = ?", id, version)
		if res.Error != nil {
			return writeError(res.Error, cur)
		}
		if res.RowsAffected == 0 {
			return &domain.PreconditionError{Kind: k, ID: id, Current: currentVersion(tx, t, id), Wanted: version}
		}
		return addRevision(tx, revisionRow{
			kind: k, id: id, revision: version + 1, action: "delete", actor: actor,
			at: at, negotiationID: cur.Negotiation(), body: body,
		})
	})
}

// referringRefs lists what refers to a resource and so keeps it from being
// deleted, at most maxReferrers of each kind.
func referringRefs(tx *gorm.DB, k domain.Kind, id string) ([]domain.Ref, error) {
	var refs []domain.Ref
	for _, rf := range referrers[k] {
		ids, err := scanStrings(tx, rf.query+fmt.Sprintf(" LIMIT %d", maxReferrers), id)
		if err != nil {
			return nil, fmt.Errorf("store: referrers of %s: %w", k.Singular(), err)
		}
		for _, rid := range ids {
			refs = append(refs, domain.Ref{Field: rf.field, Kind: rf.kind, ID: rid})
		}
	}
	return refs, nil
}

// Dependents says what a delete of the resource would do, by the same
// rules Delete follows: the parts that would go with it, and what refers
// to it and so would make the delete a *domain.ConflictError; at most
// maxReferrers of each kind.
func (s *Store) Dependents(ctx context.Context, k domain.Kind, id string) (parts, referredBy []domain.Ref, err error) {
	err = s.read(ctx, func(tx *gorm.DB) error {
		if referredBy, err = referringRefs(tx, k, id); err != nil {
			return err
		}
		for _, part := range ownedParts[k] {
			ids, err := scanStrings(tx, "SELECT id FROM "+tables[part.kind].name+" WHERE "+part.where()+fmt.Sprintf(" ORDER BY id LIMIT %d", maxReferrers), id)
			if err != nil {
				return fmt.Errorf("store: parts of %s: %w", k.Singular(), err)
			}
			for _, pid := range ids {
				parts = append(parts, domain.Ref{Field: part.column, Kind: part.kind, ID: pid})
			}
		}
		return nil
	})
	return parts, referredBy, err
}

// deleteParts deletes every part of one owner, recording each.
func (s *Store) deleteParts(tx *gorm.DB, part ownedPart, ownerID, actor string, at time.Time) error {
	t, err := tableOf(part.kind)
	if err != nil {
		return err
	}
	var revs []revisionRow
	err = eachRow(tx, func(rows *sql.Rows) error {
		rev := revisionRow{kind: part.kind, action: "delete", actor: actor, at: at}
		if err := rows.Scan(&rev.id, &rev.revision, &rev.negotiationID, &rev.body); err != nil {
			return err
		}
		rev.revision++
		revs = append(revs, rev)
		return nil
	}, "SELECT id, version, negotiation_id, body FROM "+t.name+" WHERE "+part.where()+" ORDER BY id"+s.forUpdate(), ownerID)
	if err != nil {
		return fmt.Errorf("store: read %s: %w", part.kind, err)
	}
	if len(revs) == 0 {
		return nil
	}
	if err := tx.Exec("DELETE FROM "+t.name+" WHERE "+part.where(), ownerID).Error; err != nil {
		return fmt.Errorf("store: delete %s: %w", part.kind, err)
	}
	for _, rev := range revs {
		if err := addRevision(tx, rev); err != nil {
			return err
		}
	}
	return nil
}

// insertRow inserts a resource whose Meta is set and returns its body.
func insertRow(tx *gorm.DB, t table, r domain.Resource) ([]byte, error) {
	body, err := encodeBody(r)
	if err != nil {
		return nil, fmt.Errorf("store: encode %s: %w", r.Kind().Singular(), err)
	}
	m := r.Base()
	cols := append([]string{"id", "version", "created_at", "updated_at"}, t.cols...)
	cols = append(cols, "search", "body")
	args := append([]any{m.ID, m.Version, m.CreatedAt, m.UpdatedAt}, values(r)...)
	args = append(args, r.SearchText(), string(body))
	q := "INSERT INTO " + t.name + " (" + strings.Join(cols, ", ") + ") VALUES (" + placeholders(len(cols)) + ")"
	if err := tx.Exec(q, args...).Error; err != nil {
		return nil, writeError(err, r)
	}
	return body, nil
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// syncParticipants keeps negotiation_participants equal to the negotiation's
// participants list.
func syncParticipants(tx *gorm.DB, n *domain.Negotiation) error {
	if err := tx.Exec("DELETE FROM negotiation_participants WHERE negotiation_id = ?", n.ID).Error; err != nil {
		return err
	}
	for _, p := range n.Participants {
		if err := tx.Exec("INSERT INTO negotiation_participants (negotiation_id, party_id, role) VALUES (?, ?, ?)", n.ID, p.PartyID, p.Role).Error; err != nil {
			return err
		}
	}
	return nil
}

// writeError turns a broken constraint into the domain error a client
// should see; anything else is wrapped for the log.
func writeError(err error, r domain.Resource) error {
	switch constraintOf(err) {
	case uniqueViolation:
		return duplicateError(r)
	case foreignKeyViolation:
		// The references were checked in this transaction; on PostgreSQL a
		// concurrent delete can still win between the check and the write.
		return &domain.ConflictError{Detail: fmt.Sprintf("a resource this %s refers to was changed at the same time; try again", r.Kind().Singular())}
	}
	return fmt.Errorf("store: write %s: %w", r.Kind().Singular(), err)
}

func duplicateError(r domain.Resource) *domain.ConflictError {
	switch v := r.(type) {
	case *domain.Party:
		return &domain.ConflictError{Field: "name", Detail: fmt.Sprintf("a name or alias of party %q is another party's name or alias", v.Name)}
	case *domain.Topic:
		return &domain.ConflictError{Field: "title", Detail: fmt.Sprintf("a topic titled %q already exists in this negotiation", v.Title)}
	case *domain.Delegation:
		return &domain.ConflictError{Field: "party_id", Detail: "this party already has a delegation in this round"}
	}
	return &domain.ConflictError{Detail: fmt.Sprintf("this %s already exists", r.Kind().Singular())}
}

// refTarget is what a reference check learns of the resource referred to.
type refTarget struct {
	negotiationID string
	partyID       string
}

// refLookups selects, per kind, the negotiation and the party of a
// resource, for the rules that span two resources.
var refLookups = map[domain.Kind]string{
	domain.KindParty:       "SELECT '', '' FROM parties WHERE id = ?",
	domain.KindNegotiation: "SELECT id, '' FROM negotiations WHERE id = ?",
	domain.KindRound:       "SELECT negotiation_id, '' FROM rounds WHERE id = ?",
	domain.KindTopic:       "SELECT negotiation_id, '' FROM topics WHERE id = ?",
	domain.KindDemand:      "SELECT negotiation_id, party_id FROM demands WHERE id = ?",
	domain.KindDelegation:  "SELECT negotiation_id, party_id FROM delegations WHERE id = ?",
	domain.KindObjection:   "SELECT negotiation_id, party_id FROM objections WHERE id = ?",
	domain.KindRebuttal:    "SELECT negotiation_id, party_id FROM rebuttals WHERE id = ?",
	domain.KindEndorsement: "SELECT negotiation_id, party_id FROM endorsements WHERE id = ?",
}

// lookupRef reads what a reference check needs of the resource referred
// to; lock, when not "", is appended to hold that row until commit.
func lookupRef(tx *gorm.DB, k domain.Kind, id, lock string, cache *refCache) (refTarget, bool, error) {
	if t, ok := cache.target(k, id); ok {
		return t, true, nil
	}
	var t refTarget
	err := tx.Raw(refLookups[k]+lock, id).Row().Scan(&t.negotiationID, &t.partyID)
	if errors.Is(err, sql.ErrNoRows) {
		return t, false, nil
	}
	if err != nil {
		return t, false, fmt.Errorf("store: check %s reference: %w", k.Singular(), err)
	}
	cache.keep(k, id, t)
	return t, true, nil
}

// checkRefs adds to errs every reference of r to nothing and every broken
// rule that spans resources, and sets the negotiation that delegations,
// objections and endorsements derive. old is the stored resource on update,
// nil on create. Fields already in errs are not looked up again.
//
// shareLock is "" on SQLite, whose one writer runs alone, and FOR SHARE on
// PostgreSQL, where a rule that spans two rows (a demand's party is a
// participant; an objector is not the demanding party) could otherwise be
// broken by a writer changing the other row at the same time. The rows
// referred to are share-locked on create, when this transaction holds no
// row yet, and a negotiation always, as no writer that holds a negotiation
// waits for another row; that order leaves no cycle to deadlock on.
func checkRefs(tx *gorm.DB, r domain.Resource, errs domain.FieldErrors, old domain.Resource, shareLock string, cache *refCache) (domain.FieldErrors, error) {
	bad := map[string]bool{}
	for _, fe := range errs {
		bad[fe.Field] = true
	}
	found := map[string]refTarget{}
	for _, ref := range r.Refs() {
		if bad[ref.Field] {
			continue
		}
		lock := ""
		if old == nil || ref.Kind == domain.KindNegotiation {
			lock = shareLock
		}
		t, ok, err := lookupRef(tx, ref.Kind, ref.ID, lock, cache)
		if err != nil {
			return errs, err
		}
		if !ok {
			errs.Add(ref.Field, "refers to no %s", ref.Kind.Singular())
			bad[ref.Field] = true
			continue
		}
		found[ref.Field] = t
	}
	switch v := r.(type) {
	case *domain.Round, *domain.Topic:
		if old != nil && old.Negotiation() != r.Negotiation() && !bad["negotiation_id"] {
			errs.Add("negotiation_id", "cannot move to another negotiation")
		}
	case *domain.Delegation:
		if t, ok := found["round_id"]; ok {
			v.NegotiationID = t.negotiationID
			stayIn(&errs, old, v, "round_id", "a round")
		}
	case *domain.Demand:
		if old != nil && old.Negotiation() != v.NegotiationID && !bad["negotiation_id"] {
			errs.Add("negotiation_id", "cannot move to another negotiation")
			break
		}
		_, negOK := found["negotiation_id"]
		if _, ok := found["party_id"]; ok && negOK {
			takesPart, err := isParticipant(tx, v.NegotiationID, v.PartyID, cache)
			if err != nil {
				return errs, err
			}
			if !takesPart {
				errs.Add("party_id", "is not a participant of the negotiation")
			}
		}
		if _, ok := found["party_id"]; ok && old != nil && old.(*domain.Demand).PartyID != v.PartyID {
			var n int64
			if err := tx.Raw("SELECT COUNT(*) FROM objections WHERE demand_id = ? AND party_id = ?", v.ID, v.PartyID).Row().Scan(&n); err != nil {
				return errs, fmt.Errorf("store: check objections: %w", err)
			}
			if n > 0 {
				errs.Add("party_id", "objects to this demand itself; a party cannot object to its own demand")
			}
		}
		if t, ok := found["topic_id"]; ok && negOK && t.negotiationID != v.NegotiationID {
			errs.Add("topic_id", "is a topic of another negotiation")
		} else if ok && !bad["terms"] {
			if err := normalizeDemandTerms(tx, v, &errs, cache); err != nil {
				return errs, err
			}
		}
		if t, ok := found["round_id"]; ok && negOK && t.negotiationID != v.NegotiationID {
			errs.Add("round_id", "is a round of another negotiation")
		}
		if _, ok := found["responds_to_id"]; ok {
			if err := checkRespondsTo(tx, v, &errs); err != nil {
				return errs, err
			}
		}
	case *domain.Objection:
		if t, ok := found["demand_id"]; ok {
			v.NegotiationID = t.negotiationID
			stayIn(&errs, old, v, "demand_id", "a demand")
			if v.PartyID == t.partyID && !bad["party_id"] {
				errs.Add("party_id", "a party cannot object to its own demand")
			}
			sameRound(&errs, found, t.negotiationID)
		}
		if err := checkObjectorNotAnswering(tx, v, old, bad, &errs); err != nil {
			return errs, err
		}
	case *domain.Rebuttal:
		if t, ok := found["objection_id"]; ok {
			v.NegotiationID = t.negotiationID
			stayIn(&errs, old, v, "objection_id", "an objection")
			if v.PartyID == t.partyID && !bad["party_id"] {
				errs.Add("party_id", "is the objecting party; a party cannot answer its own objection")
			}
			sameRound(&errs, found, t.negotiationID)
		}
	case *domain.Endorsement:
		if t, ok := found["demand_id"]; ok {
			v.NegotiationID = t.negotiationID
			stayIn(&errs, old, v, "demand_id", "a demand")
			sameRound(&errs, found, t.negotiationID)
		}
	case *domain.Party:
		if err := checkBlocCycle(tx, v, bad, &errs); err != nil {
			return errs, err
		}
	case *domain.Negotiation:
		if o, ok := old.(*domain.Negotiation); ok {
			for _, p := range o.Participants {
				if v.Role(p.PartyID) != "" {
					continue
				}
				var n int64
				if err := tx.Raw("SELECT COUNT(*) FROM demands WHERE negotiation_id = ? AND party_id = ?", v.ID, p.PartyID).Row().Scan(&n); err != nil {
					return errs, fmt.Errorf("store: check participant: %w", err)
				}
				if n > 0 {
					errs.Add("participants", "cannot drop party %s: it has %d demands in this negotiation", p.PartyID, n)
				}
			}
		}
	}
	return errs, nil
}

// checkObjectorNotAnswering refuses moving an objection to a party that
// has answered it: that party would answer its own objection.
func checkObjectorNotAnswering(tx *gorm.DB, o *domain.Objection, old domain.Resource, bad map[string]bool, errs *domain.FieldErrors) error {
	was, ok := old.(*domain.Objection)
	if !ok || bad["party_id"] || was.PartyID == o.PartyID {
		return nil
	}
	var n int64
	if err := tx.Raw("SELECT COUNT(*) FROM rebuttals WHERE objection_id = ? AND party_id = ?", o.ID, o.PartyID).Row().Scan(&n); err != nil {
		return fmt.Errorf("store: check rebuttals: %w", err)
	}
	if n > 0 {
		errs.Add("party_id", "answers this objection itself; a party cannot answer its own objection")
	}
	return nil
}

// sameRound refuses a reaction dated to a round of another negotiation
// than its demand's.
func sameRound(errs *domain.FieldErrors, found map[string]refTarget, negotiationID string) {
	if t, ok := found["round_id"]; ok && t.negotiationID != negotiationID {
		errs.Add("round_id", "is a round of another negotiation than the demand's")
	}
}

// checkRespondsTo refuses a demand answering a demand of another topic,
// itself, or a chain that comes back to it.
func checkRespondsTo(tx *gorm.DB, d *domain.Demand, errs *domain.FieldErrors) error {
	var topicID string
	if err := tx.Raw("SELECT topic_id FROM demands WHERE id = ?", d.RespondsToID).Row().Scan(&topicID); err != nil {
		return fmt.Errorf("store: check responds_to_id: %w", err)
	}
	if topicID != d.TopicID {
		errs.Add("responds_to_id", "is a demand of another topic; a demand answers one of its own topic")
		return nil
	}
	// Walk the chain of answers up from the one answered: meeting this
	// demand again would make a loop. Chains are short; the bound keeps
	// a corrupt one from running on.
	next := d.RespondsToID
	for range 1000 {
		if d.ID != "" && next == d.ID {
			errs.Add("responds_to_id", "would make the demand answer itself through the demands it answers")
			return nil
		}
		var up *string
		if err := tx.Raw("SELECT responds_to_id FROM demands WHERE id = ?", next).Row().Scan(&up); err != nil {
			return fmt.Errorf("store: check responds_to_id: %w", err)
		}
		if up == nil || *up == "" {
			return nil
		}
		next = *up
	}
	return nil
}

// stayIn refuses a change that would move a part into another
// negotiation: each negotiation's timeline holds its own parts only.
func stayIn(errs *domain.FieldErrors, old, r domain.Resource, field, what string) {
	if old != nil && old.Negotiation() != r.Negotiation() {
		errs.Add(field, "is %s of another negotiation; a %s stays in its negotiation", what, r.Kind().Singular())
	}
}

// scanStrings runs a query of one text column.
func scanStrings(tx *gorm.DB, q string, args ...any) ([]string, error) {
	rows, err := tx.Raw(q, args...).Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
