package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// LastChanges returns, per negotiation id, the record time of the latest
// revision inside it: the negotiation itself or anything in it.
func (s *Store) LastChanges(ctx context.Context) (map[string]time.Time, error) {
	out := map[string]time.Time{}
	err := s.read(ctx, func(tx *gorm.DB) error {
		rows, err := tx.Raw("SELECT negotiation_id, MAX(at) FROM revisions WHERE negotiation_id IS NOT NULL GROUP BY negotiation_id").Rows()
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id string
			var at dbTime
			if err := rows.Scan(&id, &at); err != nil {
				return err
			}
			out[id] = at.Time
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("store: last changes: %w", err)
	}
	return out, nil
}
