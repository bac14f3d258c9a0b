package apkg

import (
	"io"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/srs-tool/srs/deck"
	"github.com/srs-tool/srs/fsrs"
)

// apkgBenchCards is a variable so a profile can be taken on fewer cards.
var apkgBenchCards = 100_000

// BenchmarkWriteAPKG100k exports 100,000 cards with scheduling and ten
// review-log rows each to io.Discard. Inputs are generated card by card
// so that the memory reported is the writer's. Targets: ≤ 3 s and ≤ 200 MB
// peak RSS per export.
func BenchmarkWriteAPKG100k(b *testing.B) {
	cards, logs := apkgBenchCards, 10
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	back := "A short answer with **bold** and `code`.\n\n- first point\n- second point"
	log := make([]fsrs.AnkiReview, logs)
	sched, err := fsrs.NewScheduler(fsrs.DefaultSettings())
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		w, err := NewWriter(io.Discard, Options{WithScheduling: true, Now: now})
		if err != nil {
			b.Fatal(err)
		}
		for i := range cards {
			id := strconv.Itoa(i)
			start := now.Add(-time.Duration(400+i%300) * 24 * time.Hour).Add(time.Duration(i) * time.Millisecond)
			st := fsrs.Card{State: fsrs.New}
			for j := range log {
				t := start.Add(time.Duration(j*(j+1)/2) * 24 * time.Hour)
				next := fsrs.Card{Due: t.Add(time.Duration(j+1) * 24 * time.Hour), Stability: float64(j + 1), Difficulty: 5,
					ScheduledDays: uint64(j + 1), Reps: uint64(j + 1), State: fsrs.Review, LastReview: t}
				log[j] = fsrs.ToAnkiReview(fsrs.ReviewEvent{Time: t, Rating: fsrs.Good, Duration: 7 * time.Second}, st, next)
				st = next
			}
			c := deck.Card{ID: "card-" + id, Deck: "bench::deck" + strconv.Itoa(i%20), Kind: deck.KindBasic,
				Front: "Question " + id + ": what does this *benchmark* measure?", Back: back, Tags: []string{"bench", "t" + strconv.Itoa(i%50)}}
			p := &Scheduling{Card: sched.ToAnki(st, false, now.Location()), Revlog: log}
			if err := w.Add(c, nil, p); err != nil {
				b.Fatal(err)
			}
		}
		if err := w.Close(); err != nil {
			b.Fatal(err)
		}
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(ms.HeapSys)/(1<<20), "heap-sys-MB")
	if rss := peakRSS(); rss > 0 {
		b.ReportMetric(float64(rss)/(1<<20), "peak-rss-MB")
	}
}
