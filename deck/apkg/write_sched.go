package apkg

import (
	"fmt"
	"math"
	"time"

	"github.com/srs-tool/srs/fsrs"
)

// apkgSched is a card row's scheduling columns.
type apkgSched struct {
	typ, queue                     int64
	due, ivl, factor, reps, lapses int64
	left                           int64
	dayBased                       bool // due is a day number, made relative to crt by Close
	data                           string
}

// Scheduling is one card's scheduling as Add takes it: Anki's columns and
// revlog rows, as fsrs computes them (Scheduler.ToAnki, ToAnkiReview). Day
// numbers are fsrs.AnkiDay's; Close makes them relative to the
// collection's creation day.
type Scheduling struct {
	Card   fsrs.AnkiCard
	Revlog []fsrs.AnkiReview // oldest first; or give them to AddReview later
}

// schedule turns a card's columns into a row's, numbering new cards in the
// order they are added. Day-based due dates stay absolute day numbers
// until Close, once the earliest day is known.
func (w *Writer) schedule(s *Scheduling) apkgSched {
	if !w.opt.WithScheduling || s == nil || s.Card.Type == 0 {
		w.newPos++
		row := apkgSched{due: int64(w.newPos)}
		if w.opt.WithScheduling && s != nil && s.Card.Queue == -1 {
			row.queue = -1
		}
		return row
	}
	c := s.Card
	row := apkgSched{typ: int64(c.Type), queue: int64(c.Queue), due: c.Due, ivl: c.Ivl, factor: c.Factor, reps: c.Reps,
		lapses: c.Lapses, left: c.Left, data: c.Data, dayBased: c.DueIsDay()}
	if row.dayBased && row.due < w.minDay {
		w.minDay, w.minDayT = row.due, fsrs.AnkiDayStart(row.due, w.loc)
	}
	return row
}

// review encodes one revlog row. Revlog ids are answer times in ms and
// must be unique (Anki drops duplicates on import); Close moves colliding
// rows on by a millisecond.
func (w *Writer) review(e fsrs.AnkiReview, cid int64) (apkgRev, error) {
	if e.Ease < 1 || e.Ease > 4 {
		return apkgRev{}, fmt.Errorf("review at %s: rating %d", time.UnixMilli(e.ID).UTC().Format(time.RFC3339), e.Ease)
	}
	w.seeDay(e.ID)
	return apkgRev{
		id:      e.ID,
		cid:     cid,
		ease:    int8(e.Ease),
		typ:     int8(e.Type),
		ivl:     apkgInt32(e.Ivl),
		lastIvl: apkgInt32(e.LastIvl),
		factor:  int16(min(max(e.Factor, math.MinInt16), math.MaxInt16)),
		ms:      uint16(min(max(e.Time, 0), math.MaxUint16)),
	}, nil
}

func apkgInt32(v int64) int32 { return int32(min(max(v, math.MinInt32), math.MaxInt32)) }

// seeDay lowers minDay to the day of a review at ms. Reviews come mostly in
// time order, so most fall on or after the earliest day seen and need no
// calendar work.
func (w *Writer) seeDay(ms int64) {
	if ms >= w.minDayT.UnixMilli() {
		return
	}
	w.minDay, w.minDayT = fsrs.AnkiDay(time.UnixMilli(ms), w.loc)
}
