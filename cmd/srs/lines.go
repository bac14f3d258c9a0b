package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/srs-tool/srs/deck"
	"github.com/srs-tool/srs/fsrs"
	"github.com/srs-tool/srs/review"
	"github.com/srs-tool/srs/store"
)

// runLines is the scriptable face of a review session (design.md §5).
func runLines(env *Env, sess *review.Session) error {
	in := newLineReader(env.IO.In)
	out := env.IO.Out
	// Prompts help a person typing; a script's transcript reads better
	// without them.
	read := func(prompt string) (string, bool) {
		if env.IO.InTTY {
			fmt.Fprint(out, prompt)
		}
		line, ok := in.next()
		if !ok {
			if env.IO.InTTY {
				fmt.Fprintln(out)
			}
			return "", false
		}
		return strings.TrimSpace(line), true
	}
	finish := func() error {
		fmt.Fprintln(out, summaryText(sess.Summary(), env.Now()))
		return in.err
	}
	undo := func() {
		c, err := waitInUse(env, sess.Undo)
		switch {
		case errors.Is(err, review.ErrNothingToUndo):
			fmt.Fprintln(out, "nothing to undo")
		case err != nil:
			fmt.Fprintf(out, "undo failed: %v\n", err)
		default:
			fmt.Fprintf(out, "undone: %s/%s\n", c.Deck, c.ID)
		}
	}
	for {
		c, err := waitInUse(env, sess.Next)
		if err != nil {
			return err
		}
		if c == nil {
			return finish()
		}
		printFront(env, c)
		revealed := false
	card:
		for {
			prompt := "[Enter] show answer > "
			if revealed {
				prompt = "rating (1-4) > "
			}
			line, ok := read(prompt)
			if !ok {
				return finish()
			}
			if r, isRating := fsrs.ParseRating(line); isRating {
				pressed := time.Now() // the line read: the answer time ends here
				if !revealed {
					printBack(env, c)
				}
				if err := rateLine(env, sess, c, r, pressed); err != nil {
					return err
				}
				break card
			}
			switch line {
			case "":
				if !revealed {
					printBack(env, c)
					revealed = true
					continue
				}
			case "q", "quit":
				return finish()
			case "u", "undo":
				undo()
				break card
			case "s", "suspend":
				report(env, waitInUse0(env, func() error { return sess.Suspend(c) }), "suspended "+c.Card.ID)
				break card
			case "b", "bury":
				report(env, waitInUse0(env, func() error { return sess.Bury(c) }), "buried "+c.Card.ID+" until tomorrow")
				break card
			}
			if revealed {
				fmt.Fprintln(out, "type 1-4 or again, hard, good, easy (or q quit, u undo, s suspend, b bury)")
			} else {
				fmt.Fprintln(out, "press Enter to show the answer (or q quit, u undo, s suspend, b bury)")
			}
		}
	}
}

// maxLine is as much of an input line as line mode keeps. Its commands
// are a few characters; a longer line (a paste gone astray) is read to
// its end and answered like any line it does not understand, where
// bufio.Scanner would stop the session with "token too long".
const maxLine = 4 << 10

// lineReader reads lines of any length, keeping the first maxLine bytes
// of each.
type lineReader struct {
	r   *bufio.Reader
	err error // a read error other than the end of input
}

func newLineReader(r io.Reader) *lineReader { return &lineReader{r: bufio.NewReader(r)} }

func (l *lineReader) next() (string, bool) {
	var line []byte
	read := false
	for {
		chunk, err := l.r.ReadSlice('\n')
		read = read || len(chunk) > 0
		if keep := min(len(chunk), maxLine-len(line)); keep > 0 {
			line = append(line, chunk[:keep]...)
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if err != nil && err != io.EOF {
			l.err = err
		}
		if err != nil && !read {
			return "", false
		}
		return strings.TrimRight(string(line), "\r\n"), true
	}
}

// rateLine records a rating; a card skipped because another session
// changed it is reported and the session goes on.
func rateLine(env *Env, sess *review.Session, c *review.Card, r fsrs.Rating, pressed time.Time) error {
	st, err := waitInUse(env, func() (store.CardState, error) { return sess.Answer(c, r, pressed) })
	if errors.Is(err, review.ErrSkipped) {
		fmt.Fprintln(env.IO.Out, err)
		return nil
	}
	if err != nil {
		return err
	}
	// Printed only once the rating is committed: a script (or the crash
	// test) can count on every "recorded" line being on disk.
	fmt.Fprintf(env.IO.Out, "recorded %s/%s %s: %s, due %s\n", c.Card.Deck, c.Card.ID, ratingName(r), stateName(st), fsrs.FormatWhen(st.Due, env.Now(), c.Zone()))
	return nil
}

// waitInUse makes a session call, and makes it again while it finds the
// database in use (store.ErrInUse, after the lock timeout), as the review
// screen does: another process's export or backup makes the session
// wait, not end. It says once on stderr that it waits; Ctrl-C stops it.
func waitInUse[T any](env *Env, call func() (T, error)) (T, error) {
	said := false
	for {
		v, err := call()
		if !errors.Is(err, store.ErrInUse) {
			return v, err
		}
		if !said {
			fmt.Fprintln(env.IO.ErrOut, "srs: waiting for the database: another srs process is using it")
			said = true
		}
	}
}

// waitInUse0 is waitInUse for a call that returns only an error.
func waitInUse0(env *Env, call func() error) error {
	_, err := waitInUse(env, func() (struct{}, error) { return struct{}{}, call() })
	return err
}

func report(env *Env, err error, ok string) {
	if err != nil {
		fmt.Fprintln(env.IO.Out, err)
		return
	}
	fmt.Fprintln(env.IO.Out, ok)
}

func printFront(env *Env, c *review.Card) {
	out := env.IO.Out
	fmt.Fprintf(out, "\n── %s/%s · %s · %s ── %s\n", c.Card.Deck, c.Card.ID, c.Card.Kind, cardStateName(c), countsLine(c.Counts))
	if c.Parent != nil {
		fmt.Fprintf(out, "Follow-up to: %s\n", c.Parent.Front)
	}
	fmt.Fprintf(out, "Q: %s\n", c.Card.Front)
}

func printBack(env *Env, c *review.Card) {
	out := env.IO.Out
	fmt.Fprintf(out, "A:\n%s\n", strings.TrimRight(c.Card.Back, "\n"))
	if tags := visibleTags(c.Card); tags != "" {
		fmt.Fprintf(out, "tags: %s\n", tags)
	}
	fmt.Fprintln(out, buttons(c))
}

func cardStateName(c *review.Card) string {
	if !c.HadState {
		return "new"
	}
	return stateName(c.State)
}

func visibleTags(c deck.Card) string { return strings.Join(c.Tags, " ") }
