package optimize

import "math"

// model is FSRS-6 with one set of weights, its constants computed once.
// The formulas are fsrs-rs's (model.rs step, the same as analytic.rs
// step_forward), in float64.
type model struct {
	w        Params
	k        curve
	expW8    float64 // e^w8
	exp3W5   float64 // e^(3·w5)
	easyD    float64 // D0(Easy), unclamped, the target of mean reversion
	floorDiv float64 // e^(w17·w18): a lapse never leaves S above S/floorDiv
}

func newModel(w Params) *model {
	return &model{
		w:        w,
		k:        newCurve(w[20]),
		expW8:    math.Exp(w[8]),
		exp3W5:   math.Exp(3 * w[5]),
		easyD:    w[4] - math.Exp(3*w[5]) + 1,
		floorDiv: math.Exp(w[17] * w[18]),
	}
}

func clamp(x, lo, hi float64) float64 { return math.Min(math.Max(x, lo), hi) }

// MemoryState is a card's stability (days until recall falls to 90%) and
// difficulty (1..10).
type MemoryState struct {
	Stability, Difficulty float64
}

// initState is the state after a card's first rating g.
func (m *model) initState(g uint8) MemoryState {
	return MemoryState{
		Stability:  clamp(m.w[g-1], sMin, sMax),
		Difficulty: clamp(m.w[4]-math.Exp(m.w[5]*float64(g-1))+1, dMin, dMax),
	}
}

// step is the state after rating g, t days after a review that left st.
// Same-day reviews (t == 0) take FSRS-6's short-term stability; a lapse
// never raises stability; difficulty moves with linear damping, then
// reverts toward D0(Easy) by w7.
func (m *model) step(st MemoryState, t float64, g uint8) MemoryState {
	w := &m.w
	s, d := st.Stability, st.Difficulty
	var ns float64
	switch {
	case t == 0:
		sinc := math.Exp(w[17]*(float64(g)-3+w[18])) * math.Pow(s, -w[19])
		if g >= 2 && sinc < 1 {
			sinc = 1
		}
		ns = s * sinc
	case g == 1:
		r := m.k.R(t, s)
		raw := w[11] * math.Pow(d, -w[12]) * (math.Pow(s+1, w[13]) - 1) * math.Exp(w[14]*(1-r))
		ns = math.Min(raw, s/m.floorDiv)
	default:
		r := m.k.R(t, s)
		inc := m.expW8 * (11 - d) * math.Pow(s, -w[9]) * (math.Exp(w[10]*(1-r)) - 1)
		switch g {
		case 2:
			inc *= w[15]
		case 4:
			inc *= w[16]
		}
		ns = s * (1 + inc)
	}
	nd := d - w[6]*(float64(g)-3)*(10-d)/9
	md := w[7]*m.easyD + (1-w[7])*nd
	return MemoryState{Stability: clamp(ns, sMin, sMax), Difficulty: clamp(md, dMin, dMax)}
}

// replay is the state after the given reviews, from a new card.
func (m *model) replay(steps []Step) MemoryState {
	st := m.initState(steps[0].Rating)
	for _, s := range steps[1:] {
		st = m.step(st, float64(s.DeltaT), s.Rating)
	}
	return st
}

// predict is the model's probability that the item's current review is
// a recall.
func (m *model) predict(it Item) float64 {
	st := m.replay(it.History())
	return m.k.R(float64(it.Current().DeltaT), st.Stability)
}

// MemoryState is the state p gives a card after the reviews in steps.
func (p Params) MemoryState(steps []Step) MemoryState { return newModel(p).replay(steps) }

// Predict is p's probability of recall at it's current review.
func (p Params) Predict(it Item) float64 { return newModel(p).predict(it) }
