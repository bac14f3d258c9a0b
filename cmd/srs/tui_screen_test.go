package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/srs-tool/srs/deck"
	"github.com/srs-tool/srs/fsrs"
	"github.com/srs-tool/srs/internal/termmd"
	"github.com/srs-tool/srs/queue"
	"github.com/srs-tool/srs/review"
)

var update = flag.Bool("update", false, "rewrite the golden screens in testdata/screens")

// screenCard is a card as the session hands it to the screen.
func screenCard(id, front, back string, parent *deck.Card) *review.Card {
	kind := deck.KindQuestion
	if parent != nil {
		kind = deck.KindFollowUp
	}
	c := &review.Card{
		Item: queue.Item{
			Card:   deck.Card{ID: id, Deck: "interviews", Kind: kind, Front: front, Back: back},
			Parent: parent,
		},
		Counts: queue.Counts{New: 12, Learning: 3, Review: 140},
	}
	for i, d := range []time.Duration{5 * time.Minute, 15 * time.Minute, 24 * time.Hour, 8 * 24 * time.Hour} {
		c.Previews[i] = fsrs.Outcome{Rating: fsrs.Rating(i + 1), Interval: d}
	}
	return c
}

var screenCards = map[string]*review.Card{
	"table": screenCard("k8s-oom-killed-container-exit-codes",
		"A pod restarts every few minutes. Where do you look first?",
		"Read the last state of the container:\n\n"+
			"| field | value | meaning |\n|---|---|---|\n"+
			"| reason | OOMKilled | the kernel killed it for memory |\n"+
			"| exit code | 137 | 128 + SIGKILL (9) |\n"+
			"| restarts | 14 | a crash loop, backing off |\n\n"+
			"Then compare the limit with the working set.", nil),
	// Too wide for 40 columns even one word per column: records there.
	"widetable": screenCard("memory-alerts",
		"Which signals would you alert on for memory?",
		"| signal | metric | alert when |\n|---|---|---|\n"+
			"| working set | `container_memory_working_set_bytes` | above 90% of the limit for 5m |\n"+
			"| OOM kills | `kube_pod_container_status_last_terminated_reason` | any, with reason OOMKilled |\n", nil),
	"code": screenCard("go-context-cancel",
		"How do you stop a goroutine that waits on a slow call?",
		"Pass a context and select on it:\n\n"+
			"```go\nctx, cancel := context.WithTimeout(ctx, 2*time.Second) // the caller's deadline still applies, whichever is sooner\ndefer cancel()\n```\n\n"+
			"The callee must return when `ctx.Done()` closes.", nil),
	"hyphen": screenCard("c2-detection",
		"How would you spot command-and-control traffic leaving a fleet?",
		"Look for state-of-the-art beaconing: regular, low-volume calls to rare domains. "+
			"A command-and-control channel hides in ordinary HTTPS, so a well-known egress "+
			"allow-list plus per-host baselines beats signature matching. Long-lived, "+
			"low-and-slow sessions to newly-registered domains are the tell.", nil),
	"followup": screenCard("q17-f2",
		"And if the cache itself goes down?",
		"Requests fall through to the database at once: a thundering herd. Protect it with "+
			"request coalescing, a circuit breaker in front of the database, and a warm standby "+
			"cache; shed load before the database falls over.",
		&deck.Card{ID: "q17", Deck: "interviews", Kind: deck.KindQuestion,
			Front: "Design a read-heavy product catalogue service for a large retailer: " +
				"millions of items, prices that change several times a day, a p99 read " +
				"latency target of 50 ms from three regions, and writes coming from a " +
				"nightly batch plus a trickle of price updates during the day. Where does " +
				"the cache sit, how is it invalidated, and what happens on a cold start?"}),
}

var screenSizes = [][2]int{{40, 10}, {60, 20}, {80, 24}, {200, 50}}

// screenModel is the review screen at a fixed size with c on it, driven
// through Update as Bubble Tea would drive it.
func screenModel(t *testing.T, c *review.Card, w, h int, noColor bool) *tuiModel {
	t.Helper()
	m := newTUI(&Env{NoColor: noColor}, nil)
	m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	op := &dbOp{done: func(error) tea.Cmd { m.card = c; return nil }}
	m.busy = op
	m.Update(dbDoneMsg{op: op})
	return m
}

// press sends keys named as Bubble Tea names them.
func press(t *testing.T, m *tuiModel, keys ...string) tea.Cmd {
	t.Helper()
	var cmd tea.Cmd
	for _, k := range keys {
		msg := keyMsg(k)
		if got := msg.String(); got != k {
			t.Fatalf("key %q reads as %q", k, got)
		}
		_, cmd = m.Update(msg)
	}
	return cmd
}

func keyMsg(k string) tea.KeyPressMsg {
	switch k {
	case "space":
		return tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "up":
		return tea.KeyPressMsg{Code: tea.KeyUp}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "pgdown":
		return tea.KeyPressMsg{Code: tea.KeyPgDown}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "ctrl+c":
		return tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl}
	}
	return tea.KeyPressMsg{Code: []rune(k)[0], Text: k}
}

// plainScreen is the screen as a reader sees it: no styling, no trailing
// spaces.
func plainScreen(s string) []string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(ansi.Strip(l), " ")
	}
	return lines
}

// TestScreens renders each card revealed at each size and compares the
// screen with testdata/screens (go test -run TestScreens -update rewrites
// them; read the diff). Whatever the golden files say, at every size the
// screen fits, the counts and the buttons show, and at least three lines
// of the answer are in view.
func TestScreens(t *testing.T) {
	for name, c := range screenCards {
		for _, sz := range screenSizes {
			w, h := sz[0], sz[1]
			t.Run(fmt.Sprintf("%s-%dx%d", name, w, h), func(t *testing.T) {
				m := screenModel(t, c, w, h, false)
				press(t, m, "space")
				lines := plainScreen(m.screen())
				checkScreen(t, m, lines, w, h)
				golden(t, filepath.Join("testdata", "screens", fmt.Sprintf("%s-%dx%d.txt", name, w, h)), strings.Join(lines, "\n")+"\n")
			})
		}
	}
}

var buttonsRE = regexp.MustCompile(`1 (Again )?<5m .*2 (Hard )?<15m|3 (Good )?1d .*4 (Easy )?8d`)

func checkScreen(t *testing.T, m *tuiModel, lines []string, w, h int) {
	t.Helper()
	screen := strings.Join(lines, "\n")
	if len(lines) != h {
		t.Errorf("%d lines on a screen %d high", len(lines), h)
	}
	for i, l := range lines {
		if lw := ansi.StringWidth(l); lw > w {
			t.Errorf("line %d is %d wide on a screen %d wide: %q", i+1, lw, w, l)
		}
	}
	if !strings.Contains(lines[0], "12 new · 3 l") || !strings.Contains(lines[0], "140 rev") {
		t.Errorf("counts not in the header: %q", lines[0])
	}
	if n := len(buttonsRE.FindAllString(screen, -1)); n == 0 {
		t.Errorf("buttons not on screen:\n%s", screen)
	}
	// The answer's first lines, laid out as the screen lays them out, are
	// on screen one under another.
	cw := min(w-2*margin(w), 100)
	answer := plainScreen(strings.Join(termmd.Render(m.card.Card.Back, cw, termmd.Options{}), "\n"))
	first := answer[:min(minAnswer, len(answer))]
	if !strings.Contains(screen, strings.Join(indent(first, margin(w)), "\n")) {
		t.Errorf("the answer's first %d lines are not on screen:\n%s\nscreen:\n%s", len(first), strings.Join(first, "\n"), screen)
	}
}

func indent(lines []string, n int) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		if l != "" {
			l = strings.Repeat(" ", n) + l
		}
		out[i] = l
	}
	return out
}

// golden compares got with the file at path, or rewrites it with -update.
func golden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test -run %s -update writes it)", err, t.Name())
	}
	if string(want) != got {
		t.Errorf("screen differs from %s (-update rewrites it)\ngot:\n%s\nwant:\n%s", path, got, want)
	}
}

// The help is made from the key table and scrolls like a card.
func TestHelpScreen(t *testing.T) {
	for _, sz := range [][2]int{{40, 10}, {80, 24}} {
		w, h := sz[0], sz[1]
		t.Run(fmt.Sprintf("%dx%d", w, h), func(t *testing.T) {
			m := screenModel(t, screenCards["code"], w, h, false)
			press(t, m, "space", "?")
			lines := plainScreen(m.screen())
			golden(t, filepath.Join("testdata", "screens", fmt.Sprintf("help-%dx%d.txt", w, h)), strings.Join(lines, "\n")+"\n")
			if !strings.Contains(strings.Join(strings.Fields(ansi.Strip(strings.Join(m.layout().body, " "))), " "), "rate: again, hard, good, easy") {
				t.Errorf("help does not explain the ratings")
			}
			press(t, m, "x") // any other key closes it, and does nothing else
			if m.help || !strings.Contains(m.screen(), "Pass a context") {
				t.Fatalf("help still open after a key:\n%s", m.screen())
			}
		})
	}
}

// The hyphen card's words keep their hyphens wherever a line breaks them:
// the body, joined again line to line, holds every hyphenated word whole.
func TestScreenHyphens(t *testing.T) {
	words := []string{"command-and-control", "state-of-the-art", "low-volume", "well-known", "allow-list", "per-host", "Long-lived", "low-and-slow", "newly-registered"}
	for _, sz := range screenSizes {
		m := screenModel(t, screenCards["hyphen"], sz[0], sz[1], false)
		press(t, m, "space")
		var text strings.Builder
		for _, l := range plainScreen(strings.Join(m.layout().body, "\n")) {
			l = strings.TrimSpace(l)
			text.WriteString(l)
			if !strings.HasSuffix(l, "-") {
				text.WriteString(" ")
			}
		}
		for _, w := range words {
			if !strings.Contains(text.String(), w) {
				t.Errorf("%dx%d: %q broken:\n%s", sz[0], sz[1], w, text.String())
			}
		}
	}
}

// c shows a follow-up's context whole and folds it again.
func TestContextFold(t *testing.T) {
	m := screenModel(t, screenCards["followup"], 40, 10, false)
	body := func() string {
		return strings.Join(strings.Fields(ansi.Strip(strings.Join(m.layout().body, " "))), " ")
	}
	if !strings.Contains(body(), "c: more") || strings.Contains(body(), "cold start?") {
		t.Fatalf("context not folded:\n%s", body())
	}
	press(t, m, "c")
	if strings.Contains(body(), "c: more") || !strings.Contains(body(), "what happens on a cold start?") {
		t.Fatalf("context not whole after c:\n%s", body())
	}
	if lines := plainScreen(m.screen()); !strings.HasPrefix(lines[1], " Follow-up to:") {
		t.Errorf("expanded context not shown from its start:\n%s", strings.Join(lines, "\n"))
	}
	press(t, m, "c")
	if !strings.Contains(body(), "c: more") {
		t.Fatalf("context not folded again:\n%s", body())
	}
}

// The status line says which lines show, and which ways there is more.
func TestScrollIndicator(t *testing.T) {
	m := screenModel(t, screenCards["table"], 40, 10, false)
	status := func() string { lines := plainScreen(m.screen()); return lines[len(lines)-1] }
	press(t, m, "space")
	for _, step := range []struct{ key, want string }{
		{"", " ↓ 1-7/19"},
		{"down", "↑↓ 2-8/19"},
		{"G", " ↑ 13-19/19"},
		{"g", " ↓ 1-7/19"},
		{"pgdown", "↑↓ 7-13/19"},
	} {
		if step.key != "" {
			press(t, m, step.key)
		}
		if !strings.HasSuffix(status(), step.want) {
			t.Errorf("after %q: status %q, want it to end %q", step.key, status(), step.want)
		}
	}
}

var sgrRE = regexp.MustCompile(`\x1b\[([0-9;:]*)m`)

// colourEscape returns the first SGR sequence in s that sets a colour
// (foreground or background; resetting to the default does not count),
// or "".
func colourEscape(s string) string {
	for _, m := range sgrRE.FindAllStringSubmatch(s, -1) {
		for _, p := range strings.FieldsFunc(m[1], func(r rune) bool { return r == ';' || r == ':' }) {
			var n int
			fmt.Sscan(p, &n)
			if n >= 30 && n <= 38 || n >= 40 && n <= 48 || n >= 90 && n <= 97 || n >= 100 && n <= 107 {
				return m[0]
			}
		}
	}
	return ""
}

// NO_COLOR: no colour escapes anywhere on the screen; bold and faint
// stay, as no-color.org allows.
func TestScreenNoColor(t *testing.T) {
	for _, name := range []string{"table", "code", "followup"} {
		m := screenModel(t, screenCards[name], 80, 24, false)
		press(t, m, "space")
		if colourEscape(m.screen()) == "" {
			t.Fatalf("%s: no colour even without NO_COLOR; the test proves nothing", name)
		}
		m = screenModel(t, screenCards[name], 80, 24, true)
		press(t, m, "space")
		s := m.screen()
		if esc := colourEscape(s); esc != "" {
			t.Errorf("%s: colour escape %q with NO_COLOR", name, esc)
		}
		if !strings.Contains(s, "\x1b[1m") {
			t.Errorf("%s: no bold with NO_COLOR", name)
		}
	}
}
