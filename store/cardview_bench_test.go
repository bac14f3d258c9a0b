package store_test

import (
	"testing"

	"github.com/srs-tool/srs/store"
)

// BenchmarkCardViews measures the read views `srs cards` and `srs show`
// add, each beside its baseline in the same run: listing every card
// (`srs cards`) against listing with --search (every card's text lower-
// cased and searched) and with --state (the state read before the text,
// which is then read only for the cards kept); one card's history
// against reading the whole log (`srs log --json`).
func BenchmarkCardViews(b *testing.B) {
	eachSize(b, func(b *testing.B, path string) {
		s := openBench(b, path)
		var some store.StoredCard
		s.EachCard(store.CardFilter{}, func(c store.StoredCard) error { some = c; return store.ErrStop })
		list := func(f store.CardFilter) func(b *testing.B) {
			return func(b *testing.B) {
				for b.Loop() {
					n := 0
					if err := s.EachCardState("user00", f, func(store.StoredCard, store.CardState, bool) error { n++; return nil }); err != nil {
						b.Fatal(err)
					}
				}
			}
		}
		b.Run("list-all", list(store.CardFilter{}))
		b.Run("search", list(store.CardFilter{Search: "no card says this"}))
		b.Run("state-suspended", list(store.CardFilter{Status: []store.CardStatus{store.StatusSuspended}}))
		b.Run("whole-log", func(b *testing.B) {
			for b.Loop() {
				if err := s.EachEntry("user00", false, func(store.Entry) error { return nil }); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("card-log", func(b *testing.B) {
			for b.Loop() {
				if _, err := s.CardLog("user00", some.Deck, some.ID); err != nil {
					b.Fatal(err)
				}
			}
		})
	})
}
