package queue_test

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/srs-tool/srs/deck"
	"github.com/srs-tool/srs/fsrs"
	"github.com/srs-tool/srs/queue"
	"github.com/srs-tool/srs/store"
)

// randomCollection fills a fixture with one to four decks of questions,
// some with follow-ups, random settings and per-deck limits, and a week
// of partial sessions before day0, and returns the deck names.
func randomCollection(f *fixture, rng *rand.Rand, day0 time.Time) []string {
	f.t.Helper()
	f.settings(day0.Add(-8*24*time.Hour), func(s *fsrs.Settings) {
		s.NewPerDay = rng.IntN(8)
		s.ReviewsPerDay = 1 + rng.IntN(25)
		s.NewOrder = []string{"", fsrs.NewOrderRoundRobin, fsrs.NewOrderDeck}[rng.IntN(3)]
		s.NewIgnoresReviewLimit = rng.IntN(3) == 0
		s.MinutesPerDay = []int{0, 0, 3, 10, 30}[rng.IntN(5)]
	})
	var names []string
	for i := range 1 + rng.IntN(4) {
		name := string(rune('a' + i))
		var ids []string
		for q := range 3 + rng.IntN(12) {
			ids = append(ids, fmt.Sprintf("q%d", q))
			for fu := range rng.IntN(3) {
				ids = append(ids, fmt.Sprintf("q%d.f%d", q, fu+1))
			}
		}
		f.deck(name, ids...)
		names = append(names, name)
		if rng.IntN(3) == 0 {
			f.deckLimits(name, rng.IntN(5)-1, rng.IntN(10)-1)
		}
	}
	now := day0.Add(-7 * 24 * time.Hour)
	for range 7 {
		q := f.today(now, queue.Options{})
		for i, s := range q.Show() {
			if rng.IntN(4) == 0 {
				break // the user stopped early
			}
			at := now.Add(time.Duration(i) * time.Minute)
			switch rng.IntN(12) {
			case 0:
				f.act(key(s.Card), at, store.ActBury)
			case 1:
				f.act(key(s.Card), at, store.ActSuspend)
			default:
				f.rate(key(s.Card), at, fsrs.Rating(1+rng.IntN(4)))
			}
		}
		now = now.Add(24*time.Hour + time.Duration(rng.IntN(120))*time.Minute - time.Hour)
	}
	return names
}

// key turns a deck key into the fixture's "deck/id".
func key(card string) string {
	name, id := deck.SplitKey(card)
	return name + "/" + id
}

// view is what a Today says, for comparing two.
type view struct {
	Counts   queue.Counts
	Decks    []queue.DeckCounts
	Cards    []queue.Slot
	Show     []queue.Slot
	NextDue  time.Time
	Done     [2]int
	DayStart time.Time
	Budget   *queue.Budget
}

func viewOf(t *queue.Today) view {
	return view{Counts: t.Counts, Decks: t.Decks, Cards: t.Cards, Show: t.Show(), NextDue: t.NextDue,
		Done: [2]int{t.DoneNew, t.DoneReview}, DayStart: t.Day.Start, Budget: t.Budget}
}

// TestLiveIsBuild: a session's kept queue, after each of its own
// ratings (and after other writes, an undo, a new day), says exactly
// what a fresh Build says, over random collections (some with interview
// dates ahead) and sessions.
func TestLiveIsBuild(t *testing.T) {
	seeds := 60
	if testing.Short() {
		seeds = 10
	}
	for seed := range seeds {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(uint64(seed), 7))
			f := newFixture(t)
			names := randomCollection(f, rng, t0)
			// Interview dates: none, or up to two, over a deck or all,
			// from tomorrow (a final day) to weeks away.
			for range rng.IntN(3) {
				p := store.Plan{Date: t0.AddDate(0, 0, 1+rng.IntN(25)).Format(store.DateLayout), Minutes: 5 + rng.IntN(60), Target: 0.9}
				if rng.IntN(2) == 0 {
					p.Deck = names[rng.IntN(len(names))]
				}
				if _, err := f.s.AddPlan("ann", p, t0); err != nil {
					t.Fatal(err)
				}
			}
			opt := queue.Options{}
			if rng.IntN(4) == 0 {
				opt.Deck = names[rng.IntN(len(names))]
			}
			live := queue.NewLive(opt)
			now := t0.Add(time.Duration(rng.IntN(600)) * time.Minute)
			applied := 0
			for step := range 150 {
				var got, want *queue.Today
				err := f.s.Read("ann", func(r *store.Reader) (err error) {
					if got, err = live.Today(r, now); err != nil {
						return err
					}
					want, err = queue.Build(r, now, opt)
					return err
				})
				if err != nil {
					t.Fatal(err)
				}
				if g, w := viewOf(got), viewOf(want); !reflect.DeepEqual(g, w) {
					t.Fatalf("step %d at %s: the kept queue says\n%+v\nBuild says\n%+v", step, now.Format(time.DateTime), g, w)
				}
				show := got.Show()
				if len(show) == 0 {
					break
				}
				card := key(show[rng.IntN(min(len(show), 2))].Card)
				switch rng.IntN(20) {
				case 0: // another process writes meanwhile
					f.deckLimits(names[rng.IntN(len(names))], rng.IntN(5)-1, rng.IntN(10)-1)
				case 1: // a bury: the session reads again
					f.act(card, now, store.ActBury)
					live.Forget()
					continue
				case 2: // the next day
					now = now.Add(24 * time.Hour)
				}
				e, parent := f.rateEntry(card, now, fsrs.Rating(1+rng.IntN(4)))
				v, err := f.s.Version()
				if err != nil {
					t.Fatal(err)
				}
				live.Rated(e, parent, v)
				applied++
				now = now.Add(time.Duration(rng.IntN(90)) * time.Second)
			}
			if applied == 0 {
				t.Logf("seed %d: nothing to rate", seed)
			}
		})
	}
}
