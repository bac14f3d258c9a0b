package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// bigMarkdown writes a deck large enough that importing it holds the
// database for a while.
func bigMarkdown(t *testing.T, path, deckName string, n int) {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "---\ndeck: %s\n---\n", deckName)
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "## Question %d about %s? {#c%06d}\nAn answer that is long enough to take some room, number %d.\n\n", i, deckName, i, i)
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
}

type timedRun struct {
	stdout, stderr string
	code           int
	took           time.Duration
}

func start(bin string, env []string, args ...string) (*exec.Cmd, *strings.Builder, *strings.Builder, time.Time) {
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), env...)
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	cmd.Start()
	return cmd, &out, &errb, time.Now()
}

func finish(cmd *exec.Cmd, out, errb *strings.Builder, began time.Time) timedRun {
	err := cmd.Wait()
	r := timedRun{stdout: out.String(), stderr: errb.String(), took: time.Since(began)}
	if ee, ok := err.(*exec.ExitError); ok {
		r.code = ee.ExitCode()
	}
	return r
}

// Two imports started together: one gets the database, the other waits
// its turn or, if the first holds it longer than the lock timeout, fails
// within 2 s with the one-line "in use" error. Nothing is lost or mixed.
func TestTwoProcessesAtOnce(t *testing.T) {
	bin := srsBinary(t)
	dir := t.TempDir()
	env := []string{"SRS_DB=" + filepath.Join(dir, "srs.db"), "SRS_USER=ann", "SRS_NOW=2026-11-27T10:00:00Z", "TZ=UTC"}
	if _, stderr, code := run(t, bin, env, "status"); code != 0 {
		t.Fatal(stderr)
	}
	a, b := filepath.Join(dir, "a.md"), filepath.Join(dir, "b.md")
	bigMarkdown(t, a, "alpha", 60000)
	bigMarkdown(t, b, "beta", 60000)

	c1, o1, e1, s1 := start(bin, env, "import", a)
	c2, o2, e2, s2 := start(bin, env, "import", b)
	r1, r2 := finish(c1, o1, e1, s1), finish(c2, o2, e2, s2)
	ok := 0
	for i, r := range []timedRun{r1, r2} {
		t.Logf("import %d: exit %d after %v %s", i+1, r.code, r.took, strings.TrimSpace(r.stderr))
		switch {
		case r.code == 0:
			ok++
		case strings.Contains(r.stderr, "is in use by another srs process"):
			if lines := strings.Count(strings.TrimSpace(r.stderr), "\n"); lines != 0 {
				t.Errorf("in-use error is not one line: %q", r.stderr)
			}
		default:
			t.Errorf("exit %d: %s", r.code, r.stderr)
		}
	}
	if ok == 0 {
		t.Fatal("neither import went through")
	}
	decks, _, _ := run(t, bin, env, "decks")
	if got := strings.Count(decks, "60000"); got != ok {
		t.Fatalf("%d imports succeeded but %d decks are whole:\n%s", ok, got, decks)
	}
	if out, stderr, code := run(t, bin, env, "doctor"); code != 0 {
		t.Fatalf("doctor: %s %s", out, stderr)
	}

	// A reader during a long import waits, or fails clearly within 2 s.
	c, big := filepath.Join(dir, "c.md"), 150000
	bigMarkdown(t, c, "gamma", big)
	ci, oi, ei, si := start(bin, env, "import", c)
	// Give the import time to parse and take the lock.
	time.Sleep(1500 * time.Millisecond)
	cs, os2, es, ss := start(bin, env, "status")
	rs := finish(cs, os2, es, ss)
	ri := finish(ci, oi, ei, si)
	if ri.code != 0 {
		t.Fatalf("import: %s", ri.stderr)
	}
	switch {
	case rs.code == 0:
		t.Logf("status waited and succeeded after %v", rs.took)
	case strings.Contains(rs.stderr, "is in use by another srs process"):
		if rs.took > 2*time.Second {
			t.Errorf("status gave up after %v; want within 2 s", rs.took)
		}
		t.Logf("status failed clearly after %v: %s", rs.took, strings.TrimSpace(rs.stderr))
	default:
		t.Fatalf("status during import: exit %d: %s", rs.code, rs.stderr)
	}
	if rs.took > 2*time.Second && rs.code != 0 {
		t.Fatalf("status took %v", rs.took)
	}
}
