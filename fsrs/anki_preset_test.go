package fsrs

import (
	"math"
	"reflect"
	"testing"
	"time"

	gofsrs "github.com/open-spaced-repetition/go-fsrs/v4"
)

// A preset's parameters become FSRS-6 weights as fsrs-rs's
// check_and_fill_parameters makes them; the FSRS 4.5 case is fsrs-rs's
// own test (model.rs test_convert_parameters).
func TestAnkiPresetWeights(t *testing.T) {
	fsrs45 := []float64{0.4, 0.6, 2.4, 5.8, 4.93, 0.94, 0.86, 0.01, 1.49, 0.14, 0.94, 2.18, 0.05, 0.34, 1.26, 0.29, 2.61}
	fsrs45as6 := []float64{0.4, 0.6, 2.4, 5.8, 6.81, 0.44675013, 1.36, 0.01, 1.49, 0.14, 0.94, 2.18, 0.05, 0.34, 1.26, 0.29, 2.61, 0, 0, 0, 0.5}
	fsrs5 := []float64{0.40255, 1.18385, 3.173, 15.69105, 7.1949, 0.5345, 1.4604, 0.0046, 1.54575, 0.1192, 1.01925, 1.9395, 0.11, 0.29605, 2.2698, 0.2315, 2.9898, 0.51655, 0.6621}
	six := gofsrs.DefaultWeights()
	tests := []struct {
		name string
		p    AnkiPreset
		want []float64
		err  bool
	}{
		{"none", AnkiPreset{}, nil, false},
		{"FSRS-6 first", AnkiPreset{Params4: fsrs45, Params5: fsrs5, Params6: six[:]}, six[:], false},
		{"FSRS-5: no short-term decay, decay 0.5", AnkiPreset{Params4: fsrs45, Params5: fsrs5}, append(append([]float64(nil), fsrs5...), 0, 0.5), false},
		{"FSRS 4.5", AnkiPreset{Params4: fsrs45}, fsrs45as6, false},
		{"a set of another size", AnkiPreset{Name: "x", Params6: []float64{1, 2, 3}}, nil, true},
		{"not finite", AnkiPreset{Params6: append(append([]float64(nil), six[:20]...), math.NaN())}, nil, true},
	}
	for _, tt := range tests {
		got, err := tt.p.Weights()
		if (err != nil) != tt.err {
			t.Errorf("%s: error %v", tt.name, err)
			continue
		}
		if len(got) != len(tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
			continue
		}
		for i := range got {
			if math.Abs(got[i]-tt.want[i]) > 1e-7 {
				t.Errorf("%s: w%d %v, want %v", tt.name, i, got[i], tt.want[i])
			}
		}
	}
	// The preset is not changed by the conversion.
	p := AnkiPreset{Params4: append([]float64(nil), fsrs45...)}
	p.Weights()
	if !reflect.DeepEqual(p.Params4, fsrs45) {
		t.Errorf("conversion changed the preset: %v", p.Params4)
	}
}

// The parameters offered are those that schedule most of the cards; a
// preset srs cannot read is named in an error, not offered.
func TestFindAnkiParams(t *testing.T) {
	six := gofsrs.DefaultWeights()
	other := six
	other[0] = 0.5
	a := &AnkiPreset{Name: "A", Params6: six[:], DesiredRetention: 0.85}
	b := &AnkiPreset{Name: "B", Params6: other[:], DesiredRetention: 1.5} // not a retention: ignored
	bad := &AnkiPreset{Name: "Bad", Params6: []float64{1}}
	none := &AnkiPreset{Name: "Default"}
	cards := map[string]AnkiProgress{
		"d\x00a1": {Preset: a}, "d\x00b1": {Preset: b}, "d\x00b2": {Preset: b}, "d\x00b3": {Preset: &AnkiPreset{Name: "B", Params6: other[:], DesiredRetention: 1.5}},
		"d\x00x": {Preset: bad}, "d\x00y": {Preset: bad}, "d\x00n": {Preset: none}, "d\x00z": {},
	}
	p, ok, errs := FindAnkiParams(cards)
	if !ok || p.Preset != "B" || p.Cards != 3 || p.DesiredRetention != 0 || !reflect.DeepEqual(p.Weights, other[:]) {
		t.Errorf("offered %+v, %v", p, ok)
	}
	if len(errs) != 1 {
		t.Errorf("errors %v, want one for preset Bad", errs)
	}
	if _, ok, _ := FindAnkiParams(map[string]AnkiProgress{"d\x00n": {Preset: none}}); ok {
		t.Error("parameters offered from a preset without any")
	}
}

// Adopting the parameters puts their weights and retention in force,
// says where they came from, and no longer claims a fit.
func TestSettingsAdopt(t *testing.T) {
	st := DefaultSettings()
	st.FittedAt, st.FittedReviews = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), 5000
	w := gofsrs.DefaultWeights()
	w[3] = 20
	p := AnkiParams{Preset: "Mine", Weights: w[:], DesiredRetention: 0.85}
	if st.Schedules(p) {
		t.Error("the defaults schedule with other weights")
	}
	got, err := st.Adopt(p, `Anki deck options "Mine" in x.apkg`)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Weights, w[:]) || got.DesiredRetention != 0.85 || !got.FittedAt.IsZero() || got.FittedReviews != 0 ||
		got.WeightsFrom != `Anki deck options "Mine" in x.apkg` || got.NewPerDay != st.NewPerDay {
		t.Errorf("adopted %+v", got)
	}
	if !got.Schedules(p) {
		t.Error("adopted settings do not schedule with what they adopted")
	}
	p.Weights[3] = 21 // Adopt copied the weights
	if got.Weights[3] != 20 {
		t.Error("Adopt kept the caller's slice")
	}
	// No retention in the options: the user's stays.
	if got, _ := st.Adopt(AnkiParams{Weights: w[:]}, "x"); got.DesiredRetention != 0.9 {
		t.Errorf("retention %v", got.DesiredRetention)
	}
	d := gofsrs.DefaultWeights()
	if !DefaultSettings().Schedules(AnkiParams{Weights: d[:]}) {
		t.Error("default settings do not schedule with the default weights")
	}
}

// The historical retention of the deck options is the one SM-2 states
// are inferred at, for a truncated log and for a card with no log.
func TestFromAnkiHistoricalRetention(t *testing.T) {
	sc := mustScheduler(t, DefaultSettings())
	w := fsrsRS(gofsrs.DefaultWeights())
	preset := &AnkiPreset{HistoricalRetention: 0.8}
	revlog := []AnkiReview{{ID: ankiMS(0), Ease: 3, Ivl: 30, Factor: 2200, Type: 1}}
	h, _ := sc.FromAnki(AnkiProgress{Card: AnkiCard{Type: 2, Queue: 2}, Revlog: revlog, Created: ankiT0, Preset: preset})
	s, d := w.sm2(2.2, 30, 0.8)
	if math.Abs(h.State.Stability-s) > 1e-9*s || math.Abs(h.State.Difficulty-d) > 1e-9 {
		t.Errorf("truncated log: S %v D %v, want %v %v", h.State.Stability, h.State.Difficulty, s, d)
	}
	created := time.Date(2025, 1, 1, 4, 0, 0, 0, time.UTC)
	h, _ = sc.FromAnki(AnkiProgress{Card: AnkiCard{Type: 2, Queue: 2, Due: 100, Ivl: 30, Factor: 2200}, Created: created, Preset: preset})
	if math.Abs(h.State.Stability-s) > 1e-9*s || math.Abs(h.State.Difficulty-d) > 1e-9 {
		t.Errorf("no log: S %v D %v, want %v %v", h.State.Stability, h.State.Difficulty, s, d)
	}
	if s90, _ := w.sm2(2.2, 30, 0.9); math.Abs(s-s90) < 1 {
		t.Fatalf("the retentions give the same stability %v", s)
	}
}
