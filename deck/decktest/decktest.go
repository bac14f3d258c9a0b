// Package decktest holds the checks every deck parser's tests make: what a
// parsed deck and a parser's error must satisfy, and fuzz corpus seeding.
// Only tests import it.
package decktest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/srs-tool/srs/deck"
)

// Seeds adds every file matching the patterns to the fuzz corpus.
func Seeds(f *testing.F, patterns ...string) {
	f.Helper()
	for _, p := range patterns {
		files, _ := filepath.Glob(p)
		for _, file := range files {
			b, err := os.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(b)
		}
	}
}

// CheckDeck fails t unless d validates and every string in it is valid
// UTF-8: what holds for every deck a parser returns.
func CheckDeck(t *testing.T, d *deck.Deck) {
	t.Helper()
	if err := d.Validate(); err != nil {
		t.Fatalf("parsed deck does not validate: %v", err)
	}
	for _, c := range d.Cards {
		for _, s := range append([]string{c.ID, c.Deck, string(c.Kind), c.Front, c.Back, c.Parent, c.Source}, c.Tags...) {
			if !utf8.ValidString(s) {
				t.Fatalf("card %+v: invalid UTF-8 in %q", c, s)
			}
		}
	}
}

// CheckError fails t unless a parser's error is one line.
func CheckError(t *testing.T, err error) {
	t.Helper()
	if strings.Contains(err.Error(), "\n") {
		t.Fatalf("error is not one line: %q", err)
	}
}

// WantError checks a parser's error: present, starting with want
// ("file:line: ..."), on one line.
func WantError(t *testing.T, err error, want string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want %q", want)
	}
	if !strings.HasPrefix(err.Error(), want) {
		t.Errorf("error %q, want prefix %q", err, want)
	}
	if strings.Contains(err.Error(), "\n") {
		t.Errorf("error is not one line: %q", err)
	}
}
