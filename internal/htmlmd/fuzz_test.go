package htmlmd

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

func FuzzHTMLToMarkdown(f *testing.F) {
	for _, s := range []string{
		"<div>a<br>b</div><ul><li>x<ol start=3><li>y</ol></ul>",
		"<pre><code class=\"language-go\">x\n</code></pre><code>a`b</code>",
		"<table><tr><th>a</th></tr><tr><td>b|c</td></tr></table>",
		"<a href=\"u\">t</a><img src=\"x.png\" alt=\"y\">&nbsp;&amp;[sound:x.mp3]",
		"<blockquote><p>q</p><h2>h</h2><hr></blockquote><b><i>x</b></i>",
		"<script>x</script><style>y</style>\xff\x00",
	} {
		f.Add(s)
	}
	files, _ := filepath.Glob("../../deck/ankitext/testdata/csv/*") // Anki exports, HTML fields and all
	for _, file := range files {
		if b, err := os.ReadFile(file); err == nil {
			f.Add(string(b))
		}
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := ToMarkdown(in)
		if !utf8.ValidString(out) {
			t.Fatalf("invalid UTF-8: %q", out)
		}
		if strings.ContainsFunc(out, func(r rune) bool { return r < 0x20 && r != '\n' && r != '\t' }) {
			t.Fatalf("control character in %q", out)
		}
		if len(out) > 64*len(in)+64 {
			t.Fatalf("%d bytes out of %d", len(out), len(in))
		}
		if _, err := ToHTML(out); err != nil {
			t.Fatalf("ToHTML: %v", err)
		}
	})
}
