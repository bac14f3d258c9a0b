package deck

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDetectFormat(t *testing.T) {
	guide := strings.Repeat("Long prose, with commas, about systems, at length.\n", 1000) +
		"Q1: What separates a senior engineer?\nStrong Answer\nOwnership.\n"
	anki, err := os.ReadFile("testdata/csv/anki-notes.txt")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, file, head string
		want             Format
	}{
		{"zip magic", "deck.bin", "PK\x03\x04rest", FormatAPKG},
		{"zip named csv", "deck.csv", "PK\x03\x04rest", FormatAPKG},
		{"front matter", "notes.txt", "---\ndeck: x\n---\n", FormatMarkdown},
		{"front matter after bom", "x", "\uFEFF---\r\ndeck: x\r\n", FormatMarkdown},
		{"headings", "deck", "# Title\n\n## Q\nA\n", FormatMarkdown},
		{"follow-up heading", "deck", "intro\n### Follow-up: F\n", FormatMarkdown},
		{"anki export", "notes.txt", string(anki), FormatTSV},
		{"separator comma", "x.tsv", "#separator:Comma\nq\ta,b\n", FormatCSV},
		{"separator literal tab", "x.csv", "#separator:\t\nq,a\n", FormatTSV},
		{"separator semicolon", "x", "#separator:semicolon\n", FormatCSV},
		{"anki header without separator, tabs", "x", "#html:true\nq\ta\n", FormatTSV},
		{"anki header without separator, commas", "x", "#html:true\nq,a\n", FormatCSV},
		{"tabs", "x.txt", "q1\ta1\nq2\ta2\n", FormatTSV},
		{"commas", "x.txt", "q1,a1\nq2,a2\n", FormatCSV},
		{"semicolons", "x", "q1;a1\nq2;a2\n", FormatCSV},
		{"quoted newlines", "x", "\"multi\nline\",a\nq,a\n", FormatCSV},
		{"guide", "guide.txt", guide, FormatGuide},
		{"guide with numbering", "g", "Q12. Why?\n\nStrong Answer:\nBecause.\n", FormatGuide},
		{"Q line alone is not a guide", "g.md", "Q1: why?\nbecause\n", FormatMarkdown},
		{"extension breaks a tie", "cards.csv", "## not a comment in CSV\na,b\nc,d\n", FormatCSV},
		{"tie without extension", "cards", "## Q\na,b\nc,d\n", FormatMarkdown},
		{"extension alone", "x.md", "just some prose\n", FormatMarkdown},
		{"extension alone, csv", "x.csv", "one column\n", FormatCSV},
		{"extension alone, tsv", "x.TSV", "", FormatTSV},
		{"head cut mid-line", "x", "q1\ta1\nq2\ta2\nq3\ta", FormatTSV},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DetectFormat(tt.file, []byte(tt.head))
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("DetectFormat(%q) = %q, want %q", tt.file, got, tt.want)
			}
		})
	}
}

// TestDetectFormatRealGuide reads the guide the content package compiles.
func TestDetectFormatRealGuide(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "content", "guide.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if len(b) > DetectHeadSize {
		b = b[:DetectHeadSize]
	}
	if f, err := DetectFormat("guide.txt", b); f != FormatGuide {
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
		_, err := DetectFormat(tt.file, []byte(tt.head))
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("DetectFormat(%q): %v, want %q", tt.file, err, tt.want)
		}
	}
}

func TestDefaultDeckName(t *testing.T) {
	tests := map[string]string{
		"/x/kubernetes.md":   "kubernetes",
		"cards.csv":          "cards",
		"archive.tar.gz":     "archive.tar",
		"noext":              "noext",
		".hidden":            "default",
		"":                   "default",
		"-":                  "default",
		"/":                  "default",
		"dir/My Deck.txt":    "My Deck",
		"/x/spanish.2024.md": "spanish.2024",
	}
	for in, want := range tests {
		if got := DefaultDeckName(in); got != want {
			t.Errorf("DefaultDeckName(%q) = %q, want %q", in, got, want)
		}
	}
}
