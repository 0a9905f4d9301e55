package store

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
)

// SetMaxPageCount caps a SQLite database at n pages (SQLite keeps at least
// the pages it has) on the writer connection, the one every write goes
// through, as a full disk would stop the file growing. It returns the cap
// SQLite applied. Tests in package store_test use it.
func SetMaxPageCount(ctx context.Context, s *Store, n int) (int, error) {
	var got int
	err := s.w.WithContext(ctx).Raw(fmt.Sprintf("PRAGMA max_page_count = %d", n)).Row().Scan(&got)
	return got, err
}

// PageCount is the number of pages a SQLite database holds now.
func PageCount(ctx context.Context, s *Store) (int, error) {
	var n int
	err := s.w.WithContext(ctx).Raw("PRAGMA page_count").Row().Scan(&n)
	return n, err
}

// TestSetMaxPageCountKeepsThePagesThere: the cap never goes below what the
// file already holds, so a test that caps a database can still read it.
func TestSetMaxPageCountKeepsThePagesThere(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "cap.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	pages, err := PageCount(ctx, s)
	if err != nil || pages < 1 {
		t.Fatalf("page count %d: %v", pages, err)
	}
	got, err := SetMaxPageCount(ctx, s, 1)
	if err != nil || got != pages {
		t.Fatalf("cap %d (%v), want the %d pages the file holds", got, err, pages)
	}
}
