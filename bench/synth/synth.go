// Package synth builds realistic srs collections for benchmarks: N cards
// in decks of questions with follow-ups, and for each of K users about M
// reviews over two years, made by a simulated learner whose recall
// follows the FSRS forgetting curve (not random bytes).
package synth

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"time"

	"github.com/srs-tool/srs/deck"
	"github.com/srs-tool/srs/fsrs"
	"github.com/srs-tool/srs/store"
)

// Config sizes a collection.
type Config struct {
	Cards    int       // cards in all
	Reviews  int       // reviews per user, approximately
	Users    int       // users, named user00, user01, ...
	DeckSize int       // cards per deck (default 10000)
	Seed     uint64    // random seed
	End      time.Time // the simulated "today"; history runs two years up to it
	Log      io.Writer // progress notes, or nil
}

// Build creates the database at path (which must not exist) and fills it.
func Build(path string, cfg Config) error {
	if cfg.DeckSize == 0 {
		cfg.DeckSize = 10000
	}
	if cfg.Log == nil {
		cfg.Log = io.Discard
	}
	// Built in big transactions, the file carries a freelist no daily
	// use would leave; benchmarks run on a compacted copy, as a
	// collection grown one review at a time would be.
	tmp := path + ".raw"
	os.Remove(tmp)
	defer os.Remove(tmp)
	if err := run(tmp, cfg.Cards, cfg.Reviews, cfg.Users, cfg.DeckSize, cfg.Seed, cfg.End, cfg.Log); err != nil {
		return err
	}
	s, err := store.Open(tmp, store.Options{Now: cfg.End})
	if err != nil {
		return err
	}
	defer s.Close()
	return s.CompactTo(path)
}

func run(path string, nCards, nReviews, nUsers, deckSize int, seed uint64, today time.Time, logw io.Writer) error {
	s, err := store.Open(path, store.Options{Now: today, Timeout: time.Second})
	if err != nil {
		return err
	}
	defer s.Close()
	start := today.Add(-2 * 365 * 24 * time.Hour)
	decks := makeDecks(nCards, deckSize)
	for u := 0; u < nUsers; u++ {
		name := fmt.Sprintf("user%02d", u)
		settings := fsrs.DefaultSettings()
		settings.TimeZone = "UTC"
		if err := s.SetSettings(name, settings, start.Add(-time.Hour)); err != nil {
			return err
		}
	}
	t0 := time.Now()
	for _, d := range decks {
		if _, err := s.ImportDeck(d, store.ImportOptions{Now: start}); err != nil {
			return err
		}
	}
	fmt.Fprintf(logw, "gen: %d cards in %d decks (%v)\n", nCards, len(decks), time.Since(t0).Round(time.Millisecond))
	sched, err := fsrs.NewScheduler(fsrs.DefaultSettings())
	if err != nil {
		return err
	}
	for u := 0; u < nUsers; u++ {
		name := fmt.Sprintf("user%02d", u)
		rng := rand.New(rand.NewPCG(seed, uint64(u)))
		sim := &learner{sched: sched, rng: rng, start: start, end: today, perCard: float64(nReviews) / float64(nCards)}
		total := 0
		t1 := time.Now()
		for _, d := range decks {
			history := map[string]fsrs.History{}
			for _, c := range d.Cards {
				if ev := sim.history(); len(ev) > 0 {
					history[c.Key()] = fsrs.History{Reviews: ev}
					total += len(ev)
				}
			}
			if _, err := s.ImportDeck(d, store.ImportOptions{Now: today, User: name, WithHistory: true, History: history}); err != nil {
				return err
			}
		}
		fmt.Fprintf(logw, "gen: %s: %d reviews (%v)\n", name, total, time.Since(t1).Round(time.Millisecond))
	}
	return nil
}

// makeDecks builds decks of questions, a third of them with two follow-ups.
func makeDecks(n, size int) []*deck.Deck {
	var decks []*deck.Deck
	for i := 0; i < n; {
		d := &deck.Deck{Name: fmt.Sprintf("deck%03d", len(decks)), Source: "gen"}
		for j := 0; j < size && i < n; {
			q := deck.Card{ID: fmt.Sprintf("q%06d", i), Deck: d.Name, Kind: deck.KindQuestion,
				Front: fmt.Sprintf("Question %d: how would you design system %d so that it survives a region outage?", i, i),
				Back:  fmt.Sprintf("A strong answer for %d names the failure modes, the rollout and the rollback plan.\n\n- point one\n- point two\n- point three", i),
				Tags:  []string{"loop:system-design", fmt.Sprintf("topic:%d", i%40)}}
			d.Cards = append(d.Cards, q)
			i, j = i+1, j+1
			for f := 1; f <= 2 && i%3 == 0 && j < size && i < n; f++ {
				d.Cards = append(d.Cards, deck.Card{ID: fmt.Sprintf("%s.f%d", q.ID, f), Deck: d.Name, Kind: deck.KindFollowUp,
					Parent: q.ID, Front: fmt.Sprintf("Follow-up %d to %d: what breaks first at 10x?", f, i), Back: "The database connection pool."})
				i, j = i+1, j+1
			}
		}
		decks = append(decks, d)
	}
	return decks
}

// learner simulates one user: each card is introduced on a random day of
// the two years and then reviewed when due (a little late at times), and
// recalled with the probability the FSRS model gives.
type learner struct {
	sched      *fsrs.Scheduler
	rng        *rand.Rand
	start, end time.Time
	perCard    float64 // mean reviews per card wanted
}

func (l *learner) history() []fsrs.ReviewEvent {
	// Cards introduced late have few reviews; pick the intro day so that
	// the mean number of reviews comes out near perCard.
	span := l.end.Sub(l.start)
	frac := math.Pow(l.rng.Float64(), math.Max(0.3, 6/l.perCard))
	t := l.start.Add(time.Duration(frac * float64(span))).Truncate(time.Minute)
	if l.rng.Float64() < 0.1 { // some cards never introduced
		return nil
	}
	c := fsrs.NewCard(t)
	var out []fsrs.ReviewEvent
	for t.Before(l.end) && len(out) < 200 {
		r := l.rate(c, t)
		out = append(out, fsrs.ReviewEvent{Time: t, Rating: r, Duration: time.Duration(3+l.rng.IntN(40)) * time.Second})
		next, err := l.sched.Next(c, t, r)
		if err != nil {
			break
		}
		c = next
		wait := c.Due.Sub(t)
		if l.rng.Float64() < 0.15 {
			wait = time.Duration(float64(wait) * (1.2 + l.rng.Float64()))
		}
		t = t.Add(wait).Add(time.Duration(l.rng.IntN(600)) * time.Second)
	}
	return out
}

func (l *learner) rate(c fsrs.Card, t time.Time) fsrs.Rating {
	p := 0.75 // first sight
	if c.State != fsrs.New {
		p = l.sched.Retrievability(c, t)
		if c.State != fsrs.Review {
			p = 0.85
		}
	}
	if l.rng.Float64() > p {
		return fsrs.Again
	}
	switch x := l.rng.Float64(); {
	case x < 0.15:
		return fsrs.Hard
	case x < 0.85:
		return fsrs.Good
	default:
		return fsrs.Easy
	}
}

// WriteMarkdown writes a Markdown deck of n cards (a third with a
// follow-up) to path, for timing `srs import` at scale.
func WriteMarkdown(path string, n int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	fmt.Fprintf(w, "---\ndeck: big\ntags: [bench]\n---\n")
	for i, written := 0, 0; written < n; i++ {
		fmt.Fprintf(w, "## Question %d: how would you design system %d to survive a region outage? {#q%06d}\n", i, i, i)
		fmt.Fprintf(w, "A strong answer names the failure modes, the rollout and the rollback plan for %d.\n\n- point one\n- point two\n\n", i)
		written++
		if i%3 == 0 && written < n {
			fmt.Fprintf(w, "### Follow-up: What breaks first at 10x for system %d?\nThe connection pool, then the primary.\n\n", i)
			written++
		}
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
