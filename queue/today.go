package queue

import (
	"time"

	"github.com/srs-tool/srs/fsrs"
	"github.com/srs-tool/srs/store"
)

// LearnAhead is how soon a learning card must be due to be shown when
// nothing else is left (Anki's default learn-ahead limit), rather than
// making the user wait for it.
const LearnAhead = 20 * time.Minute

// Options narrow a day to a deck or a tag (srs review --deck, --tag).
// The limits stay the user's: a deck's session gets at most what the
// deck's own limits and the user's left of today allow.
type Options struct {
	Deck string
	Tag  string
}

// Kind is what a card is in today's queue.
type Kind uint8

// The kinds, in the order a session shows them.
const (
	Learning Kind = iota + 1 // in (re)learning steps
	Review                   // due for review
	New                      // to be introduced
)

func (k Kind) String() string {
	switch k {
	case Learning:
		return "learning"
	case Review:
		return "review"
	case New:
		return "new"
	}
	return "?"
}

// Slot is one card today holds.
type Slot struct {
	Card string // deck.Key(deck, id)
	Kind Kind
	Due  time.Time // to the second; zero for a new card
}

// Counts are cards left today.
type Counts struct {
	New      int `json:"new"`
	Learning int `json:"learning"`
	Review   int `json:"review"`
}

// Total is every card counted.
func (c Counts) Total() int { return c.New + c.Learning + c.Review }

// DeckCounts is one deck's share of today.
type DeckCounts struct {
	Deck string `json:"deck"`
	Counts
}

// Today is what a user's day holds at one instant.
type Today struct {
	Now       time.Time
	Day       fsrs.Day
	Scheduler *fsrs.Scheduler // built from the user's settings
	Counts    Counts
	// Decks are each deck's share of Counts, every deck in name order
	// (only the deck asked for with Options.Deck): what the session
	// over all decks will show of it.
	Decks []DeckCounts
	// Cards are the cards counted, in the order a session shows them:
	// learning cards due now, reviews, new cards, then learning cards
	// due later today.
	Cards []Slot
	show  int // how many of Cards can be shown now (see Show)
	// NextDue is the earliest time after now at which a card not shown
	// now becomes due; zero if none is due ever.
	NextDue    time.Time
	DoneNew    int // new cards introduced today
	DoneReview int // reviews (and carried-over learning cards) rated today
	// Budget is what the user's minutes_per_day makes of today; nil
	// without one.
	Budget  *Budget
	Scanned int // due-index entries read: the cost grows with this, not with the collection
}

// Show is what a session can show now, in order: Cards up to the
// learning cards due later, or, when nothing else is left, the learning
// cards due within LearnAhead.
func (t *Today) Show() []Slot { return t.Cards[:t.show] }

// Build computes what today holds for the reader's user at now. It is
// the one computation of it: every command's counts come from here.
func Build(r *store.Reader, now time.Time, opt Options) (*Today, error) {
	sn, err := read(r, now, opt)
	if err != nil {
		return nil, err
	}
	return plan(r, sn, now)
}

// Load is Build in a read transaction of its own.
func Load(s *store.Store, user string, now time.Time, opt Options) (*Today, error) {
	var t *Today
	err := s.Read(user, func(r *store.Reader) (err error) {
		t, err = Build(r, now, opt)
		return err
	})
	return t, err
}
