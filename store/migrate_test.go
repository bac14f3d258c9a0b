package store

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/srs-tool/srs/deck"
	"github.com/srs-tool/srs/fsrs"
)

var updateSchema1 = flag.Bool("update-schema1", false, "rewrite testdata/schema1.db")

// writeSchema1 makes a database in the first schema's layout from one in
// today's: card records back to JSON (schema 3 made them binary), each
// user's bucket back under users/ (schema 3 moved it to the top level),
// and the due-index values emptied (schema 2 gave them values).
func writeSchema1(t *testing.T, path string) {
	s := busyStoreAt(t, path)
	defer s.Close()
	users := []string{"ann", "bob"}
	err := s.db.Update(func(tx *bolt.Tx) error {
		if err := reencode(tx.Bucket(bCards), func(v []byte) ([]byte, error) {
			m, err := decodeMetaValue(v)
			if err != nil {
				return nil, err
			}
			return json.Marshal(m)
		}); err != nil {
			return err
		}
		if err := reencode(tx.Bucket(bText), func(v []byte) ([]byte, error) {
			t, err := decodeTextValue(v)
			if err != nil {
				return nil, err
			}
			return json.Marshal(t)
		}); err != nil {
			return err
		}
		all, err := tx.CreateBucket(bUsers)
		if err != nil {
			return err
		}
		for _, name := range users {
			src := userBucket(tx, name)
			dst, err := all.CreateBucket([]byte(name))
			if err != nil {
				return err
			}
			for _, sub := range [][]byte{bSettings, bState, bDue, bNew, bLog} {
				if err := tx.MoveBucket(sub, src, dst); err != nil {
					return fmt.Errorf("user %s bucket %s: %w", name, sub, err)
				}
			}
			if err := tx.DeleteBucket(userKey(name)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// A second transaction: changes made to a bucket in the transaction
	// that moves it are lost (see migrations).
	err = s.db.Update(func(tx *bolt.Tx) error {
		if err := tx.Bucket(bMeta).Put(kSchema, u64(1)); err != nil {
			return err
		}
		all := tx.Bucket(bUsers)
		return all.ForEachBucket(func(name []byte) error {
			due := all.Bucket(name).Bucket(bDue)
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

// TestMigrateSchema1 upgrades the frozen schema-1 file, and one
// writeSchema1 makes now, so that -update-schema1 keeps working.
func TestMigrateSchema1(t *testing.T) {
	fixture := filepath.Join("testdata", "schema1.db")
	if *updateSchema1 {
		os.Remove(fixture)
		writeSchema1(t, fixture)
	}
	written := filepath.Join(t.TempDir(), "schema1.db")
	writeSchema1(t, written)
	for name, file := range map[string]string{"frozen": fixture, "written": written} {
		t.Run(name, func(t *testing.T) { testMigrateSchema1(t, file) })
	}
}

func testMigrateSchema1(t *testing.T, fixture string) {
	db, err := bolt.Open(fixture, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bMeta).Get(kSchema)
		_, v0 := tx.Bucket(bCards).Cursor().First()
		if string(v) != string(u64(1)) || tx.Bucket(bUsers) == nil || len(v0) == 0 || v0[0] != '{' {
			t.Errorf("not a schema-1 layout: schema %x, users bucket %v, first card %.20q", v, tx.Bucket(bUsers) != nil, v0)
		}
		return nil
	})
	db.Close()
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
	// The upgraded due index lists review cards, and reviews go on in
	// the upgraded file.
	q := ready(t, s, "ann", t0.Add(300*24*time.Hour), "")
	if len(q) == 0 || !slices.ContainsFunc(q, func(it item) bool { return it.State.State == fsrs.Review }) {
		t.Fatalf("no review card due in the upgraded database: %q", ids(q))
	}
	rate(t, s, "ann", q[0], t0.Add(300*24*time.Hour), fsrs.Good)
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

// bloatedStore is a store whose file has many free pages, as an upgrade
// leaves it, with 2000 cards and one review by ann.
func bloatedStore(t *testing.T) *Store {
	t.Helper()
	path := filepath.Join(t.TempDir(), "srs.db")
	s, err := Open(path, Options{Now: t0})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	utcUser(t, s, "ann")
	big := strings.Repeat("An answer long enough to fill pages. ", 300)
	var cards []deck.Card
	for i := range 2000 {
		cards = append(cards, deck.Card{ID: fmt.Sprintf("c%04d", i), Back: big})
	}
	mustImport(t, s, testDeck("d", cards...))
	rate(t, s, "ann", ready(t, s, "ann", t0, "")[0], t0, fsrs.Good)
	for i := range cards {
		cards[i].Back = "short"
	}
	mustImport(t, s, testDeck("d", cards...))
	st := s.db.Stats()
	if st.FreePageN+st.PendingPageN < compactMinFree {
		t.Fatalf("setup left only %d free pages", st.FreePageN+st.PendingPageN)
	}
	return s
}

// TestCompactAfterUpgrade: an upgrade that leaves many pages free (as
// upgradeV3's re-encoding does) is followed by a compaction, and nothing
// is lost.
func TestCompactAfterUpgrade(t *testing.T) {
	s := bloatedStore(t)
	path := s.Path()
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
	if left := tempFiles(t, filepath.Dir(path)); len(left) > 0 {
		t.Fatalf("temporary files left: %v", left)
	}
}
