package deck

import (
	"archive/zip"
	"bytes"
	"cmp"
	"compress/flate"
	"hash/crc32"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/srs-tool/srs/internal/extsort"
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
		x.add(ankiGUIDNumber(deck, id), cid)
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
	if !x.has(ankiGUIDNumber("d", "b")) || x.has(ankiGUIDNumber("d", "c")) {
		t.Error("has")
	}
}

func TestCRC32Combine(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	data := make([]byte, 100000)
	for i := range data {
		data[i] = byte(r.Uint32())
	}
	for _, cut := range []int{0, 1, 7, 4096, 50000, 99999, 100000} {
		a, b := data[:cut], data[cut:]
		if got, want := crc32Combine(crc32.ChecksumIEEE(a), crc32.ChecksumIEEE(b), int64(len(b))), crc32.ChecksumIEEE(data); got != want {
			t.Errorf("cut at %d: %08x, want %08x", cut, got, want)
		}
	}
}

// TestAPKGDeflater writes a stream in pieces of many sizes across chunk
// boundaries and checks that the zip member made of a first chunk
// compressed apart, the deflater's chunks and the final block inflates
// (with the standard library, not the compressor's own code) to the
// original, with the CRC and size its header states.
func TestAPKGDeflater(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	first := bytes.Repeat([]byte("page one "), 455)
	var stream []byte
	for len(stream) < 3*apkgChunkSize+12345 {
		if r.IntN(2) == 0 {
			stream = append(stream, bytes.Repeat([]byte{byte(r.Uint32())}, r.IntN(3000))...)
		} else {
			for range r.IntN(3000) {
				stream = append(stream, byte(r.Uint32()))
			}
		}
	}
	dst, err := os.Create(filepath.Join(t.TempDir(), "z"))
	if err != nil {
		t.Fatal(err)
	}
	defer dst.Close()
	d := newAPKGDeflater(dst)
	for rest := stream; len(rest) > 0; {
		n := min(len(rest), 1+r.IntN(200000))
		if _, err := d.Write(rest[:n]); err != nil {
			t.Fatal(err)
		}
		rest = rest[n:]
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	w := &APKGWriter{now: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	if err := w.writeCollection(zw, first, d); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(out.Bytes()), int64(out.Len()))
	if err != nil {
		t.Fatal(err)
	}
	f := zr.File[0]
	if f.Name != "collection.anki2" || f.Method != zip.Deflate || !f.Modified.Equal(w.now) {
		t.Errorf("member %s, method %d, modified %v", f.Name, f.Method, f.Modified)
	}
	rc, err := f.Open() // archive/zip checks the CRC and the size
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	want := append(slices.Clone(first), stream...)
	if !bytes.Equal(got, want) {
		t.Fatalf("inflated %d bytes, wrote %d", len(got), len(want))
	}
	// The raw stream ends with a final block, not just where the data does.
	raw, err := f.OpenRaw()
	if err != nil {
		t.Fatal(err)
	}
	got, err = io.ReadAll(flate.NewReader(raw))
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("compress/flate: %d bytes, %v", len(got), err)
	}
}

// The front cache gives what MarkdownToHTML gives, and stays bounded.
func TestAPKGFrontCache(t *testing.T) {
	var c apkgFrontCache
	for i := range 1000 {
		md := "**front** " + strconv.Itoa(i%300)
		got, err := c.render(md)
		want, _ := MarkdownToHTML(md)
		if err != nil || got != want {
			t.Fatalf("render(%q) = %q, %v; want %q", md, got, err, want)
		}
	}
	if len(c.html) > len(c.ring) {
		t.Errorf("%d fronts cached, at most %d wanted", len(c.html), len(c.ring))
	}
}
