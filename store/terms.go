package store

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/parley/parley/domain"
)

// normalizeDemandTerms reads the demand's topic in the write's transaction
// and normalises every term the topic defines, adding one error per term
// that does not fit. A topic of another negotiation is left to checkRefs.
func normalizeDemandTerms(tx *gorm.DB, d *domain.Demand, errs *domain.FieldErrors, cache *refCache) error {
	topic, err := cache.topic(tx, d.TopicID)
	if err != nil || topic == nil || len(topic.TermDefinitions) == 0 {
		return err
	}
	terms, bad := domain.NormalizeTerms(topic.TermDefinitions, d.Terms)
	*errs = append(*errs, bad...)
	d.Terms = terms
	return nil
}

// topicDefinitions reads a topic for its term definitions; nil if none.
func topicDefinitions(tx *gorm.DB, id string) (*domain.Topic, error) {
	var body []byte
	rows, err := tx.Raw("SELECT body FROM topics WHERE id = ?", id).Rows()
	if err != nil {
		return nil, fmt.Errorf("store: read topic terms: %w", err)
	}
	defer rows.Close()
	if !rows.Next() {
		return nil, rows.Err()
	}
	if err := rows.Scan(&body); err != nil {
		return nil, fmt.Errorf("store: read topic terms: %w", err)
	}
	r, err := decode(domain.KindTopic, body)
	if err != nil {
		return nil, err
	}
	return r.(*domain.Topic), rows.Err()
}

// convertTopicDemands brings the stored values of every demand of the
// topic in line with its (changed) term definitions, each converted
// demand with its own update revision in the write's transaction. A value
// that does not fit refuses the whole change, naming every such demand.
func convertTopicDemands(tx *gorm.DB, t *domain.Topic, actor string, at, effective time.Time) error {
	demands, err := topicDemands(tx, t.ID)
	if err != nil {
		return err
	}
	var errs domain.FieldErrors
	var changed []*domain.Demand
	for _, d := range demands {
		terms, bad := domain.NormalizeTerms(t.TermDefinitions, d.Terms)
		for _, fe := range bad {
			key := strings.TrimPrefix(fe.Field, "terms.")
			errs.Add("term_definitions", "demand %s (%q) has %s = %s, which does not fit: %s", d.ID, d.Title, key, domain.FormatTerm(d.Terms[key]), fe.Message)
		}
		if len(bad) == 0 && !sameTerms(d.Terms, terms) {
			d.Terms = terms
			changed = append(changed, d)
		}
	}
	if err := errs.Err(); err != nil {
		return err
	}
	for _, d := range changed {
		if err := storeConverted(tx, d, actor, at, effective); err != nil {
			return err
		}
	}
	return nil
}

func topicDemands(tx *gorm.DB, topicID string) ([]*domain.Demand, error) {
	rows, err := tx.Raw("SELECT body FROM demands WHERE topic_id = ? ORDER BY id", topicID).Rows()
	if err != nil {
		return nil, fmt.Errorf("store: read topic demands: %w", err)
	}
	defer rows.Close()
	var out []*domain.Demand
	for rows.Next() {
		var body []byte
		if err := rows.Scan(&body); err != nil {
			return nil, fmt.Errorf("store: read topic demands: %w", err)
		}
		r, err := decode(domain.KindDemand, body)
		if err != nil {
			return nil, err
		}
		out = append(out, r.(*domain.Demand))
	}
	return out, rows.Err()
}

func sameTerms(a, b map[string]any) bool {
	x, errA := marshal(a)
	y, errB := marshal(b)
	return errA == nil && errB == nil && string(x) == string(y)
}

// storeConverted writes a demand whose terms were converted, as an update
// revision taking effect with the topic's change (or with the demand's
// own latest change, where that is later, so its timeline stays in order).
func storeConverted(tx *gorm.DB, d *domain.Demand, actor string, at, effective time.Time) error {
	t, err := tableOf(domain.KindDemand)
	if err != nil {
		return err
	}
	meta := *d.Base()
	if meta.EffectiveAt.After(effective) {
		effective = meta.EffectiveAt
	}
	*d.Base() = domain.Meta{ID: meta.ID, CreatedAt: meta.CreatedAt, UpdatedAt: at, Version: meta.Version + 1, EffectiveAt: effective}
	body, err := encodeBody(d)
	if err != nil {
		return fmt.Errorf("store: encode demand: %w", err)
	}
	if err := updateRow(tx, t, d, body, meta.Version); err != nil {
		var pe *domain.PreconditionError
		if errors.As(err, &pe) {
			return &domain.ConflictError{Detail: "a demand of this topic changed at the same time; try again"}
		}
		return err
	}
	return addRevision(tx, revisionRow{
		kind: domain.KindDemand, id: d.ID, revision: meta.Version + 1, action: "update", actor: actor,
		at: at, negotiationID: d.NegotiationID, body: body, effectiveAt: effective,
		note: "terms converted to the topic's term definitions",
	})
}

// definitionsChanged reports whether a topic's term definitions differ.
func definitionsChanged(old, next domain.Resource) bool {
	o, ok1 := old.(*domain.Topic)
	n, ok2 := next.(*domain.Topic)
	if !ok1 || !ok2 {
		return false
	}
	x, _ := marshal(o.TermDefinitions)
	y, _ := marshal(n.TermDefinitions)
	return string(x) != string(y)
}
