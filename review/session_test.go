package review

import (
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/srs-tool/srs/deck"
	"github.com/srs-tool/srs/fsrs"
	"github.com/srs-tool/srs/store"
)

var t0 = time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)

func newSession(t *testing.T) (*Session, func() (*store.Store, error)) {
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
	return New(Config{Open: open, User: "ann", Now: func() time.Time { now = now.Add(time.Minute); return now }}), open
}

func pending(t *testing.T, open func() (*store.Store, error)) int {
	t.Helper()
	var n int
	if err := store.With(open, func(s *store.Store) (err error) { n, err = s.Pending("ann"); return err }); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestSessionSettlesAsItEnds: ratings are logged as they are made and
// applied to the card states when the session closes; an undone rating
// leaves nothing behind.
func TestSessionSettlesAsItEnds(t *testing.T) {
	sess, open := newSession(t)
	var rated []string
	for range 3 {
		c, err := sess.Next()
		if err != nil || c == nil {
			t.Fatalf("next: %v %v", c, err)
		}
		if _, err := sess.Answer(c, fsrs.Easy); err != nil {
			t.Fatal(err)
		}
		rated = append(rated, c.Card.ID)
	}
	if n := pending(t, open); n != 3 {
		t.Fatalf("%d pending during the session, want 3", n)
	}
	undone, err := sess.Undo()
	if err != nil || undone.ID != rated[2] {
		t.Fatalf("undo: %v %v", undone.ID, err)
	}
	if n := pending(t, open); n != 2 {
		t.Fatalf("%d pending after an undo, want 2", n)
	}
	if err := sess.Close(); err != nil {
		t.Fatal(err)
	}
	if n := pending(t, open); n != 0 {
		t.Fatalf("%d pending after Close", n)
	}
	err = store.With(open, func(s *store.Store) error {
		for i, id := range rated {
			st, had, err := s.State("ann", "d", id)
			if err != nil {
				return err
			}
			if want := i < 2; had != want || had && st.State != fsrs.Review {
				return errors.New("card " + id + " has the wrong state after Close")
			}
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
	sess, _ := newSession(t)
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
		if _, err := sess.Answer(c, r); err != nil {
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
