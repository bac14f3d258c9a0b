package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/srs-tool/srs/deck"
	"github.com/srs-tool/srs/fsrs"
	"github.com/srs-tool/srs/fsrs/optimize"
	"github.com/srs-tool/srs/store"
)

// minOptimizeReviews is the fewest rated reviews `srs optimize` fits to.
// Below about a thousand, a fit of 21 weights predicts new reviews worse
// than the population defaults on simulated learners (bench/RESULTS.md:
// the held-out loss of a fit exceeds the truth's by about 21/(2n) for n
// items), and Anki's guidance is the same number.
const minOptimizeReviews = 1000

type optimizeOptions struct {
	Env       *Env
	Deck      string
	DryRun    bool
	Retention bool
}

func optimizeCommand(env **Env) *cli.Command {
	return &cli.Command{
		Name:  "optimize",
		Usage: "fit the scheduler's FSRS-6 parameters to your review log",
		Description: "Fits the 21 FSRS-6 weights to your reviews as Anki's optimizer (fsrs-rs) does, prints log loss\n" +
			"and RMSE(bins) of the defaults, of the weights in force and of the fitted ones on the same reviews,\n" +
			fmt.Sprintf("and saves the fitted weights as new settings when they predict better. Needs at least %d reviews.\n", minOptimizeReviews) +
			"Earlier reviews keep the weights they were scheduled with. --retention instead simulates a year of\n" +
			"your workload for desired retentions 0.70-0.95 and reports the one that costs least time per card remembered.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "deck", Usage: "fit to the reviews of deck `D` only"},
			&cli.BoolFlag{Name: "dry-run", Usage: "fit and report, write nothing"},
			&cli.BoolFlag{Name: "retention", Usage: "compute the desired retention that minimises time per remembered card"},
		},
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return usageError{fmt.Errorf("optimize: unexpected argument %q", c.Args().First())}
			}
			return runOptimize(&optimizeOptions{Env: *env, Deck: c.String("deck"), DryRun: c.Bool("dry-run"), Retention: c.Bool("retention")})
		},
	}
}

// cardLog is one card's ratings, for the optimizer and the simulator.
type cardLog struct {
	reviews  []optimize.Review
	states   [3][4][]time.Duration // answer times by state (learning, review, relearning) and rating
	firstNew bool                  // the first rating was of a new card
	cut      bool                  // a state was set from outside: later ratings do not count
}

// readLogs groups the user's ratings by card. A card's reviews count from
// its first rating as a new card up to a state set from outside (an
// import without history, ActSet), after which the model's memory state
// is not the one its own reviews would give.
func readLogs(s *store.Store, user, deckName string) (map[string]*cardLog, int, error) {
	logs := map[string]*cardLog{}
	n := 0
	err := s.EachEntry(user, false, func(e store.Entry) error {
		if deckName != "" {
			if d, _ := deck.SplitKey(e.Card); d != deckName {
				return nil
			}
		}
		l := logs[e.Card]
		if l == nil {
			l = &cardLog{}
			logs[e.Card] = l
		}
		switch {
		case e.Action == store.ActSet:
			l.cut = true
		case e.Action == store.ActRate && !l.cut:
			if len(l.reviews) == 0 {
				l.firstNew = !e.HadState || e.Before.State == fsrs.New
			}
			l.reviews = append(l.reviews, optimize.Review{Time: e.Time(), Rating: int(e.Rating), Duration: e.Duration})
			n++
			st := 0
			switch e.Before.State {
			case fsrs.Review:
				st = 1
			case fsrs.Relearning:
				st = 2
			}
			if r := int(e.Rating) - 1; r >= 0 && r < 4 && e.Duration > 0 && e.Duration < 20*time.Minute {
				l.states[st][r] = append(l.states[st][r], e.Duration)
			}
		}
		return nil
	})
	return logs, n, err
}

func runOptimize(o *optimizeOptions) error {
	env := o.Env
	return env.with(func(s *store.Store) error {
		if o.Deck != "" {
			if _, err := s.DeckInfo(o.Deck); err != nil {
				return fmt.Errorf("optimize: deck %q: %w", o.Deck, err)
			}
		}
		st, err := s.Settings(env.User)
		if err != nil {
			return err
		}
		logs, n, err := readLogs(s, env.User, o.Deck)
		if err != nil {
			return fmt.Errorf("optimize: %w", err)
		}
		if o.Retention {
			return optimalRetention(o, s, st, logs)
		}
		if n < minOptimizeReviews {
			return fmt.Errorf("optimize: %d reviews; at least %d are needed to fit parameters", n, minOptimizeReviews)
		}
		loc, err := st.Location()
		if err != nil {
			return err
		}
		var cards [][]optimize.Review
		for _, l := range logs {
			if l.firstNew && len(l.reviews) > 1 {
				cards = append(cards, l.reviews)
			}
		}
		items, err := optimize.Items(cards, optimize.DayNumber(loc, st.DayStartHour))
		if err != nil {
			return fmt.Errorf("optimize: %w", err)
		}
		bar := newProgressBar(env.IO.ErrOut, env.IO.ErrTTY, "fitting")
		res, err := optimize.Fit(context.Background(), items, optimize.Options{
			RelearningSteps: max(len(st.RelearningSteps), 1),
			Progress:        bar.update,
		})
		bar.done()
		if errors.Is(err, optimize.ErrNotEnoughData) || err == nil && res.Stage != optimize.StageTrained {
			return fmt.Errorf("optimize: %d reviews give %d training items, too few to fit parameters", n, len(items))
		}
		if err != nil {
			return fmt.Errorf("optimize: %w", err)
		}
		inForce := optimize.DefaultParams
		if len(st.Weights) == len(inForce) {
			copy(inForce[:], st.Weights)
		}
		eval := optimize.EvaluationItems(items)
		out := env.IO.Out
		fmt.Fprintf(out, "%d reviews of %d cards: %d training items\n", n, len(cards), len(eval))
		tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "parameters\tlog loss\tRMSE(bins)")
		score := func(name string, p optimize.Params) (optimize.Metrics, error) {
			m, err := optimize.Evaluate(p, eval)
			if err != nil {
				return m, fmt.Errorf("optimize: %s: %w", name, err)
			}
			fmt.Fprintf(tw, "%s\t%.4f\t%.4f\n", name, m.LogLoss, m.RMSEBins)
			return m, nil
		}
		if _, err := score("defaults", optimize.DefaultParams); err != nil {
			return err
		}
		cur := optimize.Metrics{}
		if inForce != optimize.DefaultParams {
			if cur, err = score("in force", inForce); err != nil {
				return err
			}
		} else {
			cur, _ = optimize.Evaluate(inForce, eval)
		}
		fit, err := score("fitted", res.Params)
		if err != nil {
			return err
		}
		tw.Flush()
		switch {
		case fit.LogLoss >= cur.LogLoss:
			fmt.Fprintln(out, "not saved: the fitted parameters predict no better than those in force")
		case o.DryRun:
			fmt.Fprintln(out, "dry run: the fitted parameters are better; nothing written")
		default:
			now := env.Now()
			st.Weights = append([]float64(nil), res.Params[:]...)
			st.FittedAt, st.FittedReviews = now.UTC().Truncate(time.Second), n
			if err := s.SetSettings(env.User, st, now); err != nil {
				return fmt.Errorf("optimize: %w", err)
			}
			fmt.Fprintf(out, "saved: reviews from now on are scheduled with the fitted parameters\n")
		}
		fmt.Fprintf(out, "weights: %s\n", formatWeights(res.Params[:]))
		return nil
	})
}

func formatWeights(w []float64) string {
	parts := make([]string, len(w))
	for i, x := range w {
		parts[i] = fmt.Sprintf("%.4f", x)
	}
	return strings.Join(parts, ", ")
}

// optimalRetention simulates the user's workload (the cards in scope,
// their current states, the daily limits, answer times and rating habits
// from the log, smoothed toward the population's) and prints the desired
// retention that minimises time per remembered card.
func optimalRetention(o *optimizeOptions, s *store.Store, st fsrs.Settings, logs map[string]*cardLog) error {
	env := o.Env
	p := optimize.DefaultParams
	if len(st.Weights) == len(p) {
		copy(p[:], st.Weights)
	}
	cfg := optimize.DefaultSimConfig()
	cfg.LearnLimit, cfg.ReviewLimit = st.NewPerDay, st.ReviewsPerDay
	if cfg.LearnLimit == 0 {
		cfg.LearnLimit = -1 // no new cards: every card in scope is already known
	}
	cfg.MaxCostPerDay = math.Inf(1)
	cfg.LearningSteps, cfg.RelearningSteps = len(st.LearningSteps), len(st.RelearningSteps)
	cfg.MaxInterval = float64(st.MaximumInterval)
	smoothHabits(&cfg, logs)
	now := env.Now()
	var existing []optimize.SimCard
	total := 0
	err := s.EachCardState(env.User, store.CardFilter{Deck: o.Deck}, func(c store.StoredCard, cs store.CardState, had bool) error {
		total++
		if had && cs.State != fsrs.New && cs.Stability > 0 {
			existing = append(existing, optimize.SimCard{Stability: cs.Stability, Difficulty: cs.Difficulty,
				LastDate: -now.Sub(cs.LastReview).Hours() / 24, Due: math.Max(0, math.Floor(cs.Due.Sub(now).Hours()/24))})
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("optimize: %w", err)
	}
	if total == 0 {
		return errors.New("optimize: no cards to simulate")
	}
	cfg.DeckSize = total
	if cfg.LearnLimit < 0 {
		cfg.DeckSize = max(len(existing), 1)
		cfg.LearnLimit = 0
	}
	bar := newProgressBar(env.IO.ErrOut, env.IO.ErrTTY, "simulating")
	r, err := optimize.OptimalRetention(context.Background(), cfg, p, existing, func(points int) { bar.update(points, 0) })
	bar.done()
	if err != nil {
		return fmt.Errorf("optimize: %w", err)
	}
	fmt.Fprintf(env.IO.Out, "optimal retention: %.2f (least time per remembered card over a simulated year of %d cards; desired_retention is %v)\n",
		r, total, st.DesiredRetention)
	return nil
}

// smoothHabits sets the simulator's answer times and rating habits from
// the log, each pulled toward the population's by n/(n+50) as fsrs-rs's
// extract_simulator_config does, so that a few reviews move them little.
func smoothHabits(cfg *optimize.SimConfig, logs map[string]*cardLog) {
	var first [4]float64
	var pass [3]float64
	for _, l := range logs {
		if !l.firstNew || len(l.reviews) == 0 {
			continue
		}
		first[l.reviews[0].Rating-1]++
		for _, rv := range l.reviews[1:] {
			if rv.Rating > 1 {
				pass[rv.Rating-2]++
			}
		}
	}
	blend := func(dst []float64, counts []float64) {
		n := 0.0
		for _, c := range counts {
			n += c
		}
		if n == 0 {
			return
		}
		w := n / (n + 50)
		for i := range dst {
			dst[i] = w*counts[i]/n + (1-w)*dst[i]
		}
	}
	blend(cfg.FirstRatingProb[:], first[:])
	blend(cfg.ReviewRatingProb[:], pass[:])
	for st := range 3 {
		for r := range 4 {
			var sum time.Duration
			n := 0
			for _, l := range logs {
				for _, d := range l.states[st][r] {
					sum += d
					n++
				}
			}
			if n > 0 {
				w := float64(n) / float64(n+50)
				cfg.StateRatingCosts[st][r] = w*(sum.Seconds()/float64(n)) + (1-w)*cfg.StateRatingCosts[st][r]
			}
		}
	}
}

// progressBar draws a bar on a terminal's stderr, and nothing elsewhere.
type progressBar struct {
	w     io.Writer
	on    bool
	label string
	last  time.Time
	drawn bool
}

func newProgressBar(w io.Writer, tty bool, label string) *progressBar {
	return &progressBar{w: w, on: tty, label: label}
}

// update draws done of total (a bar), or done alone when total is 0.
func (b *progressBar) update(done, total int) {
	if !b.on || time.Since(b.last) < 50*time.Millisecond && done != total {
		return
	}
	b.last, b.drawn = time.Now(), true
	if total <= 0 {
		fmt.Fprintf(b.w, "\r%s… %d", b.label, done)
		return
	}
	const width = 30
	k := done * width / total
	fmt.Fprintf(b.w, "\r%s [%s%s] %3d%%", b.label, strings.Repeat("#", k), strings.Repeat(".", width-k), done*100/total)
}

func (b *progressBar) done() {
	if b.drawn {
		fmt.Fprint(b.w, "\r\x1b[K")
	}
}
