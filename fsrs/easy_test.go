package fsrs

import (
	"fmt"
	"testing"
	"time"

	gofsrs "github.com/open-spaced-repetition/go-fsrs/v4"
)

// Easy on a new, learning or relearning card schedules more days than
// Good, for every such state reachable within a few ratings (at gaps of
// a step, a few hours and days), under the default steps and others:
// none, one, three, and steps of a day or more. The same states under
// raw go-fsrs must include rows where Easy is not longer, or the test
// would not be testing the rule.
func TestEasyLongerThanGood(t *testing.T) {
	stepSets := []struct{ learn, relearn []time.Duration }{
		{[]time.Duration{time.Minute, 10 * time.Minute}, []time.Duration{10 * time.Minute}}, // defaults
		{nil, nil},
		{[]time.Duration{10 * time.Minute}, nil},
		{[]time.Duration{time.Minute, 10 * time.Minute, time.Hour}, []time.Duration{10 * time.Minute, time.Hour}},
		{[]time.Duration{15 * time.Minute, 24 * time.Hour}, []time.Duration{24 * time.Hour}},
		{[]time.Duration{30 * time.Minute, 3 * 24 * time.Hour}, []time.Duration{5 * time.Minute, 2 * 24 * time.Hour}},
	}
	gaps := []time.Duration{0, 10 * time.Minute, 5 * time.Hour, 26 * time.Hour, 4 * 24 * time.Hour}
	checked, rawTies := 0, 0
	for _, steps := range stepSets {
		for _, fuzz := range []bool{false, true} {
			s := DefaultSettings()
			s.TimeZone, s.Fuzz = "America/Los_Angeles", fuzz
			s.LearningSteps, s.RelearningSteps = steps.learn, steps.relearn
			sc := mustScheduler(t, s)
			raw := gofsrs.NewFSRS(s.parameters())
			name := fmt.Sprintf("steps %v/%v fuzz %v", steps.learn, steps.relearn, fuzz)
			start := time.Date(2026, 3, 6, 20, 0, 0, 0, time.UTC)
			type node struct {
				c     Card
				now   time.Time
				depth int
			}
			queue := []node{{NewCard(start), start, 0}}
			for len(queue) > 0 {
				n := queue[0]
				queue = queue[1:]
				got, err := sc.Preview(n.c, n.now)
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				if n.c.State != Review {
					checked++
					good, easy := got[Good-1], got[Easy-1]
					if easy.Card.State != Review {
						t.Fatalf("%s: Easy on %+v did not graduate: %+v", name, n.c, easy.Card)
					}
					goodDays := uint64(0)
					if good.Card.State == Review {
						goodDays = good.Card.ScheduledDays
					}
					if easy.Card.ScheduledDays <= goodDays || easy.Card.ScheduledDays < 2 ||
						easy.Interval <= good.Interval || !easy.Card.Due.After(good.Card.Due) {
						t.Errorf("%s: card %+v at %s: Good %v (%d days, due %s), Easy %v (%d days, due %s)", name, n.c, n.now,
							good.Interval, good.Card.ScheduledDays, good.Card.Due, easy.Interval, easy.Card.ScheduledDays, easy.Card.Due)
					}
					if log, err := raw.Repeat(sc.shift(n.now).in(n.c, n.now), sc.shift(n.now).at(n.now)); err == nil &&
						log[Good].Card.State == Review && log[Easy].Card.ScheduledDays <= log[Good].Card.ScheduledDays {
						rawTies++
					}
				}
				if n.depth == 3 {
					continue
				}
				for _, o := range got {
					if o.Rating == Easy && n.depth > 0 {
						continue // Easy leaves learning; one branch of it is enough
					}
					for _, gap := range gaps {
						next := o.Card
						now := n.now.Add(gap)
						if next.State == Review && gap < 24*time.Hour {
							continue // a review card comes back on a later day
						}
						if next.State != Review && gap > 0 && now.Before(next.Due) {
							now = next.Due // a step is shown when due
						}
						c, err := sc.Next(n.c, n.now, o.Rating)
						if err != nil {
							t.Fatal(err)
						}
						if c != next {
							t.Fatalf("%s: Next %+v, preview %+v", name, c, next)
						}
						queue = append(queue, node{next, now, n.depth + 1})
					}
				}
			}
		}
	}
	t.Logf("%d learning and relearning states checked; go-fsrs alone gives Easy no longer than Good in %d", checked, rawTies)
	if checked < 1000 || rawTies == 0 {
		t.Errorf("checked %d states, %d ties under raw go-fsrs: the exploration no longer reaches the cases the rule is for", checked, rawTies)
	}
}

// Easy raised past Good stays within maximum_interval.
func TestEasyWithinMaximumInterval(t *testing.T) {
	s := DefaultSettings()
	s.MaximumInterval, s.Fuzz = 2, false
	sc := mustScheduler(t, s)
	now := time.Date(2026, 3, 6, 20, 0, 0, 0, time.UTC)
	c := Card{State: Learning, Stability: 3, Difficulty: 5, Reps: 2, RemainingSteps: 1, LastReview: now.Add(-10 * time.Minute), Due: now}
	got, err := sc.Preview(c, now)
	if err != nil {
		t.Fatal(err)
	}
	if got[Good-1].Card.ScheduledDays != 2 || got[Easy-1].Card.ScheduledDays != 2 {
		t.Errorf("maximum_interval 2: Good %d days, Easy %d days, want 2 and 2", got[Good-1].Card.ScheduledDays, got[Easy-1].Card.ScheduledDays)
	}
}
