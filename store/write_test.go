package store

import (
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func writeString(s string) func(io.Writer) error {
	return func(w io.Writer) error { _, err := io.WriteString(w, s); return err }
}

// A written file is renamed into place and the rename made durable: the
// directory is synced after it.
func TestWriteFileAtomicSyncsTheDirectory(t *testing.T) {
	dir := t.TempDir()
	var synced []string
	defer func(f func(string) error) { syncDir = f }(syncDir)
	syncDir = func(d string) error { synced = append(synced, d); return nil }
	if err := WriteFileAtomic(filepath.Join(dir, "out"), writeString("x")); err != nil {
		t.Fatal(err)
	}
	if len(synced) != 1 || synced[0] != dir {
		t.Fatalf("directories synced: %q, want %q", synced, dir)
	}
}

// A symbolic link is followed, also to a file not there yet; a directory
// is refused; a device is written as it is.
func TestWriteFileAtomicTargets(t *testing.T) {
	dir := t.TempDir()
	os.Mkdir(filepath.Join(dir, "sub"), 0o700)
	os.Symlink("sub/later.txt", filepath.Join(dir, "link"))
	os.Symlink("link", filepath.Join(dir, "link2"))
	if err := WriteFileAtomic(filepath.Join(dir, "link2"), writeString("hello")); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(filepath.Join(dir, "sub", "later.txt")); string(data) != "hello" {
		t.Fatalf("through two links: %q", data)
	}
	for _, l := range []string{"link", "link2"} {
		if fi, err := os.Lstat(filepath.Join(dir, l)); err != nil || fi.Mode()&os.ModeSymlink == 0 {
			t.Fatalf("%s is no longer a link: %v %v", l, fi.Mode(), err)
		}
	}
	if err := WriteFileAtomic(filepath.Join(dir, "sub"), writeString("x")); err == nil || !strings.Contains(err.Error(), "is a directory") {
		t.Fatalf("a directory: %v", err)
	}
	if err := WriteFileAtomic("/dev/null", writeString("x")); err != nil {
		t.Fatalf("/dev/null: %v", err)
	}
	if fi, err := os.Stat("/dev/null"); err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		t.Fatalf("/dev/null: %v %v", fi.Mode(), err)
	}
	if left := tempFiles(t, dir); len(left) > 0 {
		t.Fatalf("left: %v", left)
	}
}

// SweepTemp removes what a process that is gone left, and nothing else.
func TestSweepTemp(t *testing.T) {
	dir := t.TempDir()
	// 4194304 is above Linux's largest pid: no such process.
	names := map[string]bool{ // name: removed
		".out.apkg." + tempMark + "4194304-123":                  true,
		tempMark + "4194304-77":                                  true,
		".srs.db." + tempMark + strconv.Itoa(os.Getpid()) + "-5": false, // this process
		".srs.db." + tempMark + "1-5":                            false, // init runs
		"notes.txt":                                              false,
		".x.srs-tmp-abc-1":                                       false,
	}
	for n := range names {
		if strings.HasPrefix(n, tempMark) {
			os.Mkdir(filepath.Join(dir, n), 0o700)
			os.WriteFile(filepath.Join(dir, n, "inside"), nil, 0o600)
		} else {
			os.WriteFile(filepath.Join(dir, n), nil, 0o600)
		}
	}
	if n := SweepTemp(dir); n != 2 {
		t.Errorf("removed %d, want 2", n)
	}
	for n, removed := range names {
		_, err := os.Stat(filepath.Join(dir, n))
		if removed != os.IsNotExist(err) {
			t.Errorf("%s: removed %v, want %v", n, os.IsNotExist(err), removed)
		}
	}
}
