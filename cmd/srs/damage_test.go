package main

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestDamagedDatabases damages copies of a real database (a page zeroed,
// bits flipped, the file cut at a page boundary, keys of a page swapped
// out of order) and runs every command on each: each must exit with
// success or with one line on stderr, never a panic, a fault (SIGBUS) or
// a hang. A backup of a file doctor finds damaged is refused, and so is a
// restore from it, which leaves the database it would have replaced as it
// was; a restore over it with --force puts a sound database back.
// Seeds 0 to 3 damage a file in each of the four ways; 40 seeds with
// SRS_LONG_TESTS=1; SRS_DAMAGE_SEEDS=N sets the number, and
// SRS_DAMAGE_SEEDS=FIRST-END runs seeds FIRST to END-1.
func TestDamagedDatabases(t *testing.T) {
	seeds := 4 // one of each kind of damage
	if longTests() {
		seeds = 40
	}
	first := 0
	if s := os.Getenv("SRS_DAMAGE_SEEDS"); s != "" { // N, or FIRST-END to go back to one
		from, to, ok := strings.Cut(s, "-")
		if ok {
			first, _ = strconv.Atoi(from)
			s = to
		}
		seeds, _ = strconv.Atoi(s)
	}
	bin := srsBinary(t)
	dir := t.TempDir()
	good := filepath.Join(dir, "good.db")
	env := []string{"SRS_USER=ann", "TZ=UTC", "SRS_NOW=2026-11-27T10:00:00Z", "HOME=" + dir, "SRS_LOCK_TIMEOUT=1s"}
	seedDatabase(t, bin, good, env)
	whole, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	commands := [][]string{
		{"status"}, {"review", "--lines"}, {"stats"}, {"log"}, {"cards"},
		{"export", "--format", "jsonl", "-o", "out.jsonl"}, {"export", "--format", "apkg", "-o", "out.apkg", "--with-scheduling"},
		{"doctor"}, {"doctor", "--rebuild"}, {"backup", "backup.db"},
	}
	kinds := []string{"zero", "flip", "truncate", "order"}
	for seed := first; seed < seeds; seed++ {
		rng := rand.New(rand.NewPCG(uint64(seed), 16))
		kind := kinds[seed%len(kinds)]
		data, what := damage(t, bytes.Clone(whole), kind, rng)
		name := fmt.Sprintf("seed %d (%s)", seed, what)
		work := filepath.Join(dir, fmt.Sprint(seed))
		os.Mkdir(work, 0o700)
		db := filepath.Join(work, "srs.db")
		if err := os.WriteFile(db, data, 0o600); err != nil {
			t.Fatal(err)
		}
		damaged := false
		for _, args := range commands {
			// Each command sees the damage afresh, not what an earlier
			// command made of it.
			os.WriteFile(db, data, 0o600)
			began := time.Now()
			out, stderr, code := runDamaged(t, bin, work, env, append([]string{"--db", db}, args...)...)
			if testing.Verbose() {
				t.Logf("%s %v: %d %v %s", name, args, code, time.Since(began), strings.TrimSpace(stderr))
			}
			what := name + ": srs " + strings.Join(args, " ")
			checkOneLine(t, what, stderr, code)
			if args[0] == "doctor" && len(args) == 1 {
				damaged = code != 0 && strings.Contains(stderr, "is damaged")
				if damaged && out != "" && !strings.Contains(out, "problem: file: ") {
					t.Errorf("%s: damaged, but no problem with the file listed:\n%s", what, out)
				}
			}
			if args[0] == "backup" && damaged && code == 0 {
				t.Errorf("%s: backed up a file doctor finds damaged", what)
			}
		}
		// Restoring the damaged file over a good database.
		os.WriteFile(db, data, 0o600)
		target := filepath.Join(work, "target.db")
		if err := os.WriteFile(target, whole, 0o600); err != nil {
			t.Fatal(err)
		}
		_, stderr, code := runDamaged(t, bin, work, env, "--db", target, "restore", "--force", db)
		what = name + ": srs restore"
		checkOneLine(t, what, stderr, code)
		if damaged && code == 0 {
			t.Errorf("%s: restored a file doctor finds damaged", what)
		}
		if code != 0 {
			if now, _ := os.ReadFile(target); !bytes.Equal(now, whole) {
				t.Errorf("%s: a refused restore changed the database", what)
			}
		}
		// Restoring a good backup over the damaged file: refused
		// without --force if the damage is seen, done with it.
		goodCopy := filepath.Join(work, "good.db")
		os.WriteFile(goodCopy, whole, 0o600)
		for _, force := range []bool{false, true} {
			os.WriteFile(db, data, 0o600)
			args := []string{"--db", db, "restore", goodCopy}
			if force {
				args = append(args, "--force")
			}
			_, stderr, code := runDamaged(t, bin, work, env, args...)
			what := name + ": srs " + strings.Join(args[2:], " ") + " over it"
			checkOneLine(t, what, stderr, code)
			if force && code != 0 {
				t.Errorf("%s: %s", what, stderr)
			}
			if code == 0 {
				if out, stderr, code := runDamaged(t, bin, work, env, "--db", db, "doctor"); code != 0 {
					t.Errorf("%s: doctor after: %s %s", what, out, stderr)
				}
			}
		}
		if t.Failed() {
			t.Logf("damaged file kept at %s", db)
			return
		}
	}
}

// seedDatabase makes a database with the guide, a 400-card deck and a
// day of reviews by ann.
func seedDatabase(t *testing.T, bin, db string, env []string) {
	t.Helper()
	env = append(env, "SRS_DB="+db)
	md := filepath.Join(filepath.Dir(db), "big.md")
	bigMarkdown(t, md, "big", 400)
	if _, stderr, code := run(t, bin, env, "import", md); code != 0 {
		t.Fatal(stderr)
	}
	cmd := exec.Command(bin, "review", "--lines")
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdin = strings.NewReader(strings.Repeat("\n3\n\n1\n", 15) + "q\n")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("review: %v\n%s", err, out)
	}
	if out, stderr, code := run(t, bin, env, "doctor"); code != 0 {
		t.Fatalf("the seed database is not sound: %s %s", out, stderr)
	}
}

// runDamaged runs srs in dir; one still running when the test run is
// about to time out is hanging, and the test names it.
func runDamaged(t *testing.T, bin, dir string, env []string, args ...string) (string, string, int) {
	t.Helper()
	ctx, cancel := hangContext(t)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdin = strings.NewReader("\n3\nq\n")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("srs %s: still running as the test run times out (hangs)", strings.Join(args, " "))
	}
	var ee *exec.ExitError
	switch {
	case err == nil:
		return out.String(), errb.String(), 0
	case errors.As(err, &ee):
		return out.String(), errb.String(), ee.ExitCode() // -1: killed by a signal
	}
	t.Fatal(err)
	return "", "", 0
}

// checkOneLine holds a command on a damaged file to the contract: success,
// or exit 1 with one line (of a length a person can read) on stderr.
func checkOneLine(t *testing.T, what, stderr string, code int) {
	t.Helper()
	if code == 0 {
		return
	}
	var lines []string
	for _, l := range strings.Split(strings.TrimRight(stderr, "\n"), "\n") {
		if !progressLine.MatchString(l) { // a long export's progress, printed before it failed
			lines = append(lines, l)
		}
	}
	if code != 1 || len(lines) != 1 || !strings.HasPrefix(lines[0], "srs: ") || len(lines[0]) > 1000 ||
		strings.Contains(stderr, "goroutine ") || strings.Contains(stderr, "panic") || strings.Contains(stderr, "SIG") {
		t.Errorf("%s: exit %d, stderr:\n%.2000s", what, code, firstLines(stderr, 12))
	}
}

var progressLine = regexp.MustCompile(`^[a-z ]+: \d+(/\d+ \(\d+%\))?$`)

func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	if len(lines) > n {
		lines = lines[:n]
	}
	return strings.Join(lines, "\n")
}

// The bbolt file format, as far as damage needs it.
const (
	testPageSize = 4096
	pageLeaf     = 0x02
)

// damage breaks data in the way kind names and says what it did.
func damage(t *testing.T, data []byte, kind string, rng *rand.Rand) ([]byte, string) {
	t.Helper()
	pages := len(data) / testPageSize
	hwm := highWaterMark(data)
	if hwm < 4 || hwm > pages {
		t.Fatalf("seed database: high-water mark %d of %d pages", hwm, pages)
	}
	page := func(id int) []byte { return data[id*testPageSize : (id+1)*testPageSize] }
	switch kind {
	case "zero":
		id := rng.IntN(hwm)
		clear(page(id))
		return data, fmt.Sprintf("page %d zeroed", id)
	case "flip":
		id := 2 + rng.IntN(hwm-2)
		n := 1 + rng.IntN(8)
		p := page(id)
		for range n {
			bit := rng.IntN(len(p) * 8)
			p[bit/8] ^= 1 << (bit % 8)
		}
		return data, fmt.Sprintf("%d bits flipped in page %d", n, id)
	case "truncate":
		n := 2 + rng.IntN(hwm-2)
		return data[:n*testPageSize], fmt.Sprintf("cut to %d of %d pages", n, hwm)
	case "order":
		// Swap the keys of two elements of a leaf page, of the same
		// size, so that the page's keys are out of order.
		for range 1000 {
			id := 2 + rng.IntN(hwm-2)
			p := page(id)
			if binary.LittleEndian.Uint16(p[8:]) != pageLeaf || binary.LittleEndian.Uint16(p[10:]) < 2 {
				continue
			}
			n := int(binary.LittleEndian.Uint16(p[10:]))
			i := rng.IntN(n - 1)
			a, b := leafKey(p, i), leafKey(p, i+1)
			if a == nil || b == nil || len(a) != len(b) || bytes.Equal(a, b) {
				continue
			}
			tmp := bytes.Clone(a)
			copy(a, b)
			copy(b, tmp)
			return data, fmt.Sprintf("keys %d and %d of leaf page %d swapped", i, i+1, id)
		}
		t.Fatal("no leaf page with two keys of one size")
	}
	t.Fatalf("unknown damage %q", kind)
	return nil, ""
}

// leafKey is the key of element i of a leaf page, nil if it points
// outside the page.
func leafKey(p []byte, i int) []byte {
	e := 16 + 16*i
	pos, ksize := int(binary.LittleEndian.Uint32(p[e+4:])), int(binary.LittleEndian.Uint32(p[e+8:]))
	if e+pos+ksize > len(p) {
		return nil
	}
	return p[e+pos : e+pos+ksize]
}

// highWaterMark reads the pages in use from the newer meta page.
func highWaterMark(data []byte) int {
	best, hwm := uint64(0), 0
	for _, off := range []int{0, testPageSize} {
		m := data[off+16:]
		if txid := binary.LittleEndian.Uint64(m[48:]); txid >= best {
			best, hwm = txid, int(binary.LittleEndian.Uint64(m[40:]))
		}
	}
	return hwm
}
