package fsrs

import (
	"fmt"
	"math"
	"time"

	gofsrs "github.com/open-spaced-repetition/go-fsrs/v4"
)

// Scheduler computes next states for one user's settings.
type Scheduler struct {
	settings Settings
	loc      *time.Location
	f        *gofsrs.FSRS
	// graduate is f without learning or relearning steps: on it Good
	// always graduates, which is how easyAfterGood learns the interval
	// Good's stability is worth while Good itself is still a step.
	graduate      *gofsrs.FSRS
	decay, factor float64 // of the forgetting curve
}

// NewScheduler validates s and builds a scheduler from it.
func NewScheduler(s Settings) (*Scheduler, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	loc, _ := s.Location()
	p := s.parameters()
	f := gofsrs.NewFSRS(p)
	p.LearningSteps, p.RelearningSteps = []float64{}, []float64{}
	decay := f.W[20]
	return &Scheduler{settings: s, loc: loc, f: f, graduate: gofsrs.NewFSRS(p),
		decay: decay, factor: math.Pow(0.9, -1/decay) - 1}, nil
}

// Settings returns the settings the scheduler was built from.
func (s *Scheduler) Settings() Settings { return s.settings }

// Outcome is what one rating would do to a card.
type Outcome struct {
	Rating Rating
	Card   Card // the state after the rating
	// Interval is what the button says: a learning step's length, or
	// Card.ScheduledDays × 24h for a card due on a later day (it is due
	// from that day's start, so Card.Due - now may be shorter or longer).
	Interval time.Duration
}

// Preview returns the outcome of each of the four ratings, in button order.
func (s *Scheduler) Preview(c Card, now time.Time) ([4]Outcome, error) {
	var out [4]Outcome
	sh := s.shift(now)
	in, at := sh.in(c, now), sh.at(now)
	log, err := s.f.Repeat(in, at)
	if err != nil {
		return out, fmt.Errorf("preview: %w", err)
	}
	easy := log[Easy].Card
	if err := s.easyAfterGood(&easy, log[Good].Card, in, at); err != nil {
		return out, fmt.Errorf("preview: %w", err)
	}
	for i, r := range Ratings {
		next := log[r].Card
		if r == Easy {
			next = easy
		}
		next = s.place(sh.out(next), now)
		iv := next.Due.Sub(now)
		if next.State == Review && next.ScheduledDays > 0 {
			iv = time.Duration(next.ScheduledDays) * 24 * time.Hour
		}
		out[i] = Outcome{Rating: r, Card: next, Interval: iv}
	}
	return out, nil
}

// Next applies rating r to c at now.
func (s *Scheduler) Next(c Card, now time.Time, r Rating) (Card, error) {
	if r < Again || r > Easy {
		return Card{}, fmt.Errorf("rating %d: must be 1..4", r)
	}
	sh := s.shift(now)
	in, at := sh.in(c, now), sh.at(now)
	info, err := s.f.Next(in, at, r)
	if err != nil {
		return Card{}, fmt.Errorf("schedule: %w", err)
	}
	next := info.Card
	if r == Easy && c.State != Review {
		good, err := s.f.Next(in, at, Good)
		if err != nil {
			return Card{}, fmt.Errorf("schedule: %w", err)
		}
		if err := s.easyAfterGood(&next, good.Card, in, at); err != nil {
			return Card{}, fmt.Errorf("schedule: %w", err)
		}
	}
	return s.place(sh.out(next), now), nil
}

// easyAfterGood makes Easy on a new, learning or relearning card at least
// a day longer than Good, as Anki does (rslib scheduler/states learning.rs
// and relearning.rs, answer_easy): go-fsrs lets the two meet when the
// card's short-term stability is low ("3 Good 1d  4 Easy 1d"). Good's
// days are the larger of what Good schedules (when it graduates, or takes
// a step of a day or more) and the interval go-fsrs gives Good's
// stability on graduating (what Anki compares with even while Good is a
// step); Easy gets at least one more, within maximum_interval. Unlike
// Anki, an Easy raised this way is not fuzzed again. Review cards need
// nothing: go-fsrs already keeps their Easy past Good.
func (s *Scheduler) easyAfterGood(easy *Card, good, in Card, at time.Time) error {
	if in.State == Review || easy.State != Review {
		return nil
	}
	grad, err := s.graduate.Next(in, at, Good)
	if err != nil {
		return err
	}
	days := grad.Card.ScheduledDays
	if good.State == Review {
		days = max(days, good.ScheduledDays)
	}
	want := min(days+1, uint64(s.settings.MaximumInterval))
	if easy.ScheduledDays < want {
		easy.ScheduledDays = want
	}
	return nil
}

// place puts a card due in n days at the start of the user's day n days
// after now's (DayStart), the way Anki counts days: not n×24h after now,
// which across a DST change or a review made before the day-start hour
// lands on the wrong local day. Learning steps shorter than a day stay
// where go-fsrs put them, a fixed time after now.
func (s *Scheduler) place(c Card, now time.Time) Card {
	if c.State == Review && c.ScheduledDays > 0 {
		c.Due = s.DayStart(now, int(min(c.ScheduledDays, math.MaxInt32)))
	}
	return c
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

// Overdue is how far a card has gone into its forgetting curve: the time
// since its last review over its stability, t/S, in days. The curve
// falls as t/S grows, whatever the weights, so ordering cards by Overdue
// (largest first) orders them by Retrievability (lowest first) without
// computing a power for each: the queue orders thousands this way on
// every key press. A card Retrievability gives 0 is +Inf here.
func Overdue(c Card, now time.Time) float64 {
	if c.State == New || c.LastReview.IsZero() || c.Stability <= 0 {
		return math.Inf(1)
	}
	return max(now.Sub(c.LastReview).Hours()/24, 0) / c.Stability
}

// shift maps real times into the frame go-fsrs computes in. go-fsrs counts
// elapsed days between UTC calendar dates; in the shifted frame a UTC date
// is exactly one of the user's days (local time, rolled over at the
// day-start hour). Each time is shifted by its own zone offset so that a
// review at 23:00 and one at 01:00 local on either side of the day start
// land on the right dates; results are shifted back with now's offset, so
// a 10-minute step stays 10 minutes. Dues in days are then moved to the
// start of their local day (place): go-fsrs adds n×24h, which is only
// the right day in the shifted frame, and only for now's offset.
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

// in shifts c for a review at now. In the hour a fall-back repeats, a
// review made earlier can shift to after now (01:50 PDT becomes later
// than 01:10 PST); go-fsrs refuses a last review after now, so it is
// held at now: the same day, no time elapsed.
func (sh shift) in(c Card, now time.Time) Card {
	last := c.LastReview
	c.Due = sh.at(c.Due)
	c.LastReview = sh.at(last)
	if at := sh.at(now); !last.After(now) && c.LastReview.After(at) {
		c.LastReview = at
	}
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
