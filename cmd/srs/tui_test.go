package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	bolt "go.etcd.io/bbolt"

	"github.com/srs-tool/srs/fsrs"
	"github.com/srs-tool/srs/review"
	"github.com/srs-tool/srs/store"
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
// off the screen. It runs with NO_COLOR=yes (any non-empty value counts,
// though Bubble Tea alone honours only values that parse as true), and
// the terminal gets no colour.
func TestTUIScreens(t *testing.T) {
	needTool(t, "tmux")
	bin := srsBinary(t)
	dir := t.TempDir()
	m := &tmux{t: t, session: "srs-test-" + filepath.Base(dir)}
	env := "SRS_DB=" + filepath.Join(dir, "srs.db") + " SRS_USER=ann SRS_NOW=2026-11-27T10:00:00Z TZ=UTC TERM=xterm-256color NO_COLOR=yes"
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

	if styled := m.run("capture-pane", "-p", "-e", "-t", m.session); colourEscape(styled) != "" || !strings.Contains(styled, "\x1b[1m") {
		t.Fatalf("with NO_COLOR, want bold and no colour escapes:\n%q", styled)
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

var countsRE = regexp.MustCompile(`(\d+) new · (\d+) learning · (\d+) review`)

// counts reads "N new · N learning · N review" off a screen.
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

// driver runs a review screen's model as Bubble Tea would: commands in
// goroutines, their messages back through Update one at a time.
type driver struct {
	t     *testing.T
	m     *tuiModel
	msgs  chan tea.Msg
	quit  bool
	inUse int // database calls that found the database in use
}

func newDriver(t *testing.T, m *tuiModel, w, h int) *driver {
	d := &driver{t: t, m: m, msgs: make(chan tea.Msg, 16)}
	d.handle(tea.WindowSizeMsg{Width: w, Height: h})
	d.run(m.Init())
	return d
}

func (d *driver) run(cmd tea.Cmd) {
	if cmd != nil {
		go func() { d.msgs <- cmd() }()
	}
}

func (d *driver) handle(msg tea.Msg) {
	switch msg := msg.(type) {
	case tea.BatchMsg:
		for _, c := range msg {
			d.run(c)
		}
		return
	case tea.QuitMsg:
		d.quit = true
		return
	case dbDoneMsg:
		if errors.Is(msg.err, store.ErrInUse) {
			d.inUse++
		}
	}
	_, cmd := d.m.Update(msg)
	d.run(cmd)
}

func (d *driver) press(keys ...string) {
	d.t.Helper()
	for _, k := range keys {
		d.handle(keyMsg(k))
	}
}

// until handles messages until cond holds (or, if it never does, until
// the test run is about to time out, showing the screen).
func (d *driver) until(what string, cond func() bool) {
	d.t.Helper()
	ctx, cancel := hangContext(d.t)
	defer cancel()
	for !cond() {
		select {
		case msg := <-d.msgs:
			d.handle(msg)
		case <-ctx.Done():
			d.t.Fatalf("never %s; screen:\n%s", what, strings.Join(plainScreen(d.m.screen()), "\n"))
		}
	}
}

// idleCard: a card on screen and no database call in flight.
func (d *driver) idleCard() bool { return d.m.card != nil && d.m.busy == nil }

// reviewEnv is a fresh database with the built-in deck and a session on
// it that waits lockTimeout for the file.
func reviewEnv(t *testing.T, lockTimeout time.Duration) (*Env, *review.Session, *bytes.Buffer) {
	t.Helper()
	now := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	errOut := &bytes.Buffer{}
	env := &Env{IO: &IO{In: strings.NewReader(""), Out: io.Discard, ErrOut: errOut},
		DBPath: filepath.Join(t.TempDir(), "srs.db"), User: "ann",
		Now: func() time.Time { return now }, Timeout: lockTimeout}
	return env, review.New(review.Config{Open: env.Open, User: env.User, Now: env.Now}), errOut
}

// holdDB opens the database as another process would (an export, a
// backup) and keeps its lock until the returned func is called.
func holdDB(t *testing.T, path string) func() {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return func() { db.Close() }
}

// ratings reads the ratings logged for user.
func ratings(t *testing.T, env *Env) map[string]fsrs.Rating {
	t.Helper()
	got := map[string]fsrs.Rating{}
	if err := env.with(func(s *store.Store) error {
		return s.EachEntry(env.User, false, func(e store.Entry) error {
			if e.Action == store.ActRate {
				got[e.Card] = e.Rating
			}
			return nil
		})
	}); err != nil {
		t.Fatal(err)
	}
	return got
}

// A rating made while another process holds the database for longer
// than the lock timeout waits, saying so, and is recorded once the
// database is free; the session goes on to the next card.
func TestReviewWaitsForDatabase(t *testing.T) {
	env, sess, _ := reviewEnv(t, 100*time.Millisecond)
	d := newDriver(t, newTUI(env, sess), 80, 24)
	d.until("showed a card", d.idleCard)
	first := d.m.card.Card.Key()
	d.press("space")

	release := holdDB(t, env.DBPath)
	d.press("3")
	d.until("found the database in use twice", func() bool { return d.inUse >= 2 })
	if screen := strings.Join(plainScreen(d.m.screen()), "\n"); !strings.Contains(screen, "waiting for the database: another srs process is using it") {
		t.Fatalf("screen does not say it waits:\n%s", screen)
	}
	d.press("4") // a second rating while the first waits is not taken
	release()
	d.until("showed the next card", func() bool { return d.idleCard() && d.m.card.Card.Key() != first })
	if screen := strings.Join(plainScreen(d.m.screen()), "\n"); strings.Contains(screen, "waiting") {
		t.Fatalf("still waiting after the database was released:\n%s", screen)
	}
	d.press("q")
	d.until("quit", func() bool { return d.quit })
	if got := ratings(t, env); len(got) != 1 || got[first] != fsrs.Good {
		t.Fatalf("ratings %v; want only %s rated good", got, first)
	}
}

// q while a rating waits for the database quits once it is saved.
func TestReviewQuitAfterWaiting(t *testing.T) {
	env, sess, _ := reviewEnv(t, 100*time.Millisecond)
	d := newDriver(t, newTUI(env, sess), 40, 10)
	d.until("showed a card", d.idleCard)
	first := d.m.card.Card.Key()
	release := holdDB(t, env.DBPath)
	d.press("space", "2")
	d.until("found the database in use", func() bool { return d.inUse >= 1 })
	d.press("q")
	if d.quit {
		t.Fatal("quit before the rating was saved")
	}
	if screen := strings.Join(plainScreen(d.m.screen()), "\n"); !strings.Contains(screen, "saving, then quitting") {
		t.Fatalf("screen does not say it will quit:\n%s", screen)
	}
	release()
	d.until("quit", func() bool { return d.quit })
	if d.m.err != nil {
		t.Fatal(d.m.err)
	}
	if got := ratings(t, env); got[first] != fsrs.Hard {
		t.Fatalf("ratings %v; want %s rated hard", got, first)
	}
}

// ctrl+c while a rating waits quits at once; the rating is not recorded
// and srs says so once the call in flight gives up.
func TestReviewAbandonWaiting(t *testing.T) {
	env, sess, errOut := reviewEnv(t, 100*time.Millisecond)
	d := newDriver(t, newTUI(env, sess), 80, 24)
	d.until("showed a card", d.idleCard)
	release := holdDB(t, env.DBPath)
	d.press("space", "3")
	d.until("found the database in use", func() bool { return d.inUse >= 1 })
	d.press("ctrl+c")
	d.until("quit", func() bool { return d.quit })
	d.m.settle()
	release()
	if !strings.Contains(errOut.String(), "rating guide/") || !strings.Contains(errOut.String(), "in use") {
		t.Fatalf("no word of the lost rating: %q", errOut.String())
	}
	if got := ratings(t, env); len(got) != 0 {
		t.Fatalf("ratings %v after abandoning the only one", got)
	}
}
