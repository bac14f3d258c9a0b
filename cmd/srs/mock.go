package main

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/srs-tool/srs/fsrs"
	"github.com/srs-tool/srs/review"
	"github.com/srs-tool/srs/store"
)

type mockOptions struct {
	Env     *Env
	Scope   review.MockScope
	Minutes int
	Seed    uint64
	SeedSet bool
	Lines   bool // line mode even on a terminal
	// Clock is the real clock answer times are measured by (nil:
	// time.Now); tests fix it.
	Clock func() time.Time
}

func mockCommand(env **Env) *cli.Command {
	return &cli.Command{
		Name:  "mock",
		Usage: "a mock interview: questions weighted toward what you are forgetting, each with its follow-ups",
		Description: "Questions in scope are drawn at random, favouring those whose predicted recall is lowest " +
			"(never-seen ones count as lowest); each is followed by its follow-up probes in order, whatever their due " +
			"dates, until --minutes have passed (the question under way is finished). Answer out loud, then an empty " +
			"line reveals the answer and says how long you took; 1-4 or again/hard/good/easy rates it; q or end of " +
			"input stops, keeping what was rated. Ratings are logged as reviews marked mock and scheduled as any " +
			"review. On a terminal: full screen, with a clock that runs while you answer; space or Enter reveals, " +
			"1-4 rate, q stops, ? lists every key. When stdin or stdout is not a terminal (or with --lines): line mode.",
		Flags: []cli.Flag{
			&cli.StringSliceFlag{Name: "loop", Usage: "only questions tagged loop:`L`, any of these (comma-separated: system-design,debugging)"},
			&cli.StringSliceFlag{Name: "topic", Usage: "only questions tagged topic:`T`, any of these (comma-separated: databases,caching)"},
			&cli.StringFlag{Name: "deck", Usage: "only this deck"},
			&cli.IntFlag{Name: "minutes", Value: 45, Usage: "length of the interview in `N` minutes"},
			&cli.Uint64Flag{Name: "seed", Usage: "pick with this seed `N`, to repeat a mock (default: from the clock; printed)"},
			&cli.BoolFlag{Name: "lines", Usage: "line mode even on a terminal"},
		},
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return usageError{fmt.Errorf("mock takes no arguments (did you mean --topic %s?)", c.Args().First())}
			}
			if m := c.Int("minutes"); m < 1 || m > 24*60 {
				return usageError{fmt.Errorf("mock: --minutes %d: must be 1..1440", m)}
			}
			return runMock(&mockOptions{Env: *env,
				Scope:   review.MockScope{Deck: c.String("deck"), Loops: c.StringSlice("loop"), Topics: c.StringSlice("topic")},
				Minutes: c.Int("minutes"), Seed: c.Uint64("seed"), SeedSet: c.IsSet("seed"), Lines: c.Bool("lines")})
		},
	}
}

func runMock(o *mockOptions) error {
	env := o.Env
	if o.Scope.Deck != "" {
		if err := env.with(func(s *store.Store) error {
			_, err := s.DeckInfo(o.Scope.Deck)
			return err
		}); err != nil {
			return err
		}
	}
	if !o.SeedSet {
		// From the real clock, not SRS_NOW: two mocks at one SRS_NOW
		// still differ. Short, to be typed back with --seed.
		o.Seed = uint64(time.Now().UnixNano()) % 1_000_000
	}
	clock := o.Clock
	if clock == nil {
		clock = time.Now
	}
	m, err := review.NewMock(review.MockConfig{Open: env.Open, User: env.User, Scope: o.Scope,
		Budget: time.Duration(o.Minutes) * time.Minute, Seed: o.Seed, Now: env.Now, Clock: clock})
	if err != nil {
		return err
	}
	intro := fmt.Sprintf("Mock interview: %s in scope%s, %d minutes (seed %d).\n",
		count(m.InScope(), "question"), mockScopeText(o.Scope), o.Minutes, o.Seed)
	if !o.Lines && env.IO.InTTY && env.IO.OutTTY {
		return runMockTUI(env, m, clock, intro)
	}
	out := env.IO.Out
	fmt.Fprint(out, intro)
	fmt.Fprintln(out, "Answer out loud, then press Enter for the answer; rate 1-4; q stops.")
	in := newLineReader(env.IO.In)
	read := func(prompt string) (string, bool) {
		if env.IO.InTTY {
			fmt.Fprint(out, prompt)
		}
		line, ok := in.next()
		if !ok && env.IO.InTTY {
			fmt.Fprintln(out)
		}
		return strings.TrimSpace(line), ok
	}
	finish := func() error {
		fmt.Fprint(out, mockSummaryText(m.Summary()))
		return in.err
	}
	for {
		c, err := m.Next()
		if err != nil {
			return err
		}
		if c == nil {
			return finish()
		}
		printMockFront(out, c)
		revealed := false
	card:
		for {
			prompt := "[Enter when you have answered] > "
			if revealed {
				prompt = "rating (1-4) > "
			}
			line, ok := read(prompt)
			if !ok {
				return finish()
			}
			at := clock() // the line read: the answer ends here
			if r, isRating := fsrs.ParseRating(line); isRating {
				if !revealed {
					fmt.Fprintf(out, "answered in %s\n", m.Reveal(c, at).Round(time.Second))
				}
				st, err := m.Answer(c, r, at)
				if errors.Is(err, review.ErrSkipped) {
					fmt.Fprintln(out, err)
					break card
				}
				if err != nil {
					return err
				}
				fmt.Fprintf(out, "recorded %s/%s %s (mock): %s, due %s\n", c.Card.Deck, c.Card.ID, ratingName(r), stateName(st),
					fsrs.FormatWhen(st.Due, env.Now(), m.Zone()))
				break card
			}
			switch line {
			case "":
				if !revealed {
					fmt.Fprintf(out, "answered in %s\n", m.Reveal(c, at).Round(time.Second))
					fmt.Fprintf(out, "A:\n%s\n", strings.TrimRight(c.Card.Back, "\n"))
					if tags := visibleTags(c.Card); tags != "" {
						fmt.Fprintf(out, "tags: %s\n", tags)
					}
					fmt.Fprintln(out, previewButtons(c.Previews))
					revealed = true
					continue
				}
			case "q", "quit":
				return finish()
			}
			if revealed {
				fmt.Fprintln(out, "type 1-4 or again, hard, good, easy (or q to stop)")
			} else {
				fmt.Fprintln(out, "press Enter when you have answered (or q to stop)")
			}
		}
	}
}

func mockScopeText(sc review.MockScope) string {
	if t := sc.String(); t != "" {
		return " (" + t + ")"
	}
	return ""
}

// printMockFront is a card's header and question: which question of the
// mock it is, and which of its probes.
func printMockFront(w io.Writer, c *review.MockCard) {
	where := fmt.Sprintf("question %d", c.Question)
	if c.FollowUp > 0 {
		where += fmt.Sprintf(", probe %d of %d", c.FollowUp, c.FollowUps)
	}
	state := "new"
	if c.HadState {
		state = stateName(c.State)
	}
	fmt.Fprintf(w, "\n── %s · %s/%s · %s · %s ──\n", where, c.Card.Deck, c.Card.ID, c.Card.Kind, state)
	fmt.Fprintf(w, "Q: %s\n", c.Card.Front)
}

// mockSummaryText is the report at the end of a mock: each question and
// probe with its answer time and rating, the ones that went badly, and
// the total time.
func mockSummaryText(s review.MockSummary) string {
	var b strings.Builder
	why := "stopped"
	switch {
	case s.Finished:
		why = "every question in scope asked"
	case s.OutOfTime:
		why = "time is up"
	}
	fmt.Fprintf(&b, "\nMock interview over (%s): %s, %s, in %s.\n", why, count(s.Questions, "question"),
		count(len(s.Answers), "answer"), s.Time.Round(time.Second))
	if len(s.Answers) == 0 {
		return b.String()
	}
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	for _, a := range s.Answers {
		where := fmt.Sprintf("question %d", a.Question)
		if a.FollowUp > 0 {
			where = fmt.Sprintf("  probe %d", a.FollowUp)
		}
		fmt.Fprintf(tw, "  %s\t%s/%s\t%s\t%s\n", where, a.Card.Deck, a.Card.ID, a.Answered.Round(time.Second), ratingName(a.Rating))
	}
	tw.Flush()
	var bad []string
	for _, a := range s.Answers {
		if a.Bad() {
			bad = append(bad, fmt.Sprintf("  %s/%s %s: %s", a.Card.Deck, a.Card.ID, ratingName(a.Rating), truncate(a.Card.Front, 70)))
		}
	}
	if len(bad) == 0 {
		b.WriteString("Nothing went badly (no again or hard).\n")
	} else {
		fmt.Fprintf(&b, "Went badly (again or hard): %d\n%s\n", len(bad), strings.Join(bad, "\n"))
	}
	if len(s.Skipped) > 0 {
		fmt.Fprintf(&b, "Skipped (changed in another session): %s.\n", strings.Join(s.Skipped, ", "))
	}
	return b.String()
}
