package store

import (
	"database/sql"

	"gorm.io/gorm"
)

// eachRow runs query on db and hands every row to scan, stopping at the
// first error. The rows are closed however it ends, and an error that ended
// the iteration early (rows.Err) is returned like any other.
func eachRow(db *gorm.DB, scan func(*sql.Rows) error, query string, args ...any) error {
	rows, err := db.Raw(query, args...).Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}
