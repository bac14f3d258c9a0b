package main

import (
	"encoding/json"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/urfave/cli/v2"

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
	if err := o.Env.with(func(s *store.Store) (err error) {
		st, err = s.Status(o.Env.User, now)
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
	fmt.Fprintf(out, "%s, %s (day ends %s)\n\n", st.User, now.Local().Format("Mon 2 Jan 15:04"), st.DayEnd.Local().Format("15:04"))
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "deck\tnew\tlearning\treview\t")
	for _, d := range st.Decks {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t\n", d.Deck, d.New, d.Learning, d.Review)
	}
	fmt.Fprintf(tw, "total today\t%d\t%d\t%d\t\n", st.Total.New, st.Total.Learning, st.Total.Review)
	tw.Flush()
	fmt.Fprintf(out, "\ndone today: %d new, %d reviews\n", st.DoneNew, st.DoneRev)
	switch {
	case st.Total.New+st.Total.Learning+st.Total.Review > 0:
		fmt.Fprintln(out, "run `srs review` to start")
	case !st.NextDue.IsZero():
		fmt.Fprintf(out, "nothing due now; next card due %s\n", when(st.NextDue, now))
	default:
		fmt.Fprintln(out, "nothing due")
	}
	return nil
}

// when renders a future time relative to now: "in 8m", "in 3h (15:04)",
// "Mon 30 Nov 09:00".
func when(t, now time.Time) string {
	d := t.Sub(now)
	switch {
	case d <= 0:
		return "now"
	case d < time.Hour:
		return fmt.Sprintf("in %dm", int(d.Minutes()+0.5))
	case d < 24*time.Hour:
		return fmt.Sprintf("in %dh (%s)", int(d.Hours()+0.5), t.Local().Format("15:04"))
	}
	return t.Local().Format("Mon 2 Jan 15:04")
}
