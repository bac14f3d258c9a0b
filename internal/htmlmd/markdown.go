package htmlmd

import (
	"bufio"
	"bytes"
	stdhtml "html"
	"regexp"
	"strings"
	"sync"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/util"
)

// ToHTML renders a card side for Anki. Line breaks inside a
// paragraph stay line breaks (people write cards line by line), raw HTML
// is shown as text unless it is one of a few harmless inline tags, and
// unsafe link targets are dropped (goldmark's safe mode).
func ToHTML(md string) (string, error) {
	if h, ok := plainParagraph(md); ok {
		return h, nil
	}
	return renderMarkdown(md)
}

// plainParagraph renders the commonest card side, one line of plain
// prose, without goldmark: an .apkg export renders every side of every
// card, goldmark was a quarter of its time, and most questions are such a
// line. What counts as plain is deliberately narrow: a line that starts
// with a letter and holds only ASCII letters, digits, single spaces and
// punctuation that is inert in Markdown mid-line, nothing a link could be
// made of. Within it goldmark writes the text as is, in a paragraph;
// TestPlainParagraphMatchesGoldmark and FuzzPlainParagraph hold the two
// to the same output.
func plainParagraph(md string) (string, bool) {
	if md == "" || len(md) > 1000 || !isASCIILetter(md[0]) || md[len(md)-1] == ' ' {
		return "", false
	}
	for i := 1; i < len(md); i++ {
		switch b := md[i]; {
		case isASCIILetter(b), '0' <= b && b <= '9':
		case b == ' ':
			if md[i-1] == ' ' {
				return "", false
			}
		case strings.IndexByte(",.;:?!'()/%+-=", b) < 0:
			return "", false
		}
	}
	if strings.Contains(md, "://") || strings.Contains(strings.ToLower(md), "www.") {
		return "", false
	}
	return "<p>" + md + "</p>", true
}

func isASCIILetter(b byte) bool { return 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' }

// renderMarkdown is ToHTML through goldmark.
func renderMarkdown(md string) (string, error) {
	var buf bytes.Buffer
	// goldmark wraps any writer that is not a bufio.Writer in a new 4 KiB
	// one per call: an .apkg export renders hundreds of thousands of sides.
	bw := markdownBufWriters.Get().(*bufio.Writer)
	defer func() {
		bw.Reset(nil)
		markdownBufWriters.Put(bw)
	}()
	bw.Reset(&buf)
	if err := markdownRenderer().Convert([]byte(md), bw); err != nil {
		return "", err
	}
	if err := bw.Flush(); err != nil {
		return "", err
	}
	return strings.TrimRight(buf.String(), "\n"), nil
}

var markdownBufWriters = sync.Pool{New: func() any { return bufio.NewWriter(nil) }}

var markdownRenderer = sync.OnceValue(func() goldmark.Markdown {
	return goldmark.New(
		goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.Linkify),
		goldmark.WithRendererOptions(
			html.WithHardWraps(),
			renderer.WithNodeRenderers(util.Prioritized(rawHTMLRenderer{}, 100)),
		),
	)
})

// simpleInlineTag is the raw HTML let through: formatting without
// attributes, which cannot run script or pull in anything remote.
var simpleInlineTag = regexp.MustCompile(`^(?i)(?:</?(?:b|i|u|s|em|strong|del|sub|sup|kbd|mark|small)>|<br\s*/?>)$`)

// rawHTMLRenderer replaces goldmark's "<!-- raw HTML omitted -->" with the
// HTML escaped as text: a card that explains HTML keeps its examples.
type rawHTMLRenderer struct{}

func (rawHTMLRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindRawHTML, renderRawHTML)
	reg.Register(ast.KindHTMLBlock, renderHTMLBlock)
}

func renderRawHTML(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	n := node.(*ast.RawHTML)
	var raw []byte
	for i := 0; i < n.Segments.Len(); i++ {
		seg := n.Segments.At(i)
		raw = append(raw, seg.Value(source)...)
	}
	if simpleInlineTag.Match(raw) {
		w.Write(raw)
	} else {
		w.WriteString(stdhtml.EscapeString(string(raw)))
	}
	return ast.WalkSkipChildren, nil
}

func renderHTMLBlock(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*ast.HTMLBlock)
	var lines []string
	for i := 0; i < n.Lines().Len(); i++ {
		seg := n.Lines().At(i)
		lines = append(lines, strings.TrimRight(string(seg.Value(source)), "\r\n"))
	}
	if n.HasClosure() {
		lines = append(lines, strings.TrimRight(string(n.ClosureLine.Value(source)), "\r\n"))
	}
	for len(lines) > 0 && strings.TrimSpace(lines[len(lines)-1]) == "" {
		lines = lines[:len(lines)-1]
	}
	if len(lines) == 0 {
		return ast.WalkContinue, nil
	}
	w.WriteString("<p>")
	for i, l := range lines {
		if i > 0 {
			w.WriteString("<br>\n")
		}
		w.WriteString(stdhtml.EscapeString(l))
	}
	w.WriteString("</p>\n")
	return ast.WalkContinue, nil
}
