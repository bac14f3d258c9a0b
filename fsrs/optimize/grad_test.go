package optimize

import (
	"math"
	"math/rand/v2"
	"testing"
)

// randomSeqs makes card histories that visit every branch of the model:
// first ratings 1..4, same-day steps of every rating, lapses, successes
// with Hard, Good and Easy, and long gaps.
func randomSeqs(rng *rand.Rand, n int) []seq {
	var out []seq
	for range n {
		l := 2 + rng.IntN(10)
		steps := make([]Step, l)
		steps[0].Rating = uint8(1 + rng.IntN(4))
		for i := 1; i < l; i++ {
			steps[i].Rating = uint8(1 + rng.IntN(4))
			if rng.IntN(4) > 0 {
				steps[i].DeltaT = uint32(1 + rng.IntN(60))
			}
		}
		steps[l-1].DeltaT = uint32(1 + rng.IntN(30))
		q := seq{steps: steps}
		for i := 1; i < l; i++ {
			if steps[i].DeltaT > 0 && (i == l-1 || rng.IntN(2) == 0) {
				q.pos = append(q.pos, int32(i))
				q.weight = append(q.weight, 0.25+rng.Float64())
			}
		}
		out = append(out, q)
	}
	return out
}

func totalLoss(p Params, qs []seq, g *Params) float64 {
	k := newKernel(newModel(p))
	l := 0.0
	for _, q := range qs {
		l += k.lossGrad(q, g)
	}
	return l
}

// The reverse pass agrees with central differences of the loss for every
// weight, at the defaults and at weights away from them (where other
// branches and clamps are active). Finite differences appear only here.
func TestGradientMatchesFiniteDifferences(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	qs := randomSeqs(rng, 300)
	sets := []Params{DefaultParams}
	for range 4 {
		p := DefaultParams
		for i := range p {
			p[i] += rng.NormFloat64() * 0.3 * paramStdDev[i]
		}
		// Keep away from the bounds: at a bound the clamp's gradient is
		// one-sided by design and a central difference averages the sides.
		lo, hi := p.Bounds(1, true)
		for i := range p {
			p[i] = clamp(p[i], lo[i]+0.01*(hi[i]-lo[i]), hi[i]-0.01*(hi[i]-lo[i]))
		}
		sets = append(sets, p)
	}
	for si, p := range sets {
		var g Params
		totalLoss(p, qs, &g)
		for i := range p {
			h := 1e-6 * math.Max(1, math.Abs(p[i]))
			pp, pm := p, p
			pp[i] += h
			pm[i] -= h
			num := (totalLoss(pp, qs, nil) - totalLoss(pm, qs, nil)) / (2 * h)
			if diff := math.Abs(num - g[i]); diff > 1e-5*math.Max(1, math.Abs(num)) {
				t.Errorf("set %d w%d: analytic %.9g, finite difference %.9g", si, i, g[i], num)
			}
		}
	}
}

// The kernel's forward pass is the model's: scoring one item through the
// kernel gives the binary cross entropy of Predict.
func TestKernelLossMatchesPredict(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, q := range randomSeqs(rng, 200) {
		want := 0.0
		for j, pos := range q.pos {
			it := Item{Steps: q.steps[:pos+1]}
			r := DefaultParams.Predict(it)
			if it.Recalled() {
				want -= q.weight[j] * math.Log(r)
			} else {
				want -= q.weight[j] * math.Log(1-r)
			}
		}
		if got := totalLoss(DefaultParams, []seq{q}, nil); math.Abs(got-want) > 1e-9*math.Max(1, want) {
			t.Fatalf("%v: kernel loss %v, Predict gives %v", q.steps, got, want)
		}
	}
}
