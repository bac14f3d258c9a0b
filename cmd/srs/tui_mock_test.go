package main

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/srs-tool/srs/review"
)

// mockDeck is a question with two follow-ups (written f2 first: the
// source's order is the interview's), and a second question.
const mockDeck = `---
deck: k
---
## What happens when a container exceeds its memory limit? {#oom}
The kernel OOM-kills it; the kubelet restarts it per restartPolicy.

### Follow-up: How do you find which container was killed? {#f2}
` + "`kubectl describe pod`" + `: lastState.terminated.reason = OOMKilled.

### Follow-up: How do you keep it from happening again? {#f1}
Set requests and limits from measured usage; watch the working set.

## How does a pod resolve a service name? {#dns}
Through the cluster DNS (CoreDNS), search domains from resolv.conf.
`

// mockScreen is the mock screen at w x h on a fresh database with
// mockDeck, its real clock at the clock's: it moves only when the test
// moves it.
func mockScreen(t *testing.T, w, h int, clock *time.Time) *mockModel {
	t.Helper()
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	dir := t.TempDir()
	file := filepath.Join(dir, "k.md")
	if err := os.WriteFile(file, []byte(mockDeck), 0o600); err != nil {
		t.Fatal(err)
	}
	env := &Env{IO: &IO{In: strings.NewReader(""), Out: io.Discard, ErrOut: io.Discard}, NoColor: true,
		DBPath: filepath.Join(dir, "srs.db"), User: "ann", Now: func() time.Time { return now }}
	if err := runImport(&importOptions{Env: env, Files: []string{file}}); err != nil {
		t.Fatal(err)
	}
	clk := func() time.Time { return *clock }
	mk, err := review.NewMock(review.MockConfig{Open: env.Open, User: env.User, Scope: review.MockScope{Deck: "k"},
		Budget: 45 * time.Minute, Seed: 1, Now: env.Now, Clock: clk})
	if err != nil {
		t.Fatal(err)
	}
	m := newMockTUI(env, mk, clk)
	m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	m.next()
	mockSettle(t, m)
	return m
}

// mockSettle runs the database call in flight to its end, as Bubble Tea
// would, in Update.
func mockSettle(t *testing.T, m *mockModel) {
	t.Helper()
	for i := 0; m.busy != nil; i++ {
		if i > 10 {
			t.Fatal("database call never done")
		}
		_, cmd := m.Update(m.exec(m.busy)())
		if cmd != nil && m.busy == nil {
			break
		}
	}
	if m.err != nil {
		t.Fatal(m.err)
	}
}

func mockPress(t *testing.T, m *mockModel, keys ...string) {
	t.Helper()
	for _, k := range keys {
		m.Update(keyMsg(k))
		mockSettle(t, m)
	}
}

// TestMockScreens: the mock screen at 40x10 and 80x24, with a fixed
// clock: the question with its clock at 0:41 (the interview 2:41 in),
// the answer revealed (the clock stopped: "answered in 41s", the
// buttons), and the first follow-up after a rating, its question
// folded above it. At every size the checks TestScreens makes hold.
func TestMockScreens(t *testing.T) {
	for _, size := range [][2]int{{40, 10}, {80, 24}} {
		w, h := size[0], size[1]
		t.Run(fmt.Sprintf("%dx%d", w, h), func(t *testing.T) {
			clock := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
			m := mockScreen(t, w, h, &clock)
			shot := func(name string) string {
				t.Helper()
				lines := plainScreen(m.screen())
				checkMockScreen(t, lines, w, h)
				golden(t, filepath.Join("testdata", "screens", fmt.Sprintf("mock-%s-%dx%d.txt", name, w, h)), strings.Join(lines, "\n")+"\n")
				return strings.Join(lines, "\n")
			}
			clock = clock.Add(41 * time.Second)
			if s := shot("question"); !strings.Contains(s, "0:41") {
				t.Errorf("no clock at 0:41:\n%s", s)
			}
			mockPress(t, m, "space")
			clock = clock.Add(2 * time.Minute) // the clock has stopped; the interview's goes on
			if s := shot("revealed"); !strings.Contains(s, "answered in 41s") || !strings.Contains(s, "2:41") {
				t.Errorf("want the answer time 41s and the interview at 2:41:\n%s", s)
			}
			mockPress(t, m, "3")
			if m.card == nil || m.card.Card.ID != "f2" {
				t.Fatalf("after rating oom, on %v; want its follow-up f2", m.card)
			}
			clock = clock.Add(5 * time.Second)
			if s := shot("followup"); !strings.Contains(s, "0:05") || !strings.Contains(s, "recorded k/oom good (mock)") {
				t.Errorf("want the follow-up's clock at 0:05 and the rating recorded:\n%s", s)
			}
			if sum := m.mock.Summary(); len(sum.Answers) != 1 || sum.Answers[0].Answered != 41*time.Second {
				t.Fatalf("recorded %+v; want oom answered in 41s", sum.Answers)
			}
		})
	}
}

// checkMockScreen: exactly h lines, none wider than w, the status line
// last with its hints.
func checkMockScreen(t *testing.T, lines []string, w, h int) {
	t.Helper()
	if len(lines) != h {
		t.Fatalf("%d lines, want %d:\n%s", len(lines), h, strings.Join(lines, "\n"))
	}
	for i, l := range lines {
		if n := len([]rune(l)); n > w {
			t.Errorf("line %d is %d wide (> %d): %q", i+1, n, w, l)
		}
	}
}

// TestMockTUI runs `srs mock` full-screen in a real terminal (tmux): the
// clock runs, space stops it and shows the answer, a rating brings the
// question's first follow-up (its question folded above it), q stops;
// the summary is printed after the screen closes, and the log has the
// ratings marked mock.
func TestMockTUI(t *testing.T) {
	needTool(t, "tmux")
	bin := srsBinary(t)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "k.md"), []byte(mockDeck), 0o600); err != nil {
		t.Fatal(err)
	}
	envs := "SRS_DB=" + filepath.Join(dir, "srs.db") + " SRS_USER=ann SRS_NOW=2026-12-01T10:00:00Z TZ=UTC"
	sh := func(args string) string {
		t.Helper()
		out, err := exec.Command("sh", "-c", "env "+envs+" "+bin+" "+args).CombinedOutput()
		if err != nil {
			t.Fatalf("srs %s: %v\n%s", args, err, out)
		}
		return string(out)
	}
	sh("import " + filepath.Join(dir, "k.md"))
	m := &tmux{t: t, session: "srs-mock-" + filepath.Base(dir)}
	m.run("new-session", "-d", "-s", m.session, "-x", "100", "-y", "30",
		"env "+envs+" TERM=xterm-256color NO_COLOR=yes "+bin+" mock --deck k --seed 1; sleep 60")
	defer exec.Command("tmux", "-L", m.session, "kill-server").Run()

	screen := m.waitFor("mock · question 1 of ~2 · k/oom", "What happens when a container exceeds", "answering 0:0", "/ 45:00")
	if strings.Contains(screen, "1 Again") || strings.Contains(screen, "The kernel OOM-kills") {
		t.Fatalf("answer or buttons before the reveal:\n%s", screen)
	}
	// The clock runs: poll (as long as the run may take) until it shows
	// a later time than it first did.
	first := clockSeconds(t, screen)
	ctx, cancel := hangContext(t)
	defer cancel()
	for clockSeconds(t, screen) <= first {
		select {
		case <-ctx.Done():
			t.Fatalf("the clock never moved past %ds:\n%s", first, screen)
		case <-time.After(100 * time.Millisecond):
		}
		screen = m.run("capture-pane", "-p", "-t", m.session)
	}

	m.run("send-keys", "-t", m.session, "Space")
	screen = m.waitFor("The kernel OOM-kills", "answered in ", "1 Again", "3 Good")
	if strings.Contains(screen, "answering") {
		t.Fatalf("the clock still runs after the reveal:\n%s", screen)
	}
	m.run("send-keys", "-t", m.session, "3")
	screen = m.waitFor("follow-up 1 of 2 · k/f2", "Follow-up to: What happens when a container", "How do you find which container was killed?",
		"recorded k/oom good (mock)", "answering 0:0")
	if strings.Contains(screen, "OOMKilled") || strings.Contains(screen, "answered in") {
		t.Fatalf("the follow-up came revealed:\n%s", screen)
	}
	m.run("send-keys", "-t", m.session, "Space")
	m.waitFor("OOMKilled", "1 Again")
	m.run("send-keys", "-t", m.session, "2")
	m.waitFor("follow-up 2 of 2 · k/f1", "recorded k/f2 hard (mock)")
	m.run("send-keys", "-t", m.session, "q")
	screen = m.waitFor("Mock interview over (stopped): 1 question, 2 answers", "Went badly (again or hard): 1")
	for _, re := range []string{`Mock interview: 2 questions in scope \(deck k\), 45 minutes \(seed 1\)\.`,
		`question 1 +k/oom +\d+s +good`, `probe 1 +k/f2 +\d+s +hard`, `k/f2 hard: How do you find which container was killed\?`} {
		if !regexp.MustCompile(re).MatchString(screen) {
			t.Errorf("summary lacks %s:\n%s", re, screen)
		}
	}
	if strings.Contains(screen, "k/f1 ") {
		t.Errorf("f1, shown but not rated, in the summary:\n%s", screen)
	}

	log := sh("log")
	for _, re := range []string{`k/oom +good \(mock\)`, `k/f2 +hard \(mock\)`} {
		if !regexp.MustCompile(re).MatchString(log) {
			t.Errorf("srs log lacks %s:\n%s", re, log)
		}
	}
	if strings.Contains(log, "k/f1") {
		t.Errorf("srs log has f1, never rated:\n%s", log)
	}
}

var clockRE = regexp.MustCompile(`answering (\d+):(\d\d)`)

// clockSeconds reads the answer clock off a screen.
func clockSeconds(t *testing.T, screen string) int {
	t.Helper()
	m := clockRE.FindStringSubmatch(screen)
	if m == nil {
		t.Fatalf("no answer clock on screen:\n%s", screen)
	}
	var min, sec int
	fmt.Sscan(m[1], &min)
	fmt.Sscan(m[2], &sec)
	return min*60 + sec
}
