package store

import (
	"errors"
	"fmt"
	"os"
	"reflect"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/srs-tool/srs/deck"
	"github.com/srs-tool/srs/fsrs"
)

// dump captures everything a user's buckets hold, to compare states
// before and after an operation that should leave no trace.
func dump(t *testing.T, s *Store, user string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := s.db.View(func(tx *bolt.Tx) error {
		u := userBucket(tx, user)
		return u.ForEach(func(name, v []byte) error {
			if v != nil { // a value of the user's own
				out[string(name)] = string(v)
				return nil
			}
			return u.Bucket(name).ForEach(func(k, v []byte) error {
				out[string(name)+"/"+string(k)] = string(v)
				return nil
			})
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func sameDump(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

func TestQueueOrderAndLearningSteps(t *testing.T) {
	s := openTemp(t)
	utcUser(t, s, "ann")
	mustImport(t, s, testDeck("d", deck.Card{ID: "a"}, deck.Card{ID: "b"}, deck.Card{ID: "c"}))
	q := queue(t, s, "ann", t0, QueueOptions{})
	if got := ids(q.Items); got != "a b c" || q.Counts != (Counts{New: 3}) {
		t.Fatalf("day 1: %q %+v", got, q.Counts)
	}
	rate(t, s, "ann", q.Items[0], t0, fsrs.Again) // a: learning, due in 1m
	q = queue(t, s, "ann", t0, QueueOptions{})
	if got := ids(q.Items); got != "b c" || q.Counts != (Counts{New: 2, Learning: 1}) {
		t.Fatalf("after Again: %q %+v", got, q.Counts)
	}
	q = queue(t, s, "ann", t0.Add(2*time.Minute), QueueOptions{})
	if got := ids(q.Items); got != "a b c" {
		t.Fatalf("learning card due: want it first, got %q", got)
	}
	// Nothing else left: learn ahead shows a learning card due within 20m.
	q2 := queue(t, s, "ann", t0, QueueOptions{Deck: "d", Tag: "none"})
	if len(q2.Items) != 0 {
		t.Fatalf("tag filter: %q", ids(q2.Items))
	}
	rate(t, s, "ann", q.Items[1], t0.Add(2*time.Minute), fsrs.Easy)
	rate(t, s, "ann", q.Items[2], t0.Add(2*time.Minute), fsrs.Easy)
	q = queue(t, s, "ann", t0.Add(2*time.Minute), QueueOptions{})
	if got := ids(q.Items); got != "a" {
		t.Fatalf("want only a, got %q", got)
	}
	rate(t, s, "ann", q.Items[0], t0.Add(2*time.Minute), fsrs.Good) // a: 10m step
	q = queue(t, s, "ann", t0.Add(3*time.Minute), QueueOptions{})
	if got := ids(q.Items); got != "a" || q.Counts.Learning != 1 {
		t.Fatalf("learn ahead: %q %+v", got, q.Counts)
	}
	q = queue(t, s, "ann", t0.Add(3*time.Minute), QueueOptions{LearnAhead: -1})
	if len(q.Items) != 0 || q.NextDue.IsZero() {
		t.Fatalf("no learn ahead: %q next %v", ids(q.Items), q.NextDue)
	}
	// A month later the easy cards are due for review; a is still in its
	// learning steps (never rated after its 10m step) and comes first.
	q = queue(t, s, "ann", t0.Add(30*24*time.Hour), QueueOptions{})
	if q.Counts != (Counts{Learning: 1, Review: 2}) || q.Items[0].Card.ID != "a" {
		t.Fatalf("a month later: %+v", q.Counts)
	}
}

func TestFollowUpWaitsForParentReview(t *testing.T) {
	s := openTemp(t)
	utcUser(t, s, "ann")
	mustImport(t, s, testDeck("d", deck.Card{ID: "q"}, deck.Card{ID: "q.f1", Parent: "q"}, deck.Card{ID: "z"}))
	q := queue(t, s, "ann", t0, QueueOptions{})
	if got := ids(q.Items); got != "q z" {
		t.Fatalf("follow-up offered before its question: %q", got)
	}
	rate(t, s, "ann", q.Items[0], t0, fsrs.Good) // learning
	q = queue(t, s, "ann", t0.Add(11*time.Minute), QueueOptions{})
	if got := ids(q.Items); got != "q z" {
		t.Fatalf("question learning: %q", got)
	}
	rate(t, s, "ann", q.Items[0], t0.Add(11*time.Minute), fsrs.Good) // graduates to Review
	q = queue(t, s, "ann", t0.Add(12*time.Minute), QueueOptions{})
	if got := ids(q.Items); got != "z" {
		t.Fatalf("follow-up must wait until tomorrow (sibling buried): %q", got)
	}
	q = queue(t, s, "ann", t0.Add(24*time.Hour), QueueOptions{})
	if got := ids(q.Items); got != "q.f1 z" {
		t.Fatalf("next day: %q", got)
	}
	it := q.Items[0]
	if it.Card.Front != "" {
		t.Fatalf("queue loaded text it does not need: %q", it.Card.Front)
	}
	if err := s.Fill(&it); err != nil {
		t.Fatal(err)
	}
	if it.Card.Front != "Front of q.f1" || it.Parent == nil || it.Parent.ID != "q" || it.Parent.Front != "Front of q" {
		t.Fatalf("follow-up without its parent as context: %+v %+v", it.Card, it.Parent)
	}
}

func TestDailyNewLimit(t *testing.T) {
	s := openTemp(t)
	utcUser(t, s, "ann", func(st *fsrs.Settings) { st.NewPerDay = 2 })
	mustImport(t, s, testDeck("d", deck.Card{ID: "a"}, deck.Card{ID: "b"}, deck.Card{ID: "c"}))
	q := queue(t, s, "ann", t0, QueueOptions{})
	if got := ids(q.Items); got != "a b" {
		t.Fatalf("limit 2: %q", got)
	}
	rate(t, s, "ann", q.Items[0], t0, fsrs.Easy)
	q = queue(t, s, "ann", t0, QueueOptions{})
	if got := ids(q.Items); got != "b" || q.DoneNew != 1 {
		t.Fatalf("after one: %q done %d", got, q.DoneNew)
	}
	// The next day (after 04:00 UTC) the limit resets.
	q = queue(t, s, "ann", time.Date(2026, 11, 28, 4, 0, 0, 0, time.UTC), QueueOptions{})
	if got := ids(q.Items); got != "b c" {
		t.Fatalf("next day: %q", got)
	}
}

func TestUndoRestoresExactly(t *testing.T) {
	s := openTemp(t)
	utcUser(t, s, "ann")
	mustImport(t, s, testDeck("d", deck.Card{ID: "a"}, deck.Card{ID: "b"}))
	before := dump(t, s, "ann")
	q := queue(t, s, "ann", t0, QueueOptions{})
	k := rate(t, s, "ann", q.Items[0], t0, fsrs.Good)
	if sameDump(before, dump(t, s, "ann")) {
		t.Fatal("rating wrote nothing")
	}
	e, err := s.Undo("ann", k)
	if err != nil {
		t.Fatal(err)
	}
	if e.Card != deck.Key("d", "a") || e.Rating != fsrs.Good {
		t.Fatalf("undo returned %+v", e)
	}
	if !sameDump(before, dump(t, s, "ann")) {
		t.Fatalf("undo of a new card's first rating left traces:\nbefore %v\nafter  %v", before, dump(t, s, "ann"))
	}
	// Undo of a later rating restores the earlier state.
	k1 := rate(t, s, "ann", q.Items[0], t0, fsrs.Good)
	_ = k1
	mid := dump(t, s, "ann")
	q = queue(t, s, "ann", t0.Add(15*time.Minute), QueueOptions{})
	k2 := rate(t, s, "ann", q.Items[0], t0.Add(15*time.Minute), fsrs.Good)
	if _, err := s.Undo("ann", k2); err != nil {
		t.Fatal(err)
	}
	if !sameDump(mid, dump(t, s, "ann")) {
		t.Fatal("undo of second rating did not restore the first")
	}
	if _, err := s.Undo("ann", k2); err == nil {
		t.Fatal("undo twice succeeded")
	}
}

// TestUndoOutOfOrder: a rating a later one superseded is not undone
// (ErrConflict); undoing both, newest first, leaves no trace, and another
// card's rating stays.
func TestUndoOutOfOrder(t *testing.T) {
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
		t.Fatalf("undo of a superseded rating: %v, want ErrConflict", err)
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
	if after := dump(t, s, "ann"); !sameDump(before, after) {
		t.Fatal("undo left a trace")
	}
	ka := rate(t, s, "ann", it, t0.Add(2*time.Minute), fsrs.Easy)
	other := queue(t, s, "ann", t0.Add(2*time.Minute), QueueOptions{}).Items[0]
	rate(t, s, "ann", other, t0.Add(2*time.Minute), fsrs.Good)
	if _, err := s.Undo("ann", ka); err != nil {
		t.Fatal(err)
	}
	if _, had, _ := s.State("ann", "d", it.Card.ID); had {
		t.Fatal("undone rating left a state")
	}
	if _, had, _ := s.State("ann", "d", other.Card.ID); !had {
		t.Fatal("the other card's rating was lost")
	}
	if r, err := s.Check(); err != nil || len(r.Problems) != 0 {
		t.Fatalf("check: %v %+v", err, r)
	}
}

func TestRecordCatchesConcurrentRating(t *testing.T) {
	s := openTemp(t)
	utcUser(t, s, "ann")
	mustImport(t, s, testDeck("d", deck.Card{ID: "a"}))
	q1 := queue(t, s, "ann", t0, QueueOptions{}) // session 1 shows a
	q2 := queue(t, s, "ann", t0, QueueOptions{}) // session 2 shows a
	rate(t, s, "ann", q1.Items[0], t0, fsrs.Good)
	after := dump(t, s, "ann")
	_, err := s.Record("ann", Change{Card: q2.Items[0].Card.Key(), Time: t0, Action: ActRate, Rating: fsrs.Easy,
		Before: q2.Items[0].State, HadState: false, After: CardState{Card: fsrs.NewCard(t0)}})
	if !errors.Is(err, ErrConflict) {
		t.Fatalf("second rating from a stale state: %v", err)
	}
	if !sameDump(after, dump(t, s, "ann")) {
		t.Fatal("conflicting rating wrote")
	}
}

func TestUsersAreIndependent(t *testing.T) {
	s := openTemp(t)
	utcUser(t, s, "ann")
	utcUser(t, s, "bob")
	mustImport(t, s, testDeck("d", deck.Card{ID: "a"}, deck.Card{ID: "b"}))
	q := queue(t, s, "ann", t0, QueueOptions{})
	rate(t, s, "ann", q.Items[0], t0, fsrs.Easy)
	if got := ids(queue(t, s, "ann", t0, QueueOptions{}).Items); got != "b" {
		t.Fatalf("ann: %q", got)
	}
	if got := ids(queue(t, s, "bob", t0, QueueOptions{}).Items); got != "a b" {
		t.Fatalf("bob sees ann's rating: %q", got)
	}
	if _, ok, _ := s.State("bob", "d", "a"); ok {
		t.Fatal("bob has a state for a card he never saw")
	}
}

func TestSuspendAndBury(t *testing.T) {
	s := openTemp(t)
	utcUser(t, s, "ann")
	mustImport(t, s, testDeck("d", deck.Card{ID: "a"}, deck.Card{ID: "b"}))
	q := queue(t, s, "ann", t0, QueueOptions{})
	a := q.Items[0]
	sus := a.State
	sus.Card.Due = t0
	sus.Suspended = true
	if _, err := s.Record("ann", Change{Card: a.Card.Key(), Time: t0, Action: ActSuspend, Before: a.State, After: sus}); err != nil {
		t.Fatal(err)
	}
	if got := ids(queue(t, s, "ann", t0, QueueOptions{}).Items); got != "b" {
		t.Fatalf("suspended card queued: %q", got)
	}
	b := queue(t, s, "ann", t0, QueueOptions{}).Items[0]
	bur := b.State
	bur.Card.Due = t0
	bur.BuriedUntil = time.Date(2026, 11, 28, 4, 0, 0, 0, time.UTC)
	if _, err := s.Record("ann", Change{Card: b.Card.Key(), Time: t0, Action: ActBury, Before: b.State, After: bur}); err != nil {
		t.Fatal(err)
	}
	if got := ids(queue(t, s, "ann", t0, QueueOptions{}).Items); got != "" {
		t.Fatalf("buried card queued: %q", got)
	}
	if got := ids(queue(t, s, "ann", bur.BuriedUntil, QueueOptions{}).Items); got != "b" {
		t.Fatalf("tomorrow: %q", got)
	}
}

func TestStatusPerDeck(t *testing.T) {
	s := openTemp(t)
	utcUser(t, s, "ann", func(st *fsrs.Settings) { st.NewPerDay = 3 })
	mustImport(t, s, testDeck("a", deck.Card{ID: "1"}, deck.Card{ID: "2"}))
	mustImport(t, s, testDeck("b", deck.Card{ID: "1"}, deck.Card{ID: "2"}, deck.Card{ID: "3"}, deck.Card{ID: "4"}))
	q := queue(t, s, "ann", t0, QueueOptions{Deck: "b"})
	rate(t, s, "ann", q.Items[0], t0, fsrs.Again)
	st, err := s.Status("ann", t0)
	if err != nil {
		t.Fatal(err)
	}
	if st.Total != (Counts{New: 2, Learning: 1}) || st.DoneNew != 1 {
		t.Fatalf("total %+v done %d", st.Total, st.DoneNew)
	}
	if len(st.Decks) != 2 || st.Decks[0] != (DeckStatus{Deck: "a", Counts: Counts{New: 2}}) ||
		st.Decks[1] != (DeckStatus{Deck: "b", Counts: Counts{New: 2, Learning: 1}}) {
		t.Fatalf("per deck %+v", st.Decks)
	}
}

// Undo and re-import leave no growth behind: pages freed by an undo are
// reused, and an unchanged re-import writes nothing at all.
func TestNoGrowthFromUndoOrReimport(t *testing.T) {
	s := openTemp(t)
	utcUser(t, s, "ann")
	var cards []deck.Card
	for i := 0; i < 300; i++ {
		cards = append(cards, deck.Card{ID: fmt.Sprintf("c%03d", i)})
	}
	d := testDeck("d", cards...)
	mustImport(t, s, d)
	size := func() int64 {
		fi, err := os.Stat(s.Path())
		if err != nil {
			t.Fatal(err)
		}
		return fi.Size()
	}
	q := queue(t, s, "ann", t0, QueueOptions{})
	for i := 0; i < 50; i++ { // warm up: let the file reach its working size
		k := rate(t, s, "ann", q.Items[0], t0, fsrs.Good)
		s.Undo("ann", k)
	}
	before := size()
	for i := 0; i < 500; i++ {
		k := rate(t, s, "ann", q.Items[0], t0, fsrs.Good)
		if _, err := s.Undo("ann", k); err != nil {
			t.Fatal(err)
		}
	}
	if after := size(); after > before {
		t.Errorf("500 rate+undo cycles grew the file from %d to %d bytes", before, after)
	}
	before = size()
	var txBefore int
	s.db.View(func(tx *bolt.Tx) error { txBefore = int(tx.ID()); return nil })
	for i := 0; i < 10; i++ {
		mustImport(t, s, d)
	}
	var txAfter int
	s.db.View(func(tx *bolt.Tx) error { txAfter = int(tx.ID()); return nil })
	if txAfter != txBefore || size() != before {
		t.Errorf("unchanged re-imports wrote: tx %d -> %d, size %d -> %d", txBefore, txAfter, before, size())
	}
}
