package apkg

import (
	"cmp"
	"errors"
	"math"
	"slices"

	"github.com/srs-tool/srs/internal/sqlitefile"
)

// The review log is written last, in id order. Anki's revlog ids are
// answer times in ms, so rows arrive card by card, or in time order but
// with the cards of one millisecond in any order. They are kept in memory,
// compactly, in blocks of apkgRevBlock rows (a single slice grown by
// append spent a second of a 1M-review export copying itself and faulting
// in fresh pages), and sorted by Close; among rows of the same card and
// millisecond the order they were added in is kept.

// apkgRev is one revlog row, 40 bytes.
type apkgRev struct {
	id, cid      int64  // answer time (ms); card id
	ivl, lastIvl int32  // days, or negative seconds
	seq          uint32 // order of adding: ties keep it
	ms           uint16
	factor       int16
	ease, typ    int8
}

func apkgRevCompare(a, b apkgRev) int {
	if c := cmp.Compare(a.id, b.id); c != 0 {
		return c
	}
	if c := cmp.Compare(a.cid, b.cid); c != 0 {
		return c
	}
	return cmp.Compare(a.seq, b.seq)
}

const apkgRevBlock = 1 << 16

// addRev queues a review row for the revlog.
func (w *Writer) addRev(r apkgRev) error {
	if w.nrevs == math.MaxUint32 {
		return errors.New("more than 4294967295 reviews")
	}
	r.seq = uint32(w.nrevs)
	w.nrevs++
	if n := len(w.revs); n == 0 || len(w.revs[n-1]) == apkgRevBlock {
		w.revs = append(w.revs, make([]apkgRev, 0, apkgRevBlock))
	}
	last := &w.revs[len(w.revs)-1]
	*last = append(*last, r)
	return nil
}

// writeRevlog writes the revlog table and its indexes. Rows go in (time,
// card, order added) order, each taking id max(its time, previous id + 1)
// so ids are unique; then sorted by card for the index on (cid).
func (w *Writer) writeRevlog(db *sqlitefile.File, roots map[string]uint32) error {
	revs := slices.Concat(w.revs...)
	w.revs = nil
	slices.SortFunc(revs, apkgRevCompare)
	rows, byUsn := sqlitefile.NewTable(db), sqlitefile.NewIndex(db)
	var rec sqlitefile.Record
	var b []byte
	last := int64(math.MinInt64)
	for i := range revs {
		r := &revs[i]
		r.id = max(r.id, last+1)
		last = r.id
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
		b = rec.AppendTo(b[:0])
		if err := rows.Insert(r.id, b); err != nil {
			return err
		}
		b = apkgIndexEntry(&rec, b[:0], -1, r.id)
		if err := byUsn.Add(b); err != nil {
			return err
		}
	}
	slices.SortFunc(revs, func(a, b apkgRev) int { return cmp.Or(cmp.Compare(a.cid, b.cid), cmp.Compare(a.id, b.id)) })
	byCard := sqlitefile.NewIndex(db)
	for _, r := range revs {
		b = apkgIndexEntry(&rec, b[:0], r.cid, r.id)
		if err := byCard.Add(b); err != nil {
			return err
		}
	}
	return finishTrees(roots, apkgTree{"revlog", rows}, apkgTree{"ix_revlog_usn", byUsn}, apkgTree{"ix_revlog_cid", byCard})
}
