package store

import (
	"bytes"
	"cmp"
	"fmt"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"

	"srs/deck"
	"srs/fsrs"
)

// QueueOptions narrow a session to a deck or tag.
type QueueOptions struct {
	Deck string
	Tag  string
	// LearnAhead lets learning cards due within this long be shown when
	// nothing else is left, as Anki does at the end of a session.
	// Zero means DefaultLearnAhead; negative disables it.
	LearnAhead time.Duration
}

// DefaultLearnAhead is Anki's default "learn ahead limit".
const DefaultLearnAhead = 20 * time.Minute

// Item is one card waiting in a session.
type Item struct {
	Card     deck.Card
	Parent   *deck.Card // the question a follow-up belongs to, shown as context
	State    CardState
	HadState bool
}

// Counts are cards left for today, after daily limits.
type Counts struct {
	New      int `json:"new"`
	Learning int `json:"learning"`
	Review   int `json:"review"`
}

// Queue is today's session for a user at one instant.
type Queue struct {
	Now       time.Time
	Day       fsrs.Day
	Scheduler *fsrs.Scheduler // built from the user's settings
	Counts    Counts
	Items     []Item    // in the order to show them: learning due now, reviews, new
	NextDue   time.Time // the first card due after now, zero if none
	DoneNew   int       // new cards introduced today
	DoneRev   int       // reviews done today
}

// today is what the log says about the user's day so far.
type today struct {
	newDone, revDone int
	groups           map[string]bool // sibling groups with a card rated today
}

// groupOf names a card's sibling group: a question and its follow-ups are
// one group, so only one of them is shown per day.
func groupOf(c *deck.Card) string {
	if c.Parent != "" {
		return deck.Key(c.Deck, c.Parent)
	}
	return c.Key()
}

// scanToday reads the log from the start of the day: a range scan bounded
// by the day's own reviews.
func (ub *userBuckets) scanToday(tx *bolt.Tx, day fsrs.Day) (today, error) {
	t := today{groups: map[string]bool{}}
	c := ub.log.Cursor()
	for k, v := c.Seek(logFrom(day.Start)); k != nil; k, v = c.Next() {
		e, err := decodeEntry(k, v)
		if err != nil {
			return t, fmt.Errorf("user %q log: %w", ub.name, err)
		}
		if e.Action != ActRate {
			continue
		}
		switch e.Before.State {
		case fsrs.New:
			t.newDone++
		case fsrs.Review:
			t.revDone++
		}
		rec, ok, err := getCard(tx, e.Card)
		if err != nil {
			return t, err
		}
		if ok {
			t.groups[groupOf(&rec.Card)] = true
		}
	}
	return t, nil
}

func (o QueueOptions) match(c *deck.Card) bool {
	return (o.Deck == "" || c.Deck == o.Deck) && (o.Tag == "" || slices.Contains(c.Tags, o.Tag))
}

// Queue builds today's session for user at now.
func (s *Store) Queue(user string, now time.Time, opt QueueOptions) (*Queue, error) {
	var q *Queue
	err := s.db.View(func(tx *bolt.Tx) error {
		var err error
		q, err = buildQueue(tx, user, now, opt)
		return err
	})
	return q, err
}

func buildQueue(tx *bolt.Tx, user string, now time.Time, opt QueueOptions) (*Queue, error) {
	ub, err := openUser(tx, user)
	if err != nil {
		return nil, err
	}
	settings, err := ub.currentSettings()
	if err != nil {
		return nil, err
	}
	sched, err := fsrs.NewScheduler(settings)
	if err != nil {
		return nil, err
	}
	q := &Queue{Now: now, Day: sched.DayOf(now), Scheduler: sched}
	t, err := ub.scanToday(tx, q.Day)
	if err != nil {
		return nil, err
	}
	q.DoneNew, q.DoneRev = t.newDone, t.revDone

	var learnNow, learnLater, reviews []Item
	c := ub.due.Cursor()
	end := dueUpTo(q.Day.End)
	for k, _ := c.First(); k != nil && bytes.Compare(k[:8], end) < 0; k, _ = c.Next() {
		due, card, ok := parseDueKey(k)
		if !ok {
			return nil, fmt.Errorf("user %q due index: %w", user, ErrBadRecord)
		}
		it, ok, err := ub.item(tx, card, opt)
		if err != nil || !ok {
			if err != nil {
				return nil, err
			}
			continue
		}
		switch it.State.State {
		case fsrs.Learning, fsrs.Relearning:
			if !due.After(now) {
				learnNow = append(learnNow, it)
			} else {
				learnLater = append(learnLater, it)
			}
		case fsrs.Review:
			if t.groups[groupOf(&it.Card)] || it.State.BuriedUntil.After(now) {
				continue
			}
			reviews = append(reviews, it)
		}
	}
	if k, _ := c.Seek(dueUpTo(now.Add(time.Second))); k != nil {
		q.NextDue, _, _ = parseDueKey(k)
	}

	slices.SortStableFunc(learnNow, func(a, b Item) int { return a.State.Due.Compare(b.State.Due) })
	// Most overdue relative to stability first: lowest retrievability.
	slices.SortStableFunc(reviews, func(a, b Item) int {
		return cmp.Compare(sched.Retrievability(a.State.Card, now), sched.Retrievability(b.State.Card, now))
	})
	if left := max(settings.ReviewsPerDay-t.revDone, 0); len(reviews) > left {
		reviews = reviews[:left]
	}
	news, err := ub.newCards(tx, opt, max(settings.NewPerDay-t.newDone, 0), t, now)
	if err != nil {
		return nil, err
	}

	q.Counts = Counts{New: len(news), Learning: len(learnNow) + len(learnLater), Review: len(reviews)}
	q.Items = append(append(learnNow, reviews...), news...)
	if len(q.Items) == 0 && opt.LearnAhead >= 0 && len(learnLater) > 0 {
		ahead := cmp.Or(opt.LearnAhead, DefaultLearnAhead)
		slices.SortStableFunc(learnLater, func(a, b Item) int { return a.State.Due.Compare(b.State.Due) })
		for _, it := range learnLater {
			if it.State.Due.After(now.Add(ahead)) {
				break
			}
			q.Items = append(q.Items, it)
		}
	}
	return q, nil
}

// item loads a card and the user's state of it; ok is false when the card
// does not match opt or is retired.
func (ub *userBuckets) item(tx *bolt.Tx, card string, opt QueueOptions) (Item, bool, error) {
	rec, found, err := getCard(tx, card)
	if err != nil {
		return Item{}, false, err
	}
	if !found || rec.Retired || !opt.match(&rec.Card) {
		return Item{}, false, nil
	}
	st, had, err := ub.getState(card)
	if err != nil {
		return Item{}, false, err
	}
	if !had {
		st = CardState{Card: fsrs.NewCard(time.Time{})}
	}
	it := Item{Card: rec.Card, State: st, HadState: had}
	if rec.Parent != "" {
		p, ok, err := getCard(tx, deck.Key(rec.Deck, rec.Parent))
		if err != nil {
			return Item{}, false, err
		}
		if ok {
			it.Parent = &p.Card
		}
	}
	return it, true, nil
}

// newCards takes up to limit new cards from the front of the new index,
// skipping follow-ups whose question has not reached Review and cards
// whose sibling group was rated today. The skips are bounded by the
// follow-ups waiting on questions still being learned, not by the deck.
func (ub *userBuckets) newCards(tx *bolt.Tx, opt QueueOptions, limit int, t today, now time.Time) ([]Item, error) {
	var out []Item
	if limit <= 0 {
		return nil, nil
	}
	c := ub.new.Cursor()
	var k, v []byte
	var prefix []byte
	if opt.Deck != "" {
		prefix = newPrefix(opt.Deck)
		k, v = c.Seek(prefix)
	} else {
		k, v = c.First()
	}
	for ; k != nil && len(out) < limit; k, v = c.Next() {
		if prefix != nil && !bytes.HasPrefix(k, prefix) {
			break
		}
		card, _, ok := parseNewKey(k, v)
		if !ok {
			return nil, fmt.Errorf("user %q new index: %w", ub.name, ErrBadRecord)
		}
		it, ok, err := ub.item(tx, card, opt)
		if err != nil {
			return nil, err
		}
		if !ok || t.groups[groupOf(&it.Card)] || it.State.BuriedUntil.After(now) {
			continue
		}
		if it.Card.Parent != "" {
			ps, had, err := ub.getState(deck.Key(it.Card.Deck, it.Card.Parent))
			if err != nil {
				return nil, err
			}
			if !had || ps.State != fsrs.Review && ps.State != fsrs.Relearning {
				continue
			}
		}
		out = append(out, it)
	}
	return out, nil
}

// DeckStatus is one deck's line in `srs status`.
type DeckStatus struct {
	Deck   string `json:"deck"`
	Counts        // cards left today in this deck
}

// Status is `srs status` for a user: totals after the daily limits, and
// each deck's share.
type Status struct {
	User    string       `json:"user"`
	Now     time.Time    `json:"now"`
	DayEnd  time.Time    `json:"day_end"`
	Total   Counts       `json:"total"`
	DoneNew int          `json:"done_new"`
	DoneRev int          `json:"done_review"`
	NextDue time.Time    `json:"next_due,omitzero"`
	Decks   []DeckStatus `json:"decks"`
}

// Status summarises what is left today, overall and per deck, in one read
// transaction.
func (s *Store) Status(user string, now time.Time) (*Status, error) {
	var st *Status
	err := s.db.View(func(tx *bolt.Tx) error {
		q, err := buildQueue(tx, user, now, QueueOptions{LearnAhead: -1})
		if err != nil {
			return err
		}
		st = &Status{User: user, Now: now, DayEnd: q.Day.End, Total: q.Counts,
			DoneNew: q.DoneNew, DoneRev: q.DoneRev, NextDue: q.NextDue}
		return tx.Bucket(bDecks).ForEach(func(k, _ []byte) error {
			dq, err := buildQueue(tx, user, now, QueueOptions{Deck: string(k), LearnAhead: -1})
			if err != nil {
				return err
			}
			st.Decks = append(st.Decks, DeckStatus{Deck: string(k), Counts: dq.Counts})
			return nil
		})
	})
	return st, err
}
