package main

import (
	"bufio"
	"errors"
	"fmt"
	"strings"

	"github.com/srs-tool/srs/deck"
	"github.com/srs-tool/srs/fsrs"
	"github.com/srs-tool/srs/review"
)

// runLines is the scriptable face of a review session (design.md §5).
func runLines(env *Env, sess *review.Session) error {
	in := bufio.NewScanner(env.IO.In)
	in.Buffer(make([]byte, 64<<10), 1<<20)
	out := env.IO.Out
	// Prompts help a person typing; a script's transcript reads better
	// without them.
	read := func(prompt string) (string, bool) {
		if env.IO.InTTY {
			fmt.Fprint(out, prompt)
		}
		if !in.Scan() {
			if env.IO.InTTY {
				fmt.Fprintln(out)
			}
			return "", false
		}
		return strings.TrimSpace(in.Text()), true
	}
	finish := func() error {
		fmt.Fprintln(out, summaryText(sess.Summary(), env.Now()))
		return in.Err()
	}
	undo := func() {
		c, err := sess.Undo()
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
		c, err := sess.Next()
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
				if !revealed {
					printBack(env, c)
				}
				if err := rateLine(env, sess, c, r); err != nil {
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
				report(env, sess.Suspend(c), "suspended "+c.Card.ID)
				break card
			case "b", "bury":
				report(env, sess.Bury(c), "buried "+c.Card.ID+" until tomorrow")
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

// rateLine records a rating; a card skipped because another session
// changed it is reported and the session goes on.
func rateLine(env *Env, sess *review.Session, c *review.Card, r fsrs.Rating) error {
	st, err := sess.Answer(c, r)
	if errors.Is(err, review.ErrSkipped) {
		fmt.Fprintln(env.IO.Out, err)
		return nil
	}
	if err != nil {
		return err
	}
	// Printed only once the rating is committed: a script (or the crash
	// test) can count on every "recorded" line being on disk.
	fmt.Fprintf(env.IO.Out, "recorded %s/%s %s: %s, due %s\n", c.Card.Deck, c.Card.ID, ratingName(r), stateName(st), when(st.Due, env.Now()))
	return nil
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
