package store

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/srs-tool/srs/deck"
	"github.com/srs-tool/srs/fsrs"
)

// view is everything a reader can learn about a user, to compare a store
// whose ratings are pending with one settled after every rating.
type view struct {
	Queue  []string
	Counts Counts
	Next   time.Time
	Status *Status
	States []string
}

func readView(t *testing.T, s *Store, user string, now time.Time) view {
	t.Helper()
	var v view
	q := queue(t, s, user, now, QueueOptions{})
	for _, it := range q.Items {
		v.Queue = append(v.Queue, fmt.Sprintf("%s %v %x", it.Card.Key(), it.HadState, encodeState(it.State)))
	}
	v.Counts, v.Next = q.Counts, q.NextDue
	var err error
	if v.Status, err = s.Status(user, now); err != nil {
		t.Fatal(err)
	}
	err = s.EachCardState(user, CardFilter{}, func(c StoredCard, st CardState, had bool) error {
		v.States = append(v.States, fmt.Sprintf("%s %v %x", c.Key(), had, encodeState(st)))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func pendingCount(t *testing.T, s *Store, user string) int {
	t.Helper()
	n, err := s.Pending(user)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestPendingReadersSeeEveryRating drives two stores through the same
// seeded sessions (ratings, suspends, buries, undos over three weeks):
// one leaves its ratings pending as Record does, the other settles after
// every step. Every reader must see the same thing in both, the list must
// stay bounded, and the settled databases must end identical.
func TestPendingReadersSeeEveryRating(t *testing.T) {
	var cards []deck.Card
	for i := range 40 {
		cards = append(cards, deck.Card{ID: fmt.Sprintf("q%02d", i), Tags: []string{"t" + fmt.Sprint(i%3)}})
		if i%4 == 0 {
			cards = append(cards, deck.Card{ID: fmt.Sprintf("q%02d.f", i), Parent: fmt.Sprintf("q%02d", i)})
		}
	}
	lazy, eager := openTemp(t), openTemp(t)
	for _, s := range []*Store{lazy, eager} {
		utcUser(t, s, "ann", func(st *fsrs.Settings) { st.NewPerDay = 15 })
		mustImport(t, s, testDeck("d", cards...))
	}
	rng := rand.New(rand.NewPCG(7, 7))
	var keys []LogKey // of lazy; eager's are the same keys
	maxSeen, last, fullSettles := 0, 0, 0
	now := t0
	steps := 0
	for day := range 21 {
		now = t0.Add(time.Duration(day) * 24 * time.Hour)
		for range 30 {
			now = now.Add(time.Duration(1+rng.IntN(5)) * time.Minute)
			q := queue(t, lazy, "ann", now, QueueOptions{})
			if len(q.Items) == 0 {
				break
			}
			it := q.Items[rng.IntN(min(3, len(q.Items)))]
			switch roll := rng.IntN(20); {
			case roll == 0 && len(keys) > 0: // undo the last step
				k := keys[len(keys)-1]
				keys = keys[:len(keys)-1]
				for _, s := range []*Store{lazy, eager} {
					if _, err := s.Undo("ann", k); err != nil {
						t.Fatalf("step %d undo: %v", steps, err)
					}
				}
			case roll == 1 || roll == 2: // suspend or bury
				after := it.State
				if !it.HadState {
					after.Card.Due = now // as review.Session schedules a never-seen card
				}
				act := ActSuspend
				if roll == 1 {
					after.Suspended = true
				} else {
					act, after.BuriedUntil = ActBury, now.Add(20*time.Hour)
				}
				ch := Change{Card: it.Card.Key(), Time: now, Action: act, Before: it.State, HadState: it.HadState, After: after}
				k := record(t, lazy, ch)
				if k2 := record(t, eager, ch); k2 != k {
					t.Fatalf("step %d: keys differ", steps)
				}
				keys = append(keys, k)
			default:
				r := fsrs.Rating(1 + rng.IntN(4))
				k := rate(t, lazy, "ann", it, now, r)
				if k2 := rate(t, eager, "ann", it, now, r); k2 != k {
					t.Fatalf("step %d: keys differ", steps)
				}
				keys = append(keys, k)
			}
			if err := eager.Settle("ann"); err != nil {
				t.Fatal(err)
			}
			if n := pendingCount(t, eager, "ann"); n != 0 {
				t.Fatalf("step %d: settled store has %d pending", steps, n)
			}
			n := pendingCount(t, lazy, "ann")
			if n <= 1 && last > 4 {
				fullSettles++ // Record settled a full list
			}
			last = n
			maxSeen = max(maxSeen, n)
			later := now.Add(time.Duration(rng.IntN(48)) * time.Hour)
			if a, b := readView(t, lazy, "ann", later), readView(t, eager, "ann", later); !reflect.DeepEqual(a, b) {
				t.Fatalf("step %d: with pending ratings readers see\n%+v\nsettled:\n%+v", steps, a, b)
			}
			steps++
		}
	}
	if steps < 3*maxSeen || maxSeen < 16 || maxSeen > maxPending || fullSettles < 3 {
		t.Fatalf("%d steps, at most %d pending, %d settles by Record: the test did not exercise the bound", steps, maxSeen, fullSettles)
	}
	if n := pendingCount(t, lazy, "ann"); n == 0 {
		t.Fatal("nothing pending at the end: the stats below would not test settling")
	}
	sa, err := lazy.Stats("ann", now)
	if err != nil {
		t.Fatal(err)
	}
	sb, _ := eager.Stats("ann", now)
	if !reflect.DeepEqual(sa, sb) {
		t.Fatalf("stats differ:\n%+v\n%+v", sa, sb)
	}
	if n := pendingCount(t, lazy, "ann"); n != 0 {
		t.Fatalf("Stats left %d pending", n)
	}
	if a, b := dump(t, lazy, "ann"), dump(t, eager, "ann"); !sameDump(a, b) {
		t.Fatal("settled databases differ")
	}
	r, err := lazy.Check()
	if err != nil || len(r.Problems) != 0 {
		t.Fatalf("check: %v %+v", err, r.Problems)
	}
}

func record(t *testing.T, s *Store, ch Change) LogKey {
	t.Helper()
	k, err := s.Record("ann", ch)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// TestUndoPending undoes ratings still pending, in and out of order.
func TestUndoPending(t *testing.T) {
	s := openTemp(t)
	utcUser(t, s, "ann")
	mustImport(t, s, testDeck("d", deck.Card{ID: "a"}, deck.Card{ID: "b"}))
	before := dump(t, s, "ann")
	it := queue(t, s, "ann", t0, QueueOptions{}).Items[0]
	k1 := rate(t, s, "ann", it, t0, fsrs.Again)
	it2 := queue(t, s, "ann", t0.Add(time.Minute), QueueOptions{}).Items[0]
	if it2.Card.ID != it.Card.ID || !it2.HadState {
		t.Fatalf("want %s again in learning, got %s (had %v)", it.Card.ID, it2.Card.ID, it2.HadState)
	}
	k2 := rate(t, s, "ann", it2, t0.Add(time.Minute), fsrs.Good)
	if _, err := s.Undo("ann", k1); !errors.Is(err, ErrConflict) {
		t.Fatalf("undo of a superseded pending rating: %v, want ErrConflict", err)
	}
	if _, err := s.Undo("ann", k2); err != nil {
		t.Fatal(err)
	}
	if st, _, _ := s.State("ann", "d", it.Card.ID); !reflect.DeepEqual(st, it2.State) {
		t.Fatalf("after undoing the second rating: %+v, want %+v", st, it2.State)
	}
	if _, err := s.Undo("ann", k1); err != nil {
		t.Fatal(err)
	}
	if n := pendingCount(t, s, "ann"); n != 0 {
		t.Fatalf("%d pending after undoing everything", n)
	}
	if after := dump(t, s, "ann"); !sameDump(before, after) {
		t.Fatal("undo left a trace")
	}
	// A settled rating is undone through the state bucket, with another
	// card's rating still pending.
	ka := rate(t, s, "ann", it, t0, fsrs.Easy)
	if err := s.Settle("ann"); err != nil {
		t.Fatal(err)
	}
	other := queue(t, s, "ann", t0, QueueOptions{}).Items[0]
	rate(t, s, "ann", other, t0, fsrs.Good)
	if _, err := s.Undo("ann", ka); err != nil {
		t.Fatal(err)
	}
	if _, had, _ := s.State("ann", "d", it.Card.ID); had {
		t.Fatal("undone settled rating left a state")
	}
	if _, had, _ := s.State("ann", "d", other.Card.ID); !had {
		t.Fatal("the other card's rating was lost")
	}
}

// TestDamagedPendingList: a list whose tail is damaged is reported by
// Check, refused by readers with a pointer to the repair, and repaired by
// Rebuild, which keeps the entries before the damage.
func TestDamagedPendingList(t *testing.T) {
	path := filepath.Join(t.TempDir(), "srs.db")
	s, err := Open(path, Options{Now: t0})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	utcUser(t, s, "ann")
	mustImport(t, s, testDeck("d", deck.Card{ID: "a"}, deck.Card{ID: "b"}))
	it := queue(t, s, "ann", t0, QueueOptions{}).Items[0]
	rate(t, s, "ann", it, t0, fsrs.Good)
	s.db.Update(func(tx *bolt.Tx) error {
		u := userBucket(tx, "ann")
		return u.Put(kPending, append(append([]byte(nil), u.Get(kPending)...), make([]byte, 14)...))
	})
	if _, err := s.Queue("ann", t0, QueueOptions{}); err == nil || !strings.Contains(err.Error(), "pending list") || !strings.Contains(err.Error(), "doctor --rebuild") {
		t.Fatalf("queue over a damaged list: %v", err)
	}
	r, err := s.Check()
	if err != nil || len(r.Problems) == 0 || !strings.Contains(r.Problems[0].What, "pending") {
		t.Fatalf("check: %v %+v", err, r)
	}
	if _, err := s.Rebuild(); err != nil {
		t.Fatal(err)
	}
	if r, err := s.Check(); err != nil || len(r.Problems) != 0 {
		t.Fatalf("after rebuild: %v %+v", err, r.Problems)
	}
	if _, had, _ := s.State("ann", "d", it.Card.ID); !had {
		t.Fatal("rebuild lost the rating")
	}
}
