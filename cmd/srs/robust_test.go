package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// run runs the srs binary and returns its stdout, stderr and exit code.
func run(t *testing.T, bin string, env []string, args ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return out.String(), errb.String(), code
}

// wantOneLineError checks the contract for bad input: exit status 1, one
// line on stderr that says srs and contains want, no stack trace.
func wantOneLineError(t *testing.T, what, stderr string, code int, want string) {
	t.Helper()
	lines := strings.Split(strings.TrimRight(stderr, "\n"), "\n")
	if code != 1 || len(lines) != 1 || !strings.HasPrefix(lines[0], "srs: ") || !strings.Contains(lines[0], want) ||
		strings.Contains(stderr, "goroutine") || strings.Contains(stderr, "panic") {
		t.Errorf("%s: exit %d, stderr %q; want exit 1 and one line containing %q", what, code, stderr, want)
	}
}

// mountTmpfs mounts a small tmpfs at dir (root only: as root, file
// permissions do not stop writes, so a full or read-only disk has to be
// a real file system).
func mountTmpfs(t *testing.T, dir, opts string) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root to mount a tmpfs (CI runs as root)")
	}
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", opts, "tmpfs", dir).CombinedOutput(); err != nil {
		t.Fatalf("mount tmpfs: %v: %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", dir).Run() })
}

func TestErrorsOnBadStorage(t *testing.T) {
	bin := srsBinary(t)
	dir := t.TempDir()
	env := []string{"SRS_NOW=2026-11-27T10:00:00Z", "SRS_USER=ann", "TZ=UTC", "HOME=" + dir}

	// A database path under a missing directory is created.
	deep := filepath.Join(dir, "a", "b", "srs.db")
	if _, stderr, code := run(t, bin, env, "--db", deep, "status"); code != 0 {
		t.Fatalf("missing directory: %d %s", code, stderr)
	}
	// A path through a file cannot be.
	os.WriteFile(filepath.Join(dir, "plain"), []byte("x"), 0o600)
	_, stderr, code := run(t, bin, env, "--db", filepath.Join(dir, "plain", "srs.db"), "status")
	wantOneLineError(t, "directory is a file", stderr, code, "not a directory")

	// A directory where the database should be.
	_, stderr, code = run(t, bin, env, "--db", dir, "status")
	wantOneLineError(t, "database is a directory", stderr, code, "is a directory")

	// A truncated database is refused, not faulted on.
	whole, _ := os.ReadFile(deep)
	trunc := filepath.Join(dir, "trunc.db")
	os.WriteFile(trunc, whole[:len(whole)/3], 0o600)
	_, stderr, code = run(t, bin, env, "--db", trunc, "status")
	wantOneLineError(t, "truncated database", stderr, code, "is damaged (truncated: ")

	t.Run("full disk", func(t *testing.T) {
		full := filepath.Join(dir, "full")
		os.Mkdir(full, 0o755)
		mountTmpfs(t, full, "size=320k")
		db := filepath.Join(full, "srs.db")
		_, stderr, code := run(t, bin, env, "--db", db, "status")
		wantOneLineError(t, "full disk", stderr, code, "no space left on device")
		// The half-made file is not left looking like a good database:
		// a second try fails the same clear way.
		_, stderr, code = run(t, bin, env, "--db", db, "status")
		wantOneLineError(t, "full disk, again", stderr, code, "no space left on device")
	})

	t.Run("full disk mid-import", func(t *testing.T) {
		full := filepath.Join(dir, "full2")
		os.Mkdir(full, 0o755)
		mountTmpfs(t, full, "size=3m")
		db := filepath.Join(full, "srs.db")
		if _, stderr, code := run(t, bin, env, "--db", db, "status"); code != 0 {
			t.Fatalf("status: %s", stderr)
		}
		before, _, _ := run(t, bin, env, "--db", db, "cards", "--json")
		var md strings.Builder
		md.WriteString("---\ndeck: big\n---\n")
		for i := 0; i < 20000; i++ {
			md.WriteString("## Card number " + strings.Repeat("x", 5) + time.Duration(i).String() + "\nAn answer long enough to fill pages quickly, again and again.\n\n")
		}
		src := filepath.Join(dir, "big.md")
		os.WriteFile(src, []byte(md.String()), 0o600)
		_, stderr, code := run(t, bin, env, "--db", db, "import", src)
		wantOneLineError(t, "import onto a full disk", stderr, code, "no space left on device")
		after, stderr2, code := run(t, bin, env, "--db", db, "cards", "--json")
		if code != 0 || after != before {
			t.Fatalf("after a failed import the database changed or broke: %d %s", code, stderr2)
		}
		if out, stderr, code := run(t, bin, env, "--db", db, "doctor"); code != 0 {
			t.Fatalf("doctor after a failed import: %s %s", out, stderr)
		}
	})

	t.Run("read-only disk", func(t *testing.T) {
		ro := filepath.Join(dir, "ro")
		os.Mkdir(ro, 0o755)
		mountTmpfs(t, ro, "size=4m")
		db := filepath.Join(ro, "srs.db")
		if _, stderr, code := run(t, bin, env, "--db", db, "status"); code != 0 {
			t.Fatalf("status: %s", stderr)
		}
		if out, err := exec.Command("mount", "-o", "remount,ro", ro).CombinedOutput(); err != nil {
			t.Fatalf("remount ro: %v %s", err, out)
		}
		_, stderr, code := run(t, bin, env, "--db", db, "status")
		wantOneLineError(t, "read-only disk", stderr, code, "read-only file system")
		_, stderr, code = run(t, bin, env, "--db", filepath.Join(ro, "new.db"), "status")
		wantOneLineError(t, "new database on a read-only disk", stderr, code, "read-only file system")
	})
}
