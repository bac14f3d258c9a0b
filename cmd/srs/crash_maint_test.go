package main

import (
	"archive/zip"
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestCrashSafetyMaintenance kills exports, backups and restores with
// SIGKILL at random moments, most of them while a review session rates
// cards (killed too). After every kill: doctor is clean and no rating the
// session printed as recorded is lost (checkAfterKill, also across
// restores, which must refuse a backup lacking one); a backup or export
// under its name is whole, never half-written. After the last kill, the
// next runs leave no temporary file or directory behind. Each four kills
// take the four commands in a random order (a restore needs a finished
// backup, and is a backup until there is one; a command may finish before
// its kill): 12 kills, 60 with SRS_LONG_TESTS=1; SRS_CRASH_KILLS=N sets
// the number.
func TestCrashSafetyMaintenance(t *testing.T) {
	kills := repeats(t, "SRS_CRASH_KILLS", 12, 60)
	bin := srsBinary(t)
	dir := t.TempDir()
	tmp := filepath.Join(dir, "tmp")
	os.Mkdir(tmp, 0o700)
	db := filepath.Join(dir, "srs.db")
	env := append(os.Environ(), "SRS_DB="+db, "SRS_USER=ann", "TZ=UTC", "TMPDIR="+tmp, "SRS_LOCK_TIMEOUT=10s")
	t0 := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	// Enough cards that exports and backups take a while to be killed in.
	md := filepath.Join(dir, "big.md")
	bigMarkdown(t, md, "big", 3000)
	if out, err := runSRS(bin, env, "SRS_NOW="+t0.Format(time.RFC3339), "import", md); err != nil {
		t.Fatalf("import: %v %s", err, out)
	}
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 9))
	leftovers := func() []string {
		var left []string
		for _, d := range []string{dir, tmp} {
			entries, _ := os.ReadDir(d)
			for _, e := range entries {
				if strings.Contains(e.Name(), "srs-tmp-") || strings.Contains(e.Name(), ".tmp") || strings.HasPrefix(e.Name(), "srs-apkg") {
					left = append(left, filepath.Join(filepath.Base(d), e.Name()))
				}
			}
		}
		return left
	}
	var logged []string
	lastBackup := ""
	left := 0
	counts := map[string]int{}
	var order []int
	for i := range kills {
		now := "SRS_NOW=" + t0.Add(time.Duration(i)*6*time.Hour).Format(time.RFC3339)
		what := fmt.Sprintf("kill %d", i)
		if i%4 == 0 {
			order = rng.Perm(4)
		}
		op := order[i%4]
		if op == 3 && lastBackup == "" {
			op = 2 // a backup first, to restore later
		}
		var args []string
		switch op {
		case 0:
			args = []string{"export", "--format", "apkg", "--with-scheduling", "-o", filepath.Join(dir, "out.apkg")}
		case 1:
			args = []string{"export", "--format", "jsonl", "-o", filepath.Join(dir, "out.jsonl")}
		case 2:
			args = []string{"backup", "--force", filepath.Join(dir, fmt.Sprintf("backup%d.db", i%3))}
		case 3:
			args = []string{"restore", lastBackup}
		}
		what += " (" + strings.Join(args, " ") + ")"
		// Half the time a session rates cards meanwhile.
		var session *reviewSession
		if rng.IntN(2) == 0 {
			session = startReview(t, bin, append(env, now), rng)
		}
		cmd := exec.Command(bin, args...)
		cmd.Env = append(env, now)
		var stderr strings.Builder
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		exited := make(chan error, 1)
		go func() { exited <- cmd.Wait() }()
		var err error
		select {
		case err = <-exited:
			counts["finished"]++
		case <-time.After(time.Duration(5+rng.IntN(600)) * time.Millisecond):
			cmd.Process.Kill()
			err = <-exited
			counts["killed"]++
		}
		finished := cmd.ProcessState.Exited()
		var confirmed []string
		if session != nil {
			confirmed = session.kill()
		}
		if finished && err != nil && !strings.Contains(stderr.String(), "that the backup lacks") {
			t.Fatalf("%s: %v: %s", what, err, stderr.String())
		}
		if finished && err != nil {
			counts[args[0]+" refused"]++
		}
		if finished && err == nil {
			counts[args[0]+" done"]++
			if args[0] == "backup" {
				lastBackup = args[2]
			}
		}
		left += len(leftovers())
		logged, _ = checkAfterKill(t, what, bin, env, now, logged, confirmed)
		// Whatever is under an output's name is whole.
		checkOutputs(t, what, bin, dir, env, now)
	}
	t.Logf("%d kills: %v; %d ratings on disk; temporary files seen after the kills: %d (summed over kills)", kills, counts, len(logged), left)

	// The next runs clean up after the killed ones: any command for the
	// database's directory, a backup for its target's, an export for
	// the temporary directory.
	now := "SRS_NOW=" + t0.Add(time.Duration(kills)*6*time.Hour).Format(time.RFC3339)
	for _, args := range [][]string{{"status"}, {"backup", "--force", filepath.Join(dir, "backup0.db")},
		{"export", "--format", "apkg", "-o", filepath.Join(dir, "out.apkg")}} {
		if out, err := runSRS(bin, env, append([]string{now}, args...)...); err != nil {
			t.Fatalf("%v: %v %s", args, err, out)
		}
	}
	if left := leftovers(); len(left) > 0 {
		t.Errorf("temporary files left after the next runs: %v", left)
	}
}

// checkOutputs checks that each backup is a sound database and each
// export a whole one.
func checkOutputs(t *testing.T, what, bin, dir string, env []string, now string) {
	t.Helper()
	for i := range 3 {
		bk := filepath.Join(dir, fmt.Sprintf("backup%d.db", i))
		if _, err := os.Stat(bk); err != nil {
			continue
		}
		if out, err := runSRS(bin, append(env, "SRS_DB="+bk), now, "doctor"); err != nil {
			t.Fatalf("%s: backup %s: %v %s", what, bk, err, out)
		}
	}
	if f, err := os.Open(filepath.Join(dir, "out.jsonl")); err == nil {
		sc := bufio.NewScanner(f)
		sc.Buffer(nil, 1<<22)
		n := 0
		for sc.Scan() {
			var v map[string]any
			if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
				t.Fatalf("%s: out.jsonl line %d: %v", what, n+1, err)
			}
			n++
		}
		f.Close()
		if n < 3000 {
			t.Fatalf("%s: out.jsonl has %d cards", what, n)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "out.apkg")); err == nil {
		if err := zipWhole(filepath.Join(dir, "out.apkg")); err != nil {
			t.Fatalf("%s: out.apkg: %v", what, err)
		}
	}
}

// zipWhole opens a zip archive and reads every member to its end, which
// checks each one's CRC.
func zipWhole(path string) error {
	r, err := zip.OpenReader(path)
	if err != nil {
		return err
	}
	defer r.Close()
	for _, f := range r.File {
		rc, err := f.Open()
		if err != nil {
			return err
		}
		_, err = io.Copy(io.Discard, rc)
		rc.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", f.Name, err)
		}
	}
	return nil
}
