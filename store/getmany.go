package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/parley/parley/domain"
)

// getManyChunk keeps each IN list well under SQLite's bound-parameter limit.
const getManyChunk = 500

// GetMany reads the resources of one kind with the given ids in one query per
// 500 ids, so that a page naming many parties costs a fixed handful of
// queries rather than one per party. Ids that name nothing are left out.
func (s *Store) GetMany(ctx context.Context, k domain.Kind, ids []string) (map[string]domain.Resource, error) {
	t, err := tableOf(k)
	if err != nil {
		return nil, err
	}
	out := make(map[string]domain.Resource, len(ids))
	unique := make([]string, 0, len(ids))
	seen := make(map[string]bool, len(ids))
	for _, id := range ids {
		if id != "" && !seen[id] {
			seen[id] = true
			unique = append(unique, id)
		}
	}
	db := s.r.WithContext(ctx)
	for start := 0; start < len(unique); start += getManyChunk {
		chunk := unique[start:min(start+getManyChunk, len(unique))]
		err := eachRow(db, func(rows *sql.Rows) error {
			var body []byte
			if err := rows.Scan(&body); err != nil {
				return err
			}
			r, err := decode(k, body)
			if err != nil {
				return err
			}
			out[r.Base().ID] = r
			return nil
		}, "SELECT body FROM "+t.name+" WHERE id IN ?", chunk)
		if err != nil {
			return nil, fmt.Errorf("store: get %s: %w", k, err)
		}
	}
	return out, nil
}
