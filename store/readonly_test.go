package store

import (
	"errors"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/srs-tool/srs/deck"
	"github.com/srs-tool/srs/fsrs"
)

// TestReadOnlySeesEveryRating: once a rating is recorded, a read-only
// handle (another process's `srs log`, `stats` or `doctor` beside a
// review) sees it in every reader: the log, the stats, the card's state
// and the consistency check.
func TestReadOnlySeesEveryRating(t *testing.T) {
	path := filepath.Join(t.TempDir(), "srs.db")
	s, err := Open(path, Options{Now: t0})
	if err != nil {
		t.Fatal(err)
	}
	utcUser(t, s, "ann")
	mustImport(t, s, testDeck("d", deck.Card{ID: "a"}, deck.Card{ID: "b"}, deck.Card{ID: "c"}))
	for i, it := range ready(t, s, "ann", t0, "") {
		rate(t, s, "ann", it, t0.Add(time.Duration(i)*time.Minute), fsrs.Good)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	ro, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	n := 0
	if err := ro.EachEntry("ann", true, func(Entry) error { n++; return nil }); err != nil || n != 3 {
		t.Errorf("log: %d entries (%v), want 3", n, err)
	}
	st, err := ro.Stats("ann", t0.Add(time.Hour))
	if err != nil || st.Today != 3 || st.Reviews != 3 || st.Cards.Learning != 3 {
		t.Errorf("stats: today %d, log %d, learning %d (%v); want 3 each", st.Today, st.Reviews, st.Cards.Learning, err)
	}
	for _, id := range []string{"a", "b", "c"} {
		if _, had, err := ro.State("ann", "d", id); err != nil || !had {
			t.Errorf("card %s: had %v (%v)", id, had, err)
		}
	}
	r, err := ro.Check()
	if err != nil || len(r.Problems) != 0 || r.Entries != 3 {
		t.Errorf("check: %v, %d entries, problems %v", err, r.Entries, r.Problems)
	}
}

// TestStateOfDamagedUser: a user whose buckets are damaged is an error
// from State and Settings, not a card never seen and default settings; a
// user that does not exist yet has seen nothing and has the defaults.
func TestStateOfDamagedUser(t *testing.T) {
	s := openTemp(t)
	utcUser(t, s, "ann")
	mustImport(t, s, testDeck("d", deck.Card{ID: "a"}))
	rate(t, s, "ann", ready(t, s, "ann", t0, "")[0], t0, fsrs.Good)
	if _, had, err := s.State("nobody", "d", "a"); had || err != nil {
		t.Fatalf("state for a user not yet created: had %v, %v", had, err)
	}
	if st, err := s.Settings("nobody"); err != nil || st.DesiredRetention != fsrs.DefaultSettings().DesiredRetention {
		t.Fatalf("settings for a user not yet created: %+v, %v", st, err)
	}
	if err := s.db.Update(func(tx *bolt.Tx) error { return userBucket(tx, "ann").DeleteBucket(bState) }); err != nil {
		t.Fatal(err)
	}
	if _, had, err := s.State("ann", "d", "a"); !errors.Is(err, ErrBadRecord) {
		t.Fatalf("state of a damaged user: had %v, %v; want ErrBadRecord", had, err)
	}
	if _, err := s.Settings("ann"); !errors.Is(err, ErrBadRecord) {
		t.Fatalf("settings of a damaged user: %v; want ErrBadRecord", err)
	}
}
