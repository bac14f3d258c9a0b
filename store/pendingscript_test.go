package store

import (
	"testing"
	"time"

	"github.com/srs-tool/srs/deck"
	"github.com/srs-tool/srs/fsrs"
)

// pendingScript is the history of testdata/schema[34]-pending.db: two
// users rating five cards over four days, then a suspend and a bury.
// settle runs after the second day; the srs that wrote the fixtures
// (schemas 3 and 4) left everything after it in the users' pending lists.
func pendingScript(t *testing.T, s *Store, settle func()) {
	t.Helper()
	utcUser(t, s, "ann")
	utcUser(t, s, "bob")
	mustImport(t, s, testDeck("d", deck.Card{ID: "a"}, deck.Card{ID: "a.f", Parent: "a"}, deck.Card{ID: "b"},
		deck.Card{ID: "c"}, deck.Card{ID: "e"}))
	now := t0
	for day := range 4 {
		for _, u := range []string{"ann", "bob"} {
			q := queue(t, s, u, now, QueueOptions{})
			for i, it := range q.Items {
				rate(t, s, u, it, now.Add(time.Duration(i)*time.Minute), fsrs.Rating(1+(day+i)%4))
			}
			// Learning cards come back within the day.
			later := now.Add(30 * time.Minute)
			for i, it := range queue(t, s, u, later, QueueOptions{}).Items {
				rate(t, s, u, it, later.Add(time.Duration(i)*time.Minute), fsrs.Good)
			}
		}
		if day == 1 {
			settle()
		}
		now = now.Add(24 * time.Hour)
	}
	for i, act := range []Action{ActSuspend, ActBury} {
		id := []string{"c", "e"}[i]
		before, had, err := s.State("ann", "d", id)
		if err != nil {
			t.Fatal(err)
		}
		after := before
		if act == ActSuspend {
			after.Suspended = true
		} else {
			after.BuriedUntil = now.Add(20 * time.Hour)
		}
		if !had {
			after = CardState{Card: fsrs.NewCard(now), BuriedUntil: after.BuriedUntil, Suspended: after.Suspended}
			before = CardState{Card: fsrs.NewCard(time.Time{})}
		}
		ch := Change{Card: deck.Key("d", id), Time: now, Action: act, Before: before, HadState: had, After: after}
		if _, err := s.Record("ann", ch); err != nil {
			t.Fatal(err)
		}
	}
}
