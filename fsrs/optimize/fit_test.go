package optimize

import (
	"context"
	"errors"
	"testing"
)

func learnerItems(t *testing.T, n int, seed uint64) []Item {
	t.Helper()
	return mustItems(t, Learner{Params: learners()[1], Reviews: n, Seed: seed, DayStartHour: 4})
}

// fsrs-rs's thresholds: under 8 training items the defaults; under 64
// the pre-trained initial stabilities with default w4..w20; then a fit.
func TestFitStages(t *testing.T) {
	items := learnerItems(t, 3000, 5)
	init, _ := FilterOutliers(items)
	tests := []struct {
		items []Item
		want  Stage
	}{
		{init[:7], StageDefaults},
		{init[:40], StagePretrained},
		{items, StageTrained},
	}
	for _, tt := range tests {
		res, err := Fit(context.Background(), tt.items, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if res.Stage != tt.want {
			t.Errorf("%d items: stage %v, want %v", len(tt.items), res.Stage, tt.want)
		}
		switch res.Stage {
		case StageDefaults:
			if res.Params != DefaultParams {
				t.Errorf("defaults stage returned %v", res.Params)
			}
		case StagePretrained:
			if [17]float64(res.Params[4:]) != [17]float64(DefaultParams[4:]) || [4]float64(res.Params[:4]) != res.Pretrained {
				t.Errorf("pretrained stage returned %v", res.Params)
			}
		case StageTrained:
			lo, hi := res.Params.Bounds(1, true)
			for i, w := range res.Params {
				if w < lo[i] || w > hi[i] {
					t.Errorf("w%d = %v outside [%v, %v]", i, w, lo[i], hi[i])
				}
			}
			if res.Params[0] > res.Params[1] || res.Params[1] > res.Params[2] || res.Params[2] > res.Params[3] {
				t.Errorf("initial stabilities out of order: %v", res.Params[:4])
			}
		}
	}
	if _, err := Fit(context.Background(), []Item{{Steps: steps(3, 0, 7, 2)}}, Options{}); err == nil {
		t.Error("rating 7 accepted")
	}
}

// The fit lowers the training loss from its start, the number of workers
// does not change the result, progress runs to the total, and a
// cancelled context stops the fit.
func TestFitBehaviour(t *testing.T) {
	items := learnerItems(t, 30000, 6)
	var calls, last, total int
	one, err := Fit(context.Background(), items, Options{Workers: 1, Progress: func(d, n int) {
		if d < last {
			t.Errorf("progress went back from %d to %d", last, d)
		}
		calls, last, total = calls+1, d, n
	}})
	if err != nil {
		t.Fatal(err)
	}
	if calls == 0 || last != total || total != 5*one.TrainItems {
		t.Errorf("progress: %d calls, ended at %d of %d; %d items × 5 epochs", calls, last, total, one.TrainItems)
	}
	two, _ := Fit(context.Background(), items, Options{Workers: 2})
	if one.Params != two.Params {
		t.Errorf("1 worker %v\n2 workers %v", one.Params, two.Params)
	}
	start := DefaultParams
	copy(start[:4], one.Pretrained[:])
	_, train := FilterOutliers(items)
	a, _ := Evaluate(start, train)
	b, _ := Evaluate(one.Params, train)
	if b.LogLoss >= a.LogLoss {
		t.Errorf("training log loss %v not below the start's %v", b.LogLoss, a.LogLoss)
	}
	per, _ := Fit(context.Background(), items, Options{PerItem: true})
	c, _ := Evaluate(per.Params, train)
	if c.LogLoss >= a.LogLoss {
		t.Errorf("per-item training log loss %v not below the start's %v", c.LogLoss, a.LogLoss)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Fit(ctx, items, Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled fit: %v", err)
	}
}

// Without short-term scheduling w17..w19 are 0 and w0..w3 keep their
// pre-trained values (fsrs-rs freezes both).
func TestFitWithoutShortTerm(t *testing.T) {
	items := learnerItems(t, 4000, 7)
	res, err := Fit(context.Background(), items, Options{DisableShortTerm: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Params[17] != 0 || res.Params[18] != 0 || res.Params[19] != 0 {
		t.Errorf("w17..w19 = %v, want 0", res.Params[17:20])
	}
	if [4]float64(res.Params[:4]) != res.Pretrained {
		t.Errorf("w0..w3 = %v, pre-trained %v", res.Params[:4], res.Pretrained)
	}
}

// The per-card pass scores each item exactly as its own replay does.
func TestCardBatchesScoreEveryItem(t *testing.T) {
	items := learnerItems(t, 3000, 8)
	w := recencyWeights(len(items))
	k := newKernel(newModel(DefaultParams))
	var a, b float64
	var ga, gb Params
	for _, batch := range cardBatches(items, w, 512, 1) {
		for _, q := range batch {
			a += k.lossGrad(q, &ga)
		}
	}
	for _, batch := range itemBatches(items, w, 512) {
		for _, q := range batch {
			b += k.lossGrad(q, &gb)
		}
	}
	if d := a - b; d > 1e-6*b || d < -1e-6*b {
		t.Errorf("per-card loss %v, per-item %v", a, b)
	}
	for i := range ga {
		if d := ga[i] - gb[i]; d > 1e-6*max(1, gb[i], -gb[i]) || -d > 1e-6*max(1, gb[i], -gb[i]) {
			t.Errorf("w%d: per-card gradient %v, per-item %v", i, ga[i], gb[i])
		}
	}
}
