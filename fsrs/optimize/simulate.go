package optimize

import (
	"container/heap"
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"sync"
)

// SimConfig describes the workload Simulate plays out, after fsrs-rs's
// SimulatorConfig. Costs are seconds.
type SimConfig struct {
	DeckSize      int     // cards in the deck, existing ones included
	LearnSpan     int     // days simulated
	MaxCostPerDay float64 // no more cards are started on a day once its cost exceeds this; +Inf for no cap
	MaxInterval   float64 // days
	// LearnLimit and ReviewLimit cap new cards and reviews a day; 0 means
	// no cap. New cards count against ReviewLimit too only when
	// NewCountsAgainstReviewLimit is set (fsrs-rs: !new_cards_ignore_review_limit).
	LearnLimit, ReviewLimit     int
	NewCountsAgainstReviewLimit bool
	FirstRatingProb             [4]float64 // Again..Easy at a card's first rating
	ReviewRatingProb            [3]float64 // Hard, Good, Easy when recalled
	// Rating transitions within same-day steps, row by the previous
	// rating (Again, Hard, Good), for learning and relearning.
	LearningTransitions, RelearningTransitions [3][4]float64
	// StateRatingCosts are the seconds a rating takes, by state
	// (learning, review, relearning) and rating.
	StateRatingCosts [3][4]float64
	// LearningSteps and RelearningSteps are the numbers of same-day steps.
	LearningSteps, RelearningSteps int
}

// DefaultSimConfig is fsrs-rs's SimulatorConfig::default: a 10,000-card
// deck over a year, at most half an hour a day, and the population's
// rating habits and answer times.
func DefaultSimConfig() SimConfig {
	return SimConfig{
		DeckSize:              10000,
		LearnSpan:             365,
		MaxCostPerDay:         1800,
		MaxInterval:           36500,
		FirstRatingProb:       firstRatingProb,
		ReviewRatingProb:      reviewRatingProb,
		LearningTransitions:   learnTransitions,
		RelearningTransitions: relearnTransitions,
		StateRatingCosts: [3][4]float64{
			{19.58, 18.79, 13.78, 10.71},
			{19.38, 17.59, 12.38, 8.94},
			{16.44, 15.25, 12.32, 8.03},
		},
		LearningSteps:   2,
		RelearningSteps: 1,
	}
}

// SimCard is a card the user already has: its memory state, the day of
// its last review and the day it is due, both relative to the
// simulation's first day (so LastDate is usually negative).
type SimCard struct {
	Stability, Difficulty float64
	LastDate, Due         float64
}

// SimResult is a simulated workload, per day.
type SimResult struct {
	Memorized []float64 // expected number of cards recalled if asked that day (sum of R)
	Reviews   []int
	Learned   []int
	Cost      []float64 // seconds
}

// CostPerMemorized is the total time spent divided by the cards
// remembered at the end: what OptimalRetention minimises.
func (r SimResult) CostPerMemorized() float64 {
	total := 0.0
	for _, c := range r.Cost {
		total += c
	}
	return total / r.Memorized[len(r.Memorized)-1]
}

type simCard struct {
	s, d     float64
	last     float64 // -Inf while new
	due      float64
	priority int
	index    int // in the heap
	id       int
}

// simQueue orders due cards as fsrs-rs's simulator does: earliest due
// day first, then lower difficulty·100 first; the card number breaks
// remaining ties.
type simQueue []*simCard

func (q simQueue) Len() int { return len(q) }
func (q simQueue) Less(i, j int) bool {
	a, b := q[i], q[j]
	if int(a.due) != int(b.due) {
		return int(a.due) < int(b.due)
	}
	if a.priority != b.priority {
		return a.priority < b.priority
	}
	return a.id < b.id
}
func (q simQueue) Swap(i, j int)               { q[i], q[j] = q[j], q[i]; q[i].index = i; q[j].index = j }
func (q *simQueue) Push(x any)                 { c := x.(*simCard); c.index = len(*q); *q = append(*q, c) }
func (q *simQueue) Pop() any                   { old := *q; c := old[len(old)-1]; *q = old[:len(old)-1]; return c }
func (c *simCard) setPriority()                { c.priority = int(c.d * 100) }
func pickFrom(rng *rand.Rand, p []float64) int { return pick(rng, p) }

// simModel is the model the simulator plays with: the training model's
// formulas, except that a same-day Hard may lower stability (fsrs-rs's
// simulator floors the short-term factor at 1 only for Good and Easy).
func (m *model) simShort(s float64, g int) float64 {
	w := &m.w
	sinc := math.Exp(w[17]*(float64(g)-3+w[18])) * math.Pow(s, -w[19])
	if g >= 3 && sinc < 1 {
		sinc = 1
	}
	return clamp(s*sinc, sMin, sMax)
}

func (m *model) nextD(d float64, g int) float64 {
	nd := d - m.w[6]*(float64(g)-3)*(10-d)/9
	return clamp(m.w[7]*m.easyD+(1-m.w[7])*nd, dMin, dMax)
}

// shortTerm walks same-day steps from rating g (0 for a lapse, which
// starts from Again at no cost) until enough passes in a row or Easy,
// at most five, and returns the state and the steps' cost.
func (m *model) shortTerm(rng *rand.Rand, s, d float64, g int, costs *[4]float64, tr *[3][4]float64, steps int) (float64, float64, float64) {
	cost := 0.0
	if g == 0 {
		g = 1
	} else {
		cost = costs[g-1]
	}
	need := steps
	if g > 2 {
		need = max(steps-1, 0)
	}
	ok := 0
	for range 5 {
		if ok >= need || g >= 4 {
			break
		}
		g = 1 + pickFrom(rng, tr[g-1][:])
		s = m.simShort(s, g)
		d = m.nextD(d, g)
		cost += costs[g-1]
		if g > 2 {
			ok++
		} else if g == 1 {
			ok = 0
		}
	}
	return clamp(s, sMin, sMax), clamp(d, dMin, dMax), cost
}

// Simulate plays out cfg's workload for a user whose memory follows p,
// scheduling every review at the desired retention dr, as fsrs-rs's
// simulate does: each day new cards are started and due cards reviewed
// (earliest due first) until a limit or the day's cost cap is reached,
// the rest moving to the next day; recall is drawn from the forgetting
// curve and ratings from cfg's habits.
func Simulate(cfg SimConfig, p Params, dr float64, seed uint64, existing []SimCard) (SimResult, error) {
	if cfg.DeckSize <= 0 || len(existing) > cfg.DeckSize {
		return SimResult{}, errors.New("simulate: the deck size must be positive and hold the existing cards")
	}
	if cfg.LearnSpan <= 0 {
		return SimResult{}, errors.New("simulate: no days to simulate")
	}
	m := newModel(p)
	rng := rand.New(rand.NewPCG(seed, 0x51a1))
	span := cfg.LearnSpan
	res := SimResult{Memorized: make([]float64, span), Reviews: make([]int, span), Learned: make([]int, span), Cost: make([]float64, span)}
	q := make(simQueue, 0, cfg.DeckSize)
	for _, e := range existing {
		if e.Stability > 1e-9 {
			c := &simCard{s: e.Stability, d: e.Difficulty, last: e.LastDate, due: e.Due, id: len(q)}
			c.setPriority()
			heap.Push(&q, c)
		}
	}
	learnLimit := cfg.LearnLimit
	if learnLimit <= 0 {
		learnLimit = math.MaxInt
	}
	reviewLimit := cfg.ReviewLimit
	if reviewLimit <= 0 {
		reviewLimit = math.MaxInt
	}
	// New cards are alike until learned, so they are a count rather than
	// heap entries: the i-th becomes available on day i/LearnLimit. Days
	// are played in order, each day's due reviews first (earliest due,
	// then easiest first), then new cards; a card that a limit or the
	// cost cap turns away moves to the next day, and since neither limit
	// nor cost changes while cards are turned away, the first new card
	// turned away ends the day's learning (fsrs-rs moves each of them a
	// day on, one at a time, which comes to the same).
	nNew := cfg.DeckSize - len(q)
	next := 0
	costs := &cfg.StateRatingCosts
	schedule := func(c *simCard, day int) {
		ivl := clamp(math.Round(m.k.Interval(c.s, dr)), 1, cfg.MaxInterval)
		c.last, c.due = float64(day), float64(day)+ivl
		c.setPriority()
	}
	for day := 0; day < span; day++ {
		for q.Len() > 0 && int(q[0].due) <= day {
			c := q[0]
			if res.Reviews[day]+1 > reviewLimit || res.Cost[day] > cfg.MaxCostPerDay {
				c.due = float64(day + 1)
				heap.Fix(&q, 0)
				continue
			}
			r := m.k.R(c.due-c.last, c.s)
			var ns, nd, cost float64
			if rng.Float64() >= r {
				lapse := math.Min(m.w[11]*math.Pow(c.d, -m.w[12])*(math.Pow(c.s+1, m.w[13])-1)*math.Exp(m.w[14]*(1-r)), c.s/m.floorDiv)
				ns, nd, cost = m.shortTerm(rng, clamp(lapse, sMin, sMax), m.nextD(c.d, 1), 0, &costs[2], &cfg.RelearningTransitions, cfg.RelearningSteps)
				cost += costs[1][0]
			} else {
				g := 2 + pickFrom(rng, cfg.ReviewRatingProb[:])
				inc := m.expW8 * (11 - c.d) * math.Pow(c.s, -m.w[9]) * (math.Exp(m.w[10]*(1-r)) - 1)
				switch g {
				case 2:
					inc *= m.w[15]
				case 4:
					inc *= m.w[16]
				}
				ns, nd, cost = clamp(c.s*(1+inc), sMin, sMax), m.nextD(c.d, g), costs[1][g-1]
			}
			res.Reviews[day]++
			res.Cost[day] += cost
			for i := max(int(c.last), 0); i < day; i++ {
				res.Memorized[i] += m.k.R(float64(i)-c.last, c.s)
			}
			c.s, c.d = ns, nd
			schedule(c, day)
			heap.Fix(&q, 0)
		}
		for next < nNew && next/learnLimit <= day {
			if res.Learned[day]+1 > learnLimit || res.Cost[day] > cfg.MaxCostPerDay ||
				(cfg.NewCountsAgainstReviewLimit && res.Learned[day]+res.Reviews[day]+1 > reviewLimit) {
				break
			}
			g := 1 + pickFrom(rng, cfg.FirstRatingProb[:])
			d0 := clamp(m.w[4]-math.Exp(m.w[5]*float64(g-1))+1, dMin, dMax)
			c := &simCard{id: len(q) + next}
			var cost float64
			c.s, c.d, cost = m.shortTerm(rng, m.w[g-1], d0, g, &costs[0], &cfg.LearningTransitions, cfg.LearningSteps)
			res.Learned[day]++
			res.Cost[day] += cost
			schedule(c, day)
			heap.Push(&q, c)
			next++
		}
	}
	for _, c := range q {
		for i := max(int(c.last), 0); i < span; i++ {
			res.Memorized[i] += m.k.R(float64(i)-c.last, c.s)
		}
	}
	return res, nil
}

// Retention bounds of OptimalRetention.
const (
	MinRetention = 0.70
	MaxRetention = 0.95
)

// OptimalRetention is the desired retention in [0.70, 0.95] that
// minimises the simulated time per remembered card (Anki's "compute
// minimum recommended retention"), found as fsrs-rs's optimal_retention
// finds it: Brent's method from 0.70 (tolerance 0.01), each point the
// mean over several simulations (16 for a year or more; more for shorter
// spans), run in parallel. progress, when set, is called after each
// point with the number of points so far.
func OptimalRetention(ctx context.Context, cfg SimConfig, p Params, existing []SimCard, progress func(points int)) (float64, error) {
	n := 16
	switch span := float64(cfg.LearnSpan); {
	case cfg.LearnSpan <= 30:
		n = 180
	case cfg.LearnSpan < 365:
		n = int(math.Round(16 / (8.20e-7*span*span + 2.41e-3*span + 1.30e-2)))
	}
	points := 0
	f := func(dr float64) (float64, error) {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		vals := make([]float64, n)
		errs := make([]error, n)
		var wg sync.WaitGroup
		sem := make(chan struct{}, 2)
		for i := range n {
			wg.Add(1)
			sem <- struct{}{}
			go func() {
				defer func() { <-sem; wg.Done() }()
				r, err := Simulate(cfg, p, dr, uint64(i+42), existing)
				vals[i], errs[i] = r.CostPerMemorized(), err
			}()
		}
		wg.Wait()
		sum := 0.0
		for i, v := range vals {
			if errs[i] != nil {
				return 0, errs[i]
			}
			sum += v
		}
		points++
		if progress != nil {
			progress(points)
		}
		return sum / float64(n), nil
	}
	return brent(f, MinRetention, MaxRetention)
}

// brent minimises f on [a, b] by Brent's method as fsrs-rs (after SciPy)
// runs it: starting from x = a, relative tolerance 0.01, at most 64
// steps.
func brent(f func(float64) (float64, error), a, b float64) (float64, error) {
	const mintol, cg, maxIter, tol = 1e-10, 0.381966, 64, 0.01
	fx, err := f(a)
	if err != nil {
		return 0, err
	}
	x, v, w := a, a, a
	fv, fw := fx, fx
	var deltax, rat float64
	iter := 0
	for ; iter < maxIter; iter++ {
		tol1 := tol*math.Abs(x) + mintol
		tol2 := 2 * tol1
		xmid := (a + b) / 2
		if math.Abs(x-xmid) < tol2-(b-a)/2 {
			break
		}
		golden := true
		if math.Abs(deltax) > tol1 {
			tmp1 := (x - w) * (fx - fv)
			tmp2 := (x - v) * (fx - fw)
			p := (x-v)*tmp2 - (x-w)*tmp1
			tmp2 = 2 * (tmp2 - tmp1)
			if tmp2 > 0 {
				p = -p
			}
			tmp2 = math.Abs(tmp2)
			prev := deltax
			deltax = rat
			if p > tmp2*(a-x) && p < tmp2*(b-x) && math.Abs(p) < math.Abs(0.5*tmp2*prev) {
				rat = p / tmp2
				u := x + rat
				if u-a < tol2 || b-u < tol2 {
					if xmid-x >= 0 {
						rat = tol1
					} else {
						rat = -tol1
					}
				}
				golden = false
			}
		}
		if golden {
			if x >= xmid {
				deltax = a - x
			} else {
				deltax = b - x
			}
			rat = cg * deltax
		}
		u := x + rat
		if math.Abs(rat) < tol1 {
			if rat >= 0 {
				u = x + tol1
			} else {
				u = x - tol1
			}
		}
		fu, err := f(u)
		if err != nil {
			return 0, err
		}
		if fu > fx {
			if u < x {
				a = u
			} else {
				b = u
			}
			if fu <= fw || w == x {
				v, w, fv, fw = w, u, fw, fu
			} else if fu <= fv || v == x || v == w {
				v, fv = u, fu
			}
		} else {
			if u >= x {
				a = x
			} else {
				b = x
			}
			v, w, x = w, x, u
			fv, fw, fx = fw, fx, fu
		}
	}
	if iter >= maxIter || x < MinRetention || x > MaxRetention {
		return x, errors.New("optimal retention: no minimum found in 0.70-0.95")
	}
	return x, nil
}
