// Command srs is a spaced-repetition trainer for engineers preparing for
// senior and staff interviews. This package is the command line: flags,
// wiring and terminal rendering. What to show, how to schedule it and how
// to store it live in the review, fsrs, store, deck and content packages.
package main

import (
	"os"
)

func main() {
	os.Exit(Main(os.Args, defaultIO(), os.Getenv))
}
