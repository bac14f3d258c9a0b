package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
	bolt "go.etcd.io/bbolt"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"srs": func() { os.Exit(Main(os.Args, defaultIO(), os.Getenv)) },
	})
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
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"holdlock":   holdLock,
			"jsonfield":  jsonField,
			"countlines": countLines,
		},
	})
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
