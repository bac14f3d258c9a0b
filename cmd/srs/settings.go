package main

import (
	"cmp"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
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
		Usage:     "show or change your scheduling settings, or a deck's limits",
		ArgsUsage: "[KEY=VALUE...]",
		Description: "Keys: desired_retention (0-1), maximum_interval (days), new_per_day, reviews_per_day,\n" +
			"learning_steps and relearning_steps (durations, e.g. 1m,10m,1d), day_start_hour (0-23),\n" +
			"time_zone (IANA name, empty for the machine's), fuzz (true/false), new_order (round-robin or deck),\n" +
			"new_ignores_review_limit (true/false), minutes_per_day (a daily time budget that holds new cards\n" +
			"back, 0-1440, 0 for none).\n" +
			"Changes apply from now on; reviews already made keep the settings they were made under.\n" +
			"With --deck D: that deck's own new_per_day and reviews_per_day (empty: yours apply again),\n" +
			"under your own limits over all decks.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "deck", Usage: "show or change the limits of this deck"},
			&cli.BoolFlag{Name: "json", Usage: "print JSON"},
		},
		Action: func(c *cli.Context) error {
			if d := c.String("deck"); d != "" {
				return runDeckSettings(*env, d, c.Args().Slice(), c.Bool("json"))
			}
			return runSettings(*env, c.Args().Slice(), c.Bool("json"))
		},
	}
}

// cutSetting splits a KEY=VALUE argument.
func cutSetting(a string) (key, val string, err error) {
	key, val, ok := strings.Cut(a, "=")
	if !ok {
		return "", "", usageError{fmt.Errorf("settings: %q is not KEY=VALUE", a)}
	}
	return strings.TrimSpace(key), strings.TrimSpace(val), nil
}

func runSettings(env *Env, args []string, asJSON bool) error {
	return env.with(func(s *store.Store) error {
		st, err := s.Settings(env.User)
		if err != nil {
			return err
		}
		if len(args) > 0 {
			for _, a := range args {
				key, val, err := cutSetting(a)
				if err != nil {
					return err
				}
				if err := setField(&st, key, val); err != nil {
					return fmt.Errorf("settings: %w", err)
				}
			}
			if err := s.SetSettings(env.User, st, env.Now()); err != nil {
				return fmt.Errorf("settings: %w", err)
			}
		}
		decks, err := s.DeckSettings(env.User)
		if err != nil {
			return err
		}
		if asJSON {
			return json.NewEncoder(env.IO.Out).Encode(settingsJSON{Settings: st, NewOrder: newOrder(st), MinutesPerDay: st.MinutesPerDay,
				LearningSteps: stepList(st.LearningSteps), RelearningSteps: stepList(st.RelearningSteps), Decks: decks})
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
			{"new_order", newOrder(st)},
			{"new_ignores_review_limit", strconv.FormatBool(st.NewIgnoresReviewLimit)},
			{"minutes_per_day", minutesPerDay(st.MinutesPerDay)},
			{"learning_steps", steps(st.LearningSteps)},
			{"relearning_steps", steps(st.RelearningSteps)},
			{"day_start_hour", strconv.Itoa(st.DayStartHour)},
			{"time_zone", zone},
			{"fuzz", strconv.FormatBool(st.Fuzz)},
			{"weights", weightsInForce(st)},
		} {
			fmt.Fprintf(tw, "%s\t%s\n", row[0], row[1])
		}
		for _, name := range slices.Sorted(maps.Keys(decks)) {
			fmt.Fprintf(tw, "deck %s\t%s\n", name, deckLimits(decks[name]))
		}
		return tw.Flush()
	})
}

// minutesPerDay says the daily time budget, or that there is none.
func minutesPerDay(m int) string {
	if m == 0 {
		return "0 (no budget)"
	}
	return strconv.Itoa(m) + " minutes"
}

// newOrder is the user's new_order, the default named.
func newOrder(st fsrs.Settings) string { return cmp.Or(st.NewOrder, fsrs.NewOrderRoundRobin) }

// deckLimits lists the limits a deck has of its own.
func deckLimits(d store.DeckSettings) string {
	var parts []string
	if d.NewPerDay != nil {
		parts = append(parts, "new_per_day "+strconv.Itoa(*d.NewPerDay))
	}
	if d.ReviewsPerDay != nil {
		parts = append(parts, "reviews_per_day "+strconv.Itoa(*d.ReviewsPerDay))
	}
	return strings.Join(parts, ", ")
}

// deckSettingsJSON is `srs settings --deck D --json`: the deck's own
// limits (null where the user's apply) and the user's.
type deckSettingsJSON struct {
	Deck              string `json:"deck"`
	NewPerDay         *int   `json:"new_per_day"`
	ReviewsPerDay     *int   `json:"reviews_per_day"`
	UserNewPerDay     int    `json:"user_new_per_day"`
	UserReviewsPerDay int    `json:"user_reviews_per_day"`
}

// runDeckSettings shows or changes a deck's own limits. They need no
// history (they change no schedule), so they are stored as they are now.
func runDeckSettings(env *Env, name string, args []string, asJSON bool) error {
	return env.with(func(s *store.Store) error {
		if _, err := s.DeckInfo(name); err != nil {
			return err
		}
		st, err := s.Settings(env.User)
		if err != nil {
			return err
		}
		all, err := s.DeckSettings(env.User)
		if err != nil {
			return err
		}
		d := all[name]
		if len(args) > 0 {
			for _, a := range args {
				key, val, err := cutSetting(a)
				if err != nil {
					return err
				}
				if err := setDeckField(&d, key, val); err != nil {
					return fmt.Errorf("settings --deck %s: %w", name, err)
				}
			}
			if err := s.SetDeckSettings(env.User, name, d, env.Now()); err != nil {
				return fmt.Errorf("settings --deck %s: %w", name, err)
			}
		}
		if asJSON {
			return json.NewEncoder(env.IO.Out).Encode(deckSettingsJSON{Deck: name, NewPerDay: d.NewPerDay, ReviewsPerDay: d.ReviewsPerDay,
				UserNewPerDay: st.NewPerDay, UserReviewsPerDay: st.ReviewsPerDay})
		}
		limit := func(own *int, user int) string {
			if own == nil {
				return strconv.Itoa(user) + " (yours: the deck has no limit of its own)"
			}
			return fmt.Sprintf("%d (under yours of %d over all decks)", *own, user)
		}
		tw := tabwriter.NewWriter(env.IO.Out, 0, 0, 2, ' ', 0)
		fmt.Fprintf(tw, "deck\t%s\n", name)
		fmt.Fprintf(tw, "new_per_day\t%s\n", limit(d.NewPerDay, st.NewPerDay))
		fmt.Fprintf(tw, "reviews_per_day\t%s\n", limit(d.ReviewsPerDay, st.ReviewsPerDay))
		return tw.Flush()
	})
}

// setDeckField sets one of a deck's limits from text; an empty value
// removes it, so the user's own applies again.
func setDeckField(d *store.DeckSettings, key, val string) error {
	var p **int
	switch key {
	case "new_per_day":
		p = &d.NewPerDay
	case "reviews_per_day":
		p = &d.ReviewsPerDay
	default:
		return fmt.Errorf("%q is not a deck setting (a deck has new_per_day and reviews_per_day; the rest are yours: srs settings)", key)
	}
	if val == "" {
		*p = nil
		return nil
	}
	n, err := strconv.Atoi(val)
	if err != nil {
		return fmt.Errorf("%s %q: not a whole number", key, val)
	}
	*p = &n
	return d.Validate()
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
	NewOrder        string                        `json:"new_order"`       // the default named
	MinutesPerDay   int                           `json:"minutes_per_day"` // 0 said too: no budget
	LearningSteps   []string                      `json:"learning_steps"`
	RelearningSteps []string                      `json:"relearning_steps"`
	Decks           map[string]store.DeckSettings `json:"decks,omitempty"` // each deck's own limits
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
	case "minutes_per_day":
		st.MinutesPerDay, err = num()
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
	case "new_order":
		st.NewOrder = val
	case "new_ignores_review_limit":
		if st.NewIgnoresReviewLimit, err = strconv.ParseBool(val); err != nil {
			return fmt.Errorf("%s %q: want true or false", key, val)
		}
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
