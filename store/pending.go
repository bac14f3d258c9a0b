package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"slices"

	bolt "go.etcd.io/bbolt"
)

// A rating commits only its log entry. Writing the state and moving the
// due-index entry as well would touch two more B-trees, at scattered
// pages: measured, a synced rating wrote 17 pages instead of 8 and took
// twice a bare bbolt commit (bench/RESULTS.md). So Record appends the entry and lists its key
// in the user's pending list, a value in the user's bucket whose page the
// commit rewrites anyway; the states and indexes catch up ("settle") in
// one transaction later, many cards at a time, where they share branch
// pages.
//
// Until then, readers lay the pending entries over what is stored:
// getState returns a card's newest pending state, and the queue walks the
// due and new indexes through overlayCursor. Everything else that reads
// or writes states and indexes settles first (Stats, Check, import,
// rebuild). The log, the source of truth, is complete either way; a crash
// leaves the list to the next command.

// maxPending bounds the list: at 20 bytes an entry it stays a small value
// on the user's page.
const maxPending = 64

// pendingRef is one entry of the pending list: the log key, and a hash of
// the card key so that finding a card's pending entries reads only those.
type pendingRef struct {
	key  LogKey
	card uint64
}

const pendingRefSize = len(LogKey{}) + 8

func cardHash(card string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(card))
	return h.Sum64()
}

// pendingCard is what the pending entries make of one card, for the
// index overlay.
type pendingCard struct {
	now  CardState // after the newest pending entry
	meta cardMeta
}

// loadPending reads the user's pending list. The overlay of the indexes is
// built only when a cursor needs it (pendingCards).
func (ub *userBuckets) loadPending() error {
	ub.pendingRefs, ub.pending = nil, nil
	v := ub.user.Get(kPending)
	if len(v)%pendingRefSize != 0 {
		return fmt.Errorf("user %q pending list of %d bytes: %w", ub.name, len(v), ErrBadRecord)
	}
	for i := 0; i < len(v); i += pendingRefSize {
		var r pendingRef
		copy(r.key[:], v[i:])
		r.card = binary.BigEndian.Uint64(v[i+len(LogKey{}):])
		ub.pendingRefs = append(ub.pendingRefs, r)
	}
	return nil
}

// putPending writes the pending list.
func (ub *userBuckets) putPending(refs []pendingRef) error {
	ub.pendingRefs, ub.pending = refs, nil
	if len(refs) == 0 {
		return ub.user.Delete(kPending)
	}
	v := make([]byte, 0, len(refs)*pendingRefSize)
	for _, r := range refs {
		v = append(v, r.key[:]...)
		v = binary.BigEndian.AppendUint64(v, r.card)
	}
	return ub.user.Put(kPending, v)
}

// entry reads one log entry.
func (ub *userBuckets) entry(k LogKey) (Entry, error) {
	v := ub.log.Get(k[:])
	if v == nil {
		return Entry{}, fmt.Errorf("user %q log entry %s: %w: listed as pending but missing (srs doctor --rebuild repairs it)", ub.name, k, ErrBadRecord)
	}
	return decodeEntry(k[:], v)
}

// latestPending is the newest pending entry for card, at index i of the
// list; i is -1 when the card has none.
func (ub *userBuckets) latestPending(card string) (e Entry, i int, err error) {
	h := cardHash(card)
	for i := len(ub.pendingRefs) - 1; i >= 0; i-- {
		if ub.pendingRefs[i].card != h {
			continue
		}
		if e, err = ub.entry(ub.pendingRefs[i].key); err != nil || e.Card == card {
			return e, i, err
		}
	}
	return Entry{}, -1, nil
}

// pendingCards builds the index overlay: each pending card's newest state.
func (ub *userBuckets) pendingCards(tx *bolt.Tx) (map[string]*pendingCard, error) {
	if ub.pending != nil || len(ub.pendingRefs) == 0 {
		return ub.pending, nil
	}
	m := map[string]*pendingCard{}
	for _, r := range ub.pendingRefs {
		e, err := ub.entry(r.key)
		if err != nil {
			return nil, err
		}
		p := m[e.Card]
		if p == nil {
			meta, ok, err := getMeta(tx, e.Card)
			if err != nil {
				return nil, err
			}
			if !ok {
				return nil, fmt.Errorf("user %q pending entry %s: card %s: %w", ub.name, r.key, showKey([]byte(e.Card)), ErrNoCard)
			}
			p = &pendingCard{meta: meta}
			m[e.Card] = p
		}
		p.now = e.After
	}
	ub.pending = m
	return m, nil
}

// settle applies the pending entries to the states and indexes, oldest
// first, exactly as Record once did one at a time.
func (ub *userBuckets) settle(tx *bolt.Tx) error {
	if len(ub.pendingRefs) == 0 {
		return nil
	}
	for _, r := range ub.pendingRefs {
		e, err := ub.entry(r.key)
		if err != nil {
			return err
		}
		if err := ub.setState(tx, e.Card, e.Before, e.HadState, e.After, true); err != nil {
			return fmt.Errorf("user %q settle log entry %s: %w", ub.name, r.key, err)
		}
	}
	return ub.putPending(nil)
}

// Settle applies a user's pending ratings to the card states and indexes.
// Readers do not need it (they see pending ratings); a review session
// calls it as it ends, so the next command starts from settled states.
func (s *Store) Settle(user string) error {
	return s.settle(user)
}

// Pending reports how many of a user's logged changes wait to be settled.
func (s *Store) Pending(user string) (int, error) {
	n := 0
	err := s.db.View(func(tx *bolt.Tx) error {
		if u := userBucket(tx, user); u != nil {
			n = len(u.Get(kPending)) / pendingRefSize
		}
		return nil
	})
	return n, err
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
	if len(names) == 0 {
		return forEachUser(tx, func(name string, u *bolt.Bucket) error { return fn(u, name) })
	}
	for _, n := range names {
		if u := userBucket(tx, n); u != nil {
			if err := fn(u, n); err != nil {
				return err
			}
		}
	}
	return nil
}

// dueOverlay is the due-index entries the pending cards have now, sorted,
// for overlayCursor.
func dueOverlay(pending map[string]*pendingCard) []kv {
	var out []kv
	for card, p := range pending {
		if indexedDue(p.meta, p.now, true) {
			out = append(out, kv{dueKey(p.now.Due, card), encodeDue(newDueEntry(p.now, p.meta.Parent))})
		}
	}
	slices.SortFunc(out, func(a, b kv) int { return bytes.Compare(a.k, b.k) })
	return out
}

// newOverlay is the new-index entries the pending cards have now, sorted.
func newOverlay(pending map[string]*pendingCard) []kv {
	var out []kv
	for _, p := range pending {
		if indexedNew(p.meta, p.now, true) {
			out = append(out, kv{newKey(p.meta.Deck, p.meta.Pos), []byte(p.meta.ID)})
		}
	}
	slices.SortFunc(out, func(a, b kv) int { return bytes.Compare(a.k, b.k) })
	return out
}

type kv struct{ k, v []byte }

// overlayCursor walks a stored index with the pending cards' entries laid
// over it: stored entries of pending cards are skipped, and their current
// entries (extra, sorted) merged in key order.
type overlayCursor struct {
	c      *bolt.Cursor
	skip   func(k, v []byte) bool
	extra  []kv
	i      int
	sk, sv []byte // the stored cursor's current entry
}

func (ub *userBuckets) dueCursor(tx *bolt.Tx) (*overlayCursor, error) {
	pending, err := ub.pendingCards(tx)
	if err != nil || len(pending) == 0 {
		return &overlayCursor{c: ub.due.Cursor()}, err
	}
	return &overlayCursor{c: ub.due.Cursor(), extra: dueOverlay(pending), skip: func(k, _ []byte) bool {
		_, card, ok := parseDueKey(k)
		return ok && pending[card] != nil
	}}, nil
}

func (ub *userBuckets) newCursor(tx *bolt.Tx) (*overlayCursor, error) {
	pending, err := ub.pendingCards(tx)
	if err != nil || len(pending) == 0 {
		return &overlayCursor{c: ub.new.Cursor()}, err
	}
	return &overlayCursor{c: ub.new.Cursor(), extra: newOverlay(pending), skip: func(k, v []byte) bool {
		card, _, ok := parseNewKey(k, v)
		return ok && pending[card] != nil
	}}, nil
}

func (o *overlayCursor) First() ([]byte, []byte) {
	o.sk, o.sv = o.c.First()
	o.i = 0
	return o.current()
}

func (o *overlayCursor) Seek(seek []byte) ([]byte, []byte) {
	o.sk, o.sv = o.c.Seek(seek)
	o.i, _ = slices.BinarySearchFunc(o.extra, seek, func(e kv, t []byte) int { return bytes.Compare(e.k, t) })
	return o.current()
}

// Next moves past the entry last returned.
func (o *overlayCursor) Next() ([]byte, []byte) {
	if o.i < len(o.extra) && (o.sk == nil || bytes.Compare(o.extra[o.i].k, o.sk) < 0) {
		o.i++
	} else if o.sk != nil {
		o.sk, o.sv = o.c.Next()
	}
	return o.current()
}

// current moves the stored side past skipped entries and returns the
// smaller of the two sides' entries.
func (o *overlayCursor) current() ([]byte, []byte) {
	for o.sk != nil && o.skip != nil && o.skip(o.sk, o.sv) {
		o.sk, o.sv = o.c.Next()
	}
	if o.i < len(o.extra) && (o.sk == nil || bytes.Compare(o.extra[o.i].k, o.sk) < 0) {
		return o.extra[o.i].k, o.extra[o.i].v
	}
	return o.sk, o.sv
}

// addPending lists a logged change as pending.
func (ub *userBuckets) addPending(key LogKey, card string) error {
	return ub.putPending(append(slices.Clip(ub.pendingRefs), pendingRef{key, cardHash(card)}))
}

// dropPending removes the entry at index i from the pending list.
func (ub *userBuckets) dropPending(i int) error {
	return ub.putPending(slices.Delete(slices.Clone(ub.pendingRefs), i, i+1))
}
