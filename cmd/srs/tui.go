package main

import (
	"errors"
	"fmt"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/srs-tool/srs/deck"
	"github.com/srs-tool/srs/fsrs"
	"github.com/srs-tool/srs/queue"
	"github.com/srs-tool/srs/review"
)

// runTUI is the full-screen face of a review session.
func runTUI(env *Env, sess *review.Session) error {
	m := newTUI(env, sess)
	if err := runScreen(env, m, &m.frame); err != nil {
		return err
	}
	fmt.Fprintln(env.IO.Out, summaryText(sess.Summary(), env.Now()))
	return m.err
}

type tuiModel struct {
	frame
	sess *review.Session
	card *review.Card

	runEditor runEditor // nil: tea.ExecProcess
}

func newTUI(env *Env, sess *review.Session) *tuiModel {
	m := &tuiModel{frame: newFrame(env), sess: sess}
	m.face = m
	return m
}

func (m *tuiModel) item() *queue.Item {
	if m.card == nil {
		return nil
	}
	return &m.card.Item
}

func (m *tuiModel) Init() tea.Cmd { return m.next() }

// next loads the next card; the session ends when there is none.
func (m *tuiModel) next() tea.Cmd {
	var c *review.Card
	return m.do("loading the next card", func() (err error) {
		c, err = m.sess.Next()
		return err
	}, func(err error) tea.Cmd {
		if err != nil {
			m.err = err
			return tea.Quit
		}
		if c == nil {
			return tea.Quit
		}
		m.card = c
		m.show()
		return nil
	})
}

func (m *tuiModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if cmd, ok := m.update(msg); ok {
		return m, cmd
	}
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		return m, pressKey(m, bindings, msg.String())
	case editedMsg:
		return m, m.edited(msg)
	}
	return m, nil
}

// bindings are the review screen's keys.
var bindings []binding[*tuiModel]

// The table is filled in init because the help it shows is made from it.
func init() {
	bindings = append([]binding[*tuiModel]{
		{[]string{"space", "enter"}, "space enter", "show the answer (then space pages down)", needCard,
			func(m *tuiModel, k string) tea.Cmd { m.reveal(k); return nil }},
		{[]string{"1", "2", "3", "4"}, "1 2 3 4", "rate: again, hard, good, easy", needCard | needIdle, (*tuiModel).rate},
	}, scrollBindings[*tuiModel]()...)
	bindings = append(bindings,
		contextBinding[*tuiModel](),
		binding[*tuiModel]{[]string{"u"}, "u", "undo the last rating, suspend or bury", needIdle, (*tuiModel).undo},
		binding[*tuiModel]{[]string{"s"}, "s", "suspend the card", needCard | needIdle, (*tuiModel).suspend},
		binding[*tuiModel]{[]string{"b"}, "b", "bury the card until tomorrow", needCard | needIdle, (*tuiModel).bury},
		binding[*tuiModel]{[]string{"e"}, "e", "edit the card in $EDITOR (its ID and history stay)", needCard | needIdle, (*tuiModel).editCard},
		helpBinding[*tuiModel](),
		binding[*tuiModel]{[]string{"q", "esc"}, "q esc", "quit (after a rating still being saved)", 0, (*tuiModel).quit},
		quitNowBinding[*tuiModel](),
	)
}

func (m *tuiModel) helpLines(w int) []string { return helpLines(bindings, w, m.color) }

func (m *tuiModel) rate(k string) tea.Cmd {
	if !m.revealed {
		m.note = "reveal the answer first (space)"
		return nil
	}
	r, _ := fsrs.ParseRating(k)
	c := m.card
	// The key press ends the card's answer time, not the write: a
	// rating that waits for the database does not count the wait.
	pressed := time.Now()
	return m.do("rating "+c.Card.Deck+"/"+c.Card.ID, func() error {
		_, err := m.sess.Answer(c, r, pressed)
		return err
	}, func(err error) tea.Cmd {
		switch {
		case errors.Is(err, review.ErrSkipped):
			m.note = err.Error()
		case err != nil:
			m.err = err
			return tea.Quit
		}
		return m.next()
	})
}

func (m *tuiModel) undo(string) tea.Cmd {
	var c deck.Card
	return m.do("undo", func() (err error) {
		c, err = m.sess.Undo()
		return err
	}, func(err error) tea.Cmd {
		switch {
		case errors.Is(err, review.ErrNothingToUndo):
			m.note = "nothing to undo"
			return nil
		case err != nil:
			m.note = "undo failed: " + err.Error()
			return nil
		}
		m.note = "undone " + c.ID
		return m.next()
	})
}

func (m *tuiModel) suspend(string) tea.Cmd {
	c := m.card
	return m.flag("suspending "+c.Card.ID, func() error { return m.sess.Suspend(c) }, "suspended "+c.Card.ID)
}

func (m *tuiModel) bury(string) tea.Cmd {
	c := m.card
	return m.flag("burying "+c.Card.ID, func() error { return m.sess.Bury(c) }, "buried "+c.Card.ID+" until tomorrow")
}

// flag runs a suspend or bury and moves on.
func (m *tuiModel) flag(what string, run func() error, ok string) tea.Cmd {
	return m.do(what, run, func(err error) tea.Cmd {
		if err != nil {
			m.note = err.Error()
			return nil
		}
		m.note = ok
		return m.next()
	})
}
