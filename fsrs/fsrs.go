// Package fsrs schedules reviews: user settings, the next state of a card
// for each rating, previews for the four buttons, the user's local day, and
// the order in which due cards are shown.
//
// It wraps github.com/open-spaced-repetition/go-fsrs/v4, keeping its
// stabilities, difficulties and intervals in days, and fixes what that
// library leaves to its callers:
//   - go-fsrs silently falls back to default parameters when given invalid
//     ones; Settings.Validate refuses them with the field named instead.
//   - go-fsrs counts elapsed days in UTC calendar days, while a user's day
//     runs from their local day-start hour (4 am by default, as in Anki);
//     Scheduler shifts times into a frame where UTC midnight is the user's
//     day start before calling go-fsrs, and back after.
//   - go-fsrs puts a card due in N days at now + N×24h; srs puts it at the
//     start of the user's day N days after today (DayStart), as Anki's day
//     numbers do, so DST and reviews before the day start cannot move it
//     to another day.
//   - go-fsrs can give Easy on a learning card the same interval as Good;
//     srs makes it at least a day longer, Anki's rule (easyAfterGood).
package fsrs

import (
	"time"

	gofsrs "github.com/open-spaced-repetition/go-fsrs/v4"
)

// Card is one user's scheduling state of one card (go-fsrs's Card).
type Card = gofsrs.Card

// Rating is a grade: Again, Hard, Good or Easy.
type Rating = gofsrs.Rating

// State is where a card is in its life: New, Learning, Review, Relearning.
type State = gofsrs.State

// Ratings and states, re-exported so callers need only this package.
const (
	Again = gofsrs.Again
	Hard  = gofsrs.Hard
	Good  = gofsrs.Good
	Easy  = gofsrs.Easy

	New        = gofsrs.New
	Learning   = gofsrs.Learning
	Review     = gofsrs.Review
	Relearning = gofsrs.Relearning
)

// Ratings lists the four grades in button order.
var Ratings = [4]Rating{Again, Hard, Good, Easy}

// NewCard is the state of a card the user has never seen.
func NewCard(now time.Time) Card { return gofsrs.NewCard(now) }

// ParseRating reads a rating as the line-mode and import code meet it:
// "1".."4" or again/hard/good/easy in any case.
func ParseRating(s string) (Rating, bool) {
	switch s {
	case "1", "again", "Again", "AGAIN":
		return Again, true
	case "2", "hard", "Hard", "HARD":
		return Hard, true
	case "3", "good", "Good", "GOOD":
		return Good, true
	case "4", "easy", "Easy", "EASY":
		return Easy, true
	}
	return 0, false
}

// ReviewEvent is one rating as formats exchange it: an Anki revlog row
// becomes one of these, and replaying a list of them through a Scheduler
// (Replay) yields the states.
type ReviewEvent struct {
	Time     time.Time
	Rating   Rating
	Duration time.Duration
}
