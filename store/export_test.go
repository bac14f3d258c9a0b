package store

import (
	"fmt"
	"slices"
	"testing"

	"github.com/srs-tool/srs/deck"
	"github.com/srs-tool/srs/fsrs"
)

// TestEachExportKeepsReviewsOfExportedCards: the log entries handed on are
// those of the cards exported, whatever the filter.
func TestEachExportKeepsReviewsOfExportedCards(t *testing.T) {
	s := openTemp(t)
	utcUser(t, s, "ann")
	mustImport(t, s, testDeck("d", deck.Card{ID: "a", Tags: []string{"x"}}, deck.Card{ID: "b"}, deck.Card{ID: "c"}))
	mustImport(t, s, testDeck("e", deck.Card{ID: "z"}))
	for _, it := range ready(t, s, "ann", t0, "") {
		rate(t, s, "ann", it, t0, fsrs.Good)
	}
	// c is retired, with its history; z is rated again.
	mustImport(t, s, testDeck("d", deck.Card{ID: "a", Tags: []string{"x"}}, deck.Card{ID: "b"}))
	it := ready(t, s, "ann", t0.Add(30*24*3600e9), "e")[0]
	rate(t, s, "ann", it, t0.Add(30*24*3600e9), fsrs.Good)

	for _, tc := range []struct {
		f           CardFilter
		cards, revs string
	}{
		{CardFilter{}, "d/a d/b e/z", "d/a d/b e/z e/z"},
		{CardFilter{IncludeRetire: true}, "d/a d/b d/c e/z", "d/a d/b d/c e/z e/z"},
		{CardFilter{Deck: "d"}, "d/a d/b", "d/a d/b"},
		{CardFilter{Tag: "x"}, "d/a", "d/a"},
	} {
		var cards, revs []string
		err := s.EachExport("ann", tc.f, func(c ExportCard) error {
			cards = append(cards, c.Deck+"/"+c.ID)
			if c.ID == "z" && (!c.HadState || c.State.Reps != 2) {
				return fmt.Errorf("z exported without its second rating: %+v", c.State)
			}
			return nil
		}, func(e Entry) error {
			d, id := deck.SplitKey(e.Card)
			revs = append(revs, d+"/"+id)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(revs)
		if got := fmt.Sprint(cards); got != "["+tc.cards+"]" {
			t.Errorf("%+v: cards %s, want [%s]", tc.f, got, tc.cards)
		}
		if got := fmt.Sprint(revs); got != "["+tc.revs+"]" {
			t.Errorf("%+v: reviews %s, want [%s]", tc.f, got, tc.revs)
		}
	}
}
