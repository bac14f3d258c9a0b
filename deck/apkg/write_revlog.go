package apkg

import (
	"cmp"
	"database/sql"
	"errors"
	"math"
	"slices"
	"strings"
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

// apkgRevBatch is how many rows one INSERT of the review log carries: a
// statement per row spent more time in database/sql and binding than in
// SQLite.
const apkgRevBatch = 64

// writeRevlog writes the revlog table. Rows go in (time, card, order
// added) order, each taking id max(its time, previous id + 1) so ids are
// unique.
func (w *Writer) writeRevlog() error {
	revs := slices.Concat(w.revs...)
	w.revs = nil
	slices.SortFunc(revs, apkgRevCompare)
	var batch *sql.Stmt
	args := make([]any, 0, 8*apkgRevBatch)
	flush := func() error {
		n := len(args) / 8
		if n == 0 {
			return nil
		}
		var stmt *sql.Stmt
		if n == apkgRevBatch && batch != nil {
			stmt = batch
		} else {
			q := "INSERT INTO revlog VALUES " + strings.TrimSuffix(strings.Repeat("(?, ?, -1, ?, ?, ?, ?, ?, ?),", n), ",")
			var err error
			if stmt, err = w.tx.Prepare(q); err != nil {
				return err
			}
			if n == apkgRevBatch {
				batch = stmt
			} else {
				defer stmt.Close()
			}
		}
		_, err := stmt.Exec(args...)
		args = args[:0]
		return err
	}
	defer func() {
		if batch != nil {
			batch.Close()
		}
	}()
	last := int64(math.MinInt64)
	for _, r := range revs {
		id := max(r.id, last+1)
		last = id
		args = append(args, id, r.cid, int64(r.ease), int64(r.ivl), int64(r.lastIvl), int64(r.factor), int64(r.ms), int64(r.typ))
		if len(args) == cap(args) {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}
