package main

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"
)

// longTests reports whether SRS_LONG_TESTS asks for the long variants of
// the tests that repeat a random trial (kills, damaged files, random
// collections). By default each runs its quick variant, which meets every
// case the trial draws from at least once; the long one repeats it more
// (CI runs both).
func longTests() bool { return os.Getenv("SRS_LONG_TESTS") != "" }

// repeats is how many trials such a test makes: quick, or long with
// SRS_LONG_TESTS; the variable env, when set to a number, overrides both.
func repeats(t *testing.T, env string, quick, long int) int {
	t.Helper()
	n := quick
	if longTests() {
		n = long
	}
	if s := os.Getenv(env); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil || v < 0 {
			t.Fatalf("%s=%q: want a number", env, s)
		}
		n = v
	}
	return n
}

// hangContext ends shortly before the test binary's own -timeout would
// end it: a command still running then is hanging, and the test says
// which. It sets no limit of its own on how long work may take.
func hangContext(t *testing.T) (context.Context, context.CancelFunc) {
	if d, ok := t.Deadline(); ok {
		margin := min(time.Until(d)/10, 30*time.Second)
		return context.WithDeadline(context.Background(), d.Add(-margin))
	}
	return context.WithCancel(context.Background())
}
