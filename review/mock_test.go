package review

import (
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/srs-tool/srs/deck"
	"github.com/srs-tool/srs/fsrs"
	"github.com/srs-tool/srs/store"
)

// mockStore is a database with user ann (UTC, no fuzz) and deck d of
// cards, in the order given (their positions).
func mockStore(t *testing.T, cards ...deck.Card) func() (*store.Store, error) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "srs.db")
	open := func() (*store.Store, error) { return store.Open(path, store.Options{Now: t0}) }
	err := store.With(open, func(s *store.Store) error {
		st := fsrs.DefaultSettings()
		st.TimeZone, st.Fuzz = "UTC", false
		if err := s.SetSettings("ann", st, t0.Add(-time.Hour)); err != nil {
			return err
		}
		d := &deck.Deck{Name: "d", Source: "d.md"}
		for _, c := range cards {
			c.Deck = "d"
			if c.Kind == "" {
				c.Kind = deck.KindBasic
				if c.Parent != "" {
					c.Kind = deck.KindFollowUp
				}
			}
			c.Front, c.Back = "Front "+c.ID, "Back "+c.ID
			d.Cards = append(d.Cards, c)
		}
		_, err := s.ImportDeck(d, store.ImportOptions{Now: t0})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return open
}

// fakeClock is a real clock that moves only when told.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time { return c.t }

func allStates(t *testing.T, open func() (*store.Store, error)) map[string]store.CardState {
	t.Helper()
	out := map[string]store.CardState{}
	err := store.With(open, func(s *store.Store) error {
		return s.EachCardState("ann", store.CardFilter{}, func(c store.StoredCard, st store.CardState, had bool) error {
			if had {
				out[c.Key()] = st
			}
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestMockChainsFollowUps: a mock asks each question and then its
// follow-ups in their source's order (not their IDs'), whatever their
// due dates (new probes of a new question included); generic probes
// are never asked first, suspended cards never; each rating is logged
// as a mock review and moves the card on as a review's would, so a
// rebuild from the log gives the same states.
func TestMockChainsFollowUps(t *testing.T) {
	open := mockStore(t,
		deck.Card{ID: "q1"},
		deck.Card{ID: "q1.z", Parent: "q1"}, // first in the source, last by ID
		deck.Card{ID: "q1.a", Parent: "q1"},
		deck.Card{ID: "q1.s", Parent: "q1"}, // suspended below
		deck.Card{ID: "q2"},
		deck.Card{ID: "q3"}, // suspended below
		deck.Card{ID: "p", Kind: deck.KindProbe},
	)
	now := t0
	err := store.With(open, func(s *store.Store) error {
		for _, id := range []string{"q1.s", "q3"} {
			if _, err := s.Record("ann", store.Change{Card: deck.Key("d", id), Time: now, Action: store.ActSuspend,
				After: store.CardState{Card: fsrs.NewCard(now), Suspended: true}}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	clock := &fakeClock{t: t0}
	m, err := NewMock(MockConfig{Open: open, User: "ann", Budget: time.Hour, Seed: 1,
		Now: func() time.Time { return now }, Clock: clock.now})
	if err != nil {
		t.Fatal(err)
	}
	if m.InScope() != 2 {
		t.Fatalf("%d questions in scope, want 2 (q1, q2)", m.InScope())
	}
	var asked []string
	ratings := []fsrs.Rating{fsrs.Good, fsrs.Hard, fsrs.Again, fsrs.Easy}
	for i := 0; ; i++ {
		c, err := m.Next()
		if err != nil {
			t.Fatal(err)
		}
		if c == nil {
			break
		}
		asked = append(asked, fmt.Sprintf("%s %d/%d", c.Card.ID, c.FollowUp, c.FollowUps))
		clock.t = clock.t.Add(time.Duration(i+1) * time.Minute)
		if got := m.Reveal(c, time.Time{}); got != time.Duration(i+1)*time.Minute {
			t.Fatalf("answer time %v, want %v", got, time.Duration(i+1)*time.Minute)
		}
		clock.t = clock.t.Add(5 * time.Second)
		if _, err := m.Answer(c, ratings[i%4], time.Time{}); err != nil {
			t.Fatal(err)
		}
	}
	want1 := []string{"q1 0/2", "q1.z 1/2", "q1.a 2/2", "q2 0/0"}
	want2 := []string{"q2 0/0", "q1 0/2", "q1.z 1/2", "q1.a 2/2"}
	if !reflect.DeepEqual(asked, want1) && !reflect.DeepEqual(asked, want2) {
		t.Fatalf("asked %q, want %q or %q", asked, want1, want2)
	}
	sum := m.Summary()
	if !sum.Finished || sum.OutOfTime || sum.Questions != 2 || len(sum.Answers) != 4 {
		t.Fatalf("summary %+v", sum)
	}
	if sum.Answers[1].Answered != 2*time.Minute || sum.Answers[1].Rating != fsrs.Hard || !sum.Answers[1].Bad() || sum.Answers[0].Bad() {
		t.Fatalf("second answer %+v", sum.Answers[1])
	}
	if want := 10*time.Minute + 20*time.Second; sum.Time != want {
		t.Fatalf("total time %v, want %v", sum.Time, want)
	}

	// The log: four mock ratings after the two suspends, each with
	// the time to its rating.
	var log []string
	err = store.With(open, func(s *store.Store) error {
		return s.EachEntry("ann", false, func(e store.Entry) error {
			_, id := deck.SplitKey(e.Card)
			log = append(log, fmt.Sprintf("%s %s %v %v", id, e.Action, e.Mock, e.Duration))
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(log) != 6 || !strings.HasPrefix(log[2], asked[0][:strings.IndexByte(asked[0], ' ')]+" rate true 1m5s") ||
		!strings.HasSuffix(log[5], "rate true 4m5s") {
		t.Fatalf("log %q", log)
	}
	before := allStates(t, open)
	for _, id := range []string{"q1", "q1.z", "q1.a", "q2"} {
		if st := before[deck.Key("d", id)]; st.State == fsrs.New || st.Reps != 1 {
			t.Fatalf("%s after its mock rating: %+v", id, st)
		}
	}
	var res store.RebuildResult
	if err := store.With(open, func(s *store.Store) (err error) { res, err = s.Rebuild(); return err }); err != nil {
		t.Fatal(err)
	}
	if res.Fixed != 0 || !reflect.DeepEqual(allStates(t, open), before) {
		t.Fatalf("rebuild after a mock: %+v; states changed", res)
	}
}

// TestMockBudget: once the time is up no question is started, but the
// one under way is finished with all its probes.
func TestMockBudget(t *testing.T) {
	open := mockStore(t,
		deck.Card{ID: "q1"}, deck.Card{ID: "q1.f1", Parent: "q1"}, deck.Card{ID: "q1.f2", Parent: "q1"},
		deck.Card{ID: "q2"}, deck.Card{ID: "q2.f1", Parent: "q2"}, deck.Card{ID: "q2.f2", Parent: "q2"},
		deck.Card{ID: "q3"})
	clock := &fakeClock{t: t0}
	now := t0
	m, err := NewMock(MockConfig{Open: open, User: "ann", Budget: 25 * time.Minute, Seed: 7,
		Now: func() time.Time { return now }, Clock: clock.now})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for {
		c, err := m.Next()
		if err != nil {
			t.Fatal(err)
		}
		if c == nil {
			break
		}
		n++
		clock.t = clock.t.Add(10 * time.Minute)
		if _, err := m.Answer(c, fsrs.Good, time.Time{}); err != nil {
			t.Fatal(err)
		}
	}
	sum := m.Summary()
	first := sum.Answers[0].Card.ID
	want := 3 // a question with two probes: 30 minutes, past the 25
	if first == "q3" {
		want = 4 // q3 (10 minutes), then a question and its probes
	}
	if n != want || !sum.OutOfTime || sum.Finished {
		t.Fatalf("asked %d cards (first %s), out of time %v, finished %v; want %d, out of time", n, first, sum.OutOfTime, sum.Finished, want)
	}
}

// TestMockPicksLowRecall: questions the user is likely to have
// forgotten (never seen, here) come first far more often than ones
// just reviewed, which still come up now and then; a seed gives one
// order, every time.
func TestMockPicksLowRecall(t *testing.T) {
	var cards []deck.Card
	for i := range 20 {
		cards = append(cards, deck.Card{ID: fmt.Sprintf("q%02d", i)})
	}
	open := mockStore(t, cards...)
	now := t0
	// The even questions were reviewed an hour ago (Easy: straight to
	// Review, recall near 1); the odd ones never.
	err := store.With(open, func(s *store.Store) error {
		sched, err := fsrs.NewScheduler(mustSettings(t, s))
		if err != nil {
			return err
		}
		at := now.Add(-time.Hour)
		for i := 0; i < 20; i += 2 {
			next, err := sched.Next(fsrs.NewCard(at), at, fsrs.Easy)
			if err != nil {
				return err
			}
			if _, err := s.Record("ann", store.Change{Card: deck.Key("d", cards[i].ID), Time: at, Action: store.ActRate,
				Rating: fsrs.Easy, After: store.CardState{Card: next}}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	order := func(seed uint64) []MockQuestion {
		m, err := NewMock(MockConfig{Open: open, User: "ann", Budget: time.Hour, Seed: seed, Now: func() time.Time { return now }})
		if err != nil {
			t.Fatal(err)
		}
		return m.Questions()
	}
	unseenFirst, seenFirst := 0, 0
	const seeds = 300
	for seed := range uint64(seeds) {
		q := order(seed)
		if len(q) != 20 {
			t.Fatalf("seed %d: %d questions", seed, len(q))
		}
		_, id := deck.SplitKey(q[0].Card)
		var n int
		fmt.Sscanf(id, "q%d", &n)
		if n%2 == 1 {
			unseenFirst++
			if q[0].Recall != 0 {
				t.Fatalf("unseen %s has recall %v", id, q[0].Recall)
			}
		} else {
			seenFirst++
			if q[0].Recall < 0.9 {
				t.Fatalf("%s reviewed an hour ago has recall %v", id, q[0].Recall)
			}
		}
	}
	t.Logf("first question unseen %d times, reviewed %d times", unseenFirst, seenFirst)
	// Expected: 10 unseen of weight 1 against 10 of weight 0.05.
	if unseenFirst < seeds*85/100 || seenFirst == 0 {
		t.Fatalf("first question unseen %d times, reviewed %d times, of %d", unseenFirst, seenFirst, seeds)
	}
	if a, b := order(42), order(42); !reflect.DeepEqual(a, b) {
		t.Fatal("seed 42 gave two orders")
	}
	if reflect.DeepEqual(order(42), order(43)) {
		t.Fatal("seeds 42 and 43 gave one order")
	}
}

func mustSettings(t *testing.T, s *store.Store) fsrs.Settings {
	t.Helper()
	st, err := s.Settings("ann")
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// TestMockScope: --loop and --topic take the tags loop:NAME and
// topic:NAME of questions; a name no card has is refused with the names
// there are; a scope with nothing to ask is an error.
func TestMockScope(t *testing.T) {
	open := mockStore(t,
		deck.Card{ID: "q1", Tags: []string{"topic:databases", "loop:system-design"}},
		deck.Card{ID: "q1.f", Parent: "q1", Tags: []string{"topic:databases", "loop:system-design"}},
		deck.Card{ID: "q2", Tags: []string{"topic:caching", "loop:system-design"}},
		deck.Card{ID: "q3", Tags: []string{"topic:leadership", "loop:behavioral"}},
		deck.Card{ID: "p", Kind: deck.KindProbe, Tags: []string{"loop:debugging"}},
	)
	pick := func(sc MockScope) ([]string, error) {
		m, err := NewMock(MockConfig{Open: open, User: "ann", Scope: sc, Budget: time.Hour, Seed: 3, Now: func() time.Time { return t0 }})
		if err != nil {
			return nil, err
		}
		var ids []string
		for _, q := range m.Questions() {
			_, id := deck.SplitKey(q.Card)
			ids = append(ids, id)
		}
		return ids, nil
	}
	for _, tc := range []struct {
		scope MockScope
		want  string // the questions, sorted, or the error
	}{
		{MockScope{}, "q1 q2 q3"},
		{MockScope{Loops: []string{"system-design"}}, "q1 q2"},
		{MockScope{Topics: []string{"caching"}}, "q2"},
		{MockScope{Loops: []string{"system-design"}, Topics: []string{"leadership"}}, `no questions to ask in loop system-design, topic leadership: every card in it is a follow-up, a generic probe, suspended or retired`},
		{MockScope{Loops: []string{"debugging"}}, `no questions to ask in loop debugging: every card in it is a follow-up, a generic probe, suspended or retired`},
		{MockScope{Loops: []string{"sytem-design"}}, `unknown loop "sytem-design"; the loops of any deck: behavioral, debugging, system-design`},
		{MockScope{Topics: []string{"dbs"}, Deck: "d"}, `unknown topic "dbs"; the topics of deck d: caching, databases, leadership`},
		{MockScope{Deck: "nosuch", Topics: []string{"x"}}, `unknown topic "x": no card in deck nosuch has a topic: tag`},
	} {
		ids, err := pick(tc.scope)
		got := ""
		if err != nil {
			got = err.Error()
		} else {
			slices.Sort(ids)
			got = strings.Join(ids, " ")
		}
		if got != tc.want {
			t.Errorf("%+v: %s\nwant %s", tc.scope, got, tc.want)
		}
	}
}

// TestMockExpectedAndStop: the questions expected follow the pace of
// those finished (a 5-minute guess before any is), never fewer than the
// one under way nor more than in scope; stopping on the last card is not
// finishing.
func TestMockExpectedAndStop(t *testing.T) {
	var cards []deck.Card
	for i := 1; i <= 12; i++ {
		cards = append(cards, deck.Card{ID: fmt.Sprintf("q%02d", i)})
	}
	open := mockStore(t, cards...)
	clock := &fakeClock{t: t0}
	m, err := NewMock(MockConfig{Open: open, User: "ann", Budget: 30 * time.Minute, Seed: 3,
		Now: func() time.Time { return t0 }, Clock: clock.now})
	if err != nil {
		t.Fatal(err)
	}
	for i, tc := range []struct {
		spend time.Duration // on the card before this one
		want  int
	}{
		{0, 6},                // 30 minutes at the guessed 5
		{10 * time.Minute, 3}, // one question in 10 minutes
		{15 * time.Minute, 3}, // two in 25 minutes: 12.5 each
	} {
		clock.t = clock.t.Add(tc.spend)
		c, err := m.Next()
		if err != nil || c == nil {
			t.Fatalf("card %d: %v, %v", i, c, err)
		}
		if got := m.Expected(); got != tc.want {
			t.Errorf("card %d (elapsed %v): expected %d questions, want %d", i+1, m.Elapsed(), got, tc.want)
		}
		if _, err := m.Answer(c, fsrs.Good, time.Time{}); err != nil {
			t.Fatal(err)
		}
	}
	if s := m.Summary(); s.Finished || s.OutOfTime || len(s.Answers) != 3 {
		t.Fatalf("stopped after 3: finished %v, out of time %v, %d answers", s.Finished, s.OutOfTime, len(s.Answers))
	}

	// A mock of one question, stopped on it: not finished; asked to go
	// on, it is.
	open = mockStore(t, deck.Card{ID: "only"})
	m, err = NewMock(MockConfig{Open: open, User: "ann", Budget: time.Hour, Now: func() time.Time { return t0 }, Clock: clock.now})
	if err != nil {
		t.Fatal(err)
	}
	if c, err := m.Next(); err != nil || c == nil {
		t.Fatal(c, err)
	}
	if m.Summary().Finished {
		t.Fatal("finished on its only card, not yet rated")
	}
	if c, err := m.Next(); err != nil || c != nil {
		t.Fatal(c, err)
	}
	if !m.Summary().Finished {
		t.Fatal("not finished after the last card")
	}
}
