package jsonl

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/srs-tool/srs/deck"
	"github.com/srs-tool/srs/deck/decktest"
)

func FuzzJSONL(f *testing.F) {
	decktest.Seeds(f, "testdata/*.jsonl")
	for _, s := range []string{
		`{"id":"a","deck":"d","kind":"question","front":"Q","back":"A","tags":["t"],"parent":""}`,
		`{"id":"b","deck":"d","kind":"follow-up","front":"F","back":"B","parent":"a","context":"Q"}`,
		`{"front":"derived"}` + "\n\n" + `{"front":" x\u0000 ","tags":[" a ","a",""]}`,
		`{"id":"r","front":"gone","retired":true}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := Parse(bytes.NewReader(data), deck.ParseOptions{File: "f.jsonl"})
		if err != nil {
			decktest.CheckError(t, err)
			return
		}
		decktest.CheckDeck(t, d)
		// The cards as the export writes them (deck.Card's JSON) read
		// back the same.
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		for _, c := range d.Cards {
			if err := enc.Encode(c); err != nil {
				t.Fatal(err)
			}
		}
		d2, err := Parse(bytes.NewReader(buf.Bytes()), deck.ParseOptions{File: "f.jsonl"})
		if err != nil {
			t.Fatalf("written cards do not parse: %v\n%s", err, buf.String())
		}
		for i := range d.Cards {
			c, c2 := d.Cards[i], d2.Cards[i]
			c.Source, c2.Source = "", ""
			if !reflect.DeepEqual(c, c2) {
				t.Fatalf("card %d changed in a round trip:\n was %+v\n now %+v", i, c, c2)
			}
		}
	})
}
