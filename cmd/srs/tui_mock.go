package main

import (
	"errors"
	"fmt"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/srs-tool/srs/fsrs"
	"github.com/srs-tool/srs/queue"
	"github.com/srs-tool/srs/review"
	"github.com/srs-tool/srs/store"
)

// The mock interview's screen is the review screen's frame (tui_frame.go)
// with a header that says where the interview is ("mock · question 2 of
// ~5 · follow-up 1 of 2 · guide/q07" and its time against the budget), a
// clock under the question that runs each second until the answer is
// revealed and then says how long the answer took, and the rating
// buttons. Ratings go through review.Mock as line mode's do. The summary
// is printed once the screen has closed, as line mode prints it.

// runMockTUI is the full-screen face of a mock interview; clock is the
// real clock answer times are read from (the one mk was made with).
func runMockTUI(env *Env, mk *review.Mock, clock func() time.Time, intro string) error {
	m := newMockTUI(env, mk, clock)
	if err := runScreen(env, m, &m.frame); err != nil {
		return err
	}
	fmt.Fprint(env.IO.Out, intro)
	fmt.Fprint(env.IO.Out, mockSummaryText(mk.Summary()))
	return m.err
}

type mockModel struct {
	frame
	mock  *review.Mock
	clock func() time.Time

	card     *review.MockCard
	expected int           // questions the mock should get through, when card came
	started  time.Time     // the first card shown: the interview's start
	answered time.Duration // the card's answer time, once revealed
}

func newMockTUI(env *Env, mk *review.Mock, clock func() time.Time) *mockModel {
	m := &mockModel{frame: newFrame(env), mock: mk, clock: clock}
	m.face = m
	return m
}

func (m *mockModel) item() *queue.Item {
	if m.card == nil {
		return nil
	}
	return &m.card.Item
}

// mockTickMsg redraws the clocks.
type mockTickMsg struct{}

func mockTick() tea.Cmd {
	return tea.Tick(time.Second, func(time.Time) tea.Msg { return mockTickMsg{} })
}

func (m *mockModel) Init() tea.Cmd { return tea.Batch(m.next(), mockTick()) }

// next loads the next question or probe; the mock ends when there is
// none. Only the call touches the mock while it runs: what the header
// needs is read with it.
func (m *mockModel) next() tea.Cmd {
	var (
		c        *review.MockCard
		expected int
	)
	return m.do("loading the next question", func() (err error) {
		if c, err = m.mock.Next(); c != nil {
			expected = m.mock.Expected()
		}
		return err
	}, func(err error) tea.Cmd {
		if err != nil {
			m.err = err
			return tea.Quit
		}
		if c == nil {
			return tea.Quit
		}
		m.card, m.expected, m.answered = c, expected, 0
		if m.started.IsZero() {
			m.started = c.Shown
		}
		m.show()
		return nil
	})
}

func (m *mockModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if cmd, ok := m.update(msg); ok {
		return m, cmd
	}
	switch msg := msg.(type) {
	case mockTickMsg:
		return m, mockTick()
	case tea.KeyPressMsg:
		return m, pressKey(m, mockBindings, msg.String())
	}
	return m, nil
}

// mockBindings are the mock screen's keys: the review screen's, less
// those that change cards (undo, suspend, bury, edit).
var mockBindings []binding[*mockModel]

func init() {
	mockBindings = append([]binding[*mockModel]{
		{[]string{"space", "enter"}, "space enter", "stop the clock and show the answer (then space pages down)", needCard, (*mockModel).revealKey},
		{[]string{"1", "2", "3", "4"}, "1 2 3 4", "rate: again, hard, good, easy (scheduled as a review)", needCard | needIdle, (*mockModel).rate},
	}, scrollBindings[*mockModel]()...)
	mockBindings = append(mockBindings,
		contextBinding[*mockModel](),
		helpBinding[*mockModel](),
		binding[*mockModel]{[]string{"q", "esc"}, "q esc", "stop the mock, keeping what was rated", 0, (*mockModel).quit},
		quitNowBinding[*mockModel](),
	)
}

func (m *mockModel) helpLines(w int) []string { return helpLines(mockBindings, w, m.color) }

func (m *mockModel) revealKey(k string) tea.Cmd {
	if !m.revealed {
		m.answered = m.mock.Reveal(m.card, m.clock())
	}
	m.reveal(k)
	return nil
}

func (m *mockModel) rate(k string) tea.Cmd {
	if !m.revealed {
		m.note = "reveal the answer first (space)"
		return nil
	}
	r, _ := fsrs.ParseRating(k)
	c := m.card
	pressed := m.clock() // the key press, not the write, ends the answer
	var st store.CardState
	return m.do("rating "+c.Card.Deck+"/"+c.Card.ID, func() (err error) {
		st, err = m.mock.Answer(c, r, pressed)
		return err
	}, func(err error) tea.Cmd {
		switch {
		case errors.Is(err, review.ErrSkipped):
			m.note = err.Error()
		case err != nil:
			m.err = err
			return tea.Quit
		default:
			m.note = fmt.Sprintf("recorded %s/%s %s (mock): due %s", c.Card.Deck, c.Card.ID, ratingName(r), fsrs.FormatWhen(st.Due, m.env.Now(), m.mock.Zone()))
		}
		return m.next()
	})
}

// headerLine says where the interview is and its time against the
// budget. Parts give way from the card's ID to the probe's place; the
// time always shows.
func (m *mockModel) headerLine(w int) string {
	title := accent(m.color).Render("mock")
	c := m.card
	if c == nil {
		return title
	}
	right := fmtClock(m.clock().Sub(m.started)) + " / " + fmtClock(m.mock.Budget())
	q := fmt.Sprintf("question %d of ~%d", c.Question, max(m.expected, c.Question))
	qShort := fmt.Sprintf("q%d/~%d", c.Question, max(m.expected, c.Question))
	var probe, probeShort string
	if c.FollowUp > 0 {
		probe = fmt.Sprintf("follow-up %d of %d", c.FollowUp, c.FollowUps)
		probeShort = fmt.Sprintf("probe %d/%d", c.FollowUp, c.FollowUps)
	}
	id := c.Card.Deck + "/" + c.Card.ID
	tries := [][]string{{q, probe, id}, {q, probe}, {qShort, probeShort}, {qShort}, nil}
	for _, t := range tries {
		left := title
		for _, p := range t {
			if p != "" {
				left += faintStyle.Render(" · " + p)
			}
		}
		if gap := w - ansi.StringWidth(left) - ansi.StringWidth(right); gap >= 3 {
			return left + strings.Repeat(" ", gap) + right
		}
	}
	return ansi.Truncate(right, w, "…")
}

// below is the answer clock, then the rating buttons once the answer
// shows.
func (m *mockModel) below(w int) []string {
	if !m.revealed {
		return []string{ansi.Truncate("answering "+accent(m.color).Render(fmtClock(m.clock().Sub(m.card.Shown))), w, "")}
	}
	return append([]string{ansi.Truncate("answered in "+m.answered.Round(time.Second).String(), w, "")},
		buttonLines(m.card.Previews, w, m.height >= 14, m.color)...)
}

// hints are the keys worth a reminder now, most useful first.
func (m *mockModel) hints() []string {
	switch {
	case m.help:
		return []string{"↑↓ scroll", "any other key closes the help"}
	case m.card == nil:
		return []string{"q stop"}
	}
	h := []string{"space reveal", "? help", "q stop"}
	if m.revealed {
		h = []string{"1-4 rate", "? help", "↑↓ scroll", "q stop"}
	}
	if m.card.Parent != nil && !m.context {
		h = append(h, "c context")
	}
	return h
}

func (m *mockModel) View() tea.View { return screenView(m.screen(), "srs mock") }

// fmtClock is a duration as a clock shows it: 0:41, 12:05, 1:02:09;
// rounded as the answer times are, so that the clock stopped at 0:41
// says "answered in 41s".
func fmtClock(d time.Duration) string {
	s := int(max(d, 0).Round(time.Second) / time.Second)
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}
