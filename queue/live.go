package queue

import (
	"time"

	"github.com/srs-tool/srs/store"
)

// Live keeps today's queue across the steps of one review session. A
// heavy user has thousands of cards due; reading them all again after
// every rating is most of what a key press waits for. Live reads them
// once, and after each rating of the session's own applies that rating
// (its log entry, the card's new due entry) to what it read, when the
// store shows that nothing else was written meanwhile. Anything else (a
// write by another process, an undo, a suspend, a new day) makes it read
// everything again. Either way the rules then run over the same data a
// fresh Build reads, so the session's counts are Build's.
type Live struct {
	opt     Options
	sn      *snapshot
	pending *recorded
}

// recorded is a rating of the session's own, not yet applied.
type recorded struct {
	e       store.Entry
	parent  string
	version uint64 // of the write that recorded it
}

// NewLive starts keeping the queue of a session narrowed by opt.
func NewLive(opt Options) *Live { return &Live{opt: opt} }

// Today is Build for r's snapshot at now, from what Live kept where it
// can.
func (l *Live) Today(r *store.Reader, now time.Time) (*Today, error) {
	p := l.pending
	l.pending = nil
	sn, before := l.sn, l.sn
	switch {
	case sn == nil || sn.future || !sn.day.Contains(now):
		sn = nil
	case r.Version() == sn.version:
		// Nothing written since: the same data.
	case p != nil && r.Version() == p.version && p.version == sn.version+1 && sn.day.Contains(p.e.Time()):
		// One write since, the session's own.
		if err := sn.applied(r, p.e, p.parent); err != nil {
			l.sn = nil
			return nil, err
		}
	default:
		sn = nil
	}
	if sn == nil {
		var err error
		if sn, err = readAfter(r, now, l.opt, before); err != nil {
			l.sn = nil
			return nil, err
		}
	}
	l.sn = sn
	return plan(r, sn, now)
}

// Rated tells Live of a rating the session recorded: its log entry, the
// parent of the card (for its sibling group) and the store's version
// right after the write (store.Store.Version).
func (l *Live) Rated(e store.Entry, parent string, version uint64) {
	l.pending = &recorded{e: e, parent: parent, version: version}
}

// Forget drops what Live kept: the next Today reads everything.
func (l *Live) Forget() {
	l.sn = nil
	l.pending = nil
}
