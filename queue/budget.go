package queue

import (
	"maps"
	"slices"
	"time"

	"github.com/srs-tool/srs/deck"
	"github.com/srs-tool/srs/prep"
	"github.com/srs-tool/srs/store"
)

// dayCosts are the user's costs of a card as measured on a day, over
// every card (prep.MeasureDay): the same all day, so that a session,
// which builds the day again after every rating, measures them once.
type dayCosts struct {
	day   time.Time
	costs prep.Costs
}

// budgetCosts are today's costs of a card for the user's minutes_per_day.
func (sn *snapshot) budgetCosts(r *store.Reader, now time.Time) (prep.Costs, error) {
	if sn.dayCosts != nil && sn.dayCosts.day.Equal(sn.day.Start) {
		return sn.dayCosts.costs, nil
	}
	c, err := prep.MeasureDay(r, prep.Scope{}, sn.sched, now)
	if err != nil {
		return prep.Costs{}, err
	}
	sn.dayCosts = &dayCosts{day: sn.day.Start, costs: c}
	return c, nil
}

// kind is a card's kind (for its cost as a new card), read once.
func (sn *snapshot) kind(r *store.Reader, card string) (deck.Kind, error) {
	if k, ok := sn.kinds[card]; ok {
		return k, nil
	}
	m, _, err := r.Meta(card)
	if err != nil {
		return "", err
	}
	if sn.kinds == nil {
		sn.kinds = map[string]deck.Kind{}
	}
	sn.kinds[card] = m.Kind
	return m.Kind, nil
}

// Budget is what the user's minutes_per_day makes of today.
type Budget struct {
	Minutes int `json:"minutes"` // minutes_per_day
	// Seconds is the day's estimated time with the new cards today
	// holds: what withinBudget counts, the user's own new cards kept
	// included. Over Minutes when the reviews alone fill them.
	Seconds float64 `json:"estimated_seconds"`
	// Held are the user's own new cards the limits would have let come
	// today that the budget holds back.
	Held int `json:"new_held"`
}

// withinBudget is the user's own new cards (own, in the order they come)
// that today's minutes_per_day leaves room for, and what the budget
// makes of the day (nil without one): the first of them whose cost is
// more than the seconds left, and every one after it, wait. The day's
// estimated seconds are, at the user's measured costs (prep.Costs): a
// review's cost (Costs.Review: its answers, relearning steps included)
// for each card rated today that was not new and each learning or
// review card today still holds that was not rated today (held), and a
// new card's cost (Costs.New: its first day's answers) for each card
// introduced today and each of a plan's new cards today holds (planNew).
// Each card is counted once, whatever its answers, so the estimate holds
// steady as the day goes on: a card rated moves from held to rated, a
// card introduced from new to introduced, at the same cost.
func (sn *snapshot) withinBudget(r *store.Reader, now time.Time, own, held, planNew []Slot) ([]Slot, *Budget, error) {
	if sn.settings.MinutesPerDay <= 0 {
		return own, nil, nil
	}
	c, err := sn.budgetCosts(r, now)
	if err != nil {
		return nil, nil, err
	}
	reviews := 0
	news := map[deck.Kind]int{}
	addNew := func(card string) error {
		k, err := sn.kind(r, card)
		news[k]++
		return err
	}
	// Counted, then summed in one order, so that every build of the
	// same day finds the same seconds to the last bit.
	for card, introduced := range sn.rated {
		if !introduced {
			reviews++
		} else if err := addNew(card); err != nil {
			return nil, nil, err
		}
	}
	for _, s := range held {
		if _, ok := sn.rated[s.Card]; !ok {
			reviews++
		}
	}
	for _, s := range planNew {
		if err := addNew(s.Card); err != nil {
			return nil, nil, err
		}
	}
	spent := float64(reviews) * c.Review()
	for _, k := range slices.Sorted(maps.Keys(news)) {
		spent += float64(news[k]) * c.New(k)
	}
	b := &Budget{Minutes: sn.settings.MinutesPerDay, Seconds: spent}
	left := float64(b.Minutes)*60 - spent
	for i, s := range own {
		k, err := sn.kind(r, s.Card)
		if err != nil {
			return nil, nil, err
		}
		// A hair of slack: the same day summed in another order must
		// not lose a card to rounding.
		cost := c.New(k)
		if cost > left+1e-6 {
			b.Held = len(own) - i
			return own[:i], b, nil
		}
		left -= cost
		b.Seconds += cost
	}
	return own, b, nil
}
