//go:build unix

package main

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// The restore race, with a second process held at the right moment: an
// `srs suspend` opens the database while the test holds its lock (as a
// restore does), the test renames a copy over the database and lets go,
// and the suspend must land in the file now at the path, not in the
// replaced one.
func TestSwapWhileACommandWaits(t *testing.T) {
	if _, err := os.Stat("/proc/self/fd"); err != nil {
		t.Skip("needs /proc to see the command open the database")
	}
	bin := srsBinary(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "srs.db")
	env := []string{"SRS_DB=" + db, "SRS_USER=ann", "SRS_NOW=2026-11-27T10:00:00Z", "TZ=UTC", "SRS_LOCK_TIMEOUT=30s"}
	if _, stderr, code := run(t, bin, env, "status"); code != 0 {
		t.Fatal(stderr)
	}
	copyOf := filepath.Join(dir, "copy.db")
	if _, stderr, code := run(t, bin, env, "backup", copyOf); code != 0 {
		t.Fatal(stderr)
	}
	held, err := bolt.Open(db, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "suspend", "guide/q01")
	cmd.Env = append(os.Environ(), env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for !hasOpen(cmd.Process.Pid, db) {
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("srs suspend never opened the database")
		}
		time.Sleep(time.Millisecond)
	}
	if err := os.Rename(copyOf, db); err != nil {
		t.Fatal(err)
	}
	held.Close()
	if err := cmd.Wait(); err != nil {
		t.Fatalf("suspend: %v %s", err, errb.String())
	}
	if !strings.Contains(out.String(), "suspended") {
		t.Fatalf("suspend said %q", out.String())
	}
	logged, stderr, code := run(t, bin, env, "log", "--json")
	if code != 0 || !strings.Contains(logged, `"action":"suspend"`) {
		t.Fatalf("the suspend srs printed is not in the database at the path: %d %s\n%s", code, stderr, logged)
	}
}

// hasOpen reports whether process pid has path open.
func hasOpen(pid int, path string) bool {
	fds, _ := filepath.Glob(filepath.Join("/proc", strconv.Itoa(pid), "fd", "*"))
	for _, fd := range fds {
		if l, err := os.Readlink(fd); err == nil && l == path {
			return true
		}
	}
	return false
}

// Outputs that are not plain files: a symbolic link is followed and kept,
// a named pipe and a device are written, never replaced.
func TestOutputsThatAreNotFiles(t *testing.T) {
	bin := srsBinary(t)
	dir := t.TempDir()
	env := []string{"SRS_DB=" + filepath.Join(dir, "srs.db"), "SRS_USER=ann", "SRS_NOW=2026-11-27T10:00:00Z", "TZ=UTC"}
	if _, stderr, code := run(t, bin, env, "status"); code != 0 {
		t.Fatal(stderr)
	}
	wantKind := func(path string, mode os.FileMode) {
		t.Helper()
		fi, err := os.Lstat(path)
		if err != nil || fi.Mode().Type() != mode {
			t.Fatalf("%s: %v %v, want type %v", path, fi.Mode(), err, mode)
		}
	}

	// A link to a file, and a link to a file not there yet.
	os.Mkdir(filepath.Join(dir, "real"), 0o700)
	os.WriteFile(filepath.Join(dir, "real", "old.md"), []byte("old"), 0o600)
	for _, c := range []struct{ link, target string }{{"a.md", "real/old.md"}, {"b.md", "real/new.md"}} {
		link := filepath.Join(dir, c.link)
		if err := os.Symlink(c.target, link); err != nil {
			t.Fatal(err)
		}
		if _, stderr, code := run(t, bin, env, "export", "--format", "md", "-o", link); code != 0 {
			t.Fatalf("export to %s: %s", c.link, stderr)
		}
		wantKind(link, os.ModeSymlink)
		if data, _ := os.ReadFile(filepath.Join(dir, c.target)); !bytes.HasPrefix(data, []byte("---\n")) {
			t.Fatalf("%s: the export did not reach %s: %.40q", c.link, c.target, data)
		}
	}

	// A named pipe gets the export; it stays a pipe.
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	got := make(chan []byte)
	go func() {
		f, err := os.Open(fifo)
		if err != nil {
			got <- nil
			return
		}
		data, _ := io.ReadAll(f)
		f.Close()
		got <- data
	}()
	if _, stderr, code := run(t, bin, env, "export", "--format", "jsonl", "-o", fifo); code != 0 {
		t.Fatalf("export to a pipe: %s", stderr)
	}
	if data := <-got; !bytes.Contains(data, []byte(`"id":"q01"`)) {
		t.Fatalf("read from the pipe: %.60q", data)
	}
	wantKind(fifo, os.ModeNamedPipe)

	// A device node of our own (root only): /dev/null's numbers.
	if os.Geteuid() != 0 {
		t.Skip("making a device node needs root (CI runs as root)")
	}
	null := filepath.Join(dir, "null")
	if err := syscall.Mknod(null, syscall.S_IFCHR|0o600, 1<<8|3); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"backup", null}, {"export", "--format", "tsv", "-o", null}} {
		if _, stderr, code := run(t, bin, env, args...); code != 0 {
			t.Fatalf("%v: %s", args, stderr)
		}
		wantKind(null, os.ModeDevice|os.ModeCharDevice)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 6 {
		t.Errorf("files left: %v", entries)
	}
}
