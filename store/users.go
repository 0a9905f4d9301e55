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

// loginFailureRetention is how long a failed sign-in is kept; throttling
// windows are far shorter.
const loginFailureRetention = 24 * time.Hour

// CreateUser stores a user; a taken username (in any case) is a
// *domain.ConflictError on "username".
func (s *Store) CreateUser(ctx context.Context, username, passwordHash, role string) (*domain.User, error) {
	id, err := uuid.NewV7()
	if err != nil {
		return nil, fmt.Errorf("store: new id: %w", err)
	}
	at := now()
	u := &domain.User{ID: id.String(), Username: username, Role: role, CreatedAt: at, UpdatedAt: at, Version: 1}
	err = s.write(ctx, func(tx *gorm.DB) error {
		var n int64
		if err := tx.Raw("SELECT COUNT(*) FROM users WHERE username_key = ?", strings.ToLower(username)).Row().Scan(&n); err != nil {
			return fmt.Errorf("store: create user: %w", err)
		}
		if n > 0 {
			return usernameTaken(username)
		}
		return insertUser(tx, u, passwordHash)
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

func usernameTaken(username string) error {
	return &domain.ConflictError{Field: "username", Detail: fmt.Sprintf("the username %q is taken", username)}
}

func insertUser(tx *gorm.DB, u *domain.User, passwordHash string) error {
	err := tx.Exec("INSERT INTO users (id, username, username_key, password_hash, role, created_at, updated_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
		u.ID, u.Username, strings.ToLower(u.Username), passwordHash, u.Role, u.CreatedAt, u.UpdatedAt, u.Version).Error
	if err != nil {
		if constraintOf(err) == uniqueViolation {
			return usernameTaken(u.Username)
		}
		return fmt.Errorf("store: create user: %w", err)
	}
	return nil
}

// CountUsers counts the accounts; serve creates the first admin when it is 0.
func (s *Store) CountUsers(ctx context.Context) (int64, error) {
	var n int64
	if err := s.r.WithContext(ctx).Raw("SELECT COUNT(*) FROM users").Row().Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count users: %w", err)
	}
	return n, nil
}

const userColumns = "id, username, role, created_at, updated_at, version"

func scanUser(sc interface{ Scan(...any) error }, extra ...any) (*domain.User, error) {
	var u domain.User
	var created, updated dbTime
	dest := append([]any{&u.ID, &u.Username, &u.Role, &created, &updated, &u.Version}, extra...)
	if err := sc.Scan(dest...); err != nil {
		return nil, err
	}
	u.CreatedAt, u.UpdatedAt = created.Time, updated.Time
	return &u, nil
}

// ListUsers lists every account by username.
func (s *Store) ListUsers(ctx context.Context) ([]domain.User, error) {
	rows, err := s.r.WithContext(ctx).Raw("SELECT " + userColumns + " FROM users ORDER BY username_key").Rows()
	if err != nil {
		return nil, fmt.Errorf("store: list users: %w", err)
	}
	defer rows.Close()
	out := []domain.User{}
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("store: list users: %w", err)
		}
		out = append(out, *u)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: list users: %w", err)
	}
	return out, nil
}

// UserByName returns the user, in any case of its name, and its password
// hash, or a *domain.NotFoundError.
func (s *Store) UserByName(ctx context.Context, username string) (*domain.User, string, error) {
	var hash string
	row := s.r.WithContext(ctx).Raw("SELECT "+userColumns+", password_hash FROM users WHERE username_key = ?", strings.ToLower(username)).Row()
	u, err := scanUser(row, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", &domain.NotFoundError{Kind: "users", ID: username}
	}
	if err != nil {
		return nil, "", fmt.Errorf("store: user by name: %w", err)
	}
	return u, hash, nil
}

// SetPassword replaces the password hash of the user with that username
// (in any case), bumps its version and updated_at, and deletes its API
// tokens and sessions, all in one transaction: a new password ends every
// other sign-in. An unknown user is a *domain.NotFoundError.
func (s *Store) SetPassword(ctx context.Context, username, passwordHash string) error {
	err := s.write(ctx, func(tx *gorm.DB) error {
		var id string
		err := tx.Raw("SELECT id FROM users WHERE username_key = ?"+s.forUpdate(), strings.ToLower(username)).Row().Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return &domain.NotFoundError{Kind: "users", ID: username}
		}
		if err != nil {
			return err
		}
		if err := tx.Exec("UPDATE users SET password_hash = ?, updated_at = ?, version = version + 1 WHERE id = ?",
			passwordHash, now(), id).Error; err != nil {
			return err
		}
		return tx.Exec("DELETE FROM tokens WHERE user_id = ?", id).Error
	})
	var nf *domain.NotFoundError
	if err != nil && !errors.As(err, &nf) {
		return fmt.Errorf("store: set password: %w", err)
	}
	return err
}

// CreateToken stores a credential by its hash; kind is "api" or "session".
func (s *Store) CreateToken(ctx context.Context, userID, tokenHash, kind string, expiresAt time.Time) error {
	err := s.write(ctx, func(tx *gorm.DB) error {
		return tx.Exec("INSERT INTO tokens (token_hash, user_id, kind, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
			tokenHash, userID, kind, now(), bound(expiresAt)).Error
	})
	switch constraintOf(err) {
	case foreignKeyViolation:
		return &domain.NotFoundError{Kind: "users", ID: userID}
	case uniqueViolation:
		return &domain.ConflictError{Detail: "this credential is already stored"}
	}
	if err != nil {
		return fmt.Errorf("store: create token: %w", err)
	}
	return nil
}

// UserByToken returns the user holding an unexpired credential, or
// domain.ErrUnauthenticated.
func (s *Store) UserByToken(ctx context.Context, tokenHash string, at time.Time) (*domain.User, error) {
	row := s.r.WithContext(ctx).Raw("SELECT u.id, u.username, u.role, u.created_at, u.updated_at, u.version FROM tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ? AND t.expires_at > ?",
		tokenHash, bound(at)).Row()
	u, err := scanUser(row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.ErrUnauthenticated
	}
	if err != nil {
		return nil, fmt.Errorf("store: user by token: %w", err)
	}
	return u, nil
}

// DeleteToken removes a credential (sign-out); an unknown one is no error.
func (s *Store) DeleteToken(ctx context.Context, tokenHash string) error {
	err := s.write(ctx, func(tx *gorm.DB) error {
		return tx.Exec("DELETE FROM tokens WHERE token_hash = ?", tokenHash).Error
	})
	if err != nil {
		return fmt.Errorf("store: delete token: %w", err)
	}
	return nil
}

// RecordLoginFailure notes a failed sign-in under each key, and forgets
// that key's failures older than a day so the table stays small.
func (s *Store) RecordLoginFailure(ctx context.Context, keys []string, at time.Time) error {
	at = bound(at)
	err := s.write(ctx, func(tx *gorm.DB) error {
		for _, k := range keys {
			if err := tx.Exec("DELETE FROM login_failures WHERE key = ? AND at < ?", k, at.Add(-loginFailureRetention)).Error; err != nil {
				return err
			}
			if err := tx.Exec("INSERT INTO login_failures (key, at) VALUES (?, ?)", k, at).Error; err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: record login failure: %w", err)
	}
	return nil
}

// CountLoginFailures counts a key's failed sign-ins at or after since.
func (s *Store) CountLoginFailures(ctx context.Context, key string, since time.Time) (int64, error) {
	var n int64
	if err := s.r.WithContext(ctx).Raw("SELECT COUNT(*) FROM login_failures WHERE key = ? AND at >= ?", key, bound(since)).Row().Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count login failures: %w", err)
	}
	return n, nil
}

// ClearLoginFailures forgets a key's failed sign-ins (after a success).
func (s *Store) ClearLoginFailures(ctx context.Context, key string) error {
	err := s.write(ctx, func(tx *gorm.DB) error {
		return tx.Exec("DELETE FROM login_failures WHERE key = ?", key).Error
	})
	if err != nil {
		return fmt.Errorf("store: clear login failures: %w", err)
	}
	return nil
}
