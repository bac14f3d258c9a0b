package queue_test

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/srs-tool/srs/deck"
	"github.com/srs-tool/srs/fsrs"
	"github.com/srs-tool/srs/queue"
	"github.com/srs-tool/srs/store"
)

// t0 is 10:00 UTC on a Friday; the test user's day starts at 04:00 UTC.
var t0 = time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)

// dayStart is the start of the test user's day n days after t0's.
func dayStart(n int) time.Time { return time.Date(2026, 11, 27+n, 4, 0, 0, 0, time.UTC) }

type fixture struct {
	t *testing.T
	s *store.Store
}

// newFixture opens a fresh store with user ann, whose days are UTC days
// from 04:00, no fuzz, and the given changes to the default settings.
func newFixture(t *testing.T, edit ...func(*fsrs.Settings)) *fixture {
	t.Helper()
	s, err := store.Open(filepath.Join(t.TempDir(), "srs.db"), store.Options{Now: t0})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	f := &fixture{t: t, s: s}
	f.settings(t0.Add(-48*time.Hour), edit...)
	return f
}

func (f *fixture) settings(at time.Time, edit ...func(*fsrs.Settings)) {
	f.t.Helper()
	st, err := f.s.Settings("ann")
	if err != nil {
		f.t.Fatal(err)
	}
	st.TimeZone, st.Fuzz = "UTC", false
	for _, e := range edit {
		e(&st)
	}
	if err := f.s.SetSettings("ann", st, at); err != nil {
		f.t.Fatal(err)
	}
}

// deck imports a deck of cards named by their IDs; "q.f1" is a follow-up
// of "q".
func (f *fixture) deck(name string, ids ...string) {
	f.t.Helper()
	d := &deck.Deck{Name: name, Source: name + ".md"}
	for _, id := range ids {
		c := deck.Card{ID: id, Deck: name, Kind: deck.KindBasic, Front: "Front of " + id, Back: "Back of " + id}
		if q, _, ok := strings.Cut(id, ".f"); ok {
			c.Kind, c.Parent = deck.KindFollowUp, q
		}
		if strings.HasPrefix(id, "t-") {
			c.Tags = []string{"tagged"}
		}
		d.Cards = append(d.Cards, c)
	}
	if _, err := f.s.ImportDeck(d, store.ImportOptions{Now: t0.Add(-72 * time.Hour)}); err != nil {
		f.t.Fatal(err)
	}
}

// state reads ann's state of a card ("deck/id").
func (f *fixture) state(card string) (store.CardState, bool) {
	f.t.Helper()
	name, id, _ := strings.Cut(card, "/")
	st, had, err := f.s.State("ann", name, id)
	if err != nil {
		f.t.Fatal(err)
	}
	if !had {
		st = store.CardState{Card: fsrs.NewCard(time.Time{})}
	}
	return st, had
}

// set gives a card a state from outside (as an import with scheduling
// does), logged at at.
func (f *fixture) set(card string, at time.Time, c fsrs.Card) {
	f.t.Helper()
	before, had := f.state(card)
	name, id, _ := strings.Cut(card, "/")
	if _, err := f.s.Record("ann", store.Change{Card: deck.Key(name, id), Time: at, Action: store.ActSet,
		Before: before, HadState: had, After: store.CardState{Card: c}}); err != nil {
		f.t.Fatal(err)
	}
}

// review makes a card a review card due at due, last reviewed a
// stability's worth of days before.
func (f *fixture) review(card string, at, due time.Time, stability float64) {
	f.t.Helper()
	f.set(card, at, fsrs.Card{State: fsrs.Review, Stability: stability, Difficulty: 5, Due: due,
		LastReview: due.Add(-time.Duration(stability*24) * time.Hour), ScheduledDays: uint64(stability), Reps: 3})
}

// rate rates a card as a session would, at at.
func (f *fixture) rate(card string, at time.Time, r fsrs.Rating) { f.rateEntry(card, at, r) }

// rateEntry rates a card and returns the log entry it made and the
// card's parent.
func (f *fixture) rateEntry(card string, at time.Time, r fsrs.Rating) (store.Entry, string) {
	f.t.Helper()
	st, err := f.s.Settings("ann")
	if err != nil {
		f.t.Fatal(err)
	}
	sched, err := fsrs.NewScheduler(st)
	if err != nil {
		f.t.Fatal(err)
	}
	before, had := f.state(card)
	c := before.Card
	if !had {
		c.Due = at
	}
	next, err := sched.Next(c, at, r)
	if err != nil {
		f.t.Fatal(err)
	}
	name, id, _ := strings.Cut(card, "/")
	ch := store.Change{Card: deck.Key(name, id), Time: at, Action: store.ActRate, Rating: r,
		Duration: 4 * time.Second, Before: before, HadState: had, After: store.CardState{Card: next, Suspended: before.Suspended}}
	k, err := f.s.Record("ann", ch)
	if err != nil {
		f.t.Fatal(err)
	}
	m, err := f.s.Card(name, id)
	if err != nil {
		f.t.Fatal(err)
	}
	return store.Entry{Key: k, Card: ch.Card, Action: ch.Action, Rating: r, Duration: ch.Duration,
		Before: before, HadState: had, After: ch.After}, m.Parent
}

// act suspends or buries (until the end of at's day) a card.
func (f *fixture) act(card string, at time.Time, a store.Action) {
	f.t.Helper()
	before, had := f.state(card)
	after := before
	if !had {
		after.Card = fsrs.NewCard(at)
	}
	switch a {
	case store.ActSuspend:
		after.Suspended = true
	case store.ActUnsuspend:
		after.Suspended = false
	case store.ActBury:
		after.BuriedUntil = fsrs.DayOf(at, time.UTC, 4).End
	}
	name, id, _ := strings.Cut(card, "/")
	if _, err := f.s.Record("ann", store.Change{Card: deck.Key(name, id), Time: at, Action: a,
		Before: before, HadState: had, After: after}); err != nil {
		f.t.Fatal(err)
	}
}

// deckSettings sets a deck's own limits (-1: none of its own).
func (f *fixture) deckLimits(name string, newPerDay, reviewsPerDay int) {
	f.t.Helper()
	var d store.DeckSettings
	if newPerDay >= 0 {
		d.NewPerDay = &newPerDay
	}
	if reviewsPerDay >= 0 {
		d.ReviewsPerDay = &reviewsPerDay
	}
	if err := f.s.SetDeckSettings("ann", name, d, t0); err != nil {
		f.t.Fatal(err)
	}
}

func (f *fixture) today(now time.Time, opt queue.Options) *queue.Today {
	f.t.Helper()
	t, err := queue.Load(f.s, "ann", now, opt)
	if err != nil {
		f.t.Fatal(err)
	}
	return t
}

// cards names slots as "deck/id", space-separated.
func cards(slots []queue.Slot) string {
	var b []string
	for _, s := range slots {
		name, id := deck.SplitKey(s.Card)
		b = append(b, name+"/"+id)
	}
	return strings.Join(b, " ")
}
