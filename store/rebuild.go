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
	if err := clearBucket(ub.state); err != nil {
		return err
	}
	if err := clearBucket(ub.due); err != nil {
		return err
	}
	if err := clearBucket(ub.new); err != nil {
		return err
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

// clearBucket deletes every key of b.
func clearBucket(b *bolt.Bucket) error {
	c := b.Cursor()
	for k, _ := c.First(); k != nil; k, _ = c.First() {
		if err := c.Delete(); err != nil {
			return err
		}
	}
	return nil
}
