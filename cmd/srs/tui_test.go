package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// srsBinary builds the real srs binary once for tests that need a process
// of their own (a terminal, a signal).
func srsBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "srs-bin")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "srs")
		if out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("%v: %s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatalf("building srs: %v", buildErr)
	}
	return binPath
}

// needTool fails (or, where the environment says the tool may be absent,
// skips) when a command-line tool a test drives is not installed. CI
// installs them; .ci/run says how.
func needTool(t *testing.T, name string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		if os.Getenv("SRS_ALLOW_MISSING_TOOLS") != "" {
			t.Skipf("%s not installed (SRS_ALLOW_MISSING_TOOLS set)", name)
		}
		t.Fatalf("%s not installed; the test needs it (set SRS_ALLOW_MISSING_TOOLS=1 to skip)", name)
	}
}

type tmux struct {
	t       *testing.T
	session string
}

func (m *tmux) run(args ...string) string {
	m.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-L", m.session}, args...)...).CombinedOutput()
	if err != nil {
		m.t.Fatalf("tmux %v: %v\n%s", args, err, out)
	}
	return string(out)
}

// waitFor polls the screen until it contains every want, and returns it.
func (m *tmux) waitFor(want ...string) string {
	m.t.Helper()
	var screen string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		screen = m.run("capture-pane", "-p", "-t", m.session)
		ok := true
		for _, w := range want {
			ok = ok && strings.Contains(screen, w)
		}
		if ok {
			return screen
		}
	}
	m.t.Fatalf("screen never showed %q:\n%s", want, screen)
	return ""
}

// TestTUIScreens runs `srs review` full-screen in a real terminal (tmux),
// reveals a card, rates it, and reads the next card and the new counts
// off the screen.
func TestTUIScreens(t *testing.T) {
	needTool(t, "tmux")
	bin := srsBinary(t)
	dir := t.TempDir()
	m := &tmux{t: t, session: "srs-test-" + filepath.Base(dir)}
	env := "SRS_DB=" + filepath.Join(dir, "srs.db") + " SRS_USER=ann SRS_NOW=2026-11-27T10:00:00Z TZ=UTC TERM=xterm-256color"
	m.run("new-session", "-d", "-s", m.session, "-x", "100", "-y", "30", "env "+env+" "+bin+" review; sleep 60")
	defer exec.Command("tmux", "-L", m.session, "kill-server").Run()

	screen := m.waitFor("guide/q01", "space reveal", "What separates a senior engineer")
	if strings.Contains(screen, "1 Again") {
		t.Fatalf("buttons shown before the answer was revealed:\n%s", screen)
	}
	first := counts(t, screen)

	m.run("send-keys", "-t", m.session, "Space")
	screen = m.waitFor("1 Again", "3 Good <10m")
	if !strings.Contains(screen, "mid-level engineer can build what you ask") {
		t.Fatalf("answer not shown after reveal:\n%s", screen)
	}

	m.run("send-keys", "-t", m.session, "3")
	screen = m.waitFor("space reveal")
	if strings.Contains(screen, "guide/q01 ") {
		t.Fatalf("still on q01 after rating it:\n%s", screen)
	}
	next := counts(t, screen)
	if next[0] != first[0]-1 || next[1] != first[1]+1 {
		t.Fatalf("counts went %v -> %v; want one fewer new and one more learning\n%s", first, next, screen)
	}

	m.run("send-keys", "-t", m.session, "u")
	m.waitFor("guide/q01", "undone q01")
	m.run("send-keys", "-t", m.session, "q")
	m.waitFor("No cards reviewed.")
}

var countsRE = regexp.MustCompile(`new (\d+) · learning (\d+) · review (\d+)`)

// counts reads "new N · learning N · review N" off a screen.
func counts(t *testing.T, screen string) [3]int {
	t.Helper()
	m := countsRE.FindStringSubmatch(screen)
	if m == nil {
		t.Fatalf("no counts on screen:\n%s", screen)
	}
	var c [3]int
	for i := range c {
		c[i], _ = strconv.Atoi(m[i+1])
	}
	return c
}
