package termmd

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// span is a run of text in one style. Text never holds escape sequences
// or newlines: styles are applied only when a laid-out line is printed,
// so wrapping measures plain text and a style never leaks across a line
// break.
type span struct {
	text  string
	style Style
}

// chunk is the unit wrapping works on: a run of spaces (a break point,
// dropped at a line break) or a piece of a word that ends where the line
// may break (before a space, or after the hyphen of "command-and-").
type chunk struct {
	spans []span
	width int
	space bool
}

// chunks cuts spans into chunks. A word may cross spans ("**bold**ness"
// is one word in two styles), so a chunk holds spans of its own.
func chunks(spans []span) []chunk {
	var out []chunk
	var cur chunk
	flush := func() {
		if len(cur.spans) > 0 {
			out = append(out, cur)
		}
		cur = chunk{}
	}
	add := func(s string, st Style, space bool) {
		if s == "" {
			return
		}
		if cur.space != space {
			flush()
			cur.space = space
		}
		cur.spans = append(cur.spans, span{s, st})
		cur.width += ansi.StringWidth(s)
	}
	for _, sp := range spans {
		s := sp.text
		for s != "" {
			i := strings.IndexFunc(s, isSpace)
			if i == 0 {
				j := strings.IndexFunc(s, func(r rune) bool { return !isSpace(r) })
				if j < 0 {
					j = len(s)
				}
				add(s[:j], sp.style, true)
				s = s[j:]
				continue
			}
			if i < 0 {
				i = len(s)
			}
			word := s[:i]
			for {
				h := hyphenBreak(word)
				if h < 0 {
					break
				}
				add(word[:h], sp.style, false)
				flush()
				word = word[h:]
			}
			add(word, sp.style, false)
			s = s[i:]
		}
	}
	flush()
	return out
}

func isSpace(r rune) bool { return r == ' ' }

// hyphenBreak returns the index just past the first hyphen in word that a
// line may break after, or -1. Only a hyphen between two letters or
// digits qualifies ("state-of-the-art", "x86-64"), so "-v", "--force" and
// "a - b" stay whole and the hyphen always stays on the line it ends.
func hyphenBreak(word string) int {
	for i := 1; i < len(word)-1; i++ {
		if word[i] != '-' {
			continue
		}
		before, _ := utf8.DecodeLastRuneInString(word[:i])
		after, _ := utf8.DecodeRuneInString(word[i+1:])
		if isAlnum(before) && isAlnum(after) {
			return i + 1
		}
	}
	return -1
}

func isAlnum(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// wrap lays spans out in lines no wider than width (at least 1): greedy,
// breaking at spaces and after word hyphens, and cutting a word only when
// it is wider than a whole line. Spaces at a break are dropped.
func wrap(spans []span, width int) [][]span {
	width = max(width, 1)
	var lines [][]span
	var line []span
	used := 0
	var pending []span // spaces waiting for the next word on this line
	pendingW := 0
	newline := func() {
		lines = append(lines, line)
		line, used, pending, pendingW = nil, 0, nil, 0
	}
	for _, c := range chunks(spans) {
		if c.space {
			if used > 0 {
				pending, pendingW = append(pending, c.spans...), pendingW+c.width
			}
			continue
		}
		if used > 0 && used+pendingW+c.width > width {
			newline()
		}
		if used > 0 {
			line, used = append(line, pending...), used+pendingW
		}
		pending, pendingW = nil, 0
		for _, sp := range c.spans {
			s := sp.text
			for s != "" {
				if used == width {
					newline()
				}
				head := cut(s, width-used)
				if head == "" && used > 0 {
					newline()
					continue
				}
				if head == "" {
					// A character wider than the whole line: it goes on
					// a line of its own rather than loop forever.
					_, n := utf8.DecodeRuneInString(s)
					head = s[:n]
				}
				line = append(line, span{head, sp.style})
				used += ansi.StringWidth(head)
				s = s[len(head):]
			}
		}
	}
	if len(line) > 0 || len(lines) == 0 {
		lines = append(lines, line)
	}
	return lines
}

// cut returns the longest prefix of plain text s no wider than w, whole
// characters only. It reads only as far as the prefix goes (ansi.Truncate
// reads all of s), so folding a long line is linear, not quadratic.
func cut(s string, w int) string {
	n, used := 0, 0
	for n < len(s) {
		cluster, cw := ansi.FirstGraphemeCluster(s[n:], ansi.GraphemeWidth)
		if used+cw > w {
			break
		}
		n, used = n+len(cluster), used+cw
	}
	return s[:n]
}

// hardWrap cuts plain text into pieces no wider than width, keeping every
// character (spaces included): code is shown exactly, only folded.
func hardWrap(s string, width int) []string {
	width = max(width, 1)
	var out []string
	for {
		head := cut(s, width)
		if head == "" && s != "" {
			_, n := utf8.DecodeRuneInString(s)
			head = s[:n]
		}
		out = append(out, head)
		s = s[len(head):]
		if s == "" {
			return out
		}
	}
}

// spansWidth is the printed width of a line.
func spansWidth(spans []span) int {
	w := 0
	for _, s := range spans {
		w += ansi.StringWidth(s.text)
	}
	return w
}
