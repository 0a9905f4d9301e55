//go:build linux || darwin || freebsd

package store

import "syscall"

// freeBytes is the space an unprivileged process may still use on the file
// system holding dir, -1 when it cannot be read.
func freeBytes(dir string) int64 {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return -1
	}
	return int64(st.Bavail) * int64(st.Bsize) //nolint:unconvert // Bsize is int64 on Linux, uint32 on the BSDs
}
