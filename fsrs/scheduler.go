package fsrs

import (
	"fmt"
	"math"
	"time"

	gofsrs "github.com/open-spaced-repetition/go-fsrs/v4"
)

// Scheduler computes next states for one user's settings.
type Scheduler struct {
	settings      Settings
	loc           *time.Location
	f             *gofsrs.FSRS
	decay, factor float64 // of the forgetting curve
}

// NewScheduler validates s and builds a scheduler from it.
func NewScheduler(s Settings) (*Scheduler, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	loc, _ := s.Location()
	f := gofsrs.NewFSRS(s.parameters())
	decay := f.W[20]
	return &Scheduler{settings: s, loc: loc, f: f, decay: decay, factor: math.Pow(0.9, -1/decay) - 1}, nil
}

// Settings returns the settings the scheduler was built from.
func (s *Scheduler) Settings() Settings { return s.settings }

// Outcome is what one rating would do to a card.
type Outcome struct {
	Rating   Rating
	Card     Card          // the state after the rating
	Interval time.Duration // from now until the card is due again
}

// Preview returns the outcome of each of the four ratings, in button order.
func (s *Scheduler) Preview(c Card, now time.Time) ([4]Outcome, error) {
	var out [4]Outcome
	shift := s.shift(now)
	log, err := s.f.Repeat(shift.in(c), shift.at(now))
	if err != nil {
		return out, fmt.Errorf("preview: %w", err)
	}
	for i, r := range Ratings {
		next := shift.out(log[r].Card)
		out[i] = Outcome{Rating: r, Card: next, Interval: next.Due.Sub(now)}
	}
	return out, nil
}

// Next applies rating r to c at now.
func (s *Scheduler) Next(c Card, now time.Time, r Rating) (Card, error) {
	if r < Again || r > Easy {
		return Card{}, fmt.Errorf("rating %d: must be 1..4", r)
	}
	shift := s.shift(now)
	info, err := s.f.Next(shift.in(c), shift.at(now), r)
	if err != nil {
		return Card{}, fmt.Errorf("schedule: %w", err)
	}
	return shift.out(info.Card), nil
}

// Replay runs events (oldest first) through the scheduler from a new card
// and returns the state before and after each one.
func (s *Scheduler) Replay(events []ReviewEvent) (before, after []Card, err error) {
	if len(events) == 0 {
		return nil, nil, nil
	}
	c := NewCard(events[0].Time)
	before = make([]Card, len(events))
	after = make([]Card, len(events))
	for i, e := range events {
		if i > 0 && e.Time.Before(events[i-1].Time) {
			return nil, nil, fmt.Errorf("review %d at %s is before the one it follows", i+1, e.Time.Format(time.RFC3339))
		}
		before[i] = c
		if c, err = s.Next(c, e.Time, e.Rating); err != nil {
			return nil, nil, fmt.Errorf("review %d: %w", i+1, err)
		}
		after[i] = c
	}
	return before, after, nil
}

// Retrievability is the probability the user recalls c at now.
func (s *Scheduler) Retrievability(c Card, now time.Time) float64 {
	if c.State == New || c.LastReview.IsZero() || c.Stability <= 0 {
		return 0
	}
	days := now.Sub(c.LastReview).Hours() / 24
	if days < 0 {
		days = 0
	}
	// FSRS-6's curve, R = (1 + factor·t/S)^-decay, computed here rather
	// than through go-fsrs, whose ForgettingCurve re-validates every
	// parameter on each call: the queue sorts thousands of cards by it.
	return math.Pow(1+s.factor*days/c.Stability, -s.decay)
}

// shift maps real times into the frame go-fsrs computes in. go-fsrs counts
// elapsed days between UTC calendar dates; in the shifted frame a UTC date
// is exactly one of the user's days (local time, rolled over at the
// day-start hour). Each time is shifted by its own zone offset so that a
// review at 23:00 and one at 01:00 local on either side of the day start
// land on the right dates; results are shifted back with now's offset, so
// a 10-minute step stays 10 minutes.
type shift struct {
	s   *Scheduler
	now time.Duration
}

func (s *Scheduler) shift(now time.Time) shift { return shift{s: s, now: s.delta(now)} }

func (s *Scheduler) delta(t time.Time) time.Duration {
	_, off := t.In(s.loc).Zone()
	return time.Duration(off)*time.Second - time.Duration(s.settings.DayStartHour)*time.Hour
}

func (sh shift) at(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.UTC().Add(sh.s.delta(t))
}

func (sh shift) in(c Card) Card {
	c.Due = sh.at(c.Due)
	c.LastReview = sh.at(c.LastReview)
	return c
}

func (sh shift) out(c Card) Card {
	if !c.Due.IsZero() {
		c.Due = c.Due.Add(-sh.now).UTC()
	}
	if !c.LastReview.IsZero() {
		c.LastReview = c.LastReview.Add(-sh.now).UTC()
	}
	return c
}
