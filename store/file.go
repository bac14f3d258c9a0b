package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"math/rand/v2"
	"os"
	"time"
)

// The file under the lock. bbolt locks the file it opened, but a restore
// or a compaction replaces the file at the path by renaming another over
// it (while holding the old one's lock). A process that opened the path
// before the rename and waited for the lock would then get the lock of a
// file no longer at the path, and commit into a deleted file. So every
// open takes the lock itself, then checks that the file it locked is
// still the one at the path, and starts again if not; only then does
// bbolt get the file (Options.OpenFile), locking it again, which is a
// no-op on a lock this descriptor already holds.

// testHookWaiting, if set, is called when an open finds the file locked
// and starts to wait: the moment a test swaps the file under it.
var testHookWaiting func(path string)

// lockFile opens the database file at path, locks it (shared if readOnly)
// and returns it once the locked file is the one at path. It waits up to
// timeout for another process's lock, retrying after a pause that grows
// from 1 ms to 10 ms, jittered: short enough that a waiter catches the
// gaps of a process that reopens the file for every piece of work (bbolt
// alone tries every 50 ms), and a flock call every few milliseconds costs
// nothing.
func lockFile(path string, readOnly bool, timeout time.Duration) (*os.File, error) {
	deadline := time.Now().Add(timeout)
	pause := time.Millisecond
	waited := false
	for {
		f, err := openRegular(path, readOnly)
		if err != nil {
			return nil, err
		}
		for {
			err = tryLock(f, !readOnly)
			if !errors.Is(err, errLocked) {
				break
			}
			if !waited && testHookWaiting != nil {
				testHookWaiting(path)
			}
			waited = true
			if time.Now().After(deadline) {
				f.Close()
				return nil, fmt.Errorf("database %s is %w", path, ErrInUse)
			}
			time.Sleep(pause/2 + rand.N(pause))
			pause = min(2*pause, 10*time.Millisecond)
		}
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("lock database %s: %w", path, err)
		}
		same, err := stillAt(f, path)
		if err != nil {
			f.Close()
			return nil, err
		}
		if same {
			return f, nil
		}
		// Replaced while we waited: the lock is on the old file. The
		// new one is taken in its turn, however late it is by now.
		f.Close()
	}
}

// openRegular opens the file at path, refusing anything that is not a
// regular file (a device, a pipe, a socket), whose contents srs could
// neither map nor lock, and a missing file when readOnly.
func openRegular(path string, readOnly bool) (*os.File, error) {
	if fi, err := os.Stat(path); err == nil {
		if err := regular(path, fi); err != nil {
			return nil, err
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	} else if readOnly {
		return nil, fmt.Errorf("database %s does not exist", path)
	}
	flag := os.O_RDWR | os.O_CREATE
	if readOnly {
		flag = os.O_RDONLY
	}
	f, err := os.OpenFile(path, flag, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	fi, err := f.Stat()
	if err == nil {
		err = regular(path, fi)
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// regular refuses what is not a regular file, naming what it is.
func regular(path string, fi os.FileInfo) error {
	switch {
	case fi.Mode().IsRegular():
		return nil
	case fi.IsDir():
		return fmt.Errorf("database %s is a directory", path)
	}
	return fmt.Errorf("database %s is %s, not a database file", path, fileKind(fi))
}

// fileKind names what kind of file fi is.
func fileKind(fi os.FileInfo) string {
	m := fi.Mode()
	switch {
	case m.IsRegular():
		return "a file"
	case m.IsDir():
		return "a directory"
	case m&os.ModeCharDevice != 0:
		return "a character device"
	case m&os.ModeDevice != 0:
		return "a block device"
	case m&os.ModeNamedPipe != 0:
		return "a named pipe"
	case m&os.ModeSocket != 0:
		return "a socket"
	}
	return "not a regular file"
}

// stillAt reports whether f is the file now at path.
func stillAt(f *os.File, path string) (bool, error) {
	held, err := f.Stat()
	if err != nil {
		return false, fmt.Errorf("open database %s: %w", path, err)
	}
	now, err := os.Stat(path)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("open database %s: %w", path, err)
	}
	return os.SameFile(held, now), nil
}

// bbolt's file format, as far as checkFile reads it: two meta pages at
// the start, each a 16-byte page header and then the meta fields,
// little-endian, followed by their FNV-64a checksum.
const (
	boltMagic             = 0xED0CDAED
	boltVersion           = 2
	pageHeaderSize        = 16
	metaSize              = 56 // magic .. txid: what the checksum covers
	noFreelist     uint64 = 1<<64 - 1
)

// boltMeta is one meta page's fields.
type boltMeta struct {
	pageSize uint32
	root     uint64 // the root bucket's page
	freelist uint64
	hwm      uint64 // pages in use: the high-water mark
	txid     uint64
}

// parseMeta decodes the meta page in p (at least pageHeaderSize+metaSize+8
// bytes); ok is false when its magic, version or checksum is wrong.
func parseMeta(p []byte) (m boltMeta, magic, ok bool) {
	b := p[pageHeaderSize:]
	if binary.LittleEndian.Uint32(b[0:]) != boltMagic {
		return m, false, false
	}
	h := fnv.New64a()
	h.Write(b[:metaSize])
	if binary.LittleEndian.Uint32(b[4:]) != boltVersion || binary.LittleEndian.Uint64(b[metaSize:]) != h.Sum64() {
		return m, true, false
	}
	return boltMeta{
		pageSize: binary.LittleEndian.Uint32(b[8:]),
		root:     binary.LittleEndian.Uint64(b[16:]),
		freelist: binary.LittleEndian.Uint64(b[32:]),
		hwm:      binary.LittleEndian.Uint64(b[40:]),
		txid:     binary.LittleEndian.Uint64(b[48:]),
	}, true, true
}

// readMeta reads the meta page bbolt will use, as bbolt chooses it: of
// the two, the valid one with the higher transaction id.
func readMeta(f io.ReaderAt) (m boltMeta, magic bool, err error) {
	var buf [pageHeaderSize + metaSize + 8]byte
	found := false
	// The first meta page is at 0; the second one page further, at the
	// page size the first names, or (if the first is damaged) at the
	// common page sizes.
	offsets := []int64{0, 4096, 16384, 65536}
	for _, off := range offsets {
		if _, err := f.ReadAt(buf[:], off); err != nil {
			if errors.Is(err, io.EOF) {
				continue
			}
			return m, magic, err
		}
		mm, mg, ok := parseMeta(buf[:])
		magic = magic || mg
		if !ok || off != 0 && int64(mm.pageSize) != off {
			continue
		}
		if !found || mm.txid > m.txid {
			m, found = mm, true
		}
		if off == 0 && mm.pageSize != 4096 {
			offsets[1] = int64(mm.pageSize)
		}
	}
	if !found {
		return m, magic, errNoMeta
	}
	return m, magic, nil
}

var errNoMeta = errors.New("no valid meta page")

// checkFile looks at the locked file before bbolt does, so that a foreign,
// truncated or damaged file is refused without bbolt writing to it (bbolt
// initialises any zero-length file it opens) or faulting on pages past its
// end (bbolt maps the file and trusts its meta page).
func checkFile(f *os.File, path string, readOnly bool) error {
	fi, err := f.Stat()
	if err != nil {
		return fmt.Errorf("open database %s: %w", path, err)
	}
	size := fi.Size()
	if size == 0 {
		if readOnly {
			return fmt.Errorf("database %s is empty", path)
		}
		return nil
	}
	m, magic, err := readMeta(f)
	switch {
	case errors.Is(err, errNoMeta) && !magic:
		return fmt.Errorf("database %s: %w (unknown file format)", path, ErrNotSrs)
	case errors.Is(err, errNoMeta):
		return unopenable(path, "both of its meta pages are damaged")
	case err != nil:
		return fmt.Errorf("open database %s: %w", path, err)
	}
	ps := int64(m.pageSize)
	if ps < 512 || ps > 1<<20 || ps&(ps-1) != 0 {
		return unopenable(path, fmt.Sprintf("page size %d", ps))
	}
	if size%ps != 0 || size < 4*ps {
		return truncated(path, size, 0)
	}
	// Pages up to the high-water mark are in use; a file shorter than
	// that was cut off, and bbolt would fault reading past its end.
	if m.hwm > uint64(size/ps) {
		return truncated(path, size, int64(m.hwm)*ps)
	}
	if m.root < 2 || m.root >= m.hwm || m.freelist != noFreelist && (m.freelist < 2 || m.freelist >= m.hwm) {
		return unopenable(path, "its meta page points outside the file")
	}
	// bbolt reads the freelist as it opens, trusting its page.
	if m.freelist != noFreelist {
		if what := checkFreelistPage(f, m); what != "" {
			return unopenable(path, what)
		}
	}
	return nil
}

// checkFreelistPage says what is wrong with the freelist page's header,
// "" if nothing.
func checkFreelistPage(f io.ReaderAt, m boltMeta) string {
	var hdr [pageHeaderSize + 8]byte
	if _, err := f.ReadAt(hdr[:], int64(m.freelist)*int64(m.pageSize)); err != nil {
		return fmt.Sprintf("freelist page %d: %v", m.freelist, err)
	}
	id, flags := binary.LittleEndian.Uint64(hdr[0:]), binary.LittleEndian.Uint16(hdr[8:])
	count, overflow := uint64(binary.LittleEndian.Uint16(hdr[10:])), uint64(binary.LittleEndian.Uint32(hdr[12:]))
	if count == 0xFFFF {
		count = binary.LittleEndian.Uint64(hdr[pageHeaderSize:]) + 1
	}
	switch {
	case id != m.freelist || flags != freelistFlag:
		return fmt.Sprintf("freelist page %d is not a freelist", m.freelist)
	case overflow >= m.hwm-m.freelist || count > (overflow+1)*uint64(m.pageSize)/8:
		return fmt.Sprintf("freelist page %d runs past its pages", m.freelist)
	}
	return ""
}

func truncated(path string, size, want int64) error {
	what := fmt.Sprintf("truncated: %d bytes", size)
	if want > 0 {
		what += fmt.Sprintf(", its pages reach %d", want)
	}
	return unopenable(path, what)
}
