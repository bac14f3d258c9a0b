package deck

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// fuzzSeeds adds every file matching pattern to the corpus.
func fuzzSeeds(f *testing.F, patterns ...string) {
	for _, p := range patterns {
		files, _ := filepath.Glob(p)
		for _, file := range files {
			b, err := os.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(b)
		}
	}
}

// fuzzCheckDeck holds for every deck a parser returns.
func fuzzCheckDeck(t *testing.T, d *Deck) {
	t.Helper()
	if err := d.Validate(); err != nil {
		t.Fatalf("parsed deck does not validate: %v", err)
	}
	for _, c := range d.Cards {
		for _, s := range append([]string{c.ID, c.Deck, string(c.Kind), c.Front, c.Back, c.Parent, c.Source}, c.Tags...) {
			if !utf8.ValidString(s) {
				t.Fatalf("card %+v: invalid UTF-8 in %q", c, s)
			}
		}
	}
}

func fuzzCheckError(t *testing.T, err error) {
	t.Helper()
	if strings.Contains(err.Error(), "\n") {
		t.Fatalf("error is not one line: %q", err)
	}
}

func FuzzMarkdown(f *testing.F) {
	fuzzSeeds(f, "testdata/md/*.md")
	for _, s := range []string{
		"## Q {#id}\nA\n### Follow-up: F\nB\ntags: x\nkind: probe\n",
		"---\ntags:\n  - a\n---\n## Q\n```\n## in code\n```\n",
		"## Q\n~~~~\n~~~\n## still code\n~~~~\ntags: a\n",
		"## Q {#a}\n\n    indented\n\ntags: t\n\nkind: prompt\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := ParseMarkdown(bytes.NewReader(data), ParseOptions{File: "f.md"})
		if err != nil {
			fuzzCheckError(t, err)
			return
		}
		fuzzCheckDeck(t, d)
		var buf bytes.Buffer
		if err := WriteMarkdown(&buf, d.Cards); err != nil {
			t.Fatalf("WriteMarkdown: %v", err)
		}
		d2, err := ParseMarkdown(bytes.NewReader(buf.Bytes()), ParseOptions{File: "f.md"})
		if err != nil {
			t.Fatalf("written deck does not parse: %v\n%s", err, buf.String())
		}
		if len(d2.Cards) != len(d.Cards) {
			t.Fatalf("%d cards, then %d\n%s", len(d.Cards), len(d2.Cards), buf.String())
		}
		for i, c := range d.Cards {
			c2 := d2.Cards[i]
			c.Source, c2.Source = "", ""
			if !reflect.DeepEqual(c, c2) {
				t.Fatalf("card %d changed in a round trip:\n was %+v\n now %+v\nfile:\n%s", i, c, c2, buf.String())
			}
		}
	})
}
