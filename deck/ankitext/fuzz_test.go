package ankitext

import (
	"bytes"
	"io"
	"reflect"
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
	// What was read can be written for Anki and read back the same, as
	// TSV and as CSV.
	for _, f := range []struct {
		write func(io.Writer, []deck.Card) error
		parse func(io.Reader, deck.ParseOptions) (*deck.Deck, error)
	}{{WriteTSV, ParseTSV}, {WriteCSV, ParseCSV}} {
		var buf bytes.Buffer
		if err := f.write(&buf, d.Cards); err != nil {
			t.Fatalf("write: %v", err)
		}
		d2, err := f.parse(bytes.NewReader(buf.Bytes()), deck.ParseOptions{File: "f.csv"})
		if err != nil {
			t.Fatalf("written file does not parse: %v\n%s", err, buf.String())
		}
		if len(d2.Cards) != len(d.Cards) {
			t.Fatalf("%d cards, then %d", len(d.Cards), len(d2.Cards))
		}
		for i, c := range d.Cards {
			c2 := d2.Cards[i]
			c.Source, c2.Source = "", ""
			if !reflect.DeepEqual(c, c2) {
				t.Fatalf("card %d changed in a round trip:\n was %+v\n now %+v\nfile:\n%s", i, c, c2, buf.String())
			}
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
