package apkg

import (
	"encoding/json"
	"time"

	gofsrs "github.com/open-spaced-repetition/go-fsrs/v4"

	"github.com/srs-tool/srs/deck"
	"github.com/srs-tool/srs/fsrs"
)

// Scheduling read from a package: the review log and, for cards that have
// none, the card's own state.

// Revlog review kinds (rslib/src/revlog/mod.rs).
const (
	apkgRevlogFiltered = 3
	apkgRevlogManual   = 4
)

// loadRevlog keeps, per card, the ratings that count for scheduling the way
// Anki's FSRS code selects them: nothing before the last reset (a manual
// entry with factor 0), no manual or rescheduling entries (ease 0), no
// cramming (filtered entries with factor 0).
func (r *apkgReader) loadRevlog() error {
	rows, err := r.db.Query("SELECT id, cid, ease, factor, time, type FROM revlog ORDER BY cid, id")
	if err != nil {
		return r.errorf("%s: revlog: %v", r.member, err)
	}
	defer rows.Close()
	r.reviews = map[int64][]fsrs.ReviewEvent{}
	var cur int64
	var evs []fsrs.ReviewEvent
	have := false
	flush := func() {
		if have && len(evs) > 0 {
			r.reviews[cur] = evs
		}
		evs = nil
	}
	for rows.Next() {
		var id, cid, ease, factor, ms, typ int64
		if err := rows.Scan(&id, &cid, &ease, &factor, &ms, &typ); err != nil {
			return r.errorf("%s: revlog: %v", r.member, err)
		}
		if !have || cid != cur {
			flush()
			cur, have = cid, true
		}
		switch {
		case typ == apkgRevlogManual && factor == 0: // reset: forget the history so far
			evs = evs[:0]
		case ease < 1 || ease > 4:
		case typ == apkgRevlogFiltered && factor == 0:
		default:
			evs = append(evs, fsrs.ReviewEvent{
				Time:     time.UnixMilli(id).UTC(),
				Rating:   fsrs.Rating(ease),
				Duration: time.Duration(max(ms, 0)) * time.Millisecond,
			})
		}
	}
	flush()
	if err := rows.Err(); err != nil {
		return r.errorf("%s: revlog: %v", r.member, err)
	}
	return nil
}

// cardProgress turns a card row and its revlog into Progress, or reports
// that there is nothing to keep (a new card never reviewed).
func (r *apkgReader) cardProgress(c apkgCardRow) (deck.Progress, bool) {
	p := deck.Progress{Suspended: c.queue == -1, Reviews: r.reviews[c.id]}
	if len(p.Reviews) == 0 && c.typ == 2 {
		if st, ok := r.sm2State(c); ok {
			p.State = st
		}
	}
	if len(p.Reviews) == 0 && c.typ == 0 && !p.Suspended {
		return deck.Progress{}, false
	}
	return p, true
}

// sm2State estimates an FSRS state for a review card that has no usable
// revlog, the way Anki does when FSRS is switched on over SM-2 data: the
// card's own FSRS memory (cards.data s/d) when present, else one derived
// from its ease and interval (memory_state_from_sm2, 90% historical
// retention).
func (r *apkgReader) sm2State(c apkgCardRow) (fsrs.Card, bool) {
	var due time.Time
	if c.due > 1_000_000_000 { // a (re)learning timestamp in seconds
		due = time.Unix(c.due, 0).UTC()
	} else {
		due = time.Unix(r.crt, 0).UTC().Add(time.Duration(c.due) * 24 * time.Hour)
	}
	ivl := min(max(c.ivl, 0), 36500)
	var data struct {
		S   *float64 `json:"s"`
		D   *float64 `json:"d"`
		LRT *int64   `json:"lrt"`
	}
	_ = json.Unmarshal([]byte(c.data), &data) // Anki drops invalid data silently too
	var stab, diff float64
	if data.S != nil && data.D != nil && *data.S > 0 && *data.S < 1e6 && *data.D >= 1 && *data.D <= 10 {
		stab, diff = *data.S, *data.D
	} else {
		if r.memory == nil {
			r.memory = gofsrs.NewFSRS(gofsrs.DefaultParam())
		}
		ease := float64(c.factor) / 1000
		if ease <= 1 || ease > 10 {
			ease = 2.5 // Anki's default starting ease
		}
		m, err := r.memory.MemoryStateFromSM2(ease, float64(ivl), 0.9)
		if err != nil {
			return fsrs.Card{}, false
		}
		stab, diff = m.Stability, m.Difficulty
	}
	last := due.Add(-time.Duration(ivl) * 24 * time.Hour)
	if data.LRT != nil && *data.LRT > 0 && *data.LRT < due.Unix() {
		last = time.Unix(*data.LRT, 0).UTC()
	}
	return fsrs.Card{
		Due:           due,
		Stability:     stab,
		Difficulty:    diff,
		ScheduledDays: uint64(ivl),
		Reps:          uint64(max(c.reps, 0)),
		Lapses:        uint64(max(c.lapses, 0)),
		State:         fsrs.Review,
		LastReview:    last,
	}, true
}
