package store

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/srs-tool/srs/deck"
	"github.com/srs-tool/srs/fsrs"
)

// busyStore has two users with reviews, a suspension, a bury, a retired
// card and a settings change between reviews.
func busyStore(t *testing.T) *Store {
	s := openTemp(t)
	fill(t, s)
	return s
}

func fill(t *testing.T, s *Store) {
	utcUser(t, s, "ann")
	utcUser(t, s, "bob")
	mustImport(t, s, testDeck("d", deck.Card{ID: "a"}, deck.Card{ID: "a.f", Parent: "a"}, deck.Card{ID: "b"}, deck.Card{ID: "c"}))
	// Twelve days of ratings, the first minutes of each (the queue of an
	// earlier srs chose them: a follow-up after its question).
	days := [][]struct {
		id string
		r  fsrs.Rating
	}{
		{{"a", 1}, {"b", 2}, {"c", 3}}, {{"a", 2}, {"b", 3}, {"c", 4}}, {{"a", 3}, {"b", 4}}, {{"a", 4}},
		{{"a.f", 1}}, {{"a.f", 2}}, {{"a.f", 3}}, {{"a.f", 4}}, nil, nil, {{"a", 3}}, nil,
	}
	now := t0
	for day, cards := range days {
		for _, u := range []string{"ann", "bob"} {
			for i, c := range cards {
				rate(t, s, u, itemFor(t, s, u, "d", c.id), now.Add(time.Duration(i)*time.Minute), c.r)
			}
		}
		if day == 5 {
			utcUser(t, s, "ann", func(st *fsrs.Settings) { st.DesiredRetention = 0.85; st.Fuzz = true })
		}
		now = now.Add(24 * time.Hour)
	}
	q := ready(t, s, "ann", now.Add(40*24*time.Hour), "")
	if len(q) < 2 {
		t.Fatalf("want cards due, got %q", ids(q))
	}
	sus := q[0].State
	sus.Suspended = true
	if _, err := s.Record("ann", Change{Card: q[0].Card.Key(), Time: now, Action: ActSuspend, Before: q[0].State, HadState: q[0].HadState, After: sus}); err != nil {
		t.Fatal(err)
	}
	mustImport(t, s, testDeck("d", deck.Card{ID: "a"}, deck.Card{ID: "a.f", Parent: "a"}, deck.Card{ID: "b"}))
}

func TestCheckCleanDatabase(t *testing.T) {
	s := busyStore(t)
	r, err := s.Check()
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Problems) != 0 || r.Users != 2 || r.Entries < 20 {
		t.Fatalf("report %+v", r)
	}
}

func TestCheckFindsDamageAndRebuildRepairs(t *testing.T) {
	s := busyStore(t)
	good := map[string]map[string]string{"ann": dump(t, s, "ann"), "bob": dump(t, s, "bob")}
	// Damage: a stale due entry, a lost new-index entry, a wrong state,
	// and an orphan state.
	err := s.db.Update(func(tx *bolt.Tx) error {
		ub, _ := openUser(tx, "ann")
		if err := ub.due.Put(dueKey(t0, deck.Key("d", "b")), nil); err != nil {
			return err
		}
		ubb, _ := openUser(tx, "bob")
		k, _ := ubb.due.Cursor().First()
		if k == nil {
			t.Fatal("bob has nothing in his due index")
		}
		ubb.due.Delete(k)
		st, _, _ := ub.getState(deck.Key("d", "b"))
		st.Stability *= 2
		ub.state.Put([]byte(deck.Key("d", "b")), encodeState(st))
		return ub.state.Put([]byte(deck.Key("d", "ghost")), encodeState(st))
	})
	if err != nil {
		t.Fatal(err)
	}
	r, _ := s.Check()
	var all []string
	for _, p := range r.Problems {
		all = append(all, p.String())
	}
	text := strings.Join(all, "\n")
	for _, want := range []string{"due index lists d/b", "state of d/b differs from replaying its log", "orphan", "user bob: card d/", "missing from the due index"} {
		if !strings.Contains(text, want) {
			t.Errorf("report misses %q:\n%s", want, text)
		}
	}
	// The orphan state has no card to rebuild it for; remove it as the
	// user would after reading the report... Rebuild drops it.
	res, err := s.Rebuild()
	if err != nil {
		t.Fatal(err)
	}
	if res.Users != 2 {
		t.Fatalf("rebuild %+v", res)
	}
	if r, _ := s.Check(); len(r.Problems) != 0 {
		t.Fatalf("after rebuild: %v", r.Problems)
	}
	for u, want := range good {
		if !sameDump(want, dump(t, s, u)) {
			t.Errorf("rebuild of %s did not restore the undamaged database", u)
		}
	}
}

func TestBackupRestore(t *testing.T) {
	s := busyStore(t)
	dir := t.TempDir()
	bk := filepath.Join(dir, "backup.db")
	if _, err := s.Backup(bk); err != nil {
		t.Fatal(err)
	}
	before := dump(t, s, "ann")
	// More reviews after the backup: restoring would lose them.
	q := ready(t, s, "bob", t0.Add(200*24*time.Hour), "")
	rate(t, s, "bob", q[0], t0.Add(200*24*time.Hour), fsrs.Good)
	path := s.Path()
	s.Close()
	err := Restore(path, bk, false, Options{})
	if err == nil || !strings.Contains(err.Error(), "that the backup lacks") {
		t.Fatalf("restore over newer reviews: %v", err)
	}
	if err := Restore(path, bk, true, Options{}); err != nil {
		t.Fatal(err)
	}
	s2, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	s.db = s2.db
	if !sameDump(before, dump(t, s, "ann")) {
		t.Fatal("restored database differs from the backup")
	}
	if r, _ := s2.Check(); len(r.Problems) != 0 {
		t.Fatalf("restored database: %v", r.Problems)
	}
}

// A card moved under another question keeps its due-index entry right.
func TestReparentKeepsIndex(t *testing.T) {
	s := openTemp(t)
	utcUser(t, s, "ann")
	mustImport(t, s, testDeck("d", deck.Card{ID: "a"}, deck.Card{ID: "b"}))
	q := ready(t, s, "ann", t0, "")
	for _, it := range q {
		rate(t, s, "ann", it, t0, fsrs.Easy)
	}
	r := mustImport(t, s, testDeck("d", deck.Card{ID: "a"}, deck.Card{ID: "b", Parent: "a", Kind: deck.KindFollowUp}))
	if r.Updated != 1 {
		t.Fatalf("%+v", r)
	}
	if rep, _ := s.Check(); len(rep.Problems) != 0 {
		t.Fatalf("after reparenting: %v", rep.Problems)
	}
	// Damage the parent in the index: the check notices.
	s.db.Update(func(tx *bolt.Tx) error {
		ub, _ := openUser(tx, "ann")
		st, _, _ := ub.getState(deck.Key("d", "b"))
		return ub.due.Put(dueKey(st.Due, deck.Key("d", "b")), encodeDue(newDueEntry(st, "")))
	})
	if rep, _ := s.Check(); len(rep.Problems) != 1 || !strings.Contains(rep.Problems[0].What, `due index entry of d/b (parent "") does not match`) {
		t.Fatalf("wrong parent not reported: %v", rep.Problems)
	}
}
