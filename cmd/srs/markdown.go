package main

import (
	"strconv"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
)

// renderMarkdown lays out an answer for the terminal: headings, emphasis,
// lists, quotes and code, wrapped to width. It is small on purpose: the
// usual choice, glamour, pulls in a syntax highlighter whose package
// initialisation alone costs every srs command about 20 ms, more than
// the whole of `srs status` otherwise takes.
func renderMarkdown(md string, width int) []string {
	src := []byte(md)
	doc := goldmark.New().Parser().Parse(text.NewReader(src))
	r := &mdRenderer{src: src, width: max(width, 10)}
	r.blocks(doc, "", "")
	for len(r.lines) > 0 && r.lines[len(r.lines)-1] == "" {
		r.lines = r.lines[:len(r.lines)-1]
	}
	return r.lines
}

var (
	mdHeading = lipgloss.NewStyle().Bold(true).Foreground(lipgloss.Color("6"))
	mdBold    = lipgloss.NewStyle().Bold(true)
	mdItalic  = lipgloss.NewStyle().Italic(true)
	mdCode    = lipgloss.NewStyle().Foreground(lipgloss.Color("3"))
	mdDim     = lipgloss.NewStyle().Faint(true)
)

type mdRenderer struct {
	src   []byte
	width int
	lines []string
}

// blank separates blocks with one empty line.
func (r *mdRenderer) blank() {
	if len(r.lines) > 0 && r.lines[len(r.lines)-1] != "" {
		r.lines = append(r.lines, "")
	}
}

// para wraps styled text to the width, the first line after first and the
// others after rest (list bullets and quote bars).
func (r *mdRenderer) para(s, first, rest string) {
	w := r.width - ansi.StringWidth(first)
	for i, l := range strings.Split(ansi.Wordwrap(s, max(w, 10), ""), "\n") {
		prefix := rest
		if i == 0 {
			prefix = first
		}
		r.lines = append(r.lines, prefix+l)
	}
}

// blocks renders the block children of n with the given line prefixes.
func (r *mdRenderer) blocks(n ast.Node, first, rest string) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		p := first
		if c != n.FirstChild() {
			p = rest
		}
		r.block(c, p, rest)
	}
}

func (r *mdRenderer) block(n ast.Node, first, rest string) {
	switch n := n.(type) {
	case *ast.Heading:
		r.blank()
		r.para(mdHeading.Render(r.inline(n)), first, rest)
		r.lines = append(r.lines, "")
	case *ast.Paragraph, *ast.TextBlock:
		if _, tight := n.(*ast.TextBlock); !tight {
			r.blank()
		}
		for i, l := range strings.Split(r.inline(n), "\n") {
			p := rest
			if i == 0 {
				p = first
			}
			r.para(l, p, rest)
		}
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
			pad := strings.Repeat(" ", ansi.StringWidth(bullet))
			p := rest
			if item == n.FirstChild() {
				p = first
			}
			r.blocks(item, p+bullet, rest+pad)
		}
	case *ast.Blockquote:
		r.blank()
		r.blocks(n, first+mdDim.Render("│ "), rest+mdDim.Render("│ "))
	case *ast.FencedCodeBlock, *ast.CodeBlock:
		r.blank()
		lines := n.Lines()
		for i := 0; i < lines.Len(); i++ {
			seg := lines.At(i)
			l := strings.TrimRight(string(seg.Value(r.src)), "\n")
			p := rest
			if i == 0 {
				p = first
			}
			r.lines = append(r.lines, p+"  "+mdCode.Render(ansi.Truncate(l, r.width-4, "…")))
		}
		r.lines = append(r.lines, "")
	case *ast.ThematicBreak:
		r.blank()
		r.lines = append(r.lines, first+mdDim.Render(strings.Repeat("─", min(r.width, 40))), "")
	case *ast.HTMLBlock:
		lines := n.Lines()
		for i := 0; i < lines.Len(); i++ {
			seg := lines.At(i)
			r.para(strings.TrimRight(string(seg.Value(r.src)), "\n"), first, rest)
		}
	default:
		r.blocks(n, first, rest)
	}
}

// inline renders a block's inline content as styled text; hard line
// breaks become newlines.
func (r *mdRenderer) inline(n ast.Node) string {
	var b strings.Builder
	var walk func(n ast.Node)
	walk = func(n ast.Node) {
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			switch c := c.(type) {
			case *ast.Text:
				b.Write(c.Segment.Value(r.src))
				switch {
				case c.HardLineBreak():
					b.WriteString("\n")
				case c.SoftLineBreak():
					b.WriteString(" ")
				}
			case *ast.String:
				b.Write(c.Value)
			case *ast.CodeSpan:
				var code strings.Builder
				for t := c.FirstChild(); t != nil; t = t.NextSibling() {
					if s, ok := t.(*ast.Text); ok {
						code.Write(s.Segment.Value(r.src))
					}
				}
				b.WriteString(mdCode.Render(code.String()))
			case *ast.Emphasis:
				inner := r.inline(c)
				if c.Level >= 2 {
					b.WriteString(mdBold.Render(inner))
				} else {
					b.WriteString(mdItalic.Render(inner))
				}
			case *ast.Link:
				b.WriteString(r.inline(c))
				if dest := string(c.Destination); dest != "" {
					b.WriteString(mdDim.Render(" (" + dest + ")"))
				}
			case *ast.AutoLink:
				b.Write(c.URL(r.src))
			case *ast.Image:
				b.WriteString(mdDim.Render("[image: " + string(c.Destination) + "]"))
			case *ast.RawHTML:
				for i := 0; i < c.Segments.Len(); i++ {
					seg := c.Segments.At(i)
					b.Write(seg.Value(r.src))
				}
			default:
				walk(c)
			}
		}
	}
	walk(n)
	return b.String()
}
