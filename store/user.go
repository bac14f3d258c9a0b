package store

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"time"
	"unicode"
	"unicode/utf8"

	bolt "go.etcd.io/bbolt"

	"github.com/srs-tool/srs/fsrs"
)

// ValidateUser reports whether name can be a user name.
func ValidateUser(name string) error {
	if name == "" {
		return fmt.Errorf("empty user name")
	}
	if len(name) > 64 || !utf8.ValidString(name) {
		return fmt.Errorf("user name %q: must be valid UTF-8 of at most 64 bytes", name)
	}
	for _, r := range name {
		if unicode.IsControl(r) {
			return fmt.Errorf("user name %q: has a control character", name)
		}
	}
	return nil
}

// userBuckets are one user's buckets inside a transaction.
type userBuckets struct {
	name     string
	user     *bolt.Bucket
	settings *bolt.Bucket
	state    *bolt.Bucket
	due      *bolt.Bucket
	new      *bolt.Bucket
	log      *bolt.Bucket
}

// userPrefix starts the name of each user's top-level bucket,
// "user\x00<name>" (a name has no control characters). A user's bucket sits
// at the top level rather than inside a "users" bucket because every
// rating rewrites each bucket page on the path from the root to the log:
// one level less is one page less per rating.
var userPrefix = []byte("user\x00")

func userKey(name string) []byte { return append(append([]byte(nil), userPrefix...), name...) }

// userBucket is a user's bucket, nil if there is no such user.
func userBucket(tx *bolt.Tx, name string) *bolt.Bucket { return tx.Bucket(userKey(name)) }

// forEachUser calls fn with each user's name and bucket, in name order.
func forEachUser(tx *bolt.Tx, fn func(name string, u *bolt.Bucket) error) error {
	c := tx.Cursor()
	for k, _ := c.Seek(userPrefix); k != nil && bytes.HasPrefix(k, userPrefix); k, _ = c.Next() {
		if err := fn(string(k[len(userPrefix):]), tx.Bucket(k)); err != nil {
			return err
		}
	}
	return nil
}

// openUser opens a user's buckets.
func openUser(tx *bolt.Tx, name string) (*userBuckets, error) {
	u := userBucket(tx, name)
	if u == nil {
		return nil, fmt.Errorf("user %q: %w", name, ErrNoUser)
	}
	ub := &userBuckets{
		name:     name,
		user:     u,
		settings: u.Bucket(bSettings),
		state:    u.Bucket(bState),
		due:      u.Bucket(bDue),
		new:      u.Bucket(bNew),
		log:      u.Bucket(bLog),
	}
	if ub.settings == nil || ub.state == nil || ub.due == nil || ub.new == nil || ub.log == nil {
		return nil, fmt.Errorf("user %q: %w: missing bucket", name, ErrBadRecord)
	}
	return ub, nil
}

// ensureUser opens a user's buckets, creating the user on first sight:
// default settings, and every live card in its new index. That one-time
// walk over the cards is what lets queries later avoid one.
func ensureUser(tx *bolt.Tx, name string, now time.Time) (*userBuckets, error) {
	if userBucket(tx, name) != nil {
		return openUser(tx, name)
	}
	if err := ValidateUser(name); err != nil {
		return nil, err
	}
	u, err := tx.CreateBucket(userKey(name))
	if err != nil {
		return nil, fmt.Errorf("create user %q: %w", name, err)
	}
	for _, b := range [][]byte{bSettings, bState, bDue, bNew, bLog} {
		if _, err := u.CreateBucket(b); err != nil {
			return nil, fmt.Errorf("create user %q: %w", name, err)
		}
	}
	ub, err := openUser(tx, name)
	if err != nil {
		return nil, err
	}
	if err := ub.putSettings(fsrs.DefaultSettings(), now); err != nil {
		return nil, err
	}
	err = tx.Bucket(bCards).ForEach(func(k, v []byte) error {
		r, err := decodeMeta(string(k), v)
		if err != nil {
			return err
		}
		if r.Retired {
			return nil
		}
		return ub.new.Put(newKey(r.Deck, r.Pos), []byte(r.ID))
	})
	return ub, err
}

// EnsureUser creates the user if it does not exist yet.
func (s *Store) EnsureUser(name string, now time.Time) error {
	if err := s.db.View(func(tx *bolt.Tx) error {
		_, err := openUser(tx, name)
		return err
	}); err == nil {
		return nil
	}
	return s.db.Update(func(tx *bolt.Tx) error {
		_, err := ensureUser(tx, name, now)
		return err
	})
}

// Users lists the user names.
func (s *Store) Users() ([]string, error) {
	var out []string
	err := s.db.View(func(tx *bolt.Tx) error {
		return forEachUser(tx, func(name string, _ *bolt.Bucket) error {
			out = append(out, name)
			return nil
		})
	})
	return out, err
}

func (ub *userBuckets) putSettings(st fsrs.Settings, now time.Time) error {
	if err := st.Validate(); err != nil {
		return err
	}
	v, err := json.Marshal(st)
	if err != nil {
		return err
	}
	// Settings take effect after everything already logged, even when
	// the clock says otherwise (SRS_NOW moved back): a rebuild must
	// replay each review under the settings it was really made with.
	// Settings no review was made under are history of nothing; drop
	// them, so that older reviews imported later replay under these.
	t := uint64(now.UnixNano())
	if k := ub.lastLogKey(); len(k) >= 8 {
		t = max(t, binary.BigEndian.Uint64(k)+1)
	} else if err := clearBucket(ub.settings); err != nil {
		return err
	}
	if k, _ := ub.settings.Cursor().Last(); len(k) == 8 {
		t = max(t, binary.BigEndian.Uint64(k)+1)
	}
	var k [8]byte
	binary.BigEndian.PutUint64(k[:], t)
	return ub.settings.Put(k[:], v)
}

// currentSettings is the newest settings record.
func (ub *userBuckets) currentSettings() (fsrs.Settings, error) {
	_, v := ub.settings.Cursor().Last()
	if v == nil {
		return fsrs.DefaultSettings(), nil
	}
	return decodeSettings(v)
}

func decodeSettings(v []byte) (fsrs.Settings, error) {
	var st fsrs.Settings
	if err := json.Unmarshal(v, &st); err != nil {
		return st, fmt.Errorf("settings: %w: %v", ErrBadRecord, err)
	}
	if err := st.Validate(); err != nil {
		return st, fmt.Errorf("settings: %w: %v", ErrBadRecord, err)
	}
	return st, nil
}

// Settings returns the user's current settings (defaults for a user not
// yet created; a damaged user is an error).
func (s *Store) Settings(user string) (fsrs.Settings, error) {
	st := fsrs.DefaultSettings()
	err := s.db.View(func(tx *bolt.Tx) error {
		ub, err := openUser(tx, user)
		if errors.Is(err, ErrNoUser) {
			return nil
		}
		if err != nil {
			return err
		}
		st, err = ub.currentSettings()
		return err
	})
	return st, err
}

// SetSettings records new settings for the user from now on.
func (s *Store) SetSettings(user string, st fsrs.Settings, now time.Time) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		ub, err := ensureUser(tx, user, now)
		if err != nil {
			return err
		}
		return ub.putSettings(st, now)
	})
}

// getState reads a card's state; ok is false when the user never saw it.
func (ub *userBuckets) getState(card string) (CardState, bool, error) {
	v := ub.state.Get([]byte(card))
	if v == nil {
		return CardState{}, false, nil
	}
	st, err := decodeState(v)
	if err != nil {
		return st, false, fmt.Errorf("user %q card %q: %w", ub.name, card, err)
	}
	return st, true, nil
}

// setState writes (or, with had false, deletes) a card's state and moves
// its index entries from what old implied to what st implies. Every state
// change goes through here, which is what keeps the index invariants.
func (ub *userBuckets) setState(tx *bolt.Tx, card string, old CardState, hadOld bool, st CardState, has bool) error {
	rec, ok, err := getMeta(tx, card)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("card %q: %w", card, ErrNoCard)
	}
	if err := ub.unindex(rec, old, hadOld); err != nil {
		return err
	}
	if has {
		if err := ub.state.Put([]byte(card), encodeState(st)); err != nil {
			return err
		}
	} else if err := ub.state.Delete([]byte(card)); err != nil {
		return err
	}
	return ub.index(rec, st, has)
}

// index adds the entries the invariants require for a card in state st
// (has false: no state record).
func (ub *userBuckets) index(rec cardMeta, st CardState, has bool) error {
	switch {
	case indexedNew(rec, st, has):
		return ub.new.Put(newKey(rec.Deck, rec.Pos), []byte(rec.ID))
	case indexedDue(rec, st, has):
		return ub.due.Put(dueKey(st.Due, rec.Key()), encodeDue(newDueEntry(st, rec.Parent)))
	}
	return nil
}

// indexedNew and indexedDue say which index the invariants put a card in.
func indexedNew(rec cardMeta, st CardState, has bool) bool {
	return !rec.Retired && (!has || !st.Suspended && st.State == fsrs.New)
}

func indexedDue(rec cardMeta, st CardState, has bool) bool {
	return !rec.Retired && has && !st.Suspended && st.State != fsrs.New
}

// unindex removes the entries index would have added.
func (ub *userBuckets) unindex(rec cardMeta, st CardState, has bool) error {
	if !has || st.State == fsrs.New {
		return ub.new.Delete(newKey(rec.Deck, rec.Pos))
	}
	return ub.due.Delete(dueKey(st.Due, rec.Key()))
}
