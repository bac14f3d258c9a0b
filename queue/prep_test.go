package queue_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/srs-tool/srs/deck"
	"github.com/srs-tool/srs/fsrs"
	"github.com/srs-tool/srs/queue"
	"github.com/srs-tool/srs/store"
)

// planDeck imports a deck whose cards are named by their IDs: "q…" a
// question, "q….fN" its follow-up, anything else a basic card; every
// card is tagged loop:x, and those in untagged are not.
func (f *fixture) planDeck(name string, ids ...string) {
	f.t.Helper()
	d := &deck.Deck{Name: name, Source: name + ".md"}
	for _, id := range ids {
		c := deck.Card{ID: id, Deck: name, Kind: deck.KindBasic, Front: "Front of " + id, Back: "Back", Tags: []string{"loop:x"}}
		if q, _, ok := strings.Cut(id, ".f"); ok {
			c.Kind, c.Parent = deck.KindFollowUp, q
		} else if strings.HasPrefix(id, "q") {
			c.Kind = deck.KindQuestion
		}
		d.Cards = append(d.Cards, c)
	}
	if _, err := f.s.ImportDeck(d, store.ImportOptions{Now: t0.Add(-72 * time.Hour)}); err != nil {
		f.t.Fatal(err)
	}
}

func (f *fixture) plan(p store.Plan) store.Plan {
	f.t.Helper()
	if p.Minutes == 0 {
		p.Minutes = 600
	}
	if p.Target == 0 {
		p.Target = 0.9
	}
	p, err := f.s.AddPlan("ann", p, t0.Add(-time.Hour))
	if err != nil {
		f.t.Fatal(err)
	}
	return p
}

func basics(n int) []string {
	var ids []string
	for i := range n {
		ids = append(ids, fmt.Sprintf("c%02d", i+1))
	}
	return ids
}

// A plan raises the day's new cards in scope to its pace, the cards left
// over the days left before the final days; the other decks get what is
// left of the user's own limit.
func TestPlanPace(t *testing.T) {
	f := newFixture(t, func(s *fsrs.Settings) { s.NewPerDay = 2 })
	f.planDeck("d", basics(20)...)
	f.deck("o", "o1", "o2")
	if got := f.today(t0, queue.Options{}).Counts.New; got != 2 {
		t.Fatalf("without a plan, %d new cards", got)
	}
	// The date is 5 days away: 2 days before the final 3, 10 cards a day.
	f.plan(store.Plan{Date: "2026-12-02", Loops: []string{"x"}})
	q := f.today(t0, queue.Options{})
	if q.Counts.New != 10 || !strings.HasPrefix(cards(q.Show()), "d/c01 d/c02") || strings.Contains(cards(q.Show()), "o/") {
		t.Fatalf("with the plan: %+v %s", q.Counts, cards(q.Show()))
	}
	// The day holds steady: three introduced, seven to come.
	for i, c := range []string{"d/c01", "d/c02", "d/c03"} {
		f.rate(c, t0.Add(time.Duration(i)*time.Minute), fsrs.Good)
	}
	if q := f.today(t0.Add(5*time.Minute), queue.Options{}); q.Counts.New != 7 || q.Counts.Learning != 3 {
		t.Fatalf("after three: %+v", q.Counts)
	}
	// A session narrowed to the other deck: none of its cards today.
	if q := f.today(t0.Add(5*time.Minute), queue.Options{Deck: "o"}); q.Counts.New != 0 {
		t.Fatalf("other deck: %+v", q.Counts)
	}
	// The next day, the last before the final days: the 17 left.
	if q := f.today(t0.Add(24*time.Hour), queue.Options{}); q.Counts.New != 17 {
		t.Fatalf("next day: %+v", q.Counts)
	}
}

// New cards come only as far as the plan's minutes allow, at the user's
// measured answer time (60 s an answer and 2.25 answers a new card with
// nothing measured yet, 9/10 of the minutes filled).
func TestPlanMinutes(t *testing.T) {
	f := newFixture(t)
	f.planDeck("d", basics(20)...)
	f.plan(store.Plan{Date: "2026-12-02", Deck: "d", Minutes: 6}) // 324 s: two new cards of 135 s
	if q := f.today(t0, queue.Options{}); q.Counts.New != 2 {
		t.Fatalf("6 minutes: %+v", q.Counts)
	}
	// Answers measured before today count: ten new cards answered Easy
	// in 4 s each, two days ago, make an answer 50.7 s (pulled toward
	// its prior by 10/60; a basic card, the only kind measured, takes
	// as long as any) and a new card 2.04 answers, 103.4 s: three new
	// cards fit.
	for i := range 10 {
		f.rate(fmt.Sprintf("d/c%02d", i+11), t0.Add(-48*time.Hour+time.Duration(i)*time.Minute), fsrs.Easy)
	}
	if q := f.today(t0, queue.Options{}); q.Counts.New != 3 {
		t.Fatalf("with answers measured: %+v", q.Counts)
	}
}

// A plan introduces the longest chain first (prep.Chain: a question
// with two follow-ups needs three days, its next follow-up two, a card
// on its own one), then questions before follow-ups before the rest;
// follow-ups once their question is in Review, one of a group a day.
func TestPlanQuestionsFirst(t *testing.T) {
	f := newFixture(t, func(s *fsrs.Settings) { s.NewPerDay = 0 })
	f.planDeck("d", "b1", "q1", "q2", "q2.f1", "q2.f2", "b2")
	f.plan(store.Plan{Date: "2026-12-01", Deck: "d"}) // 4 days: all of it today
	if got := cards(f.today(t0, queue.Options{}).Show()); got != "d/q2 d/q1 d/b1 d/b2" {
		t.Fatalf("today: %s", got)
	}
	f.rate("d/q2", t0, fsrs.Easy) // straight to Review
	if got := cards(f.today(t0.Add(time.Minute), queue.Options{}).Show()); got != "d/q1 d/b1 d/b2" {
		t.Fatalf("after q2: %s", got)
	}
	if got := cards(f.today(t0.Add(24*time.Hour), queue.Options{}).Show()); got != "d/q2.f1 d/q1 d/b1 d/b2" {
		t.Fatalf("next day: %s", got)
	}
}

// A follow-up chain with no day to spare takes its group ahead of the
// group's review due today: two follow-ups left and two days to
// introduce in, the first comes today and the question waits a day; a
// week later the review comes first, as any day.
func TestPlanLateChain(t *testing.T) {
	for _, tc := range []struct {
		date, want string
	}{
		{"2026-12-02", "d/q1.f1 d/b1"}, // 2 days before the final ones
		{"2026-12-09", "d/q1 d/b1"},
	} {
		f := newFixture(t)
		f.planDeck("d", "q1", "q1.f1", "q1.f2", "b1")
		f.setReview("d/q1", t0.Add(-time.Hour), dayStart(-3), dayStart(0), 3)
		f.plan(store.Plan{Date: tc.date, Deck: "d"})
		if got := cards(f.today(t0, queue.Options{}).Show()); got != tc.want {
			t.Errorf("date %s: %s, want %s", tc.date, got, tc.want)
		}
	}
}

// setReview gives a card a Review state: last reviewed at last with
// stability s, due at due.
func (f *fixture) setReview(card string, at, last, due time.Time, s float64) {
	f.t.Helper()
	f.set(card, at, fsrs.Card{State: fsrs.Review, Stability: s, Difficulty: 5, Due: due, LastReview: last, Reps: 3})
}

// On the final days, cards due on or after the date are reviewed ahead:
// those last reviewed before the final days, and those predicted below
// the target on the day; the lowest recall on the day first. On the date
// the plan is over.
func TestPlanFinalDays(t *testing.T) {
	f := newFixture(t)
	f.planDeck("d", "a", "b", "c", "e", "n")
	f.deck("o", "o1")
	// The date is 3 days away: today is the first final day.
	f.setReview("d/a", t0.Add(-time.Hour), dayStart(-17), dayStart(13), 30)              // long ago, due after the date
	f.setReview("d/e", t0.Add(-time.Hour), dayStart(-2), dayStart(2), 4)                 // due before the date
	f.setReview("o/o1", t0.Add(-time.Hour), dayStart(-17), dayStart(13), 30)             // no plan's
	f.setReview("d/b", t0.Add(-30*time.Minute), t0.Add(-30*time.Minute), dayStart(8), 8) // reviewed today
	f.setReview("d/c", t0.Add(-20*time.Minute), t0.Add(-20*time.Minute), dayStart(4), 1) // today, weak
	f.plan(store.Plan{Date: "2026-11-30", Deck: "d"})
	q := f.today(t0, queue.Options{})
	if got := cards(q.Show()); got != "d/a d/n" || q.Counts.Review != 1 {
		t.Fatalf("first final day: %s %+v", got, q.Counts)
	}
	// The next day: c (recall on the day about 0.77) before a (0.93); b,
	// reviewed in the final days and above the target, waits.
	q = f.today(t0.Add(24*time.Hour), queue.Options{})
	if got := cards(q.Show()); got != "d/c d/a d/n" {
		t.Fatalf("second final day: %s", got)
	}
	f.rate("d/c", t0.Add(24*time.Hour), fsrs.Good)
	if q := f.today(t0.Add(24*time.Hour+time.Minute), queue.Options{}); cards(q.Show()) != "d/a d/n" || q.Counts.Review != 1 {
		t.Fatalf("after c: %s %+v", cards(q.Show()), q.Counts)
	}
	// On the date: nothing ahead of due; e, due before it, has come.
	if got := cards(f.today(dayStart(3).Add(time.Hour), queue.Options{}).Show()); got != "d/e d/n" {
		t.Fatalf("on the date: %s", got)
	}
}

// A plan's minutes hold on the final days too: ahead-of-due reviews stop
// at the first there is no time left for.
func TestPlanFinalDaysMinutes(t *testing.T) {
	f := newFixture(t)
	f.planDeck("d", "a", "b", "c")
	for _, c := range []string{"d/a", "d/b", "d/c"} {
		f.setReview(c, t0.Add(-time.Hour), dayStart(-17), dayStart(13), 30)
	}
	f.plan(store.Plan{Date: "2026-11-30", Deck: "d", Minutes: 2}) // 108 s: one review of 66 s
	if q := f.today(t0, queue.Options{}); q.Counts.Review != 1 {
		t.Fatalf("2 minutes: %+v %s", q.Counts, cards(q.Show()))
	}
}

// Working through a plan's day, every card Good in turn, shows exactly
// the new cards and reviews the day counted at its start; and the states
// the ratings leave are the ones a rebuild from the log gives (a plan
// moves no due).
func TestPlanDayAsCounted(t *testing.T) {
	f := newFixture(t)
	f.planDeck("d", append(basics(8), "q1", "q1.f1", "q2")...)
	f.rate("d/q1", t0.Add(-48*time.Hour+time.Minute), fsrs.Easy)
	f.setReview("d/c01", t0.Add(-2*time.Hour), dayStart(-20), dayStart(10), 30)
	f.setReview("d/c02", t0.Add(-2*time.Hour), dayStart(-3), dayStart(0), 3)
	f.plan(store.Plan{Date: "2026-11-30", Deck: "d", Minutes: 20})
	start := f.today(t0, queue.Options{})
	if start.Counts.Review < 2 || start.Counts.New == 0 {
		t.Fatalf("a day without both kinds: %+v %s", start.Counts, cards(start.Show()))
	}
	now := t0
	var news, reviews int
	for range 100 {
		q := f.today(now, queue.Options{})
		if len(q.Show()) == 0 {
			break
		}
		name, id := deck.SplitKey(q.Show()[0].Card)
		st, had := f.state(name + "/" + id)
		switch {
		case !had || st.State == fsrs.New:
			news++
		case st.State == fsrs.Review:
			reviews++
		}
		f.rate(name+"/"+id, now, fsrs.Good)
		now = now.Add(2 * time.Minute)
	}
	if news != start.Counts.New || reviews != start.Counts.Review {
		t.Fatalf("the day showed %d new and %d reviews; it counted %+v", news, reviews, start.Counts)
	}
	before := map[string]store.CardState{}
	for _, c := range append(basics(8), "q1", "q1.f1", "q2") {
		before[c], _ = f.state("d/" + c)
	}
	if _, err := f.s.Rebuild(); err != nil {
		t.Fatal(err)
	}
	for c, want := range before {
		if got, _ := f.state("d/" + c); got != want {
			t.Errorf("%s: rebuilt %+v, was %+v", c, got.Card, want.Card)
		}
	}
}
