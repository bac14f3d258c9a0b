package history

import (
	"time"

	"github.com/srs-tool/srs/fsrs/optimize"
)

// Habits are how a user answers: how they rate and how long an answer
// takes. Each is the user's own pulled toward the population's (fsrs-rs's
// simulator defaults) by n/(n+50), n the reviews it is measured on, as
// fsrs-rs's extract_simulator_config does: a few reviews move it little.
type Habits struct {
	FirstRating [4]float64 // share of Again, Hard, Good, Easy at a new card's first rating
	PassRating  [3]float64 // share of Hard, Good, Easy among later ratings that were not Again
	// Seconds is how long a rating takes, by the card's state before it
	// (learning, review, relearning) and the rating (Again..Easy).
	Seconds [3][4]float64
}

// smoothing is the n of n/(n+smoothing): the reviews at which the user's
// own figure and the population's weigh the same.
const smoothing = 50

// Habits measures the user's habits over the log's cards. First ratings
// and later ratings come from the cards whose ratings start with a new
// card; answer times from every counted rating (times of 20 minutes or
// more are breaks and left out).
func (l *Log) Habits() Habits {
	def := optimize.DefaultSimConfig()
	h := Habits{FirstRating: def.FirstRatingProb, PassRating: def.ReviewRatingProb, Seconds: def.StateRatingCosts}
	var first [4]float64
	var pass [3]float64
	for _, c := range l.Cards {
		if !c.FirstNew || len(c.Reviews) == 0 {
			continue
		}
		first[c.Reviews[0].Rating-1]++
		for _, rv := range c.Reviews[1:] {
			if rv.Rating > 1 {
				pass[rv.Rating-2]++
			}
		}
	}
	blend(h.FirstRating[:], first[:])
	blend(h.PassRating[:], pass[:])
	for st := range 3 {
		for r := range 4 {
			var sum time.Duration
			n := 0
			for _, c := range l.Cards {
				for _, d := range c.times[st][r] {
					sum += d
					n++
				}
			}
			if n > 0 {
				w := float64(n) / float64(n+smoothing)
				h.Seconds[st][r] = w*(sum.Seconds()/float64(n)) + (1-w)*h.Seconds[st][r]
			}
		}
	}
	return h
}

// blend pulls the shares dst toward the counts' shares by n/(n+50).
func blend(dst, counts []float64) {
	n := 0.0
	for _, c := range counts {
		n += c
	}
	if n == 0 {
		return
	}
	w := n / (n + smoothing)
	for i := range dst {
		dst[i] = w*counts[i]/n + (1-w)*dst[i]
	}
}

// Apply sets the simulator's rating habits and answer times to h.
func (h Habits) Apply(cfg *optimize.SimConfig) {
	cfg.FirstRatingProb = h.FirstRating
	cfg.ReviewRatingProb = h.PassRating
	cfg.StateRatingCosts = h.Seconds
}

// AnswerSeconds is how long a user's answer takes, in seconds, from
// times measured: their mean pulled toward prior (what a card of the kind
// is thought to take) by n/(n+50), n the times measured, as Habits pulls
// each figure toward the population's. Times of 20 minutes or more are
// breaks and left out; zero times (imported reviews carry none) too.
func AnswerSeconds(times []time.Duration, prior float64) float64 {
	var sum time.Duration
	n := 0
	for _, d := range times {
		if d > 0 && d < 20*time.Minute {
			sum += d
			n++
		}
	}
	if n == 0 {
		return prior
	}
	return Blend(sum.Seconds()/float64(n), n, prior)
}

// Blend is a user's own figure, the mean of n measurements, pulled
// toward prior by n/(n+50), as Habits pulls each of its figures toward
// the population's.
func Blend(mean float64, n int, prior float64) float64 {
	if n <= 0 {
		return prior
	}
	w := float64(n) / float64(n+smoothing)
	return w*mean + (1-w)*prior
}
