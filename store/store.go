// Package store keeps srs's data in one bbolt file: the cards and decks all
// users share, and per user their settings, card states, indexes and the
// append-only review log.
//
// # Key layout
//
//	meta/                      bucket
//	    app                    "srs" (marks the file as ours)
//	    schema                 uint64 BE schema version (see migrate.go)
//	    created                RFC 3339 time the file was made
//	    builtin                version of the built-in deck last loaded
//	    nextpos                uint64 BE, next new-card position to hand out
//	decks/<deck>               JSON deckRecord
//	cards/<deck>\x00<id>       binary cardMeta (codec_card.go; JSON until
//	                           schema 3): id, deck, kind, parent, tags,
//	                           new-card position, retired flag, and a
//	                           fingerprint of the content, so a re-import
//	                           finds unchanged cards without their text
//	text/<deck>\x00<id>        binary cardText: front, back, source (kept
//	                           apart so queries over many cards decode
//	                           little)
//	user\x00<user>/            one top-level bucket per user (until schema
//	                           3 these were users/<user>/)
//	    settings/<t BE8>       JSON fsrs.Settings in force from time t (ns);
//	                           the last one is current, older ones let a
//	                           rebuild replay each review under the settings
//	                           it was made with
//	    state/<deck>\x00<id>   binary CardState (codec.go); absent = never seen
//	    due/<due BE8><deck>\x00<id>   binary dueEntry: learning or review,
//	                           stability, last review, buried-until, parent
//	                           id; due in Unix seconds. The value covers
//	                           what the queue needs, so counting and
//	                           ordering what is due reads nothing else.
//	    new/<deck>\x00<pos BE8>       card id
//	    log/<t BE8><seq BE4>   binary Entry (codec.go); t in Unix ns, seq
//	                           orders entries with the same t. Version 2
//	                           (schema 6) adds flags: a mock interview's
//	                           rating
//	    decksettings/<deck>    JSON DeckSettings: the user's own limits for
//	                           a deck; the bucket appears with the first
//	                           one set. No history: they change no
//	                           schedule, so a rebuild never needs them
//	    plans/<id BE8>         JSON Plan: a date the user prepares for
//	                           (srs plan); the bucket appears with the
//	                           first. No history: a plan moves no card's
//	                           due (the queue shows cards early), so a
//	                           rebuild never needs it (plan.go)
//	    pending                schemas 3 and 4 only: ratings not yet in
//	                           log/ nor applied; the upgrades to 4 and 5
//	                           keep them and delete it (migrate_pending.go)
//
// # Invariants
//
//   - A card is in a user's due index iff it has a state that is not New,
//     is not suspended, and the card is not retired. The key's due time is
//     the state's Due.
//   - A card is in a user's new index iff it has no state or a New state,
//     is not suspended, and is not retired; the key's position is the
//     card's position.
//   - Every state change is one log entry holding the state before and
//     after, written to log/ in the same transaction as the state and the
//     index entries. Replaying the log through FSRS (Rebuild) recomputes
//     every state.
//   - A user's changes are logged in time order: Record refuses one timed
//     before the user's newest entry (a clock gone back). Imported
//     history is older by nature; it only ever gives cards the user has
//     no state for, so each card's entries still replay in order.
//
// The store keeps and reads; it decides nothing about a user's day.
// Reader offers the views package queue builds the day from, and none of
// them scans all cards: what is due is a range scan of due/, new cards
// come from the front of a deck's part of new/, and the day's log is a
// range scan of log/.
//
// # Locking
//
// bbolt holds an exclusive file lock for as long as the file is open, so
// commands open the store for one short piece of work and close it again;
// a review session reopens it for each rating instead of holding it while
// the user thinks. A process that finds the file locked retries, pausing
// a little longer each time, for Options.Timeout, then fails with
// ErrInUse. Restore and the compaction after an upgrade replace the file
// by renaming another over it while they hold the old one's lock; every
// open, having got a lock, checks that the locked file is still the one
// at the path and starts again if not (file.go), so no process commits
// into a replaced file.
//
// # Damage
//
// A file whose pages are damaged (overwritten, cut short) is refused at
// open where its meta page shows it (file.go), and otherwise reported as
// ErrDamaged by the transaction that meets the damage (damage.go); Verify
// walks every page (verify.go). Backup and Restore verify what they copy.
package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// Errors callers can test for with errors.Is.
var (
	ErrInUse     = errors.New("in use by another srs process")
	ErrNotSrs    = errors.New("not an srs database")
	ErrTooNew    = errors.New("made by a newer srs")
	ErrConflict  = errors.New("card changed since it was shown")
	ErrNoCard    = errors.New("no such card")
	ErrNoUser    = errors.New("no such user")
	ErrBadRecord = errors.New("corrupt record")
	ErrClockBack = errors.New("the clock seems to have gone back")
)

// Bucket and key names; see the package comment.
var (
	bMeta     = []byte("meta")
	bDecks    = []byte("decks")
	bCards    = []byte("cards")
	bText     = []byte("text")
	bUsers    = []byte("users")
	bSettings = []byte("settings")
	bState    = []byte("state")
	bDue      = []byte("due")
	bNew      = []byte("new")
	bLog      = []byte("log")

	kApp     = []byte("app")
	kSchema  = []byte("schema")
	kCreated = []byte("created")
	kBuiltin = []byte("builtin")
	kNextPos = []byte("nextpos")

	appName = []byte("srs")
)

// Options tune Open.
type Options struct {
	// Timeout is how long to wait for another process to release the
	// file. Zero means DefaultTimeout.
	Timeout time.Duration
	// ReadOnly opens the file with a shared lock and refuses writes; a
	// missing file is an error rather than created.
	ReadOnly bool
	// Now stamps the creation time of a new file.
	Now time.Time
	// Upgrading, if set, is told before an existing file is upgraded
	// from schema from to SchemaVersion: on a large collection that
	// takes seconds, which a user should not sit through in silence.
	Upgrading func(from, to uint64)
}

// initialMmap is the mapping reserved at open; pages are only resident
// once read.
const initialMmap = 1 << 30

// DefaultTimeout is how long Open waits for a lock: long enough for another
// command's short transaction, short enough to report a long-running one.
const DefaultTimeout = 1500 * time.Millisecond

// Store is an open srs database.
type Store struct {
	db   *db
	path string
}

// Open opens the database at path, creating it (and running migrations)
// if needed. A non-empty file that is not an srs database is refused and
// left untouched; so is a damaged one (ErrDamaged).
func Open(path string, opt Options) (*Store, error) {
	if opt.Timeout == 0 {
		opt.Timeout = DefaultTimeout
	}
	if opt.Now.IsZero() {
		opt.Now = time.Now()
	}
	d, err := openDB(path, opt)
	if err != nil {
		return nil, err
	}
	s := &Store{db: d, path: path}
	upgraded, err := s.init(opt)
	if err == nil && upgraded {
		err = s.compactAfterUpgrade(opt)
	}
	if err != nil {
		s.db.Close()
		return nil, err
	}
	return s, nil
}

// openDB locks the file at path (file.go), checks it and hands it to bbolt.
func openDB(path string, opt Options) (*db, error) {
	f, err := lockFile(path, opt.ReadOnly, opt.Timeout)
	if err != nil {
		return nil, err
	}
	if err := checkFile(f, path, opt.ReadOnly); err != nil {
		f.Close()
		return nil, err
	}
	handed := false
	b, err := openGuarded(path, &bolt.Options{
		// The lock is ours already (lockFile); bbolt's own attempt on
		// the same descriptor succeeds at once.
		Timeout:  opt.Timeout,
		ReadOnly: opt.ReadOnly,
		// bbolt opens the file again to stream a backup (Tx.WriteTo):
		// only its first open is of the locked file.
		OpenFile: func(name string, flag int, perm os.FileMode) (*os.File, error) {
			if !handed {
				handed = true
				return f, nil
			}
			return os.OpenFile(name, flag, perm)
		},
		FreelistType: bolt.FreelistMapType,
		// Address space, not memory: a big import would otherwise remap
		// (and copy every dirty node) each time the file doubles.
		InitialMmapSize: initialMmap,
	})
	if err != nil {
		unlock(f) // bbolt closed it, unless it panicked with f mapped
		f.Close()
		switch {
		case errors.Is(err, ErrDamaged):
			return nil, err
		case errors.Is(err, berrors.ErrTimeout):
			return nil, fmt.Errorf("database %s is %w", path, ErrInUse)
		case errors.Is(err, berrors.ErrInvalid), errors.Is(err, berrors.ErrChecksum), errors.Is(err, berrors.ErrVersionMismatch):
			return nil, fmt.Errorf("database %s: %w (%v)", path, ErrNotSrs, err)
		}
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	return &db{DB: b, path: path, file: f}, nil
}

// compactMinFree is how many free pages (16 MiB of 4 KiB pages) make a
// just-upgraded file worth compacting.
const compactMinFree = 4096

// rename is os.Rename, replaceable by tests.
var rename = os.Rename

// compactAfterUpgrade compacts the file when an upgrade left many pages
// free (upgradeV3 rewrites every card record). bbolt writes its whole
// freelist on every commit, so a 40 MB hole would cost each rating some
// 20 more pages until new data filled it. The compacted copy is written
// beside the file and renamed over it while this process still holds the
// old file's lock: a process waiting for that lock finds, once it has it,
// that the file is no longer the one at the path, and opens the new one
// (file.go). A crash leaves one or the other, both upgraded, and at worst
// a stale temporary file, which the next run removes.
func (s *Store) compactAfterUpgrade(opt Options) error {
	if st := s.db.Stats(); st.FreePageN+st.PendingPageN < compactMinFree {
		return nil
	}
	tmp := TempName(s.path)
	if err := s.CompactTo(tmp); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("compact %s after upgrade: %w", s.path, err)
	}
	if err := rename(tmp, s.path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("compact %s after upgrade (it is upgraded, not compacted): %w", s.path, err)
	}
	if err := syncDir(filepath.Dir(s.path)); err != nil {
		return fmt.Errorf("compact %s after upgrade: %w", s.path, err)
	}
	if err := s.db.Close(); err != nil {
		return err
	}
	d, err := openDB(s.path, opt)
	if err != nil {
		return err
	}
	s.db = d
	return nil
}

// init marks a fresh file as ours, refuses a bbolt file that is not, and
// brings the schema up to date in one transaction.
// init checks the file and brings it to SchemaVersion; upgraded reports
// that it ran a migration.
func (s *Store) init(opt Options) (upgraded bool, err error) {
	var version uint64
	err = s.db.View(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bMeta)
		if meta == nil || !bytes.Equal(meta.Get(kApp), appName) {
			// An empty bbolt file is one srs created and crashed
			// before marking; anything else belongs to someone else.
			empty := true
			tx.ForEach(func([]byte, *bolt.Bucket) error { empty = false; return nil })
			if !empty {
				return fmt.Errorf("database %s: %w (it holds other data)", s.path, ErrNotSrs)
			}
			version = 0
			return nil
		}
		v := meta.Get(kSchema)
		if len(v) != 8 {
			return fmt.Errorf("database %s: %w (no schema version)", s.path, ErrBadRecord)
		}
		version = binary.BigEndian.Uint64(v)
		return nil
	})
	if err != nil {
		return false, err
	}
	if version > SchemaVersion {
		return false, fmt.Errorf("database %s was %w (schema %d); upgrade srs", s.path, ErrTooNew, version)
	}
	if version == SchemaVersion {
		return false, nil
	}
	if s.db.IsReadOnly() {
		if version == 0 {
			return false, fmt.Errorf("database %s is empty", s.path)
		}
		return false, fmt.Errorf("database %s needs an upgrade (schema %d to %d); run any srs command without read-only access", s.path, version, SchemaVersion)
	}
	if version > 0 && opt.Upgrading != nil {
		opt.Upgrading(version, SchemaVersion)
	}
	return version > 0, migrate(s.db, version, opt.Now)
}

// Close releases the file and its lock.
func (s *Store) Close() error { return s.db.Close() }

// Path is the file the store was opened from.
func (s *Store) Path() string { return s.path }

func u64(v uint64) []byte {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], v)
	return b[:]
}
