package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
	bolt "go.etcd.io/bbolt"

	"github.com/srs-tool/srs/deck"
	"github.com/srs-tool/srs/fsrs"
	"github.com/srs-tool/srs/fsrs/optimize"
	"github.com/srs-tool/srs/store"
)

func TestMain(m *testing.M) {
	testscript.Main(removeBinary{m}, map[string]func(){
		"srs": func() { os.Exit(Main(os.Args, defaultIO(), os.Getenv)) },
	})
}

// removeBinary runs the tests, then removes the srs binary srsBinary
// built for them (each run left one in the temporary directory).
type removeBinary struct{ m *testing.M }

func (r removeBinary) Run() int {
	code := r.m.Run()
	if binPath != "" {
		os.RemoveAll(filepath.Dir(binPath))
	}
	return code
}

// TestScripts drives the real binary against a temporary database: see
// testdata/script/*.txtar.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Setup: func(e *testscript.Env) error {
			e.Setenv("SRS_DB", filepath.Join(e.WorkDir, "srs.db"))
			e.Setenv("SRS_USER", "ann")
			e.Setenv("TZ", "UTC")
			e.Setenv("HOME", e.WorkDir)
			wd, err := os.Getwd()
			if err != nil {
				return err
			}
			e.Setenv("TESTDATA", filepath.Join(wd, "..", "..", "deck", "apkg", "testdata"))
			e.Setenv("STORE_TESTDATA", filepath.Join(wd, "..", "..", "store", "testdata"))
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"holdlock":   holdLock,
			"jsonfield":  jsonField,
			"countlines": countLines,
			"samecards":  sameCards,
			"genhistory": genHistory,
			"easyrows":   easyRows,
			"exitcode":   exitCode,
		},
	})
}

// exitcode N PROGRAM ARGS... runs PROGRAM (srs) as exec does and checks
// that it exits with status N: 2 for a usage error, 1 for any other.
func exitCode(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) < 2 || neg {
		ts.Fatalf("usage: exitcode N PROGRAM ARGS...")
	}
	err := ts.Exec(args[1], args[2:]...)
	got := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		got = ee.ExitCode()
	} else if err != nil {
		ts.Fatalf("%s: %v", args[1], err)
	}
	if fmt.Sprint(got) != args[0] {
		ts.Fatalf("%s exited %d, want %s", args[1], got, args[0])
	}
}

// holdlock FILE DURATION opens FILE as a bbolt database from the test
// process and keeps it (and its lock) for DURATION in the background, as
// a long import in another srs process would.
func holdLock(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 || neg {
		ts.Fatalf("usage: holdlock FILE DURATION")
	}
	d, err := time.ParseDuration(args[1])
	ts.Check(err)
	db, err := bolt.Open(ts.MkAbs(args[0]), 0o600, &bolt.Options{Timeout: time.Second})
	ts.Check(err)
	go func() {
		time.Sleep(d)
		db.Close()
	}()
}

// jsonfield FILE KEY WANT checks that every JSON line of FILE has KEY
// equal to WANT (compared as printed JSON), or, negated, that none has.
func jsonField(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 3 {
		ts.Fatalf("usage: jsonfield FILE KEY WANT")
	}
	data := ts.ReadFile(args[0])
	needle := fmt.Sprintf("%q:%s", args[1], args[2])
	for i, line := range strings.Split(strings.TrimSpace(data), "\n") {
		has := strings.Contains(line, needle)
		if has == neg {
			ts.Fatalf("line %d of %s: want %s=%v: %s", i+1, args[0], args[1], args[2], line)
		}
	}
}

// countlines FILE N checks FILE has N non-empty lines.
func countLines(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: countlines FILE N")
	}
	n := 0
	for _, l := range strings.Split(ts.ReadFile(args[0]), "\n") {
		if strings.TrimSpace(l) != "" {
			n++
		}
	}
	if got := fmt.Sprint(n); (got == args[1]) == neg {
		ts.Fatalf("%s has %d lines, want %s%s", args[0], n, map[bool]string{true: "not ", false: ""}[neg], args[1])
	}
}

// samecards [-deck] [-state] A B compares two `srs cards --json` outputs
// card by card: id, kind, front, back, tags, parent; with -deck also the
// deck, with -state also state, due, stability and difficulty.
func sameCards(ts *testscript.TestScript, neg bool, args []string) {
	withDeck, withState := false, false
	for len(args) > 0 && strings.HasPrefix(args[0], "-") {
		switch args[0] {
		case "-deck":
			withDeck = true
		case "-state":
			withState = true
		default:
			ts.Fatalf("samecards: unknown flag %s", args[0])
		}
		args = args[1:]
	}
	if len(args) != 2 {
		ts.Fatalf("usage: samecards [-deck] [-state] A B")
	}
	read := func(name string) map[string]string {
		out := map[string]string{}
		for _, line := range strings.Split(strings.TrimSpace(ts.ReadFile(name)), "\n") {
			var c cardJSON
			ts.Check(json.Unmarshal([]byte(line), &c))
			key := c.ID
			v := fmt.Sprintf("kind=%s front=%q back=%q tags=%q parent=%q", c.Kind, c.Front, c.Back, c.Tags, c.Parent)
			if withDeck {
				v += " deck=" + c.Deck
			}
			if withState {
				v += fmt.Sprintf(" state=%s due=%s", c.State, c.Due)
				if c.Stability != nil {
					v += fmt.Sprintf(" s=%.6f d=%.6f", *c.Stability, *c.Difficulty)
				}
			}
			out[key] = v
		}
		return out
	}
	a, b := read(args[0]), read(args[1])
	var diffs []string
	for k, v := range a {
		if w, ok := b[k]; !ok {
			diffs = append(diffs, fmt.Sprintf("%s only in %s", k, args[0]))
		} else if v != w {
			diffs = append(diffs, fmt.Sprintf("%s differs:\n  %s\n  %s", k, v, w))
		}
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			diffs = append(diffs, fmt.Sprintf("%s only in %s", k, args[1]))
		}
	}
	if (len(diffs) == 0) == neg {
		ts.Fatalf("samecards %s %s: %d differences\n%s", args[0], args[1], len(diffs), strings.Join(diffs, "\n"))
	}
}

// genhistory USER REVIEWS NOW writes into $SRS_DB a deck "hist" whose
// cards carry USER's review history: about REVIEWS ratings over 2024 and
// 2025 by a simulated learner whose memory follows FSRS-6 with weights
// unlike the defaults (optimize.Learner), imported as of NOW (RFC 3339).
func genHistory(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 3 || neg {
		ts.Fatalf("usage: genhistory USER REVIEWS NOW")
	}
	var n int
	_, err := fmt.Sscan(args[1], &n)
	ts.Check(err)
	now, err := time.Parse(time.RFC3339, args[2])
	ts.Check(err)
	p := optimize.DefaultParams
	p[0], p[1], p[2], p[3] = 0.6, 1.8, 5, 16
	p[8], p[10], p[20] = 2.2, 1.1, 0.3
	logs := optimize.Learner{Params: p, Reviews: n, Seed: uint64(n), DayStartHour: 4}.Log()
	d := &deck.Deck{Name: "hist", Source: "gen"}
	history := map[string]fsrs.History{}
	for i, l := range logs {
		c := deck.Card{ID: fmt.Sprintf("c%05d", i), Deck: d.Name, Kind: deck.KindQuestion,
			Front: fmt.Sprintf("Question %d?", i), Back: fmt.Sprintf("Answer %d.", i)}
		d.Cards = append(d.Cards, c)
		var ev []fsrs.ReviewEvent
		for _, r := range l {
			ev = append(ev, fsrs.ReviewEvent{Time: r.Time, Rating: fsrs.Rating(r.Rating), Duration: r.Duration})
		}
		history[c.Key()] = fsrs.History{Reviews: ev}
	}
	s, err := store.Open(ts.Getenv("SRS_DB"), store.Options{Now: now})
	ts.Check(err)
	defer s.Close()
	_, err = s.ImportDeck(d, store.ImportOptions{Now: now, User: args[0], WithHistory: true, History: history})
	ts.Check(err)
}
