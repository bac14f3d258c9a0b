package fsrs

import (
	"math"
	"reflect"
	"strconv"
	"testing"
	"time"

	gofsrs "github.com/open-spaced-repetition/go-fsrs/v4"
)

var ankiT0 = time.Date(2025, 6, 1, 9, 0, 0, 0, time.UTC)

func ankiMS(d time.Duration) int64 { return ankiT0.Add(d).UnixMilli() }

// FromAnki keeps the revlog rows Anki's FSRS counts for a memory state
// (reviews_for_fsrs): from the last run of learning, or from the first
// interday answer after the last reset; no manual or rescheduling rows,
// no cramming.
func TestFromAnkiReviews(t *testing.T) {
	sc := mustScheduler(t, DefaultSettings())
	// rev is a revlog row d after ankiT0: ease, kind, factor, interval
	// (days, or negative seconds) and answer time.
	rev := func(d time.Duration, ease, typ int, factor, ivl, ms int64) AnkiReview {
		return AnkiReview{ID: ankiMS(d), Ease: ease, Type: typ, Factor: factor, Ivl: ivl, Time: ms}
	}
	ev := func(d time.Duration, r Rating, ms int64) ReviewEvent {
		return ReviewEvent{Time: ankiT0.Add(d), Rating: r, Duration: time.Duration(ms) * time.Millisecond}
	}
	const day = 24 * time.Hour
	review := AnkiCard{Type: 2, Queue: 2}
	tests := []struct {
		name   string
		card   AnkiCard
		revlog []AnkiReview
		want   []ReviewEvent
		start  time.Duration // when the state set from outside was reached; -1 for none
		keep   bool
	}{
		{"learning, then reviews", review, []AnkiReview{rev(0, 3, 0, 0, -600, 5000), rev(time.Hour, 3, 0, 2500, 1, 7000), rev(day, 1, 1, 2300, -600, 70000)},
			[]ReviewEvent{ev(0, Good, 5000), ev(time.Hour, Good, 7000), ev(day, Again, 70000)}, -1, true},
		{"a reset forgets what came before", AnkiCard{Type: 1, Queue: 1}, []AnkiReview{rev(0, 3, 0, 0, 1, 1), rev(time.Hour, 0, 4, 0, 0, 0), rev(2*time.Hour, 4, 0, 0, -600, 2)},
			[]ReviewEvent{ev(2*time.Hour, Easy, 2)}, -1, true},
		{"set due date (manual with a factor) is no reset", review, []AnkiReview{rev(0, 3, 0, 0, 1, 1), rev(time.Hour, 0, 4, 2500, 10, 0)},
			[]ReviewEvent{ev(0, Good, 1)}, -1, true},
		{"cramming passed over, rescheduling skipped, a filtered review that reschedules counts", review,
			[]AnkiReview{rev(0, 3, 0, 0, 1, 1), rev(time.Hour, 2, 3, 0, 0, 5), rev(2*time.Hour, 0, 5, 2500, 4, 0), rev(day, 2, 3, 2500, 2, 9)},
			[]ReviewEvent{ev(0, Good, 1), ev(day, Hard, 9)}, -1, true},
		{"cramming between learning rows does not split them", review,
			[]AnkiReview{rev(0, 1, 0, 0, -60, 1), rev(time.Minute, 2, 3, 0, 0, 5), rev(2*time.Minute, 3, 0, 0, 1, 2)},
			[]ReviewEvent{ev(0, Again, 1), ev(2*time.Minute, Good, 2)}, -1, true},
		{"two runs of learning, no reset between: the last run", review,
			[]AnkiReview{rev(0, 3, 0, 0, 1, 1), rev(day, 3, 1, 2500, 3, 2), rev(4*day, 1, 0, 0, -60, 3), rev(4*day+time.Minute, 3, 0, 2500, 1, 4), rev(6*day, 3, 1, 2500, 3, 5)},
			[]ReviewEvent{ev(4*day, Again, 3), ev(4*day+time.Minute, Good, 4), ev(6*day, Good, 5)}, -1, true},
		{"truncated: the first answer becomes the state, the rest replayed", review,
			[]AnkiReview{rev(0, 3, 1, 2500, 100, 1), rev(99*day, 2, 1, 2350, 120, 2)},
			[]ReviewEvent{ev(99*day, Hard, 2)}, 0, true},
		{"truncated: same-day answers before the first interday one dropped", review,
			[]AnkiReview{rev(0, 1, 2, 2300, -600, 1), rev(10*time.Minute, 3, 2, 2300, 3, 2), rev(3*day, 3, 1, 2300, 8, 3)},
			[]ReviewEvent{ev(3*day, Good, 3)}, 10 * time.Minute, true},
		{"reset, then reviews without learning: from the first interday answer after it", review,
			[]AnkiReview{rev(0, 3, 0, 0, 1, 1), rev(day, 0, 4, 0, 0, 0), rev(2*day, 1, 2, 2500, -600, 2), rev(2*day+time.Hour, 3, 2, 2300, 5, 3)},
			nil, 2*day + time.Hour, true},
		{"one review row alone: a state, nothing replayed", review, []AnkiReview{rev(0, 3, 1, 2500, 100, 1)}, nil, 0, true},
		{"negative time is none", review, []AnkiReview{rev(0, 3, 0, 2500, 1, -5)}, []ReviewEvent{ev(0, Good, 0)}, -1, true},
		{"reset and not answered since: nothing", AnkiCard{Type: 0, Queue: 0}, []AnkiReview{rev(0, 3, 0, 0, 1, 1), rev(day, 0, 4, 0, 0, 0)}, nil, -1, false},
		{"new, never reviewed", AnkiCard{Type: 0, Queue: 0}, nil, nil, -1, false},
		{"new, only rows that do not count", AnkiCard{Type: 0, Queue: 0}, []AnkiReview{rev(0, 0, 4, 0, 0, 0)}, nil, -1, false},
		{"new, suspended", AnkiCard{Type: 0, Queue: -1}, nil, nil, -1, true},
	}
	for _, tt := range tests {
		got, ok := sc.FromAnki(AnkiProgress{Card: tt.card, Revlog: tt.revlog, Created: ankiT0})
		if ok != tt.keep || !reflect.DeepEqual(got.Reviews, tt.want) || got.Suspended != (tt.card.Queue == -1) {
			t.Errorf("%s: %+v, %v\nwant reviews %+v, %v", tt.name, got, ok, tt.want, tt.keep)
		}
		switch {
		case tt.start < 0 && !got.State.Due.IsZero() && len(tt.want) > 0:
			t.Errorf("%s: a state set: %+v", tt.name, got.State)
		case tt.start >= 0 && (got.State.State != Review || !got.State.LastReview.Equal(ankiT0.Add(tt.start)) || got.State.Stability <= 0):
			t.Errorf("%s: start state %+v, want one reached at %v", tt.name, got.State, ankiT0.Add(tt.start))
		}
	}
}

// A review card without a usable revlog gets a state: its own FSRS
// memory when cards.data has one, else one derived from its ease and
// interval through the importing user's parameters. With default settings
// that is go-fsrs's default conversion, as before the conversion moved
// here.
func TestFromAnkiState(t *testing.T) {
	created := time.Date(2025, 1, 1, 4, 0, 0, 0, time.UTC)
	sm2 := AnkiCard{Type: 2, Queue: 2, Due: 100, Ivl: 10, Factor: 2300, Reps: 7, Lapses: 1}
	due := created.AddDate(0, 0, 100)

	def := mustScheduler(t, DefaultSettings())
	h, ok := def.FromAnki(AnkiProgress{Card: sm2, Created: created})
	m, err := gofsrs.NewFSRS(gofsrs.DefaultParam()).MemoryStateFromSM2(2.3, 10, 0.9)
	if err != nil || !ok {
		t.Fatal(err, ok)
	}
	st := h.State
	if st.State != Review || !st.Due.Equal(due) || !st.LastReview.Equal(due.AddDate(0, 0, -10)) || st.ScheduledDays != 10 ||
		st.Reps != 7 || st.Lapses != 1 || math.Abs(st.Stability-m.Stability) > 1e-9 || math.Abs(st.Difficulty-m.Difficulty) > 1e-9 || h.Reviews != nil {
		t.Errorf("SM-2 card: %+v, want S %v D %v due %v", h, m.Stability, m.Difficulty, due)
	}

	// Another user's weights give another memory state from the same card.
	own := DefaultSettings()
	w := gofsrs.DefaultWeights()
	w[8] += 0.5 // difficulty from ease depends on w8-w10
	own.Weights = w[:]
	h2, _ := mustScheduler(t, own).FromAnki(AnkiProgress{Card: sm2, Created: created})
	if h2.State.Difficulty == st.Difficulty {
		t.Errorf("the user's own weights were not used: difficulty %v both times", st.Difficulty)
	}

	// Anki's own FSRS memory wins, and its last review time.
	withData := sm2
	withData.Data = `{"s":12.5,"d":6.25,"lrt":` + strconv.FormatInt(due.AddDate(0, 0, -7).Unix(), 10) + `}`
	h, _ = def.FromAnki(AnkiProgress{Card: withData, Created: created})
	if h.State.Stability != 12.5 || h.State.Difficulty != 6.25 || !h.State.LastReview.Equal(due.AddDate(0, 0, -7)) {
		t.Errorf("FSRS data: %+v", h.State)
	}
	// Out-of-range data is ignored, as Anki ignores it.
	withData.Data = `{"s":-1,"d":6}`
	if h, _ = def.FromAnki(AnkiProgress{Card: withData, Created: created}); h.State.Stability != st.Stability {
		t.Errorf("bad FSRS data used: %+v", h.State)
	}
	// A due that is a timestamp is read as one.
	ts := sm2
	ts.Due = due.Unix()
	if h, _ = def.FromAnki(AnkiProgress{Card: ts, Created: created}); !h.State.Due.Equal(due) {
		t.Errorf("timestamp due read as %v", h.State.Due)
	}
	// With a revlog the state comes from it, not from the card's columns
	// (Anki: "cards with a single review-type entry also get memory
	// states from revlog rather than card states").
	h, _ = def.FromAnki(AnkiProgress{Card: sm2, Created: created, Revlog: []AnkiReview{{ID: ankiMS(0), Ease: 3, Type: 1, Factor: 2500, Ivl: 3}}})
	if math.Abs(h.State.Stability-3) > 1e-9 || !h.State.LastReview.Equal(ankiT0) || len(h.Reviews) != 0 {
		t.Errorf("with a revlog: %+v", h)
	}
	// A review row with no interval (not one Anki writes) does not count.
	h, _ = def.FromAnki(AnkiProgress{Card: sm2, Created: created, Revlog: []AnkiReview{{ID: ankiMS(0), Ease: 3, Type: 1, Factor: 2500}}})
	if h.State.Stability != st.Stability || len(h.Reviews) != 0 {
		t.Errorf("a review row without interval: %+v", h)
	}
}

// ToAnki writes the columns Anki continues the schedule from.
func TestToAnki(t *testing.T) {
	sc := mustScheduler(t, DefaultSettings())
	loc := time.FixedZone("UTC+2", 2*3600)
	last := time.Date(2026, 3, 1, 10, 0, 0, 0, loc)
	day := func(t time.Time) int64 { d, _ := AnkiDay(t, loc); return d }
	tests := []struct {
		name      string
		st        Card
		suspended bool
		want      AnkiCard
	}{
		{"new", Card{State: New}, false, AnkiCard{}},
		{"new, suspended", Card{State: New}, true, AnkiCard{Queue: -1}},
		{"review", Card{State: Review, Due: last.AddDate(0, 0, 9), LastReview: last, ScheduledDays: 9, Stability: 9.87654, Difficulty: 4.56789, Reps: 4, Lapses: 1}, false,
			AnkiCard{Type: 2, Queue: 2, Due: day(last.AddDate(0, 0, 9)), Ivl: 9, Factor: 2500, Reps: 4, Lapses: 1,
				Data: `{"s":9.8765,"d":4.568,"dr":0.9,"decay":0.154,"lrt":` + strconv.FormatInt(last.Unix(), 10) + `}`}},
		{"review without scheduled days, suspended", Card{State: Review, Due: last.AddDate(0, 0, 3), LastReview: last, Reps: 2}, true,
			AnkiCard{Type: 2, Queue: -1, Due: day(last.AddDate(0, 0, 3)), Ivl: 3, Factor: 2500, Reps: 2}},
		{"learning step", Card{State: Learning, Due: last.Add(10 * time.Minute), LastReview: last, RemainingSteps: 1, Reps: 1, Stability: 1, Difficulty: 5}, false,
			AnkiCard{Type: 1, Queue: 1, Due: last.Add(10 * time.Minute).Unix(), Left: 1, Reps: 1,
				Data: `{"s":1,"d":5,"dr":0.9,"decay":0.154,"lrt":` + strconv.FormatInt(last.Unix(), 10) + `}`}},
		{"learning step of days", Card{State: Learning, Due: last.AddDate(0, 0, 2), LastReview: last, Reps: 1}, false,
			AnkiCard{Type: 1, Queue: 3, Due: day(last.AddDate(0, 0, 2)), Left: 1, Reps: 1}},
		{"relearning", Card{State: Relearning, Due: last.Add(10 * time.Minute), LastReview: last, Reps: 5, Lapses: 2}, false,
			AnkiCard{Type: 3, Queue: 1, Due: last.Add(10 * time.Minute).Unix(), Ivl: 1, Left: 1, Factor: 2500, Reps: 5, Lapses: 2}},
		{"reviewed, no reps", Card{State: Review, Due: last.AddDate(0, 0, 1), LastReview: last, ScheduledDays: 1}, false,
			AnkiCard{Type: 2, Queue: 2, Due: day(last.AddDate(0, 0, 1)), Ivl: 1, Factor: 2500, Reps: 1}},
	}
	for _, tt := range tests {
		got := sc.ToAnki(tt.st, tt.suspended, loc)
		if got != tt.want {
			t.Errorf("%s:\n got %+v\nwant %+v", tt.name, got, tt.want)
		}
		if isDay := got.DueIsDay(); got.Type != 0 && isDay != (got.Due < 1_000_000_000) {
			t.Errorf("%s: DueIsDay %v for due %d", tt.name, isDay, got.Due)
		}
	}
}

// A review card written by ToAnki and read back by FromAnki, its day
// numbers counted from the same day, keeps its memory state and due day.
func TestAnkiRoundTrip(t *testing.T) {
	sc := mustScheduler(t, DefaultSettings())
	loc := time.UTC
	last := time.Date(2026, 3, 1, 10, 0, 0, 0, loc)
	st := Card{State: Review, Due: last.AddDate(0, 0, 12), LastReview: last, ScheduledDays: 12, Stability: 11.5, Difficulty: 3.25, Reps: 6, Lapses: 1}
	a := sc.ToAnki(st, false, loc)
	created := AnkiDayStart(0, loc)
	h, ok := sc.FromAnki(AnkiProgress{Card: a, Created: created})
	got := h.State
	if !ok || got.Stability != st.Stability || got.Difficulty != st.Difficulty || !got.LastReview.Equal(st.LastReview) ||
		got.Reps != st.Reps || got.Lapses != st.Lapses || got.ScheduledDays != st.ScheduledDays ||
		got.Due.Sub(st.Due).Abs() >= 24*time.Hour {
		t.Errorf("read back %+v\n   wrote %+v", got, st)
	}
}

func TestAnkiDay(t *testing.T) {
	loc := time.FixedZone("UTC-5", -5*3600)
	tests := []struct {
		t    time.Time
		want time.Time // the local date of the day
	}{
		{time.Date(2026, 3, 1, 12, 0, 0, 0, loc), time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)},
		{time.Date(2026, 3, 1, 3, 59, 0, 0, loc), time.Date(2026, 2, 28, 0, 0, 0, 0, time.UTC)}, // before the 4 am rollover
		{time.Date(2026, 3, 1, 4, 0, 0, 0, loc), time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		d, start := AnkiDay(tt.t, loc)
		if d != tt.want.Unix()/86400 {
			t.Errorf("%v: day %d, want %d", tt.t, d, tt.want.Unix()/86400)
		}
		if !start.Equal(AnkiDayStart(d, loc)) || start.In(loc).Hour() != 4 || tt.t.Before(start) || !tt.t.Before(start.Add(24*time.Hour)) {
			t.Errorf("%v: day starts %v, AnkiDayStart %v", tt.t, start, AnkiDayStart(d, loc))
		}
	}
}

func TestToAnkiReview(t *testing.T) {
	at := ankiT0
	learning := Card{State: Learning, Due: at.Add(10 * time.Minute), LastReview: at, Difficulty: 5.5}
	review := Card{State: Review, Due: at.AddDate(0, 0, 4), LastReview: at, ScheduledDays: 4, Difficulty: 10}
	relearning := Card{State: Relearning, Due: at.AddDate(0, 0, 4).Add(10 * time.Minute), LastReview: at.AddDate(0, 0, 4), Difficulty: 1}
	tests := []struct {
		name          string
		e             ReviewEvent
		before, after Card
		want          AnkiReview
	}{
		{"first", ReviewEvent{Time: at, Rating: Good, Duration: 8 * time.Second}, Card{State: New}, learning,
			AnkiReview{ID: at.UnixMilli(), Ease: 3, Type: 0, Ivl: -600, LastIvl: 0, Factor: 600, Time: 8000}},
		{"graduating", ReviewEvent{Time: at.Add(10 * time.Minute), Rating: Easy, Duration: 2 * time.Minute}, learning, review,
			AnkiReview{ID: at.Add(10 * time.Minute).UnixMilli(), Ease: 4, Type: 0, Ivl: 4, LastIvl: -600, Factor: 1100, Time: 60000}},
		{"lapse", ReviewEvent{Time: at.AddDate(0, 0, 4), Rating: Again}, review, relearning,
			AnkiReview{ID: at.AddDate(0, 0, 4).UnixMilli(), Ease: 1, Type: 1, Ivl: -600, LastIvl: 4, Factor: 100}},
		{"relearned", ReviewEvent{Time: relearning.Due, Rating: Good, Duration: -time.Second}, relearning, review,
			AnkiReview{ID: relearning.Due.UnixMilli(), Ease: 3, Type: 2, Ivl: 4, LastIvl: -600, Factor: 1100}},
	}
	for _, tt := range tests {
		if got := ToAnkiReview(tt.e, tt.before, tt.after); got != tt.want {
			t.Errorf("%s:\n got %+v\nwant %+v", tt.name, got, tt.want)
		}
	}
}
