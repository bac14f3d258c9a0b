package store

import (
	"bytes"
	"fmt"
	"slices"

	bolt "go.etcd.io/bbolt"
)

// A rating commits only its log entry. Writing the state and moving the
// due-index entry as well would touch two more B-trees, at scattered
// pages: measured, a synced rating wrote 17 pages instead of 9 and took
// twice a bare bbolt commit. So Record appends the entry and lists its key
// in the user's pending list, a value in the user's bucket whose page the
// commit rewrites anyway; the states and indexes catch up ("settle") in
// one transaction later, many cards at a time, where they share branch
// pages.
//
// Until then, readers lay the pending entries over what is stored:
// getState returns a pending card's newest state, and the queue walks the
// due and new indexes through overlayCursor. Everything else that reads
// or writes states and indexes settles first (Stats, Check, import,
// rebuild). The log, the source of truth, is complete either way; a crash
// leaves the list to the next command.

// maxPending bounds the list: at 12 bytes a key it stays a small value on
// the user's page, and the overlay stays cheap to build.
const maxPending = 64

// pendingCard is what the pending entries make of one card.
type pendingCard struct {
	now  CardState // after the newest pending entry
	meta cardMeta
}

// loadPending reads the user's pending list and the states it implies.
func (ub *userBuckets) loadPending(tx *bolt.Tx) error {
	ub.pendingKeys, ub.pending = nil, nil
	v := ub.user.Get(kPending)
	if len(v) == 0 {
		return nil
	}
	if len(v)%len(LogKey{}) != 0 {
		return fmt.Errorf("user %q pending list of %d bytes: %w", ub.name, len(v), ErrBadRecord)
	}
	ub.pending = map[string]*pendingCard{}
	for i := 0; i < len(v); i += len(LogKey{}) {
		var k LogKey
		copy(k[:], v[i:])
		e, err := ub.entry(k)
		if err != nil {
			return err
		}
		ub.pendingKeys = append(ub.pendingKeys, k)
		p := ub.pending[e.Card]
		if p == nil {
			p = &pendingCard{}
			m, ok, err := getMeta(tx, e.Card)
			if err != nil {
				return err
			}
			if !ok {
				return fmt.Errorf("user %q pending entry %s: card %s: %w", ub.name, k, showKey([]byte(e.Card)), ErrNoCard)
			}
			p.meta = m
			ub.pending[e.Card] = p
		}
		p.now = e.After
	}
	return nil
}

// entry reads one log entry.
func (ub *userBuckets) entry(k LogKey) (Entry, error) {
	v := ub.log.Get(k[:])
	if v == nil {
		return Entry{}, fmt.Errorf("user %q log entry %s: %w: listed as pending but missing", ub.name, k, ErrBadRecord)
	}
	return decodeEntry(k[:], v)
}

// putPending writes the pending list.
func (ub *userBuckets) putPending(keys []LogKey) error {
	if len(keys) == 0 {
		return ub.user.Delete(kPending)
	}
	v := make([]byte, 0, len(keys)*len(LogKey{}))
	for _, k := range keys {
		v = append(v, k[:]...)
	}
	return ub.user.Put(kPending, v)
}

// settle applies the pending entries to the states and indexes, oldest
// first, exactly as Record once did one at a time.
func (ub *userBuckets) settle(tx *bolt.Tx) error {
	if len(ub.pendingKeys) == 0 {
		return nil
	}
	for _, k := range ub.pendingKeys {
		e, err := ub.entry(k)
		if err != nil {
			return err
		}
		if err := ub.setState(tx, e.Card, e.Before, e.HadState, e.After, true); err != nil {
			return fmt.Errorf("user %q settle log entry %s: %w", ub.name, k, err)
		}
	}
	ub.pendingKeys, ub.pending = nil, nil
	return ub.putPending(nil)
}

// Settle applies a user's pending ratings to the card states and indexes.
// Readers do not need it (they see pending ratings); a review session
// calls it as it ends, so the next command starts from settled states.
func (s *Store) Settle(user string) error {
	return s.settle(user)
}

// settle settles the named users, or every user when none is named, in
// one write transaction, opened only if one of them has pending entries.
func (s *Store) settle(users ...string) error {
	var todo []string
	err := s.db.View(func(tx *bolt.Tx) error {
		return eachUserName(tx, users, func(u *bolt.Bucket, name string) error {
			if len(u.Get(kPending)) > 0 {
				todo = append(todo, name)
			}
			return nil
		})
	})
	if err != nil || len(todo) == 0 || s.db.IsReadOnly() {
		return err
	}
	return s.db.Update(func(tx *bolt.Tx) error { return settleUsers(tx, todo...) })
}

// settleUsers settles the named users (every user when none is named)
// inside tx.
func settleUsers(tx *bolt.Tx, users ...string) error {
	return eachUserName(tx, users, func(_ *bolt.Bucket, name string) error {
		ub, err := openUser(tx, name)
		if err != nil {
			return err
		}
		return ub.settle(tx)
	})
}

// eachUserName calls fn for each named user that exists, or for every
// user when none is named.
func eachUserName(tx *bolt.Tx, names []string, fn func(u *bolt.Bucket, name string) error) error {
	users := tx.Bucket(bUsers)
	if len(names) == 0 {
		return users.ForEachBucket(func(k []byte) error { return fn(users.Bucket(k), string(k)) })
	}
	for _, n := range names {
		if u := users.Bucket([]byte(n)); u != nil {
			if err := fn(u, n); err != nil {
				return err
			}
		}
	}
	return nil
}

// dueOverlay is the due-index entries the pending cards have now, sorted,
// for overlayCursor.
func (ub *userBuckets) dueOverlay() []kv {
	var out []kv
	for card, p := range ub.pending {
		if indexedDue(p.meta, p.now, true) {
			out = append(out, kv{dueKey(p.now.Due, card), encodeDue(newDueEntry(p.now, p.meta.Parent))})
		}
	}
	slices.SortFunc(out, func(a, b kv) int { return bytes.Compare(a.k, b.k) })
	return out
}

// newOverlay is the new-index entries the pending cards have now, sorted.
func (ub *userBuckets) newOverlay() []kv {
	var out []kv
	for _, p := range ub.pending {
		if indexedNew(p.meta, p.now, true) {
			out = append(out, kv{newKey(p.meta.Deck, p.meta.Pos), []byte(p.meta.ID)})
		}
	}
	slices.SortFunc(out, func(a, b kv) int { return bytes.Compare(a.k, b.k) })
	return out
}

// isPending reports whether an index entry belongs to a pending card: its
// stored entries are stale, the overlay has its current ones.
func (ub *userBuckets) isPending(card string) bool {
	_, ok := ub.pending[card]
	return ok
}

type kv struct{ k, v []byte }

// overlayCursor walks a stored index with the pending cards' entries laid
// over it: stored entries of pending cards are skipped, and their current
// entries (extra, sorted) merged in key order.
type overlayCursor struct {
	c       *bolt.Cursor
	skip    func(k, v []byte) bool
	extra   []kv
	i       int
	sk, sv  []byte // the stored cursor's current entry
	started bool
}

func (ub *userBuckets) dueCursor() *overlayCursor {
	if len(ub.pending) == 0 {
		return &overlayCursor{c: ub.due.Cursor()}
	}
	return &overlayCursor{c: ub.due.Cursor(), extra: ub.dueOverlay(), skip: func(k, _ []byte) bool {
		_, card, ok := parseDueKey(k)
		return ok && ub.isPending(card)
	}}
}

func (ub *userBuckets) newCursor() *overlayCursor {
	if len(ub.pending) == 0 {
		return &overlayCursor{c: ub.new.Cursor()}
	}
	return &overlayCursor{c: ub.new.Cursor(), extra: ub.newOverlay(), skip: func(k, v []byte) bool {
		card, _, ok := parseNewKey(k, v)
		return ok && ub.isPending(card)
	}}
}

func (o *overlayCursor) First() ([]byte, []byte) {
	o.sk, o.sv = o.c.First()
	o.i = 0
	return o.settleStored()
}

func (o *overlayCursor) Seek(seek []byte) ([]byte, []byte) {
	o.sk, o.sv = o.c.Seek(seek)
	o.i, _ = slices.BinarySearchFunc(o.extra, seek, func(e kv, t []byte) int { return bytes.Compare(e.k, t) })
	return o.settleStored()
}

// Next moves past the entry last returned.
func (o *overlayCursor) Next() ([]byte, []byte) {
	if o.i < len(o.extra) && (o.sk == nil || bytes.Compare(o.extra[o.i].k, o.sk) < 0) {
		o.i++
	} else if o.sk != nil {
		o.sk, o.sv = o.c.Next()
	}
	return o.settleStored()
}

// settleStored moves the stored side past skipped entries and returns the
// smaller of the two sides' current entries.
func (o *overlayCursor) settleStored() ([]byte, []byte) {
	for o.sk != nil && o.skip != nil && o.skip(o.sk, o.sv) {
		o.sk, o.sv = o.c.Next()
	}
	if o.i < len(o.extra) && (o.sk == nil || bytes.Compare(o.extra[o.i].k, o.sk) < 0) {
		return o.extra[o.i].k, o.extra[o.i].v
	}
	return o.sk, o.sv
}

// pendingOf reports whether key is in the pending list, and whether a later
// pending entry changes the same card.
func (ub *userBuckets) pendingOf(key LogKey, card string) (listed, superseded bool, err error) {
	for i, k := range ub.pendingKeys {
		if k != key {
			continue
		}
		for _, later := range ub.pendingKeys[i+1:] {
			e, err := ub.entry(later)
			if err != nil {
				return true, false, err
			}
			if e.Card == card {
				return true, true, nil
			}
		}
		return true, false, nil
	}
	return false, false, nil
}

// dropPending removes key from the pending list and recomputes the overlay.
func (ub *userBuckets) dropPending(tx *bolt.Tx, key LogKey) error {
	keys := slices.DeleteFunc(slices.Clone(ub.pendingKeys), func(k LogKey) bool { return k == key })
	if err := ub.putPending(keys); err != nil {
		return err
	}
	return ub.loadPending(tx)
}

// addPending lays change c over the card's state in the overlay.
func (ub *userBuckets) addPending(c Change, m cardMeta) {
	if ub.pending == nil {
		ub.pending = map[string]*pendingCard{}
	}
	ub.pending[c.Card] = &pendingCard{meta: m, now: c.After}
}
