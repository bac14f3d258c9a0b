package termmd

import (
	"regexp"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// plainLines strips styling and trailing spaces, as a reader sees it.
func plainLines(lines []string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = strings.TrimRight(ansi.Strip(l), " ")
	}
	return out
}

func TestRender(t *testing.T) {
	tests := []struct {
		name, md string
		width    int
		want     []string
	}{
		{"paragraphs", "one two\nthree\n\nfour", 40, []string{"one two three", "", "four"}},
		{"wrap", "alpha beta gamma delta", 12, []string{"alpha beta", "gamma delta"}},
		{"heading", "### War Story\n\nIt broke.", 40, []string{"War Story", "", "It broke."}},
		{"list", "- a\n- b **bold**\n  - nested", 40, []string{"• a", "• b bold", "  • nested"}},
		{"ordered", "3. x\n4. y", 40, []string{"3. x", "4. y"}},
		{"wrapped item", "- alpha beta gamma", 14, []string{"• alpha beta", "  gamma"}},
		{"quote", "> said so", 40, []string{"│ said so"}},
		{"link", "see [docs](https://x.dev)", 60, []string{"see docs (https://x.dev)"}},
		{"bare link", "see https://x.dev/a now", 60, []string{"see https://x.dev/a now"}},
		{"link named by its target", "[https://x.dev](https://x.dev)", 60, []string{"https://x.dev"}},
		{"code span", "run `ls -l` now", 40, []string{"run ls -l now"}},
		{"hard break", "a  \nb", 40, []string{"a", "b"}},
		{"escapes and entities", `a \*b\* &amp; &lt;c&gt; &#65;`, 40, []string{"a *b* & <c> A"}},
		{"strikethrough", "~~old~~ new", 40, []string{"old new"}},
		{"image", "![a diagram](d.png)", 40, []string{"[image: a diagram]"}},
		{"control characters", "a\x1b]0;x\x07b", 40, []string{"a\uFFFD]0;x\uFFFDb"}},
		{"rule", "a\n\n---\n\nb", 12, []string{"a", "", "────────────", "", "b"}},

		// Hyphens: a line may break after the hyphen of a hyphenated
		// word, and the hyphen stays.
		{"hyphen kept", "the command-and-control server", 20, []string{"the command-and-", "control server"}},
		{"hyphen kept twice", "state-of-the-art", 10, []string{"state-of-", "the-art"}},
		{"context of a follow-up", "Follow-up to: what is command-and-control traffic?", 22, []string{"Follow-up to: what is", "command-and-control", "traffic?"}},
		{"hyphenated word fits whole", "a state-of-the-art b", 20, []string{"a state-of-the-art b"}},
		{"flags do not break", "use --dry-run -v flags", 10, []string{"use --dry-", "run -v", "flags"}},
		{"dash between words", "aaaaaaa - bbb", 10, []string{"aaaaaaa -", "bbb"}},
		{"long word cut", "abcdefghijklmnop", 10, []string{"abcdefghij", "klmnop"}},

		// Code: printed exactly behind a bar; a long line folds behind ↪.
		{"code", "```go\nfmt.Println(1)\n```", 40, []string{"│ fmt.Println(1)"}},
		{"code keeps indentation", "```\nif x {\n\treturn\n}\n```", 40, []string{"│ if x {", "│     return", "│ }"}},
		{"long code line folds", "```\n0123456789abcdefghijKLMNOPQRST\n```", 12, []string{"│ 0123456789", "↪ abcdefghij", "↪ KLMNOPQRST"}},
		{"code in a list", "- x\n\n  ```\n  abcdefghijkl\n  ```", 12, []string{"• x", "", "  │ abcdefgh", "  ↪ ijkl"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := plainLines(Render(tt.md, tt.width, Options{Color: true}))
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestTable(t *testing.T) {
	const pod = "| field | value |\n|---|---|\n| reason | OOMKilled |\n| exit code | 137 |\n"
	const wide = "| Step | What happens | Why it matters |\n|:--|:--:|--:|\n" +
		"| 1 | The kubelet notices the container exceeded its memory limit | Eviction is not the same as OOM |\n" +
		"| 2 | The kernel's OOM killer picks a victim | Exit code 137 |\n"
	tests := []struct {
		name, md string
		width    int
		want     []string
	}{
		{"natural widths", pod, 40, []string{
			"field     │ value",
			"──────────┼──────────",
			"reason    │ OOMKilled",
			"exit code │ 137",
		}},
		{"aligned", "| a | b | c |\n|:-|:-:|-:|\n| x | y | z |\n| long | wide | 12345 |\n", 40, []string{
			"a    │  b   │     c",
			"─────┼──────┼──────",
			"x    │  y   │     z",
			"long │ wide │ 12345",
		}},
		{"cells wrap", wide, 40, []string{
			"Step │    What happens    │       Why it",
			"     │                    │      matters",
			"─────┼────────────────────┼─────────────",
			"1    │    The kubelet     │  Eviction is",
			"     │    notices the     │ not the same",
			"     │ container exceeded │       as OOM",
			"     │  its memory limit  │",
			"─────┼────────────────────┼─────────────",
			"2    │  The kernel's OOM  │    Exit code",
			"     │   killer picks a   │          137",
			"     │       victim       │",
		}},
		{"records when words cannot fit", "| name | url |\n|---|---|\n| docs | https://example.com/a/very/long/path |\n| home | https://example.com |\n", 30, []string{
			"name: docs",
			"url:",
			"  https://example.com/a/very/l",
			"  ong/path",
			"",
			"name: home",
			"url: https://example.com",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := plainLines(Render(tt.md, tt.width, Options{}))
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

var colourSGR = regexp.MustCompile(`\x1b\[[0-9;]*(3[0-9]|9[0-7]|38;)[0-9;]*m`)

func TestNoColor(t *testing.T) {
	const src = "# Title\n\nrun `ls` **now**\n\n```\ncode\n```\n"
	if got := strings.Join(Render(src, 40, Options{Color: true}), "\n"); !colourSGR.MatchString(got) {
		t.Fatalf("no colour with Color set: %q", got)
	}
	got := strings.Join(Render(src, 40, Options{}), "\n")
	if colourSGR.MatchString(got) {
		t.Fatalf("colour escapes without Color: %q", got)
	}
	if !strings.Contains(got, "\x1b[1m") {
		t.Fatalf("bold gone without Color (no-color.org keeps attributes): %q", got)
	}
}

// Every line fits the width, whatever the Markdown.
func FuzzRender(f *testing.F) {
	for _, s := range []string{
		"| a | b |\n|---|---|\n| 1 | 2 |",
		"```\n" + strings.Repeat("x", 100) + "\n```",
		"- a\n  - b\n    > c `d` **e**",
		"state-of-the-art 中文字符 emoji 👍🏽 tabs\there",
		"| 中文 | 👍 |\n|-|-|\n| 全角文字のセル | x |",
		// Once too wide: invalid UTF-8, control characters, a tab in code.
		"000000000000\xe40 00000\x9700\xa60000000000",
		"`000\x00000\x19000000ջ000` \x1b]0;title\x07",
		"`\t0000000000`",
	} {
		f.Add(s, 20)
	}
	f.Fuzz(func(t *testing.T, src string, width int) {
		width = 10 + (width%290+290)%290
		for _, l := range Render(src, width, Options{Color: true}) {
			if w := ansi.StringWidth(l); w > width {
				t.Fatalf("line of width %d > %d: %q", w, width, l)
			}
		}
	})
}

// A huge word or code line folds in time linear in its length; the test
// would take minutes if folding re-measured the rest of the line for
// every piece.
func TestLongLines(t *testing.T) {
	long := strings.Repeat("x", 1<<18)
	for _, src := range []string{long, "```\n" + long + "\n```", strings.Repeat("a-", 1<<17)} {
		lines := Render(src, 10, Options{})
		if len(lines) < (1<<18)/10 {
			t.Fatalf("%d lines for a 256 KiB line at width 10", len(lines))
		}
	}
}
