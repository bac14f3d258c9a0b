package store

import (
	"fmt"

	bolt "go.etcd.io/bbolt"
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
