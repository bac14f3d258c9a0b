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

// FromAnki keeps the revlog rows Anki's FSRS counts: none before the last
// reset, no manual or rescheduling rows, no cramming.
func TestFromAnkiReviews(t *testing.T) {
	sc := mustScheduler(t, DefaultSettings())
	rev := func(d time.Duration, ease, typ int, factor, ms int64) AnkiReview {
		return AnkiReview{ID: ankiMS(d), Ease: ease, Type: typ, Factor: factor, Time: ms}
	}
	ev := func(d time.Duration, r Rating, ms int64) ReviewEvent {
		return ReviewEvent{Time: ankiT0.Add(d), Rating: r, Duration: time.Duration(ms) * time.Millisecond}
	}
	tests := []struct {
		name   string
		card   AnkiCard
		revlog []AnkiReview
		want   History
		keep   bool
	}{
		{"plain", AnkiCard{Type: 2, Queue: 2}, []AnkiReview{rev(0, 3, 0, 0, 5000), rev(time.Hour, 1, 1, 2500, 70000)},
			History{Reviews: []ReviewEvent{ev(0, Good, 5000), ev(time.Hour, Again, 70000)}}, true},
		{"reset forgets what came before", AnkiCard{Type: 1, Queue: 1}, []AnkiReview{rev(0, 3, 0, 0, 1), rev(time.Hour, 0, 4, 0, 0), rev(2*time.Hour, 4, 0, 0, 2)},
			History{Reviews: []ReviewEvent{ev(2*time.Hour, Easy, 2)}}, true},
		{"manual with a factor is no reset", AnkiCard{Type: 2, Queue: 2}, []AnkiReview{rev(0, 3, 0, 0, 1), rev(time.Hour, 0, 4, 2500, 0)},
			History{Reviews: []ReviewEvent{ev(0, Good, 1)}}, true},
		{"cramming and rescheduling skipped", AnkiCard{Type: 2, Queue: 2}, []AnkiReview{rev(0, 2, 3, 0, 1), rev(time.Hour, 0, 5, 2500, 0), rev(2*time.Hour, 2, 3, 2500, 9)},
			History{Reviews: []ReviewEvent{ev(2*time.Hour, Hard, 9)}}, true},
		{"negative time is none", AnkiCard{Type: 2, Queue: 2}, []AnkiReview{rev(0, 3, 1, 2500, -5)},
			History{Reviews: []ReviewEvent{ev(0, Good, 0)}}, true},
		{"new, never reviewed", AnkiCard{Type: 0, Queue: 0}, nil, History{}, false},
		{"new, only rows that do not count", AnkiCard{Type: 0, Queue: 0}, []AnkiReview{rev(0, 0, 4, 0, 0)}, History{}, false},
		{"new, suspended", AnkiCard{Type: 0, Queue: -1}, nil, History{Suspended: true}, true},
	}
	for _, tt := range tests {
		got, ok := sc.FromAnki(AnkiProgress{Card: tt.card, Revlog: tt.revlog, Created: ankiT0})
		if ok != tt.keep || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: %+v, %v\nwant %+v, %v", tt.name, got, ok, tt.want, tt.keep)
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
	// With a revlog the reviews carry the history and no state is set.
	h, _ = def.FromAnki(AnkiProgress{Card: sm2, Created: created, Revlog: []AnkiReview{{ID: ankiMS(0), Ease: 3, Type: 1, Factor: 2500}}})
	if !h.State.Due.IsZero() || len(h.Reviews) != 1 {
		t.Errorf("with a revlog: %+v", h)
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
