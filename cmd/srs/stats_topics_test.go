package main

import (
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/srs-tool/srs/deck"
	"github.com/srs-tool/srs/fsrs"
	"github.com/srs-tool/srs/store"
)

// TestStatsWeakestTopicsOnGuide: on a simulated history over the
// built-in guide, where the questions and follow-ups of two topics are
// forgotten and the rest remembered, `srs stats` names those two topics
// (topic:databases, topic:performance) among the weakest at 0%, by the
// guide's own topic names, with no tag at 0% whose cards were not all
// forgotten, and never a section or group tag, which every card rated
// carries too.
func TestStatsWeakestTopicsOnGuide(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "srs.db")
	c := &inproc{t: t, env: map[string]string{"SRS_DB": path, "SRS_USER": "ann", "TZ": "UTC"}}
	start := time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)
	c.run(start, "", "settings", "time_zone=UTC", "fuzz=false")

	bad := []string{"topic:databases", "topic:performance"}
	s, err := store.Open(path, store.Options{Now: start})
	if err != nil {
		t.Fatal(err)
	}
	settings, err := s.Settings("ann")
	if err != nil {
		t.Fatal(err)
	}
	sched, err := fsrs.NewScheduler(settings)
	if err != nil {
		t.Fatal(err)
	}
	// The guide's questions and follow-ups: every one has topics.
	var cards []deck.Card
	err = s.EachCard(store.CardFilter{Deck: "guide"}, func(sc store.StoredCard) error {
		if sc.Kind == deck.KindQuestion || sc.Kind == deck.KindFollowUp {
			cards = append(cards, sc.Card)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(cards) < 80 {
		t.Fatalf("%d questions and follow-ups in the guide", len(cards))
	}
	sections := 0
	rate := func(c deck.Card, at time.Time, r fsrs.Rating) {
		t.Helper()
		before, had, err := s.State("ann", c.Deck, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		base := before.Card
		if !had {
			base = fsrs.NewCard(at)
		}
		next, err := sched.Next(base, at, r)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Record("ann", store.Change{Card: c.Key(), Time: at, Action: store.ActRate, Rating: r,
			Duration: 20 * time.Second, Before: before, HadState: had, After: store.CardState{Card: next}}); err != nil {
			t.Fatal(err)
		}
	}
	// Day 0: every card learned (Easy: straight to Review). Days 12
	// and 40: reviewed, the cards of the bad topics forgotten.
	for _, c := range cards {
		rate(c, start, fsrs.Easy)
		if slices.ContainsFunc(c.Tags, func(tag string) bool { return strings.HasPrefix(tag, "section:") }) {
			sections++
		}
	}
	if sections != len(cards) {
		t.Fatalf("%d of %d cards have a section: tag; the test wants them all to", sections, len(cards))
	}
	for _, day := range []int{12, 40} {
		at := start.AddDate(0, 0, day)
		// Forgotten on day 12: relearned the day before, so that
		// day 40's review is of a learned card again.
		for _, c := range cards {
			st, _, err := s.State("ann", c.Deck, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			if st.State != fsrs.Review {
				rate(c, at.Add(-24*time.Hour), fsrs.Good)
			}
		}
		for _, c := range cards {
			st, _, err := s.State("ann", c.Deck, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			if st.State != fsrs.Review {
				rate(c, at.Add(-24*time.Hour+10*time.Minute), fsrs.Good)
			}
		}
		for _, c := range cards {
			r := fsrs.Good
			if slices.ContainsFunc(bad, func(tag string) bool { return slices.Contains(c.Tags, tag) }) {
				r = fsrs.Again
			}
			rate(c, at, r)
		}
	}
	s.Close()

	now := start.AddDate(0, 0, 41)
	var stats struct {
		Weakest []store.TagScore `json:"weakest"`
	}
	if err := json.Unmarshal([]byte(c.run(now, "", "stats", "--json")), &stats); err != nil {
		t.Fatal(err)
	}
	if len(stats.Weakest) < 3 {
		t.Fatalf("weakest: %+v", stats.Weakest)
	}
	// A tag is forgotten when every card of it is of a bad topic: the
	// bad topics themselves, and topics all of whose questions are of
	// one (caching and messaging: each one question, a performance
	// one). Those and no others are at 0%.
	isBad := func(c deck.Card) bool {
		return slices.ContainsFunc(bad, func(tag string) bool { return slices.Contains(c.Tags, tag) })
	}
	forgotten := func(tag string) bool {
		for _, c := range cards {
			if slices.Contains(c.Tags, tag) && !isBad(c) {
				return false
			}
		}
		return true
	}
	named := map[string]bool{}
	for i, w := range stats.Weakest {
		named[w.Tag] = true
		if !strings.HasPrefix(w.Tag, "topic:") && !strings.HasPrefix(w.Tag, "loop:") {
			t.Errorf("weakest %d is %q, not a topic or loop", i, w.Tag)
		}
		if (w.Retention == 0) != forgotten(w.Tag) {
			t.Errorf("weakest %d: %s at %.0f%% (%d reviews); forgotten: %v", i, w.Tag, w.Retention*100, w.Reviews, forgotten(w.Tag))
		}
		if i > 0 && w.Retention < stats.Weakest[i-1].Retention {
			t.Errorf("weakest %d: %s at %.0f%% after %s at %.0f%%", i, w.Tag, w.Retention*100, stats.Weakest[i-1].Tag, stats.Weakest[i-1].Retention*100)
		}
	}
	for _, tag := range bad {
		if !named[tag] {
			t.Errorf("%s is not among the weakest: %+v", tag, stats.Weakest)
		}
	}
	out := c.run(now, "", "stats")
	if !strings.Contains(out, "\nweakest topics, last 90 days: ") || !strings.Contains(out, " topic:databases 0% (") ||
		!strings.Contains(out, " topic:performance 0% (") {
		t.Fatalf("stats does not name the weak topics:\n%s", out)
	}
}
