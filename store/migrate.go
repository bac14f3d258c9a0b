package store

import (
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// SchemaVersion is the layout this binary reads and writes. Each change to
// the layout bumps it and appends a migration below.
const SchemaVersion = 6

// migrations[v] upgrades a database at schema v to v+1, each in a
// transaction of its own that also records the new version: an upgrade
// step applies whole or not at all, and a crash between steps leaves a
// database at the earlier version, which the next open carries on from.
// (One transaction for all steps would not do: bbolt's MoveBucket, which
// upgradeV3 uses, would drop changes an earlier step made to the moved
// buckets in the same transaction.)
var migrations = []func(tx *bolt.Tx, now time.Time) error{
	0: createV1,
	1: upgradeV2,
	2: upgradeV3,
	3: upgradeV4,
	4: upgradeV5,
	5: upgradeV6,
}

// migrate brings a database from schema from up to SchemaVersion.
func migrate(db *db, from uint64, now time.Time) error {
	for v := from; v < SchemaVersion; v++ {
		err := db.Update(func(tx *bolt.Tx) error {
			if err := migrations[v](tx, now); err != nil {
				return err
			}
			return tx.Bucket(bMeta).Put(kSchema, u64(v+1))
		})
		if err != nil {
			return fmt.Errorf("migrate schema %d to %d: %w", v, v+1, err)
		}
	}
	return nil
}

// createV1 lays out an empty database.
func createV1(tx *bolt.Tx, now time.Time) error {
	meta, err := tx.CreateBucketIfNotExists(bMeta)
	if err != nil {
		return err
	}
	// bUsers held the users until schema 3 (upgradeV3).
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

// upgradeV3 (schema 2 to 3) moves each user's bucket from users/<name> to
// the top level as user\x00<name> (a page less per rating), moving the
// sub-buckets by reference rather than copying them, and re-encodes the
// card records from JSON to binary (codec_card.go). Schema 3 also added
// each user's pending list (migrate_pending.go), which a schema-2 srs would
// have ignored, showing states that lag behind the log: the version bump
// made such an srs refuse the file.
func upgradeV3(tx *bolt.Tx, _ time.Time) error {
	if err := reencode(tx.Bucket(bCards), func(v []byte) ([]byte, error) {
		m, err := decodeMetaValue(v)
		return encodeMeta(m), err
	}); err != nil {
		return fmt.Errorf("cards: %w", err)
	}
	if err := reencode(tx.Bucket(bText), func(v []byte) ([]byte, error) {
		t, err := decodeTextValue(v)
		return encodeText(t), err
	}); err != nil {
		return fmt.Errorf("card texts: %w", err)
	}
	users := tx.Bucket(bUsers)
	var names [][]byte
	if err := users.ForEachBucket(func(k []byte) error {
		names = append(names, append([]byte(nil), k...))
		return nil
	}); err != nil {
		return err
	}
	for _, name := range names {
		src := users.Bucket(name)
		dst, err := tx.CreateBucket(userKey(string(name)))
		if err != nil {
			return fmt.Errorf("user %q: %w", name, err)
		}
		for _, sub := range [][]byte{bSettings, bState, bDue, bNew, bLog} {
			if err := tx.MoveBucket(sub, src, dst); err != nil {
				return fmt.Errorf("user %q bucket %s: %w", name, sub, err)
			}
		}
	}
	return tx.DeleteBucket(bUsers)
}

// upgradeV4 (schema 3 to 4) replays every user's log under the scheduling
// rules of schema 4 (fsrs): a card due in N days is due from the start of
// the user's day N days on, not N×24h after the review, and Easy on a
// learning card is at least a day longer than Good. The layout is
// unchanged; the states, indexes and the results the log records are
// recomputed from its times and ratings, as Rebuild does, so the doctor's
// replay check holds; the users' pending ratings join the log first, so
// they are replayed too (migrate_pending.go). The bump makes a schema-3
// srs, which would record results under the old rules, refuse the file.
func upgradeV4(tx *bolt.Tx, _ time.Time) error {
	if err := foldPending(tx); err != nil {
		return err
	}
	var res RebuildResult
	return rebuildAll(tx, &res)
}

// upgradeV6 (schema 5 to 6) changes nothing stored: schema 6 adds log
// entries of version 2 (entryV2, a flags field that marks a mock
// interview's ratings), and every entry schema 5 wrote still reads as
// it is. The bump makes a schema-5 srs, which would stop at the first
// such entry in the middle of a command (status reads today's log),
// refuse the file as made by a newer srs instead.
func upgradeV6(*bolt.Tx, time.Time) error { return nil }

// reencode rewrites every value of b through conv, in key order (which
// keeps bbolt's node writes cheap).
func reencode(b *bolt.Bucket, conv func([]byte) ([]byte, error)) error {
	type kv struct{ k, v []byte }
	var out []kv
	if err := b.ForEach(func(k, v []byte) error {
		nv, err := conv(v)
		if err != nil {
			return fmt.Errorf("%s: %w", showKey(k), err)
		}
		out = append(out, kv{append([]byte(nil), k...), nv})
		return nil
	}); err != nil {
		return err
	}
	b.FillPercent = 0.9
	for _, e := range out {
		if err := b.Put(e.k, e.v); err != nil {
			return err
		}
	}
	return nil
}
