package store

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/srs-tool/srs/deck"
)

// cardRecord is a card as the store keeps it: the card as last imported,
// its position among new cards, and whether its source dropped it. It is
// stored in two halves so that queries touching thousands of cards (the
// queue, status) decode only the small one.
type cardRecord struct {
	deck.Card
	Pos     uint64
	Retired bool
}

// cardMeta is what cards/<deck>\x00<id> holds: what queries need.
type cardMeta struct {
	ID      string    `json:"id"`
	Deck    string    `json:"deck"`
	Kind    deck.Kind `json:"kind"`
	Parent  string    `json:"parent,omitempty"`
	Tags    []string  `json:"tags,omitempty"`
	Pos     uint64    `json:"pos"`
	Retired bool      `json:"retired,omitempty"`
	// Sum fingerprints what a user sees of the card, so that a
	// re-import finds unchanged cards without reading their text.
	Sum string `json:"sum"`
}

// contentSum fingerprints a card's kind, front, back, parent and tags.
// Source (file:line) is left out: inserting a card above another must
// not count as changing it.
func contentSum(c *deck.Card) string {
	h := sha256.New()
	for _, f := range []string{string(c.Kind), c.Front, c.Back, c.Parent} {
		fmt.Fprintf(h, "%d:%s", len(f), f)
	}
	for _, t := range c.Tags {
		fmt.Fprintf(h, "%d:%s", len(t), t)
	}
	return hex.EncodeToString(h.Sum(nil)[:12])
}

// cardText is what text/<deck>\x00<id> holds: what a person reads.
type cardText struct {
	Front  string `json:"front"`
	Back   string `json:"back"`
	Source string `json:"source,omitempty"`
}

func (m *cardMeta) Key() string { return deck.Key(m.Deck, m.ID) }

func (r cardRecord) meta() cardMeta {
	return cardMeta{ID: r.ID, Deck: r.Deck, Kind: r.Kind, Parent: r.Parent, Tags: r.Tags, Pos: r.Pos, Retired: r.Retired,
		Sum: contentSum(&r.Card)}
}

func (m cardMeta) card(t cardText) cardRecord {
	return cardRecord{Card: deck.Card{ID: m.ID, Deck: m.Deck, Kind: m.Kind, Parent: m.Parent, Tags: m.Tags,
		Front: t.Front, Back: t.Back, Source: t.Source}, Pos: m.Pos, Retired: m.Retired}
}

// deckRecord is what decks/<deck> holds.
type deckRecord struct {
	Name       string    `json:"name"`
	Source     string    `json:"source"`
	ImportedAt time.Time `json:"imported_at"`
	Cards      int       `json:"cards"`   // live (not retired) cards
	Retired    int       `json:"retired"` // retired cards kept for their history
	Builtin    bool      `json:"builtin,omitempty"`
}

// DeckInfo describes a deck for `srs decks`.
type DeckInfo struct {
	Name       string    `json:"name"`
	Source     string    `json:"source"`
	ImportedAt time.Time `json:"imported_at"`
	Cards      int       `json:"cards"`
	Retired    int       `json:"retired"`
	Builtin    bool      `json:"builtin"`
}

// StoredCard is a card as the store holds it.
type StoredCard struct {
	deck.Card
	Retired bool
}

func getMeta(tx *bolt.Tx, key string) (cardMeta, bool, error) {
	v := tx.Bucket(bCards).Get([]byte(key))
	if v == nil {
		return cardMeta{}, false, nil
	}
	m, err := decodeMeta(key, v)
	return m, err == nil, err
}

func decodeMeta(key string, v []byte) (cardMeta, error) {
	m, err := decodeMetaValue(v)
	if err != nil {
		return m, fmt.Errorf("card %q: %w", key, err)
	}
	if m.Key() != key {
		return m, fmt.Errorf("card %q: %w: record says it is %q", key, ErrBadRecord, m.Key())
	}
	return m, nil
}

func getText(tx *bolt.Tx, key string) (cardText, error) {
	var t cardText
	v := tx.Bucket(bText).Get([]byte(key))
	if v == nil {
		return t, fmt.Errorf("card %q: %w: no text", key, ErrBadRecord)
	}
	t, err := decodeTextValue(v)
	if err != nil {
		return t, fmt.Errorf("card %q text: %w", key, err)
	}
	return t, nil
}

func getCard(tx *bolt.Tx, key string) (cardRecord, bool, error) {
	m, ok, err := getMeta(tx, key)
	if !ok || err != nil {
		return cardRecord{}, ok, err
	}
	t, err := getText(tx, key)
	if err != nil {
		return cardRecord{}, false, err
	}
	return m.card(t), true, nil
}

func putCard(tx *bolt.Tx, r cardRecord) error {
	if err := putMeta(tx, r.meta()); err != nil {
		return err
	}
	return tx.Bucket(bText).Put([]byte(r.Key()), encodeText(cardText{Front: r.Front, Back: r.Back, Source: r.Source}))
}

func putMeta(tx *bolt.Tx, m cardMeta) error {
	return tx.Bucket(bCards).Put([]byte(m.Key()), encodeMeta(m))
}

// Card returns the card with the given deck and id.
func (s *Store) Card(deckName, id string) (StoredCard, error) {
	var out StoredCard
	err := s.db.View(func(tx *bolt.Tx) error {
		r, ok, err := getCard(tx, deck.Key(deckName, id))
		if err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("card %s/%s: %w", deckName, id, ErrNoCard)
		}
		out = StoredCard{Card: r.Card, Retired: r.Retired}
		return nil
	})
	return out, err
}

// Decks lists the decks in name order.
func (s *Store) Decks() ([]DeckInfo, error) {
	var out []DeckInfo
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bDecks).ForEach(func(k, v []byte) error {
			var r deckRecord
			if err := json.Unmarshal(v, &r); err != nil {
				return fmt.Errorf("deck %q: %w: %v", k, ErrBadRecord, err)
			}
			out = append(out, DeckInfo(r))
			return nil
		})
	})
	return out, err
}

// CardFilter selects cards. Zero fields match everything.
type CardFilter struct {
	Deck          string
	Tag           string
	IncludeRetire bool // also list retired cards
	// Search keeps the cards whose ID, front, back or a tag contains it,
	// ignoring case.
	Search string
	// Status keeps the cards whose status for the user is one of these
	// (learning includes relearning; retired lists retired cards without
	// IncludeRetire). Only EachCardState, which knows the user, applies it.
	Status []CardStatus
}

// EachCard calls fn for every card matching f, in key order (deck, then
// id). Listing is the one query that reads every card.
func (s *Store) EachCard(f CardFilter, fn func(StoredCard) error) error {
	return s.db.View(func(tx *bolt.Tx) error { return s.eachCard(tx, f, nil, fn) })
}

// eachCard walks the cards f selects. pre, when set, decides on a card
// from its metadata before its text is read, so that a filter on the
// user's state costs no text for the cards it drops.
func (s *Store) eachCard(tx *bolt.Tx, f CardFilter, pre func(*cardMeta) (bool, error), fn func(StoredCard) error) error {
	search := newSearcher(f.Search)
	c := tx.Bucket(bCards).Cursor()
	var prefix []byte
	k, v := c.First()
	if f.Deck != "" {
		prefix = []byte(f.Deck + "\x00")
		k, v = c.Seek(prefix)
	}
	for ; k != nil && hasPrefix(k, prefix); k, v = c.Next() {
		m, err := decodeMeta(string(k), v)
		if err != nil {
			return err
		}
		if m.Retired && !f.wantsRetired() || f.Tag != "" && !slices.Contains(m.Tags, f.Tag) {
			continue
		}
		if pre != nil {
			if ok, err := pre(&m); err != nil || !ok {
				if err != nil {
					return err
				}
				continue
			}
		}
		t, err := getText(tx, string(k))
		if err != nil {
			return err
		}
		if !search.match(&m, &t) {
			continue
		}
		if err := fn(StoredCard{Card: m.card(t).Card, Retired: m.Retired}); err != nil {
			return err
		}
	}
	return nil
}

func hasPrefix(b, prefix []byte) bool {
	return len(b) >= len(prefix) && string(b[:len(prefix)]) == string(prefix)
}

// EachCardState is EachCard with the user's state of each card (had is
// false for a card the user never saw), filtered by f.Status too.
func (s *Store) EachCardState(user string, f CardFilter, fn func(c StoredCard, st CardState, had bool) error) error {
	return s.db.View(func(tx *bolt.Tx) error {
		ub, _ := openUser(tx, user)
		var (
			st  CardState
			had bool
		)
		// pre reads the state once, before the text, and fn gets it.
		pre := func(m *cardMeta) (bool, error) {
			st, had = CardState{}, false
			if ub != nil {
				var err error
				if st, had, err = ub.getState(m.Key()); err != nil {
					return false, err
				}
			}
			return f.wantStatus(statusOf(m.Retired, st, had)), nil
		}
		return s.eachCard(tx, f, pre, func(c StoredCard) error { return fn(c, st, had) })
	})
}

// ExportCard is a card with everything an export may write of it.
type ExportCard struct {
	StoredCard
	Parent   *deck.Card // the question of a follow-up
	State    CardState
	HadState bool
}

// EachExport streams the cards matching f with the user's state of each,
// then, if entry is set, the user's log entries for those cards in time
// order, all from one snapshot (one read transaction). Reading the log in
// its own order, rather than card by card, keeps a whole-history export a
// sequential read.
func (s *Store) EachExport(user string, f CardFilter, card func(ExportCard) error, entry func(Entry) error) error {
	return s.db.View(func(tx *bolt.Tx) error {
		ub, _ := openUser(tx, user)
		// Log entries are kept for the cards exported. Unfiltered, that is
		// every card but the retired ones, and a set of those few is
		// cheaper to ask a million times than a set of all the others.
		unfiltered := f.Deck == "" && f.Tag == "" && !f.IncludeRetire && f.Search == "" && len(f.Status) == 0
		exported, retired := map[string]bool{}, map[string]bool{}
		listed := f
		if unfiltered {
			listed.IncludeRetire = true
		}
		// Follow-ups mostly come right after their question in key
		// order: the last questions read spare decoding them again.
		var recent [64]*deck.Card
		n := 0
		err := s.eachCard(tx, listed, nil, func(c StoredCard) error {
			n++
			if c.Retired && unfiltered {
				retired[c.Key()] = true
				return nil
			}
			ec := ExportCard{StoredCard: c}
			if c.Parent != "" {
				key := deck.Key(c.Deck, c.Parent)
				for _, r := range recent {
					if r != nil && r.ID == c.Parent && r.Deck == c.Deck {
						ec.Parent = r
						break
					}
				}
				if ec.Parent == nil {
					p, ok, err := getCard(tx, key)
					if err != nil {
						return err
					}
					if ok {
						ec.Parent = &p.Card
					}
				}
			} else {
				recent[n%len(recent)] = &c.Card
			}
			if ub != nil {
				var err error
				if ec.State, ec.HadState, err = ub.getState(c.Key()); err != nil {
					return err
				}
			}
			if entry != nil && !unfiltered {
				exported[c.Key()] = true
			}
			return card(ec)
		})
		if err != nil || entry == nil || ub == nil {
			return err
		}
		c := ub.log.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			if card := entryCard(v); card != nil && (unfiltered && retired[string(card)] || !unfiltered && !exported[string(card)]) {
				continue
			}
			e, err := decodeEntry(k, v)
			if err != nil {
				return fmt.Errorf("user %q log: %w", user, err)
			}
			if err := entry(e); err != nil {
				return err
			}
		}
		return nil
	})
}

// DeckInfo describes one deck.
func (s *Store) DeckInfo(name string) (DeckInfo, error) {
	var d DeckInfo
	err := s.db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bDecks).Get([]byte(name))
		if v == nil {
			return fmt.Errorf("no deck %q; `srs decks` lists them", name)
		}
		var r deckRecord
		if err := json.Unmarshal(v, &r); err != nil {
			return fmt.Errorf("deck %q: %w: %v", name, ErrBadRecord, err)
		}
		d = DeckInfo(r)
		return nil
	})
	return d, err
}
