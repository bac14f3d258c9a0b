package pdeflate

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"hash/crc32"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

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

// TestWriter writes a stream in pieces of many sizes across chunk
// boundaries and checks that the zip member made of a first chunk
// compressed apart, the deflater's chunks and the final block inflates
// (with the standard library, not the compressor's own code) to the
// original, with the CRC and size its header states.
func TestWriter(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	first := bytes.Repeat([]byte("page one "), 455)
	var stream []byte
	for len(stream) < 3*chunkSize+12345 {
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
	d := NewWriter(dst)
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
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	if err := d.WriteZip(zw, "collection.anki2", now, first); err != nil {
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
	if f.Name != "collection.anki2" || f.Method != zip.Deflate || !f.Modified.Equal(now) {
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
