package sqlitefile

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
)

// B-tree page types.
const (
	sqliteIndexInterior = 0x02
	sqliteTableInterior = 0x05
	sqliteIndexLeaf     = 0x0a
	sqliteTableLeaf     = 0x0d
)

// Tree builds one table or index B-tree bottom-up from rows given
// in key order: rowids strictly ascending for a table, records in SQLite's
// sort order for an index. Leaves are filled as full as they go and
// written as soon as they are full; each level above keeps one page being
// filled. Only the pages on the right edge are in memory, so a tree of any
// size takes a few pages per level.
//
// A table's interior cells hold the largest rowid of the child to their
// left. An index keeps every entry exactly once: the entry that does not
// fit in a full page moves up as the divider between that page and the
// next. A full page waits (pend) until the entry or child after its
// divider arrives, so that the last page of a level is never empty; if the
// input ends first, its last entry moves to the right instead.
type Tree struct {
	w       *File
	index   bool
	reserve int  // bytes kept free at the start of every page
	onPage1 bool // the root goes on page 1 (sqlite_schema), laid out into page1
	page1   []byte

	leaf    *sqlitePage
	pend    *sqlitePage // index: a full leaf whose divider is pendDiv
	pendDiv []byte
	parent  *sqliteInterior
	spare   []*sqlitePage

	rows int64
	last int64 // tables: the last rowid
	cell []byte
}

func NewTable(w *File) *Tree { return &Tree{w: w} }

func NewIndex(w *File) *Tree { return &Tree{w: w, index: true} }

func (t *Tree) newPage(typ byte) *sqlitePage {
	var p *sqlitePage
	if n := len(t.spare); n > 0 {
		p, t.spare = t.spare[n-1], t.spare[:n-1]
	} else {
		p = &sqlitePage{buf: make([]byte, t.w.pageSize)}
	}
	p.reset(typ, t.reserve)
	return p
}

// write appends p to the file and recycles it.
func (t *Tree) write(p *sqlitePage) (uint32, error) {
	pgno, err := t.w.appendPage(p.layout(0))
	t.spare = append(t.spare, p)
	return pgno, err
}

// writeRoot writes the root page p.
func (t *Tree) writeRoot(p *sqlitePage) (uint32, error) {
	if t.onPage1 {
		t.page1 = bytes.Clone(p.layout(sqliteHeaderSize))
		return 1, nil
	}
	return t.write(p)
}

// up is the level above the leaves, made on first use.
func (t *Tree) up() *sqliteInterior {
	if t.parent == nil {
		t.parent = &sqliteInterior{t: t}
	}
	return t.parent
}

// payloadCell appends payload to cell: the part SQLite keeps in the page
// (all of it up to the page type's limit), then the number of the first
// overflow page holding the rest.
func (t *Tree) payloadCell(cell, payload []byte) ([]byte, error) {
	local := t.w.localSize(len(payload), t.index)
	cell = append(cell, payload[:local]...)
	if local == len(payload) {
		return cell, nil
	}
	first, err := t.w.overflow(payload[local:])
	if err != nil {
		return nil, err
	}
	return binary.BigEndian.AppendUint32(cell, first), nil
}

// localSize is how much of a payload of p bytes a cell holds in the page
// (fileformat2.html, "Cell Payload Overflow Pages"): all of it up to X;
// beyond, M plus as much of the rest as leaves the overflow pages full,
// if that is at most X, else M.
func (w *File) localSize(p int, index bool) int {
	u := w.pageSize
	x := u - 35
	if index {
		x = (u-12)*64/255 - 23
	}
	if p <= x {
		return p
	}
	m := (u-12)*32/255 - 23
	if k := m + (p-m)%(u-4); k <= x {
		return k
	}
	return m
}

// Insert adds a row to a table; rowids must ascend.
func (t *Tree) Insert(rowid int64, payload []byte) error {
	if t.index {
		panic("sqlite: insert into an index")
	}
	if t.rows > 0 && rowid <= t.last {
		return fmt.Errorf("sqlite: rowid %d after %d", rowid, t.last)
	}
	if t.leaf == nil {
		t.leaf = t.newPage(sqliteTableLeaf)
	}
	cell := sqliteAppendVarint(t.cell[:0], uint64(len(payload)))
	cell = sqliteAppendVarint(cell, uint64(rowid))
	cell, err := t.payloadCell(cell, payload)
	if err != nil {
		return err
	}
	t.cell = cell
	if !t.leaf.fits(len(cell)) {
		if len(t.leaf.ptrs) == 0 {
			return errors.New("sqlite: a cell larger than a page")
		}
		pgno, err := t.write(t.leaf)
		if err != nil {
			return err
		}
		if err := t.up().push(pgno, sqliteAppendVarint(nil, uint64(t.last))); err != nil {
			return err
		}
		t.leaf = t.newPage(sqliteTableLeaf)
	}
	t.leaf.add(cell)
	t.last = rowid
	t.rows++
	return nil
}

// Add adds an entry (a record: the indexed columns, then the rowid) to an
// index; entries must come in the index's order.
func (t *Tree) Add(payload []byte) error {
	if !t.index {
		panic("sqlite: add to a table")
	}
	if t.leaf == nil {
		t.leaf = t.newPage(sqliteIndexLeaf)
	}
	cell, err := t.payloadCell(sqliteAppendVarint(t.cell[:0], uint64(len(payload))), payload)
	if err != nil {
		return err
	}
	t.cell = cell
	t.rows++
	switch {
	case t.pend != nil:
		pgno, err := t.write(t.pend)
		if err != nil {
			return err
		}
		t.pend = nil
		if err := t.up().push(pgno, t.pendDiv); err != nil {
			return err
		}
		t.leaf.add(cell)
	case t.leaf.fits(len(cell)):
		t.leaf.add(cell)
	case len(t.leaf.ptrs) == 0:
		return errors.New("sqlite: a cell larger than a page")
	default:
		t.pend, t.pendDiv = t.leaf, append(t.pendDiv[:0], cell...)
		t.leaf = t.newPage(sqliteIndexLeaf)
	}
	return nil
}

// Finish writes the pages still in memory and returns the root page.
func (t *Tree) Finish() (uint32, error) {
	if t.leaf == nil {
		typ := byte(sqliteTableLeaf)
		if t.index {
			typ = sqliteIndexLeaf
		}
		t.leaf = t.newPage(typ)
	}
	if t.pend != nil {
		// The input ended on a divider: it becomes the last leaf's only
		// entry, and the full leaf's own last entry the divider.
		last := t.pend.removeLast()
		pgno, err := t.write(t.pend)
		if err != nil {
			return 0, err
		}
		t.pend = nil
		if err := t.up().push(pgno, last); err != nil {
			return 0, err
		}
		t.leaf.add(t.pendDiv)
	}
	if t.parent == nil {
		return t.writeRoot(t.leaf)
	}
	pgno, err := t.write(t.leaf)
	if err != nil {
		return 0, err
	}
	return t.parent.finish(pgno)
}

// sqliteInterior is one level of interior pages. It receives the pages
// of the level below in order, each with the divider that follows it: for
// a table the page's largest rowid, for an index the entry between it and
// the next page (a payload-size varint, the local payload and perhaps an
// overflow page number).
type sqliteInterior struct {
	t       *Tree
	page    *sqlitePage
	pend    *sqlitePage // a full page whose own divider, pendDiv, goes up once the next cell arrives
	pendDiv []byte
	parent  *sqliteInterior
	cell    []byte
}

func (l *sqliteInterior) typ() byte {
	if l.t.index {
		return sqliteIndexInterior
	}
	return sqliteTableInterior
}

func (l *sqliteInterior) up() *sqliteInterior {
	if l.parent == nil {
		l.parent = &sqliteInterior{t: l.t}
	}
	return l.parent
}

// push adds child, followed by divider div.
func (l *sqliteInterior) push(child uint32, div []byte) error {
	if l.page == nil {
		l.page = l.t.newPage(l.typ())
	}
	if l.pend != nil {
		pgno, err := l.t.write(l.pend)
		if err != nil {
			return err
		}
		l.pend = nil
		if err := l.up().push(pgno, l.pendDiv); err != nil {
			return err
		}
	}
	l.cell = append(binary.BigEndian.AppendUint32(l.cell[:0], child), div...)
	if l.page.fits(len(l.cell)) {
		l.page.add(l.cell)
		return nil
	}
	if len(l.page.ptrs) == 0 {
		return errors.New("sqlite: a cell larger than a page")
	}
	// Full: child closes this page as its right-most child, and div
	// separates the page from the next.
	l.page.right = child
	l.pend, l.pendDiv = l.page, append(l.pendDiv[:0], div...)
	l.page = l.t.newPage(l.typ())
	return nil
}

// finish closes the level with its last child and returns the root.
func (l *sqliteInterior) finish(last uint32) (uint32, error) {
	if l.pend != nil {
		// The last page would have no cell: the full page gives it its
		// last cell, whose divider goes up instead.
		c := l.pend.removeLast()
		right := l.pend.right
		l.pend.right = binary.BigEndian.Uint32(c)
		pgno, err := l.t.write(l.pend)
		if err != nil {
			return 0, err
		}
		l.pend = nil
		if err := l.up().push(pgno, c[4:]); err != nil {
			return 0, err
		}
		l.page.add(append(binary.BigEndian.AppendUint32(l.cell[:0], right), l.pendDiv...))
	}
	l.page.right = last
	if l.parent == nil {
		return l.t.writeRoot(l.page)
	}
	pgno, err := l.t.write(l.page)
	if err != nil {
		return 0, err
	}
	return l.parent.finish(pgno)
}

// sqlitePage is a B-tree page being filled. Cells go from the end of the
// page backwards, packed with no gaps (SQLite checks that the unused bytes
// between cells match the header's count of fragments, here 0); the header
// and cell pointer array are laid out when the page is done.
type sqlitePage struct {
	buf     []byte
	ptrs    []uint16 // offsets of the cells, in key order
	lens    []uint16 // their lengths
	content int      // start of the cell content area
	typ     byte
	right   uint32 // interior pages: the right-most child
	room    int    // bytes before the cell pointer array: reserve and header
}

func (p *sqlitePage) interior() bool {
	return p.typ == sqliteIndexInterior || p.typ == sqliteTableInterior
}

func (p *sqlitePage) reset(typ byte, reserve int) {
	p.typ, p.right = typ, 0
	p.ptrs, p.lens = p.ptrs[:0], p.lens[:0]
	p.content = len(p.buf)
	p.room = reserve + 8
	if p.interior() {
		p.room += 4
	}
}

// sqliteMinCell is the least space SQLite assumes a cell takes.
const sqliteMinCell = 4

// fits reports whether a cell of n bytes and its pointer fit.
func (p *sqlitePage) fits(n int) bool {
	return p.content-max(n, sqliteMinCell) >= p.room+2*(len(p.ptrs)+1)
}

func (p *sqlitePage) add(cell []byte) {
	n := max(len(cell), sqliteMinCell)
	p.content -= n
	copy(p.buf[p.content:], cell)
	clear(p.buf[p.content+len(cell) : p.content+n])
	p.ptrs = append(p.ptrs, uint16(p.content))
	p.lens = append(p.lens, uint16(len(cell)))
}

// removeLast takes the last cell off the page and returns a copy of it.
func (p *sqlitePage) removeLast() []byte {
	i := len(p.ptrs) - 1
	off, n := int(p.ptrs[i]), int(p.lens[i])
	cell := bytes.Clone(p.buf[off : off+n])
	p.content += max(n, sqliteMinCell)
	p.ptrs, p.lens = p.ptrs[:i], p.lens[:i]
	return cell
}

// layout writes the page header at base (100 on page 1, else 0) and the
// cell pointer array after it, and returns the page.
func (p *sqlitePage) layout(base int) []byte {
	h := p.buf[base:]
	h[0] = p.typ
	binary.BigEndian.PutUint16(h[1:], 0) // no freeblocks
	binary.BigEndian.PutUint16(h[3:], uint16(len(p.ptrs)))
	binary.BigEndian.PutUint16(h[5:], uint16(p.content)) // 65536 is written as 0
	h[7] = 0                                             // no fragmented bytes
	n := 8
	if p.interior() {
		binary.BigEndian.PutUint32(h[8:], p.right)
		n = 12
	}
	for i, ptr := range p.ptrs {
		binary.BigEndian.PutUint16(h[n+2*i:], ptr)
	}
	clear(p.buf[base+n+2*len(p.ptrs) : p.content])
	return p.buf
}
