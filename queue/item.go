package queue

import (
	"fmt"
	"time"

	"github.com/srs-tool/srs/deck"
	"github.com/srs-tool/srs/fsrs"
	"github.com/srs-tool/srs/store"
)

// Item is a card to show: its text, the question a follow-up belongs to
// (shown as context), and the user's state of it.
type Item struct {
	Card     deck.Card
	Parent   *deck.Card
	State    store.CardState
	HadState bool // false for a card the user never saw
}

// LoadItem reads what showing a card of today's queue needs. Only the
// card shown is read in full: counting thousands of due cards reads the
// due index alone.
func LoadItem(r *store.Reader, card string) (Item, error) {
	name, id := deck.SplitKey(card)
	c, ok, err := r.Card(card)
	if err != nil {
		return Item{}, err
	}
	if !ok {
		return Item{}, fmt.Errorf("today's queue lists %s/%s, which does not exist: %w (srs doctor --rebuild repairs it)", name, id, store.ErrBadRecord)
	}
	it := Item{Card: c.Card}
	if it.State, it.HadState, err = r.State(card); err != nil {
		return Item{}, err
	}
	if !it.HadState {
		it.State = store.CardState{Card: fsrs.NewCard(time.Time{})}
	}
	if c.Parent != "" {
		p, ok, err := r.Card(deck.Key(name, c.Parent))
		if err != nil {
			return Item{}, err
		}
		if ok {
			it.Parent = &p.Card
		}
	}
	return it, nil
}
