package extsort

import (
	"cmp"
	"encoding/binary"
	"math/rand/v2"
	"os"
	"slices"
	"testing"
)

// pair is a record with a key that repeats and a unique tie-breaker, so
// the order is total.
type pair struct{ k, id int64 }

func comparePairs(a, b pair) int { return cmp.Or(cmp.Compare(a.k, b.k), cmp.Compare(a.id, b.id)) }

func putPair(b []byte, p pair) {
	binary.BigEndian.PutUint64(b, uint64(p.k))
	binary.BigEndian.PutUint64(b[8:], uint64(p.id))
}

func getPair(b []byte) pair {
	return pair{int64(binary.BigEndian.Uint64(b)), int64(binary.BigEndian.Uint64(b[8:]))}
}

// TestSorter sorts the same records with every memory limit from all in
// memory to one record per run, and checks the order and that no record
// is lost or repeated and no file is left behind.
func TestSorter(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	var in []pair
	for i := range 5000 {
		in = append(in, pair{k: int64(r.IntN(50)) - 25, id: int64(i)})
	}
	want := slices.Clone(in)
	slices.SortFunc(want, comparePairs)
	for _, max := range []int{1, 2, 3, 7, 100, 4999, 5000, 5001, 1 << 20} {
		dir := t.TempDir()
		s := New("test", dir, max, 16, comparePairs, putPair, getPair)
		for _, p := range in {
			if err := s.Add(p); err != nil {
				t.Fatal(err)
			}
		}
		var got []pair
		if err := s.Each(func(p pair) error { got = append(got, p); return nil }); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("max %d: sorted output differs", max)
		}
		if left, _ := os.ReadDir(dir); len(left) != 0 {
			t.Errorf("max %d: %d files left behind", max, len(left))
		}
	}
}

// TestSorterClose: a sorter closed before Each leaves no file behind.
func TestSorterClose(t *testing.T) {
	dir := t.TempDir()
	s := New("test", dir, 2, 16, comparePairs, putPair, getPair)
	for i := range 9 {
		if err := s.Add(pair{int64(9 - i), int64(i)}); err != nil {
			t.Fatal(err)
		}
	}
	if left, _ := os.ReadDir(dir); len(left) != 1 {
		t.Fatalf("%d run files while sorting, want 1", len(left))
	}
	s.Close()
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Errorf("%d files left behind", len(left))
	}
}
