package history

import (
	"time"

	"github.com/srs-tool/srs/deck"
	"github.com/srs-tool/srs/fsrs"
	"github.com/srs-tool/srs/fsrs/optimize"
	"github.com/srs-tool/srs/store"
)

// Card is one card's ratings as analysis counts them.
type Card struct {
	Key string // deck.Key of the card
	// Reviews are the card's ratings, oldest first, from its first rating
	// up to any state set from outside (an import without history, or
	// the start a truncated Anki history was given): after that the
	// memory state is not the one its own ratings would give, so later
	// ratings do not count.
	Reviews []optimize.Review
	// FirstNew says the first rating was of a new card: only such cards
	// show the whole of a memory's life, which training needs.
	FirstNew bool

	cut   bool
	times [3][4][]time.Duration // answer times by state (learning, review, relearning) and rating
}

// Log is a user's ratings grouped by card.
type Log struct {
	// Cards are in the order of each card's first entry in the log, so
	// that everything computed from them is the same on every run (the
	// optimizer's batches follow the order of its input).
	Cards   []*Card
	Reviews int // ratings counted, over all cards
}

// Read groups the user's ratings by card, for the cards of deckName
// ("" for every deck).
func Read(s *store.Store, user, deckName string) (*Log, error) {
	l := &Log{}
	byKey := map[string]*Card{}
	err := s.EachEntry(user, false, func(e store.Entry) error {
		if deckName != "" {
			if d, _ := deck.SplitKey(e.Card); d != deckName {
				return nil
			}
		}
		c := byKey[e.Card]
		if c == nil {
			c = &Card{Key: e.Card}
			byKey[e.Card] = c
			l.Cards = append(l.Cards, c)
		}
		switch {
		case e.Action == store.ActSet:
			c.cut = true
		case e.Action == store.ActRate && !c.cut:
			if len(c.Reviews) == 0 {
				c.FirstNew = !e.HadState || e.Before.State == fsrs.New
			}
			c.Reviews = append(c.Reviews, optimize.Review{Time: e.Time(), Rating: int(e.Rating), Duration: e.Duration})
			l.Reviews++
			st := 0
			switch e.Before.State {
			case fsrs.Review:
				st = 1
			case fsrs.Relearning:
				st = 2
			}
			// An answer time of 20 minutes or more is a break, not an answer.
			if r := int(e.Rating) - 1; r >= 0 && r < 4 && e.Duration > 0 && e.Duration < 20*time.Minute {
				c.times[st][r] = append(c.times[st][r], e.Duration)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return l, nil
}

// Training is the cards the optimizer learns from, in log order: those
// whose ratings start with a new card and go on past the first (fsrs-rs
// likewise trains only on cards whose history starts with learning).
func (l *Log) Training() [][]optimize.Review {
	var out [][]optimize.Review
	for _, c := range l.Cards {
		if c.FirstNew && len(c.Reviews) > 1 {
			out = append(out, c.Reviews)
		}
	}
	return out
}
