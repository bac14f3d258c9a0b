package prep

import (
	"math"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/srs-tool/srs/deck"
	"github.com/srs-tool/srs/fsrs"
	"github.com/srs-tool/srs/store"
)

var t0 = time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)

func scheduler(t *testing.T, zone string) *fsrs.Scheduler {
	t.Helper()
	st := fsrs.DefaultSettings()
	st.TimeZone = zone
	s, err := fsrs.NewScheduler(st)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestScopeHas(t *testing.T) {
	c := &deck.Card{Deck: "guide", Tags: []string{"section:x", "topic:caching", "loop:system-design"}}
	for _, tc := range []struct {
		s    Scope
		want bool
	}{
		{Scope{}, true},
		{Scope{Deck: "guide"}, true},
		{Scope{Deck: "other"}, false},
		{Scope{Loops: []string{"debugging", "system-design"}}, true},
		{Scope{Loops: []string{"debugging"}}, false},
		{Scope{Topics: []string{"caching"}, Loops: []string{"system-design"}}, true},
		{Scope{Topics: []string{"databases"}, Loops: []string{"system-design"}}, false},
		{Scope{Topics: []string{"x"}}, false}, // section:x is no topic
	} {
		if got := tc.s.Has(c); got != tc.want {
			t.Errorf("%+v: %v", tc.s, got)
		}
	}
}

func TestDateStartAndDaysLeft(t *testing.T) {
	for _, tc := range []struct {
		zone, date string
		now        time.Time
		start      time.Time
		left       int
	}{
		{"UTC", "2026-12-20", t0, time.Date(2026, 12, 20, 4, 0, 0, 0, time.UTC), 23},
		{"UTC", "2026-11-28", t0, time.Date(2026, 11, 28, 4, 0, 0, 0, time.UTC), 1},
		// 02:00 UTC on the 28th is still the 27th's day (it starts at 04:00).
		{"UTC", "2026-11-28", time.Date(2026, 11, 28, 2, 0, 0, 0, time.UTC), time.Date(2026, 11, 28, 4, 0, 0, 0, time.UTC), 1},
		// Across the end of US summer time (2026-11-01): 7 calendar days.
		{"America/Los_Angeles", "2026-11-04", time.Date(2026, 10, 28, 20, 0, 0, 0, time.UTC), time.Date(2026, 11, 4, 12, 0, 0, 0, time.UTC), 7},
	} {
		sched := scheduler(t, tc.zone)
		start, err := DateStart(store.Plan{Date: tc.date}, sched)
		if err != nil {
			t.Fatal(err)
		}
		if !start.Equal(tc.start) {
			t.Errorf("%s %s: starts %v, want %v", tc.zone, tc.date, start, tc.start)
		}
		if got := daysBetween(sched.DayOf(tc.now).Start, start, sched.Location()); got != tc.left {
			t.Errorf("%s %s from %v: %d days, want %d", tc.zone, tc.date, tc.now, got, tc.left)
		}
	}
}

func TestQuota(t *testing.T) {
	d := &Day{Plan: store.Plan{Minutes: 30}, Left: 21, Costs: Costs{Seconds: 60, NewAnswers: 2, ReviewAnswers: 1}}
	for _, tc := range []struct {
		left int
		l    Load
		want Quota
	}{
		// 136 cards over 18 days: 8 a day, but the user's own 10 is more.
		{21, Load{Unseen: 136, NewPerDay: 10}, Quota{New: 10, Seconds: 1620}},
		{21, Load{Unseen: 136, NewPerDay: 5}, Quota{New: 8, Seconds: 1620}},
		// Counted over the day: 3 introduced today, 5 to come.
		{21, Load{Unseen: 133, NewToday: 3, Spent: 360, NewPerDay: 5}, Quota{New: 5, Seconds: 1260}},
		// In the final days everything left, and never below zero seconds.
		{3, Load{Unseen: 40, Spent: 5000}, Quota{New: 40}},
		{0, Load{Unseen: 40}, Quota{}},
	} {
		d.Left = tc.left
		if got := d.Quota(tc.l); got != tc.want {
			t.Errorf("%d days, %+v: %+v, want %+v", tc.left, tc.l, got, tc.want)
		}
	}
}

// A group's chain is a day for each of its cards still to introduce.
func TestChain(t *testing.T) {
	for _, tc := range []struct {
		kind      deck.Kind
		followUps int
		want      int
	}{
		{deck.KindQuestion, 4, 5}, // the question, then four follow-ups a day apart
		{deck.KindQuestion, 0, 1},
		{deck.KindFollowUp, 3, 3}, // itself and two more
		{deck.KindProbe, 0, 1},
	} {
		if got := Chain(tc.kind, tc.followUps); got != tc.want {
			t.Errorf("Chain(%s, %d) = %d, want %d", tc.kind, tc.followUps, got, tc.want)
		}
	}
}

// fixture is a store with one user, deck g of tagged cards and deck h.
func fixture(t *testing.T) *store.Store {
	t.Helper()
	s, err := store.Open(filepath.Join(t.TempDir(), "srs.db"), store.Options{Now: t0})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	st := fsrs.DefaultSettings()
	st.TimeZone, st.Fuzz = "UTC", false
	if err := s.SetSettings("ann", st, t0.Add(-72*time.Hour)); err != nil {
		t.Fatal(err)
	}
	g := &deck.Deck{Name: "g", Source: "g.md"}
	for _, c := range []struct{ id, kind, tags string }{
		{"q1", "question", "topic:caching loop:system-design"},
		{"q2", "question", "topic:databases loop:system-design loop:debugging"},
		{"p1", "probe", "loop:debugging"},
	} {
		g.Cards = append(g.Cards, deck.Card{ID: c.id, Deck: "g", Kind: deck.Kind(c.kind), Front: c.id, Back: "b", Tags: strings.Fields(c.tags)})
	}
	h := &deck.Deck{Name: "h", Source: "h.md", Cards: []deck.Card{{ID: "x", Deck: "h", Kind: deck.KindBasic, Front: "x", Back: "b"}}}
	for _, d := range []*deck.Deck{g, h} {
		if _, err := s.ImportDeck(d, store.ImportOptions{Now: t0.Add(-72 * time.Hour)}); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

func TestCheck(t *testing.T) {
	s := fixture(t)
	for _, tc := range []struct {
		p    store.Plan
		want string
	}{
		{store.Plan{Date: "2026-12-20"}, ""},
		{store.Plan{Date: "2026-12-20", Loops: []string{"debugging"}, Topics: []string{"databases"}}, ""},
		{store.Plan{Date: "2026-11-27"}, "date 2026-11-27 is today: a plan needs a day before its date"},
		{store.Plan{Date: "2025-01-01"}, "date 2025-01-01 has passed (today is 2026-11-27)"},
		{store.Plan{Date: "2026-02-30"}, `date "2026-02-30": want YYYY-MM-DD`},
		{store.Plan{Date: "2026-12-20", Deck: "nope"}, `no deck "nope"; ` + "`srs decks` lists them"},
		{store.Plan{Date: "2026-12-20", Loops: []string{"behavioral"}}, `unknown loop "behavioral"; the loops of any deck: debugging, system-design`},
		{store.Plan{Date: "2026-12-20", Topics: []string{"cach"}}, `unknown topic "cach"; the topics of any deck: caching, databases`},
		{store.Plan{Date: "2026-12-20", Deck: "h", Loops: []string{"debugging"}}, `unknown loop "debugging": no card in deck h has a loop: tag`},
		{store.Plan{Date: "2026-12-20", Loops: []string{"debugging"}, Topics: []string{"caching"}}, "no card of any deck is in scope of debugging caching"},
	} {
		tc.p.Minutes, tc.p.Target = 30, 0.9
		err := s.Read("ann", func(r *store.Reader) error { return Check(r, tc.p, t0) })
		if tc.want == "" && err != nil || tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
			t.Errorf("%+v: %v, want %q", tc.p, err, tc.want)
		}
	}
}

func TestReadiness(t *testing.T) {
	s := fixture(t)
	sched := scheduler(t, "UTC")
	// q1 known well (stability 40 days, last reviewed 5 days ago), the
	// rest new.
	q1 := fsrs.Card{State: fsrs.Review, Stability: 40, Difficulty: 5, LastReview: t0.Add(-5 * 24 * time.Hour), Due: t0.Add(30 * 24 * time.Hour), Reps: 4}
	if _, err := s.Record("ann", store.Change{Card: deck.Key("g", "q1"), Time: t0.Add(-time.Hour), Action: store.ActSet, After: store.CardState{Card: q1}}); err != nil {
		t.Fatal(err)
	}
	p := store.Plan{Date: "2026-12-18", Loops: []string{"system-design", "debugging"}, Minutes: 30, Target: 0.9}
	var r *Readiness
	if err := s.Read("ann", func(rd *store.Reader) (err error) {
		r, err = Read(rd, p, sched, t0)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if r.DaysLeft != 21 || r.InScope != 3 || r.Introduced != 1 || r.Label != "system-design+debugging" {
		t.Fatalf("%+v", r)
	}
	want := sched.Retrievability(q1, time.Date(2026, 12, 18, 4, 0, 0, 0, time.UTC))
	if math.Abs(r.Recall-want) > 1e-9 || want < 0.9 {
		t.Fatalf("recall on the day %v, want %v", r.Recall, want)
	}
	// Two cards to learn and review until the date take minutes; q1,
	// recalled above the target on the day, takes only its one review
	// due before it (if any).
	if !(r.Minutes > 0 && r.Minutes < 30) {
		t.Fatalf("minutes a day %v", r.Minutes)
	}
	byName := func(ss []Score) map[string]Score {
		m := map[string]Score{}
		for _, s := range ss {
			m[s.Name] = s
		}
		return m
	}
	loops, topics := byName(r.Loops), byName(r.Topics)
	if loops["system-design"].InScope != 2 || loops["system-design"].Introduced != 1 || loops["debugging"].InScope != 2 || loops["debugging"].Introduced != 0 {
		t.Fatalf("loops %+v", r.Loops)
	}
	if topics["caching"].Recall != r.Recall || topics["databases"].Recall != 0 || len(r.Topics) != 2 {
		t.Fatalf("topics %+v", r.Topics)
	}
	// Debugging has two cards to learn, system design one and q1, which
	// needs nothing before the date: all of the plan's minutes are
	// debugging's.
	if d, sd := loops["debugging"].Minutes, loops["system-design"].Minutes; d <= sd || math.Abs(d-r.Minutes) > 1e-9 {
		t.Fatalf("minutes by loop %+v, all %v", r.Loops, r.Minutes)
	}
}
