package store

import (
	"bytes"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/srs-tool/srs/deck"
	"github.com/srs-tool/srs/fsrs"
)

// Reader is one user's data as one read transaction sees it: the views
// the session rules (package queue) are computed from. It answers what
// the store keeps (the due and new indexes, states, the log, cards,
// settings) and decides nothing: which of it a day holds is the queue's
// business.
type Reader struct {
	tx *bolt.Tx
	ub *userBuckets
}

// Read calls fn with a view of user's data, all of it from one snapshot.
// A user not created yet is ErrNoUser.
func (s *Store) Read(user string, fn func(*Reader) error) error {
	return s.db.View(func(tx *bolt.Tx) error {
		ub, err := openUser(tx, user)
		if err != nil {
			return err
		}
		return fn(&Reader{tx: tx, ub: ub})
	})
}

// User is whose data the view reads.
func (r *Reader) User() string { return r.ub.name }

// Version identifies the snapshot: the id of the last write transaction
// committed to the file. Every write, by this process or another, moves
// it on by one, so a caller that made the one write since a snapshot
// knows nothing else changed.
func (r *Reader) Version() uint64 { return uint64(r.tx.ID()) }

// Version is the id of the last write transaction committed to the file
// (see Reader.Version). Asked right after a write, while the store is
// still open (and the file locked), it is that write's.
func (s *Store) Version() (uint64, error) {
	var v uint64
	err := s.db.View(func(tx *bolt.Tx) error {
		v = uint64(tx.ID())
		return nil
	})
	return v, err
}

// Settings are the user's current settings.
func (r *Reader) Settings() (fsrs.Settings, error) { return r.ub.currentSettings() }

// DeckSettings are the user's settings for each deck that has any.
func (r *Reader) DeckSettings() (map[string]DeckSettings, error) { return r.ub.deckSettings() }

// Decks are the names of all decks, in name order.
func (r *Reader) Decks() ([]string, error) {
	var out []string
	err := r.tx.Bucket(bDecks).ForEach(func(k, _ []byte) error {
		out = append(out, string(k))
		return nil
	})
	return out, err
}

// Due is one entry of the user's due index: a card in learning or review
// that is not suspended nor retired, with what its entry keeps of its
// state.
type Due struct {
	Card        string    // deck.Key(deck, id)
	Due         time.Time // to the second
	Learning    bool      // in (re)learning steps rather than review
	Stability   float64
	LastReview  time.Time // to the second; zero if never reviewed
	BuriedUntil time.Time // to the second; zero if never buried
	Parent      string    // the id of the card's parent in its deck, "" if none
}

// Deck is the name of the card's deck.
func (d *Due) Deck() string {
	name, _ := deck.SplitKey(d.Card)
	return name
}

// EachDue calls fn for every due-index entry due at or after from and
// before to, in due order (then card key); fn returning ErrStop ends
// the walk early. The walk reads the index alone: its values carry what
// fn gets.
func (r *Reader) EachDue(from, to time.Time, fn func(Due) error) error {
	c := r.ub.due.Cursor()
	upTo := dueUpTo(to)
	for k, v := c.Seek(dueUpTo(from)); k != nil && bytes.Compare(k[:8], upTo) < 0; k, v = c.Next() {
		d, err := r.decodeDue(k, v)
		if err != nil {
			return err
		}
		if err := fn(d); err != nil {
			if err == ErrStop {
				return nil
			}
			return err
		}
	}
	return nil
}

func (r *Reader) decodeDue(k, v []byte) (Due, error) {
	due, card, ok := parseDueKey(k)
	if !ok {
		return Due{}, fmt.Errorf("user %q due index: %w", r.ub.name, ErrBadRecord)
	}
	e, err := decodeDue(v)
	if err != nil {
		return Due{}, fmt.Errorf("user %q due index %s: %w", r.ub.name, showKey(k[8:]), err)
	}
	return Due{Card: card, Due: due, Learning: e.learning, Stability: e.stability,
		LastReview: e.lastReview, BuriedUntil: e.buriedUntil, Parent: e.parent}, nil
}

// FirstDue is the earliest due time at or after from in the due index;
// ok is false when nothing is due then.
func (r *Reader) FirstDue(from time.Time) (due time.Time, ok bool, err error) {
	k, _ := r.ub.due.Cursor().Seek(dueUpTo(from))
	if k == nil {
		return time.Time{}, false, nil
	}
	due, _, ok = parseDueKey(k)
	if !ok {
		return time.Time{}, false, fmt.Errorf("user %q due index: %w", r.ub.name, ErrBadRecord)
	}
	return due, true, nil
}

// DueEntry is a card's entry in the due index as the store keeps it; ok
// is false when the card has none (new, suspended, retired or unseen).
func (r *Reader) DueEntry(card string) (Due, bool, error) {
	st, had, err := r.ub.getState(card)
	if err != nil || !had {
		return Due{}, false, err
	}
	k := dueKey(st.Due, card)
	v := r.ub.due.Get(k)
	if v == nil {
		return Due{}, false, nil
	}
	d, err := r.decodeDue(k, v)
	return d, err == nil, err
}

// EachNew calls fn with the key of every card in the user's new index
// for deckName, in the order they were added (their position); fn
// returning ErrStop ends the walk early.
func (r *Reader) EachNew(deckName string, fn func(card string) error) error {
	prefix := newPrefix(deckName)
	c := r.ub.new.Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		card, _, ok := parseNewKey(k, v)
		if !ok {
			return fmt.Errorf("user %q new index: %w", r.ub.name, ErrBadRecord)
		}
		if err := fn(card); err != nil {
			if err == ErrStop {
				return nil
			}
			return err
		}
	}
	return nil
}

// NewCount is how many cards the user's new index holds, all decks.
func (r *Reader) NewCount() int { return r.ub.new.Stats().KeyN }

// EachLog calls fn for the user's log entries made at or after from and
// before to, oldest first; fn returning ErrStop ends the walk early.
func (r *Reader) EachLog(from, to time.Time, fn func(Entry) error) error {
	c := r.ub.log.Cursor()
	end := logFrom(to)
	for k, v := c.Seek(logFrom(from)); k != nil && bytes.Compare(k, end) < 0; k, v = c.Next() {
		if stop, err := r.give(k, v, fn); stop {
			return err
		}
	}
	return nil
}

// HasDeck reports whether a deck of that name exists.
func (r *Reader) HasDeck(name string) bool { return r.tx.Bucket(bDecks).Get([]byte(name)) != nil }

// EachLogBack calls fn for the user's log entries made at or after from
// and before to, newest first, of the cards keep keeps (every card if
// keep is nil: it is asked before an entry is decoded); fn returning
// ErrStop ends the walk early. What a plan measures of the user's
// answers is their latest ones, of its cards.
func (r *Reader) EachLogBack(from, to time.Time, keep func(card []byte) bool, fn func(Entry) error) error {
	c := r.ub.log.Cursor()
	start := logFrom(from)
	var k, v []byte
	if k, _ = c.Seek(logFrom(to)); k == nil {
		k, v = c.Last()
	} else {
		k, v = c.Prev()
	}
	for ; k != nil && bytes.Compare(k, start) >= 0; k, v = c.Prev() {
		if keep != nil {
			if card := entryCard(v); card != nil && !keep(card) {
				continue
			}
		}
		if stop, err := r.give(k, v, fn); stop {
			return err
		}
	}
	return nil
}

// give decodes the log entry at k and gives it to fn; stop is true when
// the walk is to end, with fn's error (none when fn said ErrStop) or
// the entry's.
func (r *Reader) give(k, v []byte, fn func(Entry) error) (stop bool, err error) {
	e, err := decodeEntry(k, v)
	if err != nil {
		return true, fmt.Errorf("user %q log: %w", r.ub.name, err)
	}
	if err := fn(e); err != nil {
		if err == ErrStop {
			return true, nil
		}
		return true, err
	}
	return false, nil
}

// LastLog is the time of the user's newest log entry; ok is false when
// the log is empty.
func (r *Reader) LastLog() (t time.Time, ok bool, err error) {
	k := r.ub.lastLogKey()
	if k == nil {
		return time.Time{}, false, nil
	}
	lk, err := parseLogKey(k)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("user %q log: %w", r.ub.name, err)
	}
	return lk.Time(), true, nil
}

// Meta is a card without its text (Front, Back and Source empty): what
// its record keeps for queries over many cards. ok is false for a card
// that does not exist.
func (r *Reader) Meta(card string) (c StoredCard, ok bool, err error) {
	m, ok, err := getMeta(r.tx, card)
	if !ok || err != nil {
		return StoredCard{}, ok, err
	}
	return StoredCard{Card: m.card(cardText{}).Card, Retired: m.Retired}, true, nil
}

// EachMeta calls fn for every card of deckName ("" for every deck)
// without its text, as Meta gives it, with its position (the order it
// was added in: a question's follow-ups in their source's order), in key
// order; fn returning ErrStop ends the walk early. Retired cards are
// passed too, marked.
func (r *Reader) EachMeta(deckName string, fn func(c StoredCard, pos uint64) error) error {
	c := r.tx.Bucket(bCards).Cursor()
	var prefix []byte
	k, v := c.First()
	if deckName != "" {
		prefix = []byte(deckName + "\x00")
		k, v = c.Seek(prefix)
	}
	for ; k != nil && hasPrefix(k, prefix); k, v = c.Next() {
		m, err := decodeMeta(string(k), v)
		if err != nil {
			return err
		}
		if err := fn(StoredCard{Card: m.card(cardText{}).Card, Retired: m.Retired}, m.Pos); err != nil {
			if err == ErrStop {
				return nil
			}
			return err
		}
	}
	return nil
}

// Parent is the id of a card's parent (the question a follow-up
// belongs to), "" for none; ok is false for a card that does not exist.
// It decodes only as much of the card's record as that takes: the queue
// asks it of every card rated today.
func (r *Reader) Parent(card string) (parent string, ok bool, err error) {
	v := r.tx.Bucket(bCards).Get([]byte(card))
	if v == nil {
		return "", false, nil
	}
	if len(v) > 0 && v[0] == '{' { // a JSON record of before schema 3
		m, err := decodeMeta(card, v)
		return m.Parent, err == nil, err
	}
	d := &decoder{b: v}
	if ver := d.byte("card version"); d.err == nil && ver != metaV1 {
		return "", false, fmt.Errorf("card %q: %w: card record version %d", card, ErrBadRecord, ver)
	}
	d.bytes("card id", maxKeyLen)
	d.bytes("card deck", maxKeyLen)
	d.bytes("card kind", maxKeyLen)
	p := d.bytes("card parent", maxKeyLen)
	if d.err != nil {
		return "", false, fmt.Errorf("card %q: %w", card, d.err)
	}
	return string(p), true, nil
}

// Card is a card with its text; ok is false for a card that does not
// exist.
func (r *Reader) Card(card string) (c StoredCard, ok bool, err error) {
	rec, ok, err := getCard(r.tx, card)
	if !ok || err != nil {
		return StoredCard{}, ok, err
	}
	return StoredCard{Card: rec.Card, Retired: rec.Retired}, true, nil
}

// State is the user's state of a card; had is false when the user never
// saw it.
func (r *Reader) State(card string) (st CardState, had bool, err error) {
	return r.ub.getState(card)
}

// errNoDeck names a deck that does not exist, as every command says it.
func errNoDeck(name string) error {
	return fmt.Errorf("no deck %q; `srs decks` lists them", name)
}
