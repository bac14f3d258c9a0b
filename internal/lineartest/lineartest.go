// Package lineartest checks, for the tests that guard parsers and
// converters against quadratic paths, that the work a function does grows
// in proportion to its input. It asserts no duration: it compares the
// work done on an input with the work done on one k times as large, in
// the same run, where linear work grows k-fold and quadratic work k²-fold.
// Two measures are compared, and both must stay under k^1.5: the bytes
// allocated (exact for the same code and input), and the CPU time the
// process spends (which a loaded or slow machine scales alike for both
// sizes). A quadratic path shows in one of them whether it allocates or
// only scans.
package lineartest

import (
	"fmt"
	"math"
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

// K is how much larger the second input is than the first.
const K = 16

// Case is one input shape: Make builds the input of size n (in whatever
// unit the shape counts) and returns the work to measure on it.
type Case struct {
	Name string
	N    int // the smaller size; the larger is K times it
	Make func(n int) func()
}

// cost is the work one call did.
type cost struct {
	alloc uint64        // bytes allocated
	cpu   time.Duration // CPU time of the process
}

func measure(run func()) cost {
	// The collector is off while run runs: its work depends on how the
	// heap stood before as much as on run's own (a small input may never
	// start it), which would blur the ratio.
	runtime.GC()
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	c0 := cpuTime()
	run()
	c1 := cpuTime()
	runtime.ReadMemStats(&after)
	return cost{alloc: after.TotalAlloc - before.TotalAlloc, cpu: c1 - c0}
}

// best is the least of tries measurements of run: noise only adds.
func best(run func(), tries int) cost {
	b := measure(run)
	for range tries - 1 {
		c := measure(run)
		b.alloc = min(b.alloc, c.alloc)
		b.cpu = min(b.cpu, c.cpu)
	}
	return b
}

// Check fails t for each case whose work on the larger input is more
// than K^1.5 times its work on the smaller (K times for linear work, K²
// for quadratic), naming the measure.
func Check(t testing.TB, cases []Case) {
	t.Helper()
	limit := math.Pow(K, 1.5)
	for _, c := range cases {
		small := best(c.Make(c.N), 3)
		large := best(c.Make(c.N*K), 2)
		for _, m := range []struct {
			what         string
			small, large float64
			show         func(float64) string
		}{
			{"bytes allocated", float64(small.alloc), float64(large.alloc), func(v float64) string { return fmt.Sprintf("%.0f", v) }},
			{"CPU time", float64(small.cpu), float64(large.cpu), func(v float64) string { return time.Duration(v).String() }},
		} {
			// A measure too small to read (a few allocations, a CPU
			// clock tick) is taken as 1 of its unit or one tick.
			ratio := m.large / max(m.small, 1)
			if m.what == "CPU time" {
				ratio = m.large / max(m.small, float64(cpuTick))
			}
			if ratio > limit {
				t.Errorf("%s: %s grew %.0f-fold for a %d-fold input (%s for %d, %s for %d); linear work grows about %d-fold",
					c.Name, m.what, ratio, K, m.show(m.small), c.N, m.show(m.large), c.N*K, K)
			} else if testing.Verbose() {
				t.Logf("%s: %s grew %.1f-fold for a %d-fold input", c.Name, m.what, ratio, K)
			}
		}
	}
}
