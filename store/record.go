package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/srs-tool/srs/deck"
	"github.com/srs-tool/srs/fsrs"
)

// Change is one state change a caller asks Record to make: the state it
// saw (so that a change made meanwhile by another session is caught, not
// overwritten) and the state it computed.
type Change struct {
	Card     string // deck.Key(deck, id)
	Time     time.Time
	Action   Action
	Rating   fsrs.Rating // for ActRate
	Duration time.Duration
	Before   CardState
	HadState bool // false when the card had no state (never seen)
	After    CardState
	Mock     bool // a rating given in a mock interview (Entry.Mock)
}

// Record writes a change in one transaction: the log entry, the card's
// state and its index entries. It fails with ErrConflict if the card's
// state is not c.Before, and with ErrClockBack if c.Time is earlier than
// the user's newest log entry.
func (s *Store) Record(user string, c Change) (LogKey, error) {
	var key LogKey
	err := s.db.Update(func(tx *bolt.Tx) error {
		ub, err := ensureUser(tx, user, c.Time)
		if err != nil {
			return err
		}
		if err := ub.checkClock(c.Time); err != nil {
			return err
		}
		key, err = ub.record(tx, c)
		return err
	})
	return key, err
}

// record logs a change and applies it to the card's state and indexes.
func (ub *userBuckets) record(tx *bolt.Tx, c Change) (LogKey, error) {
	var key LogKey
	if c.Action == ActRate && (c.Rating < fsrs.Again || c.Rating > fsrs.Easy) {
		return key, fmt.Errorf("rating %d: must be 1..4", c.Rating)
	}
	if c.Action < ActRate || c.Action > ActSet {
		return key, fmt.Errorf("unknown action %d", c.Action)
	}
	if c.Mock && c.Action != ActRate {
		return key, fmt.Errorf("a %s cannot be a mock interview's: only ratings are", c.Action)
	}
	cur, had, err := ub.getState(c.Card)
	if err != nil {
		return key, err
	}
	if had != c.HadState || had && !bytes.Equal(encodeState(cur), encodeState(c.Before)) {
		deckName, id := deck.SplitKey(c.Card)
		return key, fmt.Errorf("card %s/%s: %w", deckName, id, ErrConflict)
	}
	if err := ub.setState(tx, c.Card, c.Before, c.HadState, c.After, true); err != nil {
		return key, err
	}
	e := Entry{Card: c.Card, Action: c.Action, Rating: c.Rating, Duration: c.Duration,
		Before: c.Before, HadState: c.HadState, After: c.After, Mock: c.Mock}
	key = ub.nextLogKey(c.Time)
	return key, ub.log.Put(key[:], encodeEntry(e))
}

// nextLogKey is a key after every existing entry made at t.
func (ub *userBuckets) nextLogKey(t time.Time) LogKey {
	k := newLogKey(t, 0)
	c := ub.log.Cursor()
	next := newLogKey(t.Add(time.Nanosecond), 0)
	last, _ := c.Seek(next[:])
	if last == nil {
		last, _ = c.Last()
	} else {
		last, _ = c.Prev()
	}
	if len(last) == len(k) && bytes.Equal(last[:8], k[:8]) {
		k = newLogKey(t, binary.BigEndian.Uint32(last[8:])+1)
	}
	return k
}

// checkClock refuses a change made earlier than the user's newest log
// entry. Replaying the log in time order would apply it before changes
// that were made from the state it records, so doctor would find the log
// inconsistent and a rebuild would rewrite recorded results; a clock that
// went back (a wrong SRS_NOW, a machine's clock reset) is the likely
// cause. Imported history is not checked: its reviews are old by nature,
// and each card's are replayed on their own.
func (ub *userBuckets) checkClock(t time.Time) error {
	k := ub.lastLogKey()
	if k == nil {
		return nil
	}
	lk, err := parseLogKey(k)
	if err != nil {
		return fmt.Errorf("user %q log: %w", ub.name, err)
	}
	if newest := lk.Time(); t.Before(newest) {
		return fmt.Errorf("%w: it is %s, but %s's newest review log entry is from %s; nothing was recorded (check the system clock or SRS_NOW)",
			ErrClockBack, t.Format(time.RFC3339), ub.name, newest.In(t.Location()).Format(time.RFC3339))
	}
	return nil
}

// lastLogKey is the newest key in the user's log, nil if there is none.
func (ub *userBuckets) lastLogKey() []byte {
	k, _ := ub.log.Cursor().Last()
	return k
}

// Undo reverts the log entry at key: it restores the state before it,
// moves the index back and deletes the entry, in one transaction. It fails
// with ErrConflict if the card has changed since (the entry is not the
// card's latest).
func (s *Store) Undo(user string, key LogKey) (Entry, error) {
	var e Entry
	err := s.db.Update(func(tx *bolt.Tx) error {
		ub, err := openUser(tx, user)
		if err != nil {
			return err
		}
		v := ub.log.Get(key[:])
		if v == nil {
			return fmt.Errorf("log entry %s: not found (already undone?)", key)
		}
		if e, err = decodeEntry(key[:], v); err != nil {
			return err
		}
		stored := ub.state.Get([]byte(e.Card))
		if !bytes.Equal(stored, encodeState(e.After)) {
			deckName, id := deck.SplitKey(e.Card)
			return fmt.Errorf("undo card %s/%s: %w", deckName, id, ErrConflict)
		}
		if err := ub.setState(tx, e.Card, e.After, true, e.Before, e.HadState); err != nil {
			return err
		}
		return ub.log.Delete(key[:])
	})
	return e, err
}

// State returns the user's state of a card; ok is false if never seen
// (or the user does not exist yet). A damaged user is an error, not a
// card never seen: a suspend would otherwise log a state from nothing.
func (s *Store) State(user, deckName, id string) (st CardState, ok bool, err error) {
	err = s.db.View(func(tx *bolt.Tx) error {
		ub, err := openUser(tx, user)
		if errors.Is(err, ErrNoUser) {
			return nil
		}
		if err != nil {
			return err
		}
		st, ok, err = ub.getState(deck.Key(deckName, id))
		return err
	})
	return st, ok, err
}
