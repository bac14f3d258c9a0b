package history

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/srs-tool/srs/fsrs"
	"github.com/srs-tool/srs/fsrs/optimize"
)

// MinReviews is the fewest rated reviews a fit is made from. Below about
// a thousand, a fit of 21 weights predicts new reviews worse than the
// population defaults on simulated learners (bench/RESULTS.md: the
// held-out loss of a fit exceeds the truth's by about 21/(2n) for n
// items), and Anki's guidance is the same number.
const MinReviews = 1000

// Fit is the FSRS-6 weights fitted to a user's log, scored beside the
// defaults and the weights in force on the same items.
type Fit struct {
	Reviews int // ratings in the log read
	Cards   int // cards trained on
	Items   int // items scored (fsrs-rs's evaluation set)
	Result  optimize.Result
	// Defaults, InForce and Fitted score the population defaults, the
	// user's weights in force (the defaults when they have none) and the
	// fit.
	Defaults, InForce, Fitted optimize.Metrics
	CustomInForce             bool // the weights in force are not the defaults
}

// Better reports whether the fit predicts the user's reviews better than
// the weights in force: only then is it worth saving.
func (f Fit) Better() bool { return f.Fitted.LogLoss < f.InForce.LogLoss }

// Settings are st with the fit's weights in force, fitted at now.
func (f Fit) Settings(st fsrs.Settings, now time.Time) fsrs.Settings {
	st.Weights = append([]float64(nil), f.Result.Params[:]...)
	st.FittedAt, st.FittedReviews = now.UTC().Truncate(time.Second), f.Reviews
	st.WeightsFrom = ""
	return st
}

// FitWeights fits the 21 weights to the log's training cards (Training)
// as fsrs-rs does, the user's days counted as st defines them, and scores
// the defaults, the weights in force under st and the fit. Too short a
// log is an error saying how many reviews there are and are needed.
func FitWeights(ctx context.Context, l *Log, st fsrs.Settings, progress func(done, total int)) (Fit, error) {
	f := Fit{Reviews: l.Reviews}
	if l.Reviews < MinReviews {
		return f, fmt.Errorf("%d reviews; at least %d are needed to fit parameters", l.Reviews, MinReviews)
	}
	loc, err := st.Location()
	if err != nil {
		return f, err
	}
	cards := l.Training()
	f.Cards = len(cards)
	items, err := optimize.Items(cards, optimize.DayNumber(loc, st.DayStartHour))
	if err != nil {
		return f, err
	}
	res, err := optimize.Fit(ctx, items, optimize.Options{
		RelearningSteps: max(len(st.RelearningSteps), 1),
		Progress:        progress,
	})
	if errors.Is(err, optimize.ErrNotEnoughData) || err == nil && res.Stage != optimize.StageTrained {
		return f, fmt.Errorf("%d reviews give %d training items, too few to fit parameters", l.Reviews, len(items))
	}
	if err != nil {
		return f, err
	}
	f.Result = res
	eval := optimize.EvaluationItems(items)
	f.Items = len(eval)
	inForce := optimize.DefaultParams
	if len(st.Weights) == len(inForce) {
		copy(inForce[:], st.Weights)
	}
	f.CustomInForce = inForce != optimize.DefaultParams
	for _, s := range []struct {
		name string
		p    optimize.Params
		m    *optimize.Metrics
	}{
		{"defaults", optimize.DefaultParams, &f.Defaults},
		{"in force", inForce, &f.InForce},
		{"fitted", res.Params, &f.Fitted},
	} {
		if *s.m, err = optimize.Evaluate(s.p, eval); err != nil {
			return f, fmt.Errorf("%s: %w", s.name, err)
		}
	}
	return f, nil
}
