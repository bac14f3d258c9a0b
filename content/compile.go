package content

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/srs-tool/srs/deck"
)

// MaxSourceSize bounds what Compile reads. The real guide is ~370 KB; a
// file near the limit is not a guide, and compiling it would only waste
// memory.
const MaxSourceSize = 16 << 20

// Warning is something the compiler worked around that the guide's author
// should know about.
type Warning struct {
	Line int
	Msg  string
	File string // the file given to Compile; String assumes "guide.txt" if empty
}

func (w Warning) String() string {
	file := w.File
	if file == "" {
		file = "guide.txt"
	}
	return fmt.Sprintf("%s:%d: %s", file, w.Line, w.Msg)
}

// Compile turns a study guide into a deck named deckName. file names the
// source in card Sources ("file:line"), warnings and errors. A guide
// without a single recognisable question is an error rather than an empty
// deck, since it almost certainly is not a guide.
func Compile(file string, src []byte, deckName string) (*deck.Deck, []Warning, error) {
	if file == "" {
		file = "guide.txt"
	}
	if len(src) > MaxSourceSize {
		return nil, nil, fmt.Errorf("%s: %d bytes is over the %d MiB limit for a guide", file, len(src), MaxSourceSize>>20)
	}
	if err := deck.ValidateDeckName(deckName); err != nil {
		return nil, nil, fmt.Errorf("%s: %w", file, err)
	}
	c := &compiler{file: file, deckName: deckName, ids: make(map[string]bool)}
	c.lines = c.readLines(src)
	c.scan()
	sort.SliceStable(c.warnings, func(i, j int) bool { return c.warnings[i].Line < c.warnings[j].Line })
	if c.questions == 0 {
		return nil, c.warnings, fmt.Errorf(`%s: no questions found: expected lines like "Q1: ..." or "Interview: ..." followed by a "Strong Answer" line`, file)
	}
	d := &deck.Deck{Name: deckName, Source: file, Cards: c.cards()}
	for _, w := range c.warnings {
		d.Warnings = append(d.Warnings, w.String())
	}
	if err := d.Validate(); err != nil {
		return nil, c.warnings, fmt.Errorf("%s: compiled deck is invalid: %w", file, err)
	}
	return d, c.warnings, nil
}

// mode says what the line being read belongs to.
type mode int

const (
	modeNone    mode = iota // outside any card: intro, tables, editorial notes
	modeUnit                // the answer of a question or follow-up
	modeProbes              // a probe group: quoted lines are probes
	modePrompts             // a prompt group: every line is a prompt
	modePattern             // a probe pattern's explanation
)

type compiler struct {
	file, deckName string
	lines          []string
	warnings       []Warning
	units          []*unit // in source order
	ids            map[string]bool
	patterns       []*unit
	questions      int

	mode       mode
	cur        *unit // receives text in modeUnit and modePattern
	lastQ      *unit // the question follow-ups attach to
	lastQNum   int   // n of the last "Qn:" question
	interviews int
	group      group    // the open probe or prompt group
	joins      []string // sentences separated on the line being read
}

type group struct {
	context string // the header without its colon, shown on probe backs
	slug    string
	loop    string
	n       int // cards so far
}

// A unit is a card under construction.
type unit struct {
	card     deck.Card
	parent   *unit
	lead     string // Markdown before the answer
	answer   *section
	sections []*section
	cur      *section // receives text
	rubric   bool     // no model answer: the back lists the probe patterns
	follows  int      // follow-ups and Going Deeper questions so far
	probes   int      // quoted senior probes so far
}

// maxWarnings keeps a file that is not a guide from producing a warning per
// line: past the first few hundred nobody reads them.
const maxWarnings = 200

func (c *compiler) warn(line int, msg string) {
	switch n := len(c.warnings); {
	case n < maxWarnings:
		c.warnings = append(c.warnings, Warning{Line: line, Msg: msg, File: c.file})
	case n == maxWarnings:
		c.warnings = append(c.warnings, Warning{Line: line, Msg: "too many warnings; the rest are not reported", File: c.file})
	}
}

func (c *compiler) scan() {
	for i, t := range c.lines {
		c.scanLine(i, t)
		c.reportJoins(i + 1)
	}
}

func (c *compiler) scanLine(i int, t string) {
	if t == "" {
		if c.cur != nil && (c.mode == modeUnit || c.mode == modePattern) {
			c.cur.cur.blocks = append(c.cur.cur.blocks, block{gap: true})
		}
		return
	}
	if isNote(t) {
		c.mode, c.cur = modeNone, nil
		return
	}
	if c.startQuestion(i) || c.startFollowUp(i) {
		return
	}
	if c.mode == modeUnit && c.quotedProbe(i) {
		return
	}
	if c.mode != modeUnit && c.startGroup(i) {
		return
	}
	switch c.mode {
	case modeUnit:
		c.addLine(c.cur, t, bodyLabels, true)
	case modePattern:
		c.addLine(c.cur, t, patternLabels, false)
	case modePrompts:
		c.addPrompt(i)
	case modeProbes:
		if isQuoted(t) {
			c.addProbe(i)
		} else {
			c.mode = modeNone
		}
	}
}

// text is the compiler's way in for all card text: it separates the
// sentences the flattened guide glued together and keeps the joins for
// the line's warning.
func (c *compiler) text(s string) string {
	s, joins := separateSentences(s)
	c.joins = append(c.joins, joins...)
	return s
}

// maxJoinsShown keeps a line's warning readable; the count says the rest.
const maxJoinsShown = 4

// reportJoins warns about the joins separated on line n.
func (c *compiler) reportJoins(n int) {
	if len(c.joins) == 0 {
		return
	}
	shown := make([]string, 0, maxJoinsShown)
	for _, j := range c.joins[:min(len(c.joins), maxJoinsShown)] {
		shown = append(shown, strconv.Quote(j))
	}
	msg := "run-together sentences separated: " + strings.Join(shown, ", ")
	if more := len(c.joins) - len(shown); more > 0 {
		msg += fmt.Sprintf(" and %d more", more)
	}
	c.warn(n, msg)
	c.joins = c.joins[:0]
}

// notePrefixes start the guide's editorial paragraphs, which introduce or
// comment on a part of the guide and belong to no card.
var notePrefixes = []string{"These questions ", "These prompts ", "These are the follow-up questions", "Memorize these ", "A note on "}

func isNote(t string) bool {
	for _, p := range notePrefixes {
		if strings.HasPrefix(t, p) {
			return true
		}
	}
	return false
}

// newUnit registers a card that starts at line i.
func (c *compiler) newUnit(i int, id string, kind deck.Kind, front string) *unit {
	u := &unit{card: deck.Card{
		ID:     c.claimID(id, i+1),
		Kind:   kind,
		Front:  front,
		Source: fmt.Sprintf("%s:%d", c.file, i+1),
	}}
	u.answer = &section{}
	u.cur = u.answer
	c.units = append(c.units, u)
	return u
}

// claimID returns id, or id with a suffix if another card has it already,
// because a deck must not hold two cards with one ID.
func (c *compiler) claimID(id string, line int) string {
	got := id
	for k := 2; c.ids[got]; k++ {
		got = fmt.Sprintf("%s-%d", id, k)
	}
	if got != id {
		c.warn(line, fmt.Sprintf("card id %q is already taken; using %q", id, got))
	}
	c.ids[got] = true
	return got
}

// startQuestion starts a question unit if line i is a "Qn:" or
// "Interview:" line followed by an answer heading.
func (c *compiler) startQuestion(i int) bool {
	t := c.lines[i]
	var id, front string
	n, rest, numbered := questionNumber(t)
	switch {
	case numbered:
		front = rest
	case strings.HasPrefix(t, "Interview:"):
		front = strings.TrimSpace(strings.TrimPrefix(t, "Interview:"))
	default:
		return false
	}
	if front == "" {
		return false
	}
	if !isAnswerHeading(c.nextLine(i)) {
		if numbered && n == c.lastQNum+1 {
			c.warn(i+1, fmt.Sprintf("%q looks like question Q%d but no answer heading follows; kept as answer text", clip(t, 40), n))
		}
		return false
	}
	if numbered {
		if n != c.lastQNum+1 {
			c.warn(i+1, fmt.Sprintf("question Q%d follows Q%d; numbering skips or repeats", n, c.lastQNum))
		}
		c.lastQNum = n
		id = fmt.Sprintf("q%02d", n)
	} else {
		c.interviews++
		id = fmt.Sprintf("interview.%d", c.interviews)
	}
	c.questions++
	u := c.newUnit(i, id, deck.KindQuestion, c.text(front))
	c.lastQ, c.cur, c.mode = u, u, modeUnit
	return true
}

// questionNumber parses "Qn: text".
func questionNumber(t string) (n int, rest string, ok bool) {
	if len(t) < 3 || t[0] != 'Q' {
		return 0, "", false
	}
	i := 1
	for i < len(t) && i <= 4 && isDigit(t[i]) {
		n = n*10 + int(t[i]-'0')
		i++
	}
	if i == 1 || i >= len(t) || t[i] != ':' {
		return 0, "", false
	}
	return n, strings.TrimSpace(t[i+1:]), true
}

func (c *compiler) nextLine(i int) string {
	for _, t := range c.lines[i+1:] {
		if t != "" {
			return t
		}
	}
	return ""
}

var followUpPrefixes = []string{"Follow-up:", "Going Deeper:"}

// startFollowUp starts a follow-up of the last question if line i is a
// "Follow-up:" or "Going Deeper:" line.
func (c *compiler) startFollowUp(i int) bool {
	t := c.lines[i]
	for _, p := range followUpPrefixes {
		front, ok := strings.CutPrefix(t, p)
		front = strings.TrimSpace(front)
		if !ok || front == "" {
			continue
		}
		if c.lastQ == nil {
			c.warn(i+1, fmt.Sprintf("%q comes before any question; ignored", clip(t, 40)))
			return false
		}
		q := c.lastQ
		q.follows++
		u := c.newUnit(i, fmt.Sprintf("%s.f%d", q.card.ID, q.follows), deck.KindFollowUp, c.text(front))
		u.parent = q
		u.card.Parent = q.card.ID
		c.cur, c.mode = u, modeUnit
		return true
	}
	return false
}

// quotedProbe turns a senior probe, `“Question?” - Strong answer: ...`,
// into a follow-up of the last question. It is a one-line unit: the lines
// after it go back to the question.
func (c *compiler) quotedProbe(i int) bool {
	t := c.lines[i]
	if !isQuoted(t) {
		return false
	}
	k := strings.Index(t, "Strong answer:")
	if k < 0 {
		return false
	}
	q := strings.TrimRight(t[:k], " -–—")
	q, ok := unquote(q)
	answer := strings.TrimSpace(t[k+len("Strong answer:"):])
	if !ok || q == "" {
		return false
	}
	p := c.lastQ
	p.probes++
	u := c.newUnit(i, fmt.Sprintf("%s.p%d", p.card.ID, p.probes), deck.KindFollowUp, c.text(q))
	u.parent = p
	u.card.Parent = p.card.ID
	if answer != "" {
		u.answer.add(c.text(answer), true)
	}
	c.cur = p
	return true
}

// addLine adds a line of answer text to u, opening a section at each
// label. Labels are found before sentences are separated: the guide glues
// them to the sentence before ("...approach.Contrarian Take: ...").
func (c *compiler) addLine(u *unit, t string, labels []label, withValidate bool) {
	segs := split(t, labels, withValidate)
	// A line that carries a label is prose: list items never do.
	prose := len(segs) > 1 || segs[0].label != nil
	for _, s := range segs {
		if s.label != nil {
			u.open(s.title)
		}
		if s.text != "" {
			u.cur.add(c.text(s.text), prose)
		}
	}
}

func (u *unit) open(title string) {
	if title == "" {
		u.cur = u.answer
		return
	}
	s := &section{title: title}
	u.sections = append(u.sections, s)
	u.cur = s
}

func isQuoted(t string) bool {
	return strings.HasPrefix(t, "“") || strings.HasPrefix(t, `"`)
}

// unquote strips one pair of surrounding quotes, curly or straight.
func unquote(t string) (string, bool) {
	var ok bool
	if t, ok = strings.CutPrefix(t, "“"); !ok {
		if t, ok = strings.CutPrefix(t, `"`); !ok {
			return t, false
		}
	}
	t = strings.TrimSpace(t)
	if s, ok := strings.CutSuffix(t, "”"); ok {
		return strings.TrimSpace(s), true
	}
	if s, ok := strings.CutSuffix(t, `"`); ok {
		return strings.TrimSpace(s), true
	}
	return t, false // opened but not closed
}
