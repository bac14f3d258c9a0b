package main

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/srs-tool/srs/fsrs"
	"github.com/srs-tool/srs/store"
)

func settingsCommand(env **Env) *cli.Command {
	return &cli.Command{
		Name:      "settings",
		Usage:     "show or change your scheduling settings",
		ArgsUsage: "[KEY=VALUE...]",
		Description: "Keys: desired_retention (0-1), maximum_interval (days), new_per_day, reviews_per_day,\n" +
			"learning_steps and relearning_steps (durations, e.g. 1m,10m,1d), day_start_hour (0-23),\n" +
			"time_zone (IANA name, empty for the machine's), fuzz (true/false).\n" +
			"Changes apply from now on; reviews already made keep the settings they were made under.",
		Flags: []cli.Flag{&cli.BoolFlag{Name: "json", Usage: "print JSON"}},
		Action: func(c *cli.Context) error {
			return runSettings(*env, c.Args().Slice(), c.Bool("json"))
		},
	}
}

func runSettings(env *Env, args []string, asJSON bool) error {
	return env.with(func(s *store.Store) error {
		st, err := s.Settings(env.User)
		if err != nil {
			return err
		}
		if len(args) > 0 {
			for _, a := range args {
				key, val, ok := strings.Cut(a, "=")
				if !ok {
					return usageError{fmt.Errorf("settings: %q is not KEY=VALUE", a)}
				}
				if err := setField(&st, strings.TrimSpace(key), strings.TrimSpace(val)); err != nil {
					return fmt.Errorf("settings: %w", err)
				}
			}
			if err := s.SetSettings(env.User, st, env.Now()); err != nil {
				return fmt.Errorf("settings: %w", err)
			}
		}
		if asJSON {
			return json.NewEncoder(env.IO.Out).Encode(settingsJSON{Settings: st,
				LearningSteps: stepList(st.LearningSteps), RelearningSteps: stepList(st.RelearningSteps)})
		}
		tw := tabwriter.NewWriter(env.IO.Out, 0, 0, 2, ' ', 0)
		zone := st.TimeZone
		if zone == "" {
			zone = "(this machine's: " + time.Local.String() + ")"
		}
		for _, row := range [][2]string{
			{"desired_retention", strconv.FormatFloat(st.DesiredRetention, 'f', -1, 64)},
			{"maximum_interval", strconv.Itoa(st.MaximumInterval) + " days"},
			{"new_per_day", strconv.Itoa(st.NewPerDay)},
			{"reviews_per_day", strconv.Itoa(st.ReviewsPerDay)},
			{"learning_steps", steps(st.LearningSteps)},
			{"relearning_steps", steps(st.RelearningSteps)},
			{"day_start_hour", strconv.Itoa(st.DayStartHour)},
			{"time_zone", zone},
			{"fuzz", strconv.FormatBool(st.Fuzz)},
			{"weights", weightsInForce(st)},
		} {
			fmt.Fprintf(tw, "%s\t%s\n", row[0], row[1])
		}
		return tw.Flush()
	})
}

// weightsInForce says which FSRS-6 weights schedule the user's reviews:
// the defaults, those an import adopted from Anki's deck options, or
// those `srs optimize` fitted, when and to how much.
func weightsInForce(st fsrs.Settings) string {
	switch {
	case len(st.Weights) == 0:
		return "FSRS-6 defaults"
	case st.FittedAt.IsZero() && st.WeightsFrom != "":
		return "from " + st.WeightsFrom + ": " + formatWeights(st.Weights)
	case st.FittedAt.IsZero():
		return "custom: " + formatWeights(st.Weights)
	}
	when := st.FittedAt.Format(time.RFC3339)
	if loc, err := st.Location(); err == nil {
		when = fsrs.FormatTime(st.FittedAt, loc)
	}
	return fmt.Sprintf("fitted %s to %d reviews: %s", when, st.FittedReviews, formatWeights(st.Weights))
}

// settingsJSON is `srs settings --json`: the settings, with steps as the
// strings a user types ("1m", "1d"), not nanoseconds.
type settingsJSON struct {
	fsrs.Settings
	LearningSteps   []string `json:"learning_steps"`
	RelearningSteps []string `json:"relearning_steps"`
}

func steps(ds []time.Duration) string { return strings.Join(stepList(ds), ",") }

// stepList writes steps as users type them: "1d", "12h", "10m", "30s".
func stepList(ds []time.Duration) []string {
	parts := []string{}
	for _, d := range ds {
		parts = append(parts, formatStep(d))
	}
	return parts
}

func formatStep(d time.Duration) string {
	for _, u := range []struct {
		unit time.Duration
		name string
	}{{24 * time.Hour, "d"}, {time.Hour, "h"}, {time.Minute, "m"}, {time.Second, "s"}} {
		if d%u.unit == 0 {
			return strconv.FormatInt(int64(d/u.unit), 10) + u.name
		}
	}
	return d.String()
}

// parseStep reads a step as formatStep writes it, or any Go duration
// ("1h30m"); "d" is a day of 24 hours, as a step of days counts whole
// days anyway.
func parseStep(s string) (time.Duration, error) {
	if n, ok := strings.CutSuffix(s, "d"); ok {
		days, err := strconv.ParseFloat(n, 64)
		if err != nil || days <= 0 || days > 36500 {
			return 0, fmt.Errorf("bad days %q", s)
		}
		return time.Duration(days * float64(24*time.Hour)), nil
	}
	return time.ParseDuration(s)
}

// setField sets one setting from text; Validate (in SetSettings) then
// checks the ranges and names the field.
func setField(st *fsrs.Settings, key, val string) error {
	num := func() (int, error) {
		n, err := strconv.Atoi(val)
		if err != nil {
			return 0, fmt.Errorf("%s %q: not a whole number", key, val)
		}
		return n, nil
	}
	var err error
	switch key {
	case "desired_retention":
		if st.DesiredRetention, err = strconv.ParseFloat(val, 64); err != nil {
			return fmt.Errorf("%s %q: not a number", key, val)
		}
	case "maximum_interval":
		st.MaximumInterval, err = num()
	case "new_per_day":
		st.NewPerDay, err = num()
	case "reviews_per_day":
		st.ReviewsPerDay, err = num()
	case "day_start_hour":
		st.DayStartHour, err = num()
	case "learning_steps", "relearning_steps":
		var ds []time.Duration
		for _, p := range strings.Split(val, ",") {
			if p = strings.TrimSpace(p); p == "" {
				continue
			}
			d, perr := parseStep(p)
			if perr != nil {
				return fmt.Errorf("%s %q: not durations like 1m,10m,1d", key, val)
			}
			ds = append(ds, d)
		}
		if key == "learning_steps" {
			st.LearningSteps = ds
		} else {
			st.RelearningSteps = ds
		}
	case "time_zone":
		st.TimeZone = val
	case "fuzz":
		if st.Fuzz, err = strconv.ParseBool(val); err != nil {
			return fmt.Errorf("%s %q: want true or false", key, val)
		}
	default:
		return fmt.Errorf("unknown setting %q", key)
	}
	if err != nil {
		return err
	}
	return st.Validate()
}
