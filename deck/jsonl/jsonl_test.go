package jsonl

import (
	"reflect"
	"strings"
	"testing"

	"github.com/srs-tool/srs/deck"
	"github.com/srs-tool/srs/deck/decktest"
)

func TestParse(t *testing.T) {
	src := "\uFEFF" + `{"id":"q1","deck":"k8s","kind":"question","front":"What is a pod?","back":"The unit of scheduling.","tags":["k8s","basics"],"parent":"","source":"k.md:3","state":"review","due":"2026-12-01T10:00:00Z","stability":3.2,"difficulty":5.1,"reps":2,"lapses":0}
{"id":"q1.f1","deck":"k8s","kind":"follow-up","front":"And a node?","back":"A machine.","tags":[],"parent":"q1","context":"What is a pod?","state":"new","reps":0,"lapses":0}

{"front":"Derived id","back":"b"}` + "\r\n" + `{"id":"old","deck":"k8s","front":"gone","retired":true}
`
	d, err := Parse(strings.NewReader(src), deck.ParseOptions{File: "all.jsonl"})
	if err != nil {
		t.Fatal(err)
	}
	decktest.CheckDeck(t, d)
	want := []deck.Card{
		{ID: "q1", Deck: "k8s", Kind: deck.KindQuestion, Front: "What is a pod?", Back: "The unit of scheduling.", Tags: []string{"k8s", "basics"}, Source: "all.jsonl:1"},
		{ID: "q1.f1", Deck: "k8s", Kind: deck.KindFollowUp, Front: "And a node?", Back: "A machine.", Parent: "q1", Source: "all.jsonl:2"},
		{ID: deck.DeriveID("Derived id"), Deck: "k8s", Kind: deck.KindBasic, Front: "Derived id", Back: "b", Source: "all.jsonl:4"},
	}
	if !reflect.DeepEqual(d.Cards, want) {
		t.Errorf("cards:\n got %+v\nwant %+v", d.Cards, want)
	}
	if d.Name != "k8s" {
		t.Errorf("deck name %q, want k8s (the one its cards share)", d.Name)
	}
}

func TestParseDecks(t *testing.T) {
	src := `{"id":"x","deck":"a","front":"A"}
{"id":"x","deck":"b","front":"B"}
`
	d, err := Parse(strings.NewReader(src), deck.ParseOptions{File: "/tmp/all.jsonl"})
	if err != nil {
		t.Fatal(err)
	}
	if d.Name != "all" || len(d.Cards) != 2 || d.Cards[0].Deck != "a" || d.Cards[1].Deck != "b" {
		t.Errorf("two decks sharing an id: name %q, cards %+v", d.Name, d.Cards)
	}
	_, err = Parse(strings.NewReader(src), deck.ParseOptions{File: "all.jsonl", Deck: "one"})
	decktest.WantError(t, err, `all.jsonl:2: id "x" already used at line 1`)
}

func TestParseErrors(t *testing.T) {
	big := strings.Repeat("x", deck.MaxFieldSize+1)
	tests := []struct{ name, src, want string }{
		{"not an object", "[1,2]\n", "e.jsonl:1: not a JSON object"},
		{"csv", "front,back\n", "e.jsonl:1: not a JSON object"},
		{"broken json", `{"front":"x"` + "\n", "e.jsonl:1: not JSON: unexpected end of JSON input"},
		{"no front", `{"id":"a","back":"b"}`, `e.jsonl:1: no "front"`},
		{"empty front", `{"id":"a","front":" "}`, "e.jsonl:1: empty front"},
		{"wrong type", `{"id":"a","front":"f","tags":"x y"}`, `e.jsonl:1: "tags": want a list of strings, got string`},
		{"bad id", `{"id":"a b","front":"f"}`, "e.jsonl:1: id: card id"},
		{"bad deck", `{"deck":"a\u0001","front":"f"}`, "e.jsonl:1: deck: deck name"},
		{"bad kind", `{"front":"f","kind":"essay"}`, `e.jsonl:1: unknown kind "essay"`},
		{"duplicate id", `{"id":"a","front":"f"}` + "\n" + `{"id":"a","front":"g"}`, `e.jsonl:2: id "a" already used at line 1`},
		{"duplicate front", `{"front":"Same"}` + "\n" + `{"front":"same!"}`, `e.jsonl:2: id "h`},
		{"missing parent", `{"id":"a","front":"f","parent":"p"}`, `e.jsonl:1: parent "p" is not in deck`},
		{"invalid utf-8", "{\"front\":\"\xff\"}", "e.jsonl:1: invalid UTF-8"},
		{"answer too large", `{"front":"f","back":"` + big + `"}`, "e.jsonl:1: the answer is 1048577 bytes, larger than 1048576"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(strings.NewReader(tt.src), deck.ParseOptions{File: "e.jsonl"})
			decktest.WantError(t, err, tt.want)
		})
	}
}
