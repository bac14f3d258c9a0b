package store

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	bolt "go.etcd.io/bbolt"

	"github.com/srs-tool/srs/deck"
	"github.com/srs-tool/srs/fsrs"
)

// CardStatus is where a card stands for one user, as `srs cards` shows it and
// --state filters it: its FSRS state, unless the user suspended it or its
// source dropped it (retired), which say more.
type CardStatus string

// The statuses, in the order `srs cards --state` lists them.
const (
	StatusNew        CardStatus = "new"
	StatusLearning   CardStatus = "learning"
	StatusRelearning CardStatus = "relearning"
	StatusReview     CardStatus = "review"
	StatusSuspended  CardStatus = "suspended"
	StatusRetired    CardStatus = "retired"
)

// CardStatuses lists every status.
var CardStatuses = []CardStatus{StatusNew, StatusLearning, StatusRelearning, StatusReview, StatusSuspended, StatusRetired}

// ParseCardStatus reads a status name.
func ParseCardStatus(s string) (CardStatus, error) {
	for _, st := range CardStatuses {
		if string(st) == s {
			return st, nil
		}
	}
	names := make([]string, len(CardStatuses))
	for i, st := range CardStatuses {
		names[i] = string(st)
	}
	return "", fmt.Errorf("%q is not a card state (want %s)", s, strings.Join(names, ", "))
}

// StatusOf is c's status for a user whose state of it is st (had false:
// never seen). Retired wins over suspended: a retired card is out of
// every schedule whatever the user did to it.
func StatusOf(c StoredCard, st CardState, had bool) CardStatus {
	return statusOf(c.Retired, st, had)
}

func statusOf(retired bool, st CardState, had bool) CardStatus {
	switch {
	case retired:
		return StatusRetired
	case had && st.Suspended:
		return StatusSuspended
	case !had:
		return StatusNew
	}
	switch st.State {
	case fsrs.Learning:
		return StatusLearning
	case fsrs.Relearning:
		return StatusRelearning
	case fsrs.Review:
		return StatusReview
	}
	return StatusNew
}

// wantStatus reports whether a card of status st passes the filter: an
// empty filter takes every status; learning takes relearning too (both
// are steps of minutes before a card is spaced out by days).
func (f CardFilter) wantStatus(st CardStatus) bool {
	if len(f.Status) == 0 {
		return true
	}
	return slices.Contains(f.Status, st) || st == StatusRelearning && slices.Contains(f.Status, StatusLearning)
}

// wantsRetired reports whether the filter lists retired cards.
func (f CardFilter) wantsRetired() bool {
	return f.IncludeRetire || slices.Contains(f.Status, StatusRetired)
}

// searcher matches a card's text case-insensitively: one lower-cased
// needle, each field lower-cased once.
type searcher string

func newSearcher(q string) searcher { return searcher(strings.ToLower(q)) }

func (s searcher) match(m *cardMeta, t *cardText) bool {
	if s == "" {
		return true
	}
	in := func(field string) bool { return strings.Contains(strings.ToLower(field), string(s)) }
	if in(m.ID) || in(t.Front) || in(t.Back) {
		return true
	}
	return slices.ContainsFunc(m.Tags, in)
}

// CardLog is the user's log entries for one card, oldest first: its
// history as `srs show` prints it. The log is keyed by time, not by
// card, so this walks the whole log, reading only each entry's card key
// and decoding only the card's own entries.
func (s *Store) CardLog(user, deckName, id string) ([]Entry, error) {
	key := []byte(deck.Key(deckName, id))
	var out []Entry
	err := s.db.View(func(tx *bolt.Tx) error {
		ub, err := openUser(tx, user)
		if err != nil {
			return err
		}
		c := ub.log.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			if !bytes.Equal(entryCard(v), key) {
				continue
			}
			e, err := decodeEntry(k, v)
			if err != nil {
				return fmt.Errorf("user %q log entry %x: %w", user, k, err)
			}
			out = append(out, e)
		}
		return nil
	})
	return out, err
}
