//go:build !(linux || darwin || freebsd)

package store

// freeBytes is unknown where parley does not read file system statistics.
func freeBytes(string) int64 { return -1 }
