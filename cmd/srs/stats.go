package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/srs-tool/srs/prep"
	"github.com/srs-tool/srs/queue"
	"github.com/srs-tool/srs/store"
)

func statsCommand(env **Env) *cli.Command {
	return &cli.Command{
		Name:  "stats",
		Usage: "retention, activity, forecast and weakest topics",
		Flags: []cli.Flag{&cli.BoolFlag{Name: "json", Usage: "print JSON"}},
		Action: func(c *cli.Context) error {
			return runStats(*env, c.Bool("json"))
		},
	}
}

// statsJSON is `srs stats --json`: the history the store keeps, with
// today as the queue counts it and the forecast.
type statsJSON struct {
	*store.Stats
	DueToday queue.Counts     `json:"due_today"` // what today holds, as srs status counts it
	Forecast []store.DayCount `json:"forecast"`  // cards due on each of the next 7 days, today first
	// Plans are the readiness of each plan whose date is ahead.
	Plans []*prep.Readiness `json:"plans,omitempty"`
}

func runStats(env *Env, asJSON bool) error {
	now := env.Now()
	var st statsJSON
	var loc *time.Location
	if err := env.with(func(s *store.Store) (err error) {
		if st.Stats, err = s.Stats(env.User, now); err != nil {
			return err
		}
		return s.Read(env.User, func(r *store.Reader) error {
			t, err := queue.Build(r, now, queue.Options{})
			if err != nil {
				return err
			}
			loc, st.DueToday = t.Scheduler.Location(), t.Counts
			if st.Forecast, err = queue.Forecast(r, t, 7); err != nil {
				return err
			}
			st.Plans, err = aheadOnly(prep.ReadAll(r, now))
			return err
		})
	}); err != nil {
		return err
	}
	out := env.IO.Out
	if asJSON {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		return enc.Encode(st)
	}
	fmt.Fprintf(out, "%s: %s of %s today, %d in 7 days, %d in 30 days (%s)\n",
		st.User, count(st.Today, "rating"), count(st.TodayCards, "card"), st.Week, st.Month, st.TimeMonth.Round(time.Minute))
	if st.MockMonth > 0 {
		fmt.Fprintf(out, "mock interviews, last 30 days: %s\n", count(st.MockMonth, "rating"))
	}
	if st.RetentionSample > 0 {
		fmt.Fprintf(out, "retention, last 30 days: %.0f%% of %s of learned cards (desired %.0f%%)\n",
			st.Retention*100, count(st.RetentionSample, "review"), st.Target*100)
	} else {
		fmt.Fprintln(out, "retention: no reviews of learned cards in the last 30 days yet")
	}
	fmt.Fprintf(out, "cards: %d not yet introduced, %d learning, %d in review, %d suspended\n",
		st.Cards.New, st.Cards.Learning, st.Cards.Review, st.Cards.Suspended)
	fmt.Fprintf(out, "activity, last 14 days: %s\n", sparkline(st.Activity))
	var fc []string
	for i, d := range st.Forecast {
		name := d.Day.In(loc).Format("Mon")
		if i == 0 {
			name = "today"
		}
		fc = append(fc, fmt.Sprintf("%s %d", name, d.Count))
		if i == 0 && st.DueToday.New > 0 {
			fc[0] += fmt.Sprintf(" (+%d new)", st.DueToday.New)
		}
	}
	fmt.Fprintf(out, "due, next 7 days: %s\n", strings.Join(fc, ", "))
	if len(st.Weakest) > 0 {
		var ws []string
		for _, w := range st.Weakest {
			ws = append(ws, fmt.Sprintf("%s %.0f%% (%d)", w.Tag, w.Retention*100, w.Reviews))
		}
		fmt.Fprintf(out, "weakest topics, last 90 days: %s\n", strings.Join(ws, ", "))
	}
	if len(st.Plans) > 0 {
		fmt.Fprintln(out)
		writeReadiness(out, st.Plans)
	}
	return nil
}

// sparkline draws counts as block characters, with the total after.
func sparkline(days []store.DayCount) string {
	bars := []rune("▁▂▃▄▅▆▇█")
	top, total := 0, 0
	for _, d := range days {
		top = max(top, d.Count)
		total += d.Count
	}
	var b strings.Builder
	for _, d := range days {
		switch {
		case d.Count == 0:
			b.WriteRune('·')
		default:
			b.WriteRune(bars[(d.Count*(len(bars)-1)+top-1)/top])
		}
	}
	return fmt.Sprintf("%s  (%s)", b.String(), count(total, "rating"))
}
