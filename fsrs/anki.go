package fsrs

// Anki's scheduling, both ways. An Anki package stores a card's scheduling
// as the columns of its cards row and the rows of its revlog; the .apkg
// reader and writer (deck/apkg) carry those columns as they are, and the
// conversion between them and srs's states lives here, next to the
// scheduler whose parameters it uses. Column meanings follow Anki's
// rslib (card/mod.rs, revlog/mod.rs, storage/card/data.rs).

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"time"
)

// AnkiCard is a card's scheduling as the cards table of an Anki collection
// stores it.
type AnkiCard struct {
	Type   int   // 0 new, 1 learning, 2 review, 3 relearning
	Queue  int   // -3/-2 buried, -1 suspended, 0 new, 1 learning, 2 review, 3 day learning, 4 preview
	Due    int64 // a position (new), a Unix time in seconds (queue 1), or a day number (DueIsDay)
	Ivl    int64 // the current interval in days
	Factor int64 // the SM-2 ease in permille (2500 is 250%); 0 while learning
	Reps   int64
	Lapses int64
	Left   int64  // learning steps left
	Data   string // JSON; with Anki's FSRS on, the memory state: {"s","d","dr","decay","lrt"}
}

// DueIsDay reports whether Due counts days (from the collection's creation
// day in a package) rather than being a position or a Unix time: for
// review cards and learning steps of a day or more. A suspended or buried
// learning card keeps either form; Anki tells them apart by size, as this
// does.
func (c AnkiCard) DueIsDay() bool {
	switch c.Queue {
	case 2, 3:
		return true
	case 0, 1, 4:
		return false
	}
	return c.Type == 2 || c.Type != 0 && c.Due < 1_000_000_000
}

// AnkiReview is one row of an Anki revlog.
type AnkiReview struct {
	ID      int64 // when the answer was given, in Unix milliseconds; unique in a collection
	Ease    int   // the button, 1-4; 0 for a manual reschedule
	Ivl     int64 // the interval after the answer: days, or negative seconds for a learning step
	LastIvl int64 // the interval before it, in the same units
	Factor  int64 // the ease after it in permille; with FSRS on, the difficulty as (D-1)/9+0.1 in permille
	Time    int64 // milliseconds spent answering
	Type    int   // 0 learning, 1 review, 2 relearning, 3 filtered (cram), 4 manual, 5 rescheduled
}

// Revlog kinds (rslib/src/revlog/mod.rs).
const (
	ankiRevlogLearning = 0
	ankiRevlogFiltered = 3
	ankiRevlogManual   = 4
)

// graded reports whether the row is an answer (Anki's has_rating): a
// button was pressed. Anki takes any positive ease; srs takes 1-4, the
// buttons there are, and treats a row with another ease as no answer.
func (r AnkiReview) graded() bool { return r.Ease >= 1 && r.Ease <= 4 }

// reset reports whether the row is a "reset to new" (Anki's is_reset): a
// manual row with no ease factor; "set due date" writes a manual row with
// one, and is no reset.
func (r AnkiReview) reset() bool { return r.Type == ankiRevlogManual && r.Factor == 0 }

// cramming reports whether the row is a review in a filtered deck that
// does not reschedule (Anki's is_cramming): it changed nothing.
func (r AnkiReview) cramming() bool { return r.Type == ankiRevlogFiltered && r.Factor == 0 }

// interday reports whether the interval the row set is a day or more.
func (r AnkiReview) interday() bool { return r.Ivl >= 1 || r.Ivl <= -86400 }

// AnkiProgress is one card's scheduling as an Anki package carries it.
type AnkiProgress struct {
	Card    AnkiCard
	Revlog  []AnkiReview // oldest first
	Created time.Time    // the collection's creation (col.crt): day numbers count from its day
	// Preset is the deck options of the card's deck (its home deck when
	// it sits in a filtered one), when the package carries them; cards
	// of one preset share it.
	Preset *AnkiPreset
}

// History is what an import gives a user of one card's scheduling: the
// reviews to replay through the user's scheduler, the state they start
// from when the log that came is not the card's whole life, and whether
// the card is suspended.
type History struct {
	Reviews []ReviewEvent // oldest first
	// State, when its Due is set, is a state given from outside rather
	// than replayed: with Reviews, the state they start from, set at
	// State.LastReview (a truncated Anki log's first answer, as Anki
	// infers it); without, the card's whole state (an Anki card with no
	// usable log).
	State     Card
	Suspended bool
}

// ankiHistoricalRetention is the retention Anki assumes SM-2 kept when it
// infers a memory state from an ease and an interval, unless the deck
// options say otherwise (AnkiPreset.HistoricalRetention).
const ankiHistoricalRetention = 0.9

// FromAnki turns a card's Anki scheduling into History, or reports that
// there is nothing to keep (a new card never reviewed nor suspended).
// It reads the revlog as Anki's FSRS code reads it for a card's memory
// state (rslib scheduler/fsrs/params.rs reviews_for_fsrs and
// memory_state.rs fsrs_item_for_memory_state), with s's parameters where
// Anki would use the deck's:
//
//   - Walking back from the newest row, cramming rows are passed over.
//     The last run of learning answers starts the history (an earlier
//     run is another life of the card: older Anki versions logged no row
//     when a card was reset to new; rows before the last reset never
//     count); such a history is complete and is replayed from a new
//     card.
//   - Otherwise (no learning row since the last reset, or none at all:
//     the log was truncated, or the card came from SM-2 days), the
//     history starts at the first answer after the last reset that set
//     an interval of a day or more. That answer is not replayed: Anki
//     infers the state it left from its ease and interval
//     (memory_state_from_sm2 with the historical retention, 90% unless
//     the deck options say; an ease of at most 110% is FSRS's difficulty
//     written as Anki writes it, D = (ease − 0.1)·9 + 1), and the later
//     answers are replayed from that state.
//   - A reset with no answer after it leaves no history; nor do rows
//     that are not answers (manual and rescheduling rows) or cramming.
//
// A review card without any usable history gets a state estimated as
// Anki does when FSRS is switched on over SM-2 data: its own FSRS memory
// (Data's s and d) when present, else one derived from its ease and
// interval through s's parameters.
func (s *Scheduler) FromAnki(p AnkiProgress) (History, bool) {
	h := History{Suspended: p.Card.Queue == -1}
	rows, complete := ankiHistoryRows(p.Revlog)
	if len(rows) > 0 && !complete {
		start, ok := s.ankiStart(rows[0], p.Preset.historicalRetention())
		if ok {
			h.State = start
		}
		rows = rows[1:]
	}
	for _, r := range rows {
		h.Reviews = append(h.Reviews, ReviewEvent{
			Time:     time.UnixMilli(r.ID).UTC(),
			Rating:   Rating(r.Ease),
			Duration: time.Duration(max(r.Time, 0)) * time.Millisecond,
		})
	}
	if len(h.Reviews) == 0 && h.State.Due.IsZero() && p.Card.Type == 2 {
		if st, ok := s.ankiState(p); ok {
			h.State = st
		}
	}
	if len(h.Reviews) == 0 && h.State.Due.IsZero() && p.Card.Type == 0 && !h.Suspended {
		return History{}, false
	}
	return h, true
}

// ankiHistoryRows picks the revlog rows (oldest first) that make a
// card's history as Anki's reviews_for_fsrs does when computing memory
// states (see FromAnki): the answers from where the history starts, and
// whether that start is a learning row (complete) or the first interday
// answer of a truncated log.
func ankiHistoryRows(revlog []AnkiReview) (rows []AnkiReview, complete bool) {
	firstLearn, firstGrade := -1, -1
scan:
	for i := len(revlog) - 1; i >= 0; i-- {
		r := revlog[i]
		if r.cramming() {
			continue
		}
		if r.graded() && r.interday() {
			firstGrade = i
		}
		switch {
		case r.graded() && r.Type == ankiRevlogLearning:
			firstLearn, complete = i, true
		case r.reset():
			if firstLearn < 0 && firstGrade < 0 {
				return nil, false // reset, and not answered since
			}
			complete = firstLearn >= 0
			break scan // nothing before a reset counts
		case firstLearn >= 0:
			break scan // an earlier run of learning is another life of the card
		}
	}
	start := firstLearn
	if start < 0 {
		start = firstGrade
	}
	if start < 0 {
		return nil, false
	}
	for _, r := range revlog[start:] {
		if r.graded() && !r.cramming() {
			rows = append(rows, r)
		}
	}
	return rows, complete
}

// ankiStart is the state Anki infers a truncated log's first answer r
// left (memory_state.rs fsrs_item_for_memory_state): stability and
// difficulty from r's ease (250% when none) and interval (at least a
// day) at the historical retention, with s's parameters; a review card
// last reviewed at r, due its interval later.
func (s *Scheduler) ankiStart(r AnkiReview, retention float64) (Card, bool) {
	ivl := min(max(r.Ivl, 1), 36500)
	ease := 2.5
	if r.Factor != 0 {
		ease = float64(r.Factor) / 1000
	}
	// An "ease" of at most 110% is FSRS's difficulty as Anki writes it
	// into the revlog. go-fsrs wants an ease above 1 for the conversion;
	// the stability does not depend on the ease, and the difficulty is
	// then replaced.
	fsrsWritten := ease <= 1.1
	if fsrsWritten {
		ease = 2.5
	}
	m, err := s.f.MemoryStateFromSM2(ease, float64(ivl), retention)
	if err != nil {
		return Card{}, false
	}
	if fsrsWritten {
		m.Difficulty = min(max((float64(r.Factor)/1000-0.1)*9+1, 1), 10)
	}
	at := time.UnixMilli(r.ID).UTC()
	return Card{
		Due:           s.DayStart(at, int(ivl)),
		Stability:     m.Stability,
		Difficulty:    m.Difficulty,
		ScheduledDays: uint64(ivl),
		Reps:          1,
		State:         Review,
		LastReview:    at,
	}, true
}

// ankiState estimates the state of a review card that has no usable
// revlog.
func (s *Scheduler) ankiState(p AnkiProgress) (Card, bool) {
	c := p.Card
	var due time.Time
	if c.Due > 1_000_000_000 { // a (re)learning timestamp in seconds
		due = time.Unix(c.Due, 0).UTC()
	} else {
		due = p.Created.UTC().Add(time.Duration(c.Due) * 24 * time.Hour)
	}
	ivl := min(max(c.Ivl, 0), 36500)
	var data struct {
		S   *float64 `json:"s"`
		D   *float64 `json:"d"`
		LRT *int64   `json:"lrt"`
	}
	_ = json.Unmarshal([]byte(c.Data), &data) // Anki drops invalid data silently too
	var stab, diff float64
	if data.S != nil && data.D != nil && *data.S > 0 && *data.S < 1e6 && *data.D >= 1 && *data.D <= 10 {
		stab, diff = *data.S, *data.D
	} else {
		ease := float64(c.Factor) / 1000
		if ease <= 1 || ease > 10 {
			ease = 2.5 // Anki's default starting ease
		}
		m, err := s.f.MemoryStateFromSM2(ease, float64(ivl), p.Preset.historicalRetention())
		if err != nil {
			return Card{}, false
		}
		stab, diff = m.Stability, m.Difficulty
	}
	last := due.Add(-time.Duration(ivl) * 24 * time.Hour)
	if data.LRT != nil && *data.LRT > 0 && *data.LRT < due.Unix() {
		last = time.Unix(*data.LRT, 0).UTC()
	}
	return Card{
		Due:           due,
		Stability:     stab,
		Difficulty:    diff,
		ScheduledDays: uint64(ivl),
		Reps:          uint64(max(c.Reps, 0)),
		Lapses:        uint64(max(c.Lapses, 0)),
		State:         Review,
		LastReview:    last,
	}, true
}

// ankiRollover is the hour Anki's day starts at in the packages srs writes
// (their conf.rollover).
const ankiRollover = 4

// AnkiDay is the Anki day t falls on in loc, days starting at 04:00 (the
// rollover srs's packages declare), counted from 1970-01-01; and when that
// day starts.
func AnkiDay(t time.Time, loc *time.Location) (int64, time.Time) {
	start := DayOf(t, loc, ankiRollover).Start
	l := start.In(loc)
	return time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, time.UTC).Unix() / 86400, start
}

// AnkiDayStart is when Anki day number day (as AnkiDay counts) starts in
// loc.
func AnkiDayStart(day int64, loc *time.Location) time.Time {
	d := time.Unix(day*86400, 0).UTC()
	return time.Date(d.Year(), d.Month(), d.Day(), ankiRollover, 0, 0, 0, loc)
}

// ToAnki maps a state onto Anki's cards columns, so that Anki continues
// the schedule: a new card is Type 0 (the writer numbers it), a review
// card is due on a day, a learning step under a day at a Unix time, one of
// a day or more on a day. Day numbers are AnkiDay's, in loc; a package
// writer makes them relative to its collection's creation day. Data
// carries the FSRS memory state, rounded as Anki rounds it, with s's
// desired retention and decay.
func (s *Scheduler) ToAnki(st Card, suspended bool, loc *time.Location) AnkiCard {
	if st.State == New {
		c := AnkiCard{}
		if suspended {
			c.Queue = -1
		}
		return c
	}
	c := AnkiCard{Reps: int64(st.Reps), Lapses: int64(st.Lapses), Factor: 2500}
	if c.Reps == 0 { // a reviewed card with no reps trips some importers
		c.Reps = 1
	}
	// Learning steps of a day or more are day-based (queue 3), shorter ones
	// are timestamps (queue 1).
	learnQueue := func() {
		if !st.LastReview.IsZero() && st.Due.Sub(st.LastReview) >= 24*time.Hour {
			c.Queue = 3
			c.Due, _ = AnkiDay(st.Due, loc)
		} else {
			c.Queue, c.Due = 1, st.Due.Unix()
		}
		c.Left = int64(max(st.RemainingSteps, 1))
	}
	switch st.State {
	case Learning:
		c.Type, c.Factor = 1, 0
		learnQueue()
	case Relearning:
		c.Type = 3
		c.Ivl = int64(max(st.ScheduledDays, 1))
		learnQueue()
	default: // Review
		c.Type, c.Queue = 2, 2
		c.Due, _ = AnkiDay(st.Due, loc)
		c.Ivl = int64(st.ScheduledDays)
		if c.Ivl <= 0 && !st.LastReview.IsZero() {
			c.Ivl = int64(math.Round(st.Due.Sub(st.LastReview).Hours() / 24))
		}
		c.Ivl = max(c.Ivl, 1)
	}
	if suspended {
		c.Queue = -1
	}
	c.Data = ankiData(st, s.settings.DesiredRetention, s.decay)
	return c
}

// ankiData is cards.data: the FSRS memory state, rounded as Anki rounds
// it, so Anki with FSRS on continues from it.
func ankiData(st Card, desiredRetention, decay float64) string {
	if st.Stability <= 0 || st.Difficulty <= 0 {
		return ""
	}
	f := func(x float64, dp int) string {
		m := math.Pow(10, float64(dp))
		return strconv.FormatFloat(math.Round(x*m)/m, 'f', -1, 64)
	}
	var b strings.Builder
	b.WriteString(`{"s":` + f(st.Stability, 4) + `,"d":` + f(st.Difficulty, 3))
	if desiredRetention > 0 && desiredRetention < 1 {
		b.WriteString(`,"dr":` + f(desiredRetention, 2))
	}
	if decay > 0 {
		b.WriteString(`,"decay":` + f(decay, 3))
	}
	if !st.LastReview.IsZero() {
		b.WriteString(`,"lrt":` + strconv.FormatInt(st.LastReview.Unix(), 10))
	}
	b.WriteString("}")
	return b.String()
}

// ToAnkiReview is the revlog row of rating e, which took a card from
// before to after: Anki's review kind, its intervals (positive days,
// negative seconds for learning steps) and, since the card is scheduled
// by FSRS, the difficulty where SM-2 kept its ease. Answer times are
// capped at 60 s, as Anki caps them.
func ToAnkiReview(e ReviewEvent, before, after Card) AnkiReview {
	typ := 0
	switch before.State {
	case Review:
		typ = 1
	case Relearning:
		typ = 2
	}
	lastIvl := int64(0)
	if before.State != New && !before.LastReview.IsZero() {
		lastIvl = ankiInterval(before, before.LastReview)
	}
	factor := int64(0)
	if after.Difficulty > 0 {
		factor = int64(math.Round(((after.Difficulty-1)/9 + 0.1) * 1000))
		factor = min(max(factor, 100), 1100)
	}
	return AnkiReview{
		ID:      e.Time.UnixMilli(),
		Ease:    int(e.Rating),
		Type:    typ,
		Ivl:     ankiInterval(after, e.Time),
		LastIvl: lastIvl,
		Factor:  factor,
		Time:    min(max(e.Duration.Milliseconds(), 0), 60_000),
	}
}

// ankiInterval is Anki's revlog interval of a state: positive days for
// day-based intervals, negative seconds for learning steps.
func ankiInterval(c Card, from time.Time) int64 {
	if c.State == New {
		return 0
	}
	if c.State == Review && c.ScheduledDays > 0 {
		return int64(c.ScheduledDays)
	}
	d := c.Due.Sub(from)
	if d >= 24*time.Hour {
		return int64(math.Round(d.Hours() / 24))
	}
	return -max(int64(math.Round(d.Seconds())), 1)
}
