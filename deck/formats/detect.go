// Package formats knows every format srs reads and writes: their names
// (for --format) and how to tell them apart from a file's first bytes.
// Each format's reader and writer live in a package of its own
// (deck/markdown, deck/ankitext, deck/apkg, deck/jsonl; the guide in
// content).
package formats

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/srs-tool/srs/deck/ankitext"
	"github.com/srs-tool/srs/deck/markdown"
)

// Format names a file format srs imports or exports, as --format spells it.
type Format string

// The formats.
const (
	Markdown Format = "md"    // deck/markdown
	CSV      Format = "csv"   // deck/ankitext
	TSV      Format = "tsv"   // deck/ankitext
	APKG     Format = "apkg"  // deck/apkg
	Guide    Format = "guide" // content
	JSONL    Format = "jsonl" // deck/jsonl
)

// HeadSize is how much of a file Detect wants to see. Guides
// open with pages of prose before their first question.
const HeadSize = 256 << 10

// Detect tells the format of a file from its first bytes (up to
// HeadSize), using the file name's extension only to break ties:
// files are often misnamed (Anki writes its TSV as .txt). It fails, naming
// the file, when neither says.
func Detect(name string, head []byte) (Format, error) {
	if bytes.HasPrefix(head, []byte("PK\x03\x04")) {
		return APKG, nil
	}
	ext := extFormat(name)
	if ext == APKG {
		return "", fmt.Errorf("%s: named .apkg but not a zip archive", name)
	}
	text := strings.TrimPrefix(string(head), "\uFEFF") // a byte order mark
	lines := strings.Split(text, "\n")
	if len(lines) > 2 && !strings.HasSuffix(text, "\n") {
		lines = lines[:len(lines)-1] // the head may end mid-line, mid-record
	}
	for i, l := range lines {
		lines[i] = strings.TrimSuffix(l, "\r")
	}
	if len(lines) > 0 && strings.TrimRight(lines[0], " \t") == "---" {
		return Markdown, nil
	}
	if isJSONL(text) {
		return JSONL, nil
	}
	if f, ok := detectAnkiHeader(lines); ok {
		return f, nil
	}
	if isGuide(lines) {
		return Guide, nil
	}

	md := markdown.HasCardHeading(lines)
	var sep Format
	switch ankitext.SniffSeparator(strings.Join(lines, "\n")) {
	case '\t':
		sep = TSV
	case ',', ';', '|':
		sep = CSV
	}
	switch {
	case md && sep != "":
		if ext == CSV || ext == TSV {
			return ext, nil
		}
		return Markdown, nil
	case md:
		return Markdown, nil
	case sep != "":
		return sep, nil
	case ext != "":
		return ext, nil
	}
	return "", fmt.Errorf("%s: cannot tell the format (not an Anki package, Markdown deck, CSV/TSV or guide); name it with --format", name)
}

func extFormat(name string) Format {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".md", ".markdown":
		return Markdown
	case ".csv":
		return CSV
	case ".tsv", ".tab":
		return TSV
	case ".apkg", ".colpkg":
		return APKG
	}
	return ""
}

// detectAnkiHeader recognises Anki's "#key:value" header lines; the
// separator they name decides between CSV and TSV.
func detectAnkiHeader(lines []string) (Format, bool) {
	found := false
	f := Format("")
	for _, l := range lines {
		if !strings.HasPrefix(l, "#") {
			break
		}
		key, value, ok := strings.Cut(l[1:], ":")
		if !ok {
			continue
		}
		switch strings.ToLower(strings.TrimSpace(key)) {
		case "separator":
			found = true
			if sep, ok := ankitext.NamedSeparator(value); ok && sep == '\t' {
				f = TSV
			} else {
				f = CSV
			}
		case "html", "tags", "columns", "notetype", "deck", "notetype column", "deck column", "tags column", "guid column":
			found = true
		}
	}
	if !found {
		return "", false
	}
	if f == "" {
		// Headers without a separator: Anki sniffs it, and so does ParseTSV.
		f = TSV
		if s := ankitext.SniffSeparator(strings.Join(lines, "\n")); s != 0 && s != '\t' {
			f = CSV
		}
	}
	return f, true
}

// isJSONL spots JSON Lines: the first line that is not blank is a JSON
// object, or the start of one longer than the head.
func isJSONL(text string) bool {
	text = strings.TrimLeft(text, " \t\r\n")
	if !strings.HasPrefix(text, "{") {
		return false
	}
	line, _, complete := strings.Cut(text, "\n")
	if !complete {
		return true // cut by the head's end: nothing else starts with "{" either
	}
	return json.Valid([]byte(line))
}

var guideQuestion = regexp.MustCompile(`^Q\d+[:.)]\s`)

// isGuide spots an interview guide: a "Q1: ..." line soon followed by a
// "Strong Answer" line.
func isGuide(lines []string) bool {
	for i, l := range lines {
		if !guideQuestion.MatchString(l) {
			continue
		}
		for j, seen := i+1, 0; j < len(lines) && seen < 3; j++ {
			t := strings.TrimSpace(lines[j])
			if t == "" {
				continue
			}
			if strings.EqualFold(strings.TrimSuffix(t, ":"), "Strong Answer") {
				return true
			}
			seen++
		}
	}
	return false
}
