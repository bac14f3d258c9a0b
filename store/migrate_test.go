package store

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"srs/fsrs"
)

var updateSchema1 = flag.Bool("update-schema1", false, "rewrite testdata/schema1.db")

// writeSchema1 makes a database in the first schema's layout: schema 2
// only gave due-index entries their values, so a schema-2 database with
// empty ones, marked schema 1, is what schema-1 srs wrote.
func writeSchema1(t *testing.T, path string) {
	s, err := Open(path, Options{Now: t0})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	s = busyStoreAt(t, path)
	err = s.db.Update(func(tx *bolt.Tx) error {
		if err := tx.Bucket(bMeta).Put(kSchema, u64(1)); err != nil {
			return err
		}
		users := tx.Bucket(bUsers)
		return users.ForEachBucket(func(name []byte) error {
			due := users.Bucket(name).Bucket(bDue)
			var keys [][]byte
			due.ForEach(func(k, _ []byte) error { keys = append(keys, append([]byte(nil), k...)); return nil })
			for _, k := range keys {
				if err := due.Put(k, nil); err != nil {
					return err
				}
			}
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
}

// busyStoreAt fills the database at path like busyStore.
func busyStoreAt(t *testing.T, path string) *Store {
	s, err := Open(path, Options{Now: t0})
	if err != nil {
		t.Fatal(err)
	}
	fill(t, s)
	return s
}

func TestMigrateSchema1(t *testing.T) {
	fixture := filepath.Join("testdata", "schema1.db")
	if *updateSchema1 {
		os.Remove(fixture)
		writeSchema1(t, fixture)
	}
	// Work on a copy: opening upgrades the file.
	path := filepath.Join(t.TempDir(), "old.db")
	copyFile(t, fixture, path)
	s, err := Open(path, Options{Now: t0})
	if err != nil {
		t.Fatalf("schema-1 database does not open: %v", err)
	}
	defer s.Close()
	r, err := s.Check()
	if err != nil {
		t.Fatal(err)
	}
	if r.Schema != SchemaVersion || len(r.Problems) != 0 || r.Entries == 0 {
		t.Fatalf("after upgrade: %+v", r)
	}
	// Schema 3 moved the users to the top level, history and all.
	s.db.View(func(tx *bolt.Tx) error {
		if tx.Bucket(bUsers) != nil || userBucket(tx, "ann") == nil || userBucket(tx, "bob") == nil {
			t.Error("users not moved to the top level")
		}
		return nil
	})
	if users, _ := s.Users(); fmt.Sprint(users) != "[ann bob]" {
		t.Fatalf("users after upgrade: %v", users)
	}
	// The upgraded due index serves the queue, siblings and all.
	if st, err := s.Status("ann", t0.Add(300*24*time.Hour)); err != nil || st.Total.Review == 0 {
		t.Fatalf("status after upgrade: %+v %v", st, err)
	}
	// Reviews go on in the upgraded file.
	q := queue(t, s, "ann", t0.Add(300*24*time.Hour), QueueOptions{})
	if len(q.Items) == 0 {
		t.Fatal("nothing due in the upgraded database")
	}
	rate(t, s, "ann", q.Items[0], t0.Add(300*24*time.Hour), fsrs.Good)
	if r, _ := s.Check(); len(r.Problems) != 0 {
		t.Fatalf("after a rating: %v", r.Problems)
	}
}

func copyFile(t *testing.T, from, to string) {
	in, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
}
