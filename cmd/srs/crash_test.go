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
	"slices"
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
// doubled. 15 kills, 100 with SRS_LONG_TESTS=1; SRS_CRASH_KILLS=N sets
// the number.
func TestCrashSafety(t *testing.T) {
	kills := repeats(t, "SRS_CRASH_KILLS", 15, 100)
	bin := srsBinary(t)
	dir := t.TempDir()
	env := append(os.Environ(), "SRS_DB="+filepath.Join(dir, "srs.db"), "SRS_USER=ann", "TZ=UTC")
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 7))
	t0 := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	var logged []string // "deck/id rating" of every log entry so far
	inFlight := 0
	for i := 0; i < kills; i++ {
		now := "SRS_NOW=" + t0.Add(time.Duration(i)*6*time.Hour).Format(time.RFC3339)
		session := startReview(t, bin, append(env, now), rng)
		time.Sleep(time.Duration(5+rng.IntN(150)) * time.Millisecond)
		confirmed := session.kill()

		var n int
		logged, n = checkAfterKill(t, fmt.Sprintf("kill %d", i), bin, env, now, logged, confirmed)
		inFlight += n
	}
	t.Logf("%d kills, %d ratings on disk, %d committed just before a kill", kills, len(logged), inFlight)
	if len(logged) == 0 {
		t.Fatal("no rating ever committed: the kills came too early to test anything")
	}
}

// checkAfterKill checks the database after a kill: doctor finds nothing
// wrong, and the log is what it was (logged), then the ratings the
// session confirmed, then at most one more (the one committing when the
// kill came), which it returns the count of.
func checkAfterKill(t *testing.T, what, bin string, env []string, now string, logged, confirmed []string) ([]string, int) {
	t.Helper()
	out, err := runSRS(bin, env, now, "doctor")
	if err != nil {
		t.Fatalf("%s: doctor: %v\n%s", what, err, out)
	}
	out, err = runSRS(bin, env, now, "log", "--json")
	if err != nil {
		t.Fatalf("%s: log: %v\n%s", what, err, out)
	}
	all := logEntries(t, out)
	if len(all) < len(logged)+len(confirmed) || len(all) > len(logged)+len(confirmed)+1 {
		t.Fatalf("%s: log grew by %d entries, %d ratings were confirmed", what, len(all)-len(logged), len(confirmed))
	}
	for j, want := range append(slices.Clone(logged), confirmed...) {
		if all[j] != want {
			t.Fatalf("%s: entry %d is %q, want %q (recorded before)", what, j, all[j], want)
		}
	}
	return all, len(all) - len(logged) - len(confirmed)
}

// reviewSession is a line-mode review answering as fast as srs asks.
type reviewSession struct {
	cmd      *exec.Cmd
	recorded chan []string
}

func startReview(t *testing.T, bin string, env []string, rng *rand.Rand) *reviewSession {
	t.Helper()
	cmd := exec.Command(bin, "review")
	cmd.Env = env
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	answers := make([]int, 2000)
	for j := range answers {
		answers[j] = weightedRating(rng)
	}
	go func() { // answers faster than srs can ask; blocked writes are fine
		defer stdin.Close()
		w := bufio.NewWriter(stdin)
		for _, a := range answers {
			fmt.Fprintf(w, "\n%d\n", a)
		}
		w.Flush()
	}()
	s := &reviewSession{cmd: cmd, recorded: make(chan []string)}
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
		s.recorded <- got
	}()
	return s
}

// kill sends SIGKILL and returns the ratings the session said it recorded.
func (s *reviewSession) kill() []string {
	s.cmd.Process.Kill()
	s.cmd.Wait()
	return <-s.recorded
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
