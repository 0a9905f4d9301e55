//go:build !cgo

package store

// sqliteFull never sees a SQLite error without cgo.
func sqliteFull(error) bool { return false }
