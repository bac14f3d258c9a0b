package sqlitefile

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

const (
	// sqlitePageSize is the page size of the files we write: SQLite's
	// default, and Anki's.
	sqlitePageSize = 4096
	// sqliteVersionNumber is the SQLITE_VERSION_NUMBER written in the
	// header, as the library that last wrote the file.
	sqliteVersionNumber = 3045000
	// sqlitePendingByte is where SQLite's file locks live: the page holding
	// this offset is never used for data.
	sqlitePendingByte = 0x40000000
)

// File writes an SQLite database file in one pass. Pages 2, 3, ...
// go to a stream in the order they are numbered; page 1, which holds the
// header and the root of sqlite_schema, is made by close once every root
// page is known, for the caller to put first. The result is in rollback
// journal mode (legacy file format versions 1), schema format 4, UTF-8,
// with no free pages.
type File struct {
	bw       *bufio.Writer
	pageSize int
	next     uint32 // the number the next appended page gets
	lockPage uint32 // the page holding sqlitePendingByte, left empty
	count    uint32 // pages handed to bw so far, counting page 1
	schema   []sqliteSchemaRow
	err      error
	scratch  []byte // one page, for overflow pages
}

type sqliteSchemaRow struct {
	typ, name, table, sql string
	root                  uint32
}

// New starts a database whose pages from page 2 on are
// written to out.
func New(out io.Writer) *File {
	return &File{bw: bufio.NewWriterSize(out, 1<<20), pageSize: sqlitePageSize, next: 2, count: 1,
		lockPage: sqlitePendingByte/sqlitePageSize + 1, scratch: make([]byte, sqlitePageSize)}
}

// NewOn starts a database in the empty file f; closeOn
// finishes it.
func NewOn(f *os.File) *File {
	return New(io.NewOffsetWriter(f, sqlitePageSize))
}

// CloseOn finishes a database started by NewOn.
func (w *File) CloseOn(f *os.File) error {
	page1, err := w.Close()
	if err != nil {
		return err
	}
	_, err = f.WriteAt(page1, 0)
	return err
}

// alloc reserves the next page number; pages must be put in the order
// their numbers were allocated.
func (w *File) alloc() uint32 {
	if w.next == w.lockPage {
		w.next++
	}
	w.next++
	return w.next - 1
}

// put writes page pgno, which must be the next one allocated and not
// yet put.
func (w *File) put(pgno uint32, page []byte) error {
	if w.err != nil {
		return w.err
	}
	if len(page) != w.pageSize {
		panic("sqlite: page of the wrong size")
	}
	if w.count+1 == w.lockPage {
		if _, err := w.bw.Write(make([]byte, w.pageSize)); err != nil {
			w.err = err
			return err
		}
		w.count++
	}
	if pgno != w.count+1 {
		panic(fmt.Sprintf("sqlite: page %d put where page %d goes", pgno, w.count+1))
	}
	if _, err := w.bw.Write(page); err != nil {
		w.err = err
		return err
	}
	w.count++
	return nil
}

// appendPage allocates and puts a page in one step.
func (w *File) appendPage(page []byte) (uint32, error) {
	pgno := w.alloc()
	return pgno, w.put(pgno, page)
}

// overflow writes payload to a chain of overflow pages and returns the
// first: each page is the next page's number (0 on the last) followed by
// up to pageSize-4 bytes of payload.
func (w *File) overflow(payload []byte) (uint32, error) {
	first := w.alloc()
	pgno := first
	for len(payload) > 0 {
		n := min(len(payload), w.pageSize-4)
		var next uint32
		if n < len(payload) {
			next = w.alloc()
		}
		page := w.scratch
		binary.BigEndian.PutUint32(page, next)
		copy(page[4:], payload[:n])
		clear(page[4+n:])
		if err := w.put(pgno, page); err != nil {
			return 0, err
		}
		payload = payload[n:]
		pgno = next
	}
	return first, nil
}

// create records a table or index for sqlite_schema; sql is its CREATE
// statement as SQLite keeps it (no trailing semicolon).
func (w *File) create(typ, name, table, sql string, root uint32) {
	w.schema = append(w.schema, sqliteSchemaRow{typ, name, table, sql, root})
}

// CreateSchema splits a script of CREATE TABLE and CREATE INDEX statements
// (one per ";", no other semicolons) and records each with its root page,
// found in roots by name. Every B-tree in roots must have its statement.
func (w *File) CreateSchema(script string, roots map[string]uint32) error {
	before := len(w.schema)
	for _, stmt := range strings.Split(script, ";") {
		stmt = strings.TrimSpace(stmt)
		if stmt == "" {
			continue
		}
		f := strings.Fields(stmt)
		switch {
		case len(f) >= 3 && strings.EqualFold(f[0], "CREATE") && strings.EqualFold(f[1], "TABLE"):
			name := strings.TrimSuffix(f[2], "(")
			root, ok := roots[name]
			if !ok {
				return fmt.Errorf("sqlite: no B-tree for table %s", name)
			}
			w.create("table", name, name, stmt, root)
		case len(f) >= 5 && strings.EqualFold(f[0], "CREATE") && strings.EqualFold(f[1], "INDEX") && strings.EqualFold(f[3], "ON"):
			name, table := f[2], strings.TrimSuffix(f[4], "(")
			root, ok := roots[name]
			if !ok {
				return fmt.Errorf("sqlite: no B-tree for index %s", name)
			}
			w.create("index", name, table, stmt, root)
		default:
			return fmt.Errorf("sqlite: cannot place statement %.40q", stmt)
		}
	}
	if n := len(w.schema) - before; n != len(roots) {
		return fmt.Errorf("sqlite: %d B-trees for %d statements", len(roots), n)
	}
	return nil
}

// Close writes sqlite_schema, its root on page 1, flushes the other
// pages and returns page 1, header included.
func (w *File) Close() ([]byte, error) {
	if w.err != nil {
		return nil, w.err
	}
	t := NewTable(w)
	t.reserve = sqliteHeaderSize // so that any page of it, the root included, fits on page 1
	t.onPage1 = true
	var rec Record
	var payload []byte
	for i, s := range w.schema {
		rec.Reset()
		rec.Text(s.typ)
		rec.Text(s.name)
		rec.Text(s.table)
		rec.Int(int64(s.root))
		rec.Text(s.sql)
		payload = rec.AppendTo(payload[:0])
		if err := t.Insert(int64(i+1), payload); err != nil {
			return nil, err
		}
	}
	if _, err := t.Finish(); err != nil {
		return nil, err
	}
	if err := w.bw.Flush(); err != nil {
		return nil, err
	}
	pages := w.count
	if pages != w.next-1 {
		return nil, errors.New("sqlite: pages allocated but not written")
	}
	page1 := t.page1
	h := page1[:sqliteHeaderSize]
	copy(h, "SQLite format 3\x00")
	binary.BigEndian.PutUint16(h[16:], uint16(w.pageSize&0xffff|w.pageSize>>16)) // 65536 is written as 1
	h[18], h[19] = 1, 1                                                          // legacy (rollback journal) write and read versions
	h[20] = 0                                                                    // no reserved bytes at the end of pages
	h[21], h[22], h[23] = 64, 32, 32                                             // payload fractions, fixed
	binary.BigEndian.PutUint32(h[24:], 1)                                        // file change counter
	binary.BigEndian.PutUint32(h[28:], pages)                                    // database size in pages
	binary.BigEndian.PutUint32(h[32:], 0)                                        // no freelist
	binary.BigEndian.PutUint32(h[36:], 0)
	binary.BigEndian.PutUint32(h[40:], 1) // schema cookie
	binary.BigEndian.PutUint32(h[44:], 4) // schema format 4
	binary.BigEndian.PutUint32(h[48:], 0) // default page cache size
	binary.BigEndian.PutUint32(h[52:], 0) // no auto-vacuum
	binary.BigEndian.PutUint32(h[56:], 1) // UTF-8
	binary.BigEndian.PutUint32(h[60:], 0) // user_version
	binary.BigEndian.PutUint32(h[64:], 0) // no incremental vacuum
	binary.BigEndian.PutUint32(h[68:], 0) // application_id
	clear(h[72:92])                       // reserved for expansion
	binary.BigEndian.PutUint32(h[92:], 1) // version-valid-for: the change counter, so the size above is trusted
	binary.BigEndian.PutUint32(h[96:], sqliteVersionNumber)
	return page1, nil
}

// sqliteHeaderSize is the database header at the start of page 1.
const sqliteHeaderSize = 100
