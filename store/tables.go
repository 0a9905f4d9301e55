package store

import (
	"bytes"
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/parley/parley/domain"
)

// table describes how one collection is kept: its table, the columns it has
// beside the common ones (id, version, created_at, updated_at, search, body)
// and how a list filters it.
type table struct {
	name string
	// cols are the kind's own columns, in the order values returns them.
	cols []string
	// filters maps a domain.RefFields entry to its SQL condition, with one
	// placeholder for the value.
	filters map[string]string
}

var tables = map[domain.Kind]table{
	domain.KindParty: {name: "parties", cols: []string{"name_key"}},
	domain.KindNegotiation: {name: "negotiations", cols: []string{"status"}, filters: map[string]string{
		// "negotiations of a party" means the ones it takes part in.
		"party_id": "id IN (SELECT negotiation_id FROM negotiation_participants WHERE party_id = ?)",
	}},
	domain.KindRound: {name: "rounds", cols: []string{"negotiation_id", "host_party_id"}, filters: map[string]string{
		"negotiation_id": "negotiation_id = ?",
		// A round's party is its host.
		"party_id": "host_party_id = ?",
	}},
	domain.KindDelegation: {name: "delegations", cols: []string{"round_id", "party_id", "negotiation_id"}, filters: map[string]string{
		"negotiation_id": "negotiation_id = ?",
		"round_id":       "round_id = ?",
		"party_id":       "party_id = ?",
	}},
	domain.KindTopic: {name: "topics", cols: []string{"negotiation_id", "title_key", "category"}, filters: map[string]string{
		"negotiation_id": "negotiation_id = ?",
	}},
	domain.KindDemand: {name: "demands", cols: []string{"negotiation_id", "party_id", "topic_id", "round_id", "status", "responds_to_id"}, filters: map[string]string{
		"negotiation_id": "negotiation_id = ?",
		"party_id":       "party_id = ?",
		"topic_id":       "topic_id = ?",
		"round_id":       "round_id = ?",
	}},
	domain.KindObjection: {name: "objections", cols: []string{"demand_id", "party_id", "negotiation_id", "status", "round_id"}, filters: map[string]string{
		"negotiation_id": "negotiation_id = ?",
		"demand_id":      "demand_id = ?",
		"party_id":       "party_id = ?",
		"round_id":       "round_id = ?",
	}},
	domain.KindRebuttal: {name: "rebuttals", cols: []string{"objection_id", "party_id", "negotiation_id", "round_id"}, filters: map[string]string{
		"negotiation_id": "negotiation_id = ?",
		"objection_id":   "objection_id = ?",
		"party_id":       "party_id = ?",
		"round_id":       "round_id = ?",
	}},
	domain.KindEndorsement: {name: "endorsements", cols: []string{"demand_id", "party_id", "negotiation_id", "round_id"}, filters: map[string]string{
		"negotiation_id": "negotiation_id = ?",
		"demand_id":      "demand_id = ?",
		"party_id":       "party_id = ?",
		"round_id":       "round_id = ?",
	}},
}

// tableOf returns the table of a kind, or an error for a kind that is not
// one of the nine (a programming error in the caller, never client text).
func tableOf(k domain.Kind) (table, error) {
	t, ok := tables[k]
	if !ok {
		return table{}, fmt.Errorf("store: unknown kind %q", k)
	}
	return t, nil
}

// values returns the kind's own column values, in table.cols order. Empty
// optional references are NULL so that their foreign keys hold.
func values(r domain.Resource) []any {
	switch v := r.(type) {
	case *domain.Party:
		return []any{v.NameKey()}
	case *domain.Negotiation:
		return []any{v.State}
	case *domain.Round:
		return []any{v.NegotiationID, nullable(v.HostPartyID)}
	case *domain.Delegation:
		return []any{v.RoundID, v.PartyID, v.NegotiationID}
	case *domain.Topic:
		return []any{v.NegotiationID, v.TitleKey(), nullable(v.Category)}
	case *domain.Demand:
		return []any{v.NegotiationID, v.PartyID, v.TopicID, nullable(v.RoundID), v.State, nullable(v.RespondsToID)}
	case *domain.Objection:
		return []any{v.DemandID, v.PartyID, v.NegotiationID, v.State, nullable(v.RoundID)}
	case *domain.Rebuttal:
		return []any{v.ObjectionID, v.PartyID, v.NegotiationID, nullable(v.RoundID)}
	case *domain.Endorsement:
		return []any{v.DemandID, v.PartyID, v.NegotiationID, nullable(v.RoundID)}
	}
	return nil
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// decode turns a stored body back into a resource of kind k.
func decode(k domain.Kind, body []byte) (domain.Resource, error) {
	r := domain.New(k)
	if r == nil {
		return nil, fmt.Errorf("store: unknown kind %q", k)
	}
	if err := json.Unmarshal(body, r); err != nil {
		return nil, fmt.Errorf("store: decode stored %s: %w", k.Singular(), err)
	}
	return r, nil
}

// dbTime reads a time column whatever form the driver hands it in:
// time.Time from PostgreSQL and from SQLite's TIMESTAMP columns, text where
// SQLite has lost the declared type (expressions, subqueries).
type dbTime struct{ time.Time }

var sqliteTimeLayouts = []string{
	"2006-01-02 15:04:05.999999999-07:00",
	"2006-01-02T15:04:05.999999999-07:00",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999",
	time.RFC3339Nano,
}

func (t *dbTime) Scan(src any) error {
	switch v := src.(type) {
	case time.Time:
		t.Time = v.UTC()
		return nil
	case string:
		return t.parse(v)
	case []byte:
		return t.parse(string(v))
	case nil:
		t.Time = time.Time{}
		return nil
	}
	return fmt.Errorf("store: cannot read %T as a time", src)
}

func (t *dbTime) parse(s string) error {
	s = strings.TrimSuffix(s, "Z")
	for _, layout := range sqliteTimeLayouts {
		if v, err := time.Parse(layout, s); err == nil {
			t.Time = v.UTC()
			return nil
		}
	}
	return fmt.Errorf("store: cannot read %q as a time", s)
}

func (t dbTime) Value() (driver.Value, error) { return t.UTC(), nil }

var (
	_ sql.Scanner   = (*dbTime)(nil)
	_ driver.Valuer = dbTime{}
)

// validID reports whether s is a UUID in its canonical 36-character form.
func validID(s string) bool {
	_, err := uuid.Parse(s)
	return err == nil && len(s) == 36
}

// encodeBody is the stored form of a resource: its JSON as the API shows
// it, without HTML escaping so that exports read as typed.
func encodeBody(r domain.Resource) ([]byte, error) {
	b, err := marshal(r)
	if err != nil {
		return nil, err
	}
	return bytes.TrimRight(b, "\n"), nil
}
