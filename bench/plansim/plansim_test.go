package main

import (
	"math"
	"os"
	"testing"

	"github.com/srs-tool/srs/content"
)

// TestReadyOnTheDay is issue 15's simulation: a learner whose recall
// follows FSRS retrievability, answer times log-normal by kind, a date
// 21 days out, the built-in deck in scope and 30 minutes a day. With the
// plan, every card is introduced by day 18 (the date's day is 21), the
// predicted mean recall on the day is at least 0.9, and at least 90% of
// the days take no more than the 30 minutes: each of seeds 1-3 is held
// to all three. With SRS_LONG_TESTS, seeds 1-20 are played too (a
// second each), and held to what they were measured at (bench/RESULTS.md):
// every one at the recall and with every card introduced before the date,
// at least 19 of 20 to day 18 and to the minutes (seed 4, the learner
// who lapses most, introduces its last patterns on day 20 and runs over
// on 3 days). The same learner without a plan is played too, for the
// record, and held to nothing.
func TestReadyOnTheDay(t *testing.T) {
	d, err := content.BuiltIn()
	if err != nil {
		t.Fatal(err)
	}
	seeds, strict := 3, 3
	if testing.Short() {
		seeds, strict = 1, 1
	}
	if os.Getenv("SRS_LONG_TESTS") != "" {
		seeds = 20
	}
	const days, minutes = 21, 30
	byDay18, withinMinutes := 0, 0
	for seed := uint64(1); seed <= uint64(seeds); seed++ {
		r, err := Run(Config{Days: days, Minutes: minutes, Plan: true, Target: 0.9, Seed: seed, Dir: t.TempDir()})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("seed %d, plan: %d/%d introduced, the last on day %d; recall on the day %.3f; %d/%d days within %d minutes; %d answers",
			seed, r.Introduced, r.Scope, r.LastIntroDay, r.Recall, r.DaysWithin(minutes), len(r.Minutes), minutes, r.Answers)
		if r.Scope != len(d.Cards) {
			t.Fatalf("scope %d cards, the built-in deck has %d", r.Scope, len(d.Cards))
		}
		if r.Introduced != r.Scope {
			t.Errorf("seed %d: %d of %d cards introduced before the date", seed, r.Introduced, r.Scope)
		}
		if r.Recall < 0.9 {
			t.Errorf("seed %d: predicted recall on the day %.3f, want at least 0.9", seed, r.Recall)
		}
		in18 := r.Introduced == r.Scope && r.LastIntroDay <= days-3
		within, want := r.DaysWithin(minutes), int(math.Ceil(0.9*float64(days)))
		if in18 {
			byDay18++
		}
		if within >= want {
			withinMinutes++
		}
		if seed > uint64(strict) {
			continue
		}
		if !in18 {
			t.Errorf("seed %d: %d of %d cards introduced, the last on day %d; want all by day %d", seed, r.Introduced, r.Scope, r.LastIntroDay, days-3)
		}
		if within < want {
			t.Errorf("seed %d: %d days within %d minutes (%.1f a day), want at least %d", seed, within, minutes, r.Minutes, want)
		}
	}
	if seeds > strict {
		t.Logf("%d seeds: %d introduced every card by day %d, %d kept to the minutes on 90%% of the days", seeds, byDay18, days-3, withinMinutes)
		if byDay18 < seeds-1 || withinMinutes < seeds-1 {
			t.Errorf("%d seeds: %d introduced every card by day %d, %d kept to the minutes; want at least %d each", seeds, byDay18, days-3, withinMinutes, seeds-1)
		}
	}
	r, err := Run(Config{Days: days, Minutes: minutes, Plan: false, Seed: 1, Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("seed 1, no plan: %d/%d introduced, the last on day %d; recall on the day %.3f; %d/%d days within %d minutes; %d answers",
		r.Introduced, r.Scope, r.LastIntroDay, r.Recall, r.DaysWithin(minutes), len(r.Minutes), minutes, r.Answers)
}
