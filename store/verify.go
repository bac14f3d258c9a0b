package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"os"
)

// verifyFile checks the structure of a bbolt file by reading it itself,
// never through bbolt's map: every page reachable from the root is read
// once (a page reached twice is reported, not walked again, so a cycle
// cannot hang the walk), is a branch or a leaf within the high-water
// mark, holds elements that fit in it, and keeps its keys in order and
// within the range its parent gives them; the freelist names pages below
// the mark, each once; every page is in use or free, never both, never
// neither. bbolt's own check (Tx.Check) asks the same, but reads through
// the map from a goroutine of its own, where a damaged page is a crash
// rather than an error: so srs runs this walk first, and Tx.Check only
// on a file it has passed.
//
// It stops after max problems; err is for a file it could not read.
func verifyFile(f io.ReaderAt, max int) (problems []string, err error) {
	m, _, err := readMeta(f)
	if err != nil {
		return []string{"both meta pages are damaged"}, nil
	}
	v := &verifier{f: f, ps: int64(m.pageSize), hwm: m.hwm, max: max,
		used: make([]bool, m.hwm), free: make([]bool, m.hwm)}
	if size, ok := fileSize(f); ok && size < int64(m.hwm)*v.ps {
		v.add("file truncated: %d bytes, its pages reach %d", size, int64(m.hwm)*v.ps)
		return v.problems, nil
	}
	v.used[0], v.used[1] = true, true
	// bbolt uses the newer valid meta page, but its check reads both
	// and cannot take one of no known type.
	for id := range int64(2) {
		var hdr [pageHeaderSize]byte
		if _, err := f.ReadAt(hdr[:], id*v.ps); err != nil {
			return nil, fmt.Errorf("read page %d: %w", id, err)
		}
		if binary.LittleEndian.Uint64(hdr[0:]) != uint64(id) || binary.LittleEndian.Uint16(hdr[8:]) != metaFlag {
			v.add("meta page %d is damaged", id)
		}
	}
	if m.freelist != noFreelist {
		v.freelist(m.freelist)
	}
	if v.full() {
		return v.problems, v.err
	}
	v.tree(m.root, nil, nil, "root")
	for id := uint64(2); id < m.hwm && !v.full(); id++ {
		if !v.used[id] && !v.free[id] {
			v.add("page %d: neither in use nor free", id)
		}
	}
	return v.problems, v.err
}

func fileSize(f io.ReaderAt) (int64, bool) {
	if s, ok := f.(interface{ Stat() (os.FileInfo, error) }); ok {
		if fi, err := s.Stat(); err == nil {
			return fi.Size(), true
		}
	}
	return 0, false
}

type verifier struct {
	f        io.ReaderAt
	ps       int64
	hwm      uint64
	used     []bool
	free     []bool
	max      int
	problems []string
	err      error
	// Buffers for the pages on the path being walked, one per depth:
	// a page's keys are in use while its children are read.
	bufs  [][]byte
	elems [][]elem
	depth int
}

// elem is one element of a branch or leaf page.
type elem struct {
	key, val []byte
	child    uint64
	bucket   bool
}

const (
	branchFlag   = 0x01
	leafFlag     = 0x02
	metaFlag     = 0x04
	freelistFlag = 0x10
	bucketFlag   = 0x01 // of a leaf element: the value is a bucket
	elemSize     = 16   // of a branch or leaf element
	inBucketSize = 16   // a bucket value's header: root page, sequence
)

func (v *verifier) add(format string, args ...any) {
	if len(v.problems) < v.max {
		v.problems = append(v.problems, fmt.Sprintf(format, args...))
	}
}

func (v *verifier) full() bool { return len(v.problems) >= v.max || v.err != nil }

// page reads page id and its overflow pages, marking them in use; ok is
// false (and a problem reported) when it cannot be used.
func (v *verifier) page(id uint64, what string) (p []byte, ok bool) {
	if id < 2 || id >= v.hwm {
		v.add("%s: page %d is outside the file's %d pages", what, id, v.hwm)
		return nil, false
	}
	for len(v.bufs) <= v.depth {
		v.bufs = append(v.bufs, make([]byte, v.ps))
	}
	p = v.bufs[v.depth][:v.ps]
	if _, err := v.f.ReadAt(p, int64(id)*v.ps); err != nil {
		v.err = fmt.Errorf("read page %d: %w", id, err)
		return nil, false
	}
	hdr := p[:pageHeaderSize]
	if got := binary.LittleEndian.Uint64(hdr[0:]); got != id {
		v.add("%s: page %d says it is page %d", what, id, got)
		return nil, false
	}
	overflow := uint64(binary.LittleEndian.Uint32(hdr[12:]))
	if overflow >= v.hwm-id {
		v.add("%s: page %d runs past the file's end (%d overflow pages)", what, id, overflow)
		return nil, false
	}
	for i := id; i <= id+overflow; i++ {
		if v.used[i] {
			v.add("%s: page %d is used twice", what, i)
			return nil, false
		}
		if v.free[i] {
			v.add("%s: page %d is in use and free", what, i)
			return nil, false
		}
		v.used[i] = true
	}
	if overflow > 0 {
		size := int64(overflow+1) * v.ps
		if int64(cap(v.bufs[v.depth])) < size {
			grown := make([]byte, size)
			copy(grown, p)
			v.bufs[v.depth] = grown
		}
		p = v.bufs[v.depth][:size]
		if _, err := v.f.ReadAt(p[v.ps:], int64(id+1)*v.ps); err != nil {
			v.err = fmt.Errorf("read page %d: %w", id, err)
			return nil, false
		}
	}
	return p, true
}

func (v *verifier) freelist(id uint64) {
	p, ok := v.page(id, "freelist")
	if !ok {
		return
	}
	if flags := binary.LittleEndian.Uint16(p[8:]); flags != freelistFlag {
		v.add("freelist: page %d is of type %#x", id, flags)
		return
	}
	start, n := uint64(pageHeaderSize), uint64(binary.LittleEndian.Uint16(p[10:]))
	if n == 0xFFFF { // the count did not fit: it is the first element
		n, start = binary.LittleEndian.Uint64(p[start:]), start+8
	}
	if n > uint64(len(p)-int(start))/8 {
		v.add("freelist: %d pages do not fit in its page", n)
		return
	}
	for i := uint64(0); i < n; i++ {
		f := binary.LittleEndian.Uint64(p[start+8*i:])
		switch {
		case f < 2 || f >= v.hwm:
			v.add("freelist: page %d is outside the file", f)
		case v.free[f]:
			v.add("freelist: page %d is free twice", f)
		case v.used[f]:
			v.add("freelist: page %d is free and in use", f)
		default:
			v.free[f] = true
		}
	}
}

// tree walks the B+tree of a bucket from page id; every key in it must be
// at least lo and, if hi is not nil, below hi.
func (v *verifier) tree(id uint64, lo, hi []byte, what string) {
	if v.full() {
		return
	}
	p, ok := v.page(id, what)
	if !ok {
		return
	}
	v.depth++
	v.node(p, id, lo, hi, what)
	v.depth--
}

// node checks one branch or leaf page (or a bucket's inline page, id 0).
func (v *verifier) node(p []byte, id uint64, lo, hi []byte, what string) {
	flags := binary.LittleEndian.Uint16(p[8:])
	n := int(binary.LittleEndian.Uint16(p[10:]))
	if flags != branchFlag && flags != leafFlag {
		v.add("%s: page %d is of no known type (%#x)", what, id, flags)
		return
	}
	if pageHeaderSize+n*elemSize > len(p) {
		v.add("%s: page %d: %d elements do not fit in it", what, id, n)
		return
	}
	for len(v.elems) <= v.depth {
		v.elems = append(v.elems, nil)
	}
	if cap(v.elems[v.depth]) < n {
		v.elems[v.depth] = make([]elem, n)
	}
	elems := v.elems[v.depth][:n]
	clear(elems)
	var prev []byte
	for i := range elems {
		off := pageHeaderSize + i*elemSize
		e := p[off : off+elemSize]
		var pos, ksize, vsize uint64
		if flags == branchFlag {
			pos, ksize = uint64(binary.LittleEndian.Uint32(e[0:])), uint64(binary.LittleEndian.Uint32(e[4:]))
			elems[i].child = binary.LittleEndian.Uint64(e[8:])
		} else {
			elems[i].bucket = binary.LittleEndian.Uint32(e[0:])&bucketFlag != 0
			pos, ksize, vsize = uint64(binary.LittleEndian.Uint32(e[4:])), uint64(binary.LittleEndian.Uint32(e[8:])), uint64(binary.LittleEndian.Uint32(e[12:]))
		}
		start := uint64(off) + pos
		if start+ksize+vsize > uint64(len(p)) {
			v.add("%s: page %d: element %d points past the page", what, id, i)
			return
		}
		elems[i].key = p[start : start+ksize]
		elems[i].val = p[start+ksize : start+ksize+vsize]
		k := elems[i].key
		switch {
		case i > 0 && bytes.Compare(prev, k) >= 0:
			v.add("%s: page %d: keys out of order at element %d", what, id, i)
			return
		case lo != nil && bytes.Compare(k, lo) < 0, hi != nil && bytes.Compare(k, hi) >= 0:
			v.add("%s: page %d: key %d outside the range its parent gives", what, id, i)
			return
		}
		prev = k
	}
	for i, e := range elems {
		if v.full() {
			return
		}
		if flags == branchFlag {
			var next []byte = hi
			if i+1 < n {
				next = elems[i+1].key
			}
			v.tree(e.child, e.key, next, what)
			continue
		}
		if !e.bucket {
			continue
		}
		name := fmt.Sprintf("bucket %q", e.key)
		if len(e.val) < inBucketSize {
			v.add("%s: value of %d bytes is no bucket", name, len(e.val))
			continue
		}
		if root := binary.LittleEndian.Uint64(e.val); root != 0 {
			v.tree(root, nil, nil, name)
			continue
		}
		// An inline bucket: its page follows the header in the value.
		inline := e.val[inBucketSize:]
		if len(inline) < pageHeaderSize {
			v.add("%s: inline page of %d bytes", name, len(inline))
			continue
		}
		if binary.LittleEndian.Uint16(inline[8:]) != leafFlag {
			v.add("%s: inline page is not a leaf", name)
			continue
		}
		v.depth++
		v.node(inline, 0, nil, nil, name)
		v.depth--
	}
}
