package store

import (
	"database/sql"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/parley/parley/domain"
)

// createEffective is when a create takes effect: the time the write names,
// else the resource's own date (a delegation its round's starts_on, a
// topic its negotiation's started_on), else at, the time of recording.
func createEffective(tx *gorm.DB, r domain.Resource, when domain.Dating, at time.Time) (time.Time, error) {
	if !when.EffectiveAt.IsZero() {
		return when.EffectiveAt, nil
	}
	if t, ok := domain.OwnDate(r); ok {
		return t, nil
	}
	var owner domain.Kind
	var ownerID string
	switch v := r.(type) {
	case *domain.Delegation:
		owner, ownerID = domain.KindRound, v.RoundID
	case *domain.Topic:
		owner, ownerID = domain.KindNegotiation, v.NegotiationID
	default:
		return at, nil
	}
	body, err := currentBody(tx, owner, ownerID)
	if err != nil || body == nil {
		return at, err
	}
	res, err := decode(owner, body)
	if err != nil {
		return at, err
	}
	if t, ok := domain.OwnDate(res); ok {
		return t, nil
	}
	return at, nil
}

// currentBody reads a resource's stored body, nil if there is none.
func currentBody(tx *gorm.DB, k domain.Kind, id string) ([]byte, error) {
	t, err := tableOf(k)
	if err != nil {
		return nil, err
	}
	var body []byte
	err = tx.Raw("SELECT body FROM "+t.name+" WHERE id = ?", id).Row().Scan(&body)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: read %s: %w", k.Singular(), err)
	}
	return body, nil
}

// stateAt reads the body of a resource as it stood at negotiation time t:
// the last of its revisions in timeline order (effective_at, then
// revision) that took effect by t. It returns nil if the resource had not
// yet taken effect then.
func stateAt(tx *gorm.DB, k domain.Kind, id string, t time.Time) ([]byte, error) {
	var body []byte
	err := tx.Raw(`SELECT body FROM revisions
		WHERE resource_type = ? AND resource_id = ? AND action <> 'delete' AND effective_at <= ?
		ORDER BY effective_at DESC, revision DESC LIMIT 1`, string(k), id, bound(t)).Row().Scan(&body)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: read %s as of %s: %w", k.Singular(), t.Format(time.RFC3339), err)
	}
	return body, nil
}

// tookEffectError is the answer to a change dated before the resource
// existed in the talks.
func tookEffectError(k domain.Kind, first time.Time) error {
	return domain.FieldErrors{{Field: domain.FieldEffectiveOn,
		Message: fmt.Sprintf("is before this %s took effect (%s)", k.Singular(), formatInstant(first))}}.Err()
}

// formatInstant writes a negotiation-time instant as a reader gives it: a
// date alone at midnight UTC, else the full time.
func formatInstant(t time.Time) string {
	t = t.UTC()
	if t.Equal(t.Truncate(24 * time.Hour)) {
		return t.Format(domain.DateLayout)
	}
	return t.Format(time.RFC3339)
}

// firstEffective is when a resource's create took effect.
func firstEffective(tx *gorm.DB, k domain.Kind, id string) (time.Time, error) {
	var t dbTime
	err := tx.Raw("SELECT effective_at FROM revisions WHERE resource_type = ? AND resource_id = ? AND revision = 1", string(k), id).Row().Scan(&t)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, fmt.Errorf("store: read %s: %w", k.Singular(), err)
	}
	return t.Time, nil
}

// backfillNegotiationTime dates a history written before negotiation time
// existed: a create takes effect on the resource's own date (stated_on,
// starts_on, started_on; a delegation its round's, a topic its
// negotiation's), every later revision at its record time; and every
// stored body, in the history and in the tables, learns its effective_at.
// The migration to negotiation time runs it, and so does the import of an
// export written before it.
func backfillNegotiationTime(tx *gorm.DB) error {
	revs, err := undatedRevisions(tx)
	if err != nil {
		return err
	}
	// The dates that delegations and topics borrow, from the creates of
	// rounds and negotiations.
	own := map[string]time.Time{}
	for _, r := range revs {
		if r.action == "create" && (r.kind == domain.KindRound || r.kind == domain.KindNegotiation) {
			if t, ok := domain.OwnDate(r.res); ok {
				own[r.id] = t
			}
		}
	}
	latest := map[resourceKey]*undated{}
	for _, r := range revs {
		r.effective = r.at
		if r.action == "create" {
			if t, ok := domain.OwnDate(r.res); ok {
				r.effective = t
			} else if t, ok := own[borrowedFrom(r.res)]; ok {
				r.effective = t
			}
		}
		r.res.Base().EffectiveAt = r.effective
		body, err := encodeBody(r.res)
		if err != nil {
			return fmt.Errorf("store: date revision: %w", err)
		}
		if err := tx.Exec("UPDATE revisions SET effective_at = ?, body = ? WHERE id = ?", bound(r.effective), string(body), r.seq).Error; err != nil {
			return fmt.Errorf("store: date revision: %w", err)
		}
		key := resourceKey{string(r.kind), r.id}
		if l := latest[key]; r.action != "delete" && (l == nil || !r.effective.Before(l.effective)) {
			latest[key] = r
		}
	}
	for key, r := range latest {
		if err := dateRow(tx, domain.Kind(key.kind), key.id, r.effective); err != nil {
			return err
		}
	}
	return nil
}

// undated is one revision being dated by backfillNegotiationTime.
type undated struct {
	seq       int64
	kind      domain.Kind
	id        string
	action    string
	at        time.Time
	res       domain.Resource
	effective time.Time
}

// undatedRevisions reads every revision whose effective_at is not set,
// in the order they were recorded.
func undatedRevisions(tx *gorm.DB) ([]*undated, error) {
	rows, err := tx.Raw("SELECT id, resource_type, resource_id, action, at, body FROM revisions WHERE effective_at IS NULL ORDER BY id").Rows()
	if err != nil {
		return nil, fmt.Errorf("store: read revisions: %w", err)
	}
	defer rows.Close()
	var out []*undated
	for rows.Next() {
		r := &undated{}
		var kind string
		var at dbTime
		var body []byte
		if err := rows.Scan(&r.seq, &kind, &r.id, &r.action, &at, &body); err != nil {
			return nil, fmt.Errorf("store: read revisions: %w", err)
		}
		r.kind, r.at = domain.Kind(kind), at.Time
		if r.res, err = decode(r.kind, body); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// borrowedFrom is the id of the round or negotiation whose date a
// delegation's or topic's create takes.
func borrowedFrom(r domain.Resource) string {
	switch v := r.(type) {
	case *domain.Delegation:
		return v.RoundID
	case *domain.Topic:
		return v.NegotiationID
	}
	return ""
}

// dateRow sets the effective_at of a stored row's body, if the row exists.
func dateRow(tx *gorm.DB, k domain.Kind, id string, effective time.Time) error {
	body, err := currentBody(tx, k, id)
	if err != nil || body == nil {
		return err
	}
	res, err := decode(k, body)
	if err != nil {
		return err
	}
	res.Base().EffectiveAt = bound(effective)
	if body, err = encodeBody(res); err != nil {
		return fmt.Errorf("store: date %s: %w", k.Singular(), err)
	}
	t, _ := tableOf(k)
	if err := tx.Exec("UPDATE "+t.name+" SET body = ? WHERE id = ?", string(body), id).Error; err != nil {
		return fmt.Errorf("store: date %s: %w", k.Singular(), err)
	}
	return nil
}
