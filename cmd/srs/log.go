package main

import (
	"encoding/json"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/srs-tool/srs/deck"
	"github.com/srs-tool/srs/fsrs"
	"github.com/srs-tool/srs/store"
)

func logCommand(env **Env) *cli.Command {
	return &cli.Command{
		Name:  "log",
		Usage: "your review history, newest first",
		Flags: []cli.Flag{
			&cli.IntFlag{Name: "limit", Value: 20, Usage: "show at most `N` entries (0: all)"},
			&cli.BoolFlag{Name: "json", Usage: "print one JSON object per line, oldest first"},
		},
		Action: func(c *cli.Context) error {
			return runLog(*env, c.Int("limit"), c.Bool("json"))
		},
	}
}

// logJSON is one review-log entry as `srs log --json` prints it.
type logJSON struct {
	Key        string  `json:"key"`
	Time       string  `json:"time"`
	Deck       string  `json:"deck"`
	ID         string  `json:"id"`
	Action     string  `json:"action"`
	Rating     int     `json:"rating,omitempty"`
	DurationMS int64   `json:"duration_ms"`
	StateFrom  string  `json:"state_before"`
	StateTo    string  `json:"state_after"`
	DueTo      string  `json:"due_after"`
	Stability  float64 `json:"stability_after"`
	Difficulty float64 `json:"difficulty_after"`
	Mock       bool    `json:"mock,omitempty"` // a rating given in a mock interview
}

func newLogJSON(e store.Entry) logJSON {
	d, id := deck.SplitKey(e.Card)
	before := "none"
	if e.HadState {
		before = stateName(e.Before)
	}
	return logJSON{Key: e.Key.String(), Time: e.Time().UTC().Format(time.RFC3339Nano), Deck: d, ID: id,
		Action: e.Action.String(), Rating: int(e.Rating), DurationMS: e.Duration.Milliseconds(),
		StateFrom: before, StateTo: stateName(e.After), DueTo: e.After.Due.UTC().Format(time.RFC3339),
		Stability: e.After.Stability, Difficulty: e.After.Difficulty, Mock: e.Mock}
}

// didName is what an entry did, as the log listings say it: the action,
// or the rating, marked "(mock)" when given in a mock interview.
func didName(e store.Entry) string {
	if e.Action != store.ActRate {
		return e.Action.String()
	}
	if e.Mock {
		return ratingName(e.Rating) + " (mock)"
	}
	return ratingName(e.Rating)
}

func runLog(env *Env, limit int, asJSON bool) error {
	var entries []store.Entry
	var loc *time.Location
	err := env.with(func(s *store.Store) (err error) {
		if loc, err = userZone(s, env.User); err != nil {
			return err
		}
		return s.EachEntry(env.User, !asJSON, func(e store.Entry) error {
			if !asJSON && limit > 0 && len(entries) >= limit {
				return store.ErrStop
			}
			entries = append(entries, e)
			return nil
		})
	})
	if err != nil {
		return err
	}
	out := env.IO.Out
	if asJSON {
		enc := json.NewEncoder(out)
		for _, e := range entries {
			if err := enc.Encode(newLogJSON(e)); err != nil {
				return err
			}
		}
		return nil
	}
	if len(entries) == 0 {
		fmt.Fprintln(out, "no reviews yet")
		return nil
	}
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "time\tcard\tdid\ttook\tnow\tdue")
	for _, e := range entries {
		d, id := deck.SplitKey(e.Card)
		did := didName(e)
		due := "-"
		if e.After.State != fsrs.New {
			due = fsrs.FormatTime(e.After.Due, loc)
		}
		fmt.Fprintf(tw, "%s\t%s/%s\t%s\t%s\t%s\t%s\n", fsrs.FormatTime(e.Time(), loc), d, id, did,
			e.Duration.Round(time.Second), stateName(e.After), due)
	}
	return tw.Flush()
}
