package main

import (
	"fmt"
	"io"
	"slices"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/srs-tool/srs/bench/synth"
	"github.com/srs-tool/srs/review"
	"github.com/srs-tool/srs/store"
)

// benchEnd is the synthetic collections' "today".
var benchEnd = synth.End

// benchCollection returns a synthetic collection, built once and cached
// for every package's benchmarks (synth.Cached).
func benchCollection(b *testing.B, cards, reviews int) string {
	b.Helper()
	path, err := synth.Cached(cards, reviews, 1, b.Logf)
	if err != nil {
		b.Fatal(err)
	}
	return path
}

// copyCollection gives a benchmark its own synced copy of a collection.
func copyCollection(b *testing.B, path string) string {
	b.Helper()
	dst, err := synth.Copy(path, b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	return dst
}

// keypressUI is one full-screen review session over its own copy of a
// collection, driven the way bubbletea drives it (deliver).
type keypressUI struct {
	m    *tuiModel
	now  time.Time       // the session's clock
	lat  []time.Duration // key press to the next card's screen, per rating
	step [3][]time.Duration
}

// keypressRatings cycles through a plausible mix: mostly Good, some Again
// (which brings cards back within the session), Hard and Easy.
var keypressRatings = []string{"3", "3", "3", "1", "3", "4", "3", "2", "3", "3"}

// perDay is how many ratings the benchmark makes in one of the user's
// days: fewer than the default 200 reviews a day, so a day never runs
// out of cards, and the queue is the one a user with default settings
// gets.
const perDay = 150

func newKeypressUI(b *testing.B, collection string, plans ...store.Plan) *keypressUI {
	b.Helper()
	path := copyCollection(b, collection)
	if len(plans) > 0 {
		s, err := store.Open(path, store.Options{Now: benchEnd})
		if err != nil {
			b.Fatal(err)
		}
		for _, p := range plans {
			if _, err := s.AddPlan("user00", p, benchEnd); err != nil {
				b.Fatal(err)
			}
		}
		s.Close()
	}
	// From the day after the synthetic learner's last (whose 518 reviews
	// used up that day's limit); rate moves the clock on.
	u := &keypressUI{now: benchEnd.AddDate(0, 0, 1)}
	env := &Env{IO: &IO{Out: io.Discard, ErrOut: io.Discard}, DBPath: path, User: "user00",
		Now: func() time.Time { return u.now }}
	// The first open of a process loads the built-in deck and creates
	// the user; after it, opens are what the session's are.
	if err := env.with(func(*store.Store) error { return nil }); err != nil {
		b.Fatal(err)
	}
	sess := review.New(review.Config{Open: env.Open, User: env.User, Now: env.Now})
	u.m = newTUI(env, sess)
	u.run(u.m.Init())
	if u.m.card == nil {
		b.Fatal("no card to start with")
	}
	u.m.View()
	return u
}

// deliver hands msg to Update and carries out what it returns as
// bubbletea would, each command on a goroutine of its own and its message
// back into Update, until the database call it starts is done: the
// session's calls run in commands (tui.go), so a rating key's Update
// returns the rating's command, whose result returns the next card's.
// stop says when to stop, after each database result. The timer that
// would show "waiting" is left to expire unseen.
func (u *keypressUI) deliver(msg tea.Msg, stop func() bool) {
	_, cmd := u.m.Update(msg)
	for cmd != nil {
		msg := awaitDB(cmd)
		if msg == nil {
			return
		}
		_, cmd = u.m.Update(msg)
		if stop() {
			return
		}
	}
}

// run carries out cmd (a database call) and the ones that follow it.
func (u *keypressUI) run(cmd tea.Cmd) {
	for cmd != nil {
		msg := awaitDB(cmd)
		if msg == nil {
			return
		}
		_, cmd = u.m.Update(msg)
	}
}

// awaitDB runs cmd and the commands of any batch it returns, and returns
// the first database result (nil if none comes: the program quits).
func awaitDB(cmd tea.Cmd) tea.Msg {
	msgs := make(chan tea.Msg, 16)
	running := 0
	start := func(c tea.Cmd) {
		running++
		go func() { msgs <- c() }()
	}
	start(cmd)
	for running > 0 {
		msg := <-msgs
		running--
		switch msg := msg.(type) {
		case tea.BatchMsg:
			for _, c := range msg {
				if c != nil {
					start(c)
				}
			}
		case dbDoneMsg:
			return msg
		}
	}
	return nil
}

// rate reveals the answer, then times the rating key press up to the
// next card's screen: the rating's commit (the command the key's Update
// returns), the next card (the command the rating's result returns:
// queue, card text, previews), and the screen (Update with the card,
// View).
func (u *keypressUI) rate(b *testing.B, key string) {
	m := u.m
	m.Update(tea.KeyPressMsg{Code: ' ', Text: " "})
	m.View()
	if !m.revealed {
		b.Fatal("space did not reveal the answer")
	}
	// A card every 20 seconds, perDay a day: the card on screen at the
	// end of a day is rated the next morning.
	u.now = u.now.Add(20 * time.Second)
	if n := len(u.lat); n > 0 && n%perDay == 0 {
		d := u.now.AddDate(0, 0, 1)
		u.now = time.Date(d.Year(), d.Month(), d.Day(), 9, 0, 0, 0, d.Location())
	}
	var t1, t2 time.Time
	t0 := time.Now()
	results := 0
	u.deliver(tea.KeyPressMsg{Code: rune(key[0]), Text: key}, func() bool {
		// The rating's result, then the next card's.
		if results++; results == 1 {
			t1 = time.Now()
			return false
		}
		t2 = time.Now()
		return true
	})
	m.View()
	t3 := time.Now()
	if results != 2 || m.card == nil {
		b.Fatalf("rating %s after %d: no next card (err %v)", key, len(u.lat), m.err)
	}
	u.lat = append(u.lat, t3.Sub(t0))
	for i, d := range []time.Duration{t1.Sub(t0), t2.Sub(t1), t3.Sub(t2)} {
		u.step[i] = append(u.step[i], d)
	}
}

// pct is the p-th percentile (nearest rank) of ds, in milliseconds.
func pct(ds []time.Duration, p float64) float64 {
	s := slices.Clone(ds)
	slices.Sort(s)
	i := int(float64(len(s))*p/100+0.999999) - 1
	return float64(s[max(0, min(i, len(s)-1))]) / float64(time.Millisecond)
}

func (u *keypressUI) report(b *testing.B) {
	b.ReportMetric(pct(u.lat, 50), "p50-ms")
	b.ReportMetric(pct(u.lat, 99), "p99-ms")
	b.ReportMetric(pct(u.step[0], 50), "rate-p50-ms")
	b.ReportMetric(pct(u.step[1], 50), "next-p50-ms")
	b.ReportMetric(pct(u.step[2], 50), "view-p50-ms")
}

// BenchmarkKeypress is what a user waits for after rating a card: from
// the key press to the next card on screen, through the full-screen UI's
// own calls (Update with the key; the rating's command, which runs
// review.Session.Answer; the next card's command, Session.Next; Update
// with its result, and View), on a synced copy of the
// synthetic 100k-card, 1M-review collection (the smaller ones have too
// few cards due for a thousand ratings). Each iteration is one rating;
// p50 and p99 per rating are reported, with the median of each step.
// Run with a fixed count: -benchtime 1000x.
func BenchmarkKeypress(b *testing.B) {
	u := newKeypressUI(b, benchCollection(b, 100000, 1000000))
	i := 0
	for b.Loop() {
		u.rate(b, keypressRatings[i%len(keypressRatings)])
		i++
	}
	u.report(b)
}

// BenchmarkKeypressPlan is BenchmarkKeypress with an interview date
// ahead: a plan over one topic of one deck (about 250 of the 100k
// cards), 21 days out (pacing only) or 2 days out (the final days: the
// due index after the date read for cards to review ahead). A session
// reads the plan's day once and applies its own ratings to it, as it
// does the rest of the day. Compare with BenchmarkKeypress in the same
// run.
func BenchmarkKeypressPlan(b *testing.B) {
	for _, days := range []int{21, 2} {
		b.Run(fmt.Sprintf("date=%dd", days), func(b *testing.B) {
			u := newKeypressUI(b, benchCollection(b, 100000, 1000000), store.Plan{Deck: "deck000", Topics: []string{"1"},
				Date: benchEnd.AddDate(0, 0, 1+days).Format(store.DateLayout), Minutes: 60, Target: 0.9})
			i := 0
			for b.Loop() {
				u.rate(b, keypressRatings[i%len(keypressRatings)])
				i++
			}
			u.report(b)
		})
	}
}
