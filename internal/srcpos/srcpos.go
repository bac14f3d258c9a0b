// Package srcpos names places in a deck file the way the text parsers
// report them: "file:line: what is wrong", always on one line, so that
// editors and terminals can jump to it; and it catches a card ID used twice
// in a file, naming both lines.
package srcpos

import (
	"errors"
	"fmt"
	"strings"
)

// File names the input in errors and Card.Source.
type File string

// New names the file file; "" (standard input) is "<input>".
func New(file string) File {
	if file == "" {
		return "<input>"
	}
	return File(file)
}

// At is "file:line", as Card.Source has it.
func (s File) At(line int) string { return fmt.Sprintf("%s:%d", s, line) }

// Errorf is an error at line, on one line.
func (s File) Errorf(line int, format string, args ...any) error {
	return fmt.Errorf("%s: %s", s.At(line), OneLine(fmt.Sprintf(format, args...)))
}

// OneLine keeps an error message on one line even when it quotes wrapped
// errors that did not expect to end up in a parser message.
func OneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// ErrDuplicateID is in the chain of Check's errors, so a caller can add
// what it knows of why two cards met (an override putting two decks in
// one).
var ErrDuplicateID = errors.New("already used")

// IDs remembers where each (deck, id) was first used, so that a duplicate
// is reported with both lines instead of surfacing later as a silent
// overwrite in the store.
type IDs map[[2]string]int

// Check records the id of the card at line. fix, when the id was derived
// from the front, tells the user how to tell the two cards apart.
func (m IDs) Check(src File, line int, deckName, id, fix string) error {
	k := [2]string{deckName, id}
	if first, dup := m[k]; dup {
		if fix != "" {
			return fmt.Errorf("%s: id %q %w at line %d: the fronts are the same once case and punctuation are folded; %s", src.At(line), id, ErrDuplicateID, first, OneLine(fix))
		}
		return fmt.Errorf("%s: id %q %w at line %d", src.At(line), id, ErrDuplicateID, first)
	}
	m[k] = line
	return nil
}
