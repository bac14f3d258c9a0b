package ankitext

import (
	"bytes"
	"encoding/csv"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/srs-tool/srs/deck"
	"github.com/srs-tool/srs/internal/srcpos"
)

// csvHeader is what the "#key:value" lines at the top of an Anki text file
// say. Column numbers are 1-based; 0 means the file has no such column.
type csvHeader struct {
	sep         rune // 0: not given, sniff it
	html        *bool
	tags        []string
	columns     string // raw #columns value, split once the separator is known
	columnsAt   int
	deck        string
	guidCol     int
	deckCol     int
	tagsCol     int
	notetypeCol int
	lines       int // header lines, so record lines can be numbered in the file
	warnings    []string
}

// separatorNames are Anki's names for its separators.
var separatorNames = map[string]rune{
	"tab": '\t', "comma": ',', "semicolon": ';', "pipe": '|', "space": ' ', "colon": ':',
}

// maxColumn bounds column numbers; Anki files have a handful of columns.
const maxColumn = 10000

// parseCSVHeader reads the header lines at the top of text: "#key:value"
// lines, comments ("#" lines without a known key) and, for historic
// reasons, a first line "tags:a b". It returns the header and the text
// after it.
func parseCSVHeader(src srcpos.File, text string) (csvHeader, string, error) {
	var h csvHeader
	rest := text
	for n := 1; rest != ""; n++ {
		line, after, _ := strings.Cut(rest, "\n")
		line = strings.TrimSuffix(line, "\r")
		isTags := n == 1 && strings.HasPrefix(line, "tags:")
		if !strings.HasPrefix(line, "#") && !isTags {
			break
		}
		if !utf8.ValidString(line) {
			return h, "", src.Errorf(n, "invalid UTF-8")
		}
		rest = after
		h.lines = n
		if isTags {
			h.tags = append(h.tags, strings.Fields(line[len("tags:"):])...)
			continue
		}
		key, value, ok := strings.Cut(line[1:], ":")
		if !ok {
			continue // a comment
		}
		if err := h.set(src, n, strings.ToLower(strings.TrimSpace(key)), value); err != nil {
			return h, "", err
		}
	}
	h.tags = deck.AppendTags(nil, h.tags...)
	return h, rest, nil
}

func (h *csvHeader) set(src srcpos.File, n int, key, value string) error {
	trimmed := strings.TrimSpace(value)
	col := func(dst *int) error {
		v, err := strconv.Atoi(trimmed)
		if err != nil || v < 0 || v > maxColumn {
			return src.Errorf(n, "#%s: want a column number, got %q", key, value)
		}
		*dst = v
		return nil
	}
	switch key {
	case "separator":
		sep, ok := separatorNames[strings.ToLower(trimmed)]
		if !ok {
			r, size := utf8.DecodeRuneInString(value)
			if size != len(value) || !validSeparator(r) {
				return src.Errorf(n, "#separator: want Tab, Comma, Semicolon, Pipe, Space, Colon or one character, got %q", value)
			}
			sep = r
		}
		h.sep = sep
	case "html":
		b, err := strconv.ParseBool(strings.ToLower(trimmed))
		if err != nil {
			return src.Errorf(n, "#html: want true or false, got %q", value)
		}
		h.html = &b
	case "tags":
		h.tags = append(h.tags, strings.Fields(value)...)
	case "columns":
		h.columns, h.columnsAt = value, n
	case "deck":
		if err := deck.ValidateDeckName(trimmed); err != nil {
			return src.Errorf(n, "#deck: %v", err)
		}
		h.deck = trimmed
	case "notetype":
		// The srs card model has no note types; the column of fields is
		// what matters.
	case "guid column":
		return col(&h.guidCol)
	case "deck column":
		return col(&h.deckCol)
	case "tags column":
		return col(&h.tagsCol)
	case "notetype column":
		return col(&h.notetypeCol)
	default:
		h.warnings = append(h.warnings, src.At(n)+": unknown header #"+key+" ignored")
	}
	return nil
}

// validSeparator reports whether encoding/csv can split on r.
func validSeparator(r rune) bool {
	return r != 0 && r != '"' && r != '\r' && r != '\n' && r != utf8.RuneError && r != '\uFEFF'
}

// sniffSeparator guesses the separator of a file without a #separator
// line: the first candidate (def first) that splits the first records
// into the same number of fields, at least two; failing that, the first
// that splits every one of them at all (ragged files, an optional tags
// column). It returns 0 when none does.
func sniffSeparator(body string, def rune) rune {
	seps := []rune{def, '\t', ',', ';', '|'}
	for _, even := range []bool{true, false} {
		for _, sep := range seps {
			if sep != 0 && splits(body, sep, even) {
				return sep
			}
		}
	}
	return 0
}

func splits(body string, sep rune, even bool) bool {
	r := csv.NewReader(strings.NewReader(body))
	r.Comma = sep
	r.Comment = '#'
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	want := 0
	for i := 0; i < 20; i++ {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return false
		}
		if len(rec) < 2 || (even && want != 0 && len(rec) != want) {
			return false
		}
		want = len(rec)
	}
	return want != 0
}

// htmlSniff spots fields written as HTML, as Anki does for files without
// an #html line: tags Anki's editor writes, or entities.
var htmlSniff = regexp.MustCompile(`(?i)<(?:/?(?:b|i|u|s|em|strong|div|p|br|span|img|a|ul|ol|li|pre|code|sub|sup|font|table|tr|td|th|hr|h[1-6]|blockquote)(?:\s[^<>]*)?/?)>|&(?:nbsp|amp|lt|gt|quot|#[0-9]+|#x[0-9a-f]+);`)

// splitColumns splits the #columns value with the file's separator.
func splitColumns(src srcpos.File, h csvHeader, sep rune) ([]string, error) {
	if strings.TrimSpace(h.columns) == "" {
		return nil, nil
	}
	r := csv.NewReader(strings.NewReader(h.columns))
	r.Comma = sep
	r.LazyQuotes = true
	rec, err := r.Read()
	if err != nil {
		return nil, src.Errorf(h.columnsAt, "#columns: %v", err)
	}
	for i := range rec {
		rec[i] = strings.TrimSpace(rec[i])
	}
	return rec, nil
}

// stripBOM drops a UTF-8 byte order mark, which Excel and Anki on Windows
// put at the start of text files.
func stripBOM(b []byte) []byte { return bytes.TrimPrefix(b, []byte(utf8BOM)) }

// utf8BOM is the byte order mark Excel and Anki on Windows put first.
const utf8BOM = "\uFEFF"

// SniffSeparator guesses the separator of a file's first lines the way
// ParseCSV and ParseTSV do without a #separator line, or 0 when nothing
// splits them: format detection's sign of CSV or TSV.
func SniffSeparator(text string) rune { return sniffSeparator(text, 0) }

// NamedSeparator reads the value of a #separator header line: one of
// Anki's names ("tab", "Comma") or the character itself.
func NamedSeparator(value string) (rune, bool) {
	if sep, ok := separatorNames[strings.ToLower(strings.TrimSpace(value))]; ok {
		return sep, true
	}
	r, size := utf8.DecodeRuneInString(value)
	return r, size == len(value) && validSeparator(r)
}
