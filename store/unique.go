package store

import (
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"

	"gorm.io/gorm"

	"github.com/parley/parley/domain"
)

// uniqueLockClass is the first key of the PostgreSQL advisory locks that
// serialise writers claiming the same name or seat (the second is the
// claim's hash), apart from migrationLockKey's single-key lock.
const uniqueLockClass = 0x756e71 // "unq"

// claims are the unique keys a resource holds beyond its own row: a
// party's folded names, a delegation's seat in its round.
func claims(r domain.Resource) []string {
	switch v := r.(type) {
	case *domain.Party:
		keys := v.NameKeys()
		out := make([]string, len(keys))
		for i, k := range keys {
			out[i] = "name:" + k.Key
		}
		return out
	case *domain.Delegation:
		return []string{"seat:" + v.RoundID + "/" + v.PartyID}
	}
	return nil
}

// lockClaims makes a PostgreSQL writer wait for any other writer claiming
// one of the same keys, so that the check that follows sees the winner
// committed and can name it; SQLite's single writer needs nothing. Keys
// are locked in order so that two writers cannot deadlock.
func (s *Store) lockClaims(tx *gorm.DB, r domain.Resource) error {
	if s.dialect != dialectPostgres {
		return nil
	}
	keys := claims(r)
	sort.Strings(keys)
	for _, k := range keys {
		if err := tx.Exec("SELECT pg_advisory_xact_lock(?, hashtext(?))", uniqueLockClass, k).Error; err != nil {
			return fmt.Errorf("store: lock %s: %w", k, err)
		}
	}
	return nil
}

// checkUnique finds a duplicate before the insert does, so that the answer
// is a 409 naming the existing record; the unique indexes stay the final
// word. selfID is the resource's own id on update, "" on create.
func (s *Store) checkUnique(tx *gorm.DB, r domain.Resource, selfID string) error {
	if err := s.lockClaims(tx, r); err != nil {
		return err
	}
	switch v := r.(type) {
	case *domain.Party:
		return checkPartyNames(tx, v, selfID)
	case *domain.Delegation:
		return checkSeat(tx, v, selfID)
	case *domain.Topic:
		var n int64
		if err := tx.Raw("SELECT COUNT(*) FROM topics WHERE negotiation_id = ? AND title_key = ? AND id <> ?", v.NegotiationID, v.TitleKey(), selfID).Row().Scan(&n); err != nil {
			return fmt.Errorf("store: check unique: %w", err)
		}
		if n > 0 {
			return duplicateError(r)
		}
	}
	return nil
}

// checkPartyNames refuses a name or alias that folds to another party's
// name or alias, naming that party.
func checkPartyNames(tx *gorm.DB, p *domain.Party, selfID string) error {
	keys := p.NameKeys()
	if len(keys) == 0 {
		return nil
	}
	args := make([]any, 0, len(keys)+1)
	for _, k := range keys {
		args = append(args, k.Key)
	}
	args = append(args, selfID)
	rows, err := tx.Raw("SELECT n.name_key, n.party_id, p.body FROM party_names n JOIN parties p ON p.id = n.party_id WHERE n.name_key IN ("+placeholders(len(keys))+") AND n.party_id <> ? ORDER BY n.name_key", args...).Rows()
	if err != nil {
		return fmt.Errorf("store: check party names: %w", err)
	}
	defer rows.Close()
	taken := map[string]*domain.Party{}
	for rows.Next() {
		var key, id string
		var body []byte
		if err := rows.Scan(&key, &id, &body); err != nil {
			return fmt.Errorf("store: check party names: %w", err)
		}
		other, err := decode(domain.KindParty, body)
		if err != nil {
			return err
		}
		taken[key] = other.(*domain.Party)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: check party names: %w", err)
	}
	for _, k := range keys {
		if other, ok := taken[k.Key]; ok {
			return nameTakenError(k, other)
		}
	}
	return nil
}

// nameTakenError is the 409 for a name or alias another party goes by.
func nameTakenError(k domain.NameKey, other *domain.Party) *domain.ConflictError {
	how := "the name"
	if domain.FoldName(other.Name) != k.Key {
		for _, a := range other.Aliases {
			if domain.FoldName(a) == k.Key {
				how = fmt.Sprintf("an alias (%q)", a)
				break
			}
		}
	}
	what := "name"
	if strings.HasPrefix(k.Field, "aliases") {
		what = "alias"
	}
	return &domain.ConflictError{
		Field:  k.Field,
		Detail: fmt.Sprintf("the %s %q is %s of another party, %q (%s)", what, k.Text, how, other.Name, other.ID),
		With:   &domain.Conflicting{Kind: domain.KindParty, ID: other.ID, Name: other.Name},
	}
}

// checkSeat refuses a second delegation of one party to one round, naming
// the first.
func checkSeat(tx *gorm.DB, d *domain.Delegation, selfID string) error {
	var id string
	var body []byte
	err := tx.Raw("SELECT d.id, p.body FROM delegation_seats s JOIN delegations d ON d.id = s.delegation_id JOIN parties p ON p.id = s.party_id WHERE s.round_id = ? AND s.party_id = ? AND s.delegation_id <> ?", d.RoundID, d.PartyID, selfID).Row().Scan(&id, &body)
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		return fmt.Errorf("store: check delegation seat: %w", err)
	}
	r, err := decode(domain.KindParty, body)
	if err != nil {
		return err
	}
	party := r.(*domain.Party)
	return seatTakenError(party, id)
}

func seatTakenError(party *domain.Party, delegationID string) *domain.ConflictError {
	return &domain.ConflictError{
		Field:  "party_id",
		Detail: fmt.Sprintf("%s already has a delegation in this round (%s); edit that one instead", party.Name, delegationID),
		With:   &domain.Conflicting{Kind: domain.KindDelegation, ID: delegationID, Name: party.Name + " delegation"},
	}
}

// syncClaims makes party_names and delegation_seats hold what r claims now.
// lenient skips a claim another record already holds (the first record
// keeps it): for data stored before these rules, on migration and import.
func syncClaims(tx *gorm.DB, r domain.Resource, lenient bool) error {
	conflict := ""
	if lenient {
		conflict = " ON CONFLICT DO NOTHING"
	}
	switch v := r.(type) {
	case *domain.Party:
		if err := tx.Exec("DELETE FROM party_names WHERE party_id = ?", v.ID).Error; err != nil {
			return fmt.Errorf("store: party names: %w", err)
		}
		for _, k := range v.NameKeys() {
			if err := tx.Exec("INSERT INTO party_names (name_key, party_id) VALUES (?, ?)"+conflict, k.Key, v.ID).Error; err != nil {
				return writeError(err, r)
			}
		}
	case *domain.Delegation:
		if err := tx.Exec("DELETE FROM delegation_seats WHERE delegation_id = ?", v.ID).Error; err != nil {
			return fmt.Errorf("store: delegation seat: %w", err)
		}
		if err := tx.Exec("INSERT INTO delegation_seats (round_id, party_id, delegation_id) VALUES (?, ?, ?)"+conflict, v.RoundID, v.PartyID, v.ID).Error; err != nil {
			return writeError(err, r)
		}
	}
	return nil
}

// backfillClaims fills party_names and delegation_seats from the parties
// and delegations stored before they existed, oldest first.
func backfillClaims(tx *gorm.DB) error {
	for _, k := range []domain.Kind{domain.KindParty, domain.KindDelegation} {
		bodies, err := scanStrings(tx, "SELECT body FROM "+tables[k].name+" ORDER BY id")
		if err != nil {
			return fmt.Errorf("store: backfill %s: %w", k, err)
		}
		for _, b := range bodies {
			r, err := decode(k, []byte(b))
			if err != nil {
				return err
			}
			r.Normalize()
			if err := syncClaims(tx, r, true); err != nil {
				return err
			}
		}
	}
	return nil
}
