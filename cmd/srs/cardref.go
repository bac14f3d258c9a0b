package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/srs-tool/srs/store"
)

// findCard finds the card arg names as DECK/ID (suspend, show, edit).
// Deck names and card IDs may both hold "/" (Anki's deck names may, and
// Anki's note GUIDs, which become IDs, often do), so no one split is
// right: every "/" is tried, and the split that names a card is the one;
// two that do are named, not guessed between. Splitting on the last "/"
// made "k8s/ab/cd", card "ab/cd" of deck "k8s", no card at all.
func findCard(s *store.Store, arg string) (store.StoredCard, error) {
	if i := strings.IndexByte(arg, '/'); i <= 0 || i == len(arg)-1 {
		return store.StoredCard{}, usageError{fmt.Errorf("%q: name a card as deck/id (see srs cards)", arg)}
	}
	var found []store.StoredCard
	for i := 0; i < len(arg); i++ {
		if arg[i] != '/' || i == 0 || i == len(arg)-1 {
			continue
		}
		c, err := s.Card(arg[:i], arg[i+1:])
		if err == nil {
			found = append(found, c)
		} else if !errors.Is(err, store.ErrNoCard) {
			return store.StoredCard{}, err
		}
	}
	switch len(found) {
	case 0:
		return store.StoredCard{}, fmt.Errorf("card %s: %w", arg, store.ErrNoCard)
	case 1:
		return found[0], nil
	}
	return store.StoredCard{}, fmt.Errorf("card %s: names card %q of deck %q and card %q of deck %q; rename a deck to tell them apart",
		arg, found[0].ID, found[0].Deck, found[1].ID, found[1].Deck)
}
