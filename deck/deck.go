// Package deck is srs's card model: Card, Deck, card IDs and keys, and the
// rules every card obeys (Validate, field limits). It knows nothing of
// files: each format has a package of its own below it (deck/markdown,
// deck/ankitext, deck/apkg; deck/formats tells them apart), and nothing
// here touches the database.
package deck

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Kind says what role a card plays in an interview rehearsal.
type Kind string

// The kinds of card. Guide decks use all of them; user decks are mostly
// KindBasic, with KindFollowUp for Markdown "### Follow-up:" children.
const (
	KindQuestion Kind = "question"  // a deep interview question
	KindFollowUp Kind = "follow-up" // a probe asked after its parent question
	KindPrompt   Kind = "prompt"    // a quick-fire practice prompt
	KindProbe    Kind = "probe"     // a universal follow-up probe
	KindPattern  Kind = "pattern"   // one of the six probe patterns
	KindBasic    Kind = "basic"     // a plain front/back card
)

// Kinds lists every kind in a stable order.
var Kinds = []Kind{KindQuestion, KindFollowUp, KindPrompt, KindProbe, KindPattern, KindBasic}

// ParseKind accepts a kind name and reports whether it is known.
func ParseKind(s string) (Kind, bool) {
	for _, k := range Kinds {
		if string(k) == s {
			return k, true
		}
	}
	return "", false
}

// KindNames lists the kinds for messages: "question, follow-up, ...".
func KindNames() string {
	names := make([]string, len(Kinds))
	for i, k := range Kinds {
		names[i] = string(k)
	}
	return strings.Join(names, ", ")
}

// Card is one flashcard. Its identity is (Deck, ID); everything else may
// change between imports without losing the card's review history.
type Card struct {
	ID     string   `json:"id"`
	Deck   string   `json:"deck"`
	Kind   Kind     `json:"kind"`
	Front  string   `json:"front"`
	Back   string   `json:"back"` // Markdown
	Tags   []string `json:"tags"`
	Parent string   `json:"parent"`           // ID of the question a follow-up belongs to, in the same deck
	Source string   `json:"source,omitempty"` // where the card came from, e.g. "guide.txt:552"
}

// Deck is an ordered set of cards read from one source. Name is the deck
// the source is about; a source that names decks per card (a CSV deck
// column, an Anki package) may hold cards of several decks, so each Card
// carries its own Deck too. Scheduling a source carries (an Anki
// package's) travels beside the deck, not in it: see apkg.Read.
type Deck struct {
	Name     string
	Source   string // file the deck was read from, or "built-in"
	Cards    []Card
	Media    []Media  // files the cards refer to (Anki packages)
	Warnings []string // things a user should know that did not stop the import
}

// Media is a file a card refers to by Name (a bare file name, checked safe).
type Media struct {
	Name string
	Data []byte
}

// MaxIDLen bounds card IDs; they appear in keys and file names.
const MaxIDLen = 200

// ValidateID reports whether id can serve as a card ID: non-empty, at most
// MaxIDLen bytes, valid UTF-8 with no control characters or NUL (NUL
// separates deck and ID in store keys).
func ValidateID(id string) error {
	if id == "" {
		return fmt.Errorf("empty card id")
	}
	if len(id) > MaxIDLen {
		return fmt.Errorf("card id %.20q... is longer than %d bytes", id, MaxIDLen)
	}
	for _, r := range id {
		if r == unicode.ReplacementChar || unicode.IsControl(r) || unicode.IsSpace(r) {
			return fmt.Errorf("card id %q has a space, control or invalid character", id)
		}
	}
	return nil
}

// ErrDuplicateID is in the chain of Validate's error for an ID used twice
// in one deck.
var ErrDuplicateID = errors.New("already used")

// ValidateDeckName reports whether name can serve as a deck name.
func ValidateDeckName(name string) error {
	if strings.TrimSpace(name) == "" {
		return fmt.Errorf("empty deck name")
	}
	if len(name) > 200 {
		return fmt.Errorf("deck name %.20q... is longer than 200 bytes", name)
	}
	for _, r := range name {
		if r == unicode.ReplacementChar || unicode.IsControl(r) {
			return fmt.Errorf("deck name %q has a control or invalid character", name)
		}
	}
	return nil
}

// DeriveID gives a card without an explicit ID a stable one, computed from
// its normalised front: case, whitespace, quotes and punctuation are folded
// so that fixing a typo in the answer, re-wrapping the question or swapping
// straight quotes for curly ones keeps the card (and its history).
func DeriveID(front string) string {
	sum := sha256.Sum256([]byte(NormalizeFront(front)))
	return "h" + hex.EncodeToString(sum[:6])
}

// NormalizeFront folds a front to the form DeriveID hashes.
func NormalizeFront(front string) string {
	s := norm.NFKC.String(front)
	var b strings.Builder
	space := false
	for _, r := range s {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(unicode.ToLower(r))
		default: // whitespace, punctuation, quotes, symbols all fold to one separator
			space = true
		}
	}
	return b.String()
}

// Validate checks the invariants every importer relies on: valid deck
// names and IDs, fronts and backs within MaxFieldSize, no (deck, id) used
// twice (one ID may serve in two decks), parents that exist in the same
// deck and are not themselves follow-ups (follow-ups nest one level). It
// names the first offending card by its Source.
func (d *Deck) Validate() error {
	if err := ValidateDeckName(d.Name); err != nil {
		return err
	}
	type key struct{ deck, id string }
	seen := make(map[key]int, len(d.Cards))
	for i, c := range d.Cards {
		if err := ValidateDeckName(c.Deck); err != nil {
			return fmt.Errorf("%s: %w", c.where(i), err)
		}
		if err := ValidateID(c.ID); err != nil {
			return fmt.Errorf("%s: %w", c.where(i), err)
		}
		k := key{c.Deck, c.ID}
		if j, dup := seen[k]; dup {
			return fmt.Errorf("%s: id %q %w by %s", c.where(i), c.ID, ErrDuplicateID, d.Cards[j].where(j))
		}
		seen[k] = i
		if strings.TrimSpace(c.Front) == "" {
			return fmt.Errorf("%s: empty front", c.where(i))
		}
		if len(c.Front) > MaxFieldSize {
			return fmt.Errorf("%s: the front is %d bytes, larger than %d", c.where(i), len(c.Front), MaxFieldSize)
		}
		if len(c.Back) > MaxFieldSize {
			return fmt.Errorf("%s: the answer is %d bytes, larger than %d", c.where(i), len(c.Back), MaxFieldSize)
		}
		if _, ok := ParseKind(string(c.Kind)); !ok {
			return fmt.Errorf("%s: unknown kind %q", c.where(i), c.Kind)
		}
	}
	for i, c := range d.Cards {
		if c.Parent == "" {
			continue
		}
		if c.Parent == c.ID {
			return fmt.Errorf("%s: is its own parent", c.where(i))
		}
		p, ok := seen[key{c.Deck, c.Parent}]
		if !ok {
			return fmt.Errorf("%s: parent %q is not in deck %q", c.where(i), c.Parent, c.Deck)
		}
		if d.Cards[p].Parent != "" {
			return fmt.Errorf("%s: parent %q is itself a follow-up; follow-ups nest one level", c.where(i), c.Parent)
		}
	}
	return nil
}

// where names a card in an error: its source position when known.
func (c Card) where(i int) string {
	if c.Source != "" {
		return c.Source
	}
	return fmt.Sprintf("card %d (%q)", i+1, c.ID)
}

// Key joins a deck name and card ID into the one string that identifies a
// card everywhere: NUL cannot occur in either part.
func Key(deckName, id string) string { return deckName + "\x00" + id }

// Key is the card's identity, Key(c.Deck, c.ID).
func (c Card) Key() string { return Key(c.Deck, c.ID) }

// SplitKey splits a key made by Key into deck name and card ID.
func SplitKey(key string) (deckName, id string) {
	deckName, id, _ = strings.Cut(key, "\x00")
	return deckName, id
}
