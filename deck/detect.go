package deck

import (
	"bytes"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
)

// Format names a file format srs imports or exports.
type Format string

// The formats.
const (
	FormatMarkdown Format = "md"
	FormatCSV      Format = "csv"
	FormatTSV      Format = "tsv"
	FormatAPKG     Format = "apkg"
	FormatGuide    Format = "guide"
)

// DetectHeadSize is how much of a file DetectFormat wants to see. Guides
// open with pages of prose before their first question.
const DetectHeadSize = 256 << 10

// DetectFormat tells the format of a file from its first bytes (up to
// DetectHeadSize), using the file name's extension only to break ties:
// files are often misnamed (Anki writes its TSV as .txt). It fails, naming
// the file, when neither says.
func DetectFormat(name string, head []byte) (Format, error) {
	if bytes.HasPrefix(head, []byte("PK\x03\x04")) {
		return FormatAPKG, nil
	}
	ext := extFormat(name)
	if ext == FormatAPKG {
		return "", fmt.Errorf("%s: named .apkg but not a zip archive", name)
	}
	text := string(stripBOM(head))
	lines := strings.Split(text, "\n")
	if len(lines) > 2 && !strings.HasSuffix(text, "\n") {
		lines = lines[:len(lines)-1] // the head may end mid-line, mid-record
	}
	for i, l := range lines {
		lines[i] = strings.TrimSuffix(l, "\r")
	}
	if len(lines) > 0 && strings.TrimRight(lines[0], " \t") == "---" {
		return FormatMarkdown, nil
	}
	if f, ok := detectAnkiHeader(lines); ok {
		return f, nil
	}
	if isGuide(lines) {
		return FormatGuide, nil
	}

	md := hasDeckHeading(lines)
	var sep Format
	switch sniffSeparator(strings.Join(lines, "\n"), 0) {
	case '\t':
		sep = FormatTSV
	case ',', ';', '|':
		sep = FormatCSV
	}
	switch {
	case md && sep != "":
		if ext == FormatCSV || ext == FormatTSV {
			return ext, nil
		}
		return FormatMarkdown, nil
	case md:
		return FormatMarkdown, nil
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
		return FormatMarkdown
	case ".csv":
		return FormatCSV
	case ".tsv", ".tab":
		return FormatTSV
	case ".apkg", ".colpkg":
		return FormatAPKG
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
			if sep, ok := separatorNames[strings.ToLower(strings.TrimSpace(value))]; ok && sep == '\t' || value == "\t" {
				f = FormatTSV
			} else {
				f = FormatCSV
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
		f = FormatTSV
		if s := sniffSeparator(strings.Join(lines, "\n"), 0); s != 0 && s != '\t' {
			f = FormatCSV
		}
	}
	return f, true
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

func hasDeckHeading(lines []string) bool {
	for _, l := range lines {
		if level, _ := mdHeading(l); level > 0 {
			return true
		}
	}
	return false
}
