package markdown

import (
	"bytes"
	"reflect"
	"testing"

	"github.com/srs-tool/srs/deck"
	"github.com/srs-tool/srs/deck/decktest"
)

func FuzzMarkdown(f *testing.F) {
	decktest.Seeds(f, "testdata/md/*.md")
	for _, s := range []string{
		"## Q {#id}\nA\n### Follow-up: F\nB\ntags: x\nkind: probe\n",
		"---\ntags:\n  - a\n---\n## Q\n```\n## in code\n```\n",
		"## Q\n~~~~\n~~~\n## still code\n~~~~\ntags: a\n",
		"## Q {#a}\n\n    indented\n\ntags: t\n\nkind: prompt\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := Parse(bytes.NewReader(data), deck.ParseOptions{File: "f.md"})
		if err != nil {
			decktest.CheckError(t, err)
			return
		}
		decktest.CheckDeck(t, d)
		var buf bytes.Buffer
		if err := Write(&buf, d.Cards); err != nil {
			t.Fatalf("Write: %v", err)
		}
		d2, err := Parse(bytes.NewReader(buf.Bytes()), deck.ParseOptions{File: "f.md"})
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
