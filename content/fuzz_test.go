package content

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

func FuzzCompile(f *testing.F) {
	page, err := os.ReadFile(filepath.Join("testdata", "page.txt"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(page)
	// Excerpts of the guide with each line cut short: whole lines run to
	// kilobytes, and large inputs slow the fuzzer down without adding shapes.
	lines := strings.Split(string(guide), "\n")
	for _, r := range [][2]int{{464, 520}, {527, 560}, {576, 600}, {1143, 1170}, {1186, 1225}} {
		var b strings.Builder
		for _, l := range lines[r[0]-1 : r[1]] {
			b.WriteString(clip(l, 80))
			b.WriteByte('\n')
		}
		f.Add([]byte(b.String()))
	}
	for _, s := range []string{
		"Q1: A?\nStrong Answer\nB.War Story: C.Contrarian Take:",
		"Interview: A?\nStrong Answer Framework:B.Senior Follow-up Questions:\n“C?” - Strong answer: D.\nFollow-up: E?\n",
		"1. Cost — “Why?”\nSenior answer: x\nLive Debugging Prompts:\nA (Hint: b)\nQ1: q\nWhat weak candidates say\n",
		"After any x answer:\n“y” (Strong answer: )\nQ9: z\nWhat strong candidates say\nWhat would you validate?",
		"Q1: a\nStrong Answer\n\xff\x00\u2212 800/month.Theengineeringtimeis2weeks",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		d, warnings, err := Compile("fuzz.txt", src, "fuzz")
		for _, w := range warnings {
			if !utf8.ValidString(w.String()) || w.Line < 1 {
				t.Fatalf("bad warning %q", w)
			}
		}
		if err != nil {
			if d != nil {
				t.Fatal("a deck with an error")
			}
			return
		}
		if len(d.Cards) == 0 {
			t.Fatal("no error and no cards")
		}
		if err := d.Validate(); err != nil {
			t.Fatal(err)
		}
		checkUTF8(t, d)
	})
}
