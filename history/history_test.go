package history

import (
	"context"
	"fmt"
	"math"
	"path/filepath"
	"reflect"
	"sort"
	"testing"
	"time"

	"github.com/srs-tool/srs/deck"
	"github.com/srs-tool/srs/fsrs"
	"github.com/srs-tool/srs/fsrs/optimize"
	"github.com/srs-tool/srs/store"
)

var t0 = time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)

func openStore(t *testing.T) *store.Store {
	t.Helper()
	s, err := store.Open(filepath.Join(t.TempDir(), "srs.db"), store.Options{Now: t0})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// importHistory adds deck name with one card per history, in the order
// given, each with its reviews as history of user ann.
func importHistory(t *testing.T, s *store.Store, name string, ids []string, hist []fsrs.History, now time.Time) {
	t.Helper()
	d := &deck.Deck{Name: name, Source: "test"}
	h := map[string]fsrs.History{}
	for i, id := range ids {
		c := deck.Card{ID: id, Deck: name, Kind: deck.KindQuestion, Front: "Q " + id + "?", Back: "A " + id + "."}
		d.Cards = append(d.Cards, c)
		h[c.Key()] = hist[i]
	}
	if _, err := s.ImportDeck(d, store.ImportOptions{Now: now, User: "ann", WithHistory: true, History: h}); err != nil {
		t.Fatal(err)
	}
}

func ev(days float64, r fsrs.Rating, secs int) fsrs.ReviewEvent {
	return fsrs.ReviewEvent{Time: t0.Add(time.Duration(days * 24 * float64(time.Hour))), Rating: r, Duration: time.Duration(secs) * time.Second}
}

// Read groups ratings by card in the order of each card's first entry,
// counts only ratings up to a state set from outside, and keeps to the
// deck asked for.
func TestRead(t *testing.T) {
	s := openStore(t)
	now := t0.AddDate(0, 0, 30)
	importHistory(t, s, "d", []string{"a", "b", "c"}, []fsrs.History{
		{Reviews: []fsrs.ReviewEvent{ev(2, fsrs.Good, 5), ev(5, fsrs.Good, 4)}},
		{Reviews: []fsrs.ReviewEvent{ev(1, fsrs.Again, 9), ev(1.01, fsrs.Good, 6), ev(4, fsrs.Hard, 30*60)}},
		{State: fsrs.Card{State: fsrs.Review, Stability: 10, Difficulty: 5, Due: now.AddDate(0, 0, 3), LastReview: now.AddDate(0, 0, -7), ScheduledDays: 10}},
	}, now)
	importHistory(t, s, "e", []string{"x"}, []fsrs.History{{Reviews: []fsrs.ReviewEvent{ev(0, fsrs.Easy, 3)}}}, now)
	// A rating after the state set from outside does not count.
	before, _, err := s.State("ann", "d", "c")
	if err != nil {
		t.Fatal(err)
	}
	sc, _ := fsrs.NewScheduler(fsrs.DefaultSettings())
	at := now.Add(time.Hour)
	after, _ := sc.Next(before.Card, at, fsrs.Good)
	if _, err := s.Record("ann", store.Change{Card: deck.Key("d", "c"), Time: at, Action: store.ActRate, Rating: fsrs.Good,
		Before: before, HadState: true, After: store.CardState{Card: after}}); err != nil {
		t.Fatal(err)
	}

	l, err := Read(s, "ann", "")
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, c := range l.Cards {
		keys = append(keys, c.Key)
	}
	if want := []string{deck.Key("e", "x"), deck.Key("d", "b"), deck.Key("d", "a"), deck.Key("d", "c")}; !reflect.DeepEqual(keys, want) {
		t.Errorf("cards in order %q, want %q (first entry first)", keys, want)
	}
	if l.Reviews != 6 {
		t.Errorf("%d reviews counted, want 6 (not the one after the state set from outside)", l.Reviews)
	}
	if c := l.Cards[3]; len(c.Reviews) != 0 || c.FirstNew {
		t.Errorf("card set from outside: %+v", c)
	}
	if c := l.Cards[1]; !c.FirstNew || len(c.Reviews) != 3 || c.Reviews[2].Rating != 2 || !c.Reviews[0].Time.Equal(t0.AddDate(0, 0, 1)) {
		t.Errorf("card b: %+v", c)
	}
	training := l.Training()
	if len(training) != 2 || len(training[0]) != 3 || len(training[1]) != 2 {
		t.Errorf("training cards: %v, want b then a", training)
	}

	l, err = Read(s, "ann", "e")
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Cards) != 1 || l.Cards[0].Key != deck.Key("e", "x") || l.Reviews != 1 || len(l.Training()) != 0 {
		t.Errorf("deck e: %+v", l)
	}
}

// Habits are the user's own pulled toward the population's by n/(n+50).
func TestHabits(t *testing.T) {
	s := openStore(t)
	now := t0.AddDate(0, 0, 30)
	importHistory(t, s, "d", []string{"a", "b"}, []fsrs.History{
		// Learning Good 5 s, then a review Good 4 s.
		{Reviews: []fsrs.ReviewEvent{ev(0, fsrs.Good, 5), ev(0.01, fsrs.Good, 7), ev(5, fsrs.Good, 4)}},
		// Learning Again 9 s, learning Good 6 s, then a review Hard after a
		// 30-minute break (no answer time), then Easy 2 s.
		{Reviews: []fsrs.ReviewEvent{ev(1, fsrs.Again, 9), ev(1.01, fsrs.Good, 6), ev(4, fsrs.Hard, 30*60), ev(10, fsrs.Easy, 2)}},
	}, now)
	l, err := Read(s, "ann", "")
	if err != nil {
		t.Fatal(err)
	}
	h := l.Habits()
	def := optimize.DefaultSimConfig()
	near := func(what string, got, want float64) {
		if math.Abs(got-want) > 1e-12 {
			t.Errorf("%s: %v, want %v", what, got, want)
		}
	}
	// First ratings: one Again, one Good (n=2).
	w := 2.0 / 52
	near("first Again", h.FirstRating[0], w*0.5+(1-w)*def.FirstRatingProb[0])
	near("first Hard", h.FirstRating[1], (1-w)*def.FirstRatingProb[1])
	near("first Good", h.FirstRating[2], w*0.5+(1-w)*def.FirstRatingProb[2])
	// Later passes: Good, Good (a), Good, Hard, Easy (b): n=5.
	w = 5.0 / 55
	near("pass Hard", h.PassRating[0], w*1/5+(1-w)*def.ReviewRatingProb[0])
	near("pass Good", h.PassRating[1], w*3/5+(1-w)*def.ReviewRatingProb[1])
	near("pass Easy", h.PassRating[2], w*1/5+(1-w)*def.ReviewRatingProb[2])
	// Answer times by the state before each rating (as the scheduler
	// replays them), breaks of 20 minutes or more left out.
	sc, _ := fsrs.NewScheduler(fsrs.DefaultSettings())
	var sum, n [3][4]float64
	for _, evs := range [][]fsrs.ReviewEvent{
		{ev(0, fsrs.Good, 5), ev(0.01, fsrs.Good, 7), ev(5, fsrs.Good, 4)},
		{ev(1, fsrs.Again, 9), ev(1.01, fsrs.Good, 6), ev(4, fsrs.Hard, 30*60), ev(10, fsrs.Easy, 2)},
	} {
		before, _, err := sc.Replay(evs)
		if err != nil {
			t.Fatal(err)
		}
		for i, e := range evs {
			st := map[fsrs.State]int{fsrs.New: 0, fsrs.Learning: 0, fsrs.Review: 1, fsrs.Relearning: 2}[before[i].State]
			if e.Duration < 20*time.Minute {
				sum[st][e.Rating-1] += e.Duration.Seconds()
				n[st][e.Rating-1]++
			}
		}
	}
	measured := 0
	for st := range 3 {
		for r := range 4 {
			want := def.StateRatingCosts[st][r]
			if n[st][r] > 0 {
				w := n[st][r] / (n[st][r] + 50)
				want = w*sum[st][r]/n[st][r] + (1-w)*want
				measured++
			}
			near(fmt.Sprintf("seconds state %d rating %d", st, r+1), h.Seconds[st][r], want)
		}
	}
	if measured < 3 {
		t.Errorf("only %d state and rating pairs measured", measured)
	}
	var cfg optimize.SimConfig
	h.Apply(&cfg)
	if cfg.FirstRatingProb != h.FirstRating || cfg.ReviewRatingProb != h.PassRating || cfg.StateRatingCosts != h.Seconds {
		t.Errorf("Apply: %+v", cfg)
	}
}

// learnerStore imports a simulated learner's log as genhistory does in
// the CLI tests, and returns the learner's cards.
func learnerStore(t *testing.T, reviews int) (*store.Store, [][]optimize.Review) {
	t.Helper()
	s := openStore(t)
	p := optimize.DefaultParams
	p[0], p[1], p[2], p[3] = 0.6, 1.8, 5, 16
	p[8], p[10], p[20] = 2.2, 1.1, 0.3
	logs := optimize.Learner{Params: p, Reviews: reviews, Seed: uint64(reviews), DayStartHour: 4}.Log()
	var ids []string
	var hist []fsrs.History
	for i, l := range logs {
		ids = append(ids, fmt.Sprintf("c%05d", i))
		var evs []fsrs.ReviewEvent
		for _, r := range l {
			evs = append(evs, fsrs.ReviewEvent{Time: r.Time, Rating: fsrs.Rating(r.Rating), Duration: r.Duration})
		}
		hist = append(hist, fsrs.History{Reviews: evs})
	}
	importHistory(t, s, "hist", ids, hist, time.Date(2026, 1, 10, 9, 0, 0, 0, time.UTC))
	return s, logs
}

// The fit srs optimize makes is the same on every run, and is the fit of
// the learner's own log given in the same order: the items read back
// from the store are the items the package builds. (The card order came
// from a Go map before: each run packed other batches and fitted other
// weights, so one run's w4 could land on its default by chance while
// the package's fit of the same log moved it.)
func TestFitIsTheLogsFit(t *testing.T) {
	s, logs := learnerStore(t, 4000)
	st := fsrs.DefaultSettings()
	st.TimeZone = "UTC"
	fit := func() Fit {
		l, err := Read(s, "ann", "")
		if err != nil {
			t.Fatal(err)
		}
		f, err := FitWeights(context.Background(), l, st, nil)
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	a, b := fit(), fit()
	if a.Result.Params != b.Result.Params {
		t.Fatalf("two fits of one log differ:\n%v\n%v", a.Result.Params, b.Result.Params)
	}

	// The learner's cards, ordered by their first review as the log has them.
	var cards [][]optimize.Review
	for _, l := range logs {
		if len(l) > 1 {
			cards = append(cards, l)
		}
	}
	sort.SliceStable(cards, func(i, j int) bool { return cards[i][0].Time.Before(cards[j][0].Time) })
	items, err := optimize.Items(cards, optimize.DayNumber(time.UTC, st.DayStartHour))
	if err != nil {
		t.Fatal(err)
	}
	res, err := optimize.Fit(context.Background(), items, optimize.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Params != a.Result.Params || a.Cards != len(cards) {
		t.Errorf("fit from the store (%d cards):\n%v\nfit of the log (%d cards):\n%v", a.Cards, a.Result.Params, len(cards), res.Params)
	}
	if a.Result.Params[4] == optimize.DefaultParams[4] {
		t.Errorf("w4 stayed at its default %v", a.Result.Params[4])
	}
	if !a.Better() || a.CustomInForce || a.Defaults != a.InForce {
		t.Errorf("fit against the defaults in force: %+v", a)
	}

	// Fewer reviews than the minimum are refused with the numbers.
	small, _ := learnerStore(t, 300)
	l, err := Read(small, "ann", "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := FitWeights(context.Background(), l, st, nil); err == nil || err.Error() != fmt.Sprintf("%d reviews; at least 1000 are needed to fit parameters", l.Reviews) {
		t.Errorf("short log: %v", err)
	}
}

// The workload carries the user's limits, steps, weights and habits,
// and the cards they know as they stand.
func TestReadWorkload(t *testing.T) {
	s, _ := learnerStore(t, 1500)
	st := fsrs.DefaultSettings()
	st.NewPerDay, st.ReviewsPerDay, st.MaximumInterval = 7, 150, 400
	st.LearningSteps = nil
	w21 := optimize.DefaultParams
	w21[0] = 0.5
	st.Weights = w21[:]
	l, err := Read(s, "ann", "")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 1, 10, 9, 0, 0, 0, time.UTC)
	w, err := ReadWorkload(s, "ann", "", st, l, now)
	if err != nil {
		t.Fatal(err)
	}
	c := w.Config
	if c.LearnLimit != 7 || c.ReviewLimit != 150 || c.MaxInterval != 400 || c.LearningSteps != 0 || c.RelearningSteps != 1 ||
		!math.IsInf(c.MaxCostPerDay, 1) || c.DeckSize != w.Cards || w.Params != w21 {
		t.Errorf("config %+v, params %v", c, w.Params)
	}
	if h := l.Habits(); c.StateRatingCosts != h.Seconds || c.FirstRatingProb != h.FirstRating {
		t.Errorf("habits not applied: %+v", c)
	}
	if w.Cards != len(l.Cards) || len(w.Existing) == 0 || len(w.Existing) > w.Cards {
		t.Errorf("%d cards, %d known, log has %d", w.Cards, len(w.Existing), len(l.Cards))
	}
	for _, e := range w.Existing {
		if e.LastDate > 0 || e.Due < 0 || e.Stability <= 0 {
			t.Fatalf("known card %+v", e)
		}
	}
	// No new cards a day: only the known cards are simulated.
	st.NewPerDay = 0
	if w, _ = ReadWorkload(s, "ann", "", st, l, now); w.Config.DeckSize != len(w.Existing) {
		t.Errorf("no new cards: deck size %d, %d known", w.Config.DeckSize, len(w.Existing))
	}
	if _, err := ReadWorkload(s, "ann", "nosuch", st, l, now); err == nil {
		t.Error("a workload of no cards")
	}
}

func TestAnswerSeconds(t *testing.T) {
	for _, tc := range []struct {
		times []time.Duration
		want  float64
	}{
		{nil, 60},
		{[]time.Duration{0, 30 * time.Minute}, 60},               // nothing measured: the prior
		{[]time.Duration{10 * time.Second}, (10 + 50*60) / 51.0}, // one answer moves it little
	} {
		if got := AnswerSeconds(tc.times, 60); math.Abs(got-tc.want) > 1e-9 {
			t.Errorf("%v: %v, want %v", tc.times, got, tc.want)
		}
	}
	many := make([]time.Duration, 5000)
	for i := range many {
		many[i] = 20 * time.Second
	}
	if got := AnswerSeconds(many, 60); math.Abs(got-20) > 0.5 {
		t.Errorf("5000 answers of 20 s: %v", got)
	}
}
