//go:build !unix

package store

import (
	"errors"
	"os"
)

var errLocked = errors.New("locked")

// tryLock leaves the lock to bbolt where flock(2) does not exist. There a
// file cannot be renamed over while another process has it open, which
// is what the check after locking guards against on Unix.
func tryLock(*os.File, bool) error { return nil }

func unlock(*os.File) {}

// processAlive cannot tell without a process table; temporary files are
// then removed by age alone.
func processAlive(int) bool { return true }
