package queue

import (
	"maps"
	"slices"
	"time"

	"github.com/srs-tool/srs/deck"
	"github.com/srs-tool/srs/fsrs"
	"github.com/srs-tool/srs/store"
)

// budget is what a limit leaves of today.
type budget struct{ review, new int }

// limits are the user's budget over all decks and each deck's own.
type limits struct {
	capNew bool // new cards are capped by the review budget
	all    budget
	decks  map[string]*budget
}

func newLimits(sn *snapshot) *limits {
	l := &limits{capNew: !sn.settings.NewIgnoresReviewLimit, decks: map[string]*budget{}}
	var total done
	for _, d := range sn.done {
		total.new += d.new
		total.review += d.review
	}
	l.all = l.left(sn.settings.ReviewsPerDay, sn.settings.NewPerDay, total)
	for _, name := range sn.decks {
		rev, nw := sn.settings.ReviewsPerDay, sn.settings.NewPerDay
		if ds, ok := sn.deckSet[name]; ok {
			if ds.ReviewsPerDay != nil {
				rev = *ds.ReviewsPerDay
			}
			if ds.NewPerDay != nil {
				nw = *ds.NewPerDay
			}
		}
		var d done
		if p := sn.done[name]; p != nil {
			d = *p
		}
		b := l.left(rev, nw, d)
		l.decks[name] = &b
	}
	return l
}

// left is what limits of rev reviews and nw new cards leave after d: new
// cards introduced count against the review limit too, unless they
// ignore it.
func (l *limits) left(rev, nw int, d done) budget {
	b := budget{review: rev - d.review, new: nw - d.new}
	if l.capNew {
		b.review -= d.new
	}
	return b
}

func (l *limits) deck(name string) *budget {
	b := l.decks[name]
	if b == nil { // a card of a deck the snapshot does not list: the user's limits alone
		b = &budget{review: l.all.review, new: l.all.new}
		l.decks[name] = b
	}
	return b
}

// takeReview spends one of the review budget of the card's deck and of
// all decks, if both have one left.
func (l *limits) takeReview(deckName string) bool {
	b := l.deck(deckName)
	if l.all.review <= 0 || b.review <= 0 {
		return false
	}
	l.all.review--
	b.review--
	return true
}

// newLeft is how many new cards a budget allows once the reviews are
// taken: no more than the review budget leaves, unless new cards ignore
// it.
func (l *limits) newLeft(b *budget) int {
	n := b.new
	if l.capNew {
		n = min(n, b.review)
	}
	return max(n, 0)
}

// plan applies the rules (see the package comment) to a snapshot.
func plan(r *store.Reader, sn *snapshot, now time.Time) (*Today, error) {
	t := &Today{Now: now, Day: sn.day, Scheduler: sn.sched, Scanned: sn.scanned}
	for _, d := range sn.done {
		t.DoneNew += d.new
		t.DoneReview += d.review
	}
	lim := newLimits(sn)
	claimed := maps.Clone(sn.claimed)
	held := false // a due card is held back today

	// Learning cards first: they claim their groups before reviews, and
	// carried-over ones take the review budget before reviews do.
	var learnNow, learnLater []Slot
	reviews := make([]review, 0, len(sn.due))
	nowSec := now.Unix() // a time in whole seconds is after now iff its second is after now's
	for i := range sn.due {
		d := &sn.due[i]
		switch {
		case d.buried > nowSec:
			held = true
		case !d.learning:
			reviews = append(reviews, review{d: d})
		case carriedOver(timeOrZero(d.last), sn.day) && !lim.takeReview(d.deck()):
			held = true
		default:
			claimed.claim(group(d.card, d.parent), d.card)
			s := Slot{Card: d.card, Kind: Learning, Due: time.Unix(d.due, 0).UTC()}
			if d.due > nowSec {
				learnLater = append(learnLater, s)
			} else {
				learnNow = append(learnNow, s)
			}
		}
	}

	// A plan's late follow-up chains take their groups before reviews.
	if err := claimLate(r, sn, claimed, now); err != nil {
		return nil, err
	}

	// Reviews, the most forgotten first (lowest retrievability, which
	// fsrs.Overdue orders by without computing it), while the budget
	// lasts; a review whose group is taken waits for tomorrow. Equal
	// ones keep the index's order. A heap yields them in that order:
	// a day takes a couple of hundred of the thousands a heavy user may
	// have due, and sorting them all is most of what a key press would
	// wait for.
	var revs []Slot
	if len(reviews) > 0 && lim.all.review > 0 {
		for i := range reviews {
			d := reviews[i].d
			reviews[i].r = fsrs.Overdue(fsrs.Card{State: fsrs.Review, Stability: d.stability, LastReview: timeOrZero(d.last)}, now)
			reviews[i].i = i
		}
		h := reviewHeap(reviews)
		h.init()
		for len(h) > 0 && lim.all.review > 0 {
			d := h.pop().d
			g := group(d.card, d.parent)
			if claimed.holds(g, d.card) || !lim.takeReview(d.deck()) {
				held = true
				continue
			}
			claimed.claim(g, d.card)
			revs = append(revs, Slot{Card: d.card, Kind: Review, Due: time.Unix(d.due, 0).UTC()})
		}
		held = held || len(h) > 0 // left for tomorrow
	} else if len(reviews) > 0 {
		held = true // no budget left today
	}
	// A plan's new cards, and on its final days the cards it reviews
	// ahead of their due (prep.go); then the user's own new cards.
	ahead, news, err := takePlan(r, sn, lim, claimed, now)
	if err != nil {
		return nil, err
	}
	revs = append(revs, ahead...)
	own, err := gatherNew(r, sn, lim, claimed, now)
	if err != nil {
		return nil, err
	}
	if own, t.Budget, err = sn.withinBudget(r, now, own, slices.Concat(learnNow, revs, learnLater), news); err != nil {
		return nil, err
	}
	news = append(news, own...)

	t.Counts = Counts{New: len(news), Learning: len(learnNow) + len(learnLater), Review: len(revs)}
	t.Cards = slices.Concat(learnNow, revs, news, learnLater)
	t.show = len(t.Cards) - len(learnLater)
	if t.show == 0 {
		ahead := now.Add(LearnAhead)
		for _, s := range learnLater {
			if s.Due.After(ahead) {
				break
			}
			t.show++
		}
	}

	t.NextDue = sn.after
	if held && (t.NextDue.IsZero() || sn.day.End.Before(t.NextDue)) {
		t.NextDue = sn.day.End
	}
	if len(learnLater) > 0 && (t.NextDue.IsZero() || learnLater[0].Due.Before(t.NextDue)) {
		t.NextDue = learnLater[0].Due
	}

	per := map[string]*Counts{}
	for _, name := range sn.decks {
		per[name] = &Counts{}
	}
	for _, s := range t.Cards {
		name, _ := deck.SplitKey(s.Card)
		c := per[name]
		if c == nil {
			c = &Counts{}
			per[name] = c
		}
		switch s.Kind {
		case Learning:
			c.Learning++
		case Review:
			c.Review++
		case New:
			c.New++
		}
	}
	for _, name := range slices.Sorted(maps.Keys(per)) {
		t.Decks = append(t.Decks, DeckCounts{Deck: name, Counts: *per[name]})
	}
	return t, nil
}

// review is a review card due today, and how it is ordered.
type review struct {
	d *dueCard
	r float64 // fsrs.Overdue: the larger, the more forgotten
	i int     // its place in the index, among equals
}

// reviewHeap is a binary heap of reviews, the most forgotten on top.
type reviewHeap []review

func (h reviewHeap) before(a, b int) bool {
	return h[a].r > h[b].r || h[a].r == h[b].r && h[a].i < h[b].i
}

func (h reviewHeap) init() {
	for i := len(h)/2 - 1; i >= 0; i-- {
		h.down(i)
	}
}

func (h reviewHeap) down(i int) {
	for {
		l := 2*i + 1
		if l >= len(h) {
			return
		}
		m := l
		if r := l + 1; r < len(h) && h.before(r, l) {
			m = r
		}
		if !h.before(m, i) {
			return
		}
		h[i], h[m] = h[m], h[i]
		i = m
	}
}

func (h *reviewHeap) pop() review {
	old := *h
	top := old[0]
	n := len(old) - 1
	old[0] = old[n]
	*h = old[:n]
	h.down(0)
	return top
}

// gatherNew takes today's new cards: each deck's first eligible ones in
// the order they were added, as many as its budget and the user's
// allow, then shared out across decks in the user's new_order.
func gatherNew(r *store.Reader, sn *snapshot, lim *limits, claimed claims, now time.Time) ([]Slot, error) {
	left := lim.newLeft(&lim.all)
	if left == 0 {
		return nil, nil
	}
	cands := make([][]Slot, len(sn.decks))
	for i, name := range sn.decks {
		n := min(lim.newLeft(lim.deck(name)), left)
		if n == 0 {
			continue
		}
		err := r.EachNew(name, func(card string) error {
			ok, err := eligible(r, sn, card, claimed, now, true)
			if err != nil || !ok {
				return err
			}
			cands[i] = append(cands[i], Slot{Card: card, Kind: New})
			if len(cands[i]) == n {
				return store.ErrStop
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	var out []Slot
	if sn.settings.NewOrder == fsrs.NewOrderDeck {
		for _, c := range cands {
			take := min(len(c), left-len(out))
			out = append(out, c[:take]...)
		}
		return out, nil
	}
	// Round-robin: one at a time to the deck that has introduced the
	// fewest today (counting those already shared out), ties in deck
	// name order. On a fresh day that is plain round-robin; as the day
	// goes on, the cards still to come are the ones the first sharing
	// put after those introduced, so counts and order hold steady.
	level := make([]int, len(sn.decks))
	next := make([]int, len(sn.decks))
	for i, name := range sn.decks {
		if d := sn.done[name]; d != nil {
			level[i] = d.new
		}
	}
	for len(out) < left {
		best := -1
		for i := range cands {
			if next[i] < len(cands[i]) && (best < 0 || level[i] < level[best]) {
				best = i
			}
		}
		if best < 0 {
			break
		}
		out = append(out, cands[best][next[best]])
		next[best]++
		level[best]++
	}
	return out, nil
}

// eligible reports whether a card of the new index can be introduced
// today, and claims its group if so: it is not buried, no sibling was
// taken or acted on today, and a follow-up's question has reached the
// Review state. Among the user's own new cards (own), it also matches
// the tag asked for and is no active plan's (a plan introduces its
// cards itself, takePlanNew).
func eligible(r *store.Reader, sn *snapshot, card string, claimed claims, now time.Time, own bool) (bool, error) {
	m, ok, err := r.Meta(card)
	if err != nil || !ok || m.Retired {
		return false, err
	}
	if own && (sn.opt.Tag != "" && !slices.Contains(m.Tags, sn.opt.Tag) || sn.owned != nil && sn.owned(&m.Card)) {
		return false, nil
	}
	g := group(card, m.Parent)
	if claimed.holds(g, card) {
		return false, nil
	}
	st, had, err := r.State(card)
	if err != nil || had && st.BuriedUntil.After(now) {
		return false, err
	}
	if m.Parent != "" {
		ps, had, err := r.State(deck.Key(m.Deck, m.Parent))
		if err != nil || !had || ps.State != fsrs.Review && ps.State != fsrs.Relearning {
			return false, err
		}
	}
	claimed.claim(g, card)
	return true, nil
}
