// Package termmd lays Markdown out for a terminal of a given width:
// headings, emphasis, lists, quotes, code blocks, GitHub tables, wrapped
// so that every line fits and a hyphenated word keeps its hyphen.
//
// It is small on purpose: the usual choice, glamour, pulls in a syntax
// highlighter whose package initialisation alone costs every srs command
// about 20 ms, more than the whole of `srs status` otherwise takes. It
// reads the same Markdown dialect as the HTML renderer the Anki formats
// use, internal/htmlmd (CommonMark with tables, strikethrough and bare
// links), so a card looks alike in srs and in Anki.
//
// Layout choices a reader sees:
//   - A code line wider than the screen is folded, never cut: the rest
//     goes on the next line behind a "↪" in the code's gutter. Folding
//     was chosen over sideways scrolling because an answer is read top to
//     bottom in one pass, and a fold needs no key to find the hidden part.
//   - A table gets aligned columns, its cells wrapped to share the width;
//     when even one word per column cannot fit side by side, each row is
//     printed as a record of "header: value" lines instead.
package termmd

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"charm.land/lipgloss/v2"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Style is a set of text attributes.
type Style uint16

// Attributes a span of text may have; they combine (bold inside italic).
const (
	Bold Style = 1 << iota
	Italic
	Strike
	Code    // inline code and code blocks
	Faint   // link targets, quote bars, gutters, rules
	Heading // headings
)

// Options say how to print.
type Options struct {
	// Color allows colours; without it only attributes (bold, faint,
	// italic) are used, as https://no-color.org asks.
	Color bool
	// Base is added to every span: the question is rendered Bold.
	Base Style
}

// Code block gutters: a code line starts behind codeBar, and the part of a
// long line folded onto the next screen line behind codeFold.
const (
	codeBar  = "│ "
	codeFold = "↪ "
)

var md = goldmark.New(goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.Linkify))

// Render lays out Markdown source in lines no wider than width (at least
// 10) and returns them with their ANSI styling. Trailing blank lines are
// dropped.
func Render(source string, width int, opt Options) []string {
	src := []byte(sanitize(source))
	doc := md.Parser().Parse(text.NewReader(src), parser.WithContext(parser.NewContext()))
	r := &renderer{src: src, width: max(width, 10), base: opt.Base}
	r.blocks(doc, nil, nil)
	for len(r.lines) > 0 && len(r.lines[len(r.lines)-1]) == 0 {
		r.lines = r.lines[:len(r.lines)-1]
	}
	p := newPrinter(opt.Color)
	out := make([]string, len(r.lines))
	for i, l := range r.lines {
		out[i] = p.line(l)
	}
	return out
}

// sanitize makes text safe to measure and print: invalid UTF-8 (measured
// one way whole and another cut up) and control characters other than
// newline (an imported card must not be able to move the cursor or
// retitle the terminal) become U+FFFD; CRLF becomes LF; a tab becomes
// four spaces, the width a terminal would most often give it.
func sanitize(s string) string {
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\t", "    ")
	clean := true
	for _, r := range s {
		if r == utf8.RuneError || isControl(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	return strings.Map(func(r rune) rune {
		if isControl(r) {
			return utf8.RuneError
		}
		return r
	}, strings.ToValidUTF8(s, "\uFFFD"))
}

func isControl(r rune) bool {
	return r != '\n' && (r < 0x20 || r >= 0x7f && r < 0xa0)
}

type renderer struct {
	src   []byte
	width int
	base  Style
	lines [][]span
}

// blank separates blocks with one empty line.
func (r *renderer) blank() {
	if len(r.lines) > 0 && len(r.lines[len(r.lines)-1]) != 0 {
		r.lines = append(r.lines, nil)
	}
}

// emit appends a line: prefix (list bullets, quote bars) then content.
func (r *renderer) emit(prefix, content []span) {
	l := make([]span, 0, len(prefix)+len(content))
	r.lines = append(r.lines, append(append(l, prefix...), content...))
}

// para wraps spans to the width left after the prefix; the first line
// goes after first, the others after rest. A "\n" span is a hard break.
func (r *renderer) para(spans []span, first, rest []span) {
	w := r.width - max(spansWidth(first), spansWidth(rest))
	i := 0
	for _, line := range splitLines(spans) {
		for _, l := range wrap(line, max(w, 1)) {
			p := rest
			if i == 0 {
				p = first
			}
			r.emit(p, l)
			i++
		}
	}
}

// splitLines cuts spans at hard line breaks.
func splitLines(spans []span) [][]span {
	out := [][]span{nil}
	for _, s := range spans {
		parts := strings.Split(s.text, "\n")
		for i, p := range parts {
			if i > 0 {
				out = append(out, nil)
			}
			if p != "" {
				out[len(out)-1] = append(out[len(out)-1], span{p, s.style})
			}
		}
	}
	return out
}

// blocks renders the block children of n; the first child's first line
// goes after first, everything else after rest.
func (r *renderer) blocks(n ast.Node, first, rest []span) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		p := first
		if c != n.FirstChild() {
			p = rest
		}
		r.block(c, p, rest)
	}
}

func (r *renderer) block(n ast.Node, first, rest []span) {
	switch n := n.(type) {
	case *ast.Heading:
		r.blank()
		r.para(r.inline(n, Heading|Bold), first, rest)
		r.lines = append(r.lines, nil)
	case *ast.Paragraph, *ast.TextBlock:
		if _, tight := n.(*ast.TextBlock); !tight {
			r.blank()
		}
		r.para(r.inline(n, 0), first, rest)
	case *ast.List:
		if _, nested := n.Parent().(*ast.ListItem); !nested {
			r.blank()
		}
		num := n.Start
		for item := n.FirstChild(); item != nil; item = item.NextSibling() {
			bullet := "• "
			if n.IsOrdered() {
				bullet = strconv.Itoa(num) + ". "
				num++
			}
			p := rest
			if item == n.FirstChild() {
				p = first
			}
			pad := span{strings.Repeat(" ", len([]rune(bullet))), 0}
			r.blocks(item, join(p, span{bullet, 0}), join(rest, pad))
		}
	case *ast.Blockquote:
		r.blank()
		bar := span{"│ ", Faint}
		r.blocks(n, join(first, bar), join(rest, bar))
	case *ast.FencedCodeBlock, *ast.CodeBlock:
		r.blank()
		r.code(n, first, rest)
		r.lines = append(r.lines, nil)
	case *ast.ThematicBreak:
		r.blank()
		r.emit(first, []span{{strings.Repeat("─", min(r.width-spansWidth(first), 40)), Faint}})
		r.lines = append(r.lines, nil)
	case *ast.HTMLBlock:
		lines := n.Lines()
		for i := 0; i < lines.Len(); i++ {
			seg := lines.At(i)
			p := rest
			if i == 0 {
				p = first
			}
			r.para([]span{{strings.TrimRight(string(seg.Value(r.src)), "\n"), r.base}}, p, rest)
		}
	case *east.Table:
		r.blank()
		r.table(n, first, rest)
		r.lines = append(r.lines, nil)
	default:
		r.blocks(n, first, rest)
	}
}

// code prints a code block exactly, each line behind a gutter bar; a line
// wider than the screen folds onto the next behind "↪".
func (r *renderer) code(n ast.Node, first, rest []span) {
	w := r.width - max(spansWidth(first), spansWidth(rest)) - len([]rune(codeBar))
	lines := n.Lines()
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		l := strings.TrimRight(string(seg.Value(r.src)), "\r\n")
		for j, piece := range hardWrap(l, w) {
			p := rest
			if i == 0 && j == 0 {
				p = first
			}
			gutter := codeBar
			if j > 0 {
				gutter = codeFold
			}
			r.emit(join(p, span{gutter, Faint}), []span{{piece, Code | r.base}})
		}
	}
}

func join(prefix []span, s span) []span {
	out := make([]span, 0, len(prefix)+1)
	return append(append(out, prefix...), s)
}

// inline renders a block's inline content as spans, each with st added;
// a hard line break becomes "\n".
func (r *renderer) inline(n ast.Node, st Style) []span {
	st |= r.base
	var out []span
	add := func(s string, st Style) {
		if s != "" {
			out = append(out, span{s, st})
		}
	}
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch c := c.(type) {
		case *ast.Text:
			add(r.text(c.Segment.Value(r.src), c.IsRaw()), st)
			switch {
			case c.HardLineBreak():
				add("\n", st)
			case c.SoftLineBreak():
				add(" ", st)
			}
		case *ast.String:
			add(r.text(c.Value, c.IsRaw()), st)
		case *ast.CodeSpan:
			var code strings.Builder
			for t := c.FirstChild(); t != nil; t = t.NextSibling() {
				if s, ok := t.(*ast.Text); ok {
					code.Write(s.Segment.Value(r.src))
				}
			}
			add(code.String(), st|Code)
		case *ast.Emphasis:
			if c.Level >= 2 {
				out = append(out, r.inline(c, st|Bold)...)
			} else {
				out = append(out, r.inline(c, st|Italic)...)
			}
		case *east.Strikethrough:
			out = append(out, r.inline(c, st|Strike)...)
		case *ast.Link:
			label := r.inline(c, st)
			out = append(out, label...)
			dest := string(c.Destination)
			if dest != "" && plain(label) != dest {
				add(" ("+dest+")", st|Faint)
			}
		case *ast.AutoLink:
			add(string(c.URL(r.src)), st)
		case *ast.Image:
			alt := plain(r.inline(c, 0))
			if alt == "" {
				alt = string(c.Destination)
			}
			add("[image: "+alt+"]", st|Faint)
		case *ast.RawHTML:
			for i := 0; i < c.Segments.Len(); i++ {
				seg := c.Segments.At(i)
				add(string(seg.Value(r.src)), st)
			}
		default:
			out = append(out, r.inline(c, st)...)
		}
	}
	return out
}

// text resolves backslash escapes and entities ("\*" is "*", "&amp;" is
// "&") as CommonMark does, unless goldmark marked the text raw.
func (r *renderer) text(b []byte, raw bool) string {
	if raw {
		return string(b)
	}
	b = util.UnescapePunctuations(b)
	b = util.ResolveNumericReferences(b)
	b = util.ResolveEntityNames(b)
	return string(b)
}

func plain(spans []span) string {
	var b strings.Builder
	for _, s := range spans {
		b.WriteString(s.text)
	}
	return b.String()
}

// printer turns styled spans into ANSI text.
type printer struct {
	color bool
	cache map[Style]lipgloss.Style
}

func newPrinter(color bool) *printer {
	return &printer{color: color, cache: map[Style]lipgloss.Style{}}
}

func (p *printer) style(st Style) lipgloss.Style {
	if s, ok := p.cache[st]; ok {
		return s
	}
	s := lipgloss.NewStyle()
	if st&(Bold|Heading) != 0 {
		s = s.Bold(true)
	}
	if st&Italic != 0 {
		s = s.Italic(true)
	}
	if st&Strike != 0 {
		s = s.Strikethrough(true)
	}
	if st&Faint != 0 {
		s = s.Faint(true)
	}
	if p.color {
		switch {
		case st&Code != 0:
			s = s.Foreground(lipgloss.Color("3"))
		case st&Heading != 0:
			s = s.Foreground(lipgloss.Color("6"))
		}
	}
	p.cache[st] = s
	return s
}

// line prints one laid-out line, merging neighbouring spans of one style.
func (p *printer) line(spans []span) string {
	var b strings.Builder
	for i := 0; i < len(spans); {
		j := i + 1
		run := spans[i].text
		for j < len(spans) && spans[j].style == spans[i].style {
			run += spans[j].text
			j++
		}
		if spans[i].style == 0 || strings.TrimSpace(run) == "" {
			b.WriteString(run)
		} else {
			b.WriteString(p.style(spans[i].style).Render(run))
		}
		i = j
	}
	return b.String()
}
