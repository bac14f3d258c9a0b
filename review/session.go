// Package review runs a review session: it asks the store what to show
// next, turns a rating into the card's next state through the user's FSRS
// scheduler, records it, and undoes it. The terminal UI and line mode in
// cmd/srs are two faces of this one engine, so they cannot drift apart.
//
// The session holds no database handle between steps: each step opens the
// store, does one short transaction and closes it, so other srs commands
// can run while the user is thinking.
package review

import (
	"errors"
	"fmt"
	"time"

	"github.com/srs-tool/srs/deck"
	"github.com/srs-tool/srs/fsrs"
	"github.com/srs-tool/srs/store"
)

// Config is what a session needs from its caller.
type Config struct {
	// Open opens the store for one step; the session closes it.
	Open  func() (*store.Store, error)
	User  string
	Queue store.QueueOptions
	// Now is the scheduling clock (SRS_NOW in tests).
	Now func() time.Time
	// Since measures how long the user took; it runs on the real
	// monotonic clock even when Now is fixed.
	Since func(time.Time) time.Duration
}

// MaxAnswerTime caps the time recorded for one card, so a card left on
// screen over lunch does not distort the statistics.
const MaxAnswerTime = 5 * time.Minute

// Card is a card on screen.
type Card struct {
	store.Item
	Previews [4]fsrs.Outcome // Again, Hard, Good, Easy from the moment it was shown
	Counts   store.Counts    // left today, including this card
	shownAt  time.Time       // real clock
	now      time.Time       // scheduling clock when shown
	sched    *fsrs.Scheduler // the user's scheduler the queue was built with
}

// Summary is what a session did.
type Summary struct {
	Reviewed int           // ratings recorded (minus undone ones)
	Cards    int           // distinct cards those ratings were of
	ByRating [5]int        // indexed by rating 1..4
	Time     time.Duration // total answer time recorded
	Counts   store.Counts  // left at the end
	NextDue  time.Time     // the next card due after the session, zero if none
	Skipped  []string      // cards changed by another session meanwhile
	// Zone is the user's time zone (their time_zone setting), in which
	// NextDue is to be shown; set once the session has asked for a card.
	Zone *time.Location
}

// Session is one sitting of reviews.
type Session struct {
	cfg     Config
	undo    []undoStep
	summary Summary
	rated   map[string]int // ratings recorded per card, for Summary.Cards
	first   string         // card to show first (the one just undone)
}

type undoStep struct {
	key      store.LogKey
	card     string
	rating   fsrs.Rating
	duration time.Duration
}

// New starts a session.
func New(cfg Config) *Session {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Since == nil {
		cfg.Since = time.Since
	}
	return &Session{cfg: cfg, rated: map[string]int{}}
}

func (s *Session) with(fn func(*store.Store) error) error { return store.With(s.cfg.Open, fn) }

// Next returns the card to show now, or nil when the session is over.
func (s *Session) Next() (*Card, error) {
	now := s.cfg.Now()
	var q *store.Queue
	var it store.Item
	if err := s.with(func(st *store.Store) (err error) {
		if q, err = st.Queue(s.cfg.User, now, s.cfg.Queue); err != nil || len(q.Items) == 0 {
			return err
		}
		it = q.Items[0]
		for _, cand := range q.Items {
			if s.first != "" && cand.Card.Key() == s.first {
				it = cand
				break
			}
		}
		return st.Fill(&it)
	}); err != nil {
		return nil, err
	}
	s.first = ""
	s.summary.Counts = q.Counts
	s.summary.NextDue = q.NextDue
	s.summary.Zone = q.Scheduler.Location()
	if len(q.Items) == 0 {
		return nil, nil
	}
	c := &Card{Item: it, Counts: q.Counts, shownAt: time.Now(), now: now, sched: q.Scheduler}
	var err error
	if c.Previews, err = q.Scheduler.Preview(schedulable(it.State.Card, now), now); err != nil {
		return nil, fmt.Errorf("card %s: %w", it.Card.ID, err)
	}
	return c, nil
}

// Zone is the user's time zone, in which the card's times are shown.
func (c *Card) Zone() *time.Location { return c.sched.Location() }

// schedulable gives a never-seen card the due time go-fsrs expects.
func schedulable(c fsrs.Card, now time.Time) fsrs.Card {
	if c.State == fsrs.New && c.Due.IsZero() {
		c.Due = now
	}
	return c
}

// ErrSkipped reports a card another session changed while it was shown;
// nothing was recorded and the session can go on.
var ErrSkipped = errors.New("changed in another session; skipped")

// Answer records rating r for c and returns the card's new state. The
// state comes from the scheduler the card was shown with, so a rating
// costs one short write transaction and nothing else.
func (s *Session) Answer(c *Card, r fsrs.Rating) (store.CardState, error) {
	now := s.cfg.Now()
	spent := min(s.cfg.Since(c.shownAt), MaxAnswerTime)
	next, err := c.sched.Next(schedulable(c.State.Card, now), now, r)
	if err != nil {
		return store.CardState{}, err
	}
	after := store.CardState{Card: next, Suspended: c.State.Suspended}
	err = s.record(c, store.Change{Card: c.Card.Key(), Time: now, Action: store.ActRate, Rating: r,
		Duration: spent, Before: c.State, HadState: c.HadState, After: after})
	if errors.Is(err, ErrSkipped) {
		s.summary.Skipped = append(s.summary.Skipped, c.Card.ID)
	}
	if err != nil {
		return after, err
	}
	s.summary.Reviewed++
	if s.rated[c.Card.Key()]++; s.rated[c.Card.Key()] == 1 {
		s.summary.Cards++
	}
	s.summary.ByRating[r]++
	s.summary.Time += spent
	return after, nil
}

// Suspend takes c out of scheduling until unsuspended.
func (s *Session) Suspend(c *Card) error {
	after := c.State
	after.Suspended = true
	return s.change(c, store.ActSuspend, after)
}

// Bury hides c until the end of the user's day.
func (s *Session) Bury(c *Card) error {
	after := c.State
	after.BuriedUntil = c.sched.DayOf(c.now).End
	return s.change(c, store.ActBury, after)
}

func (s *Session) change(c *Card, a store.Action, after store.CardState) error {
	now := s.cfg.Now()
	if !c.HadState {
		after.Card = schedulable(after.Card, now)
	}
	return s.record(c, store.Change{Card: c.Card.Key(), Time: now, Action: a,
		Before: c.State, HadState: c.HadState, After: after})
}

// record writes a change and remembers it for Undo. A card another
// session changed meanwhile is reported as ErrSkipped.
func (s *Session) record(c *Card, ch store.Change) error {
	var key store.LogKey
	err := s.with(func(st *store.Store) (err error) {
		key, err = st.Record(s.cfg.User, ch)
		return err
	})
	if errors.Is(err, store.ErrConflict) {
		return fmt.Errorf("card %s %w", c.Card.ID, ErrSkipped)
	}
	if err != nil {
		return err
	}
	s.undo = append(s.undo, undoStep{key: key, card: ch.Card, rating: ch.Rating, duration: ch.Duration})
	return nil
}

// ErrNothingToUndo is returned by Undo at the start of a session.
var ErrNothingToUndo = errors.New("nothing to undo in this session")

// Undo reverts the session's last step (rating, suspend or bury) exactly;
// the card comes back next.
func (s *Session) Undo() (deck.Card, error) {
	if len(s.undo) == 0 {
		return deck.Card{}, ErrNothingToUndo
	}
	step := s.undo[len(s.undo)-1]
	var c deck.Card
	err := s.with(func(st *store.Store) error {
		if _, err := st.Undo(s.cfg.User, step.key); err != nil {
			return err
		}
		deckName, id := deck.SplitKey(step.card)
		sc, err := st.Card(deckName, id)
		c = sc.Card
		return err
	})
	if err != nil {
		return deck.Card{}, err
	}
	s.undo = s.undo[:len(s.undo)-1]
	if step.rating != 0 {
		s.summary.Reviewed--
		if s.rated[step.card]--; s.rated[step.card] == 0 {
			s.summary.Cards--
		}
		s.summary.ByRating[step.rating]--
		s.summary.Time -= step.duration
	}
	s.first = step.card
	return c, nil
}

// CanUndo reports whether Undo has something to revert.
func (s *Session) CanUndo() bool { return len(s.undo) > 0 }

// Summary reports what the session did so far.
func (s *Session) Summary() Summary { return s.summary }
