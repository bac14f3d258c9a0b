package content

import (
	"bytes"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// readLines splits src into trimmed lines and repairs what must not reach a
// card: invalid UTF-8 (cards are JSON and Markdown) and control characters
// (a terminal would act on them). Each repair, and each line whose text
// looks mangled, is reported, since the author should fix the source.
func (c *compiler) readLines(src []byte) []string {
	src = bytes.TrimPrefix(src, []byte("\uFEFF"))
	raw := bytes.Split(src, []byte{'\n'})
	lines := make([]string, len(raw))
	for i, r := range raw {
		n := i + 1
		s := string(bytes.TrimSuffix(r, []byte{'\r'}))
		if !utf8.ValidString(s) {
			s = strings.ToValidUTF8(s, "\uFFFD")
			c.warn(n, "invalid UTF-8 replaced with U+FFFD")
		}
		s = strings.ReplaceAll(s, "\t", " ")
		if hasControl(s) {
			s = strings.Map(dropControl, s)
			c.warn(n, "control characters removed")
		}
		s = strings.TrimSpace(s)
		if tok := mangled(s); tok != "" {
			c.warn(n, fmt.Sprintf("text looks mangled (dollar amounts rendered as math lost their spaces): %q; kept as is", clip(tok, 48)))
		}
		lines[i] = s
	}
	return lines
}

// hasControl is strings.ContainsFunc(s, unicode.IsControl) for valid
// UTF-8, working on bytes because it runs on every line: C0 controls and
// DEL are single bytes, C1 controls are encoded as 0xC2 0x80-0x9F.
func hasControl(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c == 0x7f || c == 0xc2 && i+1 < len(s) && s[i+1] >= 0x80 && s[i+1] <= 0x9f {
			return true
		}
	}
	return false
}

func dropControl(r rune) rune {
	if unicode.IsControl(r) {
		return -1
	}
	return r
}

// clip shortens s to at most n runes, marking the cut.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// mangled returns the first word of line that looks like it went through a
// TeX math renderer, or "". The web page wrote prices as "$800/month. The
// engineering time is 2 weeks. We expect a $40..."; everything between two
// dollar signs was typeset as math, which drops the dollar signs and the
// spaces and turns hyphens into minus signs. What is left are long words
// that mix digits with glued-together English.
func mangled(line string) string {
	start := -1
	for i := 0; i <= len(line); {
		space, size := true, 1
		if i < len(line) {
			// Tabs and other ASCII controls are gone by now.
			if c := line[i]; c < utf8.RuneSelf {
				space = c == ' '
			} else {
				var r rune
				r, size = utf8.DecodeRuneInString(line[i:])
				space = unicode.IsSpace(r)
			}
		}
		switch {
		case !space:
			if start < 0 {
				start = i
			}
		case start >= 0:
			if mangledWord(line[start:i]) {
				return line[start:i]
			}
			start = -1
		}
		i += size
	}
	return ""
}

// mangledWord applies four signs of math typesetting to one
// whitespace-separated word. Each alone is rare in prose: ordinary words
// top out around 17 letters, and numbers are followed by short units
// ("100ms", "2KB", "10x"), not by words.
func mangledWord(w string) bool {
	if len(w) < 5 {
		return false
	}
	var digits, run, longest, runes int
	for i := 0; i < len(w); runes++ {
		c := w[i]
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(w[i:])
			// A minus sign (U+2212) or prime (U+2032) inside a word: the
			// renderer's hyphen or apostrophe ("inter−region", "advertiser′s").
			if (r == '\u2212' || r == '\u2032') && i > 0 && i+size < len(w) {
				before, after := isLetter(w[i-1]), isLetter(w[i+size])
				if r == '\u2212' && (before || after) || before && after {
					return true
				}
			}
			run = 0
			i += size
			continue
		}
		switch {
		case isDigit(c):
			digits++
			run = 0
			// A number glued to a following word ("2weeks", "120Kandtakes").
			j := i + 1
			if j < len(w) && (w[j] == 'K' || w[j] == 'M' || w[j] == 'B') {
				j++
			}
			if lowerRun(w[j:]) >= 4 {
				return true
			}
		case isLetter(c):
			run++
			longest = max(longest, run)
		case c == '=':
			run = 0
			// An equals sign glued between a word and an amount ("engineer=375K").
			if i > 0 && isLetter(w[i-1]) && amountFollows(w[i+1:]) {
				return true
			}
		default:
			run = 0
		}
		i++
	}
	// Glued English next to numbers ("800/month.Theengineeringtimeis2weeks").
	return digits > 0 && longest >= 12 && runes >= 20
}

func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func lowerRun(w string) int {
	n := 0
	for n < len(w) && w[n] >= 'a' && w[n] <= 'z' {
		n++
	}
	return n
}

// amountFollows reports whether w starts with a number with a magnitude
// suffix, like "375K".
func amountFollows(w string) bool {
	i := 0
	for i < len(w) && (isDigit(w[i]) || w[i] == '.' || w[i] == ',') {
		i++
	}
	return i > 0 && isDigit(w[0]) && i < len(w) && (w[i] == 'K' || w[i] == 'M' || w[i] == 'B')
}
