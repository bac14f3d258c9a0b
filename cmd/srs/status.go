package main

import (
	"encoding/json"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/srs-tool/srs/fsrs"
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

func runStatus(o *statusOptions) error {
	now := o.Env.Now()
	var st *store.Status
	var loc *time.Location
	if err := o.Env.with(func(s *store.Store) (err error) {
		if st, err = s.Status(o.Env.User, now); err != nil {
			return err
		}
		loc, err = userZone(s, o.Env.User)
		return err
	}); err != nil {
		return err
	}
	out := o.Env.IO.Out
	if o.JSON {
		// The contract's keys new/learning/review sit at the top level
		// (the totals), with the per-deck breakdown beside them.
		v := struct {
			store.Counts
			*store.Status
		}{st.Total, st}
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		return enc.Encode(v)
	}
	fmt.Fprintf(out, "%s, %s (day ends %s)\n\n", st.User, fsrs.FormatTime(now, loc), fsrs.FormatTime(st.DayEnd, loc))
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "deck\tnew\tlearning\treview\t")
	for _, d := range st.Decks {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t\n", d.Deck, d.New, d.Learning, d.Review)
	}
	fmt.Fprintf(tw, "total today\t%d\t%d\t%d\t\n", st.Total.New, st.Total.Learning, st.Total.Review)
	tw.Flush()
	fmt.Fprintf(out, "\ndone today: %s, %s\n", count(st.DoneNew, "new card"), count(st.DoneRev, "review"))
	switch {
	case st.Total.New+st.Total.Learning+st.Total.Review > 0:
		fmt.Fprintln(out, "run `srs review` to start")
	case !st.NextDue.IsZero():
		fmt.Fprintf(out, "nothing due now; next card due %s\n", fsrs.FormatWhen(st.NextDue, now, loc))
	default:
		fmt.Fprintln(out, "nothing due")
	}
	return nil
}
