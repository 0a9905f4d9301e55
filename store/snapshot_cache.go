package store

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"

	"gorm.io/gorm"

	"github.com/parley/parley/domain"
)

// Reading a conference's current snapshot (36,000 statements) costs more
// than everything a page then does with it: most of it is decoding the
// stored bodies. The current snapshots last read are therefore kept,
// decoded, and served again while nothing they hold has changed.
//
// Whether anything has changed is read from the revisions, in the same
// read transaction as the snapshot itself: every write records one (and
// none is ever removed), the negotiation's with the negotiation's id and a
// party's, which names no negotiation, with resource_type 'parties'. The
// count catches a revision committed late with a lower id (PostgreSQL
// hands ids out before commit); the highest id catches an insert that met
// a removal. Each instance of a scale-out keeps its own cache and checks it
// against the shared database on every read, so a write through another
// instance is seen at once.

// snapshotCacheLimit bounds what the cache holds, in resources: about
// seven conference-scale negotiations. A snapshot larger than the whole
// is not kept.
const snapshotCacheLimit = 250_000

// snapshotMark is what the revisions say about a negotiation's snapshot
// when it is read: its own revisions and the parties', counted, with the
// highest id of each.
type snapshotMark struct {
	negotiationCount, negotiationLast int64
	partyCount, partyLast             int64
}

// readSnapshotMark reads the mark of a negotiation's current snapshot in
// one statement.
func readSnapshotMark(tx *gorm.DB, negotiationID string) (snapshotMark, error) {
	var m snapshotMark
	err := tx.Raw(`SELECT
			(SELECT COUNT(*) FROM revisions WHERE negotiation_id = ?),
			(SELECT COALESCE(MAX(id), 0) FROM revisions WHERE negotiation_id = ?),
			(SELECT COUNT(*) FROM revisions WHERE resource_type = ?),
			(SELECT COALESCE(MAX(id), 0) FROM revisions WHERE resource_type = ?)`,
		negotiationID, negotiationID, string(domain.KindParty), string(domain.KindParty)).
		Row().Scan(&m.negotiationCount, &m.negotiationLast, &m.partyCount, &m.partyLast)
	if err != nil {
		return m, fmt.Errorf("store: snapshot mark: %w", err)
	}
	return m, nil
}

// snapshotCache keeps the current snapshots last read, by negotiation.
type snapshotCache struct {
	mu      sync.Mutex
	entries map[string]*cachedSnapshot
	size    int
	clock   uint64
	// check makes every hit verify that no reader changed what the cache
	// holds (tests turn it on: a view that changed a shared resource in
	// place would corrupt every later view).
	check bool
}

type cachedSnapshot struct {
	mark     snapshotMark
	snap     *domain.Snapshot
	size     int
	lastUsed uint64
	digest   [sha256.Size]byte
}

func newSnapshotCache(check bool) *snapshotCache {
	return &snapshotCache{entries: map[string]*cachedSnapshot{}, check: check}
}

// errCachedSnapshotChanged reports a reader that changed a cached snapshot.
var errCachedSnapshotChanged = errors.New("store: a cached snapshot was changed by one of its readers")

// kept returns the negotiation's kept snapshot and the mark it was read
// at, nil if there is none. The snapshot is the cache's own: a reader
// gets it through shareSnapshot.
func (c *snapshotCache) kept(negotiationID string) (*domain.Snapshot, snapshotMark, error) {
	c.mu.Lock()
	e, ok := c.entries[negotiationID]
	if ok {
		c.clock++
		e.lastUsed = c.clock
	}
	c.mu.Unlock()
	if !ok {
		return nil, snapshotMark{}, nil
	}
	if c.check {
		if digest, err := snapshotDigest(e.snap); err != nil || digest != e.digest {
			return nil, snapshotMark{}, errCachedSnapshotChanged
		}
	}
	return e.snap, e.mark, nil
}

// put keeps a snapshot read at mark, making room by dropping those least
// recently used, and returns the copy its reader may use.
func (c *snapshotCache) put(negotiationID string, mark snapshotMark, snap *domain.Snapshot) *domain.Snapshot {
	size := snapshotSize(snap)
	if size > snapshotCacheLimit {
		return snap
	}
	e := &cachedSnapshot{mark: mark, snap: snap, size: size}
	if c.check {
		digest, err := snapshotDigest(snap)
		if err != nil {
			return snap
		}
		e.digest = digest
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.entries[negotiationID]; ok {
		c.size -= old.size
		delete(c.entries, negotiationID)
	}
	for c.size+size > snapshotCacheLimit {
		c.evictOldest()
	}
	c.clock++
	e.lastUsed = c.clock
	c.entries[negotiationID] = e
	c.size += size
	return shareSnapshot(snap)
}

func (c *snapshotCache) evictOldest() {
	var oldest string
	var at uint64
	for id, e := range c.entries {
		if oldest == "" || e.lastUsed < at {
			oldest, at = id, e.lastUsed
		}
	}
	c.size -= c.entries[oldest].size
	delete(c.entries, oldest)
}

// shareSnapshot is a snapshot over the same resources with lists of its
// own, so that a reader may sort, cut or extend them. The resources are
// shared and are never changed by a reader (see snapshotCache.check).
func shareSnapshot(s *domain.Snapshot) *domain.Snapshot {
	out := *s
	n := *s.Negotiation
	out.Negotiation = &n
	out.Parties = slices.Clone(s.Parties)
	out.Rounds = slices.Clone(s.Rounds)
	out.Delegations = slices.Clone(s.Delegations)
	out.Topics = slices.Clone(s.Topics)
	out.Demands = slices.Clone(s.Demands)
	out.Objections = slices.Clone(s.Objections)
	out.Rebuttals = slices.Clone(s.Rebuttals)
	out.Endorsements = slices.Clone(s.Endorsements)
	return &out
}

func snapshotSize(s *domain.Snapshot) int {
	return 1 + len(s.Parties) + len(s.Rounds) + len(s.Delegations) + len(s.Topics) +
		len(s.Demands) + len(s.Objections) + len(s.Rebuttals) + len(s.Endorsements)
}

// snapshotDigest sums everything a snapshot holds, as JSON.
func snapshotDigest(s *domain.Snapshot) ([sha256.Size]byte, error) {
	b, err := json.Marshal(s)
	if err != nil {
		return [sha256.Size]byte{}, fmt.Errorf("store: digest snapshot: %w", err)
	}
	return sha256.Sum256(b), nil
}

// warmNegotiations is how many negotiations a start reads ahead: four
// conferences fit the cache with room for the views that follow.
const warmNegotiations = 4

// WarmSnapshots reads the current snapshots of the negotiations changed
// most recently, so that the first views after a start are served from
// the cache rather than each paying for a whole read (370 ms at COP
// scale). It returns their ids, most recently changed first.
func (s *Store) WarmSnapshots(ctx context.Context) ([]string, error) {
	var ids []string
	err := s.read(ctx, func(tx *gorm.DB) error {
		var err error
		ids, err = scanStrings(tx, `SELECT negotiation_id FROM revisions WHERE negotiation_id IS NOT NULL
			GROUP BY negotiation_id ORDER BY MAX(id) DESC LIMIT ?`, warmNegotiations)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: warm snapshots: %w", err)
	}
	warmed := ids[:0]
	for _, id := range ids {
		if _, err := s.currentSnapshot(ctx, id); err != nil {
			var gone *domain.NotFoundError
			if errors.As(err, &gone) {
				continue // deleted since its last revision
			}
			return warmed, err
		}
		warmed = append(warmed, id)
	}
	return warmed, nil
}
