package store

import (
	"fmt"
	"strings"

	bolt "go.etcd.io/bbolt"

	"github.com/srs-tool/srs/deck"
)

// CardText is what a person may change of a card by hand (`srs edit`):
// its ID, deck, kind and parent are its identity and place, and stay.
type CardText struct {
	Front string
	Back  string
	Tags  []string
}

// EditCard replaces a card's front, back and tags in one transaction. The
// card keeps its key, so its history, states, indexes and place among new
// cards are untouched: nothing of them depends on the text. It reports
// whether anything changed. A later import of the card's source
// overwrites the edit, as it would any change to the card.
func (s *Store) EditCard(deckName, id string, t CardText) (changed bool, err error) {
	if strings.TrimSpace(t.Front) == "" {
		return false, fmt.Errorf("edit %s/%s: empty front", deckName, id)
	}
	for _, f := range []struct{ name, v string }{{"front", t.Front}, {"back", t.Back}} {
		if len(f.v) > deck.MaxFieldSize {
			return false, fmt.Errorf("edit %s/%s: the %s is %d bytes, larger than %d", deckName, id, f.name, len(f.v), deck.MaxFieldSize)
		}
	}
	tags := deck.AppendTags([]string{}, t.Tags...)
	// edit reads the card and says whether t changes it; an unchanged
	// card is found in a read transaction and nothing is written.
	edit := func(tx *bolt.Tx) (cardRecord, bool, error) {
		r, ok, err := getCard(tx, deck.Key(deckName, id))
		if err != nil {
			return r, false, err
		}
		if !ok {
			return r, false, fmt.Errorf("card %s/%s: %w", deckName, id, ErrNoCard)
		}
		before := contentSum(&r.Card)
		r.Front, r.Back, r.Tags = t.Front, t.Back, tags
		return r, contentSum(&r.Card) != before, nil
	}
	if err := s.db.View(func(tx *bolt.Tx) (err error) {
		_, changed, err = edit(tx)
		return err
	}); err != nil || !changed {
		return false, err
	}
	err = s.db.Update(func(tx *bolt.Tx) error {
		r, ch, err := edit(tx)
		if err != nil || !ch {
			changed = ch
			return err
		}
		return putCard(tx, r)
	})
	return changed, err
}
