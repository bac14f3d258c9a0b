package deck

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"srs/fsrs"
)

// apkgSched is a card row's scheduling columns.
type apkgSched struct {
	typ, queue                     int
	due, ivl, factor, reps, lapses int64
	left                           int64
	dayBased                       bool // due is a day number, made relative to crt by Close
	data                           string
}

// schedule maps a card's state onto Anki's columns (anki-apkg.md §5).
// Day-based due dates are written as absolute day numbers here and made
// relative to the collection's creation day in Close, once the earliest
// day is known.
func (w *APKGWriter) schedule(p *ExportProgress) apkgSched {
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
func (w *APKGWriter) review(e ExportReview, cid int64) (apkgRev, error) {
	if e.Rating < fsrs.Again || e.Rating > fsrs.Easy {
		return apkgRev{}, fmt.Errorf("review at %s: rating %d", e.Time.Format(time.RFC3339), e.Rating)
	}
	if d := w.dayNumber(e.Time); d < w.minDay {
		w.minDay = d
	}
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
// conf.rollover says), counted from 1970-01-01.
func (w *APKGWriter) dayNumber(t time.Time) int64 {
	start := fsrs.DayOf(t, w.loc, 4).Start.In(w.loc)
	return time.Date(start.Year(), start.Month(), start.Day(), 0, 0, 0, 0, time.UTC).Unix() / 86400
}

func (w *APKGWriter) dueDay(t time.Time) int64 {
	d := w.dayNumber(t)
	if d < w.minDay {
		w.minDay = d
	}
	return d
}
