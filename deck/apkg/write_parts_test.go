package apkg

import (
	"cmp"
	"slices"
	"strconv"
	"testing"

	"github.com/srs-tool/srs/internal/ankiguid"
	"github.com/srs-tool/srs/internal/extsort"
	"github.com/srs-tool/srs/internal/htmlmd"
)

// TestAPKGSorterRevlog: review rows keep the order they were added in
// among rows of one card and millisecond, across spilled runs.
func TestAPKGSorterRevlog(t *testing.T) {
	var in []apkgRev
	for i := range 300 {
		in = append(in, apkgRev{id: int64(i % 7), cid: int64(i % 3), seq: uint32(i), ivl: int32(-i), lastIvl: int32(i),
			ms: uint16(i), factor: int16(i), ease: int8(i%4 + 1), typ: int8(i % 3)})
	}
	s := extsort.New("revlog", t.TempDir(), 16, apkgRevSize, apkgRevCompare, apkgPutRev, apkgGetRev)
	for _, r := range in {
		if err := s.Add(r); err != nil {
			t.Fatal(err)
		}
	}
	var got []apkgRev
	if err := s.Each(func(r apkgRev) error { got = append(got, r); return nil }); err != nil {
		t.Fatal(err)
	}
	want := slices.Clone(in)
	slices.SortStableFunc(want, func(a, b apkgRev) int {
		return cmp.Or(cmp.Compare(a.id, b.id), cmp.Compare(a.cid, b.cid))
	})
	if !slices.Equal(got, want) {
		t.Fatalf("got %v\nwant %v", got[:10], want[:10])
	}
}

func TestAPKGCardIndex(t *testing.T) {
	var x apkgCardIndex
	add := func(deck, id string, cid int64) {
		x.add(ankiguid.Number(deck, id), cid)
		x.index(deck, id, cid)
	}
	add("d", "a", 10)
	add("d", "b", 11)
	add("e", "a", 12)
	// Make "f"/"z" collide with a card already there, as a hash might.
	x.byHash[x.hash("f", "z")] = 10
	add("f", "z", 13)
	for _, tt := range []struct {
		deck, id string
		cid      int64
		ok       bool
	}{{"d", "a", 10, true}, {"d", "b", 11, true}, {"e", "a", 12, true}, {"f", "z", 13, true}, {"d", "c", 0, false}, {"da", "", 0, false}} {
		cid, ok := x.get(tt.deck, tt.id)
		if cid != tt.cid || ok != tt.ok {
			t.Errorf("get(%q, %q) = %d, %v; want %d, %v", tt.deck, tt.id, cid, ok, tt.cid, tt.ok)
		}
	}
	// A card whose hash collides with an added one but was not added.
	x.byHash[x.hash("g", "y")] = apkgHashCollision
	if cid, ok := x.get("g", "y"); ok {
		t.Errorf("a card never added found as %d", cid)
	}
	if !x.has(ankiguid.Number("d", "b")) || x.has(ankiguid.Number("d", "c")) {
		t.Error("has")
	}
}

// The front cache gives what htmlmd.ToHTML gives, and stays bounded.
func TestAPKGFrontCache(t *testing.T) {
	var c apkgFrontCache
	for i := range 1000 {
		md := "**front** " + strconv.Itoa(i%300)
		got, err := c.render(md)
		want, _ := htmlmd.ToHTML(md)
		if err != nil || got != want {
			t.Fatalf("render(%q) = %q, %v; want %q", md, got, err, want)
		}
	}
	if len(c.html) > len(c.ring) {
		t.Errorf("%d fronts cached, at most %d wanted", len(c.html), len(c.ring))
	}
}
