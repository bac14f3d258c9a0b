package markdown

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/srs-tool/srs/deck"
)

// mdCheckRoundTrip writes cards and parses them back, expecting the same
// IDs, fronts, backs, tags, parents and kinds in the same order.
func mdCheckRoundTrip(t *testing.T, cards []deck.Card) *deck.Deck {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, cards); err != nil {
		t.Fatalf("Write: %v", err)
	}
	d, err := Parse(bytes.NewReader(buf.Bytes()), deck.ParseOptions{File: "rt.md"})
	if err != nil {
		t.Fatalf("Parse of written deck: %v\n%s", err, buf.String())
	}
	if len(d.Cards) != len(cards) {
		t.Fatalf("%d cards back, wrote %d:\n%s", len(d.Cards), len(cards), buf.String())
	}
	for i, got := range d.Cards {
		want := cards[i]
		got.Source, want.Source = "", ""
		if want.Tags == nil {
			want.Tags = []string{}
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("card %d:\n got %+v\nwant %+v\nfile:\n%s", i, got, want, buf.String())
		}
	}
	return d
}

func mdVariedDeck() []deck.Card {
	c := func(id string, kind deck.Kind, front, back string, tags []string, parent string) deck.Card {
		return deck.Card{ID: id, Deck: "varied", Kind: kind, Front: front, Back: back, Tags: tags, Parent: parent}
	}
	return []deck.Card{
		c("q1", deck.KindQuestion, "Explain {#braces} and C# in one go?", "Two paragraphs.\n\nThe second one.",
			[]string{"interview", "lang", "csharp"}, ""),
		c("q1-f1", deck.KindFollowUp, "What about `#include`?", "```c\n#include <stdio.h>\n## not a heading\ntags: not tags\n```",
			[]string{"interview", "lang"}, "q1"),
		c("q1-probe", deck.KindProbe, "Follow-up: a front that starts like the marker", "- a\n- b\n  - nested\n\n1. one\n2. two",
			[]string{"interview", "lang"}, "q1"),
		c("q2", deck.KindQuestion, "# of replicas?", "~~~\ncode with ``` inside\n~~~\n\n\ttabbed line\ntrailing text",
			[]string{"interview", "lang", "k8s"}, ""),
		c(deck.DeriveID("Plain"), deck.KindBasic, "Plain", "", []string{"interview", "lang"}, ""),
		c("prompt", deck.KindPrompt, "Quick: name three queues", "SQS, Kafka, RabbitMQ\ntags: this line is back",
			[]string{"interview", "lang"}, ""),
		c("pattern", deck.KindPattern, "Pattern {", "kind: prompt", []string{"interview", "lang", "x::y"}, ""),
		c("q3", deck.KindQuestion, "Last } one", "> quoted\n>\n> more\n\n---\n\n| a | b |\n| --- | --- |",
			[]string{"interview", "lang"}, ""),
		c("orphan-kind", deck.KindFollowUp, "A follow-up kind without a parent", "body", []string{"interview", "lang"}, ""),
	}
}

func TestMarkdownRoundTrip(t *testing.T) {
	mdCheckRoundTrip(t, mdVariedDeck())
}

func TestMarkdownRoundTripSmall(t *testing.T) {
	tests := map[string][]deck.Card{
		"one card": {{ID: "a", Deck: "d", Kind: deck.KindBasic, Front: "F", Back: "B", Tags: []string{"t"}}},
		"no tags":  {{ID: "a", Deck: "d", Kind: deck.KindBasic, Front: "F"}, {ID: "b", Deck: "d", Kind: deck.KindBasic, Front: "G"}},
		"all prompts": {
			{ID: "a", Deck: "d", Kind: deck.KindPrompt, Front: "F"},
			{ID: "b", Deck: "d", Kind: deck.KindPrompt, Front: "G"},
			{ID: "c", Deck: "d", Kind: deck.KindBasic, Front: "H"},
		},
		"bracket tags": {
			{ID: "a", Deck: "d", Kind: deck.KindBasic, Front: "F", Tags: []string{"[a", "b]"}},
			{ID: "b", Deck: "d", Kind: deck.KindBasic, Front: "G", Tags: []string{"x", "[y]", "["}},
			{ID: "c", Deck: "d", Kind: deck.KindBasic, Front: "H", Tags: []string{"[]"}},
		},
		"deck needing quotes": {{ID: "a", Deck: " spaced ", Kind: deck.KindBasic, Front: "F"}},
		"deck with colons":    {{ID: "a", Deck: "Go::Concurrency: channels", Kind: deck.KindBasic, Front: "F"}},
		"anki guids":          {{ID: "f:Kv>w3+Y0", Deck: "d", Kind: deck.KindBasic, Front: "F"}, {ID: "a{#b}c}", Deck: "d", Kind: deck.KindBasic, Front: "G"}},
	}
	for name, cards := range tests {
		t.Run(name, func(t *testing.T) { mdCheckRoundTrip(t, cards) })
	}
}

func TestWriteMarkdownFormat(t *testing.T) {
	cards := []deck.Card{
		{ID: "oom", Deck: "kubernetes", Kind: deck.KindBasic, Front: "What happens when a container exceeds its memory limit?",
			Back: "The kernel OOM-kills it; the kubelet restarts it per restartPolicy.", Tags: []string{"platform", "k8s", "memory"}},
		{ID: "who", Deck: "kubernetes", Kind: deck.KindFollowUp, Front: "How do you find which container was killed?",
			Back: "`kubectl describe pod`: lastState.terminated.reason = OOMKilled.", Tags: []string{"platform", "k8s"}, Parent: "oom"},
	}
	want := `---
deck: kubernetes
tags: [platform, k8s]
---

## What happens when a container exceeds its memory limit? {#oom}
The kernel OOM-kills it; the kubelet restarts it per restartPolicy.

tags: memory

### Follow-up: How do you find which container was killed? {#who}
` + "`kubectl describe pod`" + `: lastState.terminated.reason = OOMKilled.
`
	var buf bytes.Buffer
	if err := Write(&buf, cards); err != nil {
		t.Fatal(err)
	}
	if buf.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", buf.String(), want)
	}
}

// TestWriteMarkdownLossy pins down what the format cannot hold.
func TestWriteMarkdownLossy(t *testing.T) {
	tests := []struct {
		name string
		in   deck.Card
		want deck.Card // as read back
	}{
		{"multi-line front",
			deck.Card{ID: "a", Front: "  line one\nline two\r\n", Back: "B"},
			deck.Card{ID: "a", Front: "line one line two", Back: "B"}},
		{"blank lines around the back",
			deck.Card{ID: "a", Front: "F", Back: "\n\nB\n\n"},
			deck.Card{ID: "a", Front: "F", Back: "B"}},
		{"heading lines in a back",
			deck.Card{ID: "a", Front: "F", Back: "## looks like a card\n### Follow-up: and a follow-up\n##"},
			deck.Card{ID: "a", Front: "F", Back: " ## looks like a card\n ### Follow-up: and a follow-up\n ##"}},
		{"unclosed fence",
			deck.Card{ID: "a", Front: "F", Back: "```\ncode"},
			deck.Card{ID: "a", Front: "F", Back: "```\ncode\n```"}},
		{"tags with spaces and repeats",
			deck.Card{ID: "a", Front: "F", Tags: []string{"machine learning", "ml", "ml", "a,b"}},
			deck.Card{ID: "a", Front: "F", Tags: []string{"machine", "learning", "ml", "a", "b"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.in.Deck, tt.in.Kind = "d", deck.KindBasic
			var buf bytes.Buffer
			if err := Write(&buf, []deck.Card{tt.in}); err != nil {
				t.Fatal(err)
			}
			d, err := Parse(&buf, deck.ParseOptions{File: "l.md"})
			if err != nil {
				t.Fatal(err)
			}
			got := d.Cards[0]
			want := tt.want
			want.Deck, want.Kind, want.Source = "d", deck.KindBasic, got.Source
			if want.Tags == nil {
				want.Tags = []string{}
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("\n got %+v\nwant %+v", got, want)
			}
		})
	}
}

func TestWriteMarkdownStructure(t *testing.T) {
	// Follow-ups are written under their parent whatever the input order;
	// one whose parent is missing becomes a top-level card.
	cards := []deck.Card{
		{ID: "f", Deck: "d", Kind: deck.KindFollowUp, Front: "F", Parent: "p"},
		{ID: "lost", Deck: "d", Kind: deck.KindFollowUp, Front: "L", Parent: "gone"},
		{ID: "p", Deck: "d", Kind: deck.KindQuestion, Front: "P"},
	}
	var buf bytes.Buffer
	if err := Write(&buf, cards); err != nil {
		t.Fatal(err)
	}
	d, err := Parse(&buf, deck.ParseOptions{File: "s.md"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range d.Cards {
		got = append(got, c.ID+"<"+c.Parent+">"+string(c.Kind))
	}
	want := []string{"lost<>follow-up", "p<>question", "f<p>follow-up"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestWriteMarkdownErrors(t *testing.T) {
	tests := []struct {
		name  string
		cards []deck.Card
		want  string
	}{
		{"two decks", []deck.Card{{ID: "a", Deck: "x", Front: "F"}, {ID: "b", Deck: "y", Front: "G"}}, "one deck"},
		{"bad id", []deck.Card{{ID: "a b", Deck: "x", Front: "F"}}, "space"},
		{"duplicate id", []deck.Card{{ID: "a", Deck: "x", Front: "F"}, {ID: "a", Deck: "x", Front: "G"}}, "used twice"},
		{"empty front", []deck.Card{{ID: "a", Deck: "x", Front: " \n "}}, "empty front"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Write(&bytes.Buffer{}, tt.cards)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one mentioning %q", err, tt.want)
			}
		})
	}
	if err := Write(&bytes.Buffer{}, nil); err != nil {
		t.Errorf("no cards: %v", err)
	}
}
