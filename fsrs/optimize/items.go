package optimize

import (
	"fmt"
	"sort"
	"time"
)

// Review is one rating in a card's log.
type Review struct {
	Time     time.Time
	Rating   int           // 1 Again, 2 Hard, 3 Good, 4 Easy
	Duration time.Duration // time the user took to answer; 0 when unknown
}

// Step is one review as the model sees it: the rating and the number of
// the user's days since the previous review (0 for the first review and
// for a review on the same day as the previous one).
type Step struct {
	Rating uint8
	DeltaT uint32
}

// Item is one training example: a card's reviews up to and including the
// one to be predicted (the last). Card numbers the card among the input,
// so that Fit can score all of one card's items in one pass.
type Item struct {
	Steps []Step
	Card  int
	Time  time.Time // of the last review; items are ordered by it
}

// History is every review but the last; Current is the last.
func (it Item) History() []Step { return it.Steps[:len(it.Steps)-1] }

// Current is the review the item asks the model to predict.
func (it Item) Current() Step { return it.Steps[len(it.Steps)-1] }

// Recalled reports whether the current review was a success (not Again).
func (it Item) Recalled() bool { return it.Current().Rating > 1 }

// longTermCount is the number of reviews on a later day than the one
// before them (fsrs-rs long_term_review_cnt).
func (it Item) longTermCount() int {
	n := 0
	for _, s := range it.Steps {
		if s.DeltaT > 0 {
			n++
		}
	}
	return n
}

// firstLongTerm is the first review on a later day than the one before.
func (it Item) firstLongTerm() Step {
	for _, s := range it.Steps {
		if s.DeltaT > 0 {
			return s
		}
	}
	return Step{}
}

// DayFunc numbers the user's days: two times get the same number when
// they fall on the same day of the user's, and numbers grow by one a day.
type DayFunc func(time.Time) int64

// DayNumber numbers days the way fsrs-rs's converter (and Anki) does for
// a user in loc whose day starts at hour: each time is moved by its own
// zone offset, less the day-start hour, and the calendar date of the
// result is the day. A review at 03:00 therefore belongs to the day
// before, when the day starts at 04:00.
func DayNumber(loc *time.Location, hour int) DayFunc {
	return func(t time.Time) int64 {
		_, off := t.In(loc).Zone()
		sec := t.Unix() + int64(off) - int64(hour)*3600
		d := sec / 86400
		if sec < 0 && sec%86400 != 0 {
			d--
		}
		return d
	}
}

// Items builds the training items from the cards' logs, as fsrs-rs's
// converter does: for each card (reviews oldest first, beginning with the
// card's first learning review) one item per review after the first,
// holding the card's reviews up to it, with each review's gap counted in
// the user's days (day). Reviews on the same day as the one before keep a
// gap of 0 inside histories, where FSRS-6's short-term terms use them, but
// only reviews on a later day are predicted: an item whose last review
// has a gap of 0 is left out. The items are ordered by the time of their
// last review, which the recency weighting of Fit and Evaluate relies on.
//
// A rating outside 1..4 or a review out of time order is an error naming
// the card (its index in cards) and the review.
func Items(cards [][]Review, day DayFunc) ([]Item, error) {
	var items []Item
	for c, revs := range cards {
		if len(revs) < 2 {
			if len(revs) == 1 && (revs[0].Rating < 1 || revs[0].Rating > 4) {
				return nil, fmt.Errorf("card %d review 1: rating %d is not 1..4", c, revs[0].Rating)
			}
			continue
		}
		steps := make([]Step, len(revs))
		prev := int64(0)
		for i, r := range revs {
			if r.Rating < 1 || r.Rating > 4 {
				return nil, fmt.Errorf("card %d review %d: rating %d is not 1..4", c, i+1, r.Rating)
			}
			if i > 0 && r.Time.Before(revs[i-1].Time) {
				return nil, fmt.Errorf("card %d review %d: %s is before the review it follows", c, i+1, r.Time.Format(time.RFC3339))
			}
			d := day(r.Time)
			steps[i].Rating = uint8(r.Rating)
			if i > 0 && d > prev {
				steps[i].DeltaT = uint32(d - prev)
			}
			prev = d
		}
		for i := 1; i < len(steps); i++ {
			if steps[i].DeltaT == 0 {
				continue
			}
			// Items of one card share the card's step slice: an item is a
			// prefix, and nothing writes to it after this.
			items = append(items, Item{Steps: steps[: i+1 : i+1], Card: c, Time: revs[i].Time})
		}
	}
	sort.SliceStable(items, func(i, j int) bool { return items[i].Time.Before(items[j].Time) })
	return items, nil
}
