package optimize

import (
	"math"
	"math/rand/v2"
	"time"
)

// Learner describes a simulated user whose memory follows FSRS-6 with
// known weights, for testing that a fit recovers them and for
// benchmarks. Zero fields take the defaults given.
type Learner struct {
	Params  Params
	Reviews int    // reviews to generate (approximately: whole cards are added until reached)
	Days    int    // length of the history; 0 means 730
	Seed    uint64 // random seed
	// Start is the first day's date (local); zero means 2024-01-01.
	Start        time.Time
	Loc          *time.Location // the user's zone; nil means UTC
	DayStartHour int            // the hour the user's day starts; the generator reviews between 07:00 and 23:30
}

// Simulation constants from fsrs-rs's SimulatorConfig defaults: the first
// rating's distribution, the pass ratings' (Hard, Good, Easy), and the
// rating transitions within same-day learning and relearning steps
// (row: previous rating Again, Hard, Good).
var (
	firstRatingProb  = [4]float64{0.24, 0.094, 0.495, 0.171}
	reviewRatingProb = [3]float64{0.224, 0.631, 0.145}
	learnTransitions = [3][4]float64{
		{0.3686, 0.0628, 0.5108, 0.0577},
		{0.0442, 0.4553, 0.4457, 0.0549},
		{0.0519, 0.047, 0.8462, 0.055},
	}
	relearnTransitions = [3][4]float64{
		{0.2157, 0.0643, 0.6595, 0.0604},
		{0.05, 0.4638, 0.4475, 0.0387},
		{0.1057, 0.1434, 0.7266, 0.0244},
	}
)

func pick(rng *rand.Rand, p []float64) int {
	sum := 0.0
	for _, x := range p {
		sum += x
	}
	u := rng.Float64() * sum
	for i, x := range p {
		if u < x {
			return i
		}
		u -= x
	}
	return len(p) - 1
}

// Log generates the learner's review log, one slice per card, oldest
// first. Each card is introduced on a random day with a first rating and
// same-day learning steps; it is then reviewed after intervals aimed at a
// desired retention drawn per card from 0.75..0.95, stretched or shrunk
// at random (log-normal, σ 0.3) and, one time in ten, overdue by 1.5-3×;
// recall is drawn from the true forgetting curve; a lapse is followed by
// a relearning step. Cards are added until Reviews is reached.
func (l Learner) Log() [][]Review {
	days := l.Days
	if days == 0 {
		days = 730
	}
	loc := l.Loc
	if loc == nil {
		loc = time.UTC
	}
	start := l.Start
	if start.IsZero() {
		start = time.Date(2024, 1, 1, 0, 0, 0, 0, loc)
	}
	rng := rand.New(rand.NewPCG(l.Seed, 0x1ea4))
	m := newModel(l.Params)
	var cards [][]Review
	total := 0
	for total < l.Reviews {
		c := l.card(rng, m, start, loc, rng.IntN(days), days)
		cards = append(cards, c)
		total += len(c)
	}
	return cards
}

func (l Learner) card(rng *rand.Rand, m *model, start time.Time, loc *time.Location, day, days int) []Review {
	var out []Review
	var at time.Time
	newDay := func(d int) {
		y, mo, dd := start.Date()
		at = time.Date(y, mo, dd+d, 7, 0, 0, 0, loc).Add(time.Duration(rng.IntN(15*60+30)) * time.Minute)
	}
	rate := func(g int) {
		out = append(out, Review{Time: at, Rating: g, Duration: time.Duration(3+rng.IntN(20)) * time.Second})
		at = at.Add(time.Duration(1+rng.IntN(3)) * time.Minute)
	}
	// Same-day steps, as fsrs-rs's simulator walks them: until enough
	// Good/Easy in a row (learning: 2 steps, 1 if the first was Good or
	// better; relearning: 1 step) or Easy, at most five.
	steps := func(st MemoryState, g int, tr *[3][4]float64, need int) MemoryState {
		ok := 0
		for range 5 {
			if ok >= need || g >= 4 {
				break
			}
			g = 1 + pick(rng, tr[g-1][:])
			rate(g)
			st = m.step(st, 0, uint8(g))
			if g > 2 {
				ok++
			} else if g == 1 {
				ok = 0
			}
		}
		return st
	}
	newDay(day)
	g := 1 + pick(rng, firstRatingProb[:])
	rate(g)
	st := m.initState(uint8(g))
	need := 2
	if g > 2 {
		need = 1
	}
	st = steps(st, g, &learnTransitions, need)
	dr := 0.75 + 0.2*rng.Float64()
	for {
		ivl := m.k.Interval(st.Stability, dr) * math.Exp(0.3*rng.NormFloat64())
		if rng.IntN(10) == 0 {
			ivl *= 1.5 + 1.5*rng.Float64()
		}
		gap := max(1, int(math.Round(ivl)))
		if day+gap >= days {
			return out
		}
		day += gap
		newDay(day)
		r := m.k.R(float64(gap), st.Stability)
		if rng.Float64() < r {
			g = 2 + pick(rng, reviewRatingProb[:])
			rate(g)
			st = m.step(st, float64(gap), uint8(g))
		} else {
			rate(1)
			st = m.step(st, float64(gap), 1)
			st = steps(st, 1, &relearnTransitions, 1)
		}
	}
}
