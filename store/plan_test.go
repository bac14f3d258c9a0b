package store

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/srs-tool/srs/deck"
	"github.com/srs-tool/srs/fsrs"
)

func TestPlans(t *testing.T) {
	s := openTemp(t)
	utcUser(t, s, "ann")
	mustImport(t, s, testDeck("d", deck.Card{ID: "a", Tags: []string{"loop:x"}}, deck.Card{ID: "b"}))

	if ps, err := s.Plans("nobody"); err != nil || ps != nil {
		t.Fatalf("plans of a user not created: %v, %v", ps, err)
	}
	late, err := s.AddPlan("ann", Plan{Date: "2026-12-20", Loops: []string{"x"}, Minutes: 30, Target: 0.9}, t0)
	if err != nil {
		t.Fatal(err)
	}
	early, err := s.AddPlan("ann", Plan{Date: "2026-12-10", Deck: "d", Minutes: 45, Target: 0.95}, t0)
	if err != nil {
		t.Fatal(err)
	}
	if late.ID != 1 || early.ID != 2 || !late.Added.Equal(t0) {
		t.Fatalf("ids %d, %d, added %v", late.ID, early.ID, late.Added)
	}
	ps, err := s.Plans("ann")
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 2 || ps[0].ID != 2 || ps[1].ID != 1 || !slices.Equal(ps[1].Loops, []string{"x"}) {
		t.Fatalf("plans not by date: %+v", ps)
	}

	if _, err := s.RemovePlan("ann", 2); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RemovePlan("ann", 2); !errors.Is(err, ErrNoPlan) {
		t.Fatalf("removing it again: %v", err)
	}
	// Ids are not reused: a removed plan's id never names another.
	if p, err := s.AddPlan("ann", Plan{Date: "2026-12-11", Minutes: 10, Target: 0.8}, t0); err != nil || p.ID != 3 {
		t.Fatalf("next id %d, %v", p.ID, err)
	}
}

func TestPlanRefused(t *testing.T) {
	s := openTemp(t)
	utcUser(t, s, "ann")
	mustImport(t, s, testDeck("d", deck.Card{ID: "a"}))
	for _, tc := range []struct {
		p    Plan
		want string
	}{
		{Plan{Date: "2026-13-01", Minutes: 30, Target: 0.9}, `date "2026-13-01": want YYYY-MM-DD`},
		{Plan{Date: "20.12.2026", Minutes: 30, Target: 0.9}, `date "20.12.2026"`},
		{Plan{Date: "2026-12-20", Minutes: 0, Target: 0.9}, "minutes 0: must be 1..1440"},
		{Plan{Date: "2026-12-20", Minutes: 30, Target: 1}, "target 1: must be between 0 and 1"},
		{Plan{Date: "2026-12-20", Minutes: 30, Target: 0.9, Loops: []string{"a,b"}}, `loop or topic "a,b"`},
		{Plan{Date: "2026-12-20", Minutes: 30, Target: 0.9, Deck: "nope"}, `no deck "nope"`},
	} {
		_, err := s.AddPlan("ann", tc.p, t0)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: %v, want %q", tc.p, err, tc.want)
		}
	}
	if ps, err := s.Plans("ann"); err != nil || len(ps) != 0 {
		t.Fatalf("a refused plan was kept: %+v, %v", ps, err)
	}
}

func TestEachLogBack(t *testing.T) {
	s := openTemp(t)
	utcUser(t, s, "ann")
	mustImport(t, s, testDeck("d", deck.Card{ID: "a"}, deck.Card{ID: "b"}, deck.Card{ID: "c"}))
	var want []string
	for i, id := range []string{"a", "b", "c"} {
		it := itemFor(t, s, "ann", "d", id)
		rate(t, s, "ann", it, t0.Add(time.Duration(i)*time.Hour), fsrs.Good)
		want = append([]string{id}, want...)
	}
	for _, tc := range []struct {
		from, to time.Time
		want     []string
	}{
		{t0, t0.Add(3 * time.Hour), want},
		{t0.Add(time.Hour), t0.Add(2 * time.Hour), []string{"b"}}, // to excluded, from included
		{t0.Add(5 * time.Hour), t0.Add(6 * time.Hour), nil},
		{t0.Add(-time.Hour), t0, nil},
	} {
		var got []string
		err := s.Read("ann", func(r *Reader) error {
			return r.EachLogBack(tc.from, tc.to, nil, func(e Entry) error {
				_, id := deck.SplitKey(e.Card)
				got = append(got, id)
				return nil
			})
		})
		if err != nil || !slices.Equal(got, tc.want) {
			t.Errorf("%v..%v: %v, %v; want %v", tc.from, tc.to, got, err, tc.want)
		}
	}
	var got []string
	err := s.Read("ann", func(r *Reader) error {
		return r.EachLogBack(t0, t0.Add(3*time.Hour), func(card []byte) bool { return string(card) != deck.Key("d", "b") }, func(e Entry) error {
			_, id := deck.SplitKey(e.Card)
			got = append(got, id)
			return nil
		})
	})
	if err != nil || !slices.Equal(got, []string{"c", "a"}) {
		t.Errorf("keeping all but b: %v, %v", got, err)
	}
}
