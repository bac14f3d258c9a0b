package store

import "syscall"

// releaseMapped lets the kernel drop the resident pages of the database's
// memory map. A walk over the whole file (an export) would otherwise keep
// every page it touched resident; they are clean file pages, so dropping
// them is free and a later read faults them back from the page cache.
func (s *Store) releaseMapped(size int64) {
	if size <= 0 {
		return
	}
	syscall.Syscall(syscall.SYS_MADVISE, s.db.Info().Data, uintptr(size), syscall.MADV_DONTNEED)
}
