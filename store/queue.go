package store

import (
	"bytes"
	"cmp"
	"fmt"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/srs-tool/srs/deck"
	"github.com/srs-tool/srs/fsrs"
)

// QueueOptions narrow a session to a deck or tag.
type QueueOptions struct {
	Deck string
	Tag  string
	// LearnAhead lets learning cards due within this long be shown when
	// nothing else is left, as Anki does at the end of a session.
	// Zero means DefaultLearnAhead; negative disables it.
	LearnAhead time.Duration
	// PerDeck asks for each deck's share of the counts (status).
	PerDeck bool
	// CountOnly skips building the items (status needs only counts).
	CountOnly bool
}

// DefaultLearnAhead is Anki's default "learn ahead limit".
const DefaultLearnAhead = 20 * time.Minute

// Item is one card waiting in a session.
type Item struct {
	Card     deck.Card  // without Front, Back and Source until Fill
	Parent   *deck.Card // the question a follow-up belongs to, shown as context (after Fill)
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
	PerDeck   map[string]*Counts
	Scanned   int // due-index entries read: the queue's cost grows with this, not with the collection
}

// today is what the log says about the user's day so far.
type today struct {
	newDone, revDone int
	groups           map[string]bool // sibling groups with a card rated today
}

// group names a card's sibling group: a question and its follow-ups are
// one group, so only one of them is shown per day.
func (m *cardMeta) group() string {
	if m.Parent != "" {
		return deck.Key(m.Deck, m.Parent)
	}
	return m.Key()
}

// scanToday reads the log from the start of the day up to now: a range
// scan bounded by the day's own reviews. Entries after now (the clock was
// later when they were made) are not done yet at now.
func (ub *userBuckets) scanToday(tx *bolt.Tx, day fsrs.Day, now time.Time) (today, error) {
	t := today{groups: map[string]bool{}}
	seen := map[string]bool{}
	c := ub.log.Cursor()
	end := logFrom(now.Add(time.Nanosecond))
	for k, v := c.Seek(logFrom(day.Start)); k != nil && bytes.Compare(k, end) < 0; k, v = c.Next() {
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
		if seen[e.Card] {
			continue // a learning card rated again today: same group
		}
		seen[e.Card] = true
		m, ok, err := getMeta(tx, e.Card)
		if err != nil {
			return t, err
		}
		if ok {
			t.groups[m.group()] = true
		}
	}
	return t, nil
}

func (o QueueOptions) match(m *cardMeta) bool {
	return (o.Deck == "" || m.Deck == o.Deck) && (o.Tag == "" || slices.Contains(m.Tags, o.Tag))
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
	t, err := ub.scanToday(tx, q.Day, now)
	if err != nil {
		return nil, err
	}
	q.DoneNew, q.DoneRev = t.newDone, t.revDone

	tally := func(deckName string, add func(*Counts)) {}
	if opt.PerDeck {
		q.PerDeck = map[string]*Counts{}
		tally = func(deckName string, add func(*Counts)) {
			c := q.PerDeck[deckName]
			if c == nil {
				c = &Counts{}
				q.PerDeck[deckName] = c
			}
			add(c)
		}
	}

	// Walk what is due today. A heavy user has thousands of cards due, so
	// this loop reads only the due index, whose values carry what counting
	// and ordering need (dueEntry); states and cards are read only for
	// the cards a session will show.
	var learnNow, learnLater, reviews []candidate
	c := ub.due.Cursor()
	end := dueUpTo(q.Day.End)
	var deckPrefix []byte
	if opt.Deck != "" {
		deckPrefix = newPrefix(opt.Deck)
	}
	for k, v := c.First(); k != nil && bytes.Compare(k[:8], end) < 0; k, v = c.Next() {
		q.Scanned++
		due, card, ok := parseDueKey(k)
		if !ok {
			return nil, fmt.Errorf("user %q due index: %w", user, ErrBadRecord)
		}
		if deckPrefix != nil && !bytes.HasPrefix(k[8:], deckPrefix) {
			continue
		}
		if opt.Tag != "" {
			m, ok, err := getMeta(tx, card)
			if err != nil {
				return nil, err
			}
			if !ok || !slices.Contains(m.Tags, opt.Tag) {
				continue
			}
		}
		e, err := decodeDue(v)
		if err != nil {
			return nil, fmt.Errorf("user %q due index %s: %w", user, showKey(k[8:]), err)
		}
		deckName, _ := deck.SplitKey(card)
		cd := candidate{card: card, due: due}
		if e.learning {
			tally(deckName, func(c *Counts) { c.Learning++ })
			if !due.After(now) {
				learnNow = append(learnNow, cd)
			} else {
				learnLater = append(learnLater, cd)
			}
			continue
		}
		group := card
		if e.parent != "" {
			group = deck.Key(deckName, e.parent)
		}
		if t.groups[group] || e.buriedUntil.After(now) {
			continue
		}
		tally(deckName, func(c *Counts) { c.Review++ })
		if !opt.CountOnly {
			cd.r = sched.Retrievability(fsrs.Card{State: fsrs.Review, Stability: e.stability, LastReview: e.lastReview}, now)
		}
		reviews = append(reviews, cd)
	}
	if k, _ := c.Seek(dueUpTo(now.Add(time.Second))); k != nil {
		q.NextDue, _, _ = parseDueKey(k)
	}

	byDue := func(a, b candidate) int { return a.due.Compare(b.due) }
	if !opt.CountOnly {
		slices.SortStableFunc(learnNow, byDue)
		// Most overdue relative to stability first: lowest retrievability.
		slices.SortStableFunc(reviews, func(a, b candidate) int { return cmp.Compare(a.r, b.r) })
	}
	revLeft, newLeft := max(settings.ReviewsPerDay-t.revDone, 0), max(settings.NewPerDay-t.newDone, 0)
	if len(reviews) > revLeft {
		reviews = reviews[:revLeft]
	}
	news, err := ub.newCards(tx, opt, newLeft, t, now)
	if err != nil {
		return nil, err
	}
	if opt.PerDeck {
		// Each deck's share, under the same daily limits as the total.
		err := tx.Bucket(bDecks).ForEach(func(k, _ []byte) error {
			do := opt
			do.Deck = string(k)
			n, err := ub.newCards(tx, do, newLeft, t, now)
			tally(string(k), func(c *Counts) { c.New = len(n); c.Review = min(c.Review, revLeft) })
			return err
		})
		if err != nil {
			return nil, err
		}
	}

	q.Counts = Counts{New: len(news), Learning: len(learnNow) + len(learnLater), Review: len(reviews)}
	if opt.CountOnly {
		return q, nil
	}
	show := append(learnNow, reviews...)
	if len(show) == 0 && len(news) == 0 && opt.LearnAhead >= 0 {
		ahead := now.Add(cmp.Or(opt.LearnAhead, DefaultLearnAhead))
		slices.SortStableFunc(learnLater, byDue)
		for _, cd := range learnLater {
			if cd.due.After(ahead) {
				break
			}
			show = append(show, cd)
		}
	}
	for _, cd := range show {
		it, err := ub.itemOf(tx, cd)
		if err != nil {
			return nil, err
		}
		q.Items = append(q.Items, it)
	}
	q.Items = append(q.Items, news...)
	return q, nil
}

// candidate is a due card before the queue decides to show it.
type candidate struct {
	card string
	due  time.Time // to the second, from the index key
	r    float64   // retrievability now, for reviews
}

// itemOf completes a due candidate into an item.
func (ub *userBuckets) itemOf(tx *bolt.Tx, cd candidate) (Item, error) {
	m, ok, err := getMeta(tx, cd.card)
	if err == nil && !ok {
		err = fmt.Errorf("due index lists %s, which does not exist: %w (srs doctor --rebuild repairs it)", showKey([]byte(cd.card)), ErrBadRecord)
	}
	if err != nil {
		return Item{}, fmt.Errorf("user %q: %w", ub.name, err)
	}
	st, had, err := ub.getState(cd.card)
	if err == nil && !had {
		err = fmt.Errorf("due index lists %s, which has no state: %w (srs doctor --rebuild repairs it)", showKey([]byte(cd.card)), ErrBadRecord)
	}
	if err != nil {
		return Item{}, fmt.Errorf("user %q: %w", ub.name, err)
	}
	return Item{Card: m.card(cardText{}).Card, State: st, HadState: true}, nil
}

// item loads what the queue needs of a card and the user's state of it;
// ok is false when the card does not match opt or is retired. The card's
// text is left out (Fill loads it for the cards actually shown).
func (ub *userBuckets) item(tx *bolt.Tx, card string, opt QueueOptions) (Item, bool, error) {
	m, found, err := getMeta(tx, card)
	if err != nil {
		return Item{}, false, err
	}
	if !found || m.Retired || !opt.match(&m) {
		return Item{}, false, nil
	}
	st, had, err := ub.getState(card)
	if err != nil {
		return Item{}, false, err
	}
	if !had {
		st = CardState{Card: fsrs.NewCard(time.Time{})}
	}
	return Item{Card: m.card(cardText{}).Card, State: st, HadState: had}, true, nil
}

func (it *Item) group() string {
	if it.Card.Parent != "" {
		return deck.Key(it.Card.Deck, it.Card.Parent)
	}
	return it.Card.Key()
}

// Fill loads the text of an item's card and its parent: the queue leaves
// it out so that counting thousands of due cards stays cheap.
func (s *Store) Fill(it *Item) error {
	return s.db.View(func(tx *bolt.Tx) error {
		r, ok, err := getCard(tx, it.Card.Key())
		if err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("card %s/%s: %w", it.Card.Deck, it.Card.ID, ErrNoCard)
		}
		it.Card = r.Card
		it.Parent = nil
		if r.Parent != "" {
			p, ok, err := getCard(tx, deck.Key(r.Deck, r.Parent))
			if err != nil {
				return err
			}
			if ok {
				it.Parent = &p.Card
			}
		}
		return nil
	})
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
		if !ok || t.groups[it.group()] || it.State.BuriedUntil.After(now) {
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
// transaction and one pass over what is due.
func (s *Store) Status(user string, now time.Time) (*Status, error) {
	var st *Status
	err := s.db.View(func(tx *bolt.Tx) error {
		q, err := buildQueue(tx, user, now, QueueOptions{LearnAhead: -1, PerDeck: true, CountOnly: true})
		if err != nil {
			return err
		}
		st = &Status{User: user, Now: now, DayEnd: q.Day.End, Total: q.Counts,
			DoneNew: q.DoneNew, DoneRev: q.DoneRev, NextDue: q.NextDue}
		names := make([]string, 0, len(q.PerDeck))
		for name := range q.PerDeck {
			names = append(names, name)
		}
		slices.Sort(names)
		for _, name := range names {
			st.Decks = append(st.Decks, DeckStatus{Deck: name, Counts: *q.PerDeck[name]})
		}
		return nil
	})
	return st, err
}
