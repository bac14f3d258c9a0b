package store

import (
	"testing"
	"time"

	gofsrs "github.com/open-spaced-repetition/go-fsrs/v4"

	"github.com/srs-tool/srs/deck"
	"github.com/srs-tool/srs/fsrs"
)

// Imported review history (an Anki revlog) ends in the state that
// replaying the same ratings through go-fsrs itself gives: the user who
// switches keeps exactly the schedule FSRS would have computed, due from
// the start of the day go-fsrs counts to (UTC midnight for this user).
func TestImportedHistoryMatchesGoFSRS(t *testing.T) {
	s := openTemp(t)
	utcUser(t, s, "ann", func(st *fsrs.Settings) { st.DayStartHour = 0; st.Fuzz = true })
	settings, _ := s.Settings("ann")
	start := time.Date(2025, 3, 2, 9, 0, 0, 0, time.UTC)
	events := []fsrs.ReviewEvent{
		{Time: start, Rating: fsrs.Good, Duration: 8 * time.Second},
		{Time: start.Add(10 * time.Minute), Rating: fsrs.Good},
		{Time: start.Add(3 * 24 * time.Hour), Rating: fsrs.Good},
		{Time: start.Add(12 * 24 * time.Hour), Rating: fsrs.Again},
		{Time: start.Add(12*24*time.Hour + 10*time.Minute), Rating: fsrs.Good},
		{Time: start.Add(20 * 24 * time.Hour), Rating: fsrs.Easy},
		{Time: start.Add(70 * 24 * time.Hour), Rating: fsrs.Hard},
	}
	d := testDeck("anki", deck.Card{ID: "a"}, deck.Card{ID: "b"})
	history := map[string]fsrs.History{deck.Key("anki", "a"): {Reviews: events}}
	r, err := s.ImportDeck(d, ImportOptions{Now: t0, User: "ann", WithHistory: true, History: history})
	if err != nil {
		t.Fatal(err)
	}
	if r.History != len(events) {
		t.Fatalf("history %d, want %d", r.History, len(events))
	}

	// The reference: go-fsrs with the same parameters, card by card.
	p := gofsrs.DefaultParam()
	p.RequestRetention = settings.DesiredRetention
	p.MaximumInterval = float64(settings.MaximumInterval)
	p.EnableFuzz = settings.Fuzz
	p.LearningSteps, p.RelearningSteps = []float64{1, 10}, []float64{10}
	f := gofsrs.NewFSRS(p)
	want := gofsrs.NewCard(start)
	for _, e := range events {
		info, err := f.Next(want, e.Time, e.Rating)
		if err != nil {
			t.Fatal(err)
		}
		want = info.Card
	}
	got, ok, err := s.State("ann", "anki", "a")
	if err != nil || !ok {
		t.Fatalf("no state: %v", err)
	}
	y, m, dd := want.LastReview.Date()
	wantDue := time.Date(y, m, dd+int(want.ScheduledDays), 0, 0, 0, 0, time.UTC)
	if want.State != gofsrs.Review || !got.Due.Equal(wantDue) || got.ScheduledDays != want.ScheduledDays || got.Stability != want.Stability || got.Difficulty != want.Difficulty ||
		got.State != want.State || got.Reps != want.Reps || got.Lapses != want.Lapses || !got.LastReview.Equal(want.LastReview) {
		t.Fatalf("imported state %+v\ngo-fsrs replay %+v", got.Card, want)
	}
	var h []Entry
	err = s.EachEntry("ann", false, func(e Entry) error {
		if e.Card == deck.Key("anki", "a") {
			h = append(h, e)
		}
		return nil
	})
	if err != nil || len(h) != len(events) || h[0].Duration != 8*time.Second {
		t.Fatalf("history %+v %v", h, err)
	}
	// Re-importing the same history does not double it.
	r, err = s.ImportDeck(d, ImportOptions{Now: t0, User: "ann", WithHistory: true, History: history})
	if err != nil || r.History != 0 || r.Changed() {
		t.Fatalf("re-import: %+v %v", r, err)
	}
	if rep, _ := s.Check(); len(rep.Problems) != 0 {
		t.Fatalf("%v", rep.Problems)
	}
}

// A history that starts from a state given from outside (a truncated Anki
// log: the state Anki infers from its first answer) logs that state when
// it was reached, then replays the reviews from it; the check and a
// rebuild agree, and a state after the first review is refused.
func TestImportedHistoryFromAState(t *testing.T) {
	s := openTemp(t)
	utcUser(t, s, "ann", func(st *fsrs.Settings) { st.DayStartHour = 0; st.Fuzz = false })
	settings, _ := s.Settings("ann")
	sc, err := fsrs.NewScheduler(settings)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2025, 3, 2, 9, 0, 0, 0, time.UTC)
	from := fsrs.Card{State: fsrs.Review, Stability: 100, Difficulty: 5, LastReview: start, Due: start.AddDate(0, 0, 100), ScheduledDays: 100, Reps: 1}
	events := []fsrs.ReviewEvent{
		{Time: start.AddDate(0, 0, 99), Rating: fsrs.Good, Duration: 4 * time.Second},
		{Time: start.AddDate(0, 0, 400), Rating: fsrs.Again},
	}
	d := testDeck("anki", deck.Card{ID: "a"})
	history := map[string]fsrs.History{deck.Key("anki", "a"): {State: from, Reviews: events}}
	r, err := s.ImportDeck(d, ImportOptions{Now: t0, User: "ann", WithHistory: true, History: history})
	if err != nil {
		t.Fatal(err)
	}
	if r.History != len(events)+1 {
		t.Errorf("history %d, want %d (the state and the reviews)", r.History, len(events)+1)
	}
	want := from
	for _, e := range events {
		if want, err = sc.Next(want, e.Time, e.Rating); err != nil {
			t.Fatal(err)
		}
	}
	got, _, _ := s.State("ann", "anki", "a")
	if got.Card != want {
		t.Errorf("imported state %+v\nreplayed from the state %+v", got.Card, want)
	}
	var h []Entry
	s.EachEntry("ann", false, func(e Entry) error { h = append(h, e); return nil })
	if len(h) != 3 || h[0].Action != ActSet || !h[0].Time().Equal(start) || h[0].After.Card != from ||
		h[1].Action != ActRate || h[1].Before.Card != from {
		t.Errorf("log %+v", h)
	}
	if rep, _ := s.Check(); len(rep.Problems) != 0 {
		t.Errorf("%v", rep.Problems)
	}
	if _, err := s.Rebuild(); err != nil {
		t.Fatal(err)
	}
	if again, _, _ := s.State("ann", "anki", "a"); again.Card != want {
		t.Errorf("after a rebuild %+v", again.Card)
	}

	late := from
	late.LastReview = events[0].Time.Add(time.Hour)
	d2 := testDeck("anki2", deck.Card{ID: "b"})
	_, err = s.ImportDeck(d2, ImportOptions{Now: t0, User: "ann", WithHistory: true,
		History: map[string]fsrs.History{deck.Key("anki2", "b"): {State: late, Reviews: events}}})
	if err == nil {
		t.Error("a start state after the first review accepted")
	}
}
