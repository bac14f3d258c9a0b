// Package review runs a review session: it asks the queue what to show
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
	"github.com/srs-tool/srs/queue"
	"github.com/srs-tool/srs/store"
)

// Config is what a session needs from its caller.
type Config struct {
	// Open opens the store for one step; the session closes it.
	Open  func() (*store.Store, error)
	User  string
	Queue queue.Options
	// Now is the scheduling clock (SRS_NOW in tests).
	Now func() time.Time
	// Clock is the real clock, from which the time a user took is
	// measured (monotonic, even when Now is fixed); time.Now if nil.
	Clock func() time.Time
}

// MaxAnswerTime caps the time recorded for one card, so a card left on
// screen over lunch does not distort the statistics.
const MaxAnswerTime = 5 * time.Minute

// Card is a card on screen.
type Card struct {
	queue.Item
	Previews [4]fsrs.Outcome // Again, Hard, Good, Easy from the moment it was shown
	Counts   queue.Counts    // left today, including this card
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
	Counts   queue.Counts  // left at the end
	// Finished says the queue had nothing left to show (rather than the
	// user quitting); NextDue is then when the next card comes, zero if
	// none ever does.
	Finished bool
	NextDue  time.Time
	Skipped  []string // cards changed by another session meanwhile
	// Zone is the user's time zone (their time_zone setting), in which
	// NextDue is to be shown; set once the session has asked for a card.
	Zone *time.Location
}

// Session is one sitting of reviews.
type Session struct {
	cfg     Config
	live    *queue.Live // today's queue, kept between steps
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
	if cfg.Clock == nil {
		cfg.Clock = time.Now
	}
	return &Session{cfg: cfg, live: queue.NewLive(cfg.Queue), rated: map[string]int{}}
}

func (s *Session) with(fn func(*store.Store) error) error { return store.With(s.cfg.Open, fn) }

// Next returns the card to show now, or nil when the session is over.
func (s *Session) Next() (*Card, error) {
	now := s.cfg.Now()
	var t *queue.Today
	var it queue.Item
	err := s.with(func(st *store.Store) error {
		return st.Read(s.cfg.User, func(r *store.Reader) (err error) {
			if t, err = s.live.Today(r, now); err != nil {
				return err
			}
			show := t.Show()
			if len(show) == 0 {
				return nil
			}
			pick := show[0].Card
			for _, sl := range show {
				if s.first != "" && sl.Card == s.first {
					pick = sl.Card
					break
				}
			}
			it, err = queue.LoadItem(r, pick)
			return err
		})
	})
	if err != nil {
		s.live.Forget()
		return nil, err
	}
	s.first = ""
	s.summary.Counts = t.Counts
	s.summary.NextDue = t.NextDue
	s.summary.Zone = t.Scheduler.Location()
	s.summary.Finished = len(t.Show()) == 0
	if s.summary.Finished {
		return nil, nil
	}
	c := &Card{Item: it, Counts: t.Counts, shownAt: s.cfg.Clock(), now: now, sched: t.Scheduler}
	if c.Previews, err = t.Scheduler.Preview(schedulable(it.State.Card, now), now); err != nil {
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
// costs one short write transaction and nothing else. pressed is when
// the user gave the rating, on the real clock (the key press): the time
// recorded for the card runs from when it was shown to then, not to
// whenever the write gets the database. A zero pressed is now.
func (s *Session) Answer(c *Card, r fsrs.Rating, pressed time.Time) (store.CardState, error) {
	now := s.cfg.Now()
	if pressed.IsZero() {
		pressed = s.cfg.Clock()
	}
	spent := min(max(pressed.Sub(c.shownAt), 0), MaxAnswerTime)
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
// session changed meanwhile is reported as ErrSkipped. A rating is
// handed to the kept queue, which applies it rather than reading the day
// again; anything else (or a failure) makes it read the day again.
func (s *Session) record(c *Card, ch store.Change) error {
	var key store.LogKey
	var version uint64
	err := s.with(func(st *store.Store) (err error) {
		if key, err = st.Record(s.cfg.User, ch); err != nil {
			return err
		}
		// The file is still locked: no other write can come between.
		version, err = st.Version()
		return err
	})
	if err == nil && ch.Action == store.ActRate {
		s.live.Rated(store.Entry{Key: key, Card: ch.Card, Action: ch.Action, Rating: ch.Rating, Duration: ch.Duration,
			Before: ch.Before, HadState: ch.HadState, After: ch.After}, c.Card.Parent, version)
	} else {
		s.live.Forget()
	}
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
	s.live.Forget()
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
