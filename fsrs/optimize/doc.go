// Package optimize fits FSRS-6's 21 parameters to one user's review log,
// scores parameters against that log, and simulates a user's workload to
// find the desired retention that costs least per remembered card.
//
// It follows fsrs-rs (open-spaced-repetition/fsrs-rs, the optimizer Anki
// runs) step by step so that a fit here and a fit there agree on the same
// log: the same training items (Items), the same outlier filter and
// pre-training of the four initial stabilities (Pretrain), the same
// bounds (Clip), the same objective (recency-weighted binary cross
// entropy plus an L2 pull toward the starting point), the same Adam with
// cosine-annealed learning rate, batch size and epochs (Fit), and the
// same metrics (Evaluate: log loss and RMSE(bins)). Where this package
// differs, it says so at the place: it computes in float64 where fsrs-rs
// uses float32 and shuffles batches with its own generator; by default it
// scores each card's reviews in one pass over the card, as fsrs-rs does
// when given card ids, and Options.PerItem replays each item's history
// as fsrs-rs does without them.
//
// Gradients are exact: a hand-written reverse pass over each card's
// reviews (grad.go), checked against finite differences in the tests only.
package optimize
