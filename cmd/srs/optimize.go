package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/srs-tool/srs/fsrs"
	"github.com/srs-tool/srs/fsrs/optimize"
	"github.com/srs-tool/srs/history"
	"github.com/srs-tool/srs/store"
)

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
			fmt.Sprintf("and saves the fitted weights as new settings when they predict better. Needs at least %d reviews.\n", history.MinReviews) +
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
		log, err := history.Read(s, env.User, o.Deck)
		if err != nil {
			return fmt.Errorf("optimize: %w", err)
		}
		if o.Retention {
			return optimalRetention(o, s, st, log)
		}
		bar := newProgressBar(env.IO.ErrOut, env.IO.ErrTTY, "fitting")
		fit, err := history.FitWeights(context.Background(), log, st, bar.update)
		bar.done()
		if err != nil {
			return fmt.Errorf("optimize: %w", err)
		}
		out := env.IO.Out
		fmt.Fprintf(out, "%d reviews of %d cards: %d training items\n", fit.Reviews, fit.Cards, fit.Items)
		tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "parameters\tlog loss\tRMSE(bins)")
		row := func(name string, m optimize.Metrics) {
			fmt.Fprintf(tw, "%s\t%.4f\t%.4f\n", name, m.LogLoss, m.RMSEBins)
		}
		row("defaults", fit.Defaults)
		if fit.CustomInForce {
			row("in force", fit.InForce)
		}
		row("fitted", fit.Fitted)
		tw.Flush()
		switch {
		case !fit.Better():
			fmt.Fprintln(out, "not saved: the fitted parameters predict no better than those in force")
		case o.DryRun:
			fmt.Fprintln(out, "dry run: the fitted parameters are better; nothing written")
		default:
			now := env.Now()
			if err := s.SetSettings(env.User, fit.Settings(st, now), now); err != nil {
				return fmt.Errorf("optimize: %w", err)
			}
			fmt.Fprintf(out, "saved: reviews from now on are scheduled with the fitted parameters\n")
		}
		fmt.Fprintf(out, "weights: %s\n", formatWeights(fit.Result.Params[:]))
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

// optimalRetention simulates the user's workload (history.ReadWorkload)
// and prints the desired retention that minimises time per remembered
// card.
func optimalRetention(o *optimizeOptions, s *store.Store, st fsrs.Settings, log *history.Log) error {
	env := o.Env
	w, err := history.ReadWorkload(s, env.User, o.Deck, st, log, env.Now())
	if err != nil {
		return fmt.Errorf("optimize: %w", err)
	}
	bar := newProgressBar(env.IO.ErrOut, env.IO.ErrTTY, "simulating")
	r, err := optimize.OptimalRetention(context.Background(), w.Config, w.Params, w.Existing, func(points int) { bar.update(points, 0) })
	bar.done()
	if err != nil {
		return fmt.Errorf("optimize: %w", err)
	}
	fmt.Fprintf(env.IO.Out, "optimal retention: %.2f (least time per remembered card over a simulated year of %d cards; desired_retention is %v)\n",
		r, w.Cards, st.DesiredRetention)
	return nil
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
