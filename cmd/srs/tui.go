package main

import (
	"errors"
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/srs-tool/srs/fsrs"
	"github.com/srs-tool/srs/review"
)

// runTUI is the full-screen face of a review session.
func runTUI(env *Env, sess *review.Session) error {
	m := newTUI(env, sess)
	opts := []tea.ProgramOption{tea.WithOutput(env.IO.Out)}
	if env.IO.InFile != nil {
		opts = append(opts, tea.WithInput(env.IO.InFile))
	}
	final, err := tea.NewProgram(m, opts...).Run()
	if err != nil {
		return fmt.Errorf("terminal: %w", err)
	}
	fm := final.(*tuiModel)
	fmt.Fprintln(env.IO.Out, summaryText(sess.Summary(), env.Now()))
	return fm.err
}

type tuiModel struct {
	env      *Env
	sess     *review.Session
	card     *review.Card
	revealed bool
	scroll   int
	width    int
	height   int
	note     string // one-line feedback: "undone q01", "suspended q02"
	err      error  // fatal: ends the program and is returned
	answer   []string
	answerW  int
}

// nextMsg carries the next card (nil: session over) or a failure.
type nextMsg struct {
	card *review.Card
	err  error
}

func newTUI(env *Env, sess *review.Session) *tuiModel {
	return &tuiModel{env: env, sess: sess, width: 80, height: 24}
}

func (m *tuiModel) next() tea.Msg {
	c, err := m.sess.Next()
	return nextMsg{card: c, err: err}
}

func (m *tuiModel) Init() tea.Cmd { return m.next }

func (m *tuiModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.answer = nil
	case nextMsg:
		if msg.err != nil {
			m.err = msg.err
			return m, tea.Quit
		}
		if msg.card == nil {
			return m, tea.Quit
		}
		m.card, m.revealed, m.scroll, m.answer = msg.card, false, 0, nil
	case tea.KeyPressMsg:
		return m.key(msg.String())
	}
	return m, nil
}

func (m *tuiModel) key(k string) (tea.Model, tea.Cmd) {
	if m.card == nil {
		if k == "q" || k == "ctrl+c" || k == "esc" {
			return m, tea.Quit
		}
		return m, nil
	}
	m.note = ""
	switch k {
	case "q", "ctrl+c", "esc":
		return m, tea.Quit
	case "space", " ", "enter":
		if !m.revealed {
			m.revealed = true
			return m, nil
		}
		if k != "enter" {
			m.scrollBy(m.viewHeight() - 1)
		}
		return m, nil
	case "1", "2", "3", "4":
		if !m.revealed {
			m.note = "reveal the answer first (space)"
			return m, nil
		}
		r, _ := fsrs.ParseRating(k)
		if _, err := m.sess.Answer(m.card, r); err != nil {
			if !errors.Is(err, review.ErrSkipped) {
				m.err = err
				return m, tea.Quit
			}
			m.note = err.Error()
		}
		return m, m.advance()
	case "u":
		c, err := m.sess.Undo()
		switch {
		case errors.Is(err, review.ErrNothingToUndo):
			m.note = "nothing to undo"
			return m, nil
		case err != nil:
			m.note = "undo failed: " + err.Error()
			return m, nil
		}
		m.note = "undone " + c.ID
		return m, m.advance()
	case "s":
		return m, m.flag(m.sess.Suspend(m.card), "suspended "+m.card.Card.ID)
	case "b":
		return m, m.flag(m.sess.Bury(m.card), "buried "+m.card.Card.ID+" until tomorrow")
	case "up", "k":
		m.scrollBy(-1)
	case "down", "j":
		m.scrollBy(1)
	case "pgup":
		m.scrollBy(-(m.viewHeight() - 1))
	case "pgdown":
		m.scrollBy(m.viewHeight() - 1)
	case "home", "g":
		m.scroll = 0
	}
	return m, nil
}

func (m *tuiModel) flag(err error, ok string) tea.Cmd {
	if err != nil {
		m.note = err.Error()
		return nil
	}
	m.note = ok
	return m.advance()
}

// advance loads the next card. Until it arrives there is no card on
// screen, so a key pressed twice cannot rate the same card twice.
func (m *tuiModel) advance() tea.Cmd {
	m.card = nil
	return m.next
}

func (m *tuiModel) scrollBy(n int) {
	m.scroll = max(0, min(m.scroll+n, len(m.answerLines())-m.viewHeight()))
}

var (
	dim    = lipgloss.NewStyle().Faint(true)
	bold   = lipgloss.NewStyle().Bold(true)
	accent = lipgloss.NewStyle().Foreground(lipgloss.Color("6")).Bold(true)
	rule   = lipgloss.NewStyle().Faint(true)
)

// answerLines renders the back from Markdown once per card and width.
func (m *tuiModel) answerLines() []string {
	w := max(20, min(m.width-2, 100))
	if m.answer != nil && m.answerW == w {
		return m.answer
	}
	m.answer = renderMarkdown(m.card.Card.Back, w)
	for i, l := range m.answer {
		m.answer[i] = "  " + l
	}
	m.answerW = w
	return m.answer
}

// header is everything above the answer.
func (m *tuiModel) header() []string {
	c := m.card
	w := max(20, m.width)
	title := accent.Render("srs") + dim.Render(fmt.Sprintf(" · %s/%s · %s · %s", c.Card.Deck, c.Card.ID, c.Card.Kind, cardStateName(c)))
	counts := countsLine(c.Counts)
	pad := max(1, w-lipgloss.Width(title)-lipgloss.Width(counts))
	lines := []string{title + strings.Repeat(" ", pad) + counts, rule.Render(strings.Repeat("─", w))}
	if c.Parent != nil {
		lines = append(lines, wrap(dim.Render("Follow-up to: "+c.Parent.Front), w)...)
	}
	lines = append(lines, wrap(bold.Render(c.Card.Front), w)...)
	return append(lines, rule.Render(strings.Repeat("─", w)))
}

func (m *tuiModel) footer() []string {
	help := "space reveal · q quit · u undo · s suspend · b bury"
	lines := []string{}
	if m.revealed {
		lines = append(lines, bold.Render(buttons(m.card)))
		help = "1-4 rate · ↑↓ scroll · u undo · s suspend · b bury · q quit"
	}
	if m.note != "" {
		help = m.note + "   " + dim.Render(help)
	} else {
		help = dim.Render(help)
	}
	return append(lines, help)
}

func (m *tuiModel) viewHeight() int {
	if m.card == nil {
		return 1
	}
	return max(1, m.height-len(m.header())-len(m.footer()))
}

func (m *tuiModel) View() tea.View {
	var b strings.Builder
	switch {
	case m.card == nil:
		b.WriteString("loading…")
	default:
		for _, l := range m.header() {
			b.WriteString(l + "\n")
		}
		h := m.viewHeight()
		body := []string{dim.Render("(space to show the answer)")}
		if m.revealed {
			lines := m.answerLines()
			start := min(m.scroll, max(0, len(lines)-h))
			body = lines[start:min(len(lines), start+h)]
		}
		for i := 0; i < h; i++ {
			if i < len(body) {
				b.WriteString(body[i])
			}
			b.WriteString("\n")
		}
		b.WriteString(strings.Join(m.footer(), "\n"))
	}
	v := tea.NewView(b.String())
	v.AltScreen = true
	v.WindowTitle = "srs review"
	return v
}

func wrap(s string, w int) []string {
	return strings.Split(lipgloss.NewStyle().Width(w).Render(s), "\n")
}
