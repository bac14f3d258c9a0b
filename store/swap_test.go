package store

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// tempFiles lists the temporary files srs left in dir.
func tempFiles(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var left []string
	for _, e := range entries {
		if strings.Contains(e.Name(), tempMark) || strings.Contains(e.Name(), ".tmp") {
			left = append(left, e.Name())
		}
	}
	return left
}

// writerWaiting starts a writer on path once the test has it hold the
// lock: it opens the file, finds it locked, waits, and then creates user
// "zed". It returns when the writer is waiting on the file it opened; the
// writer's result arrives on the channel.
func writerWaiting(t *testing.T, path string) <-chan error {
	t.Helper()
	waiting := make(chan struct{})
	var once sync.Once
	testHookWaiting = func(p string) {
		if p == path {
			once.Do(func() { close(waiting) })
		}
	}
	t.Cleanup(func() { testHookWaiting = nil })
	done := make(chan error, 1)
	go func() {
		done <- With(func() (*Store, error) { return Open(path, Options{Now: t0, Timeout: 20 * time.Second}) },
			func(w *Store) error { return w.EnsureUser("zed", t0) })
	}()
	select {
	case <-waiting:
	case err := <-done:
		t.Fatalf("the writer did not wait: %v", err)
	}
	return done
}

func wantUser(t *testing.T, path, name string) {
	t.Helper()
	s, err := Open(path, Options{Now: t0})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	users, err := s.Users()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(users, name) {
		t.Fatalf("user %s is not in %s (users %v): the write went into the replaced file", name, path, users)
	}
}

// A process that opened the database before a restore swapped the file,
// and waited for the lock, must write into the restored file, not into
// the one the restore replaced (which is gone once closed).
func TestRestoreWhileAWriterWaits(t *testing.T) {
	s := busyStore(t)
	path := s.Path()
	bk := filepath.Join(t.TempDir(), "backup.db")
	if _, err := s.Backup(bk); err != nil {
		t.Fatal(err)
	}
	s.Close()
	var done <-chan error
	testHookSwap = func() { done = writerWaiting(t, path) }
	defer func() { testHookSwap = nil }()
	if err := Restore(path, bk, false, Options{Now: t0}); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatalf("writer: %v", err)
	}
	wantUser(t, path, "zed")
}

// The same for the compaction after an upgrade, which also renames a new
// file over the database.
func TestCompactWhileAWriterWaits(t *testing.T) {
	s := bloatedStore(t)
	path := s.Path()
	done := writerWaiting(t, path)
	if err := s.compactAfterUpgrade(Options{Now: t0}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if err := <-done; err != nil {
		t.Fatalf("writer: %v", err)
	}
	wantUser(t, path, "zed")
	wantUser(t, path, "ann")
}

// A compaction whose rename fails says so, leaves no temporary file, and
// leaves the (upgraded, uncompacted) database open and whole.
func TestCompactRenameFails(t *testing.T) {
	s := bloatedStore(t)
	rename = func(string, string) error { return errors.New("rename refused") }
	defer func() { rename = os.Rename }()
	err := s.compactAfterUpgrade(Options{Now: t0})
	if err == nil || !strings.Contains(err.Error(), "rename refused") || !strings.Contains(err.Error(), s.Path()) {
		t.Fatalf("got %v, want the rename's error", err)
	}
	if left := tempFiles(t, filepath.Dir(s.Path())); len(left) > 0 {
		t.Fatalf("temporary files left: %v", left)
	}
	if r, err := s.Check(); err != nil || len(r.Problems) != 0 || r.Cards != 2000 {
		t.Fatalf("after a failed compaction: %v %+v", err, r)
	}
}

// Open refuses what is not a regular file by what it is, before opening it
// (a named pipe would block the open).
func TestOpenRefusesNonRegularFiles(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := mkfifo(fifo); err != nil {
		t.Skip("no named pipes here:", err)
	}
	for _, c := range []struct{ path, want string }{
		{"/dev/null", "database /dev/null is a character device, not a database file"},
		{fifo, "is a named pipe, not a database file"},
		{dir, "is a directory"},
	} {
		for _, ro := range []bool{false, true} {
			_, err := Open(c.path, Options{ReadOnly: ro, Timeout: time.Second})
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("Open(%s, read-only %v) = %v, want %q", c.path, ro, err, c.want)
			}
		}
	}
}

// The lock wait backs off but keeps trying until the timeout: a process
// that holds the file for less than the timeout is waited for.
func TestOpenWaitsForAShortHolder(t *testing.T) {
	p := filepath.Join(t.TempDir(), "srs.db")
	s, err := Open(p, Options{Now: t0})
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		time.Sleep(300 * time.Millisecond)
		s.Close()
	}()
	s2, err := Open(p, Options{Now: t0, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatalf("open while another holds the file for a moment: %v", err)
	}
	s2.Close()
}
