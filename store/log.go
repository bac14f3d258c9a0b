package store

import (
	"fmt"

	bolt "go.etcd.io/bbolt"

	"srs/deck"
)

// EachEntry calls fn for the user's log entries, oldest first (newest
// first with reverse), stopping early when fn returns ErrStop.
func (s *Store) EachEntry(user string, reverse bool, fn func(Entry) error) error {
	err := s.db.View(func(tx *bolt.Tx) error {
		ub, err := openUser(tx, user)
		if err != nil {
			return err
		}
		c := ub.log.Cursor()
		first, next := c.First, c.Next
		if reverse {
			first, next = c.Last, c.Prev
		}
		for k, v := first(); k != nil; k, v = next() {
			e, err := decodeEntry(k, v)
			if err != nil {
				return fmt.Errorf("user %q log entry %x: %w", user, k, err)
			}
			if err := fn(e); err != nil {
				return err
			}
		}
		return nil
	})
	if err == ErrStop {
		return nil
	}
	return err
}

// ErrStop ends an iteration early without error.
var ErrStop = fmt.Errorf("stop")

// history reads one card's log entries, oldest first.
func (ub *userBuckets) history(card string) ([]Entry, error) {
	var out []Entry
	prefix := histPrefix(card)
	c := ub.hist.Cursor()
	for k, _ := c.Seek(prefix); k != nil && hasPrefix(k, prefix); k, _ = c.Next() {
		lk := k[len(prefix):]
		v := ub.log.Get(lk)
		if v == nil {
			return nil, fmt.Errorf("user %q card %s: %w: history lists a missing log entry", ub.name, showKey([]byte(card)), ErrBadRecord)
		}
		e, err := decodeEntry(lk, v)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}

// History returns the user's log entries for one card, oldest first.
func (s *Store) History(user, deckName, id string) ([]Entry, error) {
	var out []Entry
	err := s.db.View(func(tx *bolt.Tx) error {
		ub, err := openUser(tx, user)
		if err != nil {
			return err
		}
		out, err = ub.history(deck.Key(deckName, id))
		return err
	})
	return out, err
}
