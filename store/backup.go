package store

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Backup writes a consistent copy of the database to path while other
// readers go on: a read transaction sees one snapshot, which bbolt can
// stream out. The snapshot is checked first (Verify), so that a damaged
// database is reported rather than copied; the copy is written as
// WriteFileAtomic writes.
func (s *Store) Backup(path string) (int64, error) {
	if sameFile(path, s.path) {
		return 0, fmt.Errorf("backup %s: that is the database itself", path)
	}
	var n int64
	err := s.db.View(func(tx *bolt.Tx) error {
		if err := s.verify(tx); err != nil {
			return err
		}
		return WriteFileAtomic(path, func(w io.Writer) (err error) {
			n, err = tx.WriteTo(w)
			return err
		})
	})
	if err != nil {
		return 0, fmt.Errorf("backup %s: %w", path, err)
	}
	return n, nil
}

// Verify checks the structure of the database file: the walk of
// verifyFile, then bbolt's own consistency check. A damaged file is
// ErrDamaged, naming the first problem.
func (s *Store) Verify() error {
	return s.db.View(s.verify)
}

func (s *Store) verify(tx *bolt.Tx) error {
	if problems := s.structureProblems(tx, 1); len(problems) > 0 {
		return damaged(s.path, problems[0])
	}
	return nil
}

// structureProblems lists what is wrong with the structure of the
// database file as tx sees it, at most max problems; none for a sound
// file. The caller holds the file's lock and writes nothing meanwhile,
// so the file on disk is what tx sees.
func (s *Store) structureProblems(tx *bolt.Tx, max int) []string {
	if problems := s.db.verify(max); len(problems) > 0 {
		return problems
	}
	var problems []string
	for err := range tx.Check() { // read to the end: the check's goroutine ends when it is drained
		if len(problems) < max {
			problems = append(problems, err.Error())
		}
	}
	return problems
}

func absPath(p string) string {
	a, err := filepath.Abs(p)
	if err != nil {
		return p
	}
	return a
}

// sameFile reports whether a and b name one file: the same path, or
// (through links) the same file on disk.
func sameFile(a, b string) bool {
	if absPath(a) == absPath(b) {
		return true
	}
	fa, err1 := os.Stat(a)
	fb, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(fa, fb)
}

// With opens a store with open, runs fn on it and closes it: the shape of
// every piece of work srs does, since it holds the file only while it
// works.
func With(open func() (*Store, error), fn func(*Store) error) error {
	s, err := open()
	if err != nil {
		return err
	}
	err = fn(s)
	if cerr := s.Close(); err == nil {
		err = cerr
	}
	return err
}

// testHookSwap, if set, is called by Restore just before it renames the
// restored file over the database, while it holds the database's lock.
var testHookSwap func()

// Restore replaces the database at dbPath with the backup at from. It
// copies the backup beside the database, opens the copy (upgrading a
// backup from an older srs), checks its structure, and renames it over
// the database while holding the database's lock; a process that waited
// for that lock then opens the restored file, not the replaced one
// (file.go). It refuses a file that is not an srs database, a damaged
// one, one made by a newer srs, and (unless force) a backup that lacks
// reviews the database has, which would silently throw them away.
func Restore(dbPath, from string, force bool, opt Options) error {
	if sameFile(dbPath, from) {
		return fmt.Errorf("restore %s: that is the database itself", from)
	}
	if opt.Timeout == 0 {
		opt.Timeout = DefaultTimeout
	}
	fi, err := os.Stat(from)
	if err != nil {
		return fmt.Errorf("restore %s: %w", from, unwrapPath(err))
	}
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("restore %s: %s, not a backup file", from, fileKind(fi))
	}
	if fi.Size() == 0 {
		return fmt.Errorf("restore %s: an empty file, not a backup", from)
	}
	// The database's lock is held from here until the file is swapped.
	// A damaged database is what a restore is for: with force, its lock
	// is taken without reading it.
	cur, err := Open(dbPath, opt)
	switch {
	case err == nil:
		defer cur.Close()
	case (errors.Is(err, ErrDamaged) || errors.Is(err, ErrBadRecord)) && force:
		lock, err := lockFile(dbPath, false, opt.Timeout)
		if err != nil {
			return err
		}
		defer lock.Close()
	case errors.Is(err, ErrDamaged):
		return restoreError(from, "", err)
	case errors.Is(err, ErrBadRecord):
		// A record opening reads (the schema version, a state an
		// upgrade reads) is damaged: the file's structure may be sound.
		return fmt.Errorf("restore %s: %w; --force restores over it (its reviews cannot be compared with the backup's)", from, err)
	default:
		return err
	}
	tmp := TempName(dbPath)
	defer os.Remove(tmp)
	if err := copyToNew(tmp, from); err != nil {
		return fmt.Errorf("restore %s: %w", from, err)
	}
	bk, err := Open(tmp, Options{Timeout: opt.Timeout, Now: opt.Now})
	if err != nil {
		return restoreError(from, tmp, err)
	}
	err = bk.Verify()
	if err == nil && !force {
		err = cur.lacks(bk, from)
	}
	if cerr := bk.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return restoreError(from, tmp, err)
	}
	if testHookSwap != nil {
		testHookSwap()
	}
	if err := rename(tmp, dbPath); err != nil {
		return fmt.Errorf("restore %s: %w", from, err)
	}
	if err := syncDir(filepath.Dir(dbPath)); err != nil {
		return fmt.Errorf("restore %s: %w", from, err)
	}
	return nil
}

// restoreError names the backup where an error names the copy of it.
func restoreError(from, tmp string, err error) error {
	var d *damageError
	if errors.As(err, &d) && d.path == tmp {
		return fmt.Errorf("restore %s: the backup is %w (%s); nothing was restored", from, ErrDamaged, d.what)
	}
	if errors.As(err, &d) {
		return fmt.Errorf("restore %s: database %s is %w (%s); --force restores over it (its reviews cannot be compared with the backup's)", from, d.path, ErrDamaged, d.what)
	}
	if strings.HasPrefix(err.Error(), "restore ") {
		return err
	}
	return fmt.Errorf("restore: %w", renamedError{err, strings.ReplaceAll(err.Error(), tmp, from)})
}

type renamedError struct {
	error
	msg string
}

func (e renamedError) Error() string { return e.msg }
func (e renamedError) Unwrap() error { return e.error }

// unwrapPath drops the *PathError's repetition of the path.
func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// copyToNew copies from to a new file to, synced.
func copyToNew(to, from string) error {
	src, err := os.Open(from)
	if err != nil {
		return unwrapPath(err)
	}
	defer src.Close()
	dst, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	_, err = io.Copy(dst, src)
	if err == nil {
		err = dst.Sync()
	}
	if cerr := dst.Close(); err == nil {
		err = cerr
	}
	return err
}

// lacks refuses a backup bk that lacks a review the
// database s has: for each user, the newest entry of s's log must be in
// bk's. (Comparing times alone would miss reviews made in the same
// second, or under a fixed SRS_NOW.)
func (s *Store) lacks(bk *Store, from string) error {
	last := map[string]LogKey{}
	err := s.db.View(func(tx *bolt.Tx) error {
		return forEachUser(tx, func(name string, _ *bolt.Bucket) error {
			ub, err := openUser(tx, name)
			if err != nil {
				return err
			}
			if k := ub.lastLogKey(); k != nil {
				lk, err := parseLogKey(k)
				if err != nil {
					return err
				}
				last[name] = lk
			}
			return nil
		})
	})
	if err != nil {
		return err
	}
	return bk.db.View(func(tx *bolt.Tx) error {
		for _, name := range sortedKeys(last) {
			k := last[name]
			bkLast := "none"
			if ub, err := openUser(tx, name); err == nil {
				if ub.log.Get(k[:]) != nil {
					continue
				}
				if l := ub.lastLogKey(); l != nil {
					if lk, err := parseLogKey(l); err == nil {
						bkLast = lk.Time().Format(time.RFC3339)
					}
				}
			}
			return fmt.Errorf("restore %s: database %s has reviews of user %s up to %s that the backup lacks (its last: %s); use --force to overwrite them",
				from, s.path, name, k.Time().Format(time.RFC3339), bkLast)
		}
		return nil
	})
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// CompactTo writes a compacted copy of the database to path (which must
// not exist): every page rewritten full, no free pages. A database that
// took a very large import carries a large freelist, which bbolt rewrites
// on every commit until the pages are reused; a compacted copy does not.
func (s *Store) CompactTo(path string) error {
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("compact to %s: file exists", path)
	}
	dst, err := bolt.Open(path, 0o600, &bolt.Options{FreelistType: bolt.FreelistMapType})
	if err != nil {
		return fmt.Errorf("compact to %s: %w", path, err)
	}
	if err := bolt.Compact(dst, s.db.DB, 64<<20); err != nil {
		dst.Close()
		os.Remove(path)
		return fmt.Errorf("compact to %s: %w", path, err)
	}
	return dst.Close()
}
