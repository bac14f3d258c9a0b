package optimize

import (
	"fmt"
	"math"
)

// Params are the 21 FSRS-6 weights w0..w20.
type Params [21]float64

// DefaultParams are FSRS-6's population defaults (fsrs-rs
// DEFAULT_PARAMETERS; the same as go-fsrs v4's DefaultWeights).
var DefaultParams = Params{
	0.212, 1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194, 0.001, 1.8722, 0.1666, 0.796,
	1.4835, 0.0614, 0.2629, 1.6483, 0.6014, 1.8729, 0.5425, 0.0912, 0.0658, 0.1542,
}

// paramStdDev is fsrs-rs's PARAMS_STDDEV: the spread of each weight over
// many users' fits. The L2 penalty measures distance from the starting
// point in these units, so a weight the population rarely moves is held
// closer.
var paramStdDev = Params{
	6.43, 9.66, 17.58, 27.85, 0.57, 0.28, 0.6, 0.12, 0.39, 0.18, 0.33, 0.3, 0.09, 0.16, 0.57, 0.25,
	1.03, 0.31, 0.32, 0.14, 0.27,
}

// Memory-state bounds (fsrs-rs simulation.rs S_MIN.., parameter_initialization.rs INIT_S_MAX).
const (
	sMin     = 0.001
	sMax     = 36500.0
	dMin     = 1.0
	dMax     = 10.0
	initSMax = 100.0
)

// Bounds returns the interval each weight is kept in, as fsrs-rs's
// parameter clipper has it. relearningSteps is the number of same-day
// relearning steps the scheduler uses: with more than one, w17·w18 is
// capped so that the steps after a lapse cannot raise stability above
// what it was before the lapse. shortTerm false lets w19 reach 0.
func (p Params) Bounds(relearningSteps int, shortTerm bool) (lo, hi Params) {
	// A lapse's stability is at most w11·(2^w13−1)·e^(0.3·w14) for
	// D=1, R=0.7, S=1; n steps multiply it by e^(n·w17·w18), which must
	// not exceed 1, the S before the lapse.
	ceil := 2.0
	if relearningSteps > 1 {
		v := -(math.Log(p[11]) + math.Log(math.Pow(2, p[13])-1) + p[14]*0.3) / float64(relearningSteps)
		ceil = math.Min(math.Sqrt(math.Max(v, 0.01)), 2)
	}
	w19Floor := 0.0
	if shortTerm {
		w19Floor = 0.01
	}
	lo = Params{sMin, sMin, sMin, sMin, dMin, 0.001, 0.001, 0.001, 0, 0, 0.001, 0.001, 0.001, 0.001, 0, 0, 1, 0, 0, w19Floor, 0.1}
	hi = Params{initSMax, initSMax, initSMax, initSMax, dMax, 4, 4, 0.75, 4.5, 0.8, 3.5, 5, 0.25, 0.9, 4, 1, 6, ceil, ceil, 0.8, 0.8}
	return lo, hi
}

// Clip returns p with every weight moved into its bound (see Bounds).
func (p Params) Clip(relearningSteps int, shortTerm bool) Params {
	lo, hi := p.Bounds(relearningSteps, shortTerm)
	for i := range p {
		p[i] = math.Min(math.Max(p[i], lo[i]), hi[i])
	}
	return p
}

// Validate refuses weights that are not finite numbers.
func (p Params) Validate() error {
	for i, w := range p {
		if math.IsNaN(w) || math.IsInf(w, 0) {
			return fmt.Errorf("w%d: %v is not a finite number", i, w)
		}
	}
	return nil
}

// curve holds the forgetting curve's constants for a decay w20:
// R(t,S) = (1 + factor·t/S)^c with c = −w20 and factor chosen so that
// R(S,S) = 0.9.
type curve struct {
	c, factor float64
	// dFactor is d factor / d c, for the gradient of w20.
	dFactor float64
}

func newCurve(w20 float64) curve {
	c := -w20
	e := math.Exp(math.Log(0.9) / c)
	return curve{c: c, factor: e - 1, dFactor: e * (-math.Log(0.9) / (c * c))}
}

// R is the probability of recall t days after a review that left
// stability s.
func (k curve) R(t, s float64) float64 {
	return math.Pow(1+k.factor*t/s, k.c)
}

// Interval is the number of days (unrounded) after which recall falls to r.
func (k curve) Interval(s, r float64) float64 {
	return s / k.factor * (math.Pow(r, 1/k.c) - 1)
}

// Retrievability is FSRS-6's forgetting curve with p's decay: the
// probability of recall t days after a review that left stability s.
func (p Params) Retrievability(t, s float64) float64 { return newCurve(p[20]).R(t, s) }

// Interval is the number of days (unrounded) after which recall falls to
// the desired retention r for a card of stability s.
func (p Params) Interval(s, r float64) float64 { return newCurve(p[20]).Interval(s, r) }
