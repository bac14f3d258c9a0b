package queue_test

import (
	"fmt"
	"testing"

	"github.com/srs-tool/srs/bench/synth"
	"github.com/srs-tool/srs/queue"
	"github.com/srs-tool/srs/store"
)

// benchEnd is the synthetic collections' "today".
var benchEnd = synth.End

// benchDB returns a synthetic collection (decks of 10k cards, a two-year
// history), built once and cached for every package's benchmarks.
func benchDB(b *testing.B, cards, reviews int) string {
	b.Helper()
	path, err := synth.Cached(cards, reviews, 1, b.Logf)
	if err != nil {
		b.Fatal(err)
	}
	return path
}

// eachSize runs fn at 1k, 10k and 100k cards (10 reviews a card): each
// 10× the one before, so that time growing with the collection rather
// than with what is due shows.
func eachSize(b *testing.B, fn func(b *testing.B, s *store.Store)) {
	for _, cards := range []int{1000, 10000, 100000} {
		if testing.Short() && cards > 10000 {
			continue
		}
		b.Run(fmt.Sprintf("cards=%d/reviews=%d", cards, cards*10), func(b *testing.B) {
			s, err := store.Open(benchDB(b, cards, cards*10), store.Options{Now: benchEnd})
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			fn(b, s)
		})
	}
}

// BenchmarkBuild is what today holds (`srs status` without the process
// around it), with the due cards it walked and the time per due card:
// the figure that must stay flat as the collection grows.
func BenchmarkBuild(b *testing.B) {
	eachSize(b, func(b *testing.B, s *store.Store) {
		var t *queue.Today
		for b.Loop() {
			var err error
			if t, err = queue.Load(s, "user00", benchEnd, queue.Options{}); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(t.Scanned), "due")
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(max(t.Scanned, 1)), "ns/due")
	})
}

// BenchmarkFirstCard is what the first card of a session waits for in
// the store: today's queue and the first card read in full.
func BenchmarkFirstCard(b *testing.B) {
	eachSize(b, func(b *testing.B, s *store.Store) {
		for b.Loop() {
			err := s.Read("user00", func(r *store.Reader) error {
				t, err := queue.Build(r, benchEnd, queue.Options{})
				if err != nil {
					return err
				}
				if len(t.Show()) == 0 {
					return fmt.Errorf("nothing to show")
				}
				_, err = queue.LoadItem(r, t.Show()[0].Card)
				return err
			})
			if err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkBuildPlan is BenchmarkBuild with an interview date ahead,
// beside the same collection without one (none), measured in the same
// run: a plan over one topic of one deck (about 1/40 of its 10k cards)
// 21 days out (pacing) and 2 days out (a final day: the due index after
// the date is read for cards to review ahead), and one over every deck's
// loop:system-design 21 days out (every deck's new cards read).
func BenchmarkBuildPlan(b *testing.B) {
	for _, cards := range []int{10000, 100000} {
		if testing.Short() && cards > 10000 {
			continue
		}
		src := benchDB(b, cards, cards*10)
		for _, tc := range []struct {
			name string
			plan *store.Plan
		}{
			{"none", nil},
			{"topic-21d", &store.Plan{Date: "2026-12-18", Deck: "deck000", Topics: []string{"1"}}},
			{"topic-2d", &store.Plan{Date: "2026-11-29", Deck: "deck000", Topics: []string{"1"}}},
			{"loop-all-decks-21d", &store.Plan{Date: "2026-12-18", Loops: []string{"system-design"}}},
		} {
			b.Run(fmt.Sprintf("cards=%d/plan=%s", cards, tc.name), func(b *testing.B) {
				path, err := synth.Copy(src, b.TempDir())
				if err != nil {
					b.Fatal(err)
				}
				s, err := store.Open(path, store.Options{Now: benchEnd})
				if err != nil {
					b.Fatal(err)
				}
				defer s.Close()
				if tc.plan != nil {
					p := *tc.plan
					p.Minutes, p.Target = 60, 0.9
					if _, err := s.AddPlan("user00", p, benchEnd); err != nil {
						b.Fatal(err)
					}
				}
				var t *queue.Today
				for b.Loop() {
					if t, err = queue.Load(s, "user00", benchEnd, queue.Options{}); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(t.Counts.Total()), "cards")
			})
		}
	}
}

// BenchmarkBuildBudget is BenchmarkBuild with minutes_per_day set (the
// user's costs measured over their last 450 answers, each new card's
// kind read), beside the same collection without it, measured in the
// same run. New cards ignore the review limit, so that the day has new
// cards to hold back (the budget measures nothing when it has none: a
// heavy user's reviews otherwise take the limit), new_per_day at the
// default 10 and at 1000 (every new card the day could take).
func BenchmarkBuildBudget(b *testing.B) {
	for _, cards := range []int{10000, 100000} {
		if testing.Short() && cards > 10000 {
			continue
		}
		src := benchDB(b, cards, cards*10)
		for _, newPerDay := range []int{10, 1000} {
			for _, minutes := range []int{0, 30} {
				b.Run(fmt.Sprintf("cards=%d/new_per_day=%d/minutes_per_day=%d", cards, newPerDay, minutes), func(b *testing.B) {
					path, err := synth.Copy(src, b.TempDir())
					if err != nil {
						b.Fatal(err)
					}
					s, err := store.Open(path, store.Options{Now: benchEnd})
					if err != nil {
						b.Fatal(err)
					}
					defer s.Close()
					st, err := s.Settings("user00")
					if err != nil {
						b.Fatal(err)
					}
					st.NewIgnoresReviewLimit, st.NewPerDay, st.MinutesPerDay = true, newPerDay, minutes
					if err := s.SetSettings("user00", st, benchEnd); err != nil {
						b.Fatal(err)
					}
					var t *queue.Today
					for b.Loop() {
						if t, err = queue.Load(s, "user00", benchEnd, queue.Options{}); err != nil {
							b.Fatal(err)
						}
					}
					b.ReportMetric(float64(t.Counts.New), "new")
					b.ReportMetric(float64(t.Counts.Review), "reviews")
				})
			}
		}
	}
}
