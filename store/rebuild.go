package store

import (
	"bytes"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// RebuildResult says what Rebuild changed.
type RebuildResult struct {
	Users   int `json:"users"`
	Entries int `json:"log_entries"`
	Fixed   int `json:"entries_fixed"` // entries whose recorded states were wrong
	States  int `json:"states"`
}

// Rebuild recomputes every user's card states and indexes from the review
// log, in one transaction. The log's times, cards, actions and ratings are
// the truth; the states an entry records are rewritten when replaying
// gives different ones.
func (s *Store) Rebuild() (RebuildResult, error) {
	var res RebuildResult
	// The log is rebuilt from, not the file: a file whose structure is
	// broken is refused, not written to.
	if err := s.Verify(); err != nil {
		return res, err
	}
	err := s.db.Update(func(tx *bolt.Tx) error { return rebuildAll(tx, &res) })
	return res, err
}

// rebuildAll is Rebuild within tx: upgradeV4 runs it too.
func rebuildAll(tx *bolt.Tx, res *RebuildResult) error {
	cards := map[string]cardMeta{}
	if err := tx.Bucket(bCards).ForEach(func(k, v []byte) error {
		m, err := decodeMeta(string(k), v)
		cards[string(k)] = m
		return err
	}); err != nil {
		return err
	}
	return forEachUser(tx, func(name string, _ *bolt.Bucket) error {
		res.Users++
		ub, err := openUser(tx, name)
		if err != nil {
			return err
		}
		return ub.rebuild(cards, res)
	})
}

func (ub *userBuckets) rebuild(cards map[string]cardMeta, res *RebuildResult) error {
	rp, err := newReplayer(ub)
	if err != nil {
		return err
	}
	type fix struct {
		key []byte
		val []byte
	}
	var fixes []fix
	err = ub.log.ForEach(func(k, v []byte) error {
		res.Entries++
		e, err := decodeEntry(k, v)
		if err != nil {
			return fmt.Errorf("user %q log entry %x: %w; it cannot be rebuilt", ub.name, k, err)
		}
		if _, ok := cards[e.Card]; !ok {
			return fmt.Errorf("user %q log entry %s is for card %s, which does not exist", ub.name, e.Key, showKey([]byte(e.Card)))
		}
		e.Before, e.HadState, e.After, err = rp.apply(e)
		if err != nil {
			return fmt.Errorf("user %q: %w", ub.name, err)
		}
		if nv := encodeEntry(e); !bytes.Equal(nv, v) {
			fixes = append(fixes, fix{append([]byte(nil), k...), nv})
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, f := range fixes {
		if err := ub.log.Put(f.key, f.val); err != nil {
			return err
		}
	}
	res.Fixed += len(fixes)
	// Dropped and made again rather than emptied key by key: deleting
	// through a cursor never ends on a bucket whose keys are out of
	// order, and the drop frees its pages whole.
	for _, b := range []struct {
		name []byte
		to   **bolt.Bucket
	}{{bState, &ub.state}, {bDue, &ub.due}, {bNew, &ub.new}} {
		if err := ub.user.DeleteBucket(b.name); err != nil {
			return err
		}
		nb, err := ub.user.CreateBucket(b.name)
		if err != nil {
			return err
		}
		*b.to = nb
	}
	for k, c := range cards {
		st, had := rp.states[k], rp.had[k]
		if had {
			if err := ub.state.Put([]byte(k), encodeState(st)); err != nil {
				return err
			}
			res.States++
		}
		if err := ub.index(c, st, had); err != nil {
			return err
		}
	}
	return nil
}

// clearBucket deletes every key of b: those it finds, then each by name,
// so that it ends even on a bucket whose keys are out of order.
func clearBucket(b *bolt.Bucket) error {
	var keys [][]byte
	if err := b.ForEach(func(k, _ []byte) error {
		keys = append(keys, append([]byte(nil), k...))
		return nil
	}); err != nil {
		return err
	}
	for _, k := range keys {
		if err := b.Delete(k); err != nil {
			return err
		}
	}
	return nil
}
