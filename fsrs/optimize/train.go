package optimize

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"sort"
	"sync"
)

// Options tune Fit. The zero value is fsrs-rs's setup.
type Options struct {
	Epochs       int     // passes over the items; 0 means 5
	BatchSize    int     // items per Adam step; 0 means 512
	LearningRate float64 // Adam's initial rate, annealed to 0 on a cosine; 0 means 0.04
	// Gamma scales the L2 pull toward the starting point; 0 means 1.
	// A negative value turns the pull off.
	Gamma     float64
	MaxSeqLen int    // items with more reviews are not trained on; 0 means 256
	Seed      uint64 // of the batch shuffle; 0 means 2023

	// DisableShortTerm fits a scheduler without same-day steps: w17..w19
	// start at 0 and, with w0..w3, are not trained (fsrs-rs's
	// enable_short_term = false).
	DisableShortTerm bool
	// RelearningSteps is the number of same-day relearning steps the
	// scheduler uses; it bounds w17·w18 (see Params.Bounds). 0 means 1.
	RelearningSteps int

	// PerItem replays a card's history once for every item, each item a
	// sequence of its own, in batches of BatchSize items sorted by length
	// (fsrs-rs without card ids, as its Node binding calls it). By default
	// all of a card's items are scored in one pass over the card, whole
	// cards packed into batches of up to BatchSize items (fsrs-rs's
	// "windowed" batches, used when it is given card ids): the same
	// objective, in time linear in the log rather than quadratic in the
	// cards' review counts; only the batches differ.
	PerItem bool
	// BestEpoch returns the weights of the epoch with the lowest training
	// loss, as fsrs-rs up to 6.5 (the Node binding 0.5) does; by default
	// the weights after the last epoch are returned, as fsrs-rs 6.6 does.
	BestEpoch bool

	// Workers share each batch; 0 means GOMAXPROCS. Results do not depend
	// on it: a batch is cut into the same pieces and summed in the same
	// order whatever the number.
	Workers int
	// Progress, when set, is called after every batch with the items
	// processed so far and the total (epochs × training items).
	Progress func(done, total int)
}

func (o Options) withDefaults() Options {
	if o.Epochs == 0 {
		o.Epochs = 5
	}
	if o.BatchSize == 0 {
		o.BatchSize = 512
	}
	if o.LearningRate == 0 {
		o.LearningRate = 4e-2
	}
	if o.Gamma == 0 {
		o.Gamma = 1
	} else if o.Gamma < 0 {
		o.Gamma = 0
	}
	if o.MaxSeqLen == 0 {
		o.MaxSeqLen = 256
	}
	if o.Seed == 0 {
		o.Seed = 2023
	}
	if o.RelearningSteps == 0 {
		o.RelearningSteps = 1
	}
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	return o
}

// Stage says how far Fit got with the data it had.
type Stage int

// Stages, as fsrs-rs decides them.
const (
	// StageDefaults: fewer than 8 items survived the outlier filter; the
	// result is DefaultParams.
	StageDefaults Stage = iota
	// StagePretrained: fewer than 64 items, or only first later-day
	// reviews; the result is the pre-trained w0..w3 with default w4..w20.
	StagePretrained
	// StageTrained: all 21 weights were fitted.
	StageTrained
)

func (s Stage) String() string {
	switch s {
	case StageDefaults:
		return "defaults"
	case StagePretrained:
		return "pretrained"
	case StageTrained:
		return "trained"
	}
	return fmt.Sprintf("stage(%d)", int(s))
}

// Result is a fit.
type Result struct {
	Params     Params
	Stage      Stage
	Pretrained [4]float64 // the initial stabilities before training
	InitItems  int        // items pre-training used
	TrainItems int        // items gradient training used
}

// Fit fits the 21 weights to items (as Items builds them: ordered by
// time) the way fsrs-rs's compute_parameters does: outlier filter,
// pre-training of w0..w3, then Adam over recency-weighted mini-batches
// from the pre-trained start, with an L2 pull toward that start scaled
// by fsrs-rs's per-weight spread, the weights clipped to their bounds
// after every step, and w0..w3 made consistent again at the end. ctx
// cancels a long fit between batches.
func Fit(ctx context.Context, items []Item, opt Options) (Result, error) {
	opt = opt.withDefaults()
	for i, it := range items {
		if len(it.Steps) == 0 {
			return Result{}, fmt.Errorf("item %d: no reviews", i)
		}
		for _, s := range it.Steps {
			if s.Rating < 1 || s.Rating > 4 {
				return Result{}, fmt.Errorf("item %d: rating %d is not 1..4", i, s.Rating)
			}
		}
	}
	init, train := FilterOutliers(items)
	res := Result{Params: DefaultParams, Stage: StageDefaults, InitItems: len(init)}
	if len(train) < 8 {
		return res, nil
	}
	s0, counts, err := Pretrain(init, averageRecall(train))
	if err != nil {
		return res, err
	}
	start := DefaultParams
	copy(start[:4], s0[:])
	res.Params, res.Stage, res.Pretrained = start, StagePretrained, s0
	if len(train) == len(init) || len(train) < 64 {
		return res, nil
	}
	shortTerm := !opt.DisableShortTerm
	if !shortTerm {
		start[17], start[18], start[19] = 0, 0, 0
	}

	// Recency weights run over the time-ordered train set, before long
	// items are dropped (as in fsrs-rs).
	weights := recencyWeights(len(train))
	var kept []Item
	var keptW []float64
	for i, it := range train {
		if len(it.Steps) <= opt.MaxSeqLen {
			kept = append(kept, it)
			keptW = append(keptW, weights[i])
		}
	}
	res.TrainItems = len(kept)
	var batches [][]seq
	if opt.PerItem {
		batches = itemBatches(kept, keptW, opt.BatchSize)
	} else {
		batches = cardBatches(kept, keptW, opt.BatchSize, opt.Seed)
	}
	w, err := train1(ctx, batches, len(kept), start, opt)
	if err != nil {
		return res, err
	}
	for _, x := range w {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return res, errors.New("training diverged: a weight is not finite")
		}
	}
	var present [4]bool
	var trained [4]float64
	for g := range 4 {
		present[g] = counts[g] > 0
		trained[g] = w[g]
	}
	s, err := smoothAndFill(trained, present, counts)
	if err != nil {
		return res, err
	}
	copy(w[:4], s[:])
	res.Params, res.Stage = w, StageTrained
	return res, nil
}

// recencyWeights weighs the i-th of n time-ordered items
// 0.25 + 0.75·(i/(n−1))³: the newest count four times the oldest.
func recencyWeights(n int) []float64 {
	out := make([]float64, n)
	l := math.Max(float64(n)-1, 1)
	for i := range out {
		x := float64(i) / l
		out[i] = 0.25 + 0.75*x*x*x
	}
	return out
}

// itemBatches sorts items by length (stably) and cuts them into batches
// of size, one sequence per item (fsrs-rs's plain batches).
func itemBatches(items []Item, weights []float64, size int) [][]seq {
	idx := make([]int, len(items))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return len(items[idx[a]].Steps) < len(items[idx[b]].Steps) })
	pos := make([]int32, len(items))
	var out [][]seq
	for lo := 0; lo < len(idx); lo += size {
		hi := min(lo+size, len(idx))
		b := make([]seq, 0, hi-lo)
		for _, i := range idx[lo:hi] {
			it := items[i]
			pos[i] = int32(len(it.Steps) - 1)
			b = append(b, seq{steps: it.Steps, pos: pos[i : i+1], weight: weights[i : i+1], items: 1})
		}
		out = append(out, b)
	}
	return out
}

// cardBatches groups items by card into one sequence per card, scoring
// each item's last review, and packs whole cards into batches of at most
// size items (one card with more makes a batch of its own), as fsrs-rs's
// windowed batches do. fsrs-rs packs the cards shortest first, which
// pads its tensors least; here nothing is padded, and cards are packed
// in a seeded random order instead, because batches of like cards made
// noisier steps: on a 10k-review simulated log, eight seeds averaged a
// training log loss 0.0010 worse packed by length than shuffled, while
// shuffled matched fsrs-rs's own fit.
func cardBatches(items []Item, weights []float64, size int, seed uint64) [][]seq {
	byCard := map[int][]int{}
	var cards []int
	for i, it := range items {
		if _, ok := byCard[it.Card]; !ok {
			cards = append(cards, it.Card)
		}
		byCard[it.Card] = append(byCard[it.Card], i)
	}
	sort.Ints(cards)
	seqs := make([]seq, 0, len(cards))
	for _, c := range cards {
		idx := byCard[c]
		sort.SliceStable(idx, func(a, b int) bool { return len(items[idx[a]].Steps) < len(items[idx[b]].Steps) })
		q := seq{steps: items[idx[len(idx)-1]].Steps, items: len(idx)}
		for _, i := range idx {
			q.pos = append(q.pos, int32(len(items[i].Steps)-1))
			q.weight = append(q.weight, weights[i])
		}
		seqs = append(seqs, q)
	}
	rng := rand.New(rand.NewPCG(seed, 0xca2d))
	rng.Shuffle(len(seqs), func(i, j int) { seqs[i], seqs[j] = seqs[j], seqs[i] })
	var out [][]seq
	var cur []seq
	n := 0
	for _, q := range seqs {
		if len(cur) > 0 && n+q.items > size {
			out = append(out, cur)
			cur, n = nil, 0
		}
		cur = append(cur, q)
		n += q.items
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

// pieces is how many parts a batch is cut into for the workers; fixed so
// that the sum's order, and so the result, does not depend on Workers.
const pieces = 8

// evaluator computes a batch's loss and gradient on several goroutines.
type evaluator struct {
	kernels [pieces]*kernel
	grads   [pieces]Params
	losses  [pieces]float64
	workers int
}

func (e *evaluator) run(m *model, batch []seq, withGrad bool) (float64, Params) {
	var wg sync.WaitGroup
	next := make(chan int, pieces)
	for p := range pieces {
		next <- p
	}
	close(next)
	work := func() {
		defer wg.Done()
		for p := range next {
			lo, hi := p*len(batch)/pieces, (p+1)*len(batch)/pieces
			k := e.kernels[p]
			if k == nil {
				k = newKernel(m)
				e.kernels[p] = k
			}
			k.m = m
			e.grads[p] = Params{}
			var g *Params
			if withGrad {
				g = &e.grads[p]
			}
			l := 0.0
			for _, q := range batch[lo:hi] {
				l += k.lossGrad(q, g)
			}
			e.losses[p] = l
		}
	}
	wg.Add(e.workers)
	for range e.workers - 1 {
		go work()
	}
	work()
	wg.Wait()
	var g Params
	loss := 0.0
	for p := range pieces {
		loss += e.losses[p]
		for i := range g {
			g[i] += e.grads[p][i]
		}
	}
	return loss, g
}

func batchItems(b []seq) int {
	n := 0
	for _, q := range b {
		n += q.items
	}
	return n
}

// train1 runs Adam (β1 0.9, β2 0.999, ε 1e−8, bias-corrected) over the
// batches, in a new shuffled order each epoch, the rate annealed from
// opt.LearningRate to 0 over (n/BatchSize + 1)·Epochs steps.
func train1(ctx context.Context, batches [][]seq, n int, start Params, opt Options) (Params, error) {
	shortTerm := !opt.DisableShortTerm
	ev := &evaluator{workers: min(opt.Workers, pieces)}
	rng := rand.New(rand.NewPCG(opt.Seed, 0x5eed))
	order := make([]int, len(batches))
	total := float64((n/opt.BatchSize + 1) * opt.Epochs)
	var m1, m2 Params
	w := start
	best, bestLoss := w, math.Inf(1)
	step := 0
	done := 0
	const b1, b2, eps = 0.9, 0.999, 1e-8
	for epoch := 0; epoch < opt.Epochs; epoch++ {
		for i := range order {
			order[i] = i
		}
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, bi := range order {
			if err := ctx.Err(); err != nil {
				return w, err
			}
			b := batches[bi]
			lr := opt.LearningRate * (1 + math.Cos(math.Pi*float64(step)/total)) / 2
			_, g := ev.run(newModel(w), b, true)
			bn := batchItems(b)
			scale := opt.Gamma * float64(bn) / float64(n)
			for i := range g {
				d := w[i] - start[i]
				g[i] += 2 * d / (paramStdDev[i] * paramStdDev[i]) * scale
			}
			if !shortTerm {
				for _, i := range []int{0, 1, 2, 3, 17, 18, 19} {
					g[i] = 0
				}
			}
			step++
			c1 := 1 - math.Pow(b1, float64(step))
			c2 := 1 - math.Pow(b2, float64(step))
			for i := range w {
				m1[i] = b1*m1[i] + (1-b1)*g[i]
				m2[i] = b2*m2[i] + (1-b2)*g[i]*g[i]
				w[i] -= lr * (m1[i] / c1) / (math.Sqrt(m2[i]/c2) + eps)
			}
			w = w.Clip(opt.RelearningSteps, shortTerm)
			done += bn
			if opt.Progress != nil {
				opt.Progress(done, n*opt.Epochs)
			}
		}
		if opt.BestEpoch {
			m := newModel(w)
			loss := 0.0
			for _, b := range batches {
				l, _ := ev.run(m, b, false)
				loss += l + l2(w, start, opt.Gamma*float64(batchItems(b))/float64(n))
			}
			if loss /= float64(n); loss < bestLoss {
				best, bestLoss = w, loss
			}
		}
	}
	if opt.BestEpoch {
		return best, nil
	}
	return w, nil
}

func l2(w, start Params, scale float64) float64 {
	s := 0.0
	for i := range w {
		d := w[i] - start[i]
		s += d * d / (paramStdDev[i] * paramStdDev[i])
	}
	return s * scale
}
