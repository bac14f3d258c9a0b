package main

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// syncBuffer is a buffer a process writes while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// interruptWhen starts srs with args and stdin, sends it SIGINT as soon
// as ready(stderr so far) holds (checked every millisecond), and returns
// how it ended.
func interruptWhen(t *testing.T, bin string, env []string, stdin io.Reader, ready func(stderr string) bool, args ...string) procResult {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdin = stdin
	var out, errb syncBuffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := hangContext(t)
	defer cancel()
	for !ready(errb.String()) {
		time.Sleep(time.Millisecond)
		if ctx.Err() != nil {
			cmd.Process.Kill()
			t.Fatalf("srs %s: never ready to interrupt", strings.Join(args, " "))
		}
	}
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatalf("srs %s finished before the interrupt: %v", strings.Join(args, " "), err)
	}
	err := cmd.Wait()
	r := procResult{stdout: out.String(), stderr: errb.String()}
	if ee, ok := err.(*exec.ExitError); ok {
		r.code = ee.ExitCode()
	}
	return r
}

// matches lists the names in dir matching pattern.
func matches(t *testing.T, dir, pattern string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(dir, pattern))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// Ctrl-C during an export: srs stops, says so, exits 130, leaves the
// target as it was and no temporary file anywhere (beside the target, or
// the package writer's in TMPDIR). It left them before.
func TestInterruptedExport(t *testing.T) {
	bin := srsBinary(t)
	dir, tmp := t.TempDir(), t.TempDir()
	env := []string{"SRS_DB=" + filepath.Join(dir, "srs.db"), "SRS_USER=ann", "SRS_NOW=2026-11-27T10:00:00Z", "TZ=UTC", "TMPDIR=" + tmp}
	big := filepath.Join(dir, "big.md")
	bigMarkdown(t, big, "big", 20000)
	if _, stderr, code := run(t, bin, env, "import", big); code != 0 {
		t.Fatal(stderr)
	}
	for _, format := range []string{"apkg", "tsv", "jsonl"} {
		t.Run(format, func(t *testing.T) {
			target := filepath.Join(dir, "out."+format)
			old := []byte("an earlier export, to be left as it is\n")
			if err := os.WriteFile(target, old, 0o600); err != nil {
				t.Fatal(err)
			}
			sibling := "." + filepath.Base(target) + ".srs-tmp-*"
			r := interruptWhen(t, bin, env, nil, func(string) bool { return len(matches(t, dir, sibling)) > 0 },
				"export", "--format", format, "--with-scheduling="+map[bool]string{true: "true", false: "false"}[format == "apkg"], "-o", target)
			if r.code != 130 {
				t.Errorf("exit %d, want 130; stderr %q", r.code, r.stderr)
			}
			if want := "srs: export interrupted; " + target + " left as it was\n"; r.stderr != want {
				t.Errorf("stderr %q, want %q", r.stderr, want)
			}
			if got, _ := os.ReadFile(target); !bytes.Equal(got, old) {
				t.Errorf("target changed: %.60q", got)
			}
			if left := matches(t, dir, sibling); len(left) > 0 {
				t.Errorf("temporary files left beside the target: %q", left)
			}
			if left := matches(t, tmp, "*"); len(left) > 0 {
				t.Errorf("temporary files left in TMPDIR: %q", left)
			}
		})
	}
}

// Ctrl-C during an import: nothing written, no temporary file left, exit
// 130; and an import waiting on a FIFO no one writes to ends too (it
// waited forever).
func TestInterruptedImport(t *testing.T) {
	bin := srsBinary(t)
	dir, tmp := t.TempDir(), t.TempDir()
	db := filepath.Join(dir, "srs.db")
	env := []string{"SRS_DB=" + db, "SRS_USER=ann", "SRS_NOW=2026-11-27T10:00:00Z", "TZ=UTC", "TMPDIR=" + tmp}
	maker := []string{"SRS_DB=" + filepath.Join(dir, "maker.db"), "SRS_USER=ann", "TZ=UTC", "TMPDIR=" + tmp}
	big, pkg := filepath.Join(dir, "big.md"), filepath.Join(dir, "big.apkg")
	bigMarkdown(t, big, "big", 20000)
	for _, args := range [][]string{{"import", big}, {"export", "--format", "apkg", "-o", pkg}} {
		if _, stderr, code := run(t, bin, maker, args...); code != 0 {
			t.Fatal(stderr)
		}
	}
	if _, stderr, code := run(t, bin, env, "status"); code != 0 {
		t.Fatal(stderr)
	}
	before, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	check := func(t *testing.T, r procResult) {
		t.Helper()
		if r.code != 130 || r.stderr != "srs: import interrupted; nothing written\n" {
			t.Errorf("exit %d, stderr %q; want 130, the interrupt named", r.code, r.stderr)
		}
		if after, _ := os.ReadFile(db); !bytes.Equal(after, before) {
			t.Error("the database changed")
		}
		if left := matches(t, tmp, "*"); len(left) > 0 {
			t.Errorf("temporary files left in TMPDIR: %q", left)
		}
	}
	t.Run("apkg", func(t *testing.T) {
		// The package's collection is unpacked into TMPDIR first.
		check(t, interruptWhen(t, bin, env, nil, func(string) bool { return len(matches(t, tmp, "srs-tmp-*/srs-apkg-*")) > 0 }, "import", pkg))
	})
	t.Run("fifo", func(t *testing.T) {
		fifo := filepath.Join(dir, "fifo")
		if err := syscall.Mkfifo(fifo, 0o600); err != nil {
			t.Skipf("mkfifo: %v", err)
		}
		// srs says, after a second, that it waits for a writer.
		waiting := "srs: import " + fifo + ": waiting for a program to write to this FIFO (Ctrl-C stops)\n"
		r := interruptWhen(t, bin, env, nil, func(stderr string) bool { return stderr == waiting }, "import", fifo)
		r.stderr = strings.TrimPrefix(r.stderr, waiting)
		check(t, r)
	})
	t.Run("standard input", func(t *testing.T) {
		// Standard input that never ends: a pipe whose writer waits. srs
		// catches the signal from its start on, but cannot say when it
		// has begun to read: a second try, later, covers a slow start.
		for wait := 300 * time.Millisecond; ; wait *= 4 {
			r, w, err := os.Pipe()
			if err != nil {
				t.Fatal(err)
			}
			w.Write([]byte("---\ndeck: x\n---\n## Q\nA\n"))
			began := time.Now()
			res := interruptWhen(t, bin, env, r, func(string) bool { return time.Since(began) > wait }, "import", "-")
			r.Close()
			w.Close()
			if res.code == -1 && wait < 5*time.Second {
				continue // ended by the signal itself: srs had not started yet
			}
			check(t, res)
			break
		}
	})
}
