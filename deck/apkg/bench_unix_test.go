//go:build unix

package apkg

import (
	"runtime"
	"syscall"
)

// peakRSS is the process's peak resident set in bytes. SQLite's memory
// (modernc's libc allocator) does not show in Go's heap statistics, so the
// benchmark reports this too.
func peakRSS() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	if runtime.GOOS == "darwin" {
		return ru.Maxrss // bytes on macOS
	}
	return ru.Maxrss * 1024 // KiB on Linux and the BSDs
}
