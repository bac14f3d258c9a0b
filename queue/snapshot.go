package queue

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/srs-tool/srs/deck"
	"github.com/srs-tool/srs/fsrs"
	"github.com/srs-tool/srs/store"
)

// snapshot is what today depends on of what the store keeps, read in one
// pass: the settings, the due cards of the day, and what the log says
// was done today. plan turns it into a Today; a session keeps it and
// applies its own ratings to it (Live) rather than reading it again.
type snapshot struct {
	version  uint64
	opt      Options
	settings fsrs.Settings
	deckSet  map[string]store.DeckSettings
	decks    []string // the decks today is about, in name order
	sched    *fsrs.Scheduler
	day      fsrs.Day
	due      []dueCard        // due before the day ends, matching opt, in index order
	after    time.Time        // the first due at or after the day's end; zero if none
	done     map[string]*done // per deck, what was done today
	claimed  claims           // sibling groups rated, buried or suspended today
	future   bool             // the log has entries after now (a clock gone back)
	scanned  int              // due-index entries read
	// plans are the user's plans whose date is ahead, by date (prep.go);
	// owned reports whether a card is one of theirs.
	plans     []*planDay
	owned     func(*deck.Card) bool
	costs     map[uint64]planCosts // each plan's, by id, kept from the snapshot before
	planState *planState
	// rated are the cards rated today, each true when its first rating
	// today introduced it; dayCosts and kinds what minutes_per_day's
	// estimate reads (budget.go), kept from the snapshot before.
	rated    map[string]bool
	dayCosts *dayCosts
	kinds    map[string]deck.Kind
}

// done is what a deck did today, as the limits count it.
type done struct {
	new    int // new cards rated for the first time
	review int // reviews, and carried-over learning cards rated
}

// group names a card's sibling group: a question and its follow-ups are
// one group.
func group(card, parent string) string {
	if parent == "" {
		return card
	}
	d, _ := deck.SplitKey(card)
	return deck.Key(d, parent)
}

// read takes a snapshot for now.
func read(r *store.Reader, now time.Time, opt Options) (*snapshot, error) {
	return readAfter(r, now, opt, nil)
}

// readAfter is read, keeping what of before (a snapshot taken earlier by
// the same session) stays the same all day: the plans' costs.
func readAfter(r *store.Reader, now time.Time, opt Options, before *snapshot) (*snapshot, error) {
	settings, err := r.Settings()
	if err != nil {
		return nil, err
	}
	sched, err := fsrs.NewScheduler(settings)
	if err != nil {
		return nil, err
	}
	deckSet, err := r.DeckSettings()
	if err != nil {
		return nil, err
	}
	sn := &snapshot{version: r.Version(), opt: opt, settings: settings, deckSet: deckSet, sched: sched,
		day: sched.DayOf(now), done: map[string]*done{}, claimed: claims{}, rated: map[string]bool{}}
	if before != nil && slices.Equal(before.settings.LearningSteps, settings.LearningSteps) &&
		before.settings.DesiredRetention == settings.DesiredRetention && len(before.settings.RelearningSteps) == len(settings.RelearningSteps) {
		sn.costs = before.costs
		sn.dayCosts, sn.kinds = before.dayCosts, before.kinds
	}
	if opt.Deck != "" {
		sn.decks = []string{opt.Deck}
	} else if sn.decks, err = r.Decks(); err != nil {
		return nil, err
	}
	if err := sn.readLog(r, now); err != nil {
		return nil, err
	}
	deckPrefix := opt.Deck + "\x00"
	err = r.EachDue(time.Time{}, sn.day.End, func(d store.Due) error {
		sn.scanned++
		if opt.Deck != "" && !strings.HasPrefix(d.Card, deckPrefix) {
			return nil
		}
		if opt.Tag != "" {
			m, ok, err := r.Meta(d.Card)
			if err != nil || !ok || !slices.Contains(m.Tags, opt.Tag) {
				return err
			}
		}
		sn.due = append(sn.due, newDueCard(d))
		return nil
	})
	if err != nil {
		return nil, err
	}
	if at, ok, err := r.FirstDue(sn.day.End); err != nil {
		return nil, err
	} else if ok {
		sn.after = at
	}
	if err := sn.readPlans(r, now); err != nil {
		return nil, err
	}
	return sn, nil
}

// readLog notes what the log says was done from the start of the day up
// to now. Entries after now (made when the clock was later) are not done
// yet at now.
func (sn *snapshot) readLog(r *store.Reader, now time.Time) error {
	parents := map[string]string{}
	end := now.Add(time.Nanosecond)
	err := r.EachLog(sn.day.Start, end, func(e store.Entry) error {
		parent, ok := parents[e.Card]
		if !ok {
			var err error
			if parent, _, err = r.Parent(e.Card); err != nil {
				return err
			}
			parents[e.Card] = parent
		}
		sn.note(e, parent)
		return nil
	})
	if err != nil {
		return err
	}
	last, ok, err := r.LastLog()
	sn.future = ok && last.After(now)
	return err
}

// note counts one of today's log entries.
func (sn *snapshot) note(e store.Entry, parent string) {
	switch e.Action {
	case store.ActRate:
		d := sn.doneIn(deckOf(e.Card))
		if _, ok := sn.rated[e.Card]; !ok {
			sn.rated[e.Card] = !e.HadState || e.Before.State == fsrs.New
		}
		switch {
		case !e.HadState || e.Before.State == fsrs.New:
			d.new++
		case e.Before.State == fsrs.Review || carriedOver(e.Before.LastReview, sn.day):
			d.review++
		}
	case store.ActBury, store.ActSuspend:
	default:
		return
	}
	sn.claimed.claim(group(e.Card, parent), e.Card)
}

// claims are the sibling groups that have their card today: each group
// and the card that claimed it ("" when more than one did). A group
// holds back every card but its own.
type claims map[string]string

func (c claims) claim(group, card string) {
	if by, ok := c[group]; ok && by != card {
		card = ""
	}
	c[group] = card
}

// holds reports whether card's group is claimed by another card.
func (c claims) holds(group, card string) bool {
	by, ok := c[group]
	return ok && by != card
}

// carriedOver reports whether a learning card last reviewed at last is
// left from an earlier day.
func carriedOver(last time.Time, day fsrs.Day) bool { return last.Before(day.Start) }

func (sn *snapshot) doneIn(deckName string) *done {
	d := sn.done[deckName]
	if d == nil {
		d = &done{}
		sn.done[deckName] = d
	}
	return d
}

func deckOf(card string) string {
	d, _ := deck.SplitKey(card)
	return d
}

// applied brings the snapshot up to date with one change the caller
// recorded itself (and nothing else happened since the snapshot):
// the log entry it made, and the card's due entry as it now stands.
func (sn *snapshot) applied(r *store.Reader, e store.Entry, parent string) error {
	sn.version = r.Version()
	sn.note(e, parent)
	if err := sn.appliedPlans(r, e); err != nil {
		return err
	}
	sn.due = slices.DeleteFunc(sn.due, func(d dueCard) bool { return d.card == e.Card })
	d, ok, err := r.DueEntry(e.Card)
	if err != nil || !ok {
		return err
	}
	if d.Due.Before(sn.day.End) {
		dc := newDueCard(d)
		i, _ := slices.BinarySearchFunc(sn.due, dc, indexOrder)
		sn.due = slices.Insert(sn.due, i, dc)
	} else if sn.after.IsZero() || d.Due.Before(sn.after) {
		sn.after = d.Due
	}
	return nil
}

// dueCard is a due-index entry as a snapshot keeps it: compact (times
// in the index's whole seconds), because a heavy user has thousands of
// cards due and every Build keeps them all.
type dueCard struct {
	card, parent string
	due          int64 // Unix seconds
	last, buried int64 // Unix seconds; 0 for none
	stability    float64
	learning     bool
}

func newDueCard(d store.Due) dueCard {
	return dueCard{card: d.Card, parent: d.Parent, due: d.Due.Unix(), last: unixOrZero(d.LastReview),
		buried: unixOrZero(d.BuriedUntil), stability: d.Stability, learning: d.Learning}
}

func unixOrZero(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}

func timeOrZero(sec int64) time.Time {
	if sec == 0 {
		return time.Time{}
	}
	return time.Unix(sec, 0).UTC()
}

func (d *dueCard) deck() string { return deckOf(d.card) }

// indexOrder is the due index's own order: due time, then card key.
func indexOrder(a, b dueCard) int {
	if a.due != b.due {
		return cmp.Compare(a.due, b.due)
	}
	return strings.Compare(a.card, b.card)
}
