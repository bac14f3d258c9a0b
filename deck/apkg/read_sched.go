package apkg

import (
	"math"
	"time"

	"github.com/srs-tool/srs/deck"
	"github.com/srs-tool/srs/fsrs"
)

// Scheduling read from a package: each card's row and review log, as Anki
// stored them.

// apkgMaxRevlogID is the last millisecond whose time in nanoseconds fits
// an int64 (2262-04-11).
const apkgMaxRevlogID = math.MaxInt64 / int64(time.Millisecond)

// loadRevlog reads the review log, by card. Which rows count for
// scheduling is fsrs's decision (Scheduler.FromAnki), so every row is kept.
func (r *apkgReader) loadRevlog() error {
	rows, err := r.db.Query("SELECT id, cid, ease, ivl, lastIvl, factor, time, type FROM revlog ORDER BY cid, id")
	if err != nil {
		return r.errorf("%s: revlog: %v", r.member, err)
	}
	defer rows.Close()
	r.revlog = map[int64][]fsrs.AnkiReview{}
	n := 0
	for rows.Next() {
		var cid int64
		var e fsrs.AnkiReview
		if err := rows.Scan(&e.ID, &cid, &e.Ease, &e.Ivl, &e.LastIvl, &e.Factor, &e.Time, &e.Type); err != nil {
			return r.errorf("%s: revlog: %v", r.member, apkgScanError(err))
		}
		if e.ID < 0 || e.ID > apkgMaxRevlogID {
			// The id is the review's time in milliseconds; srs keeps
			// times as nanoseconds, which end in 2262.
			return r.errorf("%s: revlog id %d: a review time before 1970 or after 2262", r.member, e.ID)
		}
		if n++; n%4096 == 0 {
			if err := r.ctx.Err(); err != nil {
				return err
			}
		}
		r.revlog[cid] = append(r.revlog[cid], e)
	}
	if err := rows.Err(); err != nil {
		return r.errorf("%s: revlog: %v", r.member, err)
	}
	return nil
}

// keepScheduling records the scheduling of the card imported from row as
// c, unless Anki never scheduled it (new, not suspended, no revlog rows).
func (r *apkgReader) keepScheduling(c deck.Card, row apkgCardRow) {
	revlog := r.revlog[row.id]
	if row.sched.Type == 0 && row.sched.Queue != -1 && len(revlog) == 0 {
		return
	}
	r.sched[deck.Key(c.Deck, c.ID)] = fsrs.AnkiProgress{Card: row.sched, Revlog: revlog, Created: time.Unix(r.crt, 0).UTC(),
		Preset: r.presetFor(row.did, row.odid)}
}
