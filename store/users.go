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

// adminRole is the role that manages users; one user must always hold it.
const adminRole = domain.RoleAdmin

// CreateUser stores a user; a taken username (in any case) is a
// *domain.ConflictError on "username".
func (s *Store) CreateUser(ctx context.Context, username, passwordHash string, role domain.Role) (*domain.User, error) {
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

// UserByID returns the user with that id, or a *domain.NotFoundError.
func (s *Store) UserByID(ctx context.Context, id string) (*domain.User, error) {
	row := s.r.WithContext(ctx).Raw("SELECT "+userColumns+" FROM users WHERE id = ?", id).Row()
	u, err := scanUser(row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, &domain.NotFoundError{Kind: "users", ID: id}
	}
	if err != nil {
		return nil, fmt.Errorf("store: user by id: %w", err)
	}
	return u, nil
}

// lastAdmin is the 409 for taking away the only admin: an installation
// without one could never manage its users again.
func lastAdmin(username string) error {
	return &domain.ConflictError{Field: "role", Detail: fmt.Sprintf("%s is the last admin; make another user admin first", username)}
}

// lockUser reads the user's role inside a write transaction, locking its
// row, and reports whether it is the only admin. On PostgreSQL every admin
// row is locked first, always in id order, so that two admins demoting or
// deleting each other at once cannot both succeed and leave none, nor
// deadlock; SQLite has a single writer already.
func (s *Store) lockUser(tx *gorm.DB, id string) (username string, role domain.Role, onlyAdmin bool, err error) {
	admins := 0
	err = eachRow(tx, func(*sql.Rows) error {
		admins++
		return nil
	}, "SELECT id FROM users WHERE role = ? ORDER BY id"+s.forUpdate(), adminRole)
	if err != nil {
		return "", "", false, err
	}
	err = tx.Raw("SELECT username, role FROM users WHERE id = ?"+s.forUpdate(), id).Row().Scan(&username, &role)
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", false, &domain.NotFoundError{Kind: "users", ID: id}
	}
	if err != nil {
		return "", "", false, err
	}
	return username, role, role == adminRole && admins <= 1, nil
}

// SetRole changes the role of the user with that id; see UpdateUser.
func (s *Store) SetRole(ctx context.Context, id string, role domain.Role) (*domain.User, error) {
	return s.UpdateUser(ctx, id, role, "")
}

// UpdateUser changes the role and the password hash of the user with that
// id, each only when given (non-empty), in one transaction: a refused role
// change leaves the password as it was, and the reverse. A new password
// deletes the user's tokens and sessions; a change bumps the version once.
// Demoting the last admin is a *domain.ConflictError; an unknown user a
// *domain.NotFoundError. The role must already be valid.
func (s *Store) UpdateUser(ctx context.Context, id string, role domain.Role, passwordHash string) (*domain.User, error) {
	err := s.write(ctx, func(tx *gorm.DB) error {
		username, current, onlyAdmin, err := s.lockUser(tx, id)
		if err != nil {
			return err
		}
		if role == current {
			role = ""
		}
		if role != "" && onlyAdmin {
			return lastAdmin(username)
		}
		if role != "" {
			if err := tx.Exec("UPDATE users SET role = ? WHERE id = ?", role, id).Error; err != nil {
				return err
			}
		}
		if passwordHash != "" {
			if err := setPasswordHash(tx, id, passwordHash); err != nil {
				return err
			}
		}
		if role == "" && passwordHash == "" {
			return nil
		}
		return tx.Exec("UPDATE users SET updated_at = ?, version = version + 1 WHERE id = ?", now(), id).Error
	})
	if err != nil {
		if isDomainError(err) {
			return nil, err
		}
		return nil, fmt.Errorf("store: update user: %w", err)
	}
	return s.UserByID(ctx, id)
}

// setPasswordHash stores a new password hash and ends every sign-in of the
// user: its API tokens and browser sessions go.
func setPasswordHash(tx *gorm.DB, id, passwordHash string) error {
	if err := tx.Exec("UPDATE users SET password_hash = ? WHERE id = ?", passwordHash, id).Error; err != nil {
		return err
	}
	return tx.Exec("DELETE FROM tokens WHERE user_id = ?", id).Error
}

// DeleteUser removes the user with that id and, in the same transaction,
// its API tokens and sessions. The history names actors by text, so
// nothing else refers to a user. Deleting the last admin is a
// *domain.ConflictError; an unknown user a *domain.NotFoundError.
func (s *Store) DeleteUser(ctx context.Context, id string) error {
	err := s.write(ctx, func(tx *gorm.DB) error {
		username, _, onlyAdmin, err := s.lockUser(tx, id)
		if err != nil {
			return err
		}
		if onlyAdmin {
			return lastAdmin(username)
		}
		if err := tx.Exec("DELETE FROM tokens WHERE user_id = ?", id).Error; err != nil {
			return err
		}
		return tx.Exec("DELETE FROM users WHERE id = ?", id).Error
	})
	if err != nil && !isDomainError(err) {
		return fmt.Errorf("store: delete user: %w", err)
	}
	return err
}

// isDomainError reports whether err is a not-found or conflict to pass on
// as it is rather than wrap as a database failure.
func isDomainError(err error) bool {
	var nf *domain.NotFoundError
	var ce *domain.ConflictError
	return errors.As(err, &nf) || errors.As(err, &ce)
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
		if err := setPasswordHash(tx, id, passwordHash); err != nil {
			return err
		}
		return tx.Exec("UPDATE users SET updated_at = ?, version = version + 1 WHERE id = ?", now(), id).Error
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

// UserByToken returns the user holding an unexpired credential of that
// kind, or domain.ErrUnauthenticated: an API token is no browser session,
// and a session no API token, so that each keeps its own lifetime.
func (s *Store) UserByToken(ctx context.Context, tokenHash, kind string, at time.Time) (*domain.User, error) {
	row := s.r.WithContext(ctx).Raw("SELECT u.id, u.username, u.role, u.created_at, u.updated_at, u.version FROM tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ? AND t.kind = ? AND t.expires_at > ?",
		tokenHash, kind, bound(at)).Row()
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
