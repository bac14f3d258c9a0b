package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/srs-tool/srs/prep"
	"github.com/srs-tool/srs/store"
)

// planOptions are `srs plan`'s: what to do (list, add, remove) and, for
// add, the plan.
type planOptions struct {
	Env  *Env
	Verb string
	Args []string
	Plan store.Plan
	JSON bool
	// Given names the flags typed, which only add takes (but --json).
	Given []string
}

func planCommand(env **Env) *cli.Command {
	return &cli.Command{
		Name:      "plan",
		Usage:     "prepare for an interview date: add, list or remove dates, and how ready you are",
		ArgsUsage: "[list] | add DATE | remove DATE|ID",
		Description: "srs plan add 2026-12-20 --loop system-design,debugging [--topic T] [--deck D] [--minutes 30] [--target 0.9]\n" +
			"paces the cards in scope (a deck, loop:NAME and topic:NAME tags) so that every one is introduced\n" +
			"3 days before the date and recalled on the day, within the minutes a day. Several dates are allowed.\n" +
			"srs plan (or srs plan list) shows each date's readiness per topic and loop; srs plan remove DATE|ID.",
		Flags: []cli.Flag{
			&cli.StringSliceFlag{Name: "loop", Usage: "add: cards tagged loop:NAME, any of these (comma-separated)"},
			&cli.StringSliceFlag{Name: "topic", Usage: "add: cards tagged topic:NAME, any of these (comma-separated)"},
			&cli.StringFlag{Name: "deck", Usage: "add: cards of this deck only"},
			&cli.IntFlag{Name: "minutes", Value: prep.DefaultMinutes, Usage: "add: minutes a day for it"},
			&cli.Float64Flag{Name: "target", Value: prep.DefaultTarget, Usage: "add: predicted recall wanted on the day (0-1)"},
			&cli.StringFlag{Name: "name", Usage: "add: what to call it (\"staff loop\")"},
			&cli.BoolFlag{Name: "json", Usage: "print JSON"},
		},
		Action: func(c *cli.Context) error {
			o := &planOptions{Env: *env, JSON: c.Bool("json"), Verb: "list"}
			if c.NArg() > 0 {
				o.Verb, o.Args = c.Args().First(), c.Args().Tail()
			}
			for _, name := range []string{"loop", "topic", "deck", "minutes", "target", "name"} {
				if c.IsSet(name) {
					o.Given = append(o.Given, name)
				}
			}
			o.Plan = store.Plan{Deck: c.String("deck"), Loops: c.StringSlice("loop"), Topics: c.StringSlice("topic"),
				Minutes: c.Int("minutes"), Target: c.Float64("target"), Name: strings.TrimSpace(c.String("name"))}
			return runPlan(o)
		},
	}
}

func runPlan(o *planOptions) error {
	if o.Verb != "add" && len(o.Given) > 0 {
		return usageError{fmt.Errorf("plan %s: --%s is for plan add", o.Verb, o.Given[0])}
	}
	switch o.Verb {
	case "list":
		if len(o.Args) > 0 {
			return usageError{fmt.Errorf("plan list takes no arguments")}
		}
		return listPlans(o)
	case "add":
		if len(o.Args) != 1 {
			return usageError{fmt.Errorf("plan add takes one DATE (YYYY-MM-DD)")}
		}
		return addPlan(o)
	case "remove", "rm":
		if len(o.Args) != 1 {
			return usageError{fmt.Errorf("plan remove takes one DATE or plan ID")}
		}
		return removePlan(o)
	}
	return usageError{fmt.Errorf("plan %q: want list, add DATE or remove DATE|ID", o.Verb)}
}

func addPlan(o *planOptions) error {
	p := o.Plan
	p.Date = o.Args[0]
	now := o.Env.Now()
	return o.Env.with(func(s *store.Store) error {
		// The checks read the user's cards and day; the plan is then
		// written in a transaction of its own, which checks the deck
		// again.
		if err := s.Read(o.Env.User, func(r *store.Reader) error { return prep.Check(r, p, now) }); err != nil {
			return fmt.Errorf("plan add: %w", err)
		}
		p, err := s.AddPlan(o.Env.User, p, now)
		if err != nil {
			return fmt.Errorf("plan add: %w", err)
		}
		var all []*prep.Readiness
		var rd *prep.Readiness
		if err := s.Read(o.Env.User, func(r *store.Reader) (err error) {
			all, err = prep.ReadAll(r, now)
			return err
		}); err != nil {
			return err
		}
		for _, x := range all {
			if x.Plan.ID == p.ID {
				rd = x
			}
		}
		if o.JSON {
			return writeJSON(o.Env.IO.Out, rd)
		}
		fmt.Fprintf(o.Env.IO.Out, "added plan %d: %s\n", p.ID, planLine(rd))
		if len(all) > 1 {
			fmt.Fprintf(o.Env.IO.Out, "%s in all; a card in the scope of several is paced for the earliest date\n", count(len(all), "plan"))
		}
		return nil
	})
}

func removePlan(o *planOptions) error {
	arg := o.Args[0]
	return o.Env.with(func(s *store.Store) error {
		var ids []uint64
		if id, err := strconv.ParseUint(arg, 10, 64); err == nil {
			ids = []uint64{id}
		} else if _, err := time.Parse(store.DateLayout, arg); err == nil {
			ps, err := s.Plans(o.Env.User)
			if err != nil {
				return err
			}
			for _, p := range ps {
				if p.Date == arg {
					ids = append(ids, p.ID)
				}
			}
			if len(ids) == 0 {
				return fmt.Errorf("plan remove: no plan for %s; `srs plan` lists them", arg)
			}
		} else {
			return usageError{fmt.Errorf("plan remove %q: want a date (YYYY-MM-DD) or a plan ID", arg)}
		}
		for _, id := range ids {
			p, err := s.RemovePlan(o.Env.User, id)
			if errors.Is(err, store.ErrNoPlan) || errors.Is(err, store.ErrNoUser) {
				return fmt.Errorf("plan remove: no plan %d; `srs plan` lists them", id)
			}
			if err != nil {
				return fmt.Errorf("plan remove: %w", err)
			}
			fmt.Fprintf(o.Env.IO.Out, "removed plan %d: %s %s\n", p.ID, prep.Label(p), p.Date)
		}
		return nil
	})
}

func listPlans(o *planOptions) error {
	rd, err := readiness(o.Env)
	if err != nil {
		return err
	}
	if o.JSON {
		if rd == nil {
			rd = []*prep.Readiness{}
		}
		return writeJSON(o.Env.IO.Out, rd)
	}
	if len(rd) == 0 {
		fmt.Fprintln(o.Env.IO.Out, "no plans; `srs plan add DATE` prepares for one")
		return nil
	}
	writeReadiness(o.Env.IO.Out, rd)
	return nil
}

// readiness is every plan's readiness for the user at now.
func readiness(env *Env) ([]*prep.Readiness, error) {
	var rd []*prep.Readiness
	err := env.with(func(s *store.Store) error {
		return s.Read(env.User, func(r *store.Reader) (err error) {
			rd, err = prep.ReadAll(r, env.Now())
			return err
		})
	})
	if errors.Is(err, store.ErrNoUser) {
		return nil, nil
	}
	return rd, err
}

// planLine is a plan in one line: `staff loop 2026-12-20: 19 days,
// 88/136 introduced, recall on the day 0.87 (target 0.90)`.
func planLine(r *prep.Readiness) string {
	head := fmt.Sprintf("%s %s", r.Label, r.Plan.Date)
	if r.DaysLeft < 1 {
		return head + ": past"
	}
	days := count(r.DaysLeft, "day")
	if r.DaysLeft == 1 {
		days = "tomorrow"
	}
	if r.Introduced == 0 {
		return fmt.Sprintf("%s: %s, %d/%d introduced (target recall %.2f)", head, days, r.Introduced, r.InScope, r.Plan.Target)
	}
	return fmt.Sprintf("%s: %s, %d/%d introduced, recall on the day %.2f (target %.2f)",
		head, days, r.Introduced, r.InScope, r.Recall, r.Plan.Target)
}

// writeReadiness prints each plan: its line, what it asks for, and its
// readiness over all its cards, each topic and each loop.
func writeReadiness(w io.Writer, rd []*prep.Readiness) {
	for i, r := range rd {
		if i > 0 {
			fmt.Fprintln(w)
		}
		fmt.Fprintf(w, "plan %d: %s\n", r.Plan.ID, planLine(r))
		if r.DaysLeft < 1 {
			continue
		}
		scope := []string{}
		if r.Plan.Deck != "" {
			scope = append(scope, "deck "+r.Plan.Deck)
		}
		if len(r.Plan.Loops) > 0 {
			scope = append(scope, "loops "+strings.Join(r.Plan.Loops, ", "))
		}
		if len(r.Plan.Topics) > 0 {
			scope = append(scope, "topics "+strings.Join(r.Plan.Topics, ", "))
		}
		if len(scope) == 0 {
			scope = append(scope, "every deck")
		}
		fmt.Fprintf(w, "  %s; %d minutes a day, %.0f s an answer; minutes a day needed to reach the target:\n",
			strings.Join(scope, "; "), r.Plan.Minutes, r.Costs.Seconds)
		// Names left-aligned (padded to one width), numbers right.
		width := len("all")
		for _, s := range r.Topics {
			width = max(width, len("topic:"+s.Name))
		}
		for _, s := range r.Loops {
			width = max(width, len("loop:"+s.Name))
		}
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintf(tw, "  %-*s\tintroduced\trecall on the day\tminutes a day\t\n", width, "")
		row := func(name string, s prep.Score) {
			recall := "-"
			if s.Introduced > 0 {
				recall = fmt.Sprintf("%.2f", s.Recall)
			}
			fmt.Fprintf(tw, "  %-*s\t%d/%d\t%s\t%.1f\t\n", width, name, s.Introduced, s.InScope, recall, s.Minutes)
		}
		row("all", r.Score)
		for _, s := range r.Topics {
			row("topic:"+s.Name, s)
		}
		for _, s := range r.Loops {
			row("loop:"+s.Name, s)
		}
		tw.Flush()
	}
}

// aheadOnly keeps the plans whose date is ahead.
func aheadOnly(rd []*prep.Readiness, err error) ([]*prep.Readiness, error) {
	var out []*prep.Readiness
	for _, r := range rd {
		if r.DaysLeft >= 1 {
			out = append(out, r)
		}
	}
	return out, err
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
