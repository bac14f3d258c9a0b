package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/srs-tool/srs/queue"
)

// inproc runs srs in-process, as the binary would, at the time now, and
// returns its standard output; a non-zero exit fails the test.
type inproc struct {
	t   *testing.T
	env map[string]string
}

func (c *inproc) run(now time.Time, stdin string, args ...string) string {
	c.t.Helper()
	c.env["SRS_NOW"] = now.Format(time.RFC3339)
	var out, errOut bytes.Buffer
	io := &IO{In: strings.NewReader(stdin), Out: &out, ErrOut: &errOut}
	if code := Main(append([]string{"srs"}, args...), io, func(k string) string { return c.env[k] }); code != 0 {
		c.t.Fatalf("srs %s: exit %d: %s", strings.Join(args, " "), code, errOut.String())
	}
	return out.String()
}

// randomDeck is a Markdown deck of questions, some with follow-ups.
func randomDeck(rng *rand.Rand, name string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "---\ndeck: %s\n---\n", name)
	for q := range 2 + rng.IntN(14) {
		fmt.Fprintf(&b, "## %s question %d {#q%d}\nAnswer %d.\n\n", name, q, q, q)
		for f := range rng.IntN(3) {
			fmt.Fprintf(&b, "### Follow-up: %s probe %d.%d\nAnswer.\n\n", name, q, f)
		}
	}
	return b.String()
}

// sessionInput is what a user types in a line-mode session: mostly
// ratings, some buries and suspends, and maybe an early quit.
func sessionInput(rng *rand.Rand) string {
	var b strings.Builder
	for range 80 {
		switch rng.IntN(40) {
		case 0:
			b.WriteString("q\n")
			return b.String()
		case 1, 2:
			b.WriteString("b\n")
		case 3:
			b.WriteString("s\n")
		default:
			fmt.Fprintf(&b, "\n%d\n", 1+rng.IntN(4))
		}
	}
	return b.String()
}

// mockInput is what a user types in a mock interview: a reveal and a
// rating per card, maybe an early stop.
func mockInput(rng *rand.Rand) string {
	var b strings.Builder
	for range 3 + rng.IntN(12) {
		fmt.Fprintf(&b, "\n%d\n", 1+rng.IntN(4))
	}
	if rng.IntN(2) == 0 {
		b.WriteString("q\n")
	}
	return b.String()
}

var (
	headerRE = regexp.MustCompile(`(?m)^── \S+ · \S+ · (\S+) ── new (\d+) · learning (\d+) · review (\d+)$`)
	leftRE   = regexp.MustCompile(`Left today: new (\d+) · learning (\d+) · review (\d+)\.(?: Next card due (.*)\.)?`)
)

func atoi(t *testing.T, s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestCountsAgree: over random collections (the guide and up to three
// imported decks, follow-ups, random limits per user and per deck,
// either new_order, interview dates) and random histories (sessions of
// random ratings, buries, suspends and early quits over a week, and mock
// interviews, whose ratings are reviews like any other), at the start of a
// session `srs status`, `srs stats` (due today and the forecast's today),
// `srs cards --today` and the session's header say the same; a session
// that rates every card Good then shows exactly the reviews and new cards
// they counted; and at its end the summary and `srs status` agree on
// what is left and when the next card is due. 8 random collections, 30
// with SRS_LONG_TESTS=1; SRS_COUNT_SEEDS=N sets the number.
func TestCountsAgree(t *testing.T) {
	seeds := repeats(t, "SRS_COUNT_SEEDS", 8, 30)
	for seed := range seeds {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(uint64(seed), 11))
			dir := t.TempDir()
			c := &inproc{t: t, env: map[string]string{"SRS_DB": filepath.Join(dir, "srs.db"), "SRS_USER": "ann", "TZ": "UTC"}}
			start := time.Date(2026, 9, 20, 9, 0, 0, 0, time.UTC)
			zone := []string{"UTC", "America/Los_Angeles", "Asia/Tokyo"}[rng.IntN(3)]
			c.run(start, "", "settings", "time_zone="+zone, "fuzz="+fmt.Sprint(rng.IntN(2) == 0),
				"new_per_day="+fmt.Sprint(rng.IntN(12)), "reviews_per_day="+fmt.Sprint(1+rng.IntN(30)),
				"new_order="+[]string{"round-robin", "deck"}[rng.IntN(2)],
				"new_ignores_review_limit="+fmt.Sprint(rng.IntN(3) == 0),
				"minutes_per_day="+fmt.Sprint([]int{0, 0, 5, 15, 40}[rng.IntN(5)]))
			var decks []string
			for i := range rng.IntN(4) {
				name := []string{"kubernetes", "net", "sql"}[i]
				file := filepath.Join(dir, name+".md")
				if err := os.WriteFile(file, []byte(randomDeck(rng, name)), 0o644); err != nil {
					t.Fatal(err)
				}
				c.run(start, "", "import", file)
				decks = append(decks, name)
			}
			for _, d := range append(decks, "guide") {
				if rng.IntN(3) == 0 {
					c.run(start, "", "settings", "--deck", d, "new_per_day="+fmt.Sprint(rng.IntN(4)), "reviews_per_day="+fmt.Sprint(rng.IntN(8)))
				}
			}
			// Interview dates (srs plan), a few days to weeks out, over
			// the guide's loops or a whole deck, with a few minutes a day
			// or many.
			addPlans := func(at time.Time, n int) {
				for range n {
					args := []string{"plan", "add", at.AddDate(0, 0, 1+rng.IntN(25)).Format("2006-01-02"),
						"--minutes", fmt.Sprint(5 + rng.IntN(60))}
					switch rng.IntN(3) {
					case 0:
						args = append(args, "--loop", []string{"system-design", "debugging,behavioral"}[rng.IntN(2)])
					case 1:
						args = append(args, "--deck", append(decks, "guide")[rng.IntN(len(decks)+1)])
					}
					c.run(at, "", args...)
				}
			}
			addPlans(start, rng.IntN(3))
			// Sessions a day to a week apart, so that cards pile up (and
			// siblings fall due together), then a gap of up to a month.
			now := start
			for range 10 {
				c.run(now, sessionInput(rng), "review")
				if rng.IntN(4) == 0 { // a mock interview: ratings like any other
					c.run(now, mockInput(rng), "mock", "--seed", fmt.Sprint(rng.IntN(1000)))
				}
				if rng.IntN(2) == 0 { // back later the same day
					c.run(now.Add(time.Duration(20+rng.IntN(200))*time.Minute), sessionInput(rng), "review")
				}
				now = now.Add(time.Duration(1+rng.IntN(rng.IntN(7)+1))*24*time.Hour + time.Duration(rng.IntN(180)-90)*time.Minute)
			}
			now = now.Add(time.Duration(rng.IntN(30*24)) * time.Hour)
			addPlans(now, rng.IntN(3))

			// Now: status, stats, cards --today and the session's header.
			var st struct {
				queue.Counts
				NextDue time.Time        `json:"next_due"`
				Plans   []map[string]any `json:"plans"`
			}
			if err := json.Unmarshal([]byte(c.run(now, "", "status", "--json")), &st); err != nil {
				t.Fatal(err)
			}
			var stats struct {
				DueToday queue.Counts `json:"due_today"`
				Forecast []struct {
					Count int `json:"count"`
				} `json:"forecast"`
			}
			if err := json.Unmarshal([]byte(c.run(now, "", "stats", "--json")), &stats); err != nil {
				t.Fatal(err)
			}
			if stats.DueToday != st.Counts || stats.Forecast[0].Count != st.Learning+st.Review {
				t.Fatalf("stats says %+v due today (forecast today %d), status %+v", stats.DueToday, stats.Forecast[0].Count, st.Counts)
			}
			if n := len(strings.FieldsFunc(c.run(now, "", "cards", "--today", "--json"), func(r rune) bool { return r == '\n' })); n != st.Total() {
				t.Fatalf("cards --today lists %d cards, status counts %d", n, st.Total())
			}

			t.Logf("status %+v, %d plans ahead", st.Counts, len(st.Plans))
			out := c.run(now, strings.Repeat("\n3\n", 2000), "review")
			headers := headerRE.FindAllStringSubmatch(out, -1)
			if len(headers) == 0 {
				if !strings.Contains(out, "No cards reviewed.") {
					t.Fatalf("no header and no empty session:\n%s", out)
				}
			} else if h := headers[0]; (queue.Counts{New: atoi(t, h[2]), Learning: atoi(t, h[3]), Review: atoi(t, h[4])}) != st.Counts {
				t.Fatalf("the session's first header %q, status %+v", h[0], st.Counts)
			}
			shown := map[string]int{}
			for _, h := range headers {
				shown[h[1]]++
			}
			if shown["review"] != st.Review || shown["new"] != st.New {
				t.Fatalf("the session showed %d reviews and %d new cards; status counted %d and %d\n%s",
					shown["review"], shown["new"], st.Review, st.New, out)
			}
			left := leftRE.FindStringSubmatch(out)
			if left == nil {
				t.Fatalf("no summary:\n%s", out)
			}
			after := c.run(now, "", "status")
			var stAfter struct{ queue.Counts }
			if err := json.Unmarshal([]byte(c.run(now, "", "status", "--json")), &stAfter); err != nil {
				t.Fatal(err)
			}
			if got := (queue.Counts{New: atoi(t, left[1]), Learning: atoi(t, left[2]), Review: atoi(t, left[3])}); got != stAfter.Counts {
				t.Fatalf("the summary leaves %+v, status then %+v", got, stAfter.Counts)
			}
			if left[4] != "" && !strings.Contains(after, "next card due "+left[4]+"\n") {
				t.Fatalf("the summary says the next card is due %s; status says\n%s", left[4], after)
			}
		})
	}
}
