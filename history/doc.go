// Package history reads a user's review history from the store in the
// shapes analysis needs: each card's ratings for the optimizer
// (fsrs/optimize), the user's habits (how long answers take, how they
// rate) for the workload simulator and for planning, and the workload
// itself (cards, states, limits) the simulator plays out.
//
// It holds the rules of reading (which ratings of a card count, which
// cards are trained on, how habits are smoothed toward the population's)
// so that the commands that fit and simulate only wire and print.
package history
