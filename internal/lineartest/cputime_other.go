//go:build !unix

package lineartest

import "time"

// cpuTick is the smallest time taken as read.
const cpuTick = time.Millisecond

var origin = time.Now()

// cpuTime is, where the process's CPU time cannot be read, the time
// since the program started (the ratio Check takes still holds on an
// otherwise idle machine).
func cpuTime() time.Duration { return time.Since(origin) }
