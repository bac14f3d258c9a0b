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
	// The ratings the queue of that srs gave each user, day by day: a
	// first pass, then 30 minutes later the learning cards come back.
	type step struct {
		id string
		at time.Duration // after the start of the pass
		r  fsrs.Rating
	}
	days := []struct{ first, later []step }{
		{[]step{{"a", 0, 1}, {"b", time.Minute, 2}, {"c", 2 * time.Minute, 3}, {"e", 3 * time.Minute, 4}},
			[]step{{"a", 0, 3}, {"b", time.Minute, 3}, {"c", 2 * time.Minute, 3}}},
		{[]step{{"a", 0, 2}, {"b", time.Minute, 3}}, []step{{"a", 0, 3}}},
		{[]step{{"c", 0, 3}, {"a", time.Minute, 4}, {"a.f", 2 * time.Minute, 1}}, []step{{"a.f", 0, 3}}},
		{[]step{{"a.f", 0, 4}}, nil},
	}
	now := t0
	for day, d := range days {
		for _, u := range []string{"ann", "bob"} {
			for _, st := range d.first {
				rate(t, s, u, itemFor(t, s, u, "d", st.id), now.Add(st.at), st.r)
			}
			later := now.Add(30 * time.Minute)
			for _, st := range d.later {
				rate(t, s, u, itemFor(t, s, u, "d", st.id), later.Add(st.at), st.r)
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
