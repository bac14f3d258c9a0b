package main

import (
	"encoding/json"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/srs-tool/srs/fsrs"
	"github.com/srs-tool/srs/prep"
	"github.com/srs-tool/srs/queue"
	"github.com/srs-tool/srs/store"
)

type statusOptions struct {
	Env  *Env
	JSON bool
}

func statusCommand(env **Env) *cli.Command {
	return &cli.Command{
		Name:  "status",
		Usage: "what is left to review today, per deck",
		Flags: []cli.Flag{&cli.BoolFlag{Name: "json", Usage: "print JSON"}},
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return usageError{fmt.Errorf("status takes no arguments")}
			}
			return runStatus(&statusOptions{Env: *env, JSON: c.Bool("json")})
		},
	}
}

// statusJSON is `srs status --json`. The contract's keys new, learning
// and review sit at the top level (the totals), with the per-deck
// breakdown beside them.
type statusJSON struct {
	queue.Counts
	User    string             `json:"user"`
	Now     time.Time          `json:"now"`
	DayEnd  time.Time          `json:"day_end"`
	Total   queue.Counts       `json:"total"`
	DoneNew int                `json:"done_new"`
	DoneRev int                `json:"done_review"`
	NextDue time.Time          `json:"next_due,omitzero"`
	Decks   []queue.DeckCounts `json:"decks"`
	Plans   []statusPlan       `json:"plans,omitempty"`  // dates ahead: the countdown
	Budget  *queue.Budget      `json:"budget,omitempty"` // minutes_per_day, when set
}

// statusPlan is a plan's countdown in `srs status --json`.
type statusPlan struct {
	ID         uint64  `json:"id"`
	Label      string  `json:"label"`
	Date       string  `json:"date"`
	DaysLeft   int     `json:"days_left"`
	InScope    int     `json:"in_scope"`
	Introduced int     `json:"introduced"`
	Recall     float64 `json:"recall_on_day"`
	Target     float64 `json:"target"`
}

func runStatus(o *statusOptions) error {
	now := o.Env.Now()
	var t *queue.Today
	var plans []*prep.Readiness
	if err := o.Env.with(func(s *store.Store) error {
		return s.Read(o.Env.User, func(r *store.Reader) (err error) {
			if t, err = queue.Build(r, now, queue.Options{}); err != nil {
				return err
			}
			plans, err = prep.ReadAll(r, now)
			return err
		})
	}); err != nil {
		return err
	}
	loc := t.Scheduler.Location()
	out := o.Env.IO.Out
	if o.JSON {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		var ps []statusPlan
		for _, r := range plans {
			if r.DaysLeft >= 1 {
				ps = append(ps, statusPlan{ID: r.Plan.ID, Label: r.Label, Date: r.Plan.Date, DaysLeft: r.DaysLeft,
					InScope: r.InScope, Introduced: r.Introduced, Recall: r.Recall, Target: r.Plan.Target})
			}
		}
		return enc.Encode(statusJSON{Counts: t.Counts, User: o.Env.User, Now: now, DayEnd: t.Day.End, Total: t.Counts,
			DoneNew: t.DoneNew, DoneRev: t.DoneReview, NextDue: t.NextDue, Decks: t.Decks, Plans: ps, Budget: t.Budget})
	}
	fmt.Fprintf(out, "%s, %s (day ends %s)\n\n", o.Env.User, fsrs.FormatTime(now, loc), fsrs.FormatTime(t.Day.End, loc))
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "deck\tnew\tlearning\treview\t")
	for _, d := range t.Decks {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t\n", d.Deck, d.New, d.Learning, d.Review)
	}
	fmt.Fprintf(tw, "total today\t%d\t%d\t%d\t\n", t.Counts.New, t.Counts.Learning, t.Counts.Review)
	tw.Flush()
	fmt.Fprintf(out, "\ndone today: %s, %s\n", count(t.DoneNew, "new card"), count(t.DoneReview, "review"))
	if b := t.Budget; b != nil {
		fmt.Fprintln(out, budgetLine(b))
	}
	switch {
	case len(t.Show()) > 0:
		fmt.Fprintln(out, "run `srs review` to start")
	case !t.NextDue.IsZero():
		fmt.Fprintf(out, "nothing due now; next card due %s\n", fsrs.FormatWhen(t.NextDue, now, loc))
	default:
		fmt.Fprintln(out, "nothing due")
	}
	for _, r := range plans {
		if r.DaysLeft >= 1 {
			fmt.Fprintln(out, planLine(r))
		}
	}
	return nil
}

// budgetLine says what minutes_per_day makes of today: the day's
// estimated minutes (done and to do) and the new cards it holds back.
func budgetLine(b *queue.Budget) string {
	line := fmt.Sprintf("minutes_per_day %d: today is about %.0f minutes at your answer times", b.Minutes, b.Seconds/60)
	if b.Held > 0 {
		line += fmt.Sprintf(", %s held back", count(b.Held, "new card"))
	}
	if b.Seconds > float64(b.Minutes)*60 {
		line += " (the reviews alone take longer; they are never held back)"
	}
	return line
}
