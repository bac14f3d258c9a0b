package optimize

import (
	"context"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"testing"
	"time"
)

var big = flag.Bool("big", false, "also run the 100k-review recovery cases (slow)")

// learners are the known parameter sets of the recovery test: the
// defaults and three users drawn around them: the initial stabilities
// scaled by a log-normal factor each (σ 0.5) and kept in order, as
// fsrs-rs's pre-training requires of them, every other weight moved by a
// normal draw of 0.3 of its population spread, then all clipped.
func learners() []Params {
	rng := rand.New(rand.NewPCG(7, 11))
	sets := []Params{DefaultParams}
	for range 3 {
		p := DefaultParams
		for i := range 4 {
			p[i] *= math.Exp(0.5 * rng.NormFloat64())
		}
		sort.Float64s(p[:4])
		for i := 4; i < len(p); i++ {
			p[i] += rng.NormFloat64() * 0.3 * paramStdDev[i]
		}
		sets = append(sets, p.Clip(1, true))
	}
	return sets
}

func mustItems(t testing.TB, l Learner) []Item {
	t.Helper()
	loc := l.Loc
	if loc == nil {
		loc = time.UTC
	}
	items, err := Items(l.Log(), DayNumber(loc, l.DayStartHour))
	if err != nil {
		t.Fatal(err)
	}
	return items
}

// Recovery: on a learner simulated from known weights, the fitted
// weights predict reviews the fit never saw (other cards of the same
// learner, 20k reviews) about as well as the true weights.
//
// The bound is 0.001 of log loss, or 21/n for n training items where that
// is larger. No estimator of 21 weights can do better than about 21/(2n)
// on average (the excess held-out loss of a maximum-likelihood fit is
// asymptotically k/2n for k weights), so 0.001 can hold only from about
// 10^4 items on; 21/n allows twice that average. Measured (log loss above
// the truth's): at 1k reviews 0.003-0.026, at 10k 0.0006-0.0030, at 100k
// 0.00002-0.0005 across the four learners; fsrs-rs's own fit of a 10k
// log shows the same order of gap (bench/RESULTS.md). Being better than
// the truth by chance is not a failure.
//
// `go test` runs 1k and 10k reviews (a few seconds); -big adds 100k.
func TestRecovery(t *testing.T) {
	sizes := []int{1000, 10000}
	if *big {
		sizes = append(sizes, 100000)
	}
	loc, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip("no time zone database:", err)
	}
	for si, p := range learners() {
		held := mustItems(t, Learner{Params: p, Reviews: 20000, Seed: uint64(1000 + si), Loc: loc, DayStartHour: 4})
		trueM, err := Evaluate(p, held)
		if err != nil {
			t.Fatal(err)
		}
		defM, _ := Evaluate(DefaultParams, held)
		for _, n := range sizes {
			t.Run(fmt.Sprintf("set%d/%d", si, n), func(t *testing.T) {
				items := mustItems(t, Learner{Params: p, Reviews: n, Seed: uint64(si), Loc: loc, DayStartHour: 4})
				res, err := Fit(context.Background(), items, Options{})
				if err != nil {
					t.Fatal(err)
				}
				fit, err := Evaluate(res.Params, held)
				if err != nil {
					t.Fatal(err)
				}
				t.Logf("%d items, %s: held-out log loss fitted %.5f true %.5f defaults %.5f; RMSE(bins) %.4f / %.4f / %.4f",
					len(items), res.Stage, fit.LogLoss, trueM.LogLoss, defM.LogLoss, fit.RMSEBins, trueM.RMSEBins, defM.RMSEBins)
				bound := math.Max(0.001, 21/float64(len(items)))
				if fit.LogLoss-trueM.LogLoss > bound {
					t.Errorf("fitted log loss %.5f exceeds the true weights' %.5f by more than %.4f", fit.LogLoss, trueM.LogLoss, bound)
				}
				if si > 0 && n >= 100000 && fit.LogLoss > defM.LogLoss {
					t.Errorf("at %d reviews the fit (%.5f) is worse than the defaults (%.5f)", n, fit.LogLoss, defM.LogLoss)
				}
			})
		}
	}
}
