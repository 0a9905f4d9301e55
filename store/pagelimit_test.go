package store

import (
	"context"
	"fmt"
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
