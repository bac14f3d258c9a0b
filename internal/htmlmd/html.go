// Package htmlmd converts card text between HTML, as Anki keeps it, and
// Markdown, as srs keeps it: ToMarkdown for Anki fields coming in (.apkg
// notes, CSV/TSV with #html:true), ToHTML for fields going out. Its output
// is valid UTF-8 without control characters but tab and newline, the same
// rule deck.StripControls applies; it imports nothing of the project's.
package htmlmd

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// ToMarkdown turns an Anki field into readable Markdown: <br>, <div>
// and <p> become line breaks and paragraphs, <b>/<i>/<s> become **, * and
// ~~, lists, quotes, headings, tables, <pre> and <code> become their
// Markdown forms, <a> and <img> become links and images; entities are
// decoded (&nbsp; to a space) and other tags are dropped, their text kept.
// Anki's [sound:...] and {{c1::...}} are plain text and pass through.
//
// It works on the token stream, not a parsed tree: HTML5 tree building is
// quadratic on some hostile inputs, and a field only needs a linear pass.
// The result is valid UTF-8 whatever the input; it never panics. Text is
// escaped where Markdown would read it as markup ("1. x", "# x", "*x*"),
// so that the Markdown shows the field's text as the field did.
func ToMarkdown(s string) string { return toMarkdown(s, false) }

// ToFrontMarkdown is ToMarkdown for a card's front. srs reads the start of
// a front as text whatever it looks like (a question "1. Why?" is no list;
// the TSV writer escapes it on the way out), so it is left unescaped there.
func ToFrontMarkdown(s string) string { return toMarkdown(s, true) }

func toMarkdown(s string, front bool) string {
	c := htmlConv{}
	c.m.front = front
	z := html.NewTokenizer(strings.NewReader(s))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return cleanText(c.finish())
		case html.TextToken:
			c.text(string(z.Text()))
		case html.StartTagToken:
			c.start(z, false)
		case html.SelfClosingTagToken:
			c.start(z, true)
		case html.EndTagToken:
			name, _ := z.TagName()
			c.end(string(name))
		}
	}
}

type htmlConv struct {
	m mdOut

	skip      string // element whose content is not text (script, style...)
	skipDepth int
	deep      int // containers past mdMaxDepth, ignored

	pre      int // inside <pre>: text is kept verbatim
	preBuf   strings.Builder
	preLang  string
	preFresh bool // right after <pre>, where HTML drops one newline

	code    bool // inside inline <code>
	codeBuf strings.Builder

	inCell     bool
	cells      int
	rowTH      bool
	headerDone bool
}

// skipped elements hold no text a card should show.
var skipped = map[string]bool{
	"script": true, "style": true, "head": true, "title": true, "template": true,
	"noscript": true, "iframe": true, "object": true, "svg": true,
}

// lineBlocks start and end on their own line; Anki writes one <div> per line.
var lineBlocks = map[string]bool{
	"div": true, "section": true, "article": true, "header": true, "footer": true,
	"main": true, "nav": true, "aside": true, "address": true, "center": true,
	"figure": true, "figcaption": true, "details": true, "summary": true,
	"dl": true, "dt": true, "dd": true, "form": true, "fieldset": true, "caption": true,
}

func (c *htmlConv) start(z *html.Tokenizer, selfClosing bool) {
	nameB, hasAttr := z.TagName()
	name := string(nameB)
	var attrs map[string]string
	for hasAttr {
		var k, v []byte
		k, v, hasAttr = z.TagAttr()
		switch string(k) {
		case "href", "src", "alt", "class", "start":
			if attrs == nil {
				attrs = map[string]string{}
			}
			attrs[string(k)] = string(v)
		}
	}
	if c.skip != "" {
		if name == c.skip && !selfClosing {
			c.skipDepth++
		}
		return
	}
	c.preFresh = false
	if c.pre > 0 {
		switch name {
		case "br":
			c.preBuf.WriteByte('\n')
		case "pre":
			c.pre++
		case "code":
			if c.preLang == "" {
				c.preLang = codeLang(attrs["class"])
			}
		}
		return
	}
	if c.code {
		if name == "br" {
			c.codeBuf.WriteByte(' ')
		}
		return
	}
	m := &c.m
	switch {
	case skipped[name]:
		if !selfClosing {
			c.skip, c.skipDepth = name, 1
		}
	case name == "br":
		if c.inCell {
			m.space = true
		} else {
			m.lineBreak()
		}
	case name == "p":
		m.want(2)
	case lineBlocks[name]:
		m.want(1)
	case len(name) == 2 && name[0] == 'h' && name[1] >= '1' && name[1] <= '6':
		m.want(2)
		if !c.inCell {
			m.lead = strings.Repeat("#", int(name[1]-'0')) + " "
		}
	case name == "hr":
		m.want(2)
		m.raw("---")
		m.want(2)
	case name == "ul" || name == "ol":
		if m.inList() {
			m.want(1)
		} else {
			m.want(2)
		}
		next := 1
		if n, err := strconv.Atoi(strings.TrimSpace(attrs["start"])); err == nil && n >= 0 && n < 1e9 {
			next = n
		}
		if !m.pushContainer(&mdContainer{tag: name, ordered: name == "ol", next: next}) {
			c.deep++
		}
	case name == "li":
		c.startItem()
	case name == "blockquote":
		m.want(2)
		if !m.pushContainer(&mdContainer{tag: name, marker: "> ", indent: "> ", pending: true}) {
			c.deep++
		}
	case name == "pre":
		m.want(2)
		c.pre = 1
		c.preBuf.Reset()
		c.preLang = codeLang(attrs["class"])
		c.preFresh = true
	case name == "code":
		c.code = true
		c.codeBuf.Reset()
	case name == "b" || name == "strong":
		m.pushMark(name, "strong", "**", "**", "")
	case name == "i" || name == "em":
		m.pushMark(name, "em", "*", "*", "")
	case name == "s" || name == "del" || name == "strike":
		m.pushMark(name, "del", "~~", "~~", "")
	case name == "a":
		href := strings.TrimSpace(attrs["href"])
		if href == "" || unsafeURL(href) || selfClosing {
			if !selfClosing {
				m.pushMark(name, "", "", "", "")
			}
			break
		}
		m.pushMark(name, "link", "[", "]("+mdURL(href)+")", href)
	case name == "img":
		src := strings.TrimSpace(attrs["src"])
		if src != "" && !unsafeURL(src) && !strings.HasPrefix(strings.ToLower(src), "data:") {
			alt := strings.NewReplacer("[", "", "]", "", "\n", " ").Replace(attrs["alt"])
			m.word("![" + alt + "](" + mdURL(src) + ")")
		}
	case name == "table":
		m.want(2)
		c.headerDone = false
	case name == "tr":
		c.endCell()
		m.want(1)
		c.cells, c.rowTH = 0, false
	case name == "td" || name == "th":
		c.endCell()
		if name == "th" {
			c.rowTH = true
		}
		if c.cells == 0 {
			m.raw("|")
		}
		m.raw(" ")
		c.cells++
		c.inCell = true
	}
}

func (c *htmlConv) startItem() {
	m := &c.m
	if t := m.top(); t != nil && t.tag == "li" {
		m.popContainer("li") // the previous <li> was left open
	}
	marker := "- "
	if t := m.top(); t != nil && t.ordered {
		marker = strconv.Itoa(t.next) + ". "
		t.next++
	}
	m.want(1)
	if !m.pushContainer(&mdContainer{tag: "li", marker: marker, indent: strings.Repeat(" ", len(marker)), pending: true}) {
		c.deep++
	}
}

func (c *htmlConv) end(name string) {
	if c.skip != "" {
		if name == c.skip {
			c.skipDepth--
			if c.skipDepth == 0 {
				c.skip = ""
			}
		}
		return
	}
	c.preFresh = false
	if c.pre > 0 {
		if name == "pre" {
			c.pre--
			if c.pre == 0 {
				c.flushPre()
			}
		}
		return
	}
	if c.code {
		if name == "code" {
			c.code = false
			c.flushCode()
		}
		return
	}
	m := &c.m
	switch {
	case name == "p":
		m.want(2)
	case lineBlocks[name]:
		m.want(1)
	case len(name) == 2 && name[0] == 'h' && name[1] >= '1' && name[1] <= '6':
		m.want(2)
		m.lead = ""
	case name == "ul" || name == "ol" || name == "li" || name == "blockquote":
		if c.deep > 0 {
			c.deep--
			return
		}
		if name == "li" {
			m.popContainer("li", "ul", "ol")
			m.want(1)
			return
		}
		m.popContainer(name)
		if m.inList() && name != "blockquote" {
			m.want(1)
		} else {
			m.want(2)
		}
	case name == "b" || name == "strong" || name == "i" || name == "em" ||
		name == "s" || name == "del" || name == "strike" || name == "a":
		m.popMark(name)
	case name == "td" || name == "th":
		c.endCell()
	case name == "tr":
		c.endCell()
		if c.rowTH && !c.headerDone && c.cells > 0 {
			m.want(1)
			m.raw("|" + strings.Repeat(" --- |", c.cells))
			c.headerDone = true
		}
		c.cells, c.rowTH = 0, false
		m.want(1)
	case name == "table":
		c.endCell()
		m.want(2)
	}
}

func (c *htmlConv) endCell() {
	if c.inCell {
		c.m.raw(" |")
		c.inCell = false
	}
}

func (c *htmlConv) text(t string) {
	if c.skip != "" {
		return
	}
	if c.pre > 0 {
		if c.preFresh {
			t = strings.TrimPrefix(t, "\n")
			c.preFresh = false
		}
		c.preBuf.WriteString(t)
		return
	}
	if c.code {
		c.codeBuf.WriteString(t)
		return
	}
	m := &c.m
	for t != "" {
		i := strings.IndexFunc(t, isHTMLSpace)
		if i == 0 {
			m.space = true
			j := strings.IndexFunc(t, func(r rune) bool { return !isHTMLSpace(r) })
			if j < 0 {
				return
			}
			t = t[j:]
			continue
		}
		w := t
		if i > 0 {
			w, t = t[:i], t[i:]
		} else {
			t = ""
		}
		w = strings.ReplaceAll(w, "\u00a0", " ")
		m.text(w, c.inCell)
	}
}

// isHTMLSpace is HTML's whitespace, which collapses. A no-break space is
// not: it stays, as a plain space.
func isHTMLSpace(r rune) bool {
	return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\f'
}

func (c *htmlConv) flushPre() {
	code := strings.ReplaceAll(c.preBuf.String(), "\u00a0", " ")
	code = strings.TrimSuffix(code, "\n")
	fence := "```"
	for strings.Contains(code, fence) {
		fence += "`"
	}
	m := &c.m
	m.want(2)
	m.applyBreak()
	if m.open {
		m.endLine(true)
	}
	m.codeLine(fence + c.preLang)
	if code != "" {
		for l := range strings.SplitSeq(code, "\n") {
			m.codeLine(l)
		}
	}
	m.codeLine(fence)
	m.want(2)
}

func (c *htmlConv) flushCode() {
	s := strings.ReplaceAll(c.codeBuf.String(), "\u00a0", " ")
	s = strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ").Replace(s)
	if strings.TrimSpace(s) == "" {
		if s != "" {
			c.m.space = true
		}
		return
	}
	if c.inCell {
		s = strings.ReplaceAll(s, "|", `\|`)
	}
	ticks := "`"
	for strings.Contains(s, ticks) {
		ticks += "`"
	}
	pad := ""
	if s[0] == '`' || s[len(s)-1] == '`' || (s[0] == ' ' && s[len(s)-1] == ' ') {
		pad = " "
	}
	c.m.word(ticks + pad + s + pad + ticks)
}

func (c *htmlConv) finish() string {
	if c.pre > 0 {
		c.pre = 0
		c.flushPre()
	}
	if c.code {
		c.code = false
		c.flushCode()
	}
	c.endCell()
	return c.m.finish()
}

// codeLang reads the language of a code block from class="language-go".
func codeLang(class string) string {
	for f := range strings.FieldsSeq(class) {
		if l, ok := strings.CutPrefix(f, "language-"); ok && l != "" && !strings.ContainsAny(l, "`~") {
			return l
		}
	}
	return ""
}

// unsafeURL refuses link targets that run script.
func unsafeURL(u string) bool {
	u = strings.ToLower(strings.TrimSpace(u))
	return strings.HasPrefix(u, "javascript:") || strings.HasPrefix(u, "vbscript:")
}

// mdURL writes a link target so that Markdown reads it back whole: in
// angle brackets when it has spaces or unbalanced parentheses.
func mdURL(u string) string {
	u = strings.NewReplacer("\n", "", "\r", "", "<", "%3C", ">", "%3E").Replace(u)
	depth, ok := 0, true
	for _, r := range u {
		switch r {
		case '(':
			depth++
		case ')':
			depth--
			if depth < 0 {
				ok = false
			}
		case ' ', '\t':
			ok = false
		}
	}
	if !ok || depth != 0 {
		return "<" + u + ">"
	}
	return u
}

// cleanText makes the result safe to store and show: valid UTF-8, no
// control characters but tab and newline, no blank lines at either end.
func cleanText(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	s = stripControls(s)
	s = strings.TrimRight(s, " \t\n")
	for {
		i := strings.IndexByte(s, '\n')
		if i < 0 || strings.TrimSpace(s[:i]) != "" {
			break
		}
		s = s[i+1:]
	}
	return s
}

// stripControls drops control characters but tab and newline, as
// deck.StripControls does.
func stripControls(s string) string {
	if !strings.ContainsFunc(s, isJunkControl) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if isJunkControl(r) {
			return -1
		}
		return r
	}, s)
}

func isJunkControl(r rune) bool {
	return r < 0x20 && r != '\t' && r != '\n' || r == 0x7f
}
