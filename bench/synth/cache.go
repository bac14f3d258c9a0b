package synth

import (
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// End is the benchmark collections' "today" (bench/gen's default).
var End = time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)

// Cached returns the path of a collection of the given size (seed 1,
// ending at End), building it the first time: the largest takes a minute
// to simulate, so every package's benchmarks share one cache,
// $SRS_BENCH_DIR (default: the temp dir's srs-bench). logf notes a build.
func Cached(cards, reviews, users int, logf func(format string, args ...any)) (string, error) {
	dir := os.Getenv("SRS_BENCH_DIR")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "srs-bench")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	path := filepath.Join(dir, fmt.Sprintf("c%d-r%d-u%d.db", cards, reviews, users))
	if _, err := os.Stat(path); err == nil {
		return path, nil
	}
	logf("building %s (once)", path)
	// Built beside and renamed, so an interrupted build is never taken
	// for a finished one.
	tmp := path + ".building"
	os.Remove(tmp)
	if err := Build(tmp, Config{Cards: cards, Reviews: reviews, Users: users, Seed: 1, End: End}); err != nil {
		return "", err
	}
	return path, os.Rename(tmp, path)
}

// Copy gives a benchmark that writes its own copy of the collection at
// src, as dir/srs.db, synced before the clock starts: otherwise the first
// commits' syncs also flush the copy, and the bigger the collection, the
// more.
func Copy(src, dir string) (string, error) {
	data, err := os.ReadFile(src)
	if err != nil {
		return "", err
	}
	dst := filepath.Join(dir, "srs.db")
	f, err := os.Create(dst)
	if err != nil {
		return "", err
	}
	if _, err = f.Write(data); err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return dst, err
}
