package main

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

var (
	buttonRow  = regexp.MustCompile(`^1 Again (\S+)   2 Hard (\S+)   3 Good (\S+)   4 Easy (\S+)$`)
	cardHeader = regexp.MustCompile(`^── \S+ · [^·]+ · (\S+) ──`)
)

// easyRows FILE MIN checks every button row in FILE (a line-mode
// transcript) labels Easy longer than Good, and that at least MIN of the
// rows are of new, learning or relearning cards, the ones Anki's rule is
// about. Negated, it checks some row has Easy no longer than Good.
func easyRows(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: easyrows FILE MIN")
	}
	min, err := strconv.Atoi(args[1])
	ts.Check(err)
	state, learning, bad := "", 0, []string{}
	for _, line := range strings.Split(ts.ReadFile(args[0]), "\n") {
		if m := cardHeader.FindStringSubmatch(line); m != nil {
			state = m[1]
			continue
		}
		m := buttonRow.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		if state != "review" {
			learning++
		}
		good, err := labelMinutes(m[3])
		ts.Check(err)
		easy, err := labelMinutes(m[4])
		ts.Check(err)
		if easy <= good {
			bad = append(bad, state+": "+line)
		}
	}
	switch {
	case neg && len(bad) == 0:
		ts.Fatalf("%s: Easy is longer than Good in every row", args[0])
	case !neg && len(bad) > 0:
		ts.Fatalf("%s: Easy not longer than Good in %d rows:\n%s", args[0], len(bad), strings.Join(bad, "\n"))
	case !neg && learning < min:
		ts.Fatalf("%s: %d rows of new, learning or relearning cards, want at least %d", args[0], learning, min)
	}
	ts.Logf("%d rows of new, learning or relearning cards", learning)
}

// labelMinutes reads a button label as review.FormatInterval writes it
// ("<10m", "6m", "3h", "2d", "1.5mo", "2y") as minutes.
func labelMinutes(s string) (float64, error) {
	s = strings.TrimPrefix(s, "<")
	for _, u := range []struct {
		suffix string
		min    float64
	}{{"mo", 30.4375 * 1440}, {"m", 1}, {"h", 60}, {"d", 1440}, {"y", 365.25 * 1440}} {
		if v, ok := strings.CutSuffix(s, u.suffix); ok {
			n, err := strconv.ParseFloat(v, 64)
			return n * u.min, err
		}
	}
	return 0, fmt.Errorf("button label %q: no unit", s)
}

func TestLabelMinutes(t *testing.T) {
	for in, want := range map[string]float64{"<1m": 1, "<10m": 10, "6m": 6, "3h": 180, "2d": 2880, "1.5mo": 1.5 * 30.4375 * 1440, "2y": 2 * 365.25 * 1440} {
		if got, err := labelMinutes(in); err != nil || got != want {
			t.Errorf("labelMinutes(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	if _, err := labelMinutes("soon"); err == nil {
		t.Error("a label without a unit was read")
	}
}
