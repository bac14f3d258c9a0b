package main

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/srs-tool/srs/fsrs"
	"github.com/srs-tool/srs/internal/termmd"
	"github.com/srs-tool/srs/queue"
	"github.com/srs-tool/srs/review"
)

// The review screen, top to bottom: a header line (a rule under it on a
// tall terminal); the body, which scrolls: a follow-up's context, the
// question, a rule, the answer; the rating buttons once the answer shows;
// a status line with hints or feedback and the scroll position.
//
// What gives way on a small terminal, first to last: the rule under the
// header, the card ID, kind and deck in the header, the counts' long
// names, the button names; a follow-up's context is folded to two lines
// (c shows it whole). The buttons and the status line always show, and
// a revealed answer opens scrolled so that at least minAnswer of its
// lines are on screen.

// minAnswer is how many lines of a revealed answer are always in view.
const minAnswer = 3

// contextLines is how many lines a folded follow-up context takes.
const contextLines = 2

// layout is the screen cut into parts for the current size and state.
type layout struct {
	header     []string
	body       []string
	answerAt   int // index in body of the answer's first line, -1 before it shows
	bodyHeight int
	buttons    []string
}

// viewCache keeps the body laid out until what it depends on changes:
// rendering Markdown on every key press or frame would be wasted work.
type viewCache struct {
	key      viewKey
	body     []string
	answerAt int
}

type viewKey struct {
	card                    *queue.Item
	width                   int
	revealed, context, help bool
}

func (m *frame) layout() layout {
	l := layout{answerAt: -1}
	w := max(m.width, 20)
	if m.height >= 8 {
		l.header = []string{m.face.headerLine(w)}
		if m.height >= 20 {
			l.header = append(l.header, faintStyle.Render(strings.Repeat("─", w)))
		}
	}
	it := m.face.item()
	if it != nil && !m.help {
		l.buttons = m.face.below(w)
	}
	l.bodyHeight = max(1, m.height-len(l.header)-len(l.buttons)-1)
	if it == nil && !m.help {
		return l
	}
	k := viewKey{it, w, m.revealed, m.context, m.help}
	if m.view.key != k || m.view.body == nil {
		m.view.key = k
		m.view.body, m.view.answerAt = m.renderBody(w)
	}
	l.body, l.answerAt = m.view.body, m.view.answerAt
	return l
}

// margin is the blank column(s) left of the body.
func margin(width int) int {
	if width < 60 {
		return 1
	}
	return 2
}

func (m *frame) renderBody(w int) ([]string, int) {
	mg := margin(w)
	cw := min(w-2*mg, 100)
	opt := termmd.Options{Color: m.color}
	var lines []string
	answerAt := -1
	if m.help {
		lines = m.face.helpLines(cw)
	} else {
		c := m.face.item()
		if c.Parent != nil {
			ctx := termmd.Render("Follow-up to: "+c.Parent.Front, cw, termmd.Options{Color: m.color, Base: termmd.Faint})
			if !m.context && len(ctx) > contextLines {
				ctx = ctx[:contextLines]
				last := &ctx[contextLines-1]
				*last = foldLine(*last, cw)
			}
			lines = append(lines, ctx...)
		}
		lines = append(lines, termmd.Render(c.Card.Front, cw, termmd.Options{Color: m.color, Base: termmd.Bold})...)
		lines = append(lines, faintStyle.Render(strings.Repeat("─", cw)))
		if m.revealed {
			answerAt = len(lines)
			answer := termmd.Render(c.Card.Back, cw, opt)
			if len(answer) == 0 {
				answer = []string{faintStyle.Render("(no answer on this card)")}
			}
			lines = append(lines, answer...)
		} else {
			lines = append(lines, faintStyle.Render("(space shows the answer)"))
		}
	}
	pad := strings.Repeat(" ", mg)
	for i, l := range lines {
		if l != "" {
			lines[i] = pad + l
		}
	}
	return lines, answerAt
}

// foldLine ends a folded context's last line with a mark saying how to
// see the rest, cutting the line at a space if it has to.
func foldLine(line string, w int) string {
	const mark = " … c: more"
	room := w - ansi.StringWidth(mark)
	plain := ansi.Strip(line)
	if ansi.StringWidth(plain) > room {
		cut := ansi.Truncate(plain, room, "")
		if i := strings.LastIndexByte(cut, ' '); i > len(cut)/2 {
			cut = cut[:i]
		}
		line = ansi.Truncate(line, ansi.StringWidth(cut), "")
	}
	return line + faintStyle.Render(mark)
}

// headerLine names the card and the counts left today. Parts give way
// from the least useful while reviewing (the ID) to the most (the
// counts), so that the counts always show. They put the number first
// ("12 new"), so that a card's state ("new") never reads as one of them.
func (m *tuiModel) headerLine(w int) string {
	title := accent(m.color).Render("srs")
	c := m.card
	if c == nil {
		return title
	}
	n := c.Counts
	long := fmt.Sprintf("%d new · %d learning · %d review", n.New, n.Learning, n.Review)
	short := fmt.Sprintf("%d new · %d lrn · %d rev", n.New, n.Learning, n.Review)
	state := cardStateName(c)
	tries := []struct {
		left   []string
		counts string
	}{
		{[]string{c.Card.Deck + "/" + c.Card.ID, string(c.Card.Kind), state}, long},
		{[]string{c.Card.Deck, string(c.Card.Kind), state}, long},
		{[]string{c.Card.Deck, state}, long},
		{[]string{c.Card.Deck, state}, short},
		{[]string{state}, short},
		{nil, short},
	}
	for _, t := range tries {
		left := title
		if len(t.left) > 0 {
			left += faintStyle.Render(" · " + strings.Join(t.left, " · "))
		}
		gap := w - ansi.StringWidth(left) - ansi.StringWidth(t.counts)
		if gap >= 3 {
			return left + strings.Repeat(" ", gap) + t.counts
		}
	}
	return ansi.Truncate(short, w, "…")
}

// below is the rating buttons once the answer shows.
func (m *tuiModel) below(w int) []string {
	if !m.revealed {
		return nil
	}
	return buttonLines(m.card.Previews, w, m.height >= 14, m.color)
}

// buttonLines shows the four ratings with their intervals: on one line
// when it fits, else on two when there is height to spare, else without
// the names ("1 <10m  2 1d  3 3d  4 8d"; ? names them).
func buttonLines(p [4]fsrs.Outcome, w int, twoLines, color bool) []string {
	num := lipgloss.NewStyle().Bold(true)
	if color {
		num = num.Foreground(lipgloss.Color("6"))
	}
	name := lipgloss.NewStyle().Bold(true)
	full := make([]string, len(p))
	bare := make([]string, len(p))
	for i, o := range p {
		r := ratingName(o.Rating)
		iv := review.FormatInterval(o.Interval)
		full[i] = num.Render(fmt.Sprint(i+1)) + " " + name.Render(strings.ToUpper(r[:1])+r[1:]) + " " + iv
		bare[i] = num.Render(fmt.Sprint(i+1)) + " " + iv
	}
	fits := func(parts []string, sep string) bool {
		return ansi.StringWidth(strings.Join(parts, sep)) <= w
	}
	for _, sep := range []string{"   ", "  "} {
		if fits(full, sep) {
			return []string{strings.Join(full, sep)}
		}
	}
	if twoLines && fits(full[:2], "   ") && fits(full[2:], "   ") {
		return []string{strings.Join(full[:2], "   "), strings.Join(full[2:], "   ")}
	}
	return []string{ansi.Truncate(strings.Join(bare, "  "), w, "")}
}

// statusLine is feedback (or, without any, the keys that matter now) on
// the left and the scroll position on the right.
func (m *frame) statusLine(l layout, w int) string {
	var left string
	switch {
	case m.busy != nil && m.quitting:
		left = "saving, then quitting; waiting for the database… (ctrl+c: quit now)"
	case m.busy != nil && m.inUse:
		left = "waiting for the database: another srs process is using it…"
	case m.busy != nil && m.waiting:
		left = "waiting for the database…"
	case m.note != "":
		left = m.note
	}
	right := ""
	if len(l.body) > l.bodyHeight {
		end := min(len(l.body), m.scroll+l.bodyHeight)
		arrows := ""
		if m.scroll > 0 {
			arrows += "↑"
		}
		if end < len(l.body) {
			arrows += "↓"
		}
		right = fmt.Sprintf("%s %d-%d/%d", arrows, m.scroll+1, end, len(l.body))
	}
	room := w - ansi.StringWidth(right)
	if right != "" {
		room--
	}
	if left == "" {
		left = faintStyle.Render(hints(m.face.hints(), room))
	} else {
		left = ansi.Truncate(left, room, "…")
	}
	if right == "" {
		return left
	}
	return left + strings.Repeat(" ", max(1, w-ansi.StringWidth(left)-ansi.StringWidth(right))) + faintStyle.Render(right)
}

// hints are the keys worth a reminder now, most useful first.
func (m *tuiModel) hints() []string {
	switch {
	case m.help:
		return []string{"↑↓ scroll", "any other key closes the help"}
	case m.card == nil:
		return []string{"q quit"}
	case !m.revealed:
		h := []string{"space reveal", "? help", "q quit"}
		if m.card.Parent != nil && !m.context {
			h = append(h, "c context")
		}
		return append(h, "u undo", "s suspend", "b bury", "e edit")
	}
	h := []string{"1-4 rate", "? help", "↑↓ scroll", "q quit"}
	if m.card.Parent != nil && !m.context {
		h = append(h, "c context")
	}
	return append(h, "u undo", "s suspend", "b bury", "e edit")
}

// hints joins as many hints as fit in w, in order, skipping any too long.
func hints(hs []string, w int) string {
	var out []string
	used := 0
	for _, h := range hs {
		add := ansi.StringWidth(h)
		if len(out) > 0 {
			add += 3
		}
		if used+add <= w {
			out = append(out, h)
			used += add
		}
	}
	return strings.Join(out, " · ")
}

// helpLines lists the keys, made from the bindings table.
func helpLines[M any](bindings []binding[M], w int, color bool) []string {
	nameW := 0
	for _, b := range bindings {
		nameW = max(nameW, ansi.StringWidth(b.names))
	}
	bold := lipgloss.NewStyle().Bold(true)
	lines := []string{bold.Render("Keys"), ""}
	for _, b := range bindings {
		text := termmd.Render(b.help, max(10, w-nameW-2), termmd.Options{Color: color})
		for i, t := range text {
			name := ""
			if i == 0 {
				name = b.names
			}
			lines = append(lines, bold.Render(name)+strings.Repeat(" ", nameW-ansi.StringWidth(name)+2)+t)
		}
	}
	lines = append(lines, "")
	lines = append(lines, termmd.Render("In a code block, ↪ starts the rest of a line folded to fit the screen.", w, termmd.Options{Color: color})...)
	return lines
}

func (m *tuiModel) View() tea.View { return screenView(m.screen(), "srs review") }

func screenView(s, title string) tea.View {
	v := tea.NewView(s)
	v.AltScreen = true
	v.WindowTitle = title
	return v
}

// screen is the whole screen as text: exactly height lines, none wider
// than the width.
func (m *frame) screen() string {
	l := m.layout()
	w := max(m.width, 20)
	lines := append([]string{}, l.header...)
	switch {
	case m.face.item() == nil && !m.help:
		msg := "loading…"
		if m.busy != nil && (m.waiting || m.inUse) {
			msg = "" // the status line says what it waits for
		}
		lines = append(lines, msg)
		for i := 1; i < l.bodyHeight; i++ {
			lines = append(lines, "")
		}
	default:
		top := max(0, min(m.scroll, len(l.body)-l.bodyHeight))
		for i := 0; i < l.bodyHeight; i++ {
			line := ""
			if j := top + i; j < len(l.body) {
				line = l.body[j]
			}
			lines = append(lines, line)
		}
	}
	lines = append(lines, l.buttons...)
	lines = append(lines, m.statusLine(l, w))
	if len(lines) > m.height && m.height > 0 {
		lines = lines[len(lines)-m.height:]
	}
	return strings.Join(lines, "\n")
}

// faintStyle is for what frames the card: rules, hints, the scroll
// position. Faint is an attribute, not a colour, so NO_COLOR keeps it.
var faintStyle = lipgloss.NewStyle().Faint(true)

func accent(color bool) lipgloss.Style {
	s := lipgloss.NewStyle().Bold(true)
	if color {
		s = s.Foreground(lipgloss.Color("6"))
	}
	return s
}
