package main

import (
	"os"

	"github.com/srs-tool/srs/store"
)

// inTempDir readies a temporary directory for work that writes
// temporary files (an .apkg built or unpacked, a piped package copied to
// a file): it removes what killed srs processes left in the system's
// temporary directory (store.SweepTemp), makes a directory of this
// process's own there, marked as srs's (store.TempDir), and points
// TMPDIR at it, so that the packages doing the work (deck/apkg, which
// cannot know the store's naming) make their files inside. A run killed
// before done leaves only that directory, which the next one sweeps.
// done removes it and puts TMPDIR back.
func inTempDir() (dir string, done func(), err error) {
	store.SweepTemp(os.TempDir())
	dir, err = store.TempDir()
	if err != nil {
		return "", nil, err
	}
	old, had := os.LookupEnv("TMPDIR")
	os.Setenv("TMPDIR", dir)
	return dir, func() {
		if had {
			os.Setenv("TMPDIR", old)
		} else {
			os.Unsetenv("TMPDIR")
		}
		os.RemoveAll(dir)
	}, nil
}
