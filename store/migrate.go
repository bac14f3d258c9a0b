package store

import (
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// SchemaVersion is the layout this binary reads and writes. Each change to
// the layout bumps it and appends a migration below.
const SchemaVersion = 1

// migrations[v] upgrades a database at schema v to v+1. Each runs inside the
// single transaction migrate opens, so an upgrade applies whole or not at
// all.
var migrations = []func(tx *bolt.Tx, now time.Time) error{
	0: createV1,
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
