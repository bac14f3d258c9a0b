package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/srs-tool/srs/deck"
	"github.com/srs-tool/srs/fsrs"
)

var t0 = time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)

func openTemp(t testing.TB) *Store {
	t.Helper()
	s, err := Open(filepath.Join(t.TempDir(), "srs.db"), Options{Now: t0})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// utcUser creates a user whose day is the UTC day starting at 04:00, so
// tests do not depend on the machine's zone.
func utcUser(t testing.TB, s *Store, name string, edit ...func(*fsrs.Settings)) {
	t.Helper()
	st := fsrs.DefaultSettings()
	st.TimeZone = "UTC"
	st.Fuzz = false
	for _, e := range edit {
		e(&st)
	}
	if err := s.SetSettings(name, st, t0.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
}

func testDeck(name string, cards ...deck.Card) *deck.Deck {
	for i := range cards {
		cards[i].Deck = name
		if cards[i].Kind == "" {
			cards[i].Kind = deck.KindBasic
			if cards[i].Parent != "" {
				cards[i].Kind = deck.KindFollowUp
			}
		}
		if cards[i].Front == "" {
			cards[i].Front = "Front of " + cards[i].ID
		}
		if cards[i].Back == "" {
			cards[i].Back = "Back of " + cards[i].ID
		}
	}
	return &deck.Deck{Name: name, Source: name + ".md", Cards: cards}
}

func mustImport(t testing.TB, s *Store, d *deck.Deck) ImportResult {
	t.Helper()
	r, err := s.ImportDeck(d, ImportOptions{Now: t0})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// rate records a rating the way a review session does.
func rate(t testing.TB, s *Store, user string, it item, now time.Time, r fsrs.Rating) LogKey {
	t.Helper()
	st, err := s.Settings(user)
	if err != nil {
		t.Fatal(err)
	}
	sched, err := fsrs.NewScheduler(st)
	if err != nil {
		t.Fatal(err)
	}
	c := it.State.Card
	if !it.HadState {
		c.Due = now
	}
	next, err := sched.Next(c, now, r)
	if err != nil {
		t.Fatal(err)
	}
	k, err := s.Record(user, Change{Card: it.Card.Key(), Time: now, Action: ActRate, Rating: r,
		Duration: 4 * time.Second, Before: it.State, HadState: it.HadState, After: CardState{Card: next}})
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func ids(items []item) string {
	var b []string
	for _, it := range items {
		b = append(b, it.Card.ID)
	}
	return strings.Join(b, " ")
}

// item is a card and the user's state of it, as a review session rates it.
type item struct {
	Card     deck.Card
	State    CardState
	HadState bool
}

// itemFor is a card and the user's state of it (or none), to rate.
func itemFor(t testing.TB, s *Store, user, deckName, id string) item {
	t.Helper()
	c, err := s.Card(deckName, id)
	if err != nil {
		t.Fatal(err)
	}
	st, had, err := s.State(user, deckName, id)
	if err != nil {
		t.Fatal(err)
	}
	return item{Card: c.Card, State: st, HadState: had}
}

// ready lists cards a test can rate at now, through the store's read
// views: those due by now in the due index (in its order), then those in
// the new index (deck by deck, in the order they were added), narrowed
// to deckName unless it is "". Which of them a day would show is package
// queue's business, not the store's: there are no limits, siblings or
// burying here.
func ready(t testing.TB, s *Store, user string, now time.Time, deckName string) []item {
	t.Helper()
	var out []item
	err := s.Read(user, func(r *Reader) error {
		var keys []string
		err := r.EachDue(time.Time{}, now.Add(time.Second), func(d Due) error {
			if deckName == "" || d.Deck() == deckName {
				keys = append(keys, d.Card)
			}
			return nil
		})
		if err != nil {
			return err
		}
		decks, err := r.Decks()
		if err != nil {
			return err
		}
		for _, name := range decks {
			if deckName != "" && name != deckName {
				continue
			}
			if err := r.EachNew(name, func(card string) error { keys = append(keys, card); return nil }); err != nil {
				return err
			}
		}
		for _, k := range keys {
			c, ok, err := r.Meta(k)
			if err != nil || !ok {
				return fmt.Errorf("%s: %v (found %v)", k, err, ok)
			}
			it := item{Card: c.Card}
			if it.State, it.HadState, err = r.State(k); err != nil {
				return err
			}
			if !it.HadState {
				it.State = CardState{Card: fsrs.NewCard(time.Time{})}
			}
			out = append(out, it)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestOpenRefusesForeignFiles(t *testing.T) {
	dir := t.TempDir()
	other := filepath.Join(dir, "other.db")
	odb, err := bolt.Open(other, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	odb.Update(func(tx *bolt.Tx) error {
		b, _ := tx.CreateBucket([]byte("widgets"))
		return b.Put([]byte("a"), []byte("b"))
	})
	odb.Close()
	files := map[string][]byte{
		"text.txt":  []byte("hello, this is not a database\n"),
		"short.bin": {0xed, 0x0c},
		"zeros.bin": make([]byte, 64<<10),
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	// A real srs file cut short must be refused too, not faulted on.
	good := filepath.Join(dir, "good.db")
	s, err := Open(good, Options{Now: t0})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	whole, _ := os.ReadFile(good)
	os.WriteFile(filepath.Join(dir, "truncated.db"), whole[:len(whole)/2+100], 0o600)

	for _, name := range []string{"other.db", "text.txt", "short.bin", "zeros.bin", "truncated.db"} {
		p := filepath.Join(dir, name)
		before, _ := os.ReadFile(p)
		_, err := Open(p, Options{Now: t0})
		want := ErrNotSrs
		if name == "truncated.db" {
			want = ErrDamaged
		}
		if !errors.Is(err, want) {
			t.Errorf("%s: got %v, want %v", name, err, want)
		}
		if err != nil && !strings.Contains(err.Error(), p) {
			t.Errorf("%s: error %q does not name the file", name, err)
		}
		after, _ := os.ReadFile(p)
		if !bytes.Equal(before, after) {
			t.Errorf("%s: file changed by a refused open", name)
		}
	}
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	p := filepath.Join(t.TempDir(), "srs.db")
	s, err := Open(p, Options{Now: t0})
	if err != nil {
		t.Fatal(err)
	}
	s.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bMeta).Put(kSchema, u64(SchemaVersion+1)) })
	s.Close()
	_, err = Open(p, Options{Now: t0})
	if !errors.Is(err, ErrTooNew) || !strings.Contains(err.Error(), fmt.Sprintf("schema %d); upgrade srs", SchemaVersion+1)) {
		t.Fatalf("got %v", err)
	}
}

func TestOpenWaitsThenReportsInUse(t *testing.T) {
	p := filepath.Join(t.TempDir(), "srs.db")
	s, err := Open(p, Options{Now: t0})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	_, err = Open(p, Options{Now: t0, Timeout: 100 * time.Millisecond})
	if !errors.Is(err, ErrInUse) || !strings.Contains(err.Error(), "database "+p+" is in use by another srs process") {
		t.Fatalf("got %v", err)
	}
}

func TestImportAddUpdateRetireRevive(t *testing.T) {
	s := openTemp(t)
	utcUser(t, s, "ann")
	d := testDeck("k8s", deck.Card{ID: "a"}, deck.Card{ID: "b"}, deck.Card{ID: "b1", Parent: "b"})
	if r := mustImport(t, s, d); r.Added != 3 || r.Changed() != true {
		t.Fatalf("first import: %+v", r)
	}
	if r := mustImport(t, s, d); r.Added+r.Updated+r.Retired != 0 || r.Unchanged != 3 {
		t.Fatalf("re-import: %+v", r)
	}
	// Only the source position moved: not a change.
	d2 := testDeck("k8s", deck.Card{ID: "a", Source: "k8s.md:99"}, deck.Card{ID: "b"}, deck.Card{ID: "b1", Parent: "b"})
	if r := mustImport(t, s, d2); r.Unchanged != 3 {
		t.Fatalf("source-only change counted: %+v", r)
	}
	q := ready(t, s, "ann", t0, "")
	rate(t, s, "ann", q[0], t0, fsrs.Good) // history on "a"
	edited := testDeck("k8s", deck.Card{ID: "a", Back: "fixed typo"}, deck.Card{ID: "b1x"})
	r, err := s.ImportDeck(edited, ImportOptions{Now: t0, DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	if r.Updated != 1 || r.Added != 1 || r.Retired != 2 || strings.Join(r.RetiredIDs, ",") != "k8s/b,k8s/b1" {
		t.Fatalf("dry run: %+v", r)
	}
	if c, _ := s.Card("k8s", "a"); c.Back != "Back of a" {
		t.Fatal("dry run wrote")
	}
	mustImport(t, s, edited)
	if c, _ := s.Card("k8s", "a"); c.Back != "fixed typo" {
		t.Fatalf("update lost: %q", c.Back)
	}
	if st, ok, _ := s.State("ann", "k8s", "a"); !ok || st.Reps != 1 {
		t.Fatalf("history lost on update: %+v %v", st, ok)
	}
	if c, _ := s.Card("k8s", "b"); !c.Retired {
		t.Fatal("b not retired")
	}
	q = ready(t, s, "ann", t0.Add(time.Hour), "")
	if got := ids(q); strings.Contains(got, "b ") || strings.HasSuffix(got, " b") || got == "b" {
		t.Fatalf("retired card queued: %s", got)
	}
	if r := mustImport(t, s, d); r.Revived != 3-1 || r.Retired != 1 {
		t.Fatalf("revive: %+v", r)
	}
	decks, _ := s.Decks()
	if len(decks) != 1 || decks[0].Cards != 3 || decks[0].Retired != 1 {
		t.Fatalf("deck record: %+v", decks)
	}
}

func TestImportProtectsBuiltinDeck(t *testing.T) {
	s := openTemp(t)
	if _, err := s.ImportDeck(testDeck("guide", deck.Card{ID: "q01"}), ImportOptions{Now: t0, Builtin: "v1"}); err != nil {
		t.Fatal(err)
	}
	if v, _ := s.BuiltinVersion(); v != "v1" {
		t.Fatalf("builtin version %q", v)
	}
	// A user's source holding the built-in deck (a whole-collection
	// export) leaves it as it is: nothing added, updated or retired.
	src := testDeck("guide", deck.Card{ID: "x"})
	src.Cards = append(src.Cards, deck.Card{ID: "y", Deck: "mine", Kind: deck.KindBasic, Front: "front of y"})
	r, err := s.ImportDeck(src, ImportOptions{Now: t0})
	if err != nil {
		t.Fatal(err)
	}
	if r.Builtin != 1 || r.BuiltinDeck != "guide" || r.Added != 1 || r.Retired != 0 || !slices.Equal(r.Decks, []string{"mine"}) {
		t.Fatalf("result %+v", r)
	}
	if c, err := s.Card("guide", "q01"); err != nil || c.Retired {
		t.Fatalf("built-in card damaged: %+v %v", c, err)
	}
	if _, err := s.Card("guide", "x"); err == nil {
		t.Fatal("a user's import wrote a card into the built-in deck")
	}
	// An emptied source of the built-in deck retires nothing either.
	if r, err := s.ImportDeck(testDeck("guide"), ImportOptions{Now: t0}); err != nil || r.Retired != 0 || r.Changed() {
		t.Fatalf("empty built-in source: %+v %v", r, err)
	}
}

func TestImportEmptyDecks(t *testing.T) {
	s := openTemp(t)
	mustImport(t, s, testDeck("a", deck.Card{ID: "x"}))
	mustImport(t, s, testDeck("b", deck.Card{ID: "y"}, deck.Card{ID: "z"}))
	// a.md and an emptied b.md imported together: b's cards go, as they
	// would importing b.md alone.
	r, err := s.ImportDeck(testDeck("a", deck.Card{ID: "x"}), ImportOptions{Now: t0, EmptyDecks: []string{"b"}})
	if err != nil {
		t.Fatal(err)
	}
	if r.Retired != 2 || r.Unchanged != 1 || !slices.Equal(r.Decks, []string{"a", "b"}) {
		t.Fatalf("result %+v", r)
	}
}

func TestImportAddsNewCardsForExistingUsers(t *testing.T) {
	s := openTemp(t)
	utcUser(t, s, "ann")
	mustImport(t, s, testDeck("d", deck.Card{ID: "x"}))
	utcUser(t, s, "bob") // created after the cards: gets them at creation
	mustImport(t, s, testDeck("d", deck.Card{ID: "x"}, deck.Card{ID: "y"}))
	for _, u := range []string{"ann", "bob"} {
		if got := ids(ready(t, s, u, t0, "")); got != "x y" {
			t.Errorf("%s: queue %q", u, got)
		}
	}
}

// An import whose context is cancelled (an interrupt) stops and writes
// nothing.
func TestImportCancelled(t *testing.T) {
	s := openTemp(t)
	var cards []deck.Card
	for i := range 2500 {
		cards = append(cards, deck.Card{ID: fmt.Sprintf("c%d", i)})
	}
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	_, err := s.ImportDeck(testDeck("d", cards...), ImportOptions{Now: t0, Context: ctx,
		Progress: func(done, total int) {
			if n++; n == 1 {
				cancel() // after the first thousand cards
			}
		}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if decks, _ := s.Decks(); len(decks) != 0 {
		t.Fatalf("a cancelled import wrote decks: %+v", decks)
	}
}
