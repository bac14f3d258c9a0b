package queue_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/srs-tool/srs/deck"
	"github.com/srs-tool/srs/fsrs"
	"github.com/srs-tool/srs/queue"
	"github.com/srs-tool/srs/store"
)

func TestOrderAndLearningSteps(t *testing.T) {
	f := newFixture(t)
	f.deck("d", "a", "b", "c")
	q := f.today(t0, queue.Options{})
	if got := cards(q.Show()); got != "d/a d/b d/c" || q.Counts != (queue.Counts{New: 3}) {
		t.Fatalf("day 1: %q %+v", got, q.Counts)
	}
	f.rate("d/a", t0, fsrs.Again) // learning, due in 1m
	q = f.today(t0, queue.Options{})
	if got := cards(q.Show()); got != "d/b d/c" || q.Counts != (queue.Counts{New: 2, Learning: 1}) || cards(q.Cards) != "d/b d/c d/a" {
		t.Fatalf("after Again: show %q of %q, %+v", got, cards(q.Cards), q.Counts)
	}
	if q = f.today(t0.Add(2*time.Minute), queue.Options{}); cards(q.Show()) != "d/a d/b d/c" {
		t.Fatalf("learning card due: want it first, got %q", cards(q.Show()))
	}
	f.rate("d/b", t0.Add(2*time.Minute), fsrs.Easy)
	f.rate("d/c", t0.Add(2*time.Minute), fsrs.Easy)
	if q = f.today(t0.Add(2*time.Minute), queue.Options{}); cards(q.Show()) != "d/a" {
		t.Fatalf("want only a, got %q", cards(q.Show()))
	}
	f.rate("d/a", t0.Add(2*time.Minute), fsrs.Good) // the 10m step
	q = f.today(t0.Add(3*time.Minute), queue.Options{})
	if cards(q.Show()) != "d/a" || q.Counts != (queue.Counts{Learning: 1}) || !q.NextDue.Equal(t0.Add(12*time.Minute)) {
		t.Fatalf("learn ahead: %q %+v next %v", cards(q.Show()), q.Counts, q.NextDue)
	}
	// A month later the Easy cards are due for review; a is still in its
	// steps (carried over) and comes first.
	q = f.today(t0.Add(30*24*time.Hour), queue.Options{})
	if q.Counts != (queue.Counts{Learning: 1, Review: 2}) || cards(q.Show()[:1]) != "d/a" {
		t.Fatalf("a month later: %+v %q", q.Counts, cards(q.Show()))
	}
}

// A learning card due beyond the learn-ahead limit is counted but not
// shown; the next due time is its.
func TestLearnAheadLimit(t *testing.T) {
	f := newFixture(t, func(s *fsrs.Settings) { s.LearningSteps = []time.Duration{time.Minute, time.Hour} })
	f.deck("d", "a")
	f.rate("d/a", t0, fsrs.Good) // the 1h step
	for _, tc := range []struct {
		at   time.Duration
		show string
		next time.Time // zero once it is due
	}{{time.Minute, "", t0.Add(time.Hour)}, {39 * time.Minute, "", t0.Add(time.Hour)},
		{40 * time.Minute, "d/a", t0.Add(time.Hour)}, {61 * time.Minute, "d/a", time.Time{}}} {
		q := f.today(t0.Add(tc.at), queue.Options{})
		if cards(q.Show()) != tc.show || q.Counts != (queue.Counts{Learning: 1}) || !q.NextDue.Equal(tc.next) {
			t.Errorf("%v later: show %q %+v next %v", tc.at, cards(q.Show()), q.Counts, q.NextDue)
		}
	}
}

func TestFollowUpWaitsForQuestion(t *testing.T) {
	f := newFixture(t)
	f.deck("d", "q", "q.f1", "q.f2", "z")
	if got := cards(f.today(t0, queue.Options{}).Show()); got != "d/q d/z" {
		t.Fatalf("follow-up offered before its question: %q", got)
	}
	f.rate("d/q", t0, fsrs.Good) // learning
	if got := cards(f.today(t0.Add(11*time.Minute), queue.Options{}).Show()); got != "d/q d/z" {
		t.Fatalf("question learning: %q", got)
	}
	f.rate("d/q", t0.Add(11*time.Minute), fsrs.Good) // graduates
	if got := cards(f.today(t0.Add(12*time.Minute), queue.Options{}).Show()); got != "d/z" {
		t.Fatalf("a follow-up the day its question was rated: %q", got)
	}
	q := f.today(t0.Add(24*time.Hour), queue.Options{})
	if got := cards(q.Show()); got != "d/q.f1 d/z" {
		t.Fatalf("next day, one follow-up: %q", got)
	}
	err := f.s.Read("ann", func(r *store.Reader) error {
		it, err := queue.LoadItem(r, q.Show()[0].Card)
		if err != nil {
			return err
		}
		if it.Card.Front != "Front of q.f1" || it.Parent == nil || it.Parent.Front != "Front of q" || it.HadState {
			t.Errorf("follow-up without its question as context: %+v %+v", it.Card, it.Parent)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestNewLimitResetsNextDay(t *testing.T) {
	f := newFixture(t, func(s *fsrs.Settings) { s.NewPerDay = 2 })
	f.deck("d", "a", "b", "c")
	if got := cards(f.today(t0, queue.Options{}).Show()); got != "d/a d/b" {
		t.Fatalf("limit 2: %q", got)
	}
	f.rate("d/a", t0, fsrs.Easy)
	if q := f.today(t0, queue.Options{}); cards(q.Show()) != "d/b" || q.DoneNew != 1 {
		t.Fatalf("after one: %q done %d", cards(q.Show()), q.DoneNew)
	}
	if got := cards(f.today(dayStart(1), queue.Options{}).Show()); got != "d/b d/c" {
		t.Fatalf("next day: %q", got)
	}
}

// New cards are gathered across decks in the user's new_order:
// round-robin shares them out, each to the deck that introduced the
// fewest today; deck order takes each deck's in turn.
func TestNewOrder(t *testing.T) {
	for _, tc := range []struct {
		name   string
		order  string
		rated  []string // introduced earlier today
		want   string   // the new cards today holds, in order
		guide  int      // of them, the guide's
		others [2]int   // k8s's and net's
	}{
		{"round-robin", "", nil, "guide/g1 k8s/k1 net/n1 guide/g2 k8s/k2 net/n2 guide/g3", 3, [2]int{2, 2}},
		{"round-robin by name", fsrs.NewOrderRoundRobin, nil, "guide/g1 k8s/k1 net/n1 guide/g2 k8s/k2 net/n2 guide/g3", 3, [2]int{2, 2}},
		{"deck", fsrs.NewOrderDeck, nil, "guide/g1 guide/g2 guide/g3 guide/g4 guide/g5 k8s/k1 k8s/k2", 5, [2]int{2, 0}},
		// The guide introduced two today: the other decks catch up first.
		{"round-robin after two", "", []string{"guide/g1", "guide/g2"}, "k8s/k1 net/n1 k8s/k2 net/n2 guide/g3", 1, [2]int{2, 2}},
		// Taking the first card of the sharing keeps the rest as it was.
		{"round-robin after the first", "", []string{"guide/g1"}, "k8s/k1 net/n1 guide/g2 k8s/k2 net/n2 guide/g3", 2, [2]int{2, 2}},
		{"deck after two", fsrs.NewOrderDeck, []string{"guide/g1", "guide/g2"}, "guide/g3 guide/g4 guide/g5 k8s/k1 k8s/k2", 3, [2]int{2, 0}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, func(s *fsrs.Settings) { s.NewPerDay = 7; s.NewOrder = tc.order })
			f.deck("guide", "g1", "g2", "g3", "g4", "g5")
			f.deck("k8s", "k1", "k2", "k3", "k4", "k5")
			f.deck("net", "n1", "n2", "n3", "n4", "n5")
			for i, c := range tc.rated {
				f.rate(c, t0.Add(time.Duration(i)*time.Second), fsrs.Easy)
			}
			q := f.today(t0.Add(time.Minute), queue.Options{})
			if got := cards(q.Show()); got != tc.want {
				t.Errorf("new cards %q, want %q", got, tc.want)
			}
			want := []queue.DeckCounts{{Deck: "guide", Counts: queue.Counts{New: tc.guide}},
				{Deck: "k8s", Counts: queue.Counts{New: tc.others[0]}}, {Deck: "net", Counts: queue.Counts{New: tc.others[1]}}}
			if len(q.Decks) != 3 || q.Decks[0] != want[0] || q.Decks[1] != want[1] || q.Decks[2] != want[2] {
				t.Errorf("per deck %+v, want %+v", q.Decks, want)
			}
		})
	}
}

// A deck's own limits cap it under the user's, which cap the total; a
// deck whose own review limit is reached gets no new cards.
func TestDeckLimits(t *testing.T) {
	f := newFixture(t)
	f.deck("guide", "g1", "g2", "g3")
	f.deck("k8s", "k1", "k2", "k3", "k4", "k5", "k6", "k7", "k8", "r1", "r2", "r3")
	f.deck("net", "n1", "n2", "n3", "r1", "r2", "r3")
	for i, c := range []string{"k8s/r1", "k8s/r2", "k8s/r3", "net/r1", "net/r2", "net/r3"} {
		f.review(c, t0.Add(-24*time.Hour), dayStart(0), float64(5+i))
	}
	check := func(what string, want queue.Counts, decks ...queue.Counts) {
		t.Helper()
		q := f.today(t0, queue.Options{})
		ok := q.Counts == want && len(q.Decks) == len(decks)
		for i := range decks {
			ok = ok && q.Decks[i].Counts == decks[i]
		}
		if !ok {
			t.Fatalf("%s: %+v, per deck %+v; want %+v, %+v", what, q.Counts, q.Decks, want, decks)
		}
	}
	f.deckLimits("guide", 1, -1)
	f.deckLimits("net", 2, 1)
	check("net's review limit reached", queue.Counts{New: 9, Review: 4},
		queue.Counts{New: 1}, queue.Counts{New: 8, Review: 3}, queue.Counts{Review: 1})
	f.deckLimits("net", 2, 10)
	check("net's new limit", queue.Counts{New: 10, Review: 6},
		queue.Counts{New: 1}, queue.Counts{New: 7, Review: 3}, queue.Counts{New: 2, Review: 3})
	// A session of one deck gets that deck's limits, under the user's.
	if q := f.today(t0, queue.Options{Deck: "net"}); q.Counts != (queue.Counts{New: 2, Review: 3}) {
		t.Fatalf("net alone: %+v", q.Counts)
	}
	// The user's review limit caps the total; the least retrievable
	// (the least stable) go first.
	f.settings(t0.Add(-time.Minute), func(s *fsrs.Settings) { s.ReviewsPerDay = 2; s.NewIgnoresReviewLimit = true })
	q := f.today(t0, queue.Options{})
	if q.Counts.Review != 2 || cards(q.Show()[:2]) != "k8s/r1 k8s/r2" {
		t.Fatalf("user's limit 2: %+v, %q", q.Counts, cards(q.Show()))
	}
	// Limits count what was done today, per deck and over all.
	f.settings(t0.Add(-time.Minute), func(s *fsrs.Settings) { s.ReviewsPerDay = 200; s.NewIgnoresReviewLimit = false })
	f.rate("net/r1", t0, fsrs.Good)
	f.rate("net/n1", t0, fsrs.Good)
	if q := f.today(t0, queue.Options{Deck: "net"}); q.Counts != (queue.Counts{New: 1, Learning: 1, Review: 2}) || q.DoneReview != 1 || q.DoneNew != 1 {
		t.Fatalf("net after a review and a new card: %+v done %d/%d", q.Counts, q.DoneNew, q.DoneReview)
	}
	// The deck's own limits gone: the user's apply.
	f.deckLimits("net", -1, -1)
	if q := f.today(t0, queue.Options{Deck: "net"}); q.Counts != (queue.Counts{New: 2, Learning: 1, Review: 2}) {
		t.Fatalf("net under the user's limits: %+v", q.Counts)
	}
}

// As in Anki: new cards count against the review limit, and none come
// once the reviews take it, unless new_ignores_review_limit.
func TestReviewLimitStopsNewCards(t *testing.T) {
	setup := func(t *testing.T, reviews int, ignore bool) *fixture {
		f := newFixture(t, func(s *fsrs.Settings) { s.ReviewsPerDay = reviews; s.NewIgnoresReviewLimit = ignore })
		f.deck("d", "r1", "r2", "r3", "r4", "n1", "n2")
		for i, c := range []string{"d/r1", "d/r2", "d/r3", "d/r4"} {
			f.review(c, t0.Add(-24*time.Hour), dayStart(0), float64(3+i))
		}
		return f
	}
	for _, tc := range []struct {
		reviews int
		ignore  bool
		want    queue.Counts
	}{
		{3, false, queue.Counts{Review: 3}},
		{3, true, queue.Counts{Review: 3, New: 2}},
		{5, false, queue.Counts{Review: 4, New: 1}},
		{200, false, queue.Counts{Review: 4, New: 2}},
	} {
		f := setup(t, tc.reviews, tc.ignore)
		if q := f.today(t0, queue.Options{}); q.Counts != tc.want {
			t.Errorf("reviews_per_day %d, ignore %v: %+v, want %+v", tc.reviews, tc.ignore, q.Counts, tc.want)
		}
	}
	// A new card introduced takes from the review limit too: with 5 and
	// four reviews, the one new card is the day's last.
	f := setup(t, 5, false)
	f.rate("d/n1", t0, fsrs.Good)
	if q := f.today(t0, queue.Options{}); q.Counts != (queue.Counts{Review: 4, Learning: 1}) {
		t.Fatalf("after the new card: %+v", q.Counts)
	}
	if q := f.today(t0, queue.Options{}); !q.NextDue.IsZero() && q.NextDue.Before(t0) {
		t.Fatalf("next due %v", q.NextDue)
	}
}

// Learning cards left from an earlier day count against the review
// limit and come before reviews; those rated today are never limited.
func TestCarriedOverLearning(t *testing.T) {
	f := newFixture(t, func(s *fsrs.Settings) { s.ReviewsPerDay = 2 })
	f.deck("d", "l1", "l2", "r1", "r2")
	yesterday := t0.Add(-24 * time.Hour)
	for i, c := range []string{"d/l1", "d/l2"} {
		f.set(c, yesterday, fsrs.Card{State: fsrs.Learning, Stability: 1, Difficulty: 5, Due: yesterday.Add(time.Duration(10+i) * time.Minute),
			LastReview: yesterday, RemainingSteps: 1, Reps: 1})
	}
	for i, c := range []string{"d/r1", "d/r2"} {
		f.review(c, yesterday, dayStart(0), float64(3+i))
	}
	q := f.today(t0, queue.Options{})
	if cards(q.Show()) != "d/l1 d/l2" || q.Counts != (queue.Counts{Learning: 2}) || !q.NextDue.Equal(dayStart(1)) {
		t.Fatalf("two carried over, limit 2: %q %+v next %v", cards(q.Show()), q.Counts, q.NextDue)
	}
	f.settings(t0.Add(-time.Minute), func(s *fsrs.Settings) { s.ReviewsPerDay = 3 })
	if q := f.today(t0, queue.Options{}); cards(q.Show()) != "d/l1 d/l2 d/r1" || q.Counts != (queue.Counts{Learning: 2, Review: 1}) {
		t.Fatalf("limit 3: %q %+v", cards(q.Show()), q.Counts)
	}
	// l1 rated Again today: done against the limit once, and from now a
	// learning card of today's, never limited.
	f.rate("d/l1", t0, fsrs.Again)
	for _, at := range []time.Time{t0, t0.Add(5 * time.Minute)} {
		q := f.today(at, queue.Options{})
		if q.DoneReview != 1 || q.Counts != (queue.Counts{Learning: 2, Review: 1}) {
			t.Fatalf("at %s after l1 Again: %+v done %d", at.Format(time.Kitchen), q.Counts, q.DoneReview)
		}
	}
}

// A question and its follow-ups show one of them a day: the ones held
// back are not counted, so the count falls by one per rating.
func TestSiblingsHeldBackAreNotCounted(t *testing.T) {
	f := newFixture(t)
	f.deck("d", "q", "q.f1", "q.f2", "z")
	for i, c := range []string{"d/q", "d/q.f1", "d/q.f2", "d/z"} {
		f.review(c, t0.Add(-24*time.Hour), dayStart(0), float64(4+i))
	}
	q := f.today(t0, queue.Options{})
	if q.Counts != (queue.Counts{Review: 2}) || cards(q.Show()) != "d/q d/z" {
		t.Fatalf("three siblings and z due: %+v %q", q.Counts, cards(q.Show()))
	}
	f.rate("d/q", t0, fsrs.Good)
	if q := f.today(t0, queue.Options{}); q.Counts != (queue.Counts{Review: 1}) || cards(q.Show()) != "d/z" {
		t.Fatalf("after q: %+v %q", q.Counts, cards(q.Show()))
	}
	f.rate("d/z", t0, fsrs.Good)
	q = f.today(t0, queue.Options{})
	if q.Counts != (queue.Counts{}) || !q.NextDue.Equal(dayStart(1)) {
		t.Fatalf("done: %+v, next due %v (the held siblings are due tomorrow)", q.Counts, q.NextDue)
	}
	if q := f.today(dayStart(1), queue.Options{}); q.Counts != (queue.Counts{Review: 1}) || cards(q.Show()) != "d/q.f1" {
		t.Fatalf("tomorrow: %+v %q", q.Counts, cards(q.Show()))
	}
}

// Burying works in every state: a buried learning, review or new card
// stays away until the day it was buried on ends. Suspended cards are
// out of the day too; a card unsuspended comes back the same day.
func TestBuriedStaysAwayInEveryState(t *testing.T) {
	f := newFixture(t)
	f.deck("d", "l", "r", "n", "s")
	f.review("d/r", t0.Add(-24*time.Hour), dayStart(0), 5)
	f.rate("d/l", t0, fsrs.Again) // learning, due in a minute
	at := t0.Add(2 * time.Minute)
	if q := f.today(at, queue.Options{}); q.Counts != (queue.Counts{Learning: 1, Review: 1, New: 2}) {
		t.Fatalf("before: %+v", q.Counts)
	}
	for _, c := range []string{"d/l", "d/r", "d/n"} {
		f.act(c, at, store.ActBury)
	}
	f.act("d/s", at, store.ActSuspend)
	for _, now := range []time.Time{at, at.Add(20 * time.Minute), dayStart(1).Add(-time.Second)} {
		q := f.today(now, queue.Options{})
		if len(q.Cards) != 0 || q.Counts != (queue.Counts{}) || !q.NextDue.Equal(dayStart(1)) {
			t.Fatalf("at %s: %q %+v next %v", now.Format(time.Kitchen), cards(q.Cards), q.Counts, q.NextDue)
		}
	}
	f.act("d/s", at, store.ActUnsuspend)
	if q := f.today(at, queue.Options{}); cards(q.Show()) != "d/s" {
		t.Fatalf("unsuspended: %q", cards(q.Show()))
	}
	if q := f.today(dayStart(1), queue.Options{}); q.Counts != (queue.Counts{Learning: 1, Review: 1, New: 2}) {
		t.Fatalf("tomorrow: %+v", q.Counts)
	}
}

// Entries logged later than now (the clock was ahead when they were
// made) are not done yet: the day's done counts and sibling groups
// leave them out.
func TestDoneTodayIgnoresFutureEntries(t *testing.T) {
	f := newFixture(t)
	f.deck("d", "a", "a.f", "b")
	at := t0.Add(8 * time.Hour) // 18:00, the same day as t0
	f.rate("d/a", at, fsrs.Good)
	f.rate("d/b", at, fsrs.Easy)
	for _, tc := range []struct {
		now  time.Time
		done int
	}{{t0, 0}, {at, 2}} {
		if q := f.today(tc.now, queue.Options{}); q.DoneNew != tc.done {
			t.Errorf("at %s: %d new done, want %d", tc.now.Format(time.Kitchen), q.DoneNew, tc.done)
		}
	}
}

// --deck and --tag narrow a day; each deck's share is listed, and the
// shares add up to the total.
func TestOptionsAndShares(t *testing.T) {
	f := newFixture(t, func(s *fsrs.Settings) { s.NewPerDay = 3 })
	f.deck("a", "1", "2")
	f.deck("b", "1", "t-2", "3", "t-4")
	f.rate("b/1", t0, fsrs.Again)
	q := f.today(t0, queue.Options{})
	if q.Counts != (queue.Counts{New: 2, Learning: 1}) || q.DoneNew != 1 || len(q.Decks) != 2 {
		t.Fatalf("total %+v done %d decks %+v", q.Counts, q.DoneNew, q.Decks)
	}
	// b introduced one today: a catches up first.
	if q.Decks[0] != (queue.DeckCounts{Deck: "a", Counts: queue.Counts{New: 2}}) || q.Decks[1] != (queue.DeckCounts{Deck: "b", Counts: queue.Counts{Learning: 1}}) {
		t.Fatalf("per deck %+v", q.Decks)
	}
	if q := f.today(t0, queue.Options{Deck: "b"}); q.Counts != (queue.Counts{New: 2, Learning: 1}) || len(q.Decks) != 1 || cards(q.Show()) != "b/t-2 b/3" {
		t.Fatalf("deck b: %+v %q %+v", q.Counts, cards(q.Show()), q.Decks)
	}
	if q := f.today(t0, queue.Options{Tag: "tagged"}); cards(q.Show()) != "b/t-2 b/t-4" {
		t.Fatalf("tag: %q", cards(q.Show()))
	}
}

// The forecast's today is what today holds of due cards; later days
// count the due index.
func TestForecast(t *testing.T) {
	f := newFixture(t)
	f.deck("d", "q", "q.f1", "a", "b", "c", "n")
	f.review("d/q", t0.Add(-24*time.Hour), dayStart(0), 4)
	f.review("d/q.f1", t0.Add(-24*time.Hour), dayStart(0), 4) // held back: a sibling
	f.review("d/a", t0.Add(-24*time.Hour), dayStart(1), 4)
	f.review("d/b", t0.Add(-24*time.Hour), dayStart(1), 4)
	f.review("d/c", t0.Add(-24*time.Hour), dayStart(6), 4)
	var fc []store.DayCount
	err := f.s.Read("ann", func(r *store.Reader) error {
		q, err := queue.Build(r, t0, queue.Options{})
		if err == nil {
			fc, err = queue.Forecast(r, q, 7)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []int{1, 2, 0, 0, 0, 0, 1}
	for i, d := range fc {
		if d.Count != want[i] || !d.Day.Equal(dayStart(i)) {
			t.Errorf("day %d: %d on %v, want %d on %v", i, d.Count, d.Day, want[i], dayStart(i))
		}
	}
}

func TestKeysAreDeckKeys(t *testing.T) {
	f := newFixture(t)
	f.deck("d", "a")
	if s := f.today(t0, queue.Options{}).Show(); len(s) != 1 || s[0].Card != deck.Key("d", "a") || s[0].Kind != queue.New {
		t.Fatalf("%+v", s)
	}
}

// Reviews come most forgotten first: the day's limit takes those of
// lowest retrievability, in that order.
func TestReviewsMostForgottenFirst(t *testing.T) {
	f := newFixture(t, func(s *fsrs.Settings) { s.ReviewsPerDay = 15; s.NewPerDay = 0 })
	rng := rand.New(rand.NewPCG(1, 2))
	var ids []string
	for i := range 40 {
		ids = append(ids, fmt.Sprintf("c%02d", i))
	}
	f.deck("d", ids...)
	for _, id := range ids {
		stab := 1 + rng.Float64()*30
		due := dayStart(-rng.IntN(20))
		f.set("d/"+id, t0.Add(-30*24*time.Hour), fsrs.Card{State: fsrs.Review, Stability: stab, Difficulty: 5, Due: due,
			LastReview: due.Add(-time.Duration(rng.IntN(40*24)) * time.Hour), Reps: 2})
	}
	q := f.today(t0, queue.Options{})
	if q.Counts.Review != 15 || len(q.Show()) != 15 {
		t.Fatalf("%+v", q.Counts)
	}
	sched := q.Scheduler
	r := func(card string) float64 {
		st, _ := f.state(key(card))
		return sched.Retrievability(st.Card, t0)
	}
	taken := map[string]bool{}
	for i, s := range q.Show() {
		taken[s.Card] = true
		if i > 0 && r(q.Show()[i-1].Card) > r(s.Card) {
			t.Errorf("%s (R %.4f) after %s (R %.4f)", s.Card, r(s.Card), q.Show()[i-1].Card, r(q.Show()[i-1].Card))
		}
	}
	last := r(q.Show()[14].Card)
	for _, id := range ids {
		if c := deck.Key("d", id); !taken[c] && r(c) < last {
			t.Errorf("%s (R %.4f) left out while one of R %.4f was taken", id, r(c), last)
		}
	}
}
