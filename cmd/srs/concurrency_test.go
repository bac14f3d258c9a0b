package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
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

// procResult is how a process ended.
type procResult struct {
	stdout, stderr string
	code           int
}

func start(bin string, env []string, args ...string) (*exec.Cmd, *strings.Builder, *strings.Builder) {
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), env...)
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	cmd.Start()
	return cmd, &out, &errb
}

func finish(cmd *exec.Cmd, out, errb *strings.Builder) procResult {
	err := cmd.Wait()
	r := procResult{stdout: out.String(), stderr: errb.String()}
	if ee, ok := err.(*exec.ExitError); ok {
		r.code = ee.ExitCode()
	}
	return r
}

// waitedOrInUse checks that a process that met the database in use
// either waited its turn and succeeded or failed with the one-line "in
// use" error, and says which.
func waitedOrInUse(t *testing.T, what string, r procResult) bool {
	t.Helper()
	switch {
	case r.code == 0:
		return true
	case strings.Contains(r.stderr, "is in use by another srs process"):
		if lines := strings.Count(strings.TrimSpace(r.stderr), "\n"); lines != 0 {
			t.Errorf("%s: in-use error is not one line: %q", what, r.stderr)
		}
	default:
		t.Errorf("%s: exit %d: %s", what, r.code, r.stderr)
	}
	return false
}

// Two imports started together: one gets the database, the other waits
// its turn or, if the first holds it longer than the lock timeout, fails
// with the one-line "in use" error. Nothing is lost or mixed. Readers
// started one after another during a long import each wait their turn or
// fail the same clear way, and the import is whole.
func TestTwoProcessesAtOnce(t *testing.T) {
	bin := srsBinary(t)
	dir := t.TempDir()
	env := []string{"SRS_DB=" + filepath.Join(dir, "srs.db"), "SRS_USER=ann", "SRS_NOW=2026-11-27T10:00:00Z", "TZ=UTC"}
	if _, stderr, code := run(t, bin, env, "status"); code != 0 {
		t.Fatal(stderr)
	}
	const n = 20000
	a, b := filepath.Join(dir, "a.md"), filepath.Join(dir, "b.md")
	bigMarkdown(t, a, "alpha", n)
	bigMarkdown(t, b, "beta", n)

	c1, o1, e1 := start(bin, env, "import", a)
	c2, o2, e2 := start(bin, env, "import", b)
	ok := 0
	for i, r := range []procResult{finish(c1, o1, e1), finish(c2, o2, e2)} {
		if waitedOrInUse(t, fmt.Sprintf("import %d", i+1), r) {
			ok++
		}
	}
	if ok == 0 {
		t.Fatal("neither import went through")
	}
	decks, _, _ := run(t, bin, env, "decks")
	if got := strings.Count(decks, fmt.Sprint(n)); got != ok {
		t.Fatalf("%d imports succeeded but %d decks are whole:\n%s", ok, got, decks)
	}

	// Readers during a long import.
	c := filepath.Join(dir, "c.md")
	bigMarkdown(t, c, "gamma", 2*n)
	ci, oi, ei := start(bin, env, "import", c)
	imported := make(chan procResult, 1)
	go func() { imported <- finish(ci, oi, ei) }()
	var ri procResult
	waited, inUse := 0, 0
	for done := false; !done; {
		select {
		case ri = <-imported:
			done = true
		default:
			if waitedOrInUse(t, "status during the import", finish(start(bin, env, "status"))) {
				waited++
			} else {
				inUse++
			}
		}
	}
	t.Logf("statuses during the import: %d went through, %d found the database in use", waited, inUse)
	if ri.code != 0 {
		t.Fatalf("import: %s", ri.stderr)
	}
	if decks, _, _ := run(t, bin, env, "decks"); !strings.Contains(decks, fmt.Sprint(2*n)) {
		t.Fatalf("the import is not whole:\n%s", decks)
	}
	if out, stderr, code := run(t, bin, env, "doctor"); code != 0 {
		t.Fatalf("doctor: %s %s", out, stderr)
	}
}
