package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/srs-tool/srs/deck"
	"github.com/srs-tool/srs/fsrs"
)

// Card text damaged on disk (here: rewritten behind the store's back) no
// longer matches the card's fingerprint: doctor says so, and importing
// the deck again writes the card anew although the source is unchanged.
func TestDamagedTextFoundAndRepaired(t *testing.T) {
	s := openTemp(t)
	d := testDeck("d", deck.Card{ID: "a"}, deck.Card{ID: "b"}, deck.Card{ID: "c", Tags: []string{"x"}})
	mustImport(t, s, d)
	err := s.db.Update(func(tx *bolt.Tx) error {
		v := tx.Bucket(bText).Get([]byte(deck.Key("d", "b")))
		t, err := decodeTextValue(v)
		if err != nil {
			return err
		}
		t.Back = strings.Replace(t.Back, "of", "0f", 1) // one byte gone wrong
		return tx.Bucket(bText).Put([]byte(deck.Key("d", "b")), encodeText(t))
	})
	if err != nil {
		t.Fatal(err)
	}
	r, err := s.Check()
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Problems) != 1 || !strings.Contains(r.Problems[0].What, "card d/b: its text does not match its fingerprint") {
		t.Fatalf("damaged text: %v", r.Problems)
	}
	res := mustImport(t, s, d)
	if res.Updated != 1 || res.Unchanged != 2 {
		t.Fatalf("re-import over damaged text: %+v", res)
	}
	if r, _ := s.Check(); len(r.Problems) != 0 {
		t.Fatalf("after the re-import: %v", r.Problems)
	}
	c, err := s.Card("d", "b")
	if err != nil || c.Back != "Back of b" {
		t.Fatalf("repaired card: %+v %v", c, err)
	}
	// Damage in the card record's own fields is repaired the same way.
	err = s.db.Update(func(tx *bolt.Tx) error {
		m, _, err := getMeta(tx, deck.Key("d", "c"))
		m.Tags = []string{"y"}
		if err == nil {
			err = putMeta(tx, m)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if res := mustImport(t, s, d); res.Updated != 1 {
		t.Fatalf("re-import over a damaged card record: %+v", res)
	}
	if c, _ := s.Card("d", "c"); len(c.Tags) != 1 || c.Tags[0] != "x" {
		t.Fatalf("tags after repair: %q", c.Tags)
	}
}

// pageOf is the root page of a bucket reached through path, which must
// not be inline.
func pageOf(t *testing.T, s *Store, path ...[]byte) uint64 {
	t.Helper()
	var id uint64
	s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(path[0])
		for _, p := range path[1:] {
			b = b.Bucket(p)
		}
		id = uint64(b.Root())
		return nil
	})
	if id == 0 {
		t.Fatalf("bucket %q is inline", path)
	}
	return id
}

// rewritePage changes page id of the closed database at path.
func rewritePage(t *testing.T, path string, id uint64, change func(p []byte)) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	const ps = 4096
	change(data[id*ps : (id+1)*ps])
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

// bigStore has enough cards and reviews that the cards, text, state and
// log buckets span several pages each.
func bigStore(t *testing.T) *Store {
	t.Helper()
	s := openTemp(t)
	utcUser(t, s, "ann", func(st *fsrs.Settings) { st.NewPerDay = 500 })
	var cards []deck.Card
	for i := range 400 {
		cards = append(cards, deck.Card{ID: fmt.Sprintf("c%04d", i)})
	}
	mustImport(t, s, testDeck("d", cards...))
	for _, it := range ready(t, s, "ann", t0, "") {
		rate(t, s, "ann", it, t0, fsrs.Good)
	}
	return s
}

// A zeroed page is an error naming the file in whatever reads it, not a
// panic; doctor lists it; rebuild and backup refuse the file.
func TestZeroedPageIsAnError(t *testing.T) {
	s := bigStore(t)
	path := s.Path()
	id := pageOf(t, s, bCards)
	s.Close()
	rewritePage(t, path, id, func(p []byte) { clear(p) })
	s, err := Open(path, Options{Now: t0})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	err = s.EachCard(CardFilter{}, func(StoredCard) error { return nil })
	if !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), path) {
		t.Fatalf("reading the cards: %v, want ErrDamaged naming %s", err, path)
	}
	r, err := s.Check()
	if err != nil || !r.Damaged || len(r.Problems) == 0 || !strings.Contains(r.Problems[0].What, fmt.Sprintf("page %d", id)) {
		t.Fatalf("doctor on a zeroed page: %v %+v", err, r)
	}
	if _, err := s.Rebuild(); !errors.Is(err, ErrDamaged) {
		t.Fatalf("rebuild of a damaged file: %v", err)
	}
	if _, err := s.Backup(filepath.Join(t.TempDir(), "b.db")); !errors.Is(err, ErrDamaged) {
		t.Fatalf("backup of a damaged file: %v", err)
	}
}

// A state bucket whose keys are out of order made the rebuild's emptying
// of it spin for ever. Keys out of order are damage the rebuild refuses;
// emptying a bucket, here or for settings, ends whatever its order.
func TestKeysOutOfOrder(t *testing.T) {
	s := bigStore(t)
	path := s.Path()
	id := pageOf(t, s, userKey("ann"), bState)
	// The root is a branch: swap the keys of the first leaf below it.
	var leaf uint64
	rewritePage(t, path, id, func(p []byte) {
		if binary.LittleEndian.Uint16(p[8:]) != branchFlag {
			t.Fatalf("state root page %d is not a branch", id)
		}
		leaf = binary.LittleEndian.Uint64(p[16+8:])
	})
	s.Close()
	rewritePage(t, path, leaf, func(p []byte) {
		key := func(i int) []byte {
			e := 16 + 16*i
			pos, n := binary.LittleEndian.Uint32(p[e+4:]), binary.LittleEndian.Uint32(p[e+8:])
			return p[e+int(pos) : e+int(pos)+int(n)]
		}
		a, b := key(0), key(1)
		tmp := append([]byte(nil), a...)
		copy(a, b)
		copy(b, tmp)
	})
	s, err := Open(path, Options{Now: t0})
	if err != nil {
		t.Fatal(err)
	}
	// Neither may spin: one that does is stopped by the test run's
	// -timeout, which shows where.
	if _, err := s.Rebuild(); !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), "keys out of order") {
		t.Fatalf("rebuild: %v", err)
	}
	s.db.Update(func(tx *bolt.Tx) error {
		return clearBucket(tx.Bucket(userKey("ann")).Bucket(bState))
	})
	s.Close()
}

// The page walk finds nothing in a sound file, and finds every page in
// use that is zeroed, whichever bucket it belongs to; a branch that
// points back at itself is reported, not walked for ever.
func TestVerifyFindsEachZeroedPage(t *testing.T) {
	s := bigStore(t)
	path := s.Path()
	if problems, err := verifyFile(s.db.file, 10); err != nil || len(problems) > 0 {
		t.Fatalf("sound file: %v %v", problems, err)
	}
	type page struct {
		id   int
		typ  string
		size int
	}
	var pages []page
	s.db.View(func(tx *bolt.Tx) error {
		for id := 2; ; id++ {
			info, err := tx.Page(id)
			if err != nil {
				t.Fatal(err)
			}
			if info == nil {
				return nil
			}
			if info.Type != "free" {
				pages = append(pages, page{id, info.Type, info.OverflowCount})
				id += info.OverflowCount
			}
		}
	})
	s.Close()
	whole, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.CreateTemp(t.TempDir(), "damaged")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	kinds := map[string]int{}
	for _, p := range pages {
		data := append([]byte(nil), whole...)
		clear(data[p.id*4096 : (p.id+1)*4096])
		if _, err := f.WriteAt(data, 0); err != nil {
			t.Fatal(err)
		}
		if problems, err := verifyFile(f, 1); err != nil || len(problems) == 0 {
			t.Errorf("page %d (%s) zeroed: not found (%v)", p.id, p.typ, err)
		}
		kinds[p.typ]++
	}
	if kinds["branch"] == 0 || kinds["leaf"] < 10 || kinds["freelist"] == 0 {
		t.Fatalf("pages zeroed: %v; want branches, leaves and the freelist", kinds)
	}
	// A branch whose first child is itself.
	for _, p := range pages {
		if p.typ != "branch" {
			continue
		}
		data := append([]byte(nil), whole...)
		binary.LittleEndian.PutUint64(data[p.id*4096+16+8:], uint64(p.id))
		f.WriteAt(data, 0)
		problems, err := verifyFile(f, 5)
		if err != nil || len(problems) == 0 || !strings.Contains(problems[0], fmt.Sprintf("page %d is used twice", p.id)) {
			t.Fatalf("branch %d pointing at itself: %v %v", p.id, problems, err)
		}
		break
	}
}

// bbolt reads the freelist page as it opens: a zeroed one made it panic
// with the file mapped, which kept the lock for the rest of the process
// (a restore over the file then waited for itself). Open refuses it
// first, and a restore over it with force succeeds.
func TestZeroedFreelistPage(t *testing.T) {
	s := bigStore(t)
	path := s.Path()
	bk := filepath.Join(t.TempDir(), "backup.db")
	if _, err := s.Backup(bk); err != nil {
		t.Fatal(err)
	}
	s.Close()
	m, _, err := readMeta(mustOpen(t, path))
	if err != nil || m.freelist == noFreelist {
		t.Fatalf("meta %+v %v", m, err)
	}
	rewritePage(t, path, m.freelist, func(p []byte) { clear(p) })
	_, err = Open(path, Options{Now: t0, Timeout: time.Second})
	if !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), "freelist") {
		t.Fatalf("open: %v", err)
	}
	if err := Restore(path, bk, true, Options{Now: t0, Timeout: time.Second}); err != nil {
		t.Fatalf("restore over it: %v", err)
	}
	s, err = Open(path, Options{Now: t0})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if r, err := s.Check(); err != nil || len(r.Problems) > 0 {
		t.Fatalf("after the restore: %v %v", err, r.Problems)
	}
}

func mustOpen(t *testing.T, path string) *os.File {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// bbolt runs on the newer meta page when the other is damaged, but its
// consistency check reads both and crashed (in a goroutine of its own,
// past any recover) on a zeroed one: the walk reports it first.
func TestZeroedMetaPage(t *testing.T) {
	for _, id := range []uint64{0, 1} {
		s := bigStore(t)
		path := s.Path()
		s.Close()
		rewritePage(t, path, id, func(p []byte) { clear(p) })
		s, err := Open(path, Options{Now: t0})
		if err != nil {
			t.Fatalf("meta page %d zeroed: %v", id, err)
		}
		if err := s.Verify(); !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), fmt.Sprintf("meta page %d is damaged", id)) {
			t.Errorf("meta page %d zeroed: %v", id, err)
		}
		s.Close()
	}
}

// A record that opening reads (here the schema version) damaged, in a
// file whose pages are sound: opening fails with ErrBadRecord, not
// ErrDamaged, and a restore over it with force must still put the
// backup back (it failed: only ErrDamaged let force through).
func TestRestoreOverBadRecord(t *testing.T) {
	path := filepath.Join(t.TempDir(), "srs.db")
	s, err := Open(path, Options{Now: t0})
	if err != nil {
		t.Fatal(err)
	}
	bk := filepath.Join(t.TempDir(), "backup.db")
	if _, err := s.Backup(bk); err != nil {
		t.Fatal(err)
	}
	if err := s.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bMeta).Put(kSchema, []byte{1, 2, 3}) }); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := Open(path, Options{Now: t0, Timeout: time.Second}); !errors.Is(err, ErrBadRecord) {
		t.Fatalf("open: %v; want a bad record", err)
	}
	err = Restore(path, bk, false, Options{Now: t0, Timeout: time.Second})
	if err == nil || !strings.Contains(err.Error(), "--force restores over it") {
		t.Fatalf("restore without force: %v", err)
	}
	if err := Restore(path, bk, true, Options{Now: t0, Timeout: time.Second}); err != nil {
		t.Fatalf("restore with force: %v", err)
	}
	s, err = Open(path, Options{Now: t0})
	if err != nil {
		t.Fatalf("after the restore: %v", err)
	}
	s.Close()
}
