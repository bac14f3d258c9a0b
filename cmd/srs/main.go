// Command srs is a spaced-repetition trainer for engineers preparing for
// senior and staff interviews. This package is the command line: flags,
// wiring and terminal rendering. What to show, how to schedule it and how
// to store it live in the review, fsrs, store, deck and content packages,
// and files in the format packages under deck (see the README's map).
package main

import (
	"fmt"
	"os"
	"runtime/pprof"
)

func main() {
	// SRS_CPUPROFILE writes a CPU profile of the command, for the
	// profiles bench/RESULTS.md cites.
	if path := os.Getenv("SRS_CPUPROFILE"); path != "" {
		f, err := os.Create(path)
		if err != nil {
			fmt.Fprintf(os.Stderr, "srs: SRS_CPUPROFILE: %v\n", err)
			os.Exit(1)
		}
		pprof.StartCPUProfile(f)
		code := Main(os.Args, defaultIO(), os.Getenv)
		pprof.StopCPUProfile()
		f.Close()
		os.Exit(code)
	}
	os.Exit(Main(os.Args, defaultIO(), os.Getenv))
}
