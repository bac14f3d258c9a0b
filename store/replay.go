package store

import (
	"encoding/binary"
	"fmt"
	"time"

	"github.com/srs-tool/srs/fsrs"
)

// replayer recomputes a user's states from the log: each entry's action
// applied, through the scheduler built from the settings in force when it
// was made, to the state the previous entry left.
type replayer struct {
	history []settingsAt // oldest first
	scheds  map[int]*fsrs.Scheduler
	states  map[string]CardState
	had     map[string]bool
}

type settingsAt struct {
	from time.Time
	s    fsrs.Settings
}

func newReplayer(ub *userBuckets) (*replayer, error) {
	r := &replayer{scheds: map[int]*fsrs.Scheduler{}, states: map[string]CardState{}, had: map[string]bool{}}
	err := ub.settings.ForEach(func(k, v []byte) error {
		if len(k) != 8 {
			return fmt.Errorf("user %q settings key %x: %w", ub.name, k, ErrBadRecord)
		}
		s, err := decodeSettings(v)
		if err != nil {
			return fmt.Errorf("user %q: %w", ub.name, err)
		}
		r.history = append(r.history, settingsAt{from: time.Unix(0, int64(binary.BigEndian.Uint64(k))), s: s})
		return nil
	})
	if err == nil && len(r.history) == 0 {
		r.history = []settingsAt{{s: fsrs.DefaultSettings()}}
	}
	return r, err
}

// schedulerAt is the scheduler in force at t; reviews older than the
// first settings record (imported history) use the first.
func (r *replayer) schedulerAt(t time.Time) (*fsrs.Scheduler, error) {
	i := 0
	for j, h := range r.history {
		if !h.from.After(t) {
			i = j
		}
	}
	if s, ok := r.scheds[i]; ok {
		return s, nil
	}
	s, err := fsrs.NewScheduler(r.history[i].s)
	if err != nil {
		return nil, err
	}
	r.scheds[i] = s
	return s, nil
}

// apply replays one entry and returns the state before and after it, as
// the log should record them.
func (r *replayer) apply(e Entry) (before CardState, had bool, after CardState, err error) {
	before, had = r.states[e.Card], r.had[e.Card]
	if !had {
		before = CardState{Card: fsrs.NewCard(time.Time{})}
	}
	t := e.Time()
	base := before
	if !had {
		base.Card.Due = t // what a session schedules a never-seen card from
	}
	switch e.Action {
	case ActRate:
		s, err := r.schedulerAt(t)
		if err != nil {
			return before, had, after, err
		}
		next, err := s.Next(base.Card, t, e.Rating)
		if err != nil {
			return before, had, after, fmt.Errorf("entry %s: %w", e.Key, err)
		}
		after = CardState{Card: next, Suspended: before.Suspended}
	case ActSuspend, ActUnsuspend:
		after = base
		after.Suspended = e.Action == ActSuspend
	case ActBury:
		after = base
		after.BuriedUntil = e.After.BuriedUntil
	case ActSet:
		after = e.After
	default:
		return before, had, after, fmt.Errorf("entry %s: unknown action %d", e.Key, e.Action)
	}
	r.states[e.Card], r.had[e.Card] = after, true
	return before, had, after, nil
}
