package store

import "database/sql"

// DBStats reports the connection pools by name for monitoring: "writer" and
// "reader" on SQLite; on PostgreSQL "pool", which both handles share, and
// "retry", the new connections retries run on.
func (s *Store) DBStats() map[string]sql.DBStats {
	out := map[string]sql.DBStats{}
	if s.dialect == dialectPostgres {
		if db, err := s.w.DB(); err == nil {
			out["pool"] = db.Stats()
		}
		if db, err := s.fresh.DB(); err == nil {
			out["retry"] = db.Stats()
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
