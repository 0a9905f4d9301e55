package store

import "database/sql"

// DBStats reports the connection pools by name for monitoring: "writer" and
// "reader" on SQLite, "pool" on PostgreSQL, where both handles share one.
func (s *Store) DBStats() map[string]sql.DBStats {
	out := map[string]sql.DBStats{}
	if s.r == s.w {
		if db, err := s.w.DB(); err == nil {
			out["pool"] = db.Stats()
		}
		return out
	}
	if db, err := s.w.DB(); err == nil {
		out["writer"] = db.Stats()
	}
	if db, err := s.r.DB(); err == nil {
		out["reader"] = db.Stats()
	}
	return out
}
