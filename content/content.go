package content

import (
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"fmt"
	"slices"
	"sync"

	"github.com/srs-tool/srs/deck"
)

// DeckName is the name of the built-in deck.
const DeckName = "guide"

// CompilerVersion names the compiler's output. Bump it whenever a change
// here alters the cards compiled from an unchanged guide, so that
// BuiltInVersion changes and existing installs pick up the new deck.
const CompilerVersion = "2"

//go:embed guide.txt
var guide []byte

var builtIn = sync.OnceValues(func() (*deck.Deck, error) {
	d, _, err := compileBuiltIn()
	if err != nil {
		return nil, fmt.Errorf("built-in guide: %w", err)
	}
	d.Source = "built-in"
	d.Cards = studyOrder(d.Cards)
	return d, nil
})

// compileBuiltIn compiles the embedded guide and tags its questions from
// the topics table, in source order.
func compileBuiltIn() (*deck.Deck, []Warning, error) {
	d, warnings, err := Compile("guide.txt", guide, DeckName)
	if err != nil {
		return nil, nil, err
	}
	t, err := parseTopics("topics.txt", topicsTable)
	if err != nil {
		return nil, nil, err
	}
	if err := t.apply(d); err != nil {
		return nil, nil, fmt.Errorf("topics.txt: %w", err)
	}
	return d, warnings, nil
}

// studyOrder is the order new built-in cards are introduced in: the deep
// questions first (each follow-up waits for its question anyway), then
// the quick-fire prompts, then the probes and patterns they are checked
// against. The guide itself puts the probes first, as reference material.
func studyOrder(cards []deck.Card) []deck.Card {
	rank := map[deck.Kind]int{deck.KindQuestion: 0, deck.KindFollowUp: 0, deck.KindPrompt: 1, deck.KindProbe: 2, deck.KindPattern: 3}
	out := slices.Clone(cards)
	slices.SortStableFunc(out, func(a, b deck.Card) int { return rank[a.Kind] - rank[b.Kind] })
	return out
}

// BuiltIn returns the deck compiled from the embedded guide. The guide is
// compiled once per process; each caller gets its own copy to modify.
func BuiltIn() (*deck.Deck, error) {
	d, err := builtIn()
	if err != nil {
		return nil, err
	}
	return cloneDeck(d), nil
}

var builtInVersion = sync.OnceValue(func() string { return version(guide, topicsTable) })

// BuiltInVersion identifies the built-in deck: it changes when the embedded
// guide, its topics table or CompilerVersion changes, so a store can tell
// that its copy of the built-in deck is out of date without compiling it.
func BuiltInVersion() string { return builtInVersion() }

func version(src, topics []byte) string {
	h := sha256.New()
	h.Write([]byte(CompilerVersion))
	h.Write([]byte{0})
	h.Write(src)
	h.Write([]byte{0})
	h.Write(topics)
	return CompilerVersion + "-" + hex.EncodeToString(h.Sum(nil)[:8])
}

func cloneDeck(d *deck.Deck) *deck.Deck {
	c := *d
	c.Cards = slices.Clone(d.Cards)
	for i := range c.Cards {
		c.Cards[i].Tags = slices.Clone(c.Cards[i].Tags)
	}
	c.Warnings = slices.Clone(d.Warnings)
	return &c
}
