package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/srs-tool/srs/fsrs"
	"github.com/srs-tool/srs/queue"
	"github.com/srs-tool/srs/review"
	"github.com/srs-tool/srs/store"
)

type reviewOptions struct {
	Env   *Env
	Deck  string
	Tag   string
	Lines bool // line mode even on a terminal
}

func reviewCommand(env **Env) *cli.Command {
	return &cli.Command{
		Name:  "review",
		Usage: "today's review session",
		Description: "On a terminal: full screen. Space or Enter reveals the answer, 1-4 rate it " +
			"(Again, Hard, Good, Easy), u undoes, s suspends, b buries until tomorrow, q quits; " +
			"? lists every key. NO_COLOR turns colours off.\n" +
			"When stdin is not a terminal (or with --lines): line mode. Each card's front is printed; " +
			"an empty line reveals the back; then a line 1-4 or again/hard/good/easy rates it; " +
			"u undoes the last rating, s suspends, b buries, q or end of input ends the session.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "deck", Usage: "only this deck"},
			&cli.StringFlag{Name: "tag", Usage: "only cards with this tag"},
			&cli.BoolFlag{Name: "lines", Usage: "line mode even on a terminal"},
		},
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return usageError{fmt.Errorf("review takes no arguments (did you mean --deck %s?)", c.Args().First())}
			}
			return runReview(&reviewOptions{Env: *env, Deck: c.String("deck"), Tag: c.String("tag"), Lines: c.Bool("lines")})
		},
	}
}

func runReview(o *reviewOptions) error {
	if o.Deck != "" {
		if err := o.Env.with(func(s *store.Store) error {
			_, err := s.DeckInfo(o.Deck)
			return err
		}); err != nil {
			return err
		}
	}
	sess := review.New(review.Config{
		Open:  o.Env.Open,
		User:  o.Env.User,
		Queue: queue.Options{Deck: o.Deck, Tag: o.Tag},
		Now:   o.Env.Now,
	})
	if !o.Lines && o.Env.IO.InTTY && o.Env.IO.OutTTY {
		return runTUI(o.Env, sess)
	}
	return runLines(o.Env, sess)
}

func ratingName(r fsrs.Rating) string {
	switch r {
	case fsrs.Again:
		return "again"
	case fsrs.Hard:
		return "hard"
	case fsrs.Good:
		return "good"
	case fsrs.Easy:
		return "easy"
	}
	return fmt.Sprintf("rating %d", r)
}

// buttons renders the four ratings with their next intervals, as Anki
// labels them: "1 Again <10m  2 Hard 1d  3 Good 3d  4 Easy 8d".
func buttons(c *review.Card) string { return previewButtons(c.Previews) }

// previewButtons are the four ratings with their next intervals.
func previewButtons(p [4]fsrs.Outcome) string {
	var b strings.Builder
	for i, o := range p {
		if i > 0 {
			b.WriteString("   ")
		}
		name := ratingName(o.Rating)
		fmt.Fprintf(&b, "%d %s %s", i+1, strings.ToUpper(name[:1])+name[1:], review.FormatInterval(o.Interval))
	}
	return b.String()
}

func countsLine(c queue.Counts) string {
	return fmt.Sprintf("new %d · learning %d · review %d", c.New, c.Learning, c.Review)
}

// summaryText is the end-of-session report both faces print.
func summaryText(s review.Summary, now time.Time) string {
	var b strings.Builder
	if s.Reviewed == 0 {
		b.WriteString("No cards reviewed.")
	} else {
		fmt.Fprintf(&b, "Reviewed %s, %s, in %s (again %d, hard %d, good %d, easy %d).",
			count(s.Cards, "card"), count(s.Reviewed, "rating"), s.Time.Round(time.Second), s.ByRating[1], s.ByRating[2], s.ByRating[3], s.ByRating[4])
	}
	fmt.Fprintf(&b, "\nLeft today: %s.", countsLine(s.Counts))
	if s.Finished && !s.NextDue.IsZero() && s.Zone != nil {
		fmt.Fprintf(&b, " Next card due %s.", fsrs.FormatWhen(s.NextDue, now, s.Zone))
	}
	if len(s.Skipped) > 0 {
		fmt.Fprintf(&b, "\nSkipped (changed in another session): %s.", strings.Join(s.Skipped, ", "))
	}
	return b.String()
}
