package optimize

import (
	"errors"
	"math"
	"sort"
)

// ErrNotEnoughData is returned when no card has been reviewed on a later
// day exactly once, so the initial stabilities cannot be estimated.
var ErrNotEnoughData = errors.New("not enough data: no card has a first review on a later day than its learning")

// isInit reports whether an item belongs to the pre-training set: its
// current review is the card's only one on a later day than the one
// before (fsrs-rs: long_term_review_cnt == 1).
func (it Item) isInit() bool { return it.longTermCount() == 1 }

type ratingDelta struct {
	rating uint8
	deltaT uint32
}

// FilterOutliers splits items as fsrs-rs's outlier filter does. The
// pre-training items (a card's first review on a later day) are grouped
// by first rating and by that review's gap; in each first-rating group
// the smallest gap groups (ties: the shorter gap first) are dropped until
// the next would take the dropped count to max(20, 5%) of the group, and
// of the rest a gap group is kept only if it holds at least 6 items and
// the gap is at most 100 days (365 when the first rating was Easy). init
// is the kept pre-training items, in fsrs-rs's order (by first rating,
// then gap group as visited, then input order); train is every item
// (pre-training ones included) whose first rating and first later-day
// gap were not dropped, in input order.
func FilterOutliers(items []Item) (init, train []Item) {
	groups := map[uint8]map[uint32][]int{}
	for i, it := range items {
		if !it.isInit() {
			continue
		}
		g := it.Steps[0].Rating
		if groups[g] == nil {
			groups[g] = map[uint32][]int{}
		}
		dt := it.Current().DeltaT
		groups[g][dt] = append(groups[g][dt], i)
	}
	removed := map[ratingDelta]bool{}
	var kept []int
	for g := uint8(1); g <= 4; g++ {
		byDelta := groups[g]
		type sub struct {
			dt  uint32
			idx []int
		}
		subs := make([]sub, 0, len(byDelta))
		total := 0
		for dt, idx := range byDelta {
			subs = append(subs, sub{dt, idx})
			total += len(idx)
		}
		// Smallest first; among equals the shorter gap first.
		sort.Slice(subs, func(i, j int) bool {
			if len(subs[i].idx) != len(subs[j].idx) {
				return len(subs[i].idx) < len(subs[j].idx)
			}
			return subs[i].dt < subs[j].dt
		})
		limit := max(20, total/20)
		maxDelta := uint32(100)
		if g == 4 {
			maxDelta = 365
		}
		dropped := 0
		for _, s := range subs {
			if dropped+len(s.idx) >= limit {
				if len(s.idx) >= 6 && s.dt <= maxDelta {
					kept = append(kept, s.idx...)
				} else {
					removed[ratingDelta{g, s.dt}] = true
				}
			} else {
				dropped += len(s.idx)
				removed[ratingDelta{g, s.dt}] = true
			}
		}
	}
	for _, i := range kept {
		init = append(init, items[i])
	}
	for _, it := range items {
		if it.longTermCount() == 0 || !removed[ratingDelta{it.Steps[0].Rating, it.firstLongTerm().DeltaT}] {
			train = append(train, it)
		}
	}
	return init, train
}

// averageRecall is the share of items whose current review is a recall.
func averageRecall(items []Item) float64 {
	if len(items) == 0 {
		return 0
	}
	n := 0
	for _, it := range items {
		if it.Recalled() {
			n++
		}
	}
	return float64(n) / float64(len(items))
}

// Pretrain estimates the stability after each first rating from how
// often cards were recalled at their first review on a later day, as
// fsrs-rs's pre-training does: per first rating, the recall rate at each
// gap (smoothed toward avgRecall as if one more review had been seen at
// that rate) is fitted by the default-decay forgetting curve, minimising
// the count-weighted cross entropy plus |S − default|/16 by ternary
// search over [0.001, 100]. Missing ratings are filled and the four made
// non-decreasing (smoothAndFill). counts is the number of pre-training
// items per first rating (index 0 for Again).
func Pretrain(init []Item, avgRecall float64) (s0 [4]float64, counts [4]int, err error) {
	type bin struct{ n, recalled int }
	groups := [5]map[uint32]*bin{}
	for _, it := range init {
		g := it.Steps[0].Rating
		if groups[g] == nil {
			groups[g] = map[uint32]*bin{}
		}
		dt := it.firstLongTerm().DeltaT
		b := groups[g][dt]
		if b == nil {
			b = &bin{}
			groups[g][dt] = b
		}
		b.n++
		if it.firstLongTerm().Rating > 1 {
			b.recalled++
		}
	}
	var found [4]bool
	k := newCurve(DefaultParams[20])
	for g := 1; g <= 4; g++ {
		if len(groups[g]) == 0 {
			continue
		}
		// In gap order, so that the sum, and the search, is the same on
		// every run.
		gaps := make([]uint32, 0, len(groups[g]))
		for dt := range groups[g] {
			gaps = append(gaps, dt)
		}
		sort.Slice(gaps, func(i, j int) bool { return gaps[i] < gaps[j] })
		var ts, ys, ns []float64
		for _, dt := range gaps {
			b := groups[g][dt]
			n := float64(b.n)
			ts = append(ts, float64(dt))
			ys = append(ys, (float64(b.recalled)+avgRecall)/(n+1))
			ns = append(ns, n)
			counts[g-1] += b.n
		}
		def := DefaultParams[g-1]
		loss := func(s float64) float64 {
			l := 0.0
			for i, t := range ts {
				r := k.R(t, s)
				l -= ns[i] * (ys[i]*math.Log(r) + (1-ys[i])*math.Log(1-r))
			}
			return l + math.Abs(s-def)/16
		}
		lo, hi := sMin, initSMax
		for it := 0; hi-lo > 2.220446049250313e-16 && it < 1000; it++ {
			m1 := lo + (hi-lo)/3
			m2 := hi - (hi-lo)/3
			if loss(m1) < loss(m2) {
				hi = m2
			} else {
				lo = m1
			}
		}
		s0[g-1] = (lo + hi) / 2
		found[g-1] = true
	}
	s0, err = smoothAndFill(s0, found, counts)
	return s0, counts, err
}

// smoothAndFill makes the initial stabilities non-decreasing in the
// rating (where two disagree, the one from more data wins) and fills the
// ratings with no data from the others (fsrs-rs smooth_and_fill: log-
// linear interpolation with weights 0.41 and 0.54, or the defaults scaled
// when only one rating has data), then clamps to [0.001, 100]. present
// marks the ratings with a value; counts their amount of data.
func smoothAndFill(s [4]float64, present [4]bool, counts [4]int) ([4]float64, error) {
	for _, pr := range [][2]int{{0, 1}, {1, 2}, {2, 3}, {0, 2}, {1, 3}, {0, 3}} {
		a, b := pr[0], pr[1]
		if present[a] && present[b] && s[a] > s[b] {
			if counts[a] > counts[b] {
				s[b] = s[a]
			} else {
				s[a] = s[b]
			}
		}
	}
	const w1, w2 = 0.41, 0.54
	n := 0
	for _, p := range present {
		if p {
			n++
		}
	}
	pow := math.Pow
	switch n {
	case 0:
		return s, ErrNotEnoughData
	case 1:
		for g := range 4 {
			if present[g] {
				f := s[g] / DefaultParams[g]
				for i := range 4 {
					s[i] = DefaultParams[i] * f
				}
				break
			}
		}
	case 2:
		switch present {
		case [4]bool{false, false, true, true}:
			s[1] = pow(s[2], 1/(1-w2)) * pow(s[3], 1-1/(1-w2))
			s[0] = pow(s[1], 1/w1) * pow(s[2], 1-1/w1)
		case [4]bool{false, true, false, true}:
			s[2] = pow(s[1], 1-w2) * pow(s[3], w2)
			s[0] = pow(s[1], 1/w1) * pow(s[2], 1-1/w1)
		case [4]bool{false, true, true, false}:
			s[3] = pow(s[1], 1-1/w2) * pow(s[2], 1/w2)
			s[0] = pow(s[1], 1/w1) * pow(s[2], 1-1/w1)
		case [4]bool{true, false, false, true}:
			q := w1 / (w1 + w2 - w1*w2)
			r := w2 / (w1 + w2 - w1*w2)
			s[1] = pow(s[0], q) * pow(s[3], 1-q)
			s[2] = pow(s[0], 1-r) * pow(s[3], r)
		case [4]bool{true, false, true, false}:
			s[1] = pow(s[0], w1) * pow(s[2], 1-w1)
			s[3] = pow(s[1], 1-1/w2) * pow(s[2], 1/w2)
		case [4]bool{true, true, false, false}:
			s[2] = pow(s[0], 1-1/(1-w1)) * pow(s[1], 1/(1-w1))
			s[3] = pow(s[1], 1-1/w2) * pow(s[2], 1/w2)
		}
	case 3:
		switch {
		case !present[0]:
			s[0] = pow(s[1], 1/w1) * pow(s[2], 1-1/w1)
		case !present[1]:
			s[1] = pow(s[0], w1) * pow(s[2], 1-w1)
		case !present[2]:
			s[2] = pow(s[1], 1-w2) * pow(s[3], w2)
		case !present[3]:
			s[3] = pow(s[1], 1-1/w2) * pow(s[2], 1/w2)
		}
	}
	for i := range s {
		s[i] = clamp(s[i], sMin, initSMax)
	}
	return s, nil
}
