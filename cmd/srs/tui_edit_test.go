package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/srs-tool/srs/deck"
	"github.com/srs-tool/srs/queue"
	"github.com/srs-tool/srs/review"
	"github.com/srs-tool/srs/store"
)

// fakeEditor writes a shell script that edits as a person would: it
// adds " (edited)" to the end of the front on the line it is opened at
// ("+LINE FILE"), before a {#id} if the heading has one, and notes the
// arguments it got in args.txt beside it.
func fakeEditor(t *testing.T) (editor, argsFile string) {
	t.Helper()
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no sh to run the fake editor")
	}
	dir := t.TempDir()
	editor, argsFile = filepath.Join(dir, "ed.sh"), filepath.Join(dir, "args.txt")
	script := "#!/bin/sh\necho \"$@\" > " + argsFile + "\nn=${1#+}\n" +
		"sed -e \"${n}{/ {#/!s/\\$/ (edited)/;s/ {#/ (edited) {#/;}\" \"$2\" > \"$2.new\" && mv \"$2.new\" \"$2\"\n"
	if err := os.WriteFile(editor, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return editor, argsFile
}

// runDirect runs the editor where the test runs, instead of handing it
// a terminal.
func runDirect(c *exec.Cmd, fn tea.ExecCallback) tea.Cmd {
	return func() tea.Msg { return fn(c.Run()) }
}

func historyOf(t *testing.T, env *Env, deckName, id string) []store.Entry {
	t.Helper()
	var log []store.Entry
	if err := env.with(func(s *store.Store) (err error) {
		log, err = s.CardLog(env.User, deckName, id)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return log
}

func screenText(d *driver) string { return strings.Join(plainScreen(d.m.screen()), "\n") }

// e on a card of a Markdown deck whose ID comes from its front: the
// editor opens the source file at the card's heading, the ID is written
// into the heading first, the file is imported again, and the card is
// shown again with its new front, its ID and history the same.
func TestReviewEditMarkdownCard(t *testing.T) {
	env, _, _ := reviewEnv(t, 0)
	editor, argsFile := fakeEditor(t)
	env.Editor = editor
	file := filepath.Join(t.TempDir(), "k.md")
	src := "---\ndeck: k\n---\n## What is a pod?\nA group of containers.\n\n## What is a node?\nA machine.\n"
	if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := runImport(&importOptions{Env: env, Files: []string{file}}); err != nil {
		t.Fatal(err)
	}
	id := deck.DeriveID("What is a pod?")
	// History: suspended and put back, two log entries.
	for _, suspend := range []bool{true, false} {
		if err := runSuspend(env, []string{"k/" + id}, suspend); err != nil {
			t.Fatal(err)
		}
	}
	sess := review.New(review.Config{Open: env.Open, User: env.User, Now: env.Now, Queue: queue.Options{Deck: "k"}})
	m := newTUI(env, sess)
	m.runEditor = runDirect
	d := newDriver(t, m, 80, 24)
	d.until("showed a card", d.idleCard)
	if got := d.m.card.Card.ID; got != id {
		t.Fatalf("first card %s, want %s", got, id)
	}
	d.press("space", "e")
	d.until("saved the edit", func() bool { return d.idleCard() && strings.Contains(d.m.note, "edited") })

	if got := d.m.card.Card; got.ID != id || got.Front != "What is a pod? (edited)" {
		t.Fatalf("card on screen after the edit: %s %q", got.ID, got.Front)
	}
	if screen := screenText(d); !strings.Contains(screen, "What is a pod? (edited)") || !strings.Contains(screen, "A group of containers.") {
		t.Fatalf("screen does not show the edited card:\n%s", screen)
	}
	if args, _ := os.ReadFile(argsFile); strings.TrimSpace(string(args)) != "+4 "+file {
		t.Fatalf("editor got %q, want +4 %s", args, file)
	}
	data, _ := os.ReadFile(file)
	if want := "## What is a pod? (edited) {#" + id + "}\n"; !strings.Contains(string(data), want) {
		t.Fatalf("source file does not have %q:\n%s", want, data)
	}
	if log := historyOf(t, env, "k", id); len(log) != 2 {
		t.Fatalf("history after the edit: %d entries, want the 2 before it", len(log))
	}
	// The session goes on with the same card: rating it adds to its log.
	d.press("3")
	d.until("showed the next card", func() bool { return d.idleCard() && d.m.card.Card.ID != id })
	if log := historyOf(t, env, "k", id); len(log) != 3 {
		t.Fatalf("history after rating the edited card: %d entries, want 3", len(log))
	}
	var retired int
	env.with(func(s *store.Store) error {
		return s.EachCardState(env.User, store.CardFilter{Deck: "k", Status: []store.CardStatus{store.StatusRetired}}, func(store.StoredCard, store.CardState, bool) error {
			retired++
			return nil
		})
	})
	if retired != 0 {
		t.Fatalf("%d cards retired by the edit", retired)
	}
}

// e on a card of the built-in deck edits a copy; the change is stored on
// the card, and an editor that fails changes nothing.
func TestReviewEditCopy(t *testing.T) {
	env, sess, _ := reviewEnv(t, 0)
	editor, argsFile := fakeEditor(t)
	env.Editor = "false"
	m := newTUI(env, sess)
	m.runEditor = runDirect
	d := newDriver(t, m, 60, 20)
	d.until("showed a card", d.idleCard)
	c := d.m.card.Card
	d.press("e")
	d.until("said the editor failed", func() bool { return d.idleCard() && d.m.note != "" })
	if !strings.Contains(d.m.note, "editor false: exit status 1; nothing changed") || d.m.card.Card.Front != c.Front {
		t.Fatalf("after a failed editor: note %q, front %q", d.m.note, d.m.card.Card.Front)
	}

	env.Editor = editor
	d.press("e")
	d.until("saved the edit", func() bool { return d.idleCard() && strings.Contains(d.m.note, "edited") })
	if got := d.m.card.Card; got.Key() != c.Key() || got.Front != c.Front+" (edited)" || got.Back != c.Back {
		t.Fatalf("card after the edit: %s %q", got.Key(), got.Front)
	}
	args, _ := os.ReadFile(argsFile)
	if f := strings.Fields(string(args)); len(f) != 2 || !strings.HasPrefix(f[0], "+") || !strings.HasSuffix(f[1], ".md") {
		t.Fatalf("editor got %q, want +LINE FILE.md", args)
	} else if _, err := os.Stat(f[1]); !os.IsNotExist(err) {
		t.Fatalf("the copy %s is left behind: %v", f[1], err)
	}
	if !strings.Contains(screenText(d), "(edited)") {
		t.Fatalf("screen does not show the edit:\n%s", screenText(d))
	}
	var stored store.StoredCard
	env.with(func(s *store.Store) (err error) {
		stored, err = s.Card(c.Deck, c.ID)
		return err
	})
	if stored.Front != c.Front+" (edited)" {
		t.Fatalf("stored front %q", stored.Front)
	}
	d.press("q")
	d.until("quit", func() bool { return d.quit })
}
