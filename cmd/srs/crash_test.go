package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/srs-tool/srs/fsrs"
)

// TestCrashSafety starts line-mode reviews and kills them with SIGKILL at
// random points. After every kill the database must open, `srs doctor`
// must find nothing wrong, and the log must hold exactly the ratings whose
// commit returned (the "recorded" lines the process got out), plus at most
// the one rating that was committing when the kill came: none lost, none
// doubled. SRS_CRASH_KILLS sets the number of kills (default 100).
func TestCrashSafety(t *testing.T) {
	kills := 100
	if testing.Short() {
		kills = 15
	}
	if s := os.Getenv("SRS_CRASH_KILLS"); s != "" {
		kills, _ = strconv.Atoi(s)
	}
	bin := srsBinary(t)
	dir := t.TempDir()
	env := append(os.Environ(), "SRS_DB="+filepath.Join(dir, "srs.db"), "SRS_USER=ann", "TZ=UTC")
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 7))
	t0 := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	var logged []string // "deck/id rating" of every log entry so far
	inFlight := 0
	for i := 0; i < kills; i++ {
		now := "SRS_NOW=" + t0.Add(time.Duration(i)*6*time.Hour).Format(time.RFC3339)
		cmd := exec.Command(bin, "review")
		cmd.Env = append(env, now)
		stdin, _ := cmd.StdinPipe()
		stdout, _ := cmd.StdoutPipe()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		go func() { // answers faster than srs can ask; blocked writes are fine
			defer stdin.Close()
			w := bufio.NewWriter(stdin)
			for j := 0; j < 2000; j++ {
				fmt.Fprintf(w, "\n%d\n", weightedRating(rng))
			}
			w.Flush()
		}()
		recorded := make(chan []string)
		go func() {
			var got []string
			sc := bufio.NewScanner(stdout)
			sc.Buffer(make([]byte, 1<<20), 1<<20)
			for sc.Scan() {
				if rest, ok := strings.CutPrefix(sc.Text(), "recorded "); ok {
					f := strings.Fields(rest) // deck/id rating: ...
					got = append(got, f[0]+" "+strings.TrimSuffix(f[1], ":"))
				}
			}
			io.Copy(io.Discard, stdout)
			recorded <- got
		}()
		time.Sleep(time.Duration(5+rng.IntN(150)) * time.Millisecond)
		cmd.Process.Kill()
		cmd.Wait()
		confirmed := <-recorded

		out, err := runSRS(bin, env, now, "doctor")
		if err != nil {
			t.Fatalf("kill %d: doctor: %v\n%s", i, err, out)
		}
		out, err = runSRS(bin, env, now, "log", "--json")
		if err != nil {
			t.Fatalf("kill %d: log: %v\n%s", i, err, out)
		}
		all := logEntries(t, out)
		fresh := all[len(logged):]
		if len(all) < len(logged) || len(fresh) < len(confirmed) || len(fresh) > len(confirmed)+1 {
			t.Fatalf("kill %d: log grew by %d entries, %d ratings were confirmed", i, len(all)-len(logged), len(confirmed))
		}
		for j, c := range confirmed {
			if fresh[j] != c {
				t.Fatalf("kill %d: entry %d is %q, the process confirmed %q", i, j, fresh[j], c)
			}
		}
		inFlight += len(fresh) - len(confirmed)
		logged = all
	}
	t.Logf("%d kills, %d ratings on disk, %d committed just before a kill", kills, len(logged), inFlight)
	if len(logged) == 0 {
		t.Fatal("no rating ever committed: the kills came too early to test anything")
	}
}

func weightedRating(rng *rand.Rand) int {
	// Mostly Again and Hard keep cards in their learning steps, so a
	// session never runs dry before the kill.
	switch x := rng.IntN(100); {
	case x < 55:
		return 1
	case x < 80:
		return 2
	case x < 95:
		return 3
	default:
		return 4
	}
}

func runSRS(bin string, env []string, extra ...string) (string, error) {
	cmd := exec.Command(bin, extra[1:]...)
	cmd.Env = append(env, extra[0])
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func logEntries(t *testing.T, out string) []string {
	t.Helper()
	var all []string
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if line == "" {
			continue
		}
		var e logJSON
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		all = append(all, e.Deck+"/"+e.ID+" "+ratingName(fsrs.Rating(e.Rating)))
	}
	return all
}
