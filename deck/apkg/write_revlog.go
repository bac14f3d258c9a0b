package apkg

import (
	"cmp"
	"encoding/binary"
	"errors"
	"math"

	"github.com/srs-tool/srs/internal/extsort"
	"github.com/srs-tool/srs/internal/sqlitefile"
)

// The review log is written last, in id order. Anki's revlog ids are
// answer times in ms, so rows arrive card by card in no useful order.
// They are kept compactly and sorted in memory up to apkgRevRun rows, then
// spilled as sorted runs to a temporary file; Close merges the runs. Among
// rows of the same card and millisecond the order they were added in is
// kept.

// apkgRev is one revlog row, 40 bytes in memory, apkgRevSize on file.
type apkgRev struct {
	id, cid      int64  // answer time (ms); card id
	ivl, lastIvl int32  // days, or negative seconds
	seq          uint32 // order of adding: ties keep it
	ms           uint16
	factor       int16
	ease, typ    int8
}

const apkgRevSize = 34

// apkgRevRun is how many review rows are kept in memory before they are
// spilled to a sorted run; a variable so tests can exercise the spilling.
var apkgRevRun = 1 << 17

func apkgRevCompare(a, b apkgRev) int {
	if c := cmp.Compare(a.id, b.id); c != 0 {
		return c
	}
	if c := cmp.Compare(a.cid, b.cid); c != 0 {
		return c
	}
	return cmp.Compare(a.seq, b.seq)
}

func apkgPutRev(b []byte, r apkgRev) {
	binary.LittleEndian.PutUint64(b[0:], uint64(r.id))
	binary.LittleEndian.PutUint64(b[8:], uint64(r.cid))
	binary.LittleEndian.PutUint32(b[16:], uint32(r.ivl))
	binary.LittleEndian.PutUint32(b[20:], uint32(r.lastIvl))
	binary.LittleEndian.PutUint32(b[24:], r.seq)
	binary.LittleEndian.PutUint16(b[28:], r.ms)
	binary.LittleEndian.PutUint16(b[30:], uint16(r.factor))
	b[32], b[33] = byte(r.ease), byte(r.typ)
}

func apkgGetRev(b []byte) apkgRev {
	return apkgRev{
		id:      int64(binary.LittleEndian.Uint64(b[0:])),
		cid:     int64(binary.LittleEndian.Uint64(b[8:])),
		ivl:     int32(binary.LittleEndian.Uint32(b[16:])),
		lastIvl: int32(binary.LittleEndian.Uint32(b[20:])),
		seq:     binary.LittleEndian.Uint32(b[24:]),
		ms:      binary.LittleEndian.Uint16(b[28:]),
		factor:  int16(binary.LittleEndian.Uint16(b[30:])),
		ease:    int8(b[32]),
		typ:     int8(b[33]),
	}
}

// apkgPair is an index entry of one integer column and the rowid, or a
// table row of two integers in sort order.
type apkgPair struct{ k, rowid int64 }

func apkgPairCompare(a, b apkgPair) int {
	if c := cmp.Compare(a.k, b.k); c != 0 {
		return c
	}
	return cmp.Compare(a.rowid, b.rowid)
}

func apkgPutPair(b []byte, p apkgPair) {
	binary.LittleEndian.PutUint64(b, uint64(p.k))
	binary.LittleEndian.PutUint64(b[8:], uint64(p.rowid))
}

func apkgGetPair(b []byte) apkgPair {
	return apkgPair{int64(binary.LittleEndian.Uint64(b)), int64(binary.LittleEndian.Uint64(b[8:]))}
}

func (w *Writer) newPairSorter(name string) *extsort.Sorter[apkgPair] {
	return extsort.New(name, w.dir, apkgSortMemory/16, 16, apkgPairCompare, apkgPutPair, apkgGetPair)
}

// addRev queues a review row for the revlog.
func (w *Writer) addRev(r apkgRev) error {
	if w.revSeq == math.MaxUint32 {
		return errors.New("more than 4294967295 reviews")
	}
	r.seq = w.revSeq
	w.revSeq++
	return w.revs.Add(r)
}

// writeRevlog writes the revlog table and its indexes. Rows go in (time,
// card, order added) order, each taking id max(its time, previous id + 1)
// so ids are unique.
func (w *Writer) writeRevlog(c *apkgCollection) error {
	revlog, byUsn, byCard := sqlitefile.NewTable(c.db), sqlitefile.NewIndex(c.db), sqlitefile.NewIndex(c.db)
	cids := w.newPairSorter("revlog-cid")
	defer cids.Close()
	var rec sqlitefile.Record
	var payload, entry []byte
	last := int64(math.MinInt64)
	err := w.revs.Each(func(r apkgRev) error {
		id := max(r.id, last+1)
		last = id
		rec.Reset()
		rec.Null() // id, the rowid
		rec.Int(r.cid)
		rec.Int(-1) // usn
		rec.Int(int64(r.ease))
		rec.Int(int64(r.ivl))
		rec.Int(int64(r.lastIvl))
		rec.Int(int64(r.factor))
		rec.Int(int64(r.ms))
		rec.Int(int64(r.typ))
		payload = rec.AppendTo(payload[:0])
		if err := revlog.Insert(id, payload); err != nil {
			return err
		}
		entry = apkgPairRecord(&rec, entry[:0], -1, id)
		if err := byUsn.Add(entry); err != nil {
			return err
		}
		return cids.Add(apkgPair{r.cid, id})
	})
	if err != nil {
		return err
	}
	err = cids.Each(func(p apkgPair) error {
		entry = apkgPairRecord(&rec, entry[:0], p.k, p.rowid)
		return byCard.Add(entry)
	})
	if err != nil {
		return err
	}
	return finishTrees(c.roots, []apkgTree{{"revlog", revlog}, {"ix_revlog_usn", byUsn}, {"ix_revlog_cid", byCard}})
}

// apkgPairRecord appends the index record (k, rowid) to b.
func apkgPairRecord(rec *sqlitefile.Record, b []byte, k, rowid int64) []byte {
	rec.Reset()
	rec.Int(k)
	rec.Int(rowid)
	return rec.AppendTo(b)
}

// apkgTree is a B-tree of the collection and its name in the schema.
type apkgTree struct {
	name string
	t    *sqlitefile.Tree
}

// finishTrees finishes B-trees, in order, and records their root pages.
func finishTrees(roots map[string]uint32, trees []apkgTree) error {
	for _, t := range trees {
		root, err := t.t.Finish()
		if err != nil {
			return err
		}
		roots[t.name] = root
	}
	return nil
}
