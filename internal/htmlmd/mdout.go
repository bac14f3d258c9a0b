package htmlmd

import (
	"strings"
)

// mdOut builds Markdown line by line for ToMarkdown. Block elements
// ask for a line break (1) or a blank line (2) before whatever comes next;
// containers (list items, quotes) add their prefix to every line they
// hold. Inline marks (**, *, ~~, links) open lazily at the next word, so
// "<b> x </b>" gives "**x**" and empty elements give nothing.
type mdOut struct {
	out      strings.Builder // finished lines
	cur      strings.Builder // the line being written
	open     bool            // cur holds a started line (its prefix at least)
	prefix   int             // length of the prefix part of cur
	started  bool            // anything written at all
	trailing int             // newlines at the end of out
	lines    int             // lines in out
	pending  int             // break wanted before the next content
	space    bool            // a space is wanted before the next word
	lead     string          // written after the prefix of the next line ("## ")
	front    bool            // the first line is a front: its start is text whatever it looks like

	conts []*mdContainer
	marks []*mdMark
}

type mdContainer struct {
	tag     string // "ul", "ol", "li", "blockquote"
	marker  string // list item: "- " or "3. ", written on its first line
	indent  string // prefix of the lines after the first
	pending bool   // marker not written yet
	begun   bool   // has written a line (blank lines inside it keep its prefix)
	next    int    // ordered list: number of the next item
	ordered bool
	marks   int // len(marks) when pushed: marks opened inside close with it
}

type mdMark struct {
	tag     string
	kind    string // "strong", "em", "del", "link"; "" for a repeat that writes nothing
	open    string
	close   string
	emitted bool
	href    string
	line    int // for links: where "[" went, to turn [url](url) back into url
	pos     int
}

// Deep nesting is capped: every line repeats its containers' prefixes, so
// unbounded depth would make output grow with depth × lines.
const mdMaxDepth = 12

func (m *mdOut) want(k int) {
	m.pending = max(m.pending, k)
}

// applyBreak ends the current line and adds blank lines as requested.
// Marks open on the line are closed first and reopened at the next word:
// emphasis cannot span paragraphs in Markdown.
func (m *mdOut) applyBreak() {
	k := m.pending
	m.pending = 0
	m.space = false
	if k == 0 || !m.started {
		return
	}
	if m.open {
		m.closeMarksForBreak()
		m.endLine(true)
	}
	for m.trailing < k {
		m.blankLine()
	}
}

func (m *mdOut) closeMarksForBreak() {
	for i := len(m.marks) - 1; i >= 0; i-- {
		mk := m.marks[i]
		if !mk.emitted {
			continue
		}
		m.cur.WriteString(mk.close)
		mk.emitted = false
		if mk.kind == "link" {
			// Reopening a link would repeat its target once per block;
			// the first block keeps it.
			mk.open, mk.close, mk.kind = "", "", ""
		}
	}
}

func (m *mdOut) startLine() {
	if m.open {
		return
	}
	for _, c := range m.conts {
		if c.pending {
			m.cur.WriteString(c.marker)
			c.pending = false
		} else {
			m.cur.WriteString(c.indent)
		}
		c.begun = true
	}
	m.cur.WriteString(m.lead)
	m.lead = ""
	m.prefix = m.cur.Len()
	m.open = true
	m.started = true
}

func (m *mdOut) endLine(trim bool) {
	s := m.cur.String()
	if trim {
		s = strings.TrimRight(s, " \t")
	}
	m.out.WriteString(s)
	m.out.WriteByte('\n')
	m.lines++
	if len(s) > m.prefix || !trim {
		m.trailing = 1
	} else {
		m.trailing++
	}
	m.cur.Reset()
	m.open = false
	m.prefix = 0
}

// blankLine writes an empty line, keeping the "> " of quotes it sits in.
func (m *mdOut) blankLine() {
	var b strings.Builder
	for _, c := range m.conts {
		if c.begun {
			b.WriteString(c.indent)
		}
	}
	m.out.WriteString(strings.TrimRight(b.String(), " "))
	m.out.WriteByte('\n')
	m.lines++
	m.trailing++
}

// lineBreak is <br>: it ends the line even if the line is empty.
func (m *mdOut) lineBreak() {
	if m.pending > 0 {
		m.applyBreak()
	}
	m.space = false
	if m.open {
		m.endLine(true)
		return
	}
	if !m.started {
		m.started = true
		m.trailing = 1
		return
	}
	m.blankLine()
}

// word writes Markdown that belongs to the flow of a paragraph.
func (m *mdOut) word(s string) {
	if s == "" {
		return
	}
	m.begin()
	m.cur.WriteString(s)
}

// text writes a word of text, escaped so that Markdown shows it as it is
// (in a table cell, cell).
func (m *mdOut) text(s string, cell bool) {
	if s == "" {
		return
	}
	lineStart := m.begin() && !(m.front && m.lines == 0)
	m.cur.WriteString(escapeText(s, lineStart, cell))
}

// begin starts a word: the break or space before it and the marks that
// open at it. It reports whether the word starts a line's content.
func (m *mdOut) begin() (lineStart bool) {
	if m.pending > 0 {
		m.applyBreak()
	}
	m.startLine()
	if m.space && m.cur.Len() > m.prefix {
		m.cur.WriteByte(' ')
	}
	m.space = false
	lineStart = m.cur.Len() == m.prefix
	for _, mk := range m.marks {
		if !mk.emitted && mk.open != "" {
			mk.line, mk.pos = m.lineNo(), m.cur.Len()
			m.cur.WriteString(mk.open)
			mk.emitted = true
			lineStart = false
		}
	}
	return lineStart
}

// raw writes s glued to what precedes it (table pipes, fences).
func (m *mdOut) raw(s string) {
	if m.pending > 0 {
		m.applyBreak()
	}
	m.startLine()
	m.space = false
	m.cur.WriteString(s)
}

// codeLine writes one line of a code block, keeping its spaces.
func (m *mdOut) codeLine(s string) {
	m.startLine()
	m.cur.WriteString(s)
	m.endLine(s == "")
}

func (m *mdOut) lineNo() int { return m.lines }

func (m *mdOut) pushMark(tag, kind, open, close, href string) {
	for _, mk := range m.marks {
		if kind != "" && mk.kind == kind {
			kind, open, close = "", "", "" // nested <b><b>: one ** is enough
			break
		}
	}
	m.marks = append(m.marks, &mdMark{tag: tag, kind: kind, open: open, close: close, href: href})
}

// popMark closes the innermost open mark for tag and any opened after it
// (HTML in the wild does not always nest).
func (m *mdOut) popMark(tag string) {
	for i := len(m.marks) - 1; i >= 0; i-- {
		if m.marks[i].tag == tag {
			m.closeMarksFrom(i)
			return
		}
	}
}

func (m *mdOut) closeMarksFrom(i int) {
	for j := len(m.marks) - 1; j >= i; j-- {
		m.closeMark(m.marks[j])
	}
	m.marks = m.marks[:i]
}

func (m *mdOut) closeMark(mk *mdMark) {
	if !mk.emitted || !m.open {
		return
	}
	if mk.kind == "link" && mk.line == m.lineNo() && mk.pos < m.cur.Len() {
		// A link whose text is its target was an autolink: write it bare.
		s := m.cur.String()
		text := s[mk.pos+len(mk.open):]
		if text == mk.href || "mailto:"+text == mk.href {
			m.cur.Reset()
			m.cur.WriteString(s[:mk.pos])
			m.cur.WriteString(text)
			return
		}
	}
	m.cur.WriteString(mk.close)
}

func (m *mdOut) pushContainer(c *mdContainer) bool {
	if len(m.conts) >= mdMaxDepth {
		return false
	}
	c.marks = len(m.marks)
	m.conts = append(m.conts, c)
	return true
}

// popContainer closes the innermost container with tag. stop lists the
// tags that bound the search, as list scopes do for </li>.
func (m *mdOut) popContainer(tag string, stop ...string) bool {
	for i := len(m.conts) - 1; i >= 0; i-- {
		c := m.conts[i]
		if c.tag == tag {
			if c.marks < len(m.marks) {
				m.closeMarksFrom(c.marks)
			}
			m.conts = m.conts[:i]
			return true
		}
		for _, s := range stop {
			if c.tag == s {
				return false
			}
		}
	}
	return false
}

func (m *mdOut) top() *mdContainer {
	if len(m.conts) == 0 {
		return nil
	}
	return m.conts[len(m.conts)-1]
}

func (m *mdOut) inList() bool {
	for _, c := range m.conts {
		if c.tag == "li" {
			return true
		}
	}
	return false
}

func (m *mdOut) finish() string {
	m.closeMarksFrom(0)
	if m.open {
		m.endLine(true)
	}
	return m.out.String()
}
