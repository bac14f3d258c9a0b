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
