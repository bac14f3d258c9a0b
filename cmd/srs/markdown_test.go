package main

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

func TestRenderMarkdown(t *testing.T) {
	tests := []struct {
		name, md string
		width    int
		want     []string // lines, ANSI styling stripped
	}{
		{"paragraphs", "one two\nthree\n\nfour", 40, []string{"one two three", "", "four"}},
		{"wrap", "alpha beta gamma delta", 12, []string{"alpha beta", "gamma delta"}},
		{"heading", "### War Story\n\nIt broke.", 40, []string{"War Story", "", "It broke."}},
		{"list", "- a\n- b **bold**\n  - nested", 40, []string{"• a", "• b bold", "  • nested"}},
		{"ordered", "3. x\n4. y", 40, []string{"3. x", "4. y"}},
		{"wrapped item", "- alpha beta gamma", 14, []string{"• alpha beta", "  gamma"}},
		{"code", "```go\nfmt.Println(1)\n```", 40, []string{"  fmt.Println(1)"}},
		{"quote", "> said so", 40, []string{"│ said so"}},
		{"link", "see [docs](https://x.dev)", 60, []string{"see docs (https://x.dev)"}},
		{"code span", "run `ls -l` now", 40, []string{"run ls -l now"}},
		{"hard break", "a  \nb", 40, []string{"a", "b"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := renderMarkdown(tt.md, tt.width)
			for i := range got {
				got[i] = strings.TrimRight(ansi.Strip(got[i]), " ")
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
	for _, l := range renderMarkdown(strings.Repeat("word ", 200), 30) {
		if w := ansi.StringWidth(l); w > 30 {
			t.Fatalf("line of width %d > 30: %q", w, l)
		}
	}
}
