package store_test

import (
	"crypto/rand"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/srs-tool/srs/bench/synth"
	"github.com/srs-tool/srs/deck"
	"github.com/srs-tool/srs/fsrs"
	"github.com/srs-tool/srs/store"
)

// benchEnd is the synthetic collections' "today".
var benchEnd = synth.End

// sizes are the collections benchmarks run at: each 10× the one before,
// so that time growing with collection size (rather than with what is
// due) shows.
var sizes = []struct{ cards, reviews int }{{1000, 10000}, {10000, 100000}, {100000, 1000000}}

// benchDB returns a synthetic database of the given size, built once and
// cached for every package's benchmarks.
func benchDB(b *testing.B, cards, reviews, users int) string {
	b.Helper()
	path, err := synth.Cached(cards, reviews, users, b.Logf)
	if err != nil {
		b.Fatal(err)
	}
	return path
}

// copyDB gives a benchmark that writes its own synced copy of a cached
// database.
func copyDB(b *testing.B, path string) string {
	b.Helper()
	dst, err := synth.Copy(path, b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	return dst
}

func openBench(b *testing.B, path string) *store.Store {
	b.Helper()
	s, err := store.Open(path, store.Options{Now: benchEnd})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

func eachSize(b *testing.B, fn func(b *testing.B, path string)) {
	for _, sz := range sizes {
		if testing.Short() && sz.cards > 10000 {
			continue
		}
		b.Run(fmt.Sprintf("cards=%d/reviews=%d", sz.cards, sz.reviews), func(b *testing.B) {
			fn(b, benchDB(b, sz.cards, sz.reviews, 1))
		})
	}
}

// BenchmarkOpen is what every command pays to open the file.
func BenchmarkOpen(b *testing.B) {
	eachSize(b, func(b *testing.B, path string) {
		for b.Loop() {
			s, err := store.Open(path, store.Options{Now: benchEnd})
			if err != nil {
				b.Fatal(err)
			}
			s.Close()
		}
	})
}

// BenchmarkRecord commits one rating (log, state, index, history: one
// transaction, synced). The undo that keeps the collection steady runs
// outside the timer.
func BenchmarkRecord(b *testing.B) {
	eachSize(b, func(b *testing.B, path string) {
		s := openBench(b, copyDB(b, path))
		settings, _ := s.Settings("user00")
		sched, _ := fsrs.NewScheduler(settings)
		// The first card due: a review, as most ratings are.
		var card string
		var st store.CardState
		err := s.Read("user00", func(r *store.Reader) error {
			if err := r.EachDue(time.Time{}, benchEnd, func(d store.Due) error { card = d.Card; return store.ErrStop }); err != nil || card == "" {
				return fmt.Errorf("nothing due (%v)", err)
			}
			var err error
			st, _, err = r.State(card)
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
		next, err := sched.Next(st.Card, benchEnd, fsrs.Good)
		if err != nil {
			b.Fatal(err)
		}
		ch := store.Change{Card: card, Time: benchEnd, Action: store.ActRate, Rating: fsrs.Good,
			Duration: 5 * time.Second, Before: st, HadState: true, After: store.CardState{Card: next}}
		b.ResetTimer()
		for b.Loop() {
			k, err := s.Record("user00", ch)
			if err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			if _, err := s.Undo("user00", k); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
		}
	})
}

// BenchmarkBoltCommit is the engine's floor, measured beside
// BenchmarkRecord on the same disk: one bare bbolt transaction putting
// one 200-byte value.
func BenchmarkBoltCommit(b *testing.B) {
	db, err := bolt.Open(filepath.Join(b.TempDir(), "bare.db"), 0o600, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	val := make([]byte, 200)
	rand.Read(val)
	db.Update(func(tx *bolt.Tx) error { _, err := tx.CreateBucket([]byte("b")); return err })
	i := 0
	for b.Loop() {
		i++
		key := []byte(fmt.Sprintf("k%09d", i))
		if err := db.Update(func(tx *bolt.Tx) error { return tx.Bucket([]byte("b")).Put(key, val) }); err != nil {
			b.Fatal(err)
		}
	}
}

// bigDeck is a Markdown-sized deck of n cards, a third with follow-ups.
func bigDeck(n int) *deck.Deck {
	d := &deck.Deck{Name: "big", Source: "big.md"}
	for i := 0; len(d.Cards) < n; i++ {
		q := deck.Card{ID: fmt.Sprintf("q%06d", i), Deck: "big", Kind: deck.KindBasic,
			Front: fmt.Sprintf("Question %d: how does system %d fail over?", i, i),
			Back:  fmt.Sprintf("Answer %d names the failure modes, the rollout and the rollback.\n\n- one\n- two", i),
			Tags:  []string{"bench"}}
		d.Cards = append(d.Cards, q)
		if i%3 == 0 && len(d.Cards) < n {
			d.Cards = append(d.Cards, deck.Card{ID: q.ID + ".f1", Deck: "big", Kind: deck.KindFollowUp, Parent: q.ID,
				Front: "What breaks first at 10x?", Back: "The connection pool."})
		}
	}
	return d
}

// BenchmarkImport100k imports a 100k-card deck into an empty database,
// then re-imports it unchanged (which must write nothing).
func BenchmarkImport100k(b *testing.B) {
	d := bigDeck(100000)
	b.Run("first", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			s, err := store.Open(filepath.Join(b.TempDir(), "srs.db"), store.Options{Now: benchEnd})
			if err != nil {
				b.Fatal(err)
			}
			s.SetSettings("ann", fsrs.DefaultSettings(), benchEnd)
			b.StartTimer()
			if r, err := s.ImportDeck(d, store.ImportOptions{Now: benchEnd}); err != nil || r.Added != len(d.Cards) {
				b.Fatalf("%+v %v", r, err)
			}
			b.StopTimer()
			s.Close()
			b.StartTimer()
		}
	})
	b.Run("unchanged", func(b *testing.B) {
		s, err := store.Open(filepath.Join(b.TempDir(), "srs.db"), store.Options{Now: benchEnd})
		if err != nil {
			b.Fatal(err)
		}
		defer s.Close()
		s.SetSettings("ann", fsrs.DefaultSettings(), benchEnd)
		if _, err := s.ImportDeck(d, store.ImportOptions{Now: benchEnd}); err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			if r, err := s.ImportDeck(d, store.ImportOptions{Now: benchEnd}); err != nil || r.Changed() {
				b.Fatalf("%+v %v", r, err)
			}
		}
	})
}
