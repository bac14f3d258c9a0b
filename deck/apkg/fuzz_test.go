package apkg

import (
	"archive/zip"
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/srs-tool/srs/deck"
	"github.com/srs-tool/srs/fsrs"
)

// -apkg-update rewrites the packages under testdata/apkg from the fixture
// builder: go test ./deck -run TestGenerateAPKGFixtures -apkg-update
// (its own name, so it cannot clash with another test's -update flag).
var apkgUpdate = flag.Bool("apkg-update", false, "rewrite testdata/apkg from the fixture builder")

// fxTiny is a one-note-type, two-note collection: small seeds let the
// fuzzer mutate something it can still parse.
func fxTiny() *fxCollection {
	c := fxStandard()
	c.notes = []fxNote{c.notes[1], c.notes[2]}
	c.cards = []fxCard{c.cards[1], c.cards[2], c.cards[3]}
	c.revlog = c.revlog[5:9]
	c.media = c.media[:1]
	return c
}

// TestGenerateAPKGFixtures writes the fixture packages and an export to
// testdata/apkg when -apkg-update is given; otherwise it checks that the
// committed ones still read as the builder's do.
func TestGenerateAPKGFixtures(t *testing.T) {
	dir := filepath.Join("testdata", "apkg")
	files := map[string][]byte{}
	for _, layout := range fxVariants {
		files[layout+".apkg"] = buildAPKGBytes(t, layout, fxStandard())
		files[layout+"-tiny.apkg"] = buildAPKGBytes(t, layout, fxTiny())
	}
	files["export.apkg"] = exportAPKG(t, exportCases(t), Options{WithScheduling: true, Now: exportNow})
	files["fsrs.apkg"] = buildAPKGBytes(t, fxV3, fxFSRS())
	if *apkgUpdate {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for name, b := range files {
			if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return
	}
	for name, b := range files {
		path := filepath.Join(dir, name)
		if _, err := os.Stat(path); err != nil {
			t.Skipf("%s missing; run with -apkg-update", path)
		}
		fresh := filepath.Join(t.TempDir(), name)
		os.WriteFile(fresh, b, 0o600)
		want, _, err := Read(fresh, deck.ParseOptions{File: name}, DefaultLimits)
		if err != nil {
			t.Fatal(err)
		}
		got, _, err := Read(path, deck.ParseOptions{File: name}, DefaultLimits)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		got.Source, want.Source = "", ""
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s reads differently from a fresh build; regenerate with -apkg-update", path)
		}
	}
}

func apkgFuzzSeeds(f *testing.F) [][]byte {
	var seeds [][]byte
	for _, layout := range fxVariants {
		seeds = append(seeds, buildAPKGBytes(f, layout, fxTiny()))
	}
	files, _ := filepath.Glob(filepath.Join("testdata", "apkg", "*.apkg"))
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			seeds = append(seeds, b)
		}
	}
	return seeds
}

// FuzzReadAPKG feeds arbitrary bytes to Read as a package file. It must
// not panic, and what it accepts must be a valid deck.
func FuzzReadAPKG(f *testing.F) {
	for _, s := range apkgFuzzSeeds(f) {
		f.Add(s)
	}
	f.Add([]byte("PK\x05\x06" + strings.Repeat("\x00", 18)))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(dir, "fuzz.apkg")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		lim := DefaultLimits
		lim.MaxEntrySize, lim.MaxTotalSize = 16<<20, 32<<20 // keep iterations fast
		d, sched, err := Read(path, deck.ParseOptions{File: "fuzz.apkg"}, lim)
		checkFuzzResult(t, d, sched, err)
	})
}

// FuzzReadAPKGCollection mutates the collection database alone and wraps
// it in a well-formed Legacy1 package, so the mutations reach SQLite and
// the note mapping instead of failing the zip checksum.
func FuzzReadAPKGCollection(f *testing.F) {
	for _, s := range apkgFuzzSeeds(f) {
		zr, err := zip.NewReader(bytes.NewReader(s), int64(len(s)))
		if err != nil {
			continue
		}
		for _, m := range zr.File {
			if m.Name == "collection.anki2" || m.Name == "collection.anki21" {
				rc, _ := m.Open()
				var buf bytes.Buffer
				buf.ReadFrom(rc)
				rc.Close()
				f.Add(buf.Bytes())
			}
		}
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, db []byte) {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		w, _ := zw.CreateHeader(&zip.FileHeader{Name: "collection.anki2", Method: zip.Store})
		w.Write(db)
		w, _ = zw.CreateHeader(&zip.FileHeader{Name: "media", Method: zip.Store})
		w.Write([]byte(`{"0":"diagram.png"}`))
		w, _ = zw.CreateHeader(&zip.FileHeader{Name: "0", Method: zip.Store})
		w.Write(fxPNG)
		zw.Close()
		path := filepath.Join(dir, "fuzz.apkg")
		if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
		d, sched, err := Read(path, deck.ParseOptions{File: "fuzz.apkg"}, DefaultLimits)
		checkFuzzResult(t, d, sched, err)
	})
}

func checkFuzzResult(t *testing.T, d *deck.Deck, sched map[string]fsrs.AnkiProgress, err error) {
	t.Helper()
	if err != nil {
		if d != nil || sched != nil {
			t.Fatalf("error %v with a deck", err)
		}
		if msg := err.Error(); strings.ContainsAny(msg, "\r\n") || !strings.HasPrefix(msg, "fuzz.apkg:") {
			t.Fatalf("error not one line naming the file: %q", msg)
		}
		return
	}
	if err := d.Validate(); err != nil {
		t.Fatalf("accepted an invalid deck: %v", err)
	}
	keys := map[string]bool{}
	for _, c := range d.Cards {
		for _, s := range append([]string{c.ID, c.Deck, string(c.Kind), c.Front, c.Back, c.Parent, c.Source}, c.Tags...) {
			if !utf8.ValidString(s) {
				t.Fatalf("card %q has invalid UTF-8: %q", c.ID, s)
			}
		}
		keys[c.Key()] = true
	}
	for k, p := range sched {
		if !keys[k] {
			t.Fatalf("progress for %q, which is not a card", k)
		}
		exportScheduler.FromAnki(p) // whatever the package says, converting it does not panic
	}
	for _, m := range d.Media {
		if !apkgSafeMediaName(m.Name) {
			t.Fatalf("unsafe media name %q", m.Name)
		}
	}
}
