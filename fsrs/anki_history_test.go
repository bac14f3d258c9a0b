package fsrs

import (
	"math"
	"testing"
	"time"

	gofsrs "github.com/open-spaced-repetition/go-fsrs/v4"
)

// fsrsRS is FSRS-6 as fsrs-rs writes it (src/model.rs step,
// src/inference.rs memory_state_from_sm2), here in float64 and written
// out afresh, so that the tests below state Anki's expected memory states
// without going through go-fsrs.
type fsrsRS [21]float64

func (w fsrsRS) factor() float64 { return math.Pow(0.9, -1/w[20]) - 1 }

func (w fsrsRS) r(t, s float64) float64 { return math.Pow(1+w.factor()*t/s, -w[20]) }

func (w fsrsRS) clampD(d float64) float64 { return min(max(d, 1), 10) }

// sm2 is memory_state_from_sm2(ease, interval, retention).
func (w fsrsRS) sm2(ease, ivl, retention float64) (s, d float64) {
	s = ivl * w.factor() / (math.Pow(retention, -1/w[20]) - 1)
	d = 11 - (ease-1)/(math.Exp(w[8])*math.Pow(s, -w[9])*math.Expm1((1-retention)*w[10]))
	return s, w.clampD(d)
}

func (w fsrsRS) d0(g float64) float64 { return w[4] - math.Exp(w[5]*(g-1)) + 1 }

// first is the state after a new card's first rating g.
func (w fsrsRS) first(g int) (s, d float64) { return w[g-1], w.clampD(w.d0(float64(g))) }

// step is the state after rating g, t days after a review that left s, d.
func (w fsrsRS) step(s, d, t float64, g int) (float64, float64) {
	fg := float64(g)
	var ns float64
	switch {
	case t == 0:
		sinc := math.Exp(w[17]*(fg-3+w[18])) * math.Pow(s, -w[19])
		if g >= 2 {
			sinc = max(sinc, 1)
		}
		ns = s * sinc
	case g == 1:
		ns = min(w[11]*math.Pow(d, -w[12])*(math.Pow(s+1, w[13])-1)*math.Exp(w[14]*(1-w.r(t, s))), s/math.Exp(w[17]*w[18]))
	default:
		bonus := map[int]float64{2: w[15], 3: 1, 4: w[16]}[g]
		ns = s * (1 + math.Exp(w[8])*(11-d)*math.Pow(s, -w[9])*(math.Exp(w[10]*(1-w.r(t, s)))-1)*bonus)
	}
	nd := d + (-w[6]*(fg-3))*(10-d)/9
	return ns, w.clampD(w[7]*w.d0(4) + (1-w[7])*nd)
}

// apply replays a History as the store's import does: the state given
// from outside, then each review.
func apply(t *testing.T, sc *Scheduler, h History) Card {
	t.Helper()
	c := h.State
	if c.Due.IsZero() {
		c = NewCard(h.Reviews[0].Time)
	}
	for _, e := range h.Reviews {
		var err error
		if c, err = sc.Next(c, e.Time, e.Rating); err != nil {
			t.Fatal(err)
		}
	}
	return c
}

func utcSettings(w []float64) Settings {
	st := DefaultSettings()
	st.TimeZone = "UTC"
	st.Weights = w
	return st
}

// A history that starts with a review (the log was truncated, or the card
// came from SM-2 days) starts from the state Anki infers from that
// review's ease and interval, and the later reviews are replayed from it.
// This is Anki's own test (rslib scheduler/fsrs/memory_state.rs,
// bypassed_learning_is_handled): a review with ease 250% and interval 100
// days, then Good 99 days later, with FSRS-6's default parameters. Anki
// asserts, from fsrs-rs in float32, the start S 100, D 5.003576 and the
// state after the Good S 248.9251, D 4.9938006; the same figures come
// from fsrs-rs's formulas in float64 (fsrsRS above), and srs must give
// them. With the importing user's own weights, the formulas with those
// weights give the answer, and it is another one.
func TestFromAnkiTruncatedHistory(t *testing.T) {
	const day = 24 * time.Hour
	revlog := []AnkiReview{
		{ID: ankiMS(0), Ease: 3, Ivl: 100, Factor: 2500, Type: 1},
		{ID: ankiMS(99 * day), Ease: 3, Ivl: 250, Factor: 2500, Type: 1},
	}
	def := gofsrs.DefaultWeights()
	own := def
	own[8], own[9], own[10], own[20] = 1.5, 0.3, 1.2, 0.3
	for _, tt := range []struct {
		name   string
		w      fsrsRS
		anki   [4]float64 // Anki's asserted start S, D and end S, D (the defaults only)
		custom bool
	}{
		{"FSRS-6 defaults", fsrsRS(def), [4]float64{100, 5.003576, 248.9251, 4.9938006}, false},
		{"the user's weights", fsrsRS(own), [4]float64{}, true},
	} {
		var ws []float64
		if tt.custom {
			ws = tt.w[:]
		}
		sc := mustScheduler(t, utcSettings(ws))
		h, ok := sc.FromAnki(AnkiProgress{Card: AnkiCard{Type: 2, Queue: 2, Ivl: 250, Factor: 2500}, Revlog: revlog, Created: ankiT0})
		if !ok || len(h.Reviews) != 1 || !h.State.LastReview.Equal(ankiT0) || h.State.State != Review {
			t.Fatalf("%s: %+v", tt.name, h)
		}
		s0, d0 := tt.w.sm2(2.5, 100, 0.9)
		s1, d1 := tt.w.step(s0, d0, 99, 3)
		got := apply(t, sc, h)
		for _, c := range []struct {
			what      string
			got, want float64
		}{
			{"start S", h.State.Stability, s0}, {"start D", h.State.Difficulty, d0},
			{"S", got.Stability, s1}, {"D", got.Difficulty, d1},
		} {
			if math.Abs(c.got-c.want) > 1e-9*max(1, c.want) {
				t.Errorf("%s: %s %v, fsrs-rs's formulas give %v", tt.name, c.what, c.got, c.want)
			}
		}
		if !tt.custom {
			for i, v := range []float64{h.State.Stability, h.State.Difficulty, got.Stability, got.Difficulty} {
				if math.Abs(v-tt.anki[i]) > 1e-5*tt.anki[i] {
					t.Errorf("defaults: figure %d is %v, Anki's test asserts %v", i, v, tt.anki[i])
				}
			}
		} else if math.Abs(got.Stability-248.9251) < 1 {
			t.Errorf("the user's weights were not used: S %v", got.Stability)
		}
	}

	// An ease of at most 110% is FSRS's difficulty as Anki writes it in
	// the revlog, (D−1)/9 + 0.1: D is read back from it, not from SM-2.
	sc := mustScheduler(t, utcSettings(nil))
	fsrsRow := []AnkiReview{{ID: ankiMS(0), Ease: 3, Ivl: 12, Factor: 600, Type: 1}}
	h, _ := sc.FromAnki(AnkiProgress{Card: AnkiCard{Type: 2, Queue: 2}, Revlog: fsrsRow, Created: ankiT0})
	if math.Abs(h.State.Difficulty-5.5) > 1e-9 || math.Abs(h.State.Stability-12) > 1e-9 || len(h.Reviews) != 0 {
		t.Errorf("FSRS-written row: %+v, want S 12, D (0.6−0.1)·9+1 = 5.5", h.State)
	}
}

// Two runs of learning with no reset between (older Anki logged no row
// when a card was reset to new): Anki keeps the last run only and replays
// it from a new card. Here a card was learnt and reviewed, then learnt
// again four days later: Again, Good one minute later, Good ten minutes
// after that, then Good two days on. The memory state is the one
// fsrs-rs's formulas give for that last run alone, with the importing
// user's weights: S = w0, D = w4 after Again; two same-day Goods by the
// short-term formula; the Good two days later by the recall formula at
// R(2, S).
func TestFromAnkiTwoLearningRuns(t *testing.T) {
	const day = 24 * time.Hour
	revlog := []AnkiReview{
		{ID: ankiMS(0), Ease: 3, Ivl: -600, Type: 0},
		{ID: ankiMS(10 * time.Minute), Ease: 3, Ivl: 1, Factor: 2500, Type: 0},
		{ID: ankiMS(day), Ease: 3, Ivl: 3, Factor: 2500, Type: 1},
		{ID: ankiMS(4 * day), Ease: 1, Ivl: -60, Type: 0},
		{ID: ankiMS(4*day + time.Minute), Ease: 3, Ivl: -600, Type: 0},
		{ID: ankiMS(4*day + 11*time.Minute), Ease: 3, Ivl: 1, Factor: 2500, Type: 0},
		{ID: ankiMS(6 * day), Ease: 3, Ivl: 3, Factor: 2500, Type: 1},
	}
	own := gofsrs.DefaultWeights()
	own[0], own[4], own[17], own[19] = 0.4, 7.1, 0.9, 0.2
	for _, w := range []fsrsRS{fsrsRS(gofsrs.DefaultWeights()), fsrsRS(own)} {
		sc := mustScheduler(t, utcSettings(w[:]))
		h, ok := sc.FromAnki(AnkiProgress{Card: AnkiCard{Type: 2, Queue: 2, Ivl: 3, Factor: 2500}, Revlog: revlog, Created: ankiT0})
		if !ok || len(h.Reviews) != 4 || !h.Reviews[0].Time.Equal(ankiT0.Add(4*day)) || !h.State.Due.IsZero() {
			t.Fatalf("%v: %+v", w, h)
		}
		s, d := w.first(1)
		s, d = w.step(s, d, 0, 3)
		s, d = w.step(s, d, 0, 3)
		s, d = w.step(s, d, 2, 3)
		got := apply(t, sc, h)
		if math.Abs(got.Stability-s) > 1e-9*s || math.Abs(got.Difficulty-d) > 1e-9*d {
			t.Errorf("weights %v: S %v D %v, fsrs-rs's formulas give S %v D %v", w[:], got.Stability, got.Difficulty, s, d)
		}
	}
}
