package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/fnv"
	"sort"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/parley/parley/domain"
)

// Outcomes of a sign-in attempt in login_attempts.
const (
	attemptPending = "pending"
	attemptFailed  = "failed"
	attemptOK      = "ok"
)

const (
	// loginFailureRetention is how long a failed (or never finished)
	// attempt is kept; throttling windows are no longer.
	loginFailureRetention = 24 * time.Hour
	// loginSuccessRetention is how long a remembered successful sign-in is
	// kept: the longest a limit's KnownSince may reach back.
	loginSuccessRetention = 90 * 24 * time.Hour
	// loginLockClass is the first half of the PostgreSQL advisory lock
	// taken per throttling key; the two-part key space never meets the
	// migration's single-part lock.
	loginLockClass = 0x70726c74 // "prlt"
)

// ReserveLoginAttempt checks every limit and, unless one is reached,
// records a pending attempt under each key, in one write transaction: no
// other sign-in under the same keys can count between the check and the
// record, so parallel guesses cannot all pass a check that none has yet
// been counted by. It returns the attempt to pass to FinishLoginAttempt, or
// domain.ErrTooManyAttempts. Until finished the attempt counts as failed,
// so one abandoned half-way (a crash, a lost connection) still counts.
func (s *Store) ReserveLoginAttempt(ctx context.Context, limits []domain.LoginLimit, at time.Time) (string, error) {
	at = bound(at)
	attempt := uuid.NewString()
	err := s.write(ctx, func(tx *gorm.DB) error {
		if err := s.lockLoginKeys(tx, limits); err != nil {
			return err
		}
		for _, l := range limits {
			reached, err := limitReached(tx, l)
			if err != nil {
				return err
			}
			if reached {
				return domain.ErrTooManyAttempts
			}
		}
		for _, l := range limits {
			if err := tx.Exec("DELETE FROM login_attempts WHERE key = ? AND (at < ? OR (outcome <> ? AND at < ?))",
				l.Key, at.Add(-loginSuccessRetention), attemptOK, at.Add(-loginFailureRetention)).Error; err != nil {
				return err
			}
			if err := tx.Exec("INSERT INTO login_attempts (attempt, key, at, outcome, remember) VALUES (?, ?, ?, ?, ?)",
				attempt, l.Key, at, attemptPending, l.CountSuccesses).Error; err != nil {
				return err
			}
		}
		return nil
	})
	if errors.Is(err, domain.ErrTooManyAttempts) {
		return "", err
	}
	if err != nil {
		return "", fmt.Errorf("store: reserve login attempt: %w", err)
	}
	return attempt, nil
}

// lockLoginKeys serializes sign-ins under the same keys on PostgreSQL with
// a transaction-scoped advisory lock per key, taken in one order so that two
// attempts sharing keys cannot deadlock. A row lock would not do: the rows
// that matter are the ones not inserted yet. SQLite's single writer already
// runs one write transaction at a time.
func (s *Store) lockLoginKeys(tx *gorm.DB, limits []domain.LoginLimit) error {
	if s.dialect != dialectPostgres {
		return nil
	}
	ids := make([]int32, 0, len(limits))
	for _, l := range limits {
		h := fnv.New32a()
		h.Write([]byte(l.Key))
		ids = append(ids, int32(h.Sum32()))
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	for i, id := range ids {
		if i > 0 && id == ids[i-1] {
			continue
		}
		if err := tx.Exec("SELECT pg_advisory_xact_lock(CAST(? AS integer), CAST(? AS integer))", loginLockClass, id).Error; err != nil {
			return err
		}
	}
	return nil
}

// limitReached reports whether a key has used up its attempts in the
// window: its failed and pending ones, and, under CountSuccesses while
// there are any of those, its successful ones too. A successful sign-in
// under UnlessKnown since KnownSince lifts the limit.
func limitReached(tx *gorm.DB, l domain.LoginLimit) (bool, error) {
	counts, err := attemptCounts(tx, l.Key, l.Since)
	if err != nil {
		return false, err
	}
	used := counts[attemptFailed] + counts[attemptPending]
	if l.CountSuccesses && used > 0 {
		used += counts[attemptOK]
	}
	if used < int64(l.Max) {
		return false, nil
	}
	if l.UnlessKnown == "" {
		return true, nil
	}
	var known int64
	err = tx.Raw("SELECT COUNT(*) FROM login_attempts WHERE key = ? AND outcome = ? AND at >= ?",
		l.UnlessKnown, attemptOK, bound(l.KnownSince)).Row().Scan(&known)
	return known == 0, err
}

// attemptCounts counts a key's attempts since a time by outcome.
func attemptCounts(tx *gorm.DB, key string, since time.Time) (map[string]int64, error) {
	rows, err := tx.Raw("SELECT outcome, COUNT(*) FROM login_attempts WHERE key = ? AND at >= ? GROUP BY outcome", key, bound(since)).Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	counts := map[string]int64{}
	for rows.Next() {
		var outcome string
		var n int64
		if err := rows.Scan(&outcome, &n); err != nil {
			return nil, err
		}
		counts[outcome] = n
	}
	return counts, rows.Err()
}

// FinishLoginAttempt records how a reserved attempt ended. A failure keeps
// counting under every key for its window. A success stops counting, except
// under the keys of limits with CountSuccesses, which remember it: there it
// counts while the key is failing and marks the key as known; of those
// remembered, the ones older than a day are dropped, the newest being
// enough to know the key by.
func (s *Store) FinishLoginAttempt(ctx context.Context, attempt string, ok bool, at time.Time) error {
	err := s.write(ctx, func(tx *gorm.DB) error {
		if !ok {
			return tx.Exec("UPDATE login_attempts SET outcome = ? WHERE attempt = ?", attemptFailed, attempt).Error
		}
		if err := tx.Exec("DELETE FROM login_attempts WHERE attempt = ? AND remember = ?", attempt, false).Error; err != nil {
			return err
		}
		if err := tx.Exec("UPDATE login_attempts SET outcome = ? WHERE attempt = ?", attemptOK, attempt).Error; err != nil {
			return err
		}
		return tx.Exec("DELETE FROM login_attempts WHERE outcome = ? AND attempt <> ? AND at < ? AND key IN (SELECT key FROM login_attempts WHERE attempt = ?)",
			attemptOK, attempt, bound(at).Add(-loginFailureRetention), attempt).Error
	})
	if err != nil {
		return fmt.Errorf("store: finish login attempt: %w", err)
	}
	return nil
}

// secretBytes is the size of every installation secret: 256 bits.
const secretBytes = 32

// Secret returns the installation's secret of that name, made at random and
// stored at first use, so that every instance serving one database shares
// it and it outlives restarts. It never leaves the database: exports and
// backups other than a copy of the file leave it out.
func (s *Store) Secret(ctx context.Context, name string) ([]byte, error) {
	var value string
	err := s.r.WithContext(ctx).Raw("SELECT value FROM secrets WHERE name = ?", name).Row().Scan(&value)
	if errors.Is(err, sql.ErrNoRows) {
		value, err = s.createSecret(ctx, name)
	}
	if err != nil {
		return nil, fmt.Errorf("store: secret %s: %w", name, err)
	}
	b, err := hex.DecodeString(value)
	if err != nil || len(b) != secretBytes {
		return nil, fmt.Errorf("store: secret %s is damaged", name)
	}
	return b, nil
}

// createSecret stores a new random secret unless another instance stored
// one first, and returns whichever is stored.
func (s *Store) createSecret(ctx context.Context, name string) (string, error) {
	b := make([]byte, secretBytes)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	var value string
	err := s.write(ctx, func(tx *gorm.DB) error {
		if err := tx.Exec("INSERT INTO secrets (name, value, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING",
			name, hex.EncodeToString(b), now()).Error; err != nil {
			return err
		}
		return tx.Raw("SELECT value FROM secrets WHERE name = ?", name).Row().Scan(&value)
	})
	return value, err
}
