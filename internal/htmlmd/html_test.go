package htmlmd

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestHTMLToMarkdown(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain", "plain text", "plain text"},
		{"nbsp", "a&nbsp;b &nbsp;&nbsp;c", "a b   c"},
		{"nbsp char", "a\u00a0b", "a b"},
		{"curly quotes", "“curly” ‘quotes’ &ldquo;x&rdquo; &#8217;", "“curly” ‘quotes’ “x” ’"},
		{"entities", "&lt;tag&gt; &amp; &quot;q&quot; &#x41;&#66; &copy;", `<tag> & "q" AB ©`},
		{"br", "a<br>b<br/>c<br />d<BR>e", "a\nb\nc\nd\ne"},
		{"anki divs", "<div>one</div><div>two</div><div><br></div><div>four</div>", "one\ntwo\n\nfour"},
		{"text then div", "first<div>second</div>", "first\nsecond"},
		{"trailing br", "<div>a<br></div><div>b</div>", "a\nb"},
		{"paragraphs", "<p>p1</p><p>p2</p>", "p1\n\np2"},
		{"whitespace collapses", "line\n\n  spaces   collapse\t\there", "line spaces collapse here"},
		{"emphasis", "<b>bold</b> <strong>s</strong> <i>it</i> <em>e</em> <s>x</s> <del>y</del>", "**bold** **s** *it* *e* ~~x~~ ~~y~~"},
		{"emphasis hugs words", "<b> spaced </b>x", "**spaced** x"},
		{"nested same emphasis", "<b><b>twice</b></b>", "**twice**"},
		{"empty emphasis", "<b></b>empty<i> </i>", "empty"},
		{"emphasis across lines", "<b><div>a</div><div>b</div></b>", "**a**\n**b**"},
		{"bad nesting", "<b>broken <i>nesting</b> here</i>", "**broken *nesting*** here"},
		{"nested lists", "<ul><li>a</li><li>b<ul><li>c<ol><li>d</li><li>e</li></ol></li></ul></li></ul>after",
			"- a\n- b\n  - c\n    1. d\n    2. e\n\nafter"},
		{"ordered start", "<ol start=\"9\"><li>nine</li><li>ten<ul><li>x</li></ul></li></ol>", "9. nine\n10. ten\n    - x"},
		{"loose list", "<ul><li><p>a</p></li><li><p>b</p><p>more</p></li></ul>", "- a\n\n- b\n\n  more"},
		{"unclosed items", "<ul><li>unclosed<li>items</ul>", "- unclosed\n- items"},
		{"item outside a list", "<li>orphan</li>", "- orphan"},
		{"pre", "<pre>line1\n  line2\n</pre>", "```\nline1\n  line2\n```"},
		{"pre drops first newline", "<pre>\nx</pre>", "```\nx\n```"},
		{"code block with language", "<pre><code class=\"language-go\">x := 1\n</code></pre>", "```go\nx := 1\n```"},
		{"anki code", "<pre>a<br>b&nbsp;c</pre>", "```\na\nb c\n```"},
		{"fence in code", "<pre>```\nfence\n```</pre>", "````\n```\nfence\n```\n````"},
		{"code in list", "<ul><li>step<pre><code>run\n</code></pre></li></ul>", "- step\n\n  ```\n  run\n  ```"},
		{"inline code", "use <code>x &lt; y</code> and <code>a`b</code> or <code>`</code>", "use `x < y` and ``a`b`` or `` ` ``"},
		{"links", "<a href=\"https://a.b/c\">link</a> <a href=\"https://a.b\">https://a.b</a> <a>noref</a>", "[link](https://a.b/c) https://a.b noref"},
		{"mail link", "<a href=\"mailto:a@b.c\">a@b.c</a>", "a@b.c"},
		{"unsafe link", "<a href=\"javascript:alert(1)\">js</a>", "js"},
		{"link with spaces", "<a href=\"my file.html\">f</a>", "[f](<my file.html>)"},
		{"link with parentheses", "<a href=\"https://w/Foo_(bar)\">w</a>", "[w](https://w/Foo_(bar))"},
		{"link across paragraphs", "<a href=\"x\"><p>p1</p><p>p2</p></a>", "[p1](x)\n\np2"},
		{"img", "<img src=\"x.png\"> <img src=\"a b.png\" alt=\"A [b]\"> <img> <img src=\"data:image/png;base64,AAA\">", "![](x.png) ![A b](<a b.png>)"},
		{"sound and cloze", "[sound:x.mp3] {{c1::cloze::hint}}", "[sound:x.mp3] {{c1::cloze::hint}}"},
		{"script and style dropped", "<script>alert('<b>')</script><style>p{}</style>visible<head><title>t</title></head>", "visible"},
		{"other tags stripped", "<span style=\"color:red\">red</span> <font color=blue>blue</font> <u>u</u><sup>2</sup>", "red blue u2"},
		{"comments and doctype", "<!-- comment -->text<!DOCTYPE html>", "text"},
		{"unclosed block", "<div><p>unclosed", "unclosed"},
		{"stray closers", "a</p></div></li></ul>b", "a\n\nb"},
		{"not tags", "<<<>>> & < > a<b", "<<<>>> & < > a"},
		{"unterminated tag", "text <a href=\"x", "text"},
		{"table", "<table><tr><th>h1</th><th>h|2</th></tr><tr><td>1</td><td>2</td></tr></table>", "| h1 | h\\|2 |\n| --- | --- |\n| 1 | 2 |"},
		{"table without header", "<table><tr><td>a</td><td>b<br>c</td></tr></table>", "| a | b c |"},
		{"blockquote", "<blockquote>q1<br>q2</blockquote>after", "> q1\n> q2\n\nafter"},
		{"blockquote paragraphs", "<blockquote><p>a</p><p>b</p></blockquote>", "> a\n>\n> b"},
		{"heading", "<h2>Title</h2>text", "## Title\n\ntext"},
		{"empty heading", "<h1></h1>text", "text"},
		{"rule", "a<hr>b", "a\n\n---\n\nb"},
		{"control characters", "x\x00y\x01z\r", "xyz"},
		{"invalid utf-8", "\xff bad <b>\xc3</b>", "\uFFFD bad **\uFFFD**"},
		{"empty", "", ""},
		{"only markup", "<div><br></div>", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ToMarkdown(tt.in)
			if got != tt.want {
				t.Errorf("ToMarkdown(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestHTMLToMarkdownHostile(t *testing.T) {
	// Deep nesting and many lines must stay linear in time and output.
	deep := strings.Repeat("<ul><li>", 50000) + strings.Repeat("x<br>", 50000)
	if got := ToMarkdown(deep); len(got) > 20*len(deep) {
		t.Errorf("output %d bytes for %d of input", len(got), len(deep))
	}
	quotes := strings.Repeat("<blockquote>", 50000) + strings.Repeat("<p>x</p>", 10000)
	if got := ToMarkdown(quotes); len(got) > 20*len(quotes) {
		t.Errorf("output %d bytes for %d of input", len(got), len(quotes))
	}
	long := `<a href="` + strings.Repeat("h", 100000) + `">` + strings.Repeat("<p>x</p>", 10000) + "</a>"
	if got := ToMarkdown(long); len(got) > 3*len(long) {
		t.Errorf("link target repeated: output %d bytes for %d of input", len(got), len(long))
	}
	if got := ToMarkdown(strings.Repeat("<b><i><s>", 10000) + "x"); !utf8.ValidString(got) || !strings.Contains(got, "x") {
		t.Errorf("got %q", got)
	}
}

func TestMarkdownToHTML(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"hard wraps", "a\nb", "<p>a<br>\nb</p>"},
		{"simple inline html kept", "H<sub>2</sub>O is <b>wet</b><br>", "<p>H<sub>2</sub>O is <b>wet</b><br></p>"},
		{"other inline html shown", `<span onclick="x()">hi</span>`, "<p>&lt;span onclick=&#34;x()&#34;&gt;hi&lt;/span&gt;</p>"},
		{"html block shown", "<div>\n<script>alert(1)</script>\n</div>", "<p>&lt;div&gt;<br>\n&lt;script&gt;alert(1)&lt;/script&gt;<br>\n&lt;/div&gt;</p>"},
		{"unsafe link", "[x](javascript:alert(1))", `<p><a href="">x</a></p>`},
		{"autolink", "see https://go.dev", `<p>see <a href="https://go.dev">https://go.dev</a></p>`},
		{"strikethrough", "~~old~~", "<p><del>old</del></p>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ToHTML(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("ToHTML(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestMarkdownHTMLRoundTrip holds the promise WriteTSV relies on: ordinary
// Markdown comes back unchanged from ToHTML then ToMarkdown.
func TestMarkdownHTMLRoundTrip(t *testing.T) {
	same := []string{
		"one paragraph",
		"two\n\nparagraphs",
		"line\nbreaks kept",
		"**bold**, *italic*, ~~struck~~ and `code`",
		"- a\n- b\n  - nested\n    - deeper\n- c",
		"1. one\n2. two\n   1. sub\n3. three",
		"- loose\n\n- list\n\n  with a second paragraph",
		"text\n\n```go\nfunc main() {\n\tfmt.Println(\"hi\")\n}\n```\n\nmore",
		"```\n\n  leading blank and indent\n```",
		"> quoted\n> lines\n>\n> second paragraph",
		"## Heading\n\ntext",
		"[link](https://example.com/a_(b)) and https://bare.example.com and ![diagram](d.png)",
		"| a | b |\n| --- | --- |\n| 1 | 2 |",
		"a < b && c > d, \"quotes\" and “curly” ones",
		"[sound:x.mp3] {{c1::cloze}}",
		"2*3*4 and snake_case_name",
		"before\n\n---\n\nafter",
		"``a`b`` and `` ` ``",
		"<div>raw html block</div>",
		"inline <span>html</span> shown as text",
		`\*not em\*, # and 1. kept as text`,
		"text that looks like markup: \\<b>, \\&amp;, a_b\\_ and \\`x\\`",
		"\\# not a heading\n\n1\\. not a list\n\n\\- nor this",
	}
	for _, md := range same {
		h, err := ToHTML(md)
		if err != nil {
			t.Fatal(err)
		}
		if got := ToMarkdown(h); got != md {
			t.Errorf("round trip of %q\n via %q\n got %q", md, h, got)
		}
	}
	// What does not survive, and what it becomes (documented in FORMATS.md).
	lossy := []struct{ in, out string }{
		{"__bold__ _em_", "**bold** *em*"},
		{"* star\n+ plus", "- star\n\n- plus"},
		{"3) paren", "3. paren"},
		{"1. a\n1. b", "1. a\n2. b"},
		{"~~~\ntilde\n~~~", "```\ntilde\n```"},
		{"    indented code", "```\nindented code\n```"},
		{"Setext\n======", "# Setext"},
		{"#### Heading\ntext", "#### Heading\n\ntext"},
		{"hard  \nbreak", "hard\nbreak"},
		{"&copy; entity", "© entity"},
		{"<b>tag</b> shown", "**tag** shown"},
		{"<b>tag</b>", "**tag**"},
		{"<sub>2</sub>", "2"},
		{"[ref][r]\n\n[r]: https://x.y", "[ref](https://x.y)"},
		{"<https://auto.link>", "https://auto.link"},
		{"www.example.com", "[www.example.com](http://www.example.com)"},
		{"| a |\n|:-:|\n| 1 |", "| a |\n| --- |\n| 1 |"},
		{"a\n\n\n\nb", "a\n\nb"},
	}
	for _, l := range lossy {
		h, _ := ToHTML(l.in)
		if got := ToMarkdown(h); got != l.out {
			t.Errorf("lossy %q\n via %q\n got %q\nwant %q", l.in, h, got, l.out)
		}
	}
}
