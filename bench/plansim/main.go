// Command plansim plays a simulated learner through the weeks before an
// interview date, with a plan (`srs plan add`) and without, driving the
// real queue, review session and scheduler over a real store, and prints
// what each got: when every card in scope was introduced, the predicted
// recall on the day, and the minutes each day took. bench/RESULTS.md
// keeps its table; plansim_test.go holds the plan to what issue 15 asks.
//
//	go run ./bench/plansim [-days 21] [-minutes 30] [-seeds 5]
package main

import (
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/srs-tool/srs/content"
	"github.com/srs-tool/srs/deck"
	"github.com/srs-tool/srs/fsrs"
	"github.com/srs-tool/srs/fsrs/optimize"
	"github.com/srs-tool/srs/review"
	"github.com/srs-tool/srs/store"
)

// Config is one simulation.
type Config struct {
	Days    int     // from the first day to the date
	Minutes int     // the plan's minutes a day (and the cap days are held to)
	Plan    bool    // with a plan for the built-in deck, or without
	Stop    bool    // the learner stops for the day once the minutes are spent
	Target  float64 // the plan's target recall
	Seed    uint64
	Dir     string // where the database goes
}

// Result is what the learner got.
type Result struct {
	Scope        int       // cards in scope: the built-in deck
	Introduced   int       // of them, introduced before the date
	LastIntroDay int       // the day the last of them was introduced (0 is the first day)
	Recall       float64   // mean predicted recall at the date's start, cards not introduced as 0
	Minutes      []float64 // answer time, each day
	Answers      int
}

// DaysWithin is how many days took at most the cap.
func (r Result) DaysWithin(cap float64) int {
	n := 0
	for _, m := range r.Minutes {
		if m <= cap+1e-9 {
			n++
		}
	}
	return n
}

// start is 09:00 UTC on the first day; the user's days start at 04:00.
var start = time.Date(2026, 11, 29, 9, 0, 0, 0, time.UTC)

const user = "sim"

// medianSeconds is how long the learner's answer takes, by kind: the
// guide's deep questions and prompts are answered out loud in outline, a
// follow-up a little faster, a probe or pattern (one line to recall) in
// seconds. Times are log-normal around these, σ 0.35.
var medianSeconds = map[deck.Kind]float64{
	deck.KindQuestion: 50, deck.KindFollowUp: 40, deck.KindPrompt: 45, deck.KindProbe: 25, deck.KindPattern: 25,
}

// Run plays cfg out.
func Run(cfg Config) (Result, error) {
	var res Result
	path := filepath.Join(cfg.Dir, fmt.Sprintf("plansim-%v-%d.db", cfg.Plan, cfg.Seed))
	os.Remove(path)
	open := func() (*store.Store, error) { return store.Open(path, store.Options{Now: start}) }
	s, err := open()
	if err != nil {
		return res, err
	}
	d, err := content.BuiltIn()
	if err != nil {
		s.Close()
		return res, err
	}
	st := fsrs.DefaultSettings()
	st.TimeZone = "UTC"
	if _, err = s.ImportDeck(d, store.ImportOptions{Now: start.Add(-time.Hour), Builtin: content.BuiltInVersion()}); err == nil {
		err = s.SetSettings(user, st, start.Add(-time.Hour))
	}
	date := start.AddDate(0, 0, cfg.Days).Format(store.DateLayout)
	if err == nil && cfg.Plan {
		_, err = s.AddPlan(user, store.Plan{Date: date, Deck: d.Name, Minutes: cfg.Minutes, Target: cfg.Target}, start.Add(-time.Hour))
	}
	s.Close()
	if err != nil {
		return res, err
	}
	sched, err := fsrs.NewScheduler(st)
	if err != nil {
		return res, err
	}
	kinds := map[string]deck.Kind{}
	for _, c := range d.Cards {
		kinds[c.Key()] = c.Kind
	}
	res.Scope = len(d.Cards)

	rng := rand.New(rand.NewPCG(cfg.Seed, 0x9ead))
	habits := optimize.DefaultSimConfig()
	introduced := map[string]bool{}
	res.Minutes = make([]float64, cfg.Days)
	for day := range cfg.Days {
		// Two sittings: the morning's, and an evening one for the
		// learning steps the morning left.
		for _, at := range []time.Duration{0, 10 * time.Hour} {
			clock := start.AddDate(0, 0, day).Add(at + time.Duration(rng.IntN(30))*time.Minute)
			now := func() time.Time { return clock }
			sess := review.New(review.Config{Open: open, User: user, Now: now, Clock: now})
			for !cfg.Stop || res.Minutes[day] < float64(cfg.Minutes) {
				c, err := sess.Next()
				if err != nil {
					return res, err
				}
				if c == nil {
					break
				}
				key := c.Card.Key()
				var r fsrs.Rating
				if !c.HadState || c.State.State == fsrs.New {
					r = fsrs.Rating(1 + pick(rng, habits.FirstRatingProb[:]))
					if !introduced[key] {
						introduced[key] = true
						res.LastIntroDay = day
					}
				} else if rng.Float64() < sched.Retrievability(c.State.Card, clock) {
					r = fsrs.Rating(2 + pick(rng, habits.ReviewRatingProb[:]))
				} else {
					r = fsrs.Again
				}
				secs := math.Min(medianSeconds[kinds[key]]*math.Exp(0.35*rng.NormFloat64()), review.MaxAnswerTime.Seconds())
				clock = clock.Add(time.Duration(secs * float64(time.Second)))
				if _, err := sess.Answer(c, r, clock); err != nil {
					return res, err
				}
				res.Minutes[day] += secs / 60
				res.Answers++

			}
		}
	}
	res.Introduced = len(introduced)

	// The prediction on the day: each card's retrievability at the
	// date's start from the state the weeks left it in.
	s, err = open()
	if err != nil {
		return res, err
	}
	defer s.Close()
	at := sched.DayOf(start.AddDate(0, 0, cfg.Days)).Start
	sum := 0.0
	for _, c := range d.Cards {
		cs, had, err := s.State(user, c.Deck, c.ID)
		if err != nil {
			return res, err
		}
		if had {
			sum += sched.Retrievability(cs.Card, at)
		}
	}
	res.Recall = sum / float64(res.Scope)
	return res, nil
}

func pick(rng *rand.Rand, p []float64) int {
	x := rng.Float64()
	for i, v := range p {
		if x < v {
			return i
		}
		x -= v
	}
	return len(p) - 1
}

func main() {
	days := flag.Int("days", 21, "days from the first to the date")
	minutes := flag.Int("minutes", 30, "the plan's minutes a day")
	seeds := flag.Int("seeds", 5, "learners (seeds 1..N)")
	flag.Parse()
	dir, err := os.MkdirTemp("", "plansim")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer os.RemoveAll(dir)
	fmt.Printf("%d guide cards, date %d days out, %d minutes a day\n\n", 136, *days, *minutes)
	fmt.Println("| seed | plan | introduced | last introduced (day) | recall on the day | days within the minutes | minutes a day: median / max | answers |")
	fmt.Println("|---|---|---|---|---|---|---|---|")
	for seed := 1; seed <= *seeds; seed++ {
		for _, v := range []struct {
			plan, stop bool
			name       string
		}{{true, false, fmt.Sprintf("%d min", *minutes)}, {false, false, "none"}, {false, true, fmt.Sprintf("none, stops at %d min", *minutes)}} {
			r, err := Run(Config{Days: *days, Minutes: *minutes, Plan: v.plan, Stop: v.stop, Target: 0.9, Seed: uint64(seed), Dir: dir})
			if err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(1)
			}
			m := slices.Clone(r.Minutes)
			slices.Sort(m)
			name := v.name
			fmt.Printf("| %d | %s | %d/%d | %d | %.3f | %d/%d | %.1f / %.1f | %d |\n", seed, name, r.Introduced, r.Scope, r.LastIntroDay,
				r.Recall, r.DaysWithin(float64(*minutes)), len(r.Minutes), m[len(m)/2], m[len(m)-1], r.Answers)
		}
	}
}
