package apkg

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/srs-tool/srs/fsrs"
)

// apkgSched is a card row's scheduling columns.
type apkgSched struct {
	typ, queue                     int
	due, ivl, factor, reps, lapses int64
	left                           int64
	dayBased                       bool // due is a day number, made relative to crt by Close
	data                           string
}

// apkgSpilledCard is a card row's columns as the spill file keeps them
// until Close writes the cards table.
type apkgSpilledCard struct {
	apkgSched
	did, csum int64
}

// appendSpill appends the card's columns, with its deck and its note's
// checksum, to b: varints, then data.
func (s *apkgSched) appendSpill(b []byte, did, csum int64) []byte {
	day := int64(0)
	if s.dayBased {
		day = 1
	}
	for _, v := range [...]int64{did, csum, int64(s.typ), int64(s.queue), s.due, s.ivl, s.factor, s.reps, s.lapses, s.left, day} {
		b = binary.AppendVarint(b, v)
	}
	return append(b, s.data...)
}

// apkgReadSpill reads what appendSpill wrote.
func apkgReadSpill(b []byte) (apkgSpilledCard, error) {
	var v [11]int64
	for i := range v {
		x, n := binary.Varint(b)
		if n <= 0 {
			return apkgSpilledCard{}, errors.New("reading back card rows: damaged spill file")
		}
		v[i], b = x, b[n:]
	}
	return apkgSpilledCard{did: v[0], csum: v[1], apkgSched: apkgSched{typ: int(v[2]), queue: int(v[3]), due: v[4], ivl: v[5],
		factor: v[6], reps: v[7], lapses: v[8], left: v[9], dayBased: v[10] == 1, data: string(b)}}, nil
}

// schedule maps a card's state onto Anki's columns (anki-apkg.md §5).
// Day-based due dates are written as absolute day numbers here and made
// relative to the collection's creation day in Close, once the earliest
// day is known.
func (w *Writer) schedule(p *ExportProgress) apkgSched {
	if !w.opt.WithScheduling || p == nil || p.State.State == fsrs.New {
		w.newPos++
		s := apkgSched{due: int64(w.newPos)}
		if w.opt.WithScheduling && p != nil && p.Suspended {
			s.queue = -1
		}
		return s
	}
	st := p.State
	s := apkgSched{reps: int64(st.Reps), lapses: int64(st.Lapses), factor: 2500}
	if s.reps == 0 { // a reviewed card with no reps trips some importers
		s.reps = int64(max(len(p.Log), 1))
	}
	// Learning steps of a day or more are day-based (queue 3), shorter ones
	// are timestamps (queue 1).
	learnQueue := func() {
		if !st.LastReview.IsZero() && st.Due.Sub(st.LastReview) >= 24*time.Hour {
			s.queue, s.due, s.dayBased = 3, w.dueDay(st.Due), true
		} else {
			s.queue, s.due = 1, st.Due.Unix()
		}
		s.left = int64(max(st.RemainingSteps, 1))
	}
	switch st.State {
	case fsrs.Learning:
		s.typ, s.factor = 1, 0
		learnQueue()
	case fsrs.Relearning:
		s.typ = 3
		s.ivl = int64(max(st.ScheduledDays, 1))
		learnQueue()
	default: // Review
		s.typ, s.queue = 2, 2
		s.due, s.dayBased = w.dueDay(st.Due), true
		s.ivl = int64(st.ScheduledDays)
		if s.ivl <= 0 && !st.LastReview.IsZero() {
			s.ivl = int64(math.Round(st.Due.Sub(st.LastReview).Hours() / 24))
		}
		s.ivl = max(s.ivl, 1)
	}
	if p.Suspended {
		s.queue = -1
	}
	s.data = apkgCardData(st, p)
	return s
}

// apkgCardData is cards.data: the FSRS memory state, rounded as Anki
// rounds it, so Anki with FSRS on continues from it.
func apkgCardData(st fsrs.Card, p *ExportProgress) string {
	if st.Stability <= 0 || st.Difficulty <= 0 {
		return ""
	}
	f := func(x float64, dp int) string {
		m := math.Pow(10, float64(dp))
		return strconv.FormatFloat(math.Round(x*m)/m, 'f', -1, 64)
	}
	var b strings.Builder
	b.WriteString(`{"s":` + f(st.Stability, 4) + `,"d":` + f(st.Difficulty, 3))
	if p.DesiredRetention > 0 && p.DesiredRetention < 1 {
		b.WriteString(`,"dr":` + f(p.DesiredRetention, 2))
	}
	if p.Decay > 0 {
		b.WriteString(`,"decay":` + f(p.Decay, 3))
	}
	if !st.LastReview.IsZero() {
		b.WriteString(`,"lrt":` + strconv.FormatInt(st.LastReview.Unix(), 10))
	}
	b.WriteString("}")
	return b.String()
}

// review computes one revlog row (anki-apkg.md §2, §5). Revlog ids are
// answer times in ms and must be unique (Anki drops duplicates on import);
// Close moves colliding rows on by a millisecond.
func (w *Writer) review(e ExportReview, cid int64) (apkgRev, error) {
	if e.Rating < fsrs.Again || e.Rating > fsrs.Easy {
		return apkgRev{}, fmt.Errorf("review at %s: rating %d", e.Time.Format(time.RFC3339), e.Rating)
	}
	w.seeDay(e.Time)
	var typ int8
	switch e.Before.State {
	case fsrs.Review:
		typ = 1
	case fsrs.Relearning:
		typ = 2
	}
	lastIvl := int64(0)
	if e.Before.State != fsrs.New && !e.Before.LastReview.IsZero() {
		lastIvl = apkgRevlogInterval(e.Before, e.Before.LastReview)
	}
	factor := int64(0)
	if e.After.Difficulty > 0 {
		factor = int64(math.Round(((e.After.Difficulty-1)/9 + 0.1) * 1000))
		factor = min(max(factor, 100), 1100)
	}
	return apkgRev{
		id:      e.Time.UnixMilli(),
		cid:     cid,
		ease:    int8(e.Rating),
		typ:     typ,
		ivl:     apkgInt32(apkgRevlogInterval(e.After, e.Time)),
		lastIvl: apkgInt32(lastIvl),
		factor:  int16(factor),
		ms:      uint16(min(max(e.Duration.Milliseconds(), 0), 60_000)), // Anki caps answer times at 60 s
	}, nil
}

func apkgInt32(v int64) int32 { return int32(min(max(v, math.MinInt32), math.MaxInt32)) }

// apkgRevlogInterval is Anki's revlog interval of a state: positive days
// for day-based intervals, negative seconds for learning steps.
func apkgRevlogInterval(c fsrs.Card, from time.Time) int64 {
	if c.State == fsrs.New {
		return 0
	}
	if c.State == fsrs.Review && c.ScheduledDays > 0 {
		return int64(c.ScheduledDays)
	}
	d := c.Due.Sub(from)
	if d >= 24*time.Hour {
		return int64(math.Round(d.Hours() / 24))
	}
	return -max(int64(math.Round(d.Seconds())), 1)
}

// dayNumber is the user's day t falls on (days start at 04:00 local, as
// conf.rollover says), counted from 1970-01-01, and when that day starts.
func (w *Writer) dayNumber(t time.Time) (int64, time.Time) {
	start := fsrs.DayOf(t, w.loc, 4).Start
	l := start.In(w.loc)
	return time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, time.UTC).Unix() / 86400, start
}

// seeDay lowers minDay to t's day. Reviews come mostly in time order, so
// most fall on or after the earliest day seen and need no calendar work.
func (w *Writer) seeDay(t time.Time) {
	if !t.Before(w.minDayT) {
		return
	}
	w.minDay, w.minDayT = w.dayNumber(t)
}

func (w *Writer) dueDay(t time.Time) int64 {
	d, start := w.dayNumber(t)
	if d < w.minDay {
		w.minDay, w.minDayT = d, start
	}
	return d
}
