package review

import (
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/srs-tool/srs/deck"
	"github.com/srs-tool/srs/fsrs"
	"github.com/srs-tool/srs/store"
)

var t0 = time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)

func newSession(t *testing.T) (*Session, func() (*store.Store, error), string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "srs.db")
	open := func() (*store.Store, error) { return store.Open(path, store.Options{Now: t0}) }
	err := store.With(open, func(s *store.Store) error {
		st := fsrs.DefaultSettings()
		st.TimeZone, st.Fuzz = "UTC", false
		if err := s.SetSettings("ann", st, t0.Add(-time.Hour)); err != nil {
			return err
		}
		d := &deck.Deck{Name: "d", Source: "d.md"}
		for _, id := range []string{"a", "b", "c"} {
			d.Cards = append(d.Cards, deck.Card{ID: id, Deck: "d", Kind: deck.KindBasic, Front: "Front " + id, Back: "Back " + id})
		}
		_, err := s.ImportDeck(d, store.ImportOptions{Now: t0})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	now := t0
	return New(Config{Open: open, User: "ann", Now: func() time.Time { now = now.Add(time.Minute); return now }}), open, path
}

// stateOf reads a card's state through a read-only handle, as another
// srs command would while the session runs.
func stateOf(t *testing.T, path, id string) (store.CardState, bool) {
	t.Helper()
	s, err := store.Open(path, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	st, had, err := s.State("ann", "d", id)
	if err != nil {
		t.Fatal(err)
	}
	return st, had
}

// TestSessionStoresEachRatingAsMade: each rating is in the card's state
// (and the log) as soon as Answer returns, for any other process to
// read; an undone rating leaves nothing behind; the database stays
// consistent throughout.
func TestSessionStoresEachRatingAsMade(t *testing.T) {
	sess, open, path := newSession(t)
	var rated []string
	for range 3 {
		c, err := sess.Next()
		if err != nil || c == nil {
			t.Fatalf("next: %v %v", c, err)
		}
		after, err := sess.Answer(c, fsrs.Easy, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		if st, had := stateOf(t, path, c.Card.ID); !had || st != after {
			t.Fatalf("card %s after Answer: %+v (had %v), want %+v", c.Card.ID, st, had, after)
		}
		rated = append(rated, c.Card.ID)
	}
	undone, err := sess.Undo()
	if err != nil || undone.ID != rated[2] {
		t.Fatalf("undo: %v %v", undone.ID, err)
	}
	err = store.With(open, func(s *store.Store) error {
		for i, id := range rated {
			_, had, err := s.State("ann", "d", id)
			if err != nil {
				return err
			}
			if want := i < 2; had != want {
				return errors.New("card " + id + " has the wrong state after the undo")
			}
		}
		n := 0
		if err := s.EachEntry("ann", false, func(store.Entry) error { n++; return nil }); err != nil {
			return err
		}
		if n != 2 {
			return fmt.Errorf("%d log entries, want 2", n)
		}
		r, err := s.Check()
		if err == nil && len(r.Problems) != 0 {
			return errors.New(r.Problems[0].What)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if s := sess.Summary(); s.Reviewed != 2 {
		t.Fatalf("summary: %d reviewed, want 2", s.Reviewed)
	}
}

// The summary counts ratings and the cards they were of separately: a
// card rated Again comes back and is rated again, one card, two ratings;
// an undo takes back a rating, and the card with it when it was its only
// one. It carries the user's zone for showing the next due time.
func TestSummaryCountsCardsAndRatings(t *testing.T) {
	sess, _, _ := newSession(t)
	var ids []string // rated, in order
	check := func() {
		t.Helper()
		distinct := map[string]bool{}
		for _, id := range ids {
			distinct[id] = true
		}
		if s := sess.Summary(); s.Reviewed != len(ids) || s.Cards != len(distinct) {
			t.Fatalf("summary: %d ratings of %d cards, want %d of %d (%v)", s.Reviewed, s.Cards, len(ids), len(distinct), ids)
		}
	}
	for i := 0; i < 8; i++ {
		c, err := sess.Next()
		if err != nil || c == nil {
			t.Fatalf("next: %v %v", c, err)
		}
		r := fsrs.Easy
		if i == 0 {
			r = fsrs.Again // back within minutes: rated twice
		}
		if _, err := sess.Answer(c, r, time.Time{}); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, c.Card.ID)
		check()
		if i > 0 && c.Card.ID == ids[0] {
			break
		}
	}
	if s := sess.Summary(); s.Cards < 1 || s.Reviewed != s.Cards+1 {
		t.Fatalf("the Again card did not come back: %v", ids)
	}
	for sess.CanUndo() {
		if _, err := sess.Undo(); err != nil {
			t.Fatal(err)
		}
		ids = ids[:len(ids)-1]
		check()
	}
	if z := sess.Summary().Zone; z == nil || z.String() != "UTC" {
		t.Errorf("summary zone %v, want the user's UTC", z)
	}
}

// The time recorded for a card runs from when it was shown to the key
// press the caller passes, not to when Answer runs (which may have
// waited for the database); it is capped at MaxAnswerTime.
func TestAnswerTimeEndsAtTheKeyPress(t *testing.T) {
	path := filepath.Join(t.TempDir(), "srs.db")
	open := func() (*store.Store, error) { return store.Open(path, store.Options{Now: t0}) }
	err := store.With(open, func(s *store.Store) error {
		d := &deck.Deck{Name: "d", Source: "d.md"}
		for _, id := range []string{"a", "b", "c"} {
			d.Cards = append(d.Cards, deck.Card{ID: id, Deck: "d", Kind: deck.KindBasic, Front: id, Back: id})
		}
		if _, err := s.ImportDeck(d, store.ImportOptions{Now: t0}); err != nil {
			return err
		}
		return s.EnsureUser("ann", t0)
	})
	if err != nil {
		t.Fatal(err)
	}
	real := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC) // the real clock, moved by hand
	sess := New(Config{Open: open, User: "ann", Now: func() time.Time { return t0 }, Clock: func() time.Time { return real }})
	for _, tc := range []struct {
		think, wait time.Duration // shown to key press, key press to Answer
		pressed     bool          // the caller passes the key press
		want        time.Duration
	}{
		{7 * time.Second, 30 * time.Second, true, 7 * time.Second},
		{10 * time.Minute, 0, true, MaxAnswerTime},
		{4 * time.Second, 3 * time.Second, false, 7 * time.Second}, // no key press given: now
	} {
		c, err := sess.Next()
		if err != nil || c == nil {
			t.Fatalf("next: %v %v", c, err)
		}
		real = real.Add(tc.think)
		pressed := real
		real = real.Add(tc.wait)
		if !tc.pressed {
			pressed = time.Time{}
		}
		before := sess.Summary().Time
		if _, err := sess.Answer(c, fsrs.Easy, pressed); err != nil {
			t.Fatal(err)
		}
		if got := sess.Summary().Time - before; got != tc.want {
			t.Errorf("thought %v, waited %v: recorded %v, want %v", tc.think, tc.wait, got, tc.want)
		}
	}
	err = store.With(open, func(s *store.Store) error {
		var got []time.Duration
		err := s.EachEntry("ann", false, func(e store.Entry) error { got = append(got, e.Duration); return nil })
		if fmt.Sprint(got) != fmt.Sprint([]time.Duration{7 * time.Second, MaxAnswerTime, 7 * time.Second}) {
			t.Errorf("logged durations %v", got)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}
