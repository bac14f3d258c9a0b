//go:build !linux

package store

// releaseMapped is a no-op where srs does not tune the kernel's paging.
func (s *Store) releaseMapped(int64) {}
