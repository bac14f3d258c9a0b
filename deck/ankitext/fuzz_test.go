package ankitext

import (
	"bytes"
	"io"
	"testing"

	"github.com/srs-tool/srs/deck"
	"github.com/srs-tool/srs/deck/decktest"
)

func fuzzDelimited(t *testing.T, data []byte, parse func(io.Reader, deck.ParseOptions) (*deck.Deck, error)) {
	d, err := parse(bytes.NewReader(data), deck.ParseOptions{File: "f.csv"})
	if err != nil {
		decktest.CheckError(t, err)
		return
	}
	decktest.CheckDeck(t, d)
	// What was read can be written for Anki and read back with its identity.
	var buf bytes.Buffer
	if err := WriteTSV(&buf, d.Cards); err != nil {
		t.Fatalf("WriteTSV: %v", err)
	}
	d2, err := ParseTSV(bytes.NewReader(buf.Bytes()), deck.ParseOptions{File: "f.csv"})
	if err != nil {
		t.Fatalf("written TSV does not parse: %v\n%s", err, buf.String())
	}
	if len(d2.Cards) != len(d.Cards) {
		t.Fatalf("%d cards, then %d", len(d.Cards), len(d2.Cards))
	}
	for i, c := range d.Cards {
		c2 := d2.Cards[i]
		if c.ID != c2.ID || c.Deck != c2.Deck || c.Kind != c2.Kind || c.Parent != c2.Parent {
			t.Fatalf("card %d changed identity:\n was %+v\n now %+v", i, c, c2)
		}
	}
}

func csvSeeds(f *testing.F) {
	decktest.Seeds(f, "testdata/csv/*")
	for _, s := range []string{
		"q,a\n\"x, y\",\"multi\nline\"\n",
		"#separator:Pipe\n#html:true\n#columns:Front|Back|Tags\n<b>q</b>|a<br>b|t1 t2\n",
		"#guid column:1\n#deck column:2\n#tags column:5\ng1\tD::E\tq\ta\tt\n",
		"#columns:GUID,Front,Back,Kind,Parent\np,P,x,question,\nf,F,y,follow-up,p\n",
		"\uFEFFq;a\r\n",
	} {
		f.Add([]byte(s))
	}
}

func FuzzCSV(f *testing.F) {
	csvSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) { fuzzDelimited(t, data, ParseCSV) })
}

func FuzzTSV(f *testing.F) {
	csvSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) { fuzzDelimited(t, data, ParseTSV) })
}
