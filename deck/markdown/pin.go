package markdown

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/srs-tool/srs/deck"
	"github.com/srs-tool/srs/internal/srcpos"
)

// ErrNoSuchCard says a deck file holds no card of the ID asked for.
var ErrNoSuchCard = errors.New("no card of that id")

// PinID finds the card id in a deck's source and makes its ID explicit,
// so that the card survives an edit of its front: a heading without
// "{#id}" derives the card's ID from the front, and a changed front would
// be a new card (the old one retired, its history left behind). The ID is
// written where any later import reads it, into the file itself, so no
// mapping has to be kept beside the file and every re-import, by srs edit
// or by hand, keeps the card.
//
// It returns the source with " {#id}" appended to the card's heading (the
// source unchanged when the heading already has it), the heading's line
// (1-based, for an editor's +LINE) and whether it pinned the ID. Nothing
// else of the file changes, line endings included. opt is what the file
// is imported with (its deck). A file that does not parse is an error, a
// file without the card is ErrNoSuchCard.
func PinID(src []byte, opt deck.ParseOptions, id string) (out []byte, line int, pinned bool, err error) {
	d, err := Parse(bytes.NewReader(src), opt)
	if err != nil {
		return nil, 0, false, err
	}
	file := srcpos.New(opt.File)
	for _, c := range d.Cards {
		if c.ID != id {
			continue
		}
		line, err = strconv.Atoi(strings.TrimPrefix(c.Source, string(file)+":"))
		if err != nil {
			return nil, 0, false, fmt.Errorf("%s: card %q has no line (%q)", file, id, c.Source)
		}
		lines := splitKeepEnds(src)
		text, end := cutEnd(lines[line-1])
		_, head := mdHeading(deck.StripControls(strings.TrimPrefix(text, utf8BOM)))
		if _, _, explicit := splitHeadingID(head); explicit {
			return src, line, false, nil
		}
		lines[line-1] = strings.TrimRight(text, " \t") + " {#" + id + "}" + end
		out = []byte(strings.Join(lines, ""))
		// The pinned file must read as the same card under the same ID:
		// anything else means the line was not the heading it seemed.
		after, err := Parse(bytes.NewReader(out), opt)
		if err != nil || !sameCards(d.Cards, after.Cards) {
			return nil, 0, false, fmt.Errorf("%s: cannot write {#%s} into the heading at line %d", file, id, line)
		}
		return out, line, true, nil
	}
	return nil, 0, false, fmt.Errorf("%s: %w %q", file, ErrNoSuchCard, id)
}

// splitKeepEnds splits a file into lines the way Parse counts them (LF,
// CRLF and a lone CR each end one), each keeping its line end.
func splitKeepEnds(src []byte) []string {
	var lines []string
	s := string(src)
	for s != "" {
		i := strings.IndexAny(s, "\r\n")
		if i < 0 {
			lines = append(lines, s)
			break
		}
		n := i + 1
		if s[i] == '\r' && n < len(s) && s[n] == '\n' {
			n++
		}
		lines = append(lines, s[:n])
		s = s[n:]
	}
	return lines
}

// cutEnd splits a line from its line end.
func cutEnd(l string) (text, end string) {
	t := strings.TrimRight(l, "\r\n")
	return t, l[len(t):]
}

// sameCards reports whether two parses of a file give the same cards in
// the same order (Source aside).
func sameCards(a, b []deck.Card) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := a[i], b[i]
		if x.ID != y.ID || x.Front != y.Front || x.Back != y.Back || x.Kind != y.Kind || x.Parent != y.Parent ||
			strings.Join(x.Tags, "\x00") != strings.Join(y.Tags, "\x00") {
			return false
		}
	}
	return true
}
