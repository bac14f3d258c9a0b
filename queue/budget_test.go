package queue_test

import (
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/srs-tool/srs/fsrs"
	"github.com/srs-tool/srs/queue"
	"github.com/srs-tool/srs/store"
)

// minutes sets the user's minutes_per_day from before t0's day.
func (f *fixture) minutes(m int) {
	f.t.Helper()
	f.settings(dayStart(0).Add(-time.Hour), func(s *fsrs.Settings) { s.MinutesPerDay = m })
}

// With nothing measured, an answer is 60 s, a new card 2.25 answers
// (135 s) and a review 1.1 answers (66 s): minutes_per_day caps the new
// cards at what fits, and 0 is no budget.
func TestBudgetCapsNewCards(t *testing.T) {
	for _, c := range []struct {
		minutes, reviews int
		wantNew          int
	}{
		{0, 0, 10},    // no budget: new_per_day
		{10, 0, 4},    // 600 s: four of 135 s
		{60, 0, 10},   // room for more than new_per_day: new_per_day
		{10, 3, 2},    // 600 - 3×66 = 402 s: two
		{10, 8, 0},    // 600 - 528 = 72 s: none
		{10, 12, 0},   // reviews over the budget: all of them, no new card
		{1, 0, 0},     // less than a new card
		{3, 0, 1},     // 180 s
		{1440, 5, 10}, /* a whole day */
	} {
		t.Run(fmt.Sprintf("%dmin_%dreviews", c.minutes, c.reviews), func(t *testing.T) {
			f := newFixture(t)
			f.deck("d", basics(20)...)
			var ids []string
			for i := range c.reviews {
				ids = append(ids, fmt.Sprintf("r%02d", i))
			}
			f.deck("r", ids...)
			for _, id := range ids {
				f.review("r/"+id, t0.Add(-24*time.Hour), dayStart(0).Add(time.Hour), 5)
			}
			f.minutes(c.minutes)
			q := f.today(t0, queue.Options{})
			if q.Counts.New != c.wantNew || q.Counts.Review != c.reviews {
				t.Fatalf("got %+v, want %d new and every one of the %d reviews", q.Counts, c.wantNew, c.reviews)
			}
			if c.minutes == 0 {
				if q.Budget != nil {
					t.Fatalf("no budget, yet %+v", *q.Budget)
				}
				return
			}
			want := queue.Budget{Minutes: c.minutes, Seconds: float64(c.reviews)*66 + float64(c.wantNew)*135, Held: 10 - c.wantNew}
			if b := q.Budget; b == nil || b.Minutes != want.Minutes || b.Held != want.Held || math.Abs(b.Seconds-want.Seconds) > 1e-6 {
				t.Fatalf("budget %+v, want %+v", b, want)
			}
		})
	}
}

// The estimate holds steady through the day: a card rated (new or
// review) moves from what the day holds to what it did, at the same
// cost, so the new cards still to come fall only by those introduced.
func TestBudgetHoldsThroughDay(t *testing.T) {
	f := newFixture(t)
	f.deck("d", basics(20)...)
	f.deck("r", "r1", "r2", "r3")
	for _, id := range []string{"r1", "r2", "r3"} {
		f.review("r/"+id, t0.Add(-24*time.Hour), dayStart(0).Add(time.Hour), 5)
	}
	f.minutes(10) // 600 - 3×66 = 402 s: two new cards
	steps := []struct {
		card   string
		rating fsrs.Rating
		want   queue.Counts // left after it
	}{
		{"", 0, queue.Counts{New: 2, Review: 3}},
		{"r/r1", fsrs.Again, queue.Counts{New: 2, Review: 2, Learning: 1}},
		{"d/c01", fsrs.Good, queue.Counts{New: 1, Review: 2, Learning: 2}},
		{"r/r2", fsrs.Good, queue.Counts{New: 1, Review: 1, Learning: 2}},
		{"d/c02", fsrs.Again, queue.Counts{New: 0, Review: 1, Learning: 3}},
	}
	at := t0
	for _, s := range steps {
		if s.card != "" {
			f.rate(s.card, at, s.rating)
			at = at.Add(time.Minute)
		}
		q := f.today(at, queue.Options{})
		if q.Counts != s.want {
			t.Fatalf("after %s: %+v, want %+v", s.card, q.Counts, s.want)
		}
		// 3 reviews and 2 new cards, whatever is done of them.
		if q.Budget == nil || math.Abs(q.Budget.Seconds-(3*66+2*135)) > 1e-6 {
			t.Fatalf("after %s: budget %+v", s.card, q.Budget)
		}
	}
}

// The costs are the user's own, measured before today: ten new cards
// answered Easy in 4 s each, two days ago, make a new card 103.4 s
// (50.7 s an answer, 2.04 answers; see TestPlanMinutes), and five fit in
// ten minutes where four did at the default 60 s.
func TestBudgetMeasuredCosts(t *testing.T) {
	f := newFixture(t)
	f.deck("d", basics(30)...)
	f.minutes(10)
	if q := f.today(t0, queue.Options{}); q.Counts.New != 4 {
		t.Fatalf("nothing measured: %+v", q.Counts)
	}
	f.settings(t0.Add(-72*time.Hour), func(s *fsrs.Settings) { s.NewPerDay = 30 })
	for i := range 10 {
		f.rate(fmt.Sprintf("d/c%02d", i+21), t0.Add(-48*time.Hour+time.Duration(i)*time.Minute), fsrs.Easy)
	}
	q := f.today(t0, queue.Options{})
	if q.Counts.Review != 0 || q.Counts.New != 5 {
		t.Fatalf("measured: %+v", q.Counts)
	}
	// Today's answers do not move today's estimate: they are measured
	// from tomorrow.
	f.rate("d/c01", t0, fsrs.Easy)
	if q := f.today(t0.Add(time.Minute), queue.Options{}); q.Counts.New != 4 {
		t.Fatalf("after one today: %+v", q.Counts)
	}
}

// A plan's new cards come at its own quota whatever the budget (a plan
// is a commitment to a date), and take their share of the day's
// minutes: the user's own new cards get what is left.
func TestBudgetUnderPlan(t *testing.T) {
	f := newFixture(t, func(s *fsrs.Settings) { s.NewPerDay = 20 })
	f.planDeck("p", basics(6)...)
	f.deck("o", basics(10)...)
	f.minutes(10)
	// The plan takes its six (new_per_day raises its pace), 810 s, over
	// the budget of 600 s: no card of the user's own.
	f.plan(store.Plan{Date: "2026-12-02", Deck: "p"})
	q := f.today(t0, queue.Options{})
	if q.Counts.New != 6 || cards(q.Show()) != "p/c01 p/c02 p/c03 p/c04 p/c05 p/c06" {
		t.Fatalf("10 minutes: %+v %s", q.Counts, cards(q.Show()))
	}
	// 1800 - 810 = 990 s: seven of the user's own.
	f.minutes(30)
	if q := f.today(t0, queue.Options{}); q.Counts.New != 13 || cards(q.Show()[6:]) != "o/c01 o/c02 o/c03 o/c04 o/c05 o/c06 o/c07" {
		t.Fatalf("30 minutes: %+v %s", q.Counts, cards(q.Show()))
	}
}
