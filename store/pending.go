package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"slices"

	bolt "go.etcd.io/bbolt"
)

// A rating commits its log entry and nothing else, and not even into the
// log's B-tree: it goes into the user's pending list, a value on the
// user's own page. Writing the state, moving the due-index entry and
// appending to the log would touch three B-trees at scattered pages:
// measured, a synced rating wrote 17 pages where the pending list needs 4
// (the user's page, the root, the freelist and the meta), and took twice a
// bare bbolt commit. The entries move into the log, and the states and
// indexes catch up ("settle"), in one transaction later, many cards at a
// time, where they share pages.
//
// Until then, readers lay the pending entries over what is stored:
// getState returns a card's newest pending state, the queue walks the due
// and new indexes through overlayCursor, and the log's readers walk the
// log and the list together (logCursor). Everything else that reads or
// writes states, indexes or the log settles first (Stats, Check, EachEntry,
// import, rebuild). The log together with the list is the source of
// truth; a crash leaves the list to the next command.

// The list is settled before it would hold more than maxPending entries
// or maxPendingBytes, so that it fits on the user's page with the
// sub-bucket headers (an entry is about 110 bytes).
const (
	maxPending      = 64
	maxPendingBytes = 2560
)

// pendingRec is one entry of the pending list as stored: its log key,
// the encoded entry (encodeEntry) and, peeked from it, its card key.
type pendingRec struct {
	key  LogKey
	raw  []byte
	card []byte
}

// pendingCard is what the pending entries make of one card, for the
// index overlay.
type pendingCard struct {
	now  CardState // after the newest pending entry
	meta cardMeta
}

// loadPending reads the user's pending list: for each entry, the log key,
// the length of the encoded entry (uvarint) and the entry. The overlay of
// the indexes is built only when a cursor needs it (pendingCards).
func (ub *userBuckets) loadPending() error {
	ub.pendingRecs, ub.pending = nil, nil
	recs, err := parsePending(ub.user.Get(kPending))
	if err != nil {
		return fmt.Errorf("user %q pending list: %w (srs doctor --rebuild repairs it)", ub.name, err)
	}
	ub.pendingRecs = recs
	return nil
}

// parsePending decodes a pending list, returning the entries before the
// first damaged one along with the error.
func parsePending(v []byte) ([]pendingRec, error) {
	v = bytes.Clone(v) // outlives the value's page when the list is rewritten
	var recs []pendingRec
	for len(v) > 0 {
		var r pendingRec
		if len(v) < len(r.key) {
			return recs, fmt.Errorf("%w: truncated", ErrBadRecord)
		}
		copy(r.key[:], v)
		n, w := binary.Uvarint(v[len(r.key):])
		if w <= 0 || n > uint64(len(v)-len(r.key)-w) {
			return recs, fmt.Errorf("%w: entry %s truncated", ErrBadRecord, r.key)
		}
		v = v[len(r.key)+w:]
		r.raw, v = v[:n:n], v[n:]
		if r.card = entryCard(r.raw); r.card == nil {
			return recs, fmt.Errorf("%w: entry %s does not decode", ErrBadRecord, r.key)
		}
		recs = append(recs, r)
	}
	return recs, nil
}

// putPending writes the pending list.
func (ub *userBuckets) putPending(recs []pendingRec) error {
	ub.pendingRecs, ub.pending = recs, nil
	if len(recs) == 0 {
		return ub.user.Delete(kPending)
	}
	return ub.user.Put(kPending, pendingBytes(recs))
}

func pendingBytes(recs []pendingRec) []byte {
	var v []byte
	for _, r := range recs {
		v = append(v, r.key[:]...)
		v = binary.AppendUvarint(v, uint64(len(r.raw)))
		v = append(v, r.raw...)
	}
	return v
}

// entry reads one log entry, pending or in the log.
func (ub *userBuckets) entry(k LogKey) (Entry, error) {
	for _, r := range ub.pendingRecs {
		if r.key == k {
			return decodeEntry(k[:], r.raw)
		}
	}
	v := ub.log.Get(k[:])
	if v == nil {
		return Entry{}, fmt.Errorf("log entry %s: not found", k)
	}
	return decodeEntry(k[:], v)
}

// latestPending is the newest pending entry for card, at index i of the
// list; i is -1 when the card has none.
func (ub *userBuckets) latestPending(card string) (e Entry, i int, err error) {
	for i := len(ub.pendingRecs) - 1; i >= 0; i-- {
		if r := ub.pendingRecs[i]; string(r.card) == card {
			e, err = decodeEntry(r.key[:], r.raw)
			return e, i, err
		}
	}
	return Entry{}, -1, nil
}

// pendingCards builds the index overlay: each pending card's newest state.
func (ub *userBuckets) pendingCards(tx *bolt.Tx) (map[string]*pendingCard, error) {
	if ub.pending != nil || len(ub.pendingRecs) == 0 {
		return ub.pending, nil
	}
	m := map[string]*pendingCard{}
	for _, r := range ub.pendingRecs {
		e, err := decodeEntry(r.key[:], r.raw)
		if err != nil {
			return nil, fmt.Errorf("user %q pending entry %s: %w", ub.name, r.key, err)
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

// settle moves the pending entries into the log and applies them to the
// states and indexes, oldest first, exactly as Record once did one at a
// time.
func (ub *userBuckets) settle(tx *bolt.Tx) error {
	if len(ub.pendingRecs) == 0 {
		return nil
	}
	for _, r := range ub.pendingRecs {
		e, err := decodeEntry(r.key[:], r.raw)
		if err != nil {
			return fmt.Errorf("user %q pending entry %s: %w", ub.name, r.key, err)
		}
		if err := ub.setState(tx, e.Card, e.Before, e.HadState, e.After, true); err != nil {
			return fmt.Errorf("user %q settle log entry %s: %w", ub.name, r.key, err)
		}
		if err := ub.log.Put(r.key[:], r.raw); err != nil {
			return err
		}
	}
	return ub.putPending(nil)
}

// Settle moves a user's pending entries into the log and applies them to
// the card states and indexes. Readers do not need it (they see pending
// entries); a review session calls it as it ends, so the next command
// starts from settled states.
func (s *Store) Settle(user string) error {
	return s.settle(user)
}

// Pending reports how many of a user's logged changes wait to be settled.
func (s *Store) Pending(user string) (int, error) {
	n := 0
	err := s.db.View(func(tx *bolt.Tx) error {
		if u := userBucket(tx, user); u != nil {
			recs, err := parsePending(u.Get(kPending))
			n = len(recs)
			return err
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

// addPending lists a logged entry as pending.
func (ub *userBuckets) addPending(key LogKey, raw []byte) error {
	return ub.putPending(append(slices.Clip(ub.pendingRecs), pendingRec{key: key, raw: raw, card: entryCard(raw)}))
}

// pendingFull reports whether an entry of n bytes must wait for a settle.
func (ub *userBuckets) pendingFull(n int) bool {
	size := n + 16
	for _, r := range ub.pendingRecs {
		size += len(r.raw) + 16
	}
	return len(ub.pendingRecs) >= maxPending || size > maxPendingBytes
}

// dropPending removes the entry at index i from the pending list.
func (ub *userBuckets) dropPending(i int) error {
	return ub.putPending(slices.Delete(slices.Clone(ub.pendingRecs), i, i+1))
}

// logCursor walks the log with the pending entries merged in, in key
// order, forward only.
func (ub *userBuckets) logCursor() *overlayCursor {
	extra := make([]kv, 0, len(ub.pendingRecs))
	for _, r := range ub.pendingRecs {
		extra = append(extra, kv{r.key[:], r.raw})
	}
	slices.SortFunc(extra, func(a, b kv) int { return bytes.Compare(a.k, b.k) })
	return &overlayCursor{c: ub.log.Cursor(), extra: extra}
}

// lastLogKey is the newest key in the log or the pending list, nil if
// there is none.
func (ub *userBuckets) lastLogKey() []byte {
	last, _ := ub.log.Cursor().Last()
	for _, r := range ub.pendingRecs {
		if bytes.Compare(r.key[:], last) > 0 {
			last = r.key[:]
		}
	}
	return last
}
