package htmlmd

import "strings"

// escapeText escapes what a word of text (no spaces in it) would otherwise
// mean in Markdown, so that the Markdown shows the text: emphasis and code
// delimiters, link brackets, tags and entities anywhere; heading, list,
// quote, rule and underline markers when the word starts a line
// (lineStart). It escapes only what could take effect, so ordinary text
// ("5 * 3", "snake_case", "[sound:x.mp3]", "a < b") reads unchanged.
//
// In a table cell (cell), "|" is escaped too: it would end the cell.
func escapeText(w string, lineStart, cell bool) string {
	if !strings.ContainsAny(w, "\\`*_~[]<&#>-+=.)|") {
		return w
	}
	var b strings.Builder
	for i := 0; i < len(w); i++ {
		c := w[i]
		if c == '|' && cell || escapeAt(w, i, lineStart) {
			b.WriteByte('\\')
		}
		b.WriteByte(c)
	}
	return b.String()
}

func escapeAt(w string, i int, lineStart bool) bool {
	c := w[i]
	var prev, next byte = ' ', ' '
	if i > 0 {
		prev = w[i-1]
	}
	if i+1 < len(w) {
		next = w[i+1]
	}
	first := lineStart && i == 0
	switch c {
	case '\\': // escapes the punctuation after it; at a line's end, breaks it
		return next == ' ' || isASCIIPunct(next)
	case '`': // code spans
		return true
	case '*': // emphasis; a word of stars alone is none, but starts a list or a rule
		return !allByte(w, '*') || first
	case '_': // emphasis, except inside a word; a word of them starts a rule
		if allByte(w, '_') {
			return first
		}
		return !(isWordByte(prev) && isWordByte(next))
	case '~': // strikethrough (~~) and fences (~~~)
		return prev == '~' || next == '~'
	case ']': // a link or image: [text](url), [text][ref], [ref]: url
		return next == '(' || next == '[' || next == ':'
	case '<': // a tag ToHTML lets through (other tags it shows as text)
		return isSimpleTag(w[i:])
	case '&': // an entity
		return isEntity(w[i:])
	case '#': // a heading
		return first && allByte(w, '#') && len(w) <= 6
	case '>': // a quote
		return first
	case '-', '=': // a list item, a rule, a heading's underline
		return first && allByte(w, c)
	case '+': // a list item
		return first && len(w) == 1
	case '.', ')': // an ordered list item: "1." or "1)" starting a line
		return lineStart && i == len(w)-1 && i >= 1 && i <= 9 && allDigits(w[:i])
	}
	return false
}

func allByte(s string, c byte) bool {
	for i := range len(s) {
		if s[i] != c {
			return false
		}
	}
	return true
}

func allDigits(s string) bool {
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// isWordByte: letters, digits and anything not ASCII count as a word's
// inside, where "_" does not delimit emphasis.
func isWordByte(b byte) bool {
	return isASCIILetter(b) || '0' <= b && b <= '9' || b >= 0x80
}

func isASCIIPunct(b byte) bool {
	return '!' <= b && b <= '/' || ':' <= b && b <= '@' || '[' <= b && b <= '`' || '{' <= b && b <= '~'
}

// isEntity reports whether s starts with an entity or character
// reference: "&name;", "&#123;" or "&#x1F;".
func isEntity(s string) bool {
	// No entity is longer than this: looking further made a word of many
	// "&" quadratic.
	const maxEntity = 40
	end := strings.IndexByte(s[:min(len(s), maxEntity)], ';')
	if end < 2 {
		return false
	}
	ref := s[1:end]
	if h, ok := strings.CutPrefix(ref, "#"); ok {
		if x, ok := strings.CutPrefix(strings.ToLower(h), "x"); ok {
			h = x
			return h != "" && strings.Trim(h, "0123456789abcdef") == ""
		}
		return allDigits(h)
	}
	if !isASCIILetter(ref[0]) {
		return false
	}
	for i := range len(ref) {
		if !isASCIILetter(ref[i]) && (ref[i] < '0' || ref[i] > '9') {
			return false
		}
	}
	return true
}

// simpleTags are the tags ToHTML lets through (simpleInlineTag).
var simpleTags = []string{"b", "i", "u", "s", "em", "strong", "del", "sub", "sup", "kbd", "mark", "small"}

// isSimpleTag reports whether s starts with a tag ToHTML would keep as
// formatting: <b>, </em>, <br>, <br/> ("<br" alone is "<br />" split at
// its space).
func isSimpleTag(s string) bool {
	// The longest tag is "</strong>": lowering the whole rest of the word
	// made a word of many "<" quadratic.
	s = strings.ToLower(s[:min(len(s), len("</strong>"))])
	if s == "<br" || strings.HasPrefix(s, "<br>") || strings.HasPrefix(s, "<br/>") {
		return true
	}
	name, ok := strings.CutPrefix(s, "</")
	if !ok {
		name = s[1:]
	}
	for _, t := range simpleTags {
		if strings.HasPrefix(name, t+">") {
			return true
		}
	}
	return false
}
