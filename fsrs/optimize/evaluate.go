package optimize

import (
	"errors"
	"math"
	"slices"
)

// Metrics score parameters on items.
type Metrics struct {
	// LogLoss is the recency-weighted binary cross entropy of the
	// predicted recall probability against the outcome, per unit weight.
	LogLoss float64
	// RMSEBins is the calibration error: items are binned by gap, review
	// count and lapse count; per bin the mean prediction and the mean
	// outcome differ by some amount; RMSEBins is the root of the squares'
	// mean, each bin weighted by the sum of its items' weights.
	RMSEBins float64
	Items    int
}

// Evaluate scores p on items (ordered by time) exactly as fsrs-rs's
// evaluate does: item i of n weighs 0.25 + 0.75·(i/(n−1))³, and bins are
// keyed by the gap (round(2.48·3.62^⌊log₃.₆₂ t⌋·100)), the review count
// (round(1.99·1.89^⌊log₁.₈₉(later-day reviews + 1)⌋)) and the lapses in
// the history (0, or round(1.65·1.73^⌊log₁.₇₃ k⌋)). Like fsrs-rs's FSRS
// constructor, it first clips p to the bounds of a scheduler with one
// relearning step (the bounds it was fitted within, except that w19 may
// reach 0).
//
// fsrs-rs's Node binding (FSRSBinding.evaluate) and Anki filter outliers
// first: pass EvaluationItems(items) to get their figures.
func Evaluate(p Params, items []Item) (Metrics, error) {
	if len(items) == 0 {
		return Metrics{}, errors.New("evaluate: no items")
	}
	m := newModel(p.Clip(1, false))
	weights := recencyWeights(len(items))
	type bin struct{ pred, actual, count, weight float64 }
	bins := map[[3]uint32]*bin{}
	var loss, wsum float64
	for i, it := range items {
		r := m.predict(it)
		y := 0.0
		if it.Recalled() {
			y = 1
		}
		w := weights[i]
		loss -= (y*math.Log(r) + (1-y)*math.Log(1-r)) * w
		wsum += w
		key := rmseBin(it)
		b := bins[key]
		if b == nil {
			b = &bin{}
			bins[key] = b
		}
		b.pred += r
		b.actual += y
		b.count++
		b.weight += w
	}
	// In key order, so that the sum, to its last bit, is the same on
	// every call.
	keys := make([][3]uint32, 0, len(bins))
	for k := range bins {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b [3]uint32) int { return slices.Compare(a[:], b[:]) })
	var num, den float64
	for _, k := range keys {
		b := bins[k]
		d := b.pred/b.count - b.actual/b.count
		num += d * d * b.weight
		den += b.weight
	}
	out := Metrics{LogLoss: loss / wsum, RMSEBins: math.Sqrt(num / den), Items: len(items)}
	if math.IsNaN(out.LogLoss) || math.IsInf(out.LogLoss, 0) || math.IsNaN(out.RMSEBins) {
		return out, errors.New("evaluate: a prediction of certainty was wrong (log loss is infinite)")
	}
	return out, nil
}

func logBin(x, base, scale float64) uint32 {
	return uint32(math.Round(scale * math.Pow(base, math.Floor(math.Log(x)/math.Log(base)))))
}

// rmseBin is fsrs-rs's r_matrix_index.
func rmseBin(it Item) [3]uint32 {
	t := float64(it.Current().DeltaT)
	dtBin := uint32(math.Round(2.48 * math.Pow(3.62, math.Floor(math.Log(t)/math.Log(3.62))) * 100))
	lenBin := logBin(float64(it.longTermCount())+1, 1.89, 1.99)
	lapses := 0
	for _, s := range it.History() {
		if s.Rating == 1 && s.DeltaT > 0 {
			lapses++
		}
	}
	if lapses == 0 {
		return [3]uint32{dtBin, lenBin, 0}
	}
	return [3]uint32{dtBin, lenBin, logBin(float64(lapses), 1.73, 1.65)}
}

// EvaluationItems is the set fsrs-rs's Node binding evaluates (its
// prepare_items): outliers removed as FilterOutliers does, the kept
// first later-day reviews first, then the other surviving items, each
// part in its order. The recency weights of Evaluate follow that order.
func EvaluationItems(items []Item) []Item {
	init, train := FilterOutliers(items)
	out := append([]Item(nil), init...)
	for _, it := range train {
		if !it.isInit() {
			out = append(out, it)
		}
	}
	return out
}
