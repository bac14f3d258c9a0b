package store

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/srs-tool/srs/deck"
	"github.com/srs-tool/srs/fsrs"
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
		// and card records re-encoded from JSON.
		tx.Bucket(bCards).ForEach(func(k, v []byte) error {
			if v[0] != metaV1 || tx.Bucket(bText).Get(k)[0] != textV1 {
				t.Errorf("card %q not re-encoded", k)
			}
			return nil
		})
		return nil
	})
	// Schema 4 replayed the history under today's rules: a card due in
	// days is due from the start of one of the user's days.
	for _, u := range []string{"ann", "bob"} {
		settings, err := s.Settings(u)
		if err != nil {
			t.Fatal(err)
		}
		sched, err := fsrs.NewScheduler(settings)
		if err != nil {
			t.Fatal(err)
		}
		reviews := 0
		err = s.EachCardState(u, CardFilter{}, func(c StoredCard, st CardState, had bool) error {
			if had && st.State == fsrs.Review {
				reviews++
				if !sched.DayOf(st.Due).Start.Equal(st.Due) {
					t.Errorf("%s %s: due %s is not the start of a day", u, c.Key(), st.Due)
				}
			}
			return nil
		})
		if err != nil || reviews == 0 {
			t.Fatalf("%s: %d review cards, %v", u, reviews, err)
		}
	}
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

// TestCompactAfterUpgrade: an upgrade that leaves many pages free (as
// upgradeV3's re-encoding does) is followed by a compaction, and nothing
// is lost.
func TestCompactAfterUpgrade(t *testing.T) {
	path := filepath.Join(t.TempDir(), "srs.db")
	s, err := Open(path, Options{Now: t0})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { s.Close() }()
	utcUser(t, s, "ann")
	big := strings.Repeat("An answer long enough to fill pages. ", 300)
	var cards []deck.Card
	for i := range 2000 {
		cards = append(cards, deck.Card{ID: fmt.Sprintf("c%04d", i), Back: big})
	}
	mustImport(t, s, testDeck("d", cards...))
	rate(t, s, "ann", queue(t, s, "ann", t0, QueueOptions{}).Items[0], t0, fsrs.Good)
	for i := range cards {
		cards[i].Back = "short"
	}
	mustImport(t, s, testDeck("d", cards...))
	st := s.db.Stats()
	if st.FreePageN+st.PendingPageN < compactMinFree {
		t.Fatalf("setup left only %d free pages", st.FreePageN+st.PendingPageN)
	}
	before, _ := os.Stat(path)
	if err := s.compactAfterUpgrade(Options{Now: t0}); err != nil {
		t.Fatal(err)
	}
	after, _ := os.Stat(path)
	if after.Size() >= before.Size()/2 {
		t.Fatalf("file %d bytes before, %d after", before.Size(), after.Size())
	}
	if st := s.db.Stats(); st.FreePageN+st.PendingPageN > 100 {
		t.Fatalf("%d free pages after compaction", st.FreePageN+st.PendingPageN)
	}
	r, err := s.Check()
	if err != nil || len(r.Problems) != 0 || r.Cards != 2000 || r.Entries != 1 {
		t.Fatalf("after compaction: %v %+v", err, r)
	}
	if _, err := os.Stat(path + ".compacting"); !os.IsNotExist(err) {
		t.Fatalf("temporary file left: %v", err)
	}
}
