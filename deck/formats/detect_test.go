package formats

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDetect(t *testing.T) {
	guide := strings.Repeat("Long prose, with commas, about systems, at length.\n", 1000) +
		"Q1: What separates a senior engineer?\nStrong Answer\nOwnership.\n"
	anki, err := os.ReadFile(filepath.Join("..", "ankitext", "testdata", "csv", "anki-notes.txt"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, file, head string
		want             Format
	}{
		{"zip magic", "deck.bin", "PK\x03\x04rest", APKG},
		{"zip named csv", "deck.csv", "PK\x03\x04rest", APKG},
		{"front matter", "notes.txt", "---\ndeck: x\n---\n", Markdown},
		{"front matter after bom", "x", "\uFEFF---\r\ndeck: x\r\n", Markdown},
		{"headings", "deck", "# Title\n\n## Q\nA\n", Markdown},
		{"follow-up heading", "deck", "intro\n### Follow-up: F\n", Markdown},
		{"anki export", "notes.txt", string(anki), TSV},
		{"separator comma", "x.tsv", "#separator:Comma\nq\ta,b\n", CSV},
		{"separator literal tab", "x.csv", "#separator:\t\nq,a\n", TSV},
		{"separator semicolon", "x", "#separator:semicolon\n", CSV},
		{"anki header without separator, tabs", "x", "#html:true\nq\ta\n", TSV},
		{"anki header without separator, commas", "x", "#html:true\nq,a\n", CSV},
		{"tabs", "x.txt", "q1\ta1\nq2\ta2\n", TSV},
		{"commas", "x.txt", "q1,a1\nq2,a2\n", CSV},
		{"semicolons", "x", "q1;a1\nq2;a2\n", CSV},
		{"quoted newlines", "x", "\"multi\nline\",a\nq,a\n", CSV},
		{"guide", "guide.txt", guide, Guide},
		{"guide with numbering", "g", "Q12. Why?\n\nStrong Answer:\nBecause.\n", Guide},
		{"Q line alone is not a guide", "g.md", "Q1: why?\nbecause\n", Markdown},
		{"extension breaks a tie", "cards.csv", "## not a comment in CSV\na,b\nc,d\n", CSV},
		{"tie without extension", "cards", "## Q\na,b\nc,d\n", Markdown},
		{"extension alone", "x.md", "just some prose\n", Markdown},
		{"extension alone, csv", "x.csv", "one column\n", CSV},
		{"extension alone, tsv", "x.TSV", "", TSV},
		{"head cut mid-line", "x", "q1\ta1\nq2\ta2\nq3\ta", TSV},
		{"jsonl", "all.jsonl", `{"id":"a","deck":"d","front":"q, with a comma","back":"a, b"}` + "\n" + `{"id":"b","front":"c"}` + "\n", JSONL},
		{"jsonl named txt", "all.txt", "\uFEFF\n" + `{"front":"x"}`, JSONL},
		{"jsonl cut by the head", "x", `{"front":"` + strings.Repeat("long, ", 100), JSONL},
		{"braces in csv", "x.csv", "{a},b\n{c},d\n", CSV},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Detect(tt.file, []byte(tt.head))
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("Detect(%q) = %q, want %q", tt.file, got, tt.want)
			}
		})
	}
}

// TestDetectFormatRealGuide reads the guide the content package compiles.
func TestDetectFormatRealGuide(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "content", "guide.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if len(b) > HeadSize {
		b = b[:HeadSize]
	}
	if f, err := Detect("guide.txt", b); f != Guide {
		t.Errorf("got %q, %v", f, err)
	}
}

func TestDetectFormatErrors(t *testing.T) {
	tests := []struct{ file, head, want string }{
		{"notes.txt", "just prose\nwithout structure\n", "notes.txt: cannot tell the format"},
		{"empty", "", "empty: cannot tell the format"},
		{"deck.apkg", "not a zip", "deck.apkg: named .apkg but not a zip archive"},
	}
	for _, tt := range tests {
		_, err := Detect(tt.file, []byte(tt.head))
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("Detect(%q): %v, want %q", tt.file, err, tt.want)
		}
	}
}
