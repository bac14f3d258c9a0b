package main

import (
	"errors"
	"fmt"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"github.com/srs-tool/srs/deck"
	"github.com/srs-tool/srs/fsrs"
	"github.com/srs-tool/srs/review"
	"github.com/srs-tool/srs/store"
)

// runTUI is the full-screen face of a review session.
func runTUI(env *Env, sess *review.Session) error {
	m := newTUI(env, sess)
	opts := []tea.ProgramOption{tea.WithOutput(env.IO.Out)}
	if env.IO.InFile != nil {
		opts = append(opts, tea.WithInput(env.IO.InFile))
	}
	if env.NoColor {
		// Bubble Tea reads NO_COLOR only when it parses as true; the
		// convention (no-color.org) is any non-empty value.
		opts = append(opts, tea.WithColorProfile(colorprofile.Ascii))
	}
	_, err := tea.NewProgram(m, opts...).Run()
	m.settle()
	if err != nil {
		return fmt.Errorf("terminal: %w", err)
	}
	fmt.Fprintln(env.IO.Out, summaryText(sess.Summary(), env.Now()))
	return m.err
}

type tuiModel struct {
	env   *Env
	sess  *review.Session
	color bool

	card       *review.Card
	revealed   bool
	context    bool // a follow-up's context shown whole, not folded
	help       bool // the key help replaces the card
	scroll     int
	cardScroll int // the card's scroll while the help shows
	width      int
	height     int
	note       string // one-line feedback: "undone q01", "suspended q02"
	err        error  // fatal: ends the program and is returned

	// Database work runs in tea.Cmds, never in Update, so the screen stays
	// live while another srs process holds the file; busy is the call in
	// flight (one at a time, and keys that change the session wait for it).
	busy     *dbOp
	waiting  bool // busy has taken longer than slowAfter
	inUse    bool // busy found the database in use by another process
	quitting bool // q pressed while busy: quit once it is done
	seq      int
	gate     *dbGate

	view viewCache

	runEditor runEditor // nil: tea.ExecProcess
}

func newTUI(env *Env, sess *review.Session) *tuiModel {
	return &tuiModel{env: env, sess: sess, color: !env.NoColor, width: 80, height: 24, gate: &dbGate{}}
}

// dbGate lets session calls run one at a time until the screen ends;
// after that none starts, so the session's Close never runs beside one.
type dbGate struct {
	mu     sync.Mutex // held while a session call runs
	closed bool
}

// dbOp is one session call. run happens off the UI goroutine through the
// gate; done happens in Update with its result. A call that finds the
// database in use (store.ErrInUse, after the lock timeout) is run again:
// another process's export or backup makes the session wait, not end.
type dbOp struct {
	seq  int
	what string // "rating guide/q01": named if the program ends before it does
	run  func() error
	done func(error) tea.Cmd

	// Set by run's goroutine holding the gate, for settle.
	finished bool
	err      error
}

type dbDoneMsg struct {
	op  *dbOp
	err error
}

type dbSlowMsg struct{ seq int }

// slowAfter is how long a database call runs before the screen says it
// is waiting: long enough that an ordinary rating never flashes it.
const slowAfter = 300 * time.Millisecond

// do starts a session call.
func (m *tuiModel) do(what string, run func() error, done func(error) tea.Cmd) tea.Cmd {
	m.seq++
	op := &dbOp{seq: m.seq, what: what, run: run, done: done}
	m.busy, m.waiting, m.inUse = op, false, false
	return tea.Batch(m.exec(op), tea.Tick(slowAfter, func(time.Time) tea.Msg { return dbSlowMsg{op.seq} }))
}

// errScreenClosed is what a call gets that was due to start after the
// screen ended.
var errScreenClosed = errors.New("the review screen closed first")

func (m *tuiModel) exec(op *dbOp) tea.Cmd {
	g := m.gate
	return func() tea.Msg {
		g.mu.Lock()
		defer g.mu.Unlock()
		if g.closed {
			return dbDoneMsg{op, errScreenClosed}
		}
		err := op.run()
		op.finished, op.err = true, err
		return dbDoneMsg{op, err}
	}
}

// settle closes the gate, waiting for a session call left running when
// the program ended (ctrl+c while waiting for the database; it ends
// within the lock timeout), and says so if that call did not get
// through.
func (m *tuiModel) settle() {
	m.gate.mu.Lock()
	defer m.gate.mu.Unlock()
	m.gate.closed = true
	op := m.busy
	switch {
	case op == nil:
	case op.err != nil:
		fmt.Fprintf(m.env.IO.ErrOut, "srs: %s not done: %v\n", op.what, op.err)
	case !op.finished:
		fmt.Fprintf(m.env.IO.ErrOut, "srs: %s not done: %v\n", op.what, errScreenClosed)
	}
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
		m.card, m.revealed, m.context, m.scroll = c, false, false, 0
		return nil
	})
}

func (m *tuiModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.scrollBy(0)
	case dbSlowMsg:
		if m.busy != nil && m.busy.seq == msg.seq {
			m.waiting = true
		}
	case dbDoneMsg:
		if msg.op != m.busy {
			return m, nil
		}
		if errors.Is(msg.err, store.ErrInUse) {
			// Opening the store already waited the lock timeout: try
			// again at once, saying so on screen.
			m.waiting, m.inUse = true, true
			return m, m.exec(msg.op)
		}
		m.busy, m.waiting, m.inUse = nil, false, false
		cmd := msg.op.done(msg.err)
		if m.quitting || m.err != nil {
			m.busy = nil // a call done started is not run
			return m, tea.Quit
		}
		return m, cmd
	case tea.KeyPressMsg:
		return m, m.key(msg.String())
	case editedMsg:
		return m, m.edited(msg)
	}
	return m, nil
}

// binding is a key of the review screen: the keys that press it, what
// the help says, and what it does. The help is made from this table, so
// a new key (e for editing the card in $EDITOR) is one entry here.
type binding struct {
	keys  []string
	names string // as the help shows them
	help  string
	// needs is what must hold for the key to act: a card on screen, no
	// database call in flight.
	needs need
	act   func(m *tuiModel, key string) tea.Cmd
}

type need uint8

const (
	needCard need = 1 << iota
	needIdle      // changes the session: waits for the call in flight
)

var bindings []binding

// The table is filled in init because the help it shows is made from it.
func init() {
	bindings = []binding{
		{[]string{"space", "enter"}, "space enter", "show the answer (then space pages down)", needCard, (*tuiModel).reveal},
		{[]string{"1", "2", "3", "4"}, "1 2 3 4", "rate: again, hard, good, easy", needCard | needIdle, (*tuiModel).rate},
		{[]string{"up", "k"}, "↑ k", "scroll up a line", needCard, func(m *tuiModel, _ string) tea.Cmd { m.scrollBy(-1); return nil }},
		{[]string{"down", "j"}, "↓ j", "scroll down a line", needCard, func(m *tuiModel, _ string) tea.Cmd { m.scrollBy(1); return nil }},
		{[]string{"pgup"}, "pgup", "scroll up a page", needCard, func(m *tuiModel, _ string) tea.Cmd { m.scrollBy(-m.page()); return nil }},
		{[]string{"pgdown"}, "pgdn", "scroll down a page", needCard, func(m *tuiModel, _ string) tea.Cmd { m.scrollBy(m.page()); return nil }},
		{[]string{"home", "g"}, "g home", "to the top", needCard, func(m *tuiModel, _ string) tea.Cmd { m.scroll = 0; return nil }},
		{[]string{"end", "G"}, "G end", "to the bottom", needCard, func(m *tuiModel, _ string) tea.Cmd { m.scrollBy(1 << 30); return nil }},
		{[]string{"c"}, "c", "show a follow-up's whole context, or fold it", needCard, (*tuiModel).toggleContext},
		{[]string{"u"}, "u", "undo the last rating, suspend or bury", needIdle, (*tuiModel).undo},
		{[]string{"s"}, "s", "suspend the card", needCard | needIdle, (*tuiModel).suspend},
		{[]string{"b"}, "b", "bury the card until tomorrow", needCard | needIdle, (*tuiModel).bury},
		{[]string{"e"}, "e", "edit the card in $EDITOR (its ID and history stay)", needCard | needIdle, (*tuiModel).editCard},
		{[]string{"?"}, "?", "this help", 0, func(m *tuiModel, _ string) tea.Cmd { m.help, m.cardScroll, m.scroll = true, m.scroll, 0; return nil }},
		{[]string{"q", "esc"}, "q esc", "quit (after a rating still being saved)", 0, (*tuiModel).quit},
		{[]string{"ctrl+c"}, "ctrl+c", "quit now", 0, func(*tuiModel, string) tea.Cmd { return tea.Quit }},
	}
}

func (m *tuiModel) key(k string) tea.Cmd {
	if m.help {
		switch k {
		case "up", "k", "down", "j", "pgup", "pgdown", "home", "g", "end", "G", "ctrl+c":
		default:
			m.help = false // any other key closes the help, and only that
			m.scroll = m.cardScroll
			m.scrollBy(0)
			return nil
		}
	}
	for _, b := range bindings {
		for _, bk := range b.keys {
			if bk != k {
				continue
			}
			switch {
			case b.needs&needCard != 0 && m.card == nil && !m.help:
				return nil
			case b.needs&needIdle != 0 && m.busy != nil:
				return nil
			}
			m.note = ""
			return b.act(m, k)
		}
	}
	return nil
}

func (m *tuiModel) reveal(k string) tea.Cmd {
	if !m.revealed {
		m.revealed = true
		m.scroll = m.scrollFor()
		return nil
	}
	if k == "space" {
		m.scrollBy(m.page())
	}
	return nil
}

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

func (m *tuiModel) quit(string) tea.Cmd {
	if m.busy == nil {
		return tea.Quit
	}
	m.quitting = true
	return nil
}

// toggleContext shows a follow-up's context whole from its start, or
// folds it again and goes back to where the answer shows.
func (m *tuiModel) toggleContext(string) tea.Cmd {
	if m.card.Parent == nil {
		return nil
	}
	m.context = !m.context
	if m.context {
		m.scroll = 0
	} else {
		m.scroll = m.scrollFor()
	}
	return nil
}

// page is how far a page key scrolls: a screenful less one line, so the
// line read last stays in view.
func (m *tuiModel) page() int { return max(1, m.layout().bodyHeight-1) }

func (m *tuiModel) scrollBy(n int) {
	l := m.layout()
	m.scroll = max(0, min(m.scroll+n, len(l.body)-l.bodyHeight))
}

// scrollFor is where a card's view starts: at the top, unless that would
// show fewer than minAnswer lines of a revealed answer; then just far
// enough down to show them.
func (m *tuiModel) scrollFor() int {
	l := m.layout()
	if m.help || !m.revealed || l.answerAt < 0 {
		return 0
	}
	show := min(minAnswer, len(l.body)-l.answerAt)
	return max(0, min(l.answerAt+show-l.bodyHeight, len(l.body)-l.bodyHeight))
}
