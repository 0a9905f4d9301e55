package domain

import (
	"context"
	"encoding/json"
	"time"
)

// Store is what api and ui need of persistence; package store implements it
// over SQLite or PostgreSQL. Every write commits whole with its history
// revision, or not at all.
type Store interface {
	// Atomically runs fn with a Store whose reads and writes form one
	// transaction: all of fn's writes are kept, or, when fn returns an
	// error, none.
	Atomically(ctx context.Context, fn func(tx Store) error) error
	// Create normalizes and validates r, checks its references, fills in its
	// Meta and stores it with a "create" revision by actor, taking effect
	// as when says.
	Create(ctx context.Context, actor string, r Resource, when Dating) error
	// CreateMany creates rs in one write transaction, each as Create would
	// with whens[i] (whens may be shorter: the rest take their own date).
	// A resource whose ID is already set keeps it (a UUID not yet in
	// use), so that later resources of the batch can refer to it. Any
	// problem writes nothing: the problems of the resources themselves
	// come back together as a *BatchError.
	CreateMany(ctx context.Context, actor string, rs []Resource, whens []Dating) error
	// Get returns the resource, or a *NotFoundError.
	Get(ctx context.Context, k Kind, id string) (Resource, error)
	// GetMany reads many resources of one kind at once, by id; ids that
	// name nothing are absent from the result.
	GetMany(ctx context.Context, k Kind, ids []string) (map[string]Resource, error)
	// Update passes the resource as it stood at when.EffectiveAt (zero: now)
	// to change, and stores what change returns (normalized, validated,
	// references checked) with an "update" revision taking effect then. A
	// change dated before the resource's latest dated change is inserted
	// into its timeline: the current state changes only if it is the
	// latest. It returns the current state. ifVersion > 0 makes it
	// conditional: a stale version is a *PreconditionError and changes
	// nothing.
	Update(ctx context.Context, actor string, k Kind, id string, ifVersion int, when Dating, change func(current Resource) (Resource, error)) (Resource, error)
	// Delete removes the resource and the parts it owns, each with a "delete"
	// revision: recorded in error, they leave every view at every
	// negotiation time. A resource others refer to is a *ConflictError.
	Delete(ctx context.Context, actor string, k Kind, id string, ifVersion int) error
	// Dependents says what Delete would do: the parts that would go with
	// the resource, and what refers to it and would make Delete refuse.
	Dependents(ctx context.Context, k Kind, id string) (parts, referredBy []Ref, err error)
	// List returns one page of a collection, oldest first.
	List(ctx context.Context, q ListQuery) (Page, error)
	// History returns every revision of one resource, deleted ones included;
	// a *NotFoundError if it never existed.
	History(ctx context.Context, k Kind, id string) ([]Revision, error)

	// Snapshot loads everything in a negotiation as it stood at a moment:
	// in negotiation time at at.AsOf, as recorded by at.RecordedAsOf.
	Snapshot(ctx context.Context, negotiationID string, at Moment) (*Snapshot, error)
	// Changes lists one page of what took effect inside a negotiation in a
	// window of negotiation time, ordered by effective_at, each with the
	// state before it in the resource's timeline where there is one.
	// Resources deleted (recorded in error) are left out.
	Changes(ctx context.Context, q ChangesQuery) (ChangesPage, error)
	// Timeline lists every revision that shaped the negotiation, as
	// recorded by recordedAsOf (zero: everything), in negotiation-time
	// order (effective_at, then revision); resources deleted are left out.
	Timeline(ctx context.Context, negotiationID string, recordedAsOf time.Time) ([]Revision, error)

	Users
	IssuedReports
	Ping(ctx context.Context) error
}

// Users is the part of the store that keeps accounts, credentials and
// sign-in throttling.
type Users interface {
	// CreateUser stores a user; a taken username is a *ConflictError.
	CreateUser(ctx context.Context, username, passwordHash string, role Role) (*User, error)
	CountUsers(ctx context.Context) (int64, error)
	ListUsers(ctx context.Context) ([]User, error)
	// UserByName returns the user and the password hash, or a *NotFoundError.
	UserByName(ctx context.Context, username string) (*User, string, error)
	// UserByID returns the user with that id, or a *NotFoundError.
	UserByID(ctx context.Context, id string) (*User, error)
	// SetPassword replaces the password hash of the user with that username
	// and revokes its tokens and sessions, in one transaction.
	SetPassword(ctx context.Context, username, passwordHash string) error
	// SetRole changes a user's role (already valid); demoting the last
	// admin is a *ConflictError, an unknown id a *NotFoundError.
	SetRole(ctx context.Context, id string, role Role) (*User, error)
	// UpdateUser changes a user's role and password hash, each only when
	// non-empty, in one transaction; a new password revokes its sign-ins.
	UpdateUser(ctx context.Context, id string, role Role, passwordHash string) (*User, error)
	// DeleteUser removes a user with its tokens and sessions; deleting the
	// last admin is a *ConflictError, an unknown id a *NotFoundError.
	DeleteUser(ctx context.Context, id string) error
	// CreateToken stores a credential by its hash; kind is TokenAPI or
	// TokenSession.
	CreateToken(ctx context.Context, userID, tokenHash, kind string, expiresAt time.Time) error
	// UserByToken returns the user holding an unexpired credential of that
	// kind, or ErrUnauthenticated.
	UserByToken(ctx context.Context, tokenHash, kind string, now time.Time) (*User, error)
	DeleteToken(ctx context.Context, tokenHash string) error
	// ReserveLoginAttempt checks every limit and, unless one is reached
	// (ErrTooManyAttempts), records a pending attempt under each key, in one
	// atomic step, before the password is checked. FinishLoginAttempt then
	// records how it ended. Attempts live in the database so that
	// throttling holds across instances.
	ReserveLoginAttempt(ctx context.Context, limits []LoginLimit, at time.Time) (attempt string, err error)
	FinishLoginAttempt(ctx context.Context, attempt string, ok bool, at time.Time) error
	// Secret returns the installation's random secret of that name, made at
	// first use and shared by every instance on the database.
	Secret(ctx context.Context, name string) ([]byte, error)
}

// LoginLimit is one rule of sign-in throttling: under Key (a username, a
// client address, or both), at most Max attempts that failed or are still
// being checked since Since.
type LoginLimit struct {
	Key   string
	Max   int
	Since time.Time
	// CountSuccesses makes successful attempts count too while the key has
	// failed or pending ones in the window, so that no more than Max
	// passwords are checked under it then; the key's successes are also
	// remembered, for UnlessKnown.
	CountSuccesses bool
	// UnlessKnown names a key (of a CountSuccesses limit) whose successful
	// sign-in since KnownSince lifts this limit: a user's own address.
	UnlessKnown string
	KnownSince  time.Time
}

// User is an account. Its password and tokens are kept only as hashes.
type User struct {
	ID        string    `json:"id"`
	Username  string    `json:"username"`
	Role      Role      `json:"role"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	Version   int       `json:"version"`
}

// Can reports whether the user's role reaches the role needed.
func (u *User) Can(needed Role) bool { return userRoles.Rank(u.Role) >= userRoles.Rank(needed) }

// ListQuery selects a page of a collection.
type ListQuery struct {
	Kind Kind
	// Refs filters by reference fields (negotiation_id, party_id, …); only
	// the fields in RefFields[Kind] are allowed.
	Refs   map[string]string
	Status string
	// Category is the ?category= filter of topics and demands (a demand's
	// category is its topic's): a key of Categories.
	Category string
	// Text is the ?q= search, matched case-insensitively anywhere in the
	// resource's SearchText.
	Text   string
	Limit  int
	Cursor string
}

// Page is one page of a list; NextCursor is "" on the last page.
type Page struct {
	Items      []Resource
	NextCursor string
}

// Revision is one entry of a resource's history.
type Revision struct {
	ResourceType Kind           `json:"resource_type"`
	ResourceID   string         `json:"resource_id"`
	Revision     int            `json:"revision"`
	Action       RevisionAction `json:"action"`
	Actor        string         `json:"actor"`
	// At is record time: when the revision was written.
	At time.Time `json:"at"`
	// EffectiveAt is negotiation time: when the change took effect.
	EffectiveAt     time.Time       `json:"effective_at"`
	ChangeNote      string          `json:"change_note,omitempty"`
	ChangeCitations []Citation      `json:"change_citations"`
	Resource        json.RawMessage `json:"resource"`
}

// Change is a revision inside a negotiation with the state before it in
// the resource's timeline, so that what changed can be shown field by field.
type Change struct {
	Revision
	Previous json.RawMessage `json:"-"`
}

// Snapshot is everything in one negotiation at one instant: what the matrix
// and the report are computed from.
type Snapshot struct {
	AsOf         time.Time // negotiation time; zero for "now"
	RecordedAsOf time.Time // record time; zero for everything recorded
	Negotiation  *Negotiation
	Parties      []*Party // the participants, and any other party referred to
	Rounds       []*Round
	Delegations  []*Delegation
	Topics       []*Topic
	Demands      []*Demand
	Objections   []*Objection
	Rebuttals    []*Rebuttal
	Endorsements []*Endorsement
}
