package deck

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
)

// ParseOptions apply to every parser.
type ParseOptions struct {
	File string // file name used in errors and Card.Source ("file:line")
	Deck string // deck name override; "" means: from the file's front matter / header / deck column, else DefaultDeckName(File)
}

// DefaultDeckName names the deck of a file that does not name one itself:
// its base name without the extension, "kubernetes" for "/x/kubernetes.md".
// A name that leaves nothing usable (standard input, "") gives "default".
func DefaultDeckName(file string) string {
	base := filepath.Base(file)
	base = strings.TrimSuffix(base, filepath.Ext(base))
	base = strings.TrimSpace(base)
	switch base {
	case "", ".", "-", string(filepath.Separator):
		return "default"
	}
	return base
}

// source names the input in errors and Card.Source. Parsers report every
// problem as one line, "file:line: what is wrong", so that editors and
// terminals can jump to it.
type source string

func newSource(file string) source {
	if file == "" {
		return "<input>"
	}
	return source(file)
}

func (s source) at(line int) string { return fmt.Sprintf("%s:%d", s, line) }

func (s source) errorf(line int, format string, args ...any) error {
	return fmt.Errorf("%s: %s", s.at(line), oneLine(fmt.Sprintf(format, args...)))
}

// oneLine keeps an error message on one line even when it quotes wrapped
// errors that did not expect to end up in a parser message.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// deckName picks the deck a parsed file belongs to: the caller's override,
// else what the file says, else the file name.
func deckName(opt ParseOptions, fromFile string) string {
	switch {
	case opt.Deck != "":
		return opt.Deck
	case fromFile != "":
		return fromFile
	}
	return DefaultDeckName(opt.File)
}

// appendTags appends the tags of add that tags does not hold yet, keeping
// first-seen order: file tags come before card tags and repeats vanish.
// Callers gather tags and call it once: it is linear per call, so calling
// it per tag would be quadratic on a hostile file.
func appendTags(tags []string, add ...string) []string {
	var seen map[string]bool // only for long lists: hostile files have 100k tags
	if len(tags)+len(add) > 32 {
		seen = make(map[string]bool, len(tags)+len(add))
		for _, t := range tags {
			seen[t] = true
		}
	}
	for _, t := range add {
		if t == "" {
			continue
		}
		if seen != nil {
			if !seen[t] {
				seen[t] = true
				tags = append(tags, t)
			}
		} else if !slices.Contains(tags, t) {
			tags = append(tags, t)
		}
	}
	return tags
}

// idLines remembers where each (deck, id) was first used, so that a
// duplicate is reported with both lines instead of surfacing later as a
// silent overwrite in the store.
type idLines map[[2]string]int

// check records the id of the card at line. fix, when the id was derived
// from the front, tells the user how to tell the two cards apart.
func (m idLines) check(src source, line int, deckName, id, fix string) error {
	k := [2]string{deckName, id}
	if first, dup := m[k]; dup {
		if fix != "" {
			return src.errorf(line, "id %q already used at line %d: the fronts are the same once case and punctuation are folded; %s", id, first, fix)
		}
		return src.errorf(line, "id %q already used at line %d", id, first)
	}
	m[k] = line
	return nil
}
