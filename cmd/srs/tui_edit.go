package main

import (
	"io"
	"os/exec"

	tea "charm.land/bubbletea/v2"

	"github.com/srs-tool/srs/deck"
	"github.com/srs-tool/srs/store"
)

// The review screen's e: the card on screen is edited as srs edit edits
// it (edit.go), with the terminal handed to the editor meanwhile, and is
// then shown again with its new text. The database is not held while the
// editor runs: finding the card and storing the edit are two calls.

// editedMsg says the editor has exited.
type editedMsg struct {
	ed  *cardEdit
	err error
}

// runEditor hands the terminal to an editor and gets it back;
// tea.ExecProcess unless a test runs the editor itself.
type runEditor func(*exec.Cmd, tea.ExecCallback) tea.Cmd

func (m *tuiModel) editCard(string) tea.Cmd {
	c := m.card.Card
	var ed *cardEdit
	return m.do("preparing to edit "+c.Deck+"/"+c.ID, func() (err error) {
		ed, err = prepareEdit(m.quietEnv(), func(s *store.Store) (store.StoredCard, error) { return s.Card(c.Deck, c.ID) })
		return err
	}, func(err error) tea.Cmd {
		if err != nil {
			m.note = oneLine(err.Error())
			return nil
		}
		run := m.runEditor
		if run == nil {
			run = tea.ExecProcess
		}
		return run(editorCommand(m.env.Editor, ed.line, ed.file), func(err error) tea.Msg { return editedMsg{ed, err} })
	})
}

// edited takes the edit in and shows the card again with its new text;
// a card the edit took out of its source (retired) gives way to the next.
func (m *tuiModel) edited(msg editedMsg) tea.Cmd {
	c := m.card
	var (
		res    editResult
		fresh  store.StoredCard
		parent *deck.Card
	)
	return m.do("saving the edit of "+c.Card.Deck+"/"+c.Card.ID, func() (err error) {
		env := m.quietEnv()
		if res, err = msg.ed.finish(env, msg.err); err != nil {
			return err
		}
		return env.with(func(s *store.Store) error {
			if fresh, err = s.Card(c.Card.Deck, c.Card.ID); err != nil {
				return err
			}
			parent = nil
			if fresh.Parent != "" {
				if p, err := s.Card(fresh.Deck, fresh.Parent); err == nil {
					parent = &p.Card
				}
			}
			return nil
		})
	}, func(err error) tea.Cmd {
		if err != nil {
			m.note = oneLine(err.Error())
			return nil
		}
		m.note = res.summary()
		if res.retired || m.card != c {
			return m.next()
		}
		c.Card, c.Parent = fresh.Card, parent
		m.view = viewCache{}
		m.scrollBy(0)
		return nil
	})
}

// quietEnv is the environment for work done under the review screen:
// nothing may print over it.
func (m *tuiModel) quietEnv() *Env {
	e := *m.env
	e.IO = &IO{In: m.env.IO.In, Out: io.Discard, ErrOut: io.Discard}
	return &e
}
