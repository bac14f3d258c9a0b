package store

import (
	"bytes"
	"encoding/binary"
	"path/filepath"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// pendingBytes encodes a schema-3 pending list.
func pendingBytes(recs []pendingRec) []byte {
	var v []byte
	for _, r := range recs {
		v = append(v, r.key[:]...)
		v = binary.AppendUvarint(v, uint64(len(r.raw)))
		v = append(v, r.raw...)
	}
	return v
}

// schema3Pending is testdata/schema3-pending.db: pendingScript run by the
// last schema-3 srs (its Settle as settle) and compacted, the users' last
// ratings still in their pending lists. It is a frozen file: nothing
// writes schema 3 now.
const schema3Pending = "testdata/schema3-pending.db"

// schema4Pending is the same, made by the last schema-4 srs.
const schema4Pending = "testdata/schema4-pending.db"

// rawPending reads each user's pending list and log size from a file
// without upgrading it.
func rawPending(t *testing.T, path string) (lists map[string][]byte, logN map[string]int) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	lists, logN = map[string][]byte{}, map[string]int{}
	db.View(func(tx *bolt.Tx) error {
		return forEachUser(tx, func(name string, u *bolt.Bucket) error {
			lists[name] = bytes.Clone(u.Get(kPending))
			logN[name] = u.Bucket(bLog).Stats().KeyN
			return nil
		})
	})
	return lists, logN
}

// TestUpgradeSettlesPendingRatings: opening a schema-4 database whose
// users have ratings in their pending lists moves every one of them into
// the log and applies it, leaving each user exactly as a database that
// wrote the same ratings directly.
func TestUpgradeSettlesPendingRatings(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	copyFile(t, schema4Pending, path)
	lists, logN := rawPending(t, path)
	want := map[string][]pendingRec{}
	for _, u := range []string{"ann", "bob"} {
		recs, err := parsePending(lists[u])
		if err != nil || len(recs) == 0 {
			t.Fatalf("fixture: %s's pending list: %d entries, %v", u, len(recs), err)
		}
		want[u] = recs
	}
	var upgraded []uint64
	s, err := Open(path, Options{Now: t0, Upgrading: func(from, to uint64) { upgraded = append(upgraded, from, to) }})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if len(upgraded) != 2 || upgraded[0] != 4 || upgraded[1] != SchemaVersion {
		t.Fatalf("upgrade reported %v, want [4 %d]", upgraded, SchemaVersion)
	}
	r, err := s.Check()
	if err != nil || len(r.Problems) != 0 || r.Schema != SchemaVersion {
		t.Fatalf("after upgrade: %v %+v", err, r)
	}
	s.db.View(func(tx *bolt.Tx) error {
		for u, recs := range want {
			ub, err := openUser(tx, u)
			if err != nil {
				t.Fatal(err)
			}
			if ub.user.Get(kPending) != nil {
				t.Errorf("%s still has a pending list", u)
			}
			if n := ub.log.Stats().KeyN; n != logN[u]+len(recs) {
				t.Errorf("%s: %d log entries, want %d settled + %d pending", u, n, logN[u], len(recs))
			}
			for _, rec := range recs {
				if v := ub.log.Get(rec.key[:]); !bytes.Equal(v, rec.raw) {
					t.Errorf("%s: pending entry %s is not in the log as it was", u, rec.key)
				}
			}
		}
		return nil
	})
	// The same history written by this srs, rating by rating.
	ref := openTemp(t)
	pendingScript(t, ref, func() {})
	for _, u := range []string{"ann", "bob"} {
		if a, b := dump(t, s, u), dump(t, ref, u); !sameDump(a, b) {
			t.Errorf("%s after the upgrade differs from the same ratings written directly:\n%v\n%v", u, a, b)
		}
	}
}

// TestUpgradeDamagedPendingList: a pending list whose last entry is cut
// short keeps the entries before it, as `doctor --rebuild` of schemas 3
// and 4 did, and the upgraded file is consistent.
func TestUpgradeDamagedPendingList(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	copyFile(t, schema4Pending, path)
	lists, logN := rawPending(t, path)
	recs, _ := parsePending(lists["ann"])
	cut := lists["ann"][:len(lists["ann"])-5]
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Update(func(tx *bolt.Tx) error { return userBucket(tx, "ann").Put(kPending, cut) }); err != nil {
		t.Fatal(err)
	}
	db.Close()
	s, err := Open(path, Options{Now: t0})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	r, err := s.Check()
	if err != nil || len(r.Problems) != 0 {
		t.Fatalf("after upgrade: %v %+v", err, r)
	}
	s.db.View(func(tx *bolt.Tx) error {
		log := userBucket(tx, "ann").Bucket(bLog)
		if n := log.Stats().KeyN; n != logN["ann"]+len(recs)-1 {
			t.Errorf("ann: %d log entries, want %d + %d before the damage", n, logN["ann"], len(recs)-1)
		}
		if log.Get(recs[len(recs)-1].key[:]) != nil {
			t.Error("the damaged entry made it into the log")
		}
		if userBucket(tx, "ann").Get(kPending) != nil {
			t.Error("the damaged list is still there")
		}
		return nil
	})
}

// TestUpgradeFoldsSchema3PendingLists: from schema 3, the pending ratings
// join the log before the upgrade to 4 replays it under that schema's
// rules, so every one of them is kept, with the results those rules give.
func TestUpgradeFoldsSchema3PendingLists(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	copyFile(t, schema3Pending, path)
	lists, logN := rawPending(t, path)
	s, err := Open(path, Options{Now: t0})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	r, err := s.Check()
	if err != nil || len(r.Problems) != 0 || r.Schema != SchemaVersion {
		t.Fatalf("after upgrade: %v %+v", err, r)
	}
	s.db.View(func(tx *bolt.Tx) error {
		for _, u := range []string{"ann", "bob"} {
			recs, err := parsePending(lists[u])
			if err != nil || len(recs) == 0 {
				t.Fatalf("fixture: %s's pending list: %d entries, %v", u, len(recs), err)
			}
			ub, err := openUser(tx, u)
			if err != nil {
				t.Fatal(err)
			}
			if ub.user.Get(kPending) != nil {
				t.Errorf("%s still has a pending list", u)
			}
			if n := ub.log.Stats().KeyN; n != logN[u]+len(recs) {
				t.Errorf("%s: %d log entries, want %d settled + %d pending", u, n, logN[u], len(recs))
			}
			for _, rec := range recs {
				was, _ := decodeEntry(rec.key[:], rec.raw)
				v := ub.log.Get(rec.key[:])
				if v == nil {
					t.Errorf("%s: pending entry %s is not in the log", u, rec.key)
					continue
				}
				now, err := decodeEntry(rec.key[:], v)
				if err != nil || now.Card != was.Card || now.Action != was.Action || now.Rating != was.Rating {
					t.Errorf("%s: entry %s is %+v in the log, was %+v (%v)", u, rec.key, now, was, err)
				}
			}
		}
		return nil
	})
}
