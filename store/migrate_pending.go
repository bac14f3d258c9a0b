package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Schemas 3 and 4 deferred each rating's writes: a rating committed only
// its log entry, into a list on the user's own page, and the log, the
// state and the indexes caught up ("settled") when the list filled or a
// session ended, while every reader laid the list over what it read. It
// saved about 0.2 ms a rating, which nobody can see (bench/RESULTS.md,
// issue #12), so schema 5 writes all of a rating in its own transaction.
// A session that was killed, or whose settle found the file busy, left
// entries in the lists: the upgrades below keep every one.

// kPending is the list's key in each user's bucket: per entry its
// log key, the length of the encoded entry (uvarint) and the entry
// (encodeEntry), oldest first.
var kPending = []byte("pending")

// pendingRec is one entry of a pending list.
type pendingRec struct {
	key  LogKey
	raw  []byte
	card []byte // peeked from raw
}

// parsePending decodes a pending list, returning the entries
// before the first damaged one along with the error.
func parsePending(v []byte) ([]pendingRec, error) {
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
		r.raw, v = bytes.Clone(v[:n]), v[n:]
		if r.card = entryCard(r.raw); r.card == nil {
			return recs, fmt.Errorf("%w: entry %s does not decode", ErrBadRecord, r.key)
		}
		recs = append(recs, r)
	}
	return recs, nil
}

// foldPending moves each user's pending entries into the log and drops
// the lists, for upgradeV4, whose rebuild then replays them with the rest
// of the log. A damaged list gives up what follows the damage, as
// `srs doctor --rebuild` did: those bytes name no rating anything could
// read.
func foldPending(tx *bolt.Tx) error {
	return forEachUser(tx, func(name string, u *bolt.Bucket) error {
		v := u.Get(kPending)
		if v == nil {
			return nil
		}
		log := u.Bucket(bLog)
		if log == nil {
			return fmt.Errorf("user %q: %w: missing bucket", name, ErrBadRecord)
		}
		recs, _ := parsePending(v)
		for _, r := range recs {
			if err := log.Put(r.key[:], r.raw); err != nil {
				return err
			}
		}
		return u.Delete(kPending)
	})
}

// upgradeV5 (schema 4 to 5) settles each user's pending list as schema-4
// srs did: oldest first, each entry into the log and applied to its
// card's state and indexes. A damaged list gives up what follows the
// damage, as foldPending does.
func upgradeV5(tx *bolt.Tx, _ time.Time) error {
	return forEachUser(tx, func(name string, u *bolt.Bucket) error {
		v := u.Get(kPending)
		if v == nil {
			return nil
		}
		ub, err := openUser(tx, name)
		if err != nil {
			return err
		}
		recs, _ := parsePending(v)
		for _, r := range recs {
			e, err := decodeEntry(r.key[:], r.raw)
			if err != nil {
				break // damaged: what follows is given up
			}
			if err := ub.setState(tx, e.Card, e.Before, e.HadState, e.After, true); err != nil {
				return fmt.Errorf("user %q pending rating %s: %w", name, r.key, err)
			}
			if err := ub.log.Put(r.key[:], r.raw); err != nil {
				return err
			}
		}
		return u.Delete(kPending)
	})
}
