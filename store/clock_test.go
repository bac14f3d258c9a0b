package store

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/srs-tool/srs/deck"
	"github.com/srs-tool/srs/fsrs"
)

// TestRecordRefusesClockGoingBack: a change timed before the user's
// newest log entry is refused with ErrClockBack, naming that entry's
// time, and writes nothing; one at the same instant is fine, and so is
// another user's change (each user's log is their own).
func TestRecordRefusesClockGoingBack(t *testing.T) {
	s := openTemp(t)
	utcUser(t, s, "ann")
	utcUser(t, s, "bob")
	mustImport(t, s, testDeck("d", deck.Card{ID: "a"}, deck.Card{ID: "b"}))
	later := t0.Add(10 * 24 * time.Hour)
	q := ready(t, s, "ann", later, "")
	rate(t, s, "ann", q[0], later, fsrs.Good)
	before := dump(t, s, "ann")

	b := q[1]
	suspended := b.State
	suspended.Suspended = true
	suspended.Card.Due = t0
	for _, tc := range []struct {
		name string
		ch   Change
	}{
		{"suspend", Change{Card: b.Card.Key(), Time: t0, Action: ActSuspend, Before: b.State, After: suspended}},
		{"rating", Change{Card: b.Card.Key(), Time: later.Add(-time.Nanosecond), Action: ActRate, Rating: fsrs.Good,
			Before: b.State, After: suspended}},
	} {
		_, err := s.Record("ann", tc.ch)
		if !errors.Is(err, ErrClockBack) {
			t.Fatalf("%s before the newest entry: %v, want ErrClockBack", tc.name, err)
		}
		if msg := err.Error(); !strings.Contains(msg, later.Format(time.RFC3339)) || strings.Contains(msg, "\n") {
			t.Fatalf("%s: message %q should name the newest entry's time on one line", tc.name, msg)
		}
		if !sameDump(before, dump(t, s, "ann")) {
			t.Fatalf("%s: a refused change wrote something", tc.name)
		}
	}
	if _, err := s.Record("bob", Change{Card: b.Card.Key(), Time: t0, Action: ActSuspend, Before: b.State, After: suspended}); err != nil {
		t.Fatalf("bob, whose log is empty: %v", err)
	}
	rate(t, s, "ann", b, later, fsrs.Good) // the same instant as the newest
	if r, err := s.Check(); err != nil || len(r.Problems) != 0 {
		t.Fatalf("check: %v %+v", err, r.Problems)
	}
}

// TestStatsIgnoreFutureEntries: entries logged later than now (the clock
// was ahead when they were made) are not history yet: the stats leave
// them out (package queue's test does the same for the day's counts).
func TestStatsIgnoreFutureEntries(t *testing.T) {
	s := openTemp(t)
	utcUser(t, s, "ann")
	mustImport(t, s, testDeck("d", deck.Card{ID: "a"}, deck.Card{ID: "a.f", Parent: "a"}, deck.Card{ID: "b"}))
	at := t0.Add(8 * time.Hour) // 18:00, the same user day as t0
	q := ready(t, s, "ann", at, "")
	rate(t, s, "ann", q[0], at, fsrs.Good)
	rate(t, s, "ann", q[1], at, fsrs.Easy)
	for _, tc := range []struct {
		now  time.Time
		done int
	}{{t0, 0}, {at, 2}} {
		st, err := s.Stats("ann", tc.now)
		if err != nil || st.Today != tc.done || st.Week != tc.done || st.Activity[13].Count != tc.done {
			t.Errorf("at %s: stats today %d, week %d, activity %d (%v), want %d", tc.now.Format(time.Kitchen),
				st.Today, st.Week, st.Activity[13].Count, err, tc.done)
		}
	}
}
