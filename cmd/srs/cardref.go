package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/srs-tool/srs/store"
)

// cardRef finds the card arg names as DECK/ID. Deck names and card IDs
// may both hold "/" (Anki's deck names may, and Anki's note GUIDs, which
// become IDs, often do), so no one split is right: every "/" is tried,
// and the split that names a card is the one. Splitting on the last "/"
// made "k8s/ab/cd", card "ab/cd" of deck "k8s", no card at all.
func cardRef(s *store.Store, arg string) (deckName, id string, err error) {
	if i := strings.IndexByte(arg, '/'); i <= 0 || i == len(arg)-1 {
		return "", "", usageError{fmt.Errorf("%q: name a card as deck/id (see srs cards)", arg)}
	}
	var found [][2]string
	for i := 0; i < len(arg); i++ {
		if arg[i] != '/' || i == 0 || i == len(arg)-1 {
			continue
		}
		d, c := arg[:i], arg[i+1:]
		if _, err := s.Card(d, c); err == nil {
			found = append(found, [2]string{d, c})
		} else if !errors.Is(err, store.ErrNoCard) {
			return "", "", err
		}
	}
	switch len(found) {
	case 0:
		return "", "", fmt.Errorf("card %s: %w", arg, store.ErrNoCard)
	case 1:
		return found[0][0], found[0][1], nil
	}
	return "", "", fmt.Errorf("card %s: names card %q of deck %q and card %q of deck %q; rename a deck to tell them apart",
		arg, found[0][1], found[0][0], found[1][1], found[1][0])
}
