package store

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"

	"srs/deck"
)

// cardRecord is what cards/<deck>\x00<id> holds: the card as last imported,
// its position among new cards, and whether its source dropped it.
type cardRecord struct {
	deck.Card
	Pos     uint64 `json:"pos"`
	Retired bool   `json:"retired,omitempty"`
}

// deckRecord is what decks/<deck> holds.
type deckRecord struct {
	Name       string    `json:"name"`
	Source     string    `json:"source"`
	ImportedAt time.Time `json:"imported_at"`
	Cards      int       `json:"cards"`   // live (not retired) cards
	Retired    int       `json:"retired"` // retired cards kept for their history
	Builtin    bool      `json:"builtin,omitempty"`
}

// DeckInfo describes a deck for `srs decks`.
type DeckInfo struct {
	Name       string    `json:"name"`
	Source     string    `json:"source"`
	ImportedAt time.Time `json:"imported_at"`
	Cards      int       `json:"cards"`
	Retired    int       `json:"retired"`
	Builtin    bool      `json:"builtin"`
}

// StoredCard is a card as the store holds it.
type StoredCard struct {
	deck.Card
	Retired bool
}

func getCard(tx *bolt.Tx, key string) (cardRecord, bool, error) {
	v := tx.Bucket(bCards).Get([]byte(key))
	if v == nil {
		return cardRecord{}, false, nil
	}
	var r cardRecord
	if err := json.Unmarshal(v, &r); err != nil {
		return r, false, fmt.Errorf("card %q: %w: %v", key, ErrBadRecord, err)
	}
	return r, true, nil
}

func putCard(tx *bolt.Tx, r cardRecord) error {
	v, err := json.Marshal(r)
	if err != nil {
		return err
	}
	return tx.Bucket(bCards).Put([]byte(r.Key()), v)
}

// Card returns the card with the given deck and id.
func (s *Store) Card(deckName, id string) (StoredCard, error) {
	var out StoredCard
	err := s.db.View(func(tx *bolt.Tx) error {
		r, ok, err := getCard(tx, deck.Key(deckName, id))
		if err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("card %s/%s: %w", deckName, id, ErrNoCard)
		}
		out = StoredCard{Card: r.Card, Retired: r.Retired}
		return nil
	})
	return out, err
}

// Decks lists the decks in name order.
func (s *Store) Decks() ([]DeckInfo, error) {
	var out []DeckInfo
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bDecks).ForEach(func(k, v []byte) error {
			var r deckRecord
			if err := json.Unmarshal(v, &r); err != nil {
				return fmt.Errorf("deck %q: %w: %v", k, ErrBadRecord, err)
			}
			out = append(out, DeckInfo(r))
			return nil
		})
	})
	return out, err
}

// CardFilter selects cards. Zero fields match everything.
type CardFilter struct {
	Deck          string
	Tag           string
	IncludeRetire bool // also list retired cards
}

func (f CardFilter) match(c *deck.Card, retired bool) bool {
	if retired && !f.IncludeRetire {
		return false
	}
	if f.Deck != "" && c.Deck != f.Deck {
		return false
	}
	if f.Tag != "" && !slices.Contains(c.Tags, f.Tag) {
		return false
	}
	return true
}

// EachCard calls fn for every card matching f, in key order (deck, then
// id). Listing is the one query that reads every card.
func (s *Store) EachCard(f CardFilter, fn func(StoredCard) error) error {
	return s.db.View(func(tx *bolt.Tx) error { return s.eachCard(tx, f, fn) })
}

func (s *Store) eachCard(tx *bolt.Tx, f CardFilter, fn func(StoredCard) error) error {
	c := tx.Bucket(bCards).Cursor()
	var prefix []byte
	k, v := c.First()
	if f.Deck != "" {
		prefix = []byte(f.Deck + "\x00")
		k, v = c.Seek(prefix)
	}
	for ; k != nil && hasPrefix(k, prefix); k, v = c.Next() {
		if err := s.eachCardRecord(k, v, f, fn); err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) eachCardRecord(k, v []byte, f CardFilter, fn func(StoredCard) error) error {
	var r cardRecord
	if err := json.Unmarshal(v, &r); err != nil {
		return fmt.Errorf("card %q: %w: %v", k, ErrBadRecord, err)
	}
	if !f.match(&r.Card, r.Retired) {
		return nil
	}
	return fn(StoredCard{Card: r.Card, Retired: r.Retired})
}

func hasPrefix(b, prefix []byte) bool {
	return len(b) >= len(prefix) && string(b[:len(prefix)]) == string(prefix)
}

// EachCardState is EachCard with the user's state of each card (had is
// false for a card the user never saw).
func (s *Store) EachCardState(user string, f CardFilter, fn func(c StoredCard, st CardState, had bool) error) error {
	return s.db.View(func(tx *bolt.Tx) error {
		ub, _ := openUser(tx, user)
		return s.eachCard(tx, f, func(c StoredCard) error {
			if ub == nil {
				return fn(c, CardState{}, false)
			}
			st, had, err := ub.getState(c.Key())
			if err != nil {
				return err
			}
			return fn(c, st, had)
		})
	})
}
