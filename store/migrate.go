package store

import (
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// SchemaVersion is the layout this binary reads and writes. Each change to
// the layout bumps it and appends a migration below.
const SchemaVersion = 3

// migrations[v] upgrades a database at schema v to v+1. Each runs inside the
// single transaction migrate opens, so an upgrade applies whole or not at
// all.
var migrations = []func(tx *bolt.Tx, now time.Time) error{
	0: createV1,
	1: upgradeV2,
	2: upgradeV3,
}

// migrate brings a database from schema from up to SchemaVersion.
func migrate(tx *bolt.Tx, from uint64, now time.Time) error {
	for v := from; v < SchemaVersion; v++ {
		if err := migrations[v](tx, now); err != nil {
			return fmt.Errorf("migrate schema %d to %d: %w", v, v+1, err)
		}
	}
	meta := tx.Bucket(bMeta)
	return meta.Put(kSchema, u64(SchemaVersion))
}

// createV1 lays out an empty database.
func createV1(tx *bolt.Tx, now time.Time) error {
	meta, err := tx.CreateBucketIfNotExists(bMeta)
	if err != nil {
		return err
	}
	for _, b := range [][]byte{bDecks, bCards, bText, bUsers} {
		if _, err := tx.CreateBucketIfNotExists(b); err != nil {
			return err
		}
	}
	if err := meta.Put(kApp, appName); err != nil {
		return err
	}
	if err := meta.Put(kCreated, []byte(now.UTC().Format(time.RFC3339))); err != nil {
		return err
	}
	return meta.Put(kNextPos, u64(1))
}

// upgradeV2 (schema 1 to 2) writes each due-index entry's value
// (dueEntry), so the queue can count and order due cards without reading
// their states and cards.
func upgradeV2(tx *bolt.Tx, _ time.Time) error {
	users := tx.Bucket(bUsers)
	return users.ForEachBucket(func(name []byte) error {
		u := users.Bucket(name)
		due := u.Bucket(bDue)
		if due == nil {
			return fmt.Errorf("user %q: %w: missing bucket", name, ErrBadRecord)
		}
		type entry struct{ k, v []byte }
		var fix []entry
		if err := due.ForEach(func(k, _ []byte) error {
			_, card, ok := parseDueKey(k)
			if !ok {
				return fmt.Errorf("user %q due index: %w", name, ErrBadRecord)
			}
			m, ok, err := getMeta(tx, card)
			if err != nil || !ok {
				return err
			}
			v := u.Bucket(bState).Get([]byte(card))
			if v == nil {
				return fmt.Errorf("user %q due index lists %s without a state: %w", name, showKey([]byte(card)), ErrBadRecord)
			}
			st, err := decodeState(v)
			if err != nil {
				return err
			}
			fix = append(fix, entry{append([]byte(nil), k...), encodeDue(newDueEntry(st, m.Parent))})
			return nil
		}); err != nil {
			return err
		}
		for _, f := range fix {
			if err := due.Put(f.k, f.v); err != nil {
				return err
			}
		}
		return nil
	})
}

// upgradeV3 (schema 2 to 3) changes no data: schema 3 adds each user's
// pending list (pending.go), which a schema-2 srs would ignore, showing
// states that lag behind the log. The version bump makes such an srs
// refuse the file instead.
func upgradeV3(*bolt.Tx, time.Time) error { return nil }
