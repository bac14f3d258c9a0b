package htmlmd

import (
	"html"
	"strings"
	"testing"
)

// ankiText is how Anki keeps a field that is plain text: HTML-escaped,
// lines separated by <br>.
func ankiText(s string) string {
	return strings.ReplaceAll(html.EscapeString(s), "\n", "<br>")
}

// Text that looks like Markdown stays text: an Anki field holding "1. x",
// "# x" or "*x*" comes back from ToHTML as that text, not as a list, a
// heading or emphasis.
func TestToMarkdownEscapesText(t *testing.T) {
	texts := []string{
		"1. x", "2) y", "# x", "###### six", "*x*", "**bold?**", "_x_", "(_x_)", "a*b*c",
		"- item?", "+ plus", "* star", "> quoted?", "---", "***", "___", "===", "line\n===", "line\n---",
		"```", "~~~", "~~struck?~~", "`code?`", "[text](https://x.y)", "![alt](x.png)", "[ref]: https://x.y",
		"<b>tag?</b>", "a <i>b", "&amp; &lt; &#65;", `back\slash \* \`, "ends with \\", "x\n1. y\n# z",
		"a | b", "5 * 3 = 15", "2*3*4", "snake_case_name", "[sound:x.mp3] {{c1::cloze}}", "see https://go.dev",
	}
	for _, text := range texts {
		in := ankiText(text)
		md := ToMarkdown(in)
		h, err := ToHTML(md)
		if err != nil {
			t.Fatal(err)
		}
		if got := htmlText(h); got != text {
			t.Errorf("Anki text %q\n gave Markdown %q\n which shows as %q (%s)", text, md, got, h)
		}
	}
}

// htmlText is what HTML shows: its text, lines broken at <br> and between
// paragraphs, failing on any other tag but the <a> of a bare link.
func htmlText(h string) string {
	var b strings.Builder
	for i := 0; i < len(h); {
		if h[i] != '<' {
			j := strings.IndexByte(h[i:], '<')
			if j < 0 {
				j = len(h) - i
			}
			b.WriteString(html.UnescapeString(h[i : i+j]))
			i += j
			continue
		}
		j := strings.IndexByte(h[i:], '>')
		tag := h[i : i+j+1]
		i += j + 1
		switch {
		case tag == "<p>" || tag == "</a>" || strings.HasPrefix(tag, `<a href="https://go.dev"`):
		case tag == "</p>":
			if i < len(h) {
				b.WriteString("\n")
			}
		case tag == "<br>":
		default:
			b.WriteString("{" + tag + "}")
		}
	}
	return strings.TrimSpace(b.String())
}

// A front's start is text in srs whatever it looks like, so it is not
// escaped there; inline markup and later lines are.
func TestToFrontMarkdown(t *testing.T) {
	tests := []struct{ in, want string }{
		{"1. Why?", "1. Why?"},
		{"# of goroutines?", "# of goroutines?"},
		{"- or a bullet?", "- or a bullet?"},
		{"*x* and `y`", `\*x\* and` + " \\`y\\`"},
		{"a<br>1. b", "a\n1\\. b"},
		{"<b>1.</b> bold", "**1.** bold"},
	}
	for _, tt := range tests {
		if got := ToFrontMarkdown(tt.in); got != tt.want {
			t.Errorf("ToFrontMarkdown(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
