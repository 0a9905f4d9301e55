package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"time"

	"gorm.io/gorm"

	"github.com/parley/parley/domain"
)

const (
	// probeEvery spaces the writes Ping tries while storage is full.
	probeEvery = 5 * time.Second
	// probeBytes is how much room a probe asks for: a few creates' worth.
	probeBytes = 256 << 10
)

// errNoRoomToProbe: the file system has less free than a probe needs.
var errNoRoomToProbe = errors.New("store: too little free space to try a write")

// spaceState remembers that the last write failed for lack of space, from
// that failure until a write succeeds, so that /readyz can say so.
type spaceState struct {
	mu       sync.Mutex
	full     *domain.FaultError // nil while writes succeed
	probedAt time.Time
}

// noteWrite records the outcome of a write transaction. Other failures
// (a rule refused, a lost connection) say nothing about space.
func (s *Store) noteWrite(err error) {
	fe := s.Fault(err)
	switch {
	case err == nil:
		s.space.mu.Lock()
		s.space.full = nil
		s.space.mu.Unlock()
	case fe != nil && fe.Cause == domain.FaultStorageFull:
		s.space.mu.Lock()
		s.space.full = fe
		s.space.mu.Unlock()
	}
}

// spaceFault is the storage-full fault while it lasts, nil otherwise. An
// instance that a load balancer stops sending requests to while it is not
// ready would never write again by itself, so every probeEvery one call
// tries a write that needs probeBytes and leaves nothing behind; its
// success, like any write's, ends the condition.
func (s *Store) spaceFault(ctx context.Context) error {
	s.space.mu.Lock()
	full := s.space.full
	due := full != nil && time.Since(s.space.probedAt) >= probeEvery
	if due {
		s.space.probedAt = time.Now()
	}
	s.space.mu.Unlock()
	if full == nil {
		return nil
	}
	if due && s.probeSpace(ctx) == nil {
		return nil
	}
	s.space.mu.Lock()
	defer s.space.mu.Unlock()
	if s.space.full == nil {
		return nil
	}
	return s.space.full
}

// probeSpace writes probeBytes into a table of its own and drops it, in one
// transaction. On SQLite the insert must find the pages under the page
// limit and the file system must have the bytes free (the commit itself
// writes only a few pages to the WAL); on PostgreSQL the table's file must
// grow, which is where 53100 comes from.
func (s *Store) probeSpace(ctx context.Context) error {
	if s.dialect == dialectSQLite {
		if free := freeBytes(filepath.Dir(s.name)); free >= 0 && free < probeBytes {
			return errNoRoomToProbe
		}
	}
	suffix := make([]byte, 8)
	if _, err := rand.Read(suffix); err != nil {
		return err
	}
	table := "parley_space_probe_" + hex.EncodeToString(suffix)
	fill := fmt.Sprintf("INSERT INTO %s VALUES (zeroblob(%d))", table, probeBytes)
	if s.dialect == dialectPostgres {
		// Rows of 1000 bytes are stored as they are: neither compressed
		// nor moved out of line.
		fill = fmt.Sprintf("INSERT INTO %s SELECT repeat('x', 1000) FROM generate_series(1, %d)", table, probeBytes/1000)
	}
	return s.write(ctx, func(tx *gorm.DB) error {
		for _, q := range []string{"CREATE TABLE " + table + " (b " + s.blobType() + ")", fill, "DROP TABLE " + table} {
			if err := tx.Exec(q).Error; err != nil {
				return err
			}
		}
		return nil
	})
}

func (s *Store) blobType() string {
	if s.dialect == dialectPostgres {
		return "text"
	}
	return "BLOB"
}
