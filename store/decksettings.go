package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// bDeckSettings is the user's bucket of per-deck settings, created on the
// first one set (a user without it has none).
var bDeckSettings = []byte("decksettings")

// DeckSettings are a user's settings for one deck: its own daily limits.
// A nil limit means the user's own applies. They change no card's
// schedule, so unlike the user's settings they keep no history: a
// rebuild replays no review under them, and a change applies at once,
// to what is left of today too.
type DeckSettings struct {
	NewPerDay     *int `json:"new_per_day,omitempty"`
	ReviewsPerDay *int `json:"reviews_per_day,omitempty"`
}

// IsZero reports whether the deck has no settings of its own.
func (d DeckSettings) IsZero() bool { return d.NewPerDay == nil && d.ReviewsPerDay == nil }

// Validate refuses a limit out of range, naming the field; the ranges
// are those of the user's own limits.
func (d DeckSettings) Validate() error {
	if d.NewPerDay != nil && (*d.NewPerDay < 0 || *d.NewPerDay > 100000) {
		return fmt.Errorf("new_per_day %d: must be 0..100000", *d.NewPerDay)
	}
	if d.ReviewsPerDay != nil && (*d.ReviewsPerDay < 0 || *d.ReviewsPerDay > 1000000) {
		return fmt.Errorf("reviews_per_day %d: must be 0..1000000", *d.ReviewsPerDay)
	}
	return nil
}

func (ub *userBuckets) deckSettings() (map[string]DeckSettings, error) {
	out := map[string]DeckSettings{}
	b := ub.user.Bucket(bDeckSettings)
	if b == nil {
		return out, nil
	}
	err := b.ForEach(func(k, v []byte) error {
		var d DeckSettings
		if err := json.Unmarshal(v, &d); err != nil {
			return fmt.Errorf("user %q settings of deck %q: %w: %v", ub.name, k, ErrBadRecord, err)
		}
		if err := d.Validate(); err != nil {
			return fmt.Errorf("user %q settings of deck %q: %w: %v", ub.name, k, ErrBadRecord, err)
		}
		out[string(k)] = d
		return nil
	})
	return out, err
}

// DeckSettings are the user's settings for each deck that has any (none
// for a user not created yet).
func (s *Store) DeckSettings(user string) (map[string]DeckSettings, error) {
	out := map[string]DeckSettings{}
	err := s.Read(user, func(r *Reader) (err error) {
		out, err = r.DeckSettings()
		return err
	})
	if errors.Is(err, ErrNoUser) {
		return out, nil
	}
	return out, err
}

// SetDeckSettings replaces the user's settings for a deck that exists;
// empty settings remove them (the user's own apply again).
func (s *Store) SetDeckSettings(user, deckName string, d DeckSettings, now time.Time) error {
	if err := d.Validate(); err != nil {
		return err
	}
	return s.db.Update(func(tx *bolt.Tx) error {
		if tx.Bucket(bDecks).Get([]byte(deckName)) == nil {
			return errNoDeck(deckName)
		}
		ub, err := ensureUser(tx, user, now)
		if err != nil {
			return err
		}
		if d.IsZero() {
			if b := ub.user.Bucket(bDeckSettings); b != nil {
				return b.Delete([]byte(deckName))
			}
			return nil
		}
		b, err := ub.user.CreateBucketIfNotExists(bDeckSettings)
		if err != nil {
			return err
		}
		v, err := json.Marshal(d)
		if err != nil {
			return err
		}
		return b.Put([]byte(deckName), v)
	})
}
