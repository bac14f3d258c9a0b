package store

import (
	"errors"
	"fmt"
	"os"
	"reflect"
	"strings"
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

func TestUndoRestoresExactly(t *testing.T) {
	s := openTemp(t)
	utcUser(t, s, "ann")
	mustImport(t, s, testDeck("d", deck.Card{ID: "a"}, deck.Card{ID: "b"}))
	before := dump(t, s, "ann")
	q := ready(t, s, "ann", t0, "")
	k := rate(t, s, "ann", q[0], t0, fsrs.Good)
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
	k1 := rate(t, s, "ann", q[0], t0, fsrs.Good)
	_ = k1
	mid := dump(t, s, "ann")
	q = ready(t, s, "ann", t0.Add(15*time.Minute), "")
	k2 := rate(t, s, "ann", q[0], t0.Add(15*time.Minute), fsrs.Good)
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
	it := ready(t, s, "ann", t0, "")[0]
	k1 := rate(t, s, "ann", it, t0, fsrs.Again)
	it2 := ready(t, s, "ann", t0.Add(time.Minute), "")[0]
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
	other := ready(t, s, "ann", t0.Add(2*time.Minute), "")[0]
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
	q1 := ready(t, s, "ann", t0, "") // session 1 shows a
	q2 := ready(t, s, "ann", t0, "") // session 2 shows a
	rate(t, s, "ann", q1[0], t0, fsrs.Good)
	after := dump(t, s, "ann")
	_, err := s.Record("ann", Change{Card: q2[0].Card.Key(), Time: t0, Action: ActRate, Rating: fsrs.Easy,
		Before: q2[0].State, HadState: false, After: CardState{Card: fsrs.NewCard(t0)}})
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
	q := ready(t, s, "ann", t0, "")
	rate(t, s, "ann", q[0], t0, fsrs.Easy)
	if got := ids(ready(t, s, "ann", t0, "")); got != "b" {
		t.Fatalf("ann: %q", got)
	}
	if got := ids(ready(t, s, "bob", t0, "")); got != "a b" {
		t.Fatalf("bob sees ann's rating: %q", got)
	}
	if _, ok, _ := s.State("bob", "d", "a"); ok {
		t.Fatal("bob has a state for a card he never saw")
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
	q := ready(t, s, "ann", t0, "")
	for i := 0; i < 50; i++ { // warm up: let the file reach its working size
		k := rate(t, s, "ann", q[0], t0, fsrs.Good)
		s.Undo("ann", k)
	}
	before := size()
	for i := 0; i < 500; i++ {
		k := rate(t, s, "ann", q[0], t0, fsrs.Good)
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

// TestMockRatingLogged: a mock interview's rating is logged with its
// mark and applied as any rating (state and due index); a rebuild
// replays it to the same state and keeps the mark; only a rating can
// carry the mark.
func TestMockRatingLogged(t *testing.T) {
	s := openTemp(t)
	utcUser(t, s, "ann")
	mustImport(t, s, testDeck("d", deck.Card{ID: "a"}, deck.Card{ID: "b"}))
	q := ready(t, s, "ann", t0, "")
	rate(t, s, "ann", q[0], t0, fsrs.Good) // an ordinary rating first
	st, had, err := s.State("ann", "d", "b")
	if err != nil || had {
		t.Fatalf("d/b: had %v, %v; want never seen", had, err)
	}
	sched, err := fsrs.NewScheduler(mustSettings(t, s, "ann"))
	if err != nil {
		t.Fatal(err)
	}
	now := t0.Add(time.Minute)
	c := st.Card
	c.Due = now
	next, err := sched.Next(c, now, fsrs.Hard)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Record("ann", Change{Card: deck.Key("d", "b"), Time: now, Action: ActRate, Rating: fsrs.Hard,
		Duration: 70 * time.Second, Before: st, After: CardState{Card: next}, Mock: true}); err != nil {
		t.Fatal(err)
	}
	var marks []bool
	s.EachEntry("ann", false, func(e Entry) error { marks = append(marks, e.Mock); return nil })
	if !reflect.DeepEqual(marks, []bool{false, true}) {
		t.Fatalf("mock marks in the log: %v, want [false true]", marks)
	}
	if got, _, _ := s.State("ann", "d", "b"); got.Card != next {
		t.Fatalf("state after a mock rating %+v, want %+v", got.Card, next)
	}
	before := dump(t, s, "ann")
	res, err := s.Rebuild()
	if err != nil || res.Fixed != 0 {
		t.Fatalf("rebuild: %+v, %v", res, err)
	}
	if !sameDump(before, dump(t, s, "ann")) {
		t.Fatal("rebuild changed what a mock rating wrote")
	}
	if r, err := s.Check(); err != nil || len(r.Problems) != 0 {
		t.Fatalf("doctor after a mock rating: %+v, %v", r, err)
	}
	got, _, _ := s.State("ann", "d", "b")
	after := got
	after.Suspended = true
	if _, err := s.Record("ann", Change{Card: deck.Key("d", "b"), Time: now, Action: ActSuspend, Before: got, HadState: true,
		After: after, Mock: true}); err == nil || !strings.Contains(err.Error(), "only ratings") {
		t.Fatalf("a mock suspend: %v, want refused", err)
	}
}

func mustSettings(t *testing.T, s *Store, user string) fsrs.Settings {
	t.Helper()
	st, err := s.Settings(user)
	if err != nil {
		t.Fatal(err)
	}
	return st
}
