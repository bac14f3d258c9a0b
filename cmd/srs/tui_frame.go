package main

import (
	"errors"
	"fmt"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"github.com/srs-tool/srs/queue"
	"github.com/srs-tool/srs/store"
)

// The review screen (tui.go) and the mock interview's (tui_mock.go) are
// one frame around a card: the frame keeps the size, the scrolling body
// (a follow-up's folded context, the question, the answer), the help,
// the status line and the database calls; each screen, its face, says
// what its header, the lines above the status line, its hints and its
// keys are.

// face is what a screen puts in the frame.
type face interface {
	// item is the card on screen, nil while none is.
	item() *queue.Item
	headerLine(w int) string
	// below are the lines between the body and the status line: the
	// rating buttons once the answer shows, a timer.
	below(w int) []string
	hints() []string
	helpLines(w int) []string
}

// frame is the state both screens share. A screen embeds it and sets
// face to itself.
type frame struct {
	env   *Env
	face  face
	color bool

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
}

func newFrame(env *Env) frame {
	return frame{env: env, color: !env.NoColor, width: 80, height: 24, gate: &dbGate{}}
}

// base is the frame of a screen, for the key bindings both share.
func (f *frame) base() *frame { return f }

// runScreen runs a screen's program on the terminal and settles its
// last database call.
func runScreen(env *Env, m tea.Model, f *frame) error {
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
	f.settle()
	if err != nil {
		return fmt.Errorf("terminal: %w", err)
	}
	return nil
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
func (f *frame) do(what string, run func() error, done func(error) tea.Cmd) tea.Cmd {
	f.seq++
	op := &dbOp{seq: f.seq, what: what, run: run, done: done}
	f.busy, f.waiting, f.inUse = op, false, false
	return tea.Batch(f.exec(op), tea.Tick(slowAfter, func(time.Time) tea.Msg { return dbSlowMsg{op.seq} }))
}

// errScreenClosed is what a call gets that was due to start after the
// screen ended.
var errScreenClosed = errors.New("the screen closed first")

func (f *frame) exec(op *dbOp) tea.Cmd {
	g := f.gate
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
func (f *frame) settle() {
	f.gate.mu.Lock()
	defer f.gate.mu.Unlock()
	f.gate.closed = true
	op := f.busy
	switch {
	case op == nil:
	case op.err != nil:
		fmt.Fprintf(f.env.IO.ErrOut, "srs: %s not done: %v\n", op.what, op.err)
	case !op.finished:
		fmt.Fprintf(f.env.IO.ErrOut, "srs: %s not done: %v\n", op.what, errScreenClosed)
	}
}

// update handles the messages both screens get alike: the size and the
// database calls. ok is false for any other message.
func (f *frame) update(msg tea.Msg) (cmd tea.Cmd, ok bool) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		f.width, f.height = msg.Width, msg.Height
		f.scrollBy(0)
	case dbSlowMsg:
		if f.busy != nil && f.busy.seq == msg.seq {
			f.waiting = true
		}
	case dbDoneMsg:
		if msg.op != f.busy {
			return nil, true
		}
		if errors.Is(msg.err, store.ErrInUse) {
			// Opening the store already waited the lock timeout: try
			// again at once, saying so on screen.
			f.waiting, f.inUse = true, true
			return f.exec(msg.op), true
		}
		f.busy, f.waiting, f.inUse = nil, false, false
		cmd := msg.op.done(msg.err)
		if f.quitting || f.err != nil {
			f.busy = nil // a call done started is not run
			return tea.Quit, true
		}
		return cmd, true
	default:
		return nil, false
	}
	return nil, true
}

// binding is a key of a screen: the keys that press it, what the help
// says, and what it does. The help is made from the table, so a new key
// (e for editing the card in $EDITOR) is one entry in it.
type binding[M any] struct {
	keys  []string
	names string // as the help shows them
	help  string
	// needs is what must hold for the key to act: a card on screen, no
	// database call in flight.
	needs need
	act   func(m M, key string) tea.Cmd
}

type need uint8

const (
	needCard need = 1 << iota
	needIdle      // changes the session: waits for the call in flight
)

// screen is a face with its frame: what the shared bindings act on.
type screen interface{ base() *frame }

// scrollBindings are the keys that move through the body, alike on
// both screens.
func scrollBindings[M screen]() []binding[M] {
	return []binding[M]{
		{[]string{"up", "k"}, "↑ k", "scroll up a line", needCard, func(m M, _ string) tea.Cmd { m.base().scrollBy(-1); return nil }},
		{[]string{"down", "j"}, "↓ j", "scroll down a line", needCard, func(m M, _ string) tea.Cmd { m.base().scrollBy(1); return nil }},
		{[]string{"pgup"}, "pgup", "scroll up a page", needCard, func(m M, _ string) tea.Cmd { f := m.base(); f.scrollBy(-f.page()); return nil }},
		{[]string{"pgdown"}, "pgdn", "scroll down a page", needCard, func(m M, _ string) tea.Cmd { f := m.base(); f.scrollBy(f.page()); return nil }},
		{[]string{"home", "g"}, "g home", "to the top", needCard, func(m M, _ string) tea.Cmd { m.base().scroll = 0; return nil }},
		{[]string{"end", "G"}, "G end", "to the bottom", needCard, func(m M, _ string) tea.Cmd { m.base().scrollBy(1 << 30); return nil }},
	}
}

// contextBinding is c, alike on both screens.
func contextBinding[M screen]() binding[M] {
	return binding[M]{[]string{"c"}, "c", "show a follow-up's whole context, or fold it", needCard,
		func(m M, _ string) tea.Cmd { m.base().toggleContext(); return nil }}
}

// helpBinding is ?, alike on both screens.
func helpBinding[M screen]() binding[M] {
	return binding[M]{[]string{"?"}, "?", "this help", 0, func(m M, _ string) tea.Cmd {
		f := m.base()
		f.help, f.cardScroll, f.scroll = true, f.scroll, 0
		return nil
	}}
}

// quitNowBinding is ctrl+c, alike on both screens.
func quitNowBinding[M screen]() binding[M] {
	return binding[M]{[]string{"ctrl+c"}, "ctrl+c", "quit now", 0, func(M, string) tea.Cmd { return tea.Quit }}
}

// pressKey acts on key k by the table bs: while the help shows, any key
// but a scroll closes it, and only that.
func pressKey[M screen](m M, bs []binding[M], k string) tea.Cmd {
	f := m.base()
	if f.help {
		switch k {
		case "up", "k", "down", "j", "pgup", "pgdown", "home", "g", "end", "G", "ctrl+c":
		default:
			f.help = false
			f.scroll = f.cardScroll
			f.scrollBy(0)
			return nil
		}
	}
	for _, b := range bs {
		for _, bk := range b.keys {
			if bk != k {
				continue
			}
			switch {
			case b.needs&needCard != 0 && f.face.item() == nil && !f.help:
				return nil
			case b.needs&needIdle != 0 && f.busy != nil:
				return nil
			}
			f.note = ""
			return b.act(m, k)
		}
	}
	return nil
}

// reveal shows the answer; once it shows, space pages down.
func (f *frame) reveal(k string) {
	if !f.revealed {
		f.revealed = true
		f.scroll = f.scrollFor()
		return
	}
	if k == "space" {
		f.scrollBy(f.page())
	}
}

// quit ends the screen, after the call in flight if there is one.
func (f *frame) quit(string) tea.Cmd {
	if f.busy == nil {
		return tea.Quit
	}
	f.quitting = true
	return nil
}

// show puts a new card on screen, answer hidden, context folded.
func (f *frame) show() { f.revealed, f.context, f.scroll = false, false, 0 }

// toggleContext shows a follow-up's context whole from its start, or
// folds it again and goes back to where the answer shows.
func (f *frame) toggleContext() {
	if f.face.item().Parent == nil {
		return
	}
	f.context = !f.context
	if f.context {
		f.scroll = 0
	} else {
		f.scroll = f.scrollFor()
	}
}

// page is how far a page key scrolls: a screenful less one line, so the
// line read last stays in view.
func (f *frame) page() int { return max(1, f.layout().bodyHeight-1) }

func (f *frame) scrollBy(n int) {
	l := f.layout()
	f.scroll = max(0, min(f.scroll+n, len(l.body)-l.bodyHeight))
}

// scrollFor is where a card's view starts: at the top, unless that would
// show fewer than minAnswer lines of a revealed answer; then just far
// enough down to show them.
func (f *frame) scrollFor() int {
	l := f.layout()
	if f.help || !f.revealed || l.answerAt < 0 {
		return 0
	}
	show := min(minAnswer, len(l.body)-l.answerAt)
	return max(0, min(l.answerAt+show-l.bodyHeight, len(l.body)-l.bodyHeight))
}
