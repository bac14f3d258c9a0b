package queue

import (
	"cmp"
	"maps"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/srs-tool/srs/deck"
	"github.com/srs-tool/srs/fsrs"
	"github.com/srs-tool/srs/prep"
	"github.com/srs-tool/srs/store"
)

// planDay is one of the user's plans as today's snapshot holds it: what
// package prep decided the plan adds to the day (its quota), and the
// cards it adds them from.
type planDay struct {
	*prep.Day
	load  prep.Load
	quota prep.Quota
	// unseen are the scope's cards in the new index, in the plan's
	// order (prep.Chain, prep.Class, then deck name and position).
	unseen []planCard
	// pulls are, on a final day, the scope's cards to review ahead of
	// their due (prep.Day.Pulls), the lowest recall on the day first.
	pulls []planPull
}

type planCard struct {
	card  string
	group string // its sibling group
	kind  deck.Kind
	class int
	chain int  // prep.Chain, as the day began
	shown bool // matches the snapshot's Options: a narrowed session shows it
}

type planPull struct {
	d      dueCard
	kind   deck.Kind
	recall float64
	shown  bool
}

// planOwner finds the plan a card belongs to: the earliest active plan
// whose scope has it. It reads each card's metadata once.
type planOwner struct {
	r     *store.Reader
	plans []*planDay
	opt   Options
	cards map[string]ownerOf
}

type ownerOf struct {
	p     *planDay // nil: no plan's
	kind  deck.Kind
	group string
	shown bool
}

func (o *planOwner) of(card string) (ownerOf, error) {
	if w, ok := o.cards[card]; ok {
		return w, nil
	}
	if !slices.ContainsFunc(o.plans, func(p *planDay) bool { return p.Plan.Deck == "" || p.Plan.Deck == deckOf(card) }) {
		return ownerOf{}, nil // no metadata to read for a card of no plan's deck
	}
	m, ok, err := o.r.Meta(card)
	if err != nil {
		return ownerOf{}, err
	}
	var w ownerOf
	if ok && !m.Retired {
		w = o.match(&m.Card)
	}
	o.cards[card] = w
	return w, nil
}

func (o *planOwner) match(c *deck.Card) ownerOf {
	for _, p := range o.plans {
		if p.Scope.Has(c) {
			return ownerOf{p: p, kind: c.Kind, group: group(deck.Key(c.Deck, c.ID), c.Parent), shown: (o.opt.Deck == "" || c.Deck == o.opt.Deck) && (o.opt.Tag == "" || slices.Contains(c.Tags, o.opt.Tag))}
		}
	}
	return ownerOf{}
}

// readPlans adds the user's active plans to the snapshot: for each, the
// load of its scope today, its quota, its unseen cards and, on a final
// day, the cards it pulls ahead. A plan counts over its whole scope
// whatever the Options, so a session narrowed to a deck shows its part
// of the same day.
func (sn *snapshot) readPlans(r *store.Reader, now time.Time) error {
	ps, err := r.Plans()
	if err != nil || len(ps) == 0 {
		return err
	}
	var plans []*planDay
	for _, p := range ps { // by date: the earliest plan owns a card in several scopes
		var costs *prep.Costs
		if c, ok := sn.costs[p.ID]; ok && c.day.Equal(sn.day.Start) && slices.Equal(c.plan.Loops, p.Loops) &&
			slices.Equal(c.plan.Topics, p.Topics) && c.plan.Deck == p.Deck {
			costs = &c.costs
		}
		d, err := prep.NewDayCosts(r, p, sn.sched, now, costs)
		if err != nil {
			return err
		}
		if d.Active() {
			plans = append(plans, &planDay{Day: d})
		}
	}
	if len(plans) == 0 {
		return nil
	}
	own := &planOwner{r: r, plans: plans, opt: sn.opt, cards: map[string]ownerOf{}}
	ps2 := &planState{own: own, introduced: map[string]bool{}, groups: map[planGroup]bool{}}
	introduced := ps2.introduced
	followUps := map[string]int{} // introduced today, per sibling group
	review := ps2.review

	// The day's cards of each plan: those introduced today, each at
	// its cost as a new card, and the others rated today or due today,
	// a review's cost for each sibling group among them (a day shows one
	// of a group). Both sets are what the day began with: a card rated
	// moves from due to rated, a card introduced from unseen to
	// introduced, so the plan's quota only falls by the cards done.
	err = r.EachLog(sn.day.Start, now.Add(time.Nanosecond), func(e store.Entry) error {
		if e.Action != store.ActRate || introduced[e.Card] {
			return nil
		}
		w, err := own.of(e.Card)
		if err != nil || w.p == nil {
			return err
		}
		if !e.HadState || e.Before.State == fsrs.New {
			introduced[e.Card] = true
			if w.kind == deck.KindFollowUp {
				followUps[w.group]++
			}
			w.p.load.NewToday++
			w.p.load.Spent += w.p.Costs.New(w.kind)
		} else {
			review(w)
		}
		return nil
	})
	if err != nil {
		return err
	}
	// The snapshot's due cards are narrowed by the Options; the plan's
	// count is not.
	due := func(card string) error {
		if introduced[card] {
			return nil
		}
		w, err := own.of(card)
		if err == nil && w.p != nil {
			review(w)
		}
		return err
	}
	if sn.opt == (Options{}) {
		for i := range sn.due {
			if err := due(sn.due[i].card); err != nil {
				return err
			}
		}
	} else if err := r.EachDue(time.Time{}, sn.day.End, func(d store.Due) error { return due(d.Card) }); err != nil {
		return err
	}

	// The cards still to introduce, in each plan's order: the new index
	// of the plans' decks (every deck's, if a plan names none), each
	// card's tags read to find its plan.
	decks := []string{}
	for _, p := range plans {
		if p.Plan.Deck == "" {
			if decks, err = r.Decks(); err != nil {
				return err
			}
			break
		}
		if !slices.Contains(decks, p.Plan.Deck) {
			decks = append(decks, p.Plan.Deck)
		}
	}
	slices.Sort(decks)
	for _, name := range decks {
		if err := r.EachNew(name, func(card string) error {
			m, ok, err := r.Meta(card)
			if err != nil || !ok || m.Retired {
				return err
			}
			if w := own.match(&m.Card); w.p != nil {
				w.p.unseen = append(w.p.unseen, planCard{card: card, group: group(card, m.Parent), kind: m.Kind, class: prep.Class(m.Kind), shown: w.shown})
			}
			return nil
		}); err != nil {
			return err
		}
	}
	for _, p := range plans {
		// The longest chain first: a group's follow-ups each need a day
		// of their own. Counted as the day began (today's among them),
		// so the order holds steady through the day.
		waiting := maps.Clone(followUps)
		for _, c := range p.unseen {
			if c.kind == deck.KindFollowUp {
				waiting[c.group]++
			}
		}
		for i := range p.unseen {
			c := &p.unseen[i]
			c.chain = prep.Chain(c.kind, waiting[c.group])
		}
		slices.SortStableFunc(p.unseen, func(a, b planCard) int {
			return cmp.Or(b.chain-a.chain, a.class-b.class)
		})
	}
	sn.plans = plans
	sn.planState = ps2
	sn.quotas()

	// On a final day, the cards due on or after the date to review ahead.
	from := time.Time{}
	for _, p := range plans {
		if p.Final() && (from.IsZero() || p.Date.Before(from)) {
			from = p.Date
		}
	}
	if !from.IsZero() {
		inDecks := func(string) bool { return true }
		if !slices.ContainsFunc(plans, func(p *planDay) bool { return p.Plan.Deck == "" }) {
			inDecks = func(card string) bool { return slices.Contains(decks, deckOf(card)) }
		}
		err := r.EachDue(from, time.Unix(math.MaxInt32, 0), func(d store.Due) error {
			if d.Learning || !d.LastReview.Before(sn.day.Start) || !inDecks(d.Card) {
				return nil
			}
			w, err := own.of(d.Card)
			if err != nil || w.p == nil || !w.p.Final() {
				return err
			}
			c := fsrs.Card{State: fsrs.Review, Stability: d.Stability, LastReview: d.LastReview, Due: d.Due}
			if w.p.Pulls(c) {
				w.p.pulls = append(w.p.pulls, planPull{d: newDueCard(d), kind: w.kind, recall: w.p.RecallOnDay(c), shown: w.shown})
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, p := range plans {
			slices.SortStableFunc(p.pulls, func(a, b planPull) int {
				return cmp.Or(cmp.Compare(a.recall, b.recall), strings.Compare(a.d.card, b.d.card))
			})
		}
	}
	sn.owned = func(c *deck.Card) bool { return own.match(c).p != nil }
	sn.costs = map[uint64]planCosts{}
	for _, p := range plans {
		sn.costs[p.Plan.ID] = planCosts{day: sn.day.Start, plan: p.Plan, costs: p.Costs}
	}
	return nil
}

// planCosts are a plan's costs as measured on a day: the same all day
// (prep.Costs are measured on the log before it), so that a session,
// which builds the day again after every rating, measures them once.
type planCosts struct {
	day   time.Time
	plan  store.Plan
	costs prep.Costs
}

// planState is what a snapshot keeps of its plans' day to apply a
// rating of the session's own to them (appliedPlans) rather than read
// it all again.
type planState struct {
	own        *planOwner
	introduced map[string]bool    // cards of the plans introduced today
	groups     map[planGroup]bool // sibling groups of the cards of the day, counted
}

type planGroup struct {
	p     *planDay
	group string
}

// review counts a card of the day that is not new: a review's cost for
// its sibling group, once.
func (ps *planState) review(w ownerOf) {
	if k := (planGroup{w.p, w.group}); !ps.groups[k] {
		ps.groups[k] = true
		w.p.load.Spent += w.p.Costs.Review()
	}
}

// quotas applies each plan's rules to its load, in date order. The
// user's own new cards a day are raised by each plan to its pace, not
// given to each: a later plan is raised from what the earlier ones left
// of them.
func (sn *snapshot) quotas() {
	ownLeft := sn.settings.NewPerDay
	for _, p := range sn.plans {
		p.load.Unseen = len(p.unseen)
		p.load.NewPerDay = max(ownLeft, 0)
		p.quota = p.Quota(p.load)
		ownLeft -= p.quota.New + p.load.NewToday
	}
}

// appliedPlans brings the plans' day up to date with one rating the
// session recorded (see applied): the card moves from unseen to
// introduced today, or from due to rated (or out of the cards reviewed
// ahead), as a fresh read would find it.
func (sn *snapshot) appliedPlans(r *store.Reader, e store.Entry) error {
	ps := sn.planState
	if ps == nil || e.Action != store.ActRate || ps.introduced[e.Card] {
		return nil
	}
	ps.own.r = r
	w, err := ps.own.of(e.Card)
	if err != nil || w.p == nil {
		return err
	}
	if !e.HadState || e.Before.State == fsrs.New {
		ps.introduced[e.Card] = true
		w.p.load.NewToday++
		w.p.load.Spent += w.p.Costs.New(w.kind)
		w.p.unseen = slices.DeleteFunc(w.p.unseen, func(c planCard) bool { return c.card == e.Card })
	} else {
		ps.review(w)
		w.p.pulls = slices.DeleteFunc(w.p.pulls, func(c planPull) bool { return c.d.card == e.Card })
	}
	sn.quotas()
	return nil
}

// claimLate lets a plan's sibling groups that have no day to spare
// (prep.Chain at least the days left to introduce in) have today for
// their next card, ahead of a review of the group due today, which
// waits a day: a day shows one card of a group, and a group with a card
// due most days would otherwise not finish before the date. Only the
// cards the plan's quota and minutes take today, in its order, claim,
// so a review is not held back for a card that does not come.
func claimLate(r *store.Reader, sn *snapshot, claimed claims, now time.Time) error {
	for _, p := range sn.plans {
		n, left := p.quota.New, p.quota.Seconds
		for i := 0; i < len(p.unseen) && n > 0; i++ {
			c := p.unseen[i]
			cost := p.Costs.New(c.kind)
			if cost > left || c.chain < p.IntroDays() {
				break // longest chain first: no late one after
			}
			ok, err := eligible(r, sn, c.card, claimed, now, false)
			if err != nil {
				return err
			}
			if ok {
				n--
				left -= cost
			}
		}
	}
	return nil
}

// takePlan takes each plan's share of what is left of today: its new
// cards, as far as its quota's count, the minutes and (unless new cards
// ignore it) the review limit allow, then on a final day the cards it
// reviews ahead of their due, as far as the minutes left and the review
// limit allow. Each stops at the first card it has no minutes left for.
// New cards count against the user's new-card limits too (a plan raises
// the number for its scope; the other cards get what is left). It
// returns the reviews and the new cards the session shows.
func takePlan(r *store.Reader, sn *snapshot, lim *limits, claimed claims, now time.Time) (revs, news []Slot, err error) {
	nowSec := now.Unix()
	for _, p := range sn.plans {
		n, left := p.quota.New, p.quota.Seconds
		for i := 0; i < len(p.unseen) && n > 0; i++ {
			c := p.unseen[i]
			if cost := p.Costs.New(c.kind); cost > left {
				break
			}
			if !lim.newAllowed(deckOf(c.card)) {
				continue
			}
			ok, err := eligible(r, sn, c.card, claimed, now, false)
			if err != nil {
				return nil, nil, err
			}
			if !ok {
				continue
			}
			lim.takeNew(deckOf(c.card))
			n--
			left -= p.Costs.New(c.kind)
			if c.shown {
				news = append(news, Slot{Card: c.card, Kind: New})
			}
		}
		for i := range p.pulls {
			pc := &p.pulls[i]
			d := &pc.d
			if cost := p.Costs.Review(); cost > left {
				break
			}
			g := group(d.card, d.parent)
			if d.buried > nowSec || claimed.holds(g, d.card) || !lim.takeReview(d.deck()) {
				continue
			}
			claimed.claim(g, d.card)
			left -= p.Costs.Review()
			if pc.shown {
				revs = append(revs, Slot{Card: d.card, Kind: Review, Due: time.Unix(d.due, 0).UTC()})
			}
		}
	}
	return revs, news, nil
}

// newAllowed reports whether a plan's new card of the deck can come
// today: always, unless new cards count against the review limit and it
// has nothing left.
func (l *limits) newAllowed(deckName string) bool {
	b := l.deck(deckName)
	return !l.capNew || l.all.review > 0 && b.review > 0
}

// takeNew spends a new card of a plan's: one of the new-card budgets of
// its deck and of all decks (which may go below zero: the plan raised
// them), and one of the review budgets when new cards count against it.
func (l *limits) takeNew(deckName string) {
	b := l.deck(deckName)
	if l.capNew {
		l.all.review--
		b.review--
	}
	l.all.new--
	b.new--
}
