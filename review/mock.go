package review

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/srs-tool/srs/deck"
	"github.com/srs-tool/srs/fsrs"
	"github.com/srs-tool/srs/queue"
	"github.com/srs-tool/srs/store"
)

// A mock interview (srs mock) rehearses what an interviewer does: a
// question, then its follow-up probes in order, then the next question,
// until the time is up. The questions are picked at random in scope,
// weighted toward those the user is likely to have forgotten; the
// probes come whatever their own due dates say. Each rating is recorded
// as a review session records one (one short transaction, the card's
// next state from the user's FSRS scheduler) with the log entry marked
// mock: the log stays the one source of truth, a rebuild replays them,
// and the day's queue counts them as reviews done today.

// MockScope narrows the questions a mock picks from: a deck, loops
// and topics (deck.LoopTag, deck.TopicTag), as a plan's scope does.
type MockScope = deck.Scope

// MockConfig is what a mock interview needs from its caller.
type MockConfig struct {
	Open  func() (*store.Store, error)
	User  string
	Scope MockScope
	// Budget is the interview's length: no question is started once it
	// has passed (the one under way is finished, probes and all).
	Budget time.Duration
	// Seed makes the pick repeatable: the same seed over the same
	// states asks the same questions in the same order.
	Seed uint64
	// Now is the scheduling clock (SRS_NOW in tests); Clock the real
	// one, from which answer times and the budget are measured.
	Now   func() time.Time
	Clock func() time.Time
}

// MockQuestion is a question picked for a mock, with the probes that
// follow it.
type MockQuestion struct {
	Card      string   // deck.Key(deck, id)
	FollowUps []string // its follow-ups, in the order the source has them
	// Recall is the predicted recall (FSRS retrievability) of the
	// question when picked; 0 for a card never seen.
	Recall float64
}

// minMockWeight keeps a question the user surely knows in the draw:
// an interviewer may ask it all the same.
const minMockWeight = 0.05

// Mock is one mock interview.
type Mock struct {
	cfg       MockConfig
	sched     *fsrs.Scheduler
	questions []MockQuestion
	inScope   int
	next      int // the question to start next
	chain     []string
	link      int // the card of chain to show next
	started   time.Time
	answers   []MockAnswer
	skipped   []string
	outOfTime bool
	finished  bool // Next found no question left
}

// MockCard is a card on screen in a mock.
type MockCard struct {
	queue.Item
	Question  int // 1-based number of its question in the mock
	FollowUp  int // 0 for the question, else its place among the probes (1-based)
	FollowUps int // probes its question has
	Previews  [4]fsrs.Outcome
	// Shown is when Next handed the card out, by the real clock: its
	// answer time runs from here.
	Shown    time.Time
	answered time.Duration
	revealed bool
}

// MockAnswer is one rated card of a mock.
type MockAnswer struct {
	Card     deck.Card
	Question int // 1-based, as in MockCard
	FollowUp int
	Rating   fsrs.Rating
	// Answered is how long the user took to answer: from the card
	// shown to the answer revealed (or rated, if rated unrevealed).
	Answered time.Duration
	After    store.CardState
}

// Bad reports a probe or question that went badly: rated Again or Hard.
func (a MockAnswer) Bad() bool { return a.Rating == fsrs.Again || a.Rating == fsrs.Hard }

// MockSummary is what a mock did.
type MockSummary struct {
	Answers   []MockAnswer  // in the order given
	Questions int           // questions started
	Time      time.Duration // from the first card shown until Summary was asked for
	// Finished says every question in scope was asked; OutOfTime that
	// the budget ran out first.
	Finished  bool
	OutOfTime bool
	Skipped   []string // cards changed by another session meanwhile
}

// NewMock picks the questions of a mock interview. It fails, naming the
// valid ones, on a loop or topic no card in the deck has, and when no
// question is in scope.
func NewMock(cfg MockConfig) (*Mock, error) {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Clock == nil {
		cfg.Clock = time.Now
	}
	m := &Mock{cfg: cfg}
	now := cfg.Now()
	err := store.With(cfg.Open, func(st *store.Store) error {
		return st.Read(cfg.User, func(r *store.Reader) error {
			settings, err := r.Settings()
			if err != nil {
				return err
			}
			if m.sched, err = fsrs.NewScheduler(settings); err != nil {
				return err
			}
			cands, err := mockCandidates(r, cfg.Scope, m.sched, now)
			if err != nil {
				return err
			}
			m.inScope = len(cands)
			for _, i := range mockOrder(cands, cfg.Seed) {
				m.questions = append(m.questions, cands[i].MockQuestion)
			}
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// Questions are the questions in the order the mock asks them, as far
// as time allows.
func (m *Mock) Questions() []MockQuestion { return m.questions }

// Zone is the user's time zone, in which due times are shown.
func (m *Mock) Zone() *time.Location { return m.sched.Location() }

type mockCandidate struct {
	MockQuestion
	weight float64
}

// mockCandidates are the questions in scope, in key order: cards that
// are no one's follow-up and no generic probe (the guide's universal
// probes and probe patterns are asked after a question, never first),
// neither retired nor suspended, with the scope's tags.
func mockCandidates(r *store.Reader, sc MockScope, sched *fsrs.Scheduler, now time.Time) ([]mockCandidate, error) {
	type card struct {
		store.StoredCard
		pos uint64
	}
	var questions []card
	followUps := map[string][]card{} // question key: its follow-ups
	var names deck.ScopeNames
	err := r.EachMeta(sc.Deck, func(c store.StoredCard, pos uint64) error {
		names.Add(&c.Card)
		switch {
		case c.Retired:
		case c.Parent != "":
			k := deck.Key(c.Deck, c.Parent)
			followUps[k] = append(followUps[k], card{c, pos})
		case c.Kind != deck.KindProbe && c.Kind != deck.KindPattern:
			questions = append(questions, card{c, pos})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if err := names.Check(sc); err != nil {
		return nil, err
	}
	var out []mockCandidate
	for _, q := range questions {
		if !sc.Has(&q.Card) {
			continue
		}
		st, had, err := r.State(q.Key())
		if err != nil {
			return nil, err
		}
		if had && st.Suspended {
			continue
		}
		mq := MockQuestion{Card: q.Key()}
		if had {
			mq.Recall = sched.Retrievability(st.Card, now)
		}
		fs := followUps[q.Key()]
		slices.SortStableFunc(fs, func(a, b card) int {
			if a.pos != b.pos {
				if a.pos < b.pos {
					return -1
				}
				return 1
			}
			return strings.Compare(a.ID, b.ID)
		})
		for _, f := range fs {
			fst, had, err := r.State(f.Key())
			if err != nil {
				return nil, err
			}
			if !had || !fst.Suspended {
				mq.FollowUps = append(mq.FollowUps, f.Key())
			}
		}
		out = append(out, mockCandidate{MockQuestion: mq, weight: max(1-mq.Recall, minMockWeight)})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no questions to ask%s: %s", scopeText(sc), "every card in it is a follow-up, a generic probe, suspended or retired")
	}
	return out, nil
}

// scopeText is " in " and the scope, or "" for every card.
func scopeText(sc MockScope) string {
	if t := sc.String(); t != "" {
		return " in " + t
	}
	return ""
}

// mockOrder is a random order of the candidates in which each next one
// is drawn with probability proportional to its weight among those left
// (weighted sampling without replacement, by Efraimidis and Spirakis'
// keys: u^(1/w) for u uniform in (0,1), largest first). The seed fixes
// it.
func mockOrder(cands []mockCandidate, seed uint64) []int {
	rng := rand.New(rand.NewPCG(seed, 0x6d6f636b)) // "mock"
	keys := make([]float64, len(cands))
	order := make([]int, len(cands))
	for i, c := range cands {
		u := 1 - rng.Float64() // (0,1]: log(0) would be -Inf for every weight
		keys[i] = math.Log(u) / c.weight
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		switch {
		case keys[a] > keys[b]:
			return -1
		case keys[a] < keys[b]:
			return 1
		}
		return 0
	})
	return order
}

// Next returns the card to show now, or nil when the mock is over: the
// questions ran out, or the budget did once the last question's probes
// were asked.
func (m *Mock) Next() (*MockCard, error) {
	for {
		if m.link >= len(m.chain) {
			if m.next >= len(m.questions) {
				m.finished = true
				return nil, nil
			}
			if m.next > 0 && m.cfg.Clock().Sub(m.started) >= m.cfg.Budget {
				m.outOfTime = true
				return nil, nil
			}
			q := m.questions[m.next]
			m.chain = append([]string{q.Card}, q.FollowUps...)
			m.link = 0
			m.next++
		}
		key := m.chain[m.link]
		var it queue.Item
		err := store.With(m.cfg.Open, func(st *store.Store) error {
			return st.Read(m.cfg.User, func(r *store.Reader) (err error) {
				it, err = queue.LoadItem(r, key)
				return err
			})
		})
		if err != nil {
			return nil, err
		}
		m.link++
		if it.State.Suspended {
			// Suspended in another session since the pick: a mock
			// does not bring it back.
			m.skipped = append(m.skipped, it.Card.ID)
			continue
		}
		now := m.cfg.Now()
		c := &MockCard{Item: it, Question: m.next, FollowUp: m.link - 1, FollowUps: len(m.chain) - 1, Shown: m.cfg.Clock()}
		if m.started.IsZero() {
			m.started = c.Shown
		}
		if c.Previews, err = m.sched.Preview(schedulable(it.State.Card, now), now); err != nil {
			return nil, fmt.Errorf("card %s: %w", it.Card.ID, err)
		}
		return c, nil
	}
}

// Reveal marks the answer shown at at (the real clock; zero: now) and
// returns the time the user took to answer. Revealing again keeps the
// first time.
func (m *Mock) Reveal(c *MockCard, at time.Time) time.Duration {
	if !c.revealed {
		if at.IsZero() {
			at = m.cfg.Clock()
		}
		c.answered, c.revealed = max(at.Sub(c.Shown), 0), true
	}
	return c.answered
}

// Answer records rating r for c as a mock's (the log entry marked so)
// and returns the card's new state: the state FSRS gives the rating, as
// in a review session. The time logged runs from the card shown to
// pressed, the key press, capped at MaxAnswerTime as a session's is.
func (m *Mock) Answer(c *MockCard, r fsrs.Rating, pressed time.Time) (store.CardState, error) {
	now := m.cfg.Now()
	if pressed.IsZero() {
		pressed = m.cfg.Clock()
	}
	answered := m.Reveal(c, pressed)
	spent := min(max(pressed.Sub(c.Shown), 0), MaxAnswerTime)
	next, err := m.sched.Next(schedulable(c.State.Card, now), now, r)
	if err != nil {
		return store.CardState{}, err
	}
	after := store.CardState{Card: next, Suspended: c.State.Suspended}
	err = store.With(m.cfg.Open, func(st *store.Store) error {
		_, err := st.Record(m.cfg.User, store.Change{Card: c.Card.Key(), Time: now, Action: store.ActRate, Rating: r,
			Duration: spent, Before: c.State, HadState: c.HadState, After: after, Mock: true})
		return err
	})
	if errors.Is(err, store.ErrConflict) {
		m.skipped = append(m.skipped, c.Card.ID)
		return after, fmt.Errorf("card %s %w", c.Card.ID, ErrSkipped)
	}
	if err != nil {
		return after, err
	}
	m.answers = append(m.answers, MockAnswer{Card: c.Card, Question: c.Question, FollowUp: c.FollowUp,
		Rating: r, Answered: answered, After: after})
	return after, nil
}

// Summary reports what the mock did so far.
func (m *Mock) Summary() MockSummary {
	s := MockSummary{Answers: m.answers, Questions: m.next, OutOfTime: m.outOfTime,
		Finished: m.finished, Skipped: m.skipped}
	if !m.started.IsZero() {
		s.Time = m.cfg.Clock().Sub(m.started)
	}
	return s
}

// Elapsed is the interview's time so far, from the first card shown.
func (m *Mock) Elapsed() time.Duration {
	if m.started.IsZero() {
		return 0
	}
	return m.cfg.Clock().Sub(m.started)
}

// Budget is the interview's length.
func (m *Mock) Budget() time.Duration { return m.cfg.Budget }

// questionPace is what a question takes, probes and all, until the mock
// has finished one to measure: a typical interview question.
const questionPace = 5 * time.Minute

// Expected is about how many questions the mock will ask: as many as
// the budget holds at the pace of those finished so far (questionPace
// before any is), at least the one under way, at most those in scope.
func (m *Mock) Expected() int {
	pace := questionPace
	if done := m.next - 1; done > 0 {
		if e := m.Elapsed(); e > 0 {
			pace = e / time.Duration(done)
		}
	}
	n := int((m.cfg.Budget + pace - 1) / pace)
	return max(min(n, len(m.questions)), m.next)
}

// InScope is how many questions the scope held.
func (m *Mock) InScope() int { return m.inScope }
