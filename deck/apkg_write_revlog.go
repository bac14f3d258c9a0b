package deck

import (
	"cmp"
	"container/heap"
	"database/sql"
	"fmt"
	"slices"
)

// The review log is written last, in id order. Anki's revlog ids are
// answer times in ms, so rows arrive card by card in no useful order;
// inserting them in random order, or letting SQLite sort them, costs
// several times more than sorting compact rows here. Rows are kept in
// sorted chunks; past apkgRevRun rows the chunks are merged into a run in
// a scratch database, and Close merges runs and chunks. Among rows of the
// same card and millisecond the order they were added in is kept.

// apkgRev is one revlog row, 32 bytes.
type apkgRev struct {
	id, cid      int64 // answer time (ms); card id
	ivl, lastIvl int32 // days, or negative seconds
	ms           uint16
	pos          uint16 // position in its chunk: ties keep the order rows were added in
	factor       int16
	ease, typ    int8
}

func apkgRevCompare(a, b apkgRev) int {
	if c := cmp.Compare(a.id, b.id); c != 0 {
		return c
	}
	return cmp.Compare(a.cid, b.cid)
}

func apkgRevComparePos(a, b apkgRev) int {
	if c := apkgRevCompare(a, b); c != 0 {
		return c
	}
	return cmp.Compare(a.pos, b.pos)
}

// apkgRevChunk rows are sorted together; chunks never grow by copying.
const apkgRevChunk = 1 << 16

// apkgRevBuf holds review rows as sorted chunks plus one being filled.
type apkgRevBuf struct {
	chunks [][]apkgRev
	cur    []apkgRev
	n      int
}

func (b *apkgRevBuf) add(r apkgRev) {
	if b.cur == nil {
		b.cur = make([]apkgRev, 0, apkgRevChunk)
	}
	r.pos = uint16(len(b.cur))
	b.cur = append(b.cur, r)
	b.n++
	if len(b.cur) == apkgRevChunk {
		b.seal()
	}
}

// seal sorts the chunk being filled and sets it aside.
func (b *apkgRevBuf) seal() {
	if len(b.cur) > 0 {
		slices.SortFunc(b.cur, apkgRevComparePos)
		b.chunks = append(b.chunks, b.cur)
	}
	b.cur = nil
}

// spill hands the rows in memory to the database writer as one run.
func (w *APKGWriter) spill() {
	w.revs.seal()
	w.rows <- apkgMsg{run: w.revs.chunks, seq: w.runs}
	w.runs++
	w.revs = apkgRevBuf{} // the writer owns the chunks now
}

// writeRun merges sorted chunks into scratch.run<seq>, in order.
func (w *APKGWriter) writeRun(b *apkgBatcher, seq int, chunks [][]apkgRev) error {
	table := fmt.Sprintf("scratch.run%d", seq)
	if _, err := w.tx.Exec("CREATE TABLE " + table + " (id INTEGER, cid INTEGER, ease INTEGER, ivl INTEGER, lastIvl INTEGER, factor INTEGER, time INTEGER, type INTEGER)"); err != nil {
		return err
	}
	h := &apkgRevHeap{}
	for _, c := range chunks {
		h.push(&apkgRevSource{mem: c})
	}
	t := apkgRunTuple
	t.table = table
	args := make([]any, 0, apkgRevBatch*t.params)
	err := h.drain(func(r apkgRev) error {
		args = append(args, r.id, r.cid, r.ease, r.ivl, r.lastIvl, r.factor, r.ms, r.typ)
		if len(args) == cap(args) {
			if err := b.exec(t, args); err != nil {
				return err
			}
			args = args[:0]
		}
		return nil
	})
	if err == nil && len(args) > 0 {
		err = b.exec(t, args)
	}
	return err
}

// writeRevlog inserts every review row in (time, card) order, each taking
// id max(its time, previous id + 1) so ids are unique.
func (w *APKGWriter) writeRevlog() error {
	b := &apkgBatcher{tx: w.tx, stmts: map[string]*sql.Stmt{}}
	defer b.close()
	h := &apkgRevHeap{}
	for i := 0; i < w.runs; i++ {
		rows, err := w.tx.Query(fmt.Sprintf("SELECT id, cid, ease, ivl, lastIvl, factor, time, type FROM scratch.run%d ORDER BY rowid", i))
		if err != nil {
			return err
		}
		defer rows.Close()
		if err := h.push(&apkgRevSource{rows: rows}); err != nil {
			return err
		}
	}
	w.revs.seal()
	for _, c := range w.revs.chunks {
		h.push(&apkgRevSource{mem: c})
	}
	args := make([]any, 0, apkgRevBatch*apkgRevTuple.params)
	last := int64(-1 << 63)
	err := h.drain(func(r apkgRev) error {
		id := max(r.id, last+1)
		last = id
		args = append(args, id, r.cid, r.ease, r.ivl, r.lastIvl, r.factor, r.ms, r.typ)
		if len(args) == cap(args) {
			if err := b.exec(apkgRevTuple, args); err != nil {
				return err
			}
			args = args[:0]
		}
		return nil
	})
	w.revs = apkgRevBuf{}
	if err == nil && len(args) > 0 {
		err = b.exec(apkgRevTuple, args)
	}
	return err
}

// apkgRevSource is a sorted sequence of rows: a scratch run or a chunk.
type apkgRevSource struct {
	rows *sql.Rows
	mem  []apkgRev
	cur  apkgRev
	ord  int // position among the sources, to keep ties in insertion order
}

func (s *apkgRevSource) next() (bool, error) {
	if s.rows == nil {
		if len(s.mem) == 0 {
			return false, nil
		}
		s.cur, s.mem = s.mem[0], s.mem[1:]
		return true, nil
	}
	if !s.rows.Next() {
		return false, s.rows.Err()
	}
	r := &s.cur
	return true, s.rows.Scan(&r.id, &r.cid, &r.ease, &r.ivl, &r.lastIvl, &r.factor, &r.ms, &r.typ)
}

// apkgRevHeap merges sources, smallest row first.
type apkgRevHeap struct {
	srcs  []*apkgRevSource
	added int
}

func (h *apkgRevHeap) Len() int { return len(h.srcs) }
func (h *apkgRevHeap) Less(i, j int) bool {
	if c := apkgRevCompare(h.srcs[i].cur, h.srcs[j].cur); c != 0 {
		return c < 0
	}
	return h.srcs[i].ord < h.srcs[j].ord
}
func (h *apkgRevHeap) Swap(i, j int) { h.srcs[i], h.srcs[j] = h.srcs[j], h.srcs[i] }
func (h *apkgRevHeap) Push(x any)    { h.srcs = append(h.srcs, x.(*apkgRevSource)) }
func (h *apkgRevHeap) Pop() any {
	x := h.srcs[len(h.srcs)-1]
	h.srcs = h.srcs[:len(h.srcs)-1]
	return x
}

// push adds a source positioned on its first row, if it has one. Sources
// must be pushed in the order their rows were added.
func (h *apkgRevHeap) push(s *apkgRevSource) error {
	s.ord = h.added
	h.added++
	ok, err := s.next()
	if err != nil || !ok {
		return err
	}
	heap.Push(h, s)
	return nil
}

// drain calls put with every row of every source, in order.
func (h *apkgRevHeap) drain(put func(apkgRev) error) error {
	for h.Len() > 0 {
		src := h.srcs[0]
		if err := put(src.cur); err != nil {
			return err
		}
		ok, err := src.next()
		if err != nil {
			return err
		}
		if ok {
			heap.Fix(h, 0)
		} else {
			heap.Pop(h)
		}
	}
	return nil
}
