package store

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Backup writes a consistent copy of the database to path while other
// readers go on: a read transaction sees one snapshot, which bbolt can
// stream out. The copy is written beside path and renamed into place, so
// a crash never leaves a half-written backup under the name.
func (s *Store) Backup(path string) (int64, error) {
	if abs(path) == abs(s.path) {
		return 0, fmt.Errorf("backup %s: that is the database itself", path)
	}
	var n int64
	err := WriteFileAtomic(path, func(w io.Writer) error {
		return s.db.View(func(tx *bolt.Tx) (err error) {
			n, err = tx.WriteTo(w)
			return err
		})
	})
	if err != nil {
		return 0, fmt.Errorf("backup %s: %w", path, err)
	}
	return n, nil
}

func abs(p string) string {
	a, err := filepath.Abs(p)
	if err != nil {
		return p
	}
	return a
}

// WriteFileAtomic writes a file the way srs writes every file it makes
// (backups, exports, restored databases): through a temporary sibling,
// buffered, synced and renamed over path, so that a crash or an error
// never leaves a half-written file under the name.
func WriteFileAtomic(path string, write func(io.Writer) error) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer os.Remove(tmp)
	bw := bufio.NewWriterSize(f, 1<<20)
	err = write(bw)
	if err == nil {
		err = bw.Flush()
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp, 0o600)
	}
	if err != nil {
		return err
	}
	return os.Rename(tmp, path)
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

// LastActivity is the time of the newest log entry of any user, zero for
// a database without reviews.
func (s *Store) LastActivity() (time.Time, error) {
	var last time.Time
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
				if t := lk.Time(); t.After(last) {
					last = t
				}
			}
			return nil
		})
	})
	return last, err
}

// Restore replaces the database at dbPath with the backup at from. It
// refuses a file that is not an srs database, one made by a newer srs, and
// (unless force) a backup older than the database's newest review, which
// would silently throw reviews away.
func Restore(dbPath, from string, force bool, opt Options) error {
	if abs(dbPath) == abs(from) {
		return fmt.Errorf("restore %s: that is the database itself", from)
	}
	bk, err := Open(from, Options{ReadOnly: true, Timeout: opt.Timeout})
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	bkLast, err := bk.LastActivity()
	bk.Close()
	if err != nil {
		return fmt.Errorf("restore %s: %w", from, err)
	}
	cur, err := Open(dbPath, opt) // holds the lock while the file is swapped
	if err != nil {
		return err
	}
	defer cur.Close()
	curLast, err := cur.LastActivity()
	if err != nil {
		return err
	}
	if curLast.After(bkLast) && !force {
		return fmt.Errorf("restore %s: database %s has reviews up to %s, newer than the backup's last (%s); use --force to overwrite them",
			from, dbPath, curLast.Format(time.RFC3339), showTime(bkLast))
	}
	src, err := os.Open(from)
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	defer src.Close()
	if err := WriteFileAtomic(dbPath, func(w io.Writer) error { _, err := io.Copy(w, src); return err }); err != nil {
		return fmt.Errorf("restore %s: %w", from, err)
	}
	return nil
}

func showTime(t time.Time) string {
	if t.IsZero() {
		return "none"
	}
	return t.Format(time.RFC3339)
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
	if err := bolt.Compact(dst, s.db, 64<<20); err != nil {
		dst.Close()
		os.Remove(path)
		return fmt.Errorf("compact to %s: %w", path, err)
	}
	return dst.Close()
}
