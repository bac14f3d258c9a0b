package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// On a terminal srs show lays the card out as the review screen does
// (internal/termmd: a table aligned, emphasis as attributes); piped, it
// prints the Markdown itself.
func TestShowRendersForTerminal(t *testing.T) {
	now := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	dir := t.TempDir()
	file := filepath.Join(dir, "k.md")
	src := "---\ndeck: k\n---\n## What is a *pod*? {#pod}\nA group of containers.\n\n| field | value |\n|---|---|\n| ip | shared |\n"
	if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	show := func(tty, noColor bool) string {
		var out bytes.Buffer
		env := &Env{IO: &IO{In: strings.NewReader(""), Out: &out, ErrOut: io.Discard, OutTTY: tty},
			DBPath: filepath.Join(dir, "srs.db"), User: "ann", Now: func() time.Time { return now }, NoColor: noColor}
		if err := runImport(&importOptions{Env: &Env{IO: &IO{Out: io.Discard, ErrOut: io.Discard}, DBPath: env.DBPath, User: "ann", Now: env.Now}, Files: []string{file}}); err != nil {
			t.Fatal(err)
		}
		if err := runShow(&showOptions{Env: env, Card: "k/pod"}); err != nil {
			t.Fatal(err)
		}
		return out.String()
	}

	piped := show(false, false)
	for _, want := range []string{"Q: What is a *pod*?\n", "| field | value |\n|---|---|\n"} {
		if !strings.Contains(piped, want) {
			t.Errorf("piped output lacks the Markdown %q:\n%s", want, piped)
		}
	}
	if strings.Contains(piped, "\x1b[") {
		t.Errorf("piped output has escape sequences:\n%q", piped)
	}

	tty := show(true, true)
	plain := strings.Join(plainScreen(tty), "\n")
	if strings.Contains(plain, "|---|") || strings.Contains(plain, "*pod*") || strings.Contains(plain, "Q: ") {
		t.Errorf("terminal output is not rendered:\n%s", plain)
	}
	var row string
	for _, l := range strings.Split(plain, "\n") {
		if strings.Contains(l, "ip") && strings.Contains(l, "shared") {
			row = l
		}
	}
	header := strings.Split(plain[strings.Index(plain, "field"):], "\n")[0]
	if row == "" || strings.Index(row, "shared") != strings.Index(header, "value") {
		t.Errorf("table columns not aligned:\n%s", plain)
	}
	if !strings.Contains(tty, "\x1b[1m") || colourEscape(tty) != "" {
		t.Errorf("with NO_COLOR, want bold and no colour:\n%q", tty)
	}
}
