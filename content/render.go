package content

import (
	"strings"
	"unicode/utf8"
)

// A block is one piece of answer text: a source line, or the part of a line
// between labels.
type block struct {
	text string
	para bool // never a list item (see section.add)
	gap  bool // a blank source line: ends a list
}

// A section is the answer or one labelled part of it.
type section struct {
	title  string // "" for the answer
	blocks []block
}

// add appends text to s. Text that shares its line with a label is prose,
// and so is the opening line of an answer: in the flattened guide list
// items are lines of their own and come after an introduction.
func (s *section) add(text string, para bool) {
	if s.title == "" && len(s.blocks) == 0 {
		para = true
	}
	s.blocks = append(s.blocks, block{text: text, para: para})
}

// Lines longer than this are paragraphs even in a run of lines: the
// guide's list items are a sentence or a short paragraph.
const maxItemRunes = 600

type blockKind int

const (
	kindPara blockKind = iota
	kindItem
	kindSub
	kindGap
)

// markdown renders blocks: runs of two or more short lines become a bullet
// list, short "Label: ..." lines and lines ending in ":" between them bold
// sub-headings, and everything else paragraphs.
func markdown(bs []block) string {
	kinds := make([]blockKind, len(bs))
	for i, b := range bs {
		switch {
		case b.gap:
			kinds[i] = kindGap
		case b.para:
			kinds[i] = kindPara
		case isSubheading(b.text):
			kinds[i] = kindSub
		case strings.HasSuffix(b.text, ":"), utf8.RuneCountInString(b.text) > maxItemRunes:
			kinds[i] = kindPara
		default:
			kinds[i] = kindItem
		}
	}
	for i, k := range kinds {
		if k != kindItem {
			continue
		}
		prev := i > 0 && kinds[i-1] == kindItem
		next := i+1 < len(kinds) && kinds[i+1] == kindItem
		if !prev && !next {
			kinds[i] = kindPara // a list of one is a paragraph
		}
	}
	var b strings.Builder
	for i, bl := range bs {
		k := kinds[i]
		if k == kindGap {
			continue
		}
		if b.Len() > 0 {
			if k == kindItem && i > 0 && kinds[i-1] == kindItem {
				b.WriteByte('\n')
			} else {
				b.WriteString("\n\n")
			}
		}
		switch k {
		case kindItem:
			b.WriteString("- ")
			b.WriteString(escapeStart(bl.text))
		case kindSub:
			b.WriteString("**")
			b.WriteString(bl.text)
			b.WriteString("**")
		default:
			b.WriteString(escapeStart(bl.text))
		}
	}
	return b.String()
}

// isSubheading reports whether a line is a short heading inside an answer:
// "Observability:", "Minutes 2-5: Assess the blast radius."
func isSubheading(t string) bool {
	if utf8.RuneCountInString(t) > 90 {
		return false
	}
	if strings.HasSuffix(t, ":") {
		return true
	}
	k := strings.Index(t, ": ")
	return k > 0 && k <= 30 && !strings.Contains(t[:k], ".") &&
		strings.HasSuffix(t, ".") && !strings.Contains(t, ". ")
}

// escapeStart keeps source text from being read as Markdown block syntax:
// a line of the guide that starts with "4. " or "#" is prose, not a list or
// a heading.
func escapeStart(t string) string {
	if t == "" {
		return t
	}
	if strings.ContainsRune("#>-+*=|`<~_", rune(t[0])) {
		return `\` + t
	}
	i := 0
	for i < len(t) && i < 9 && isDigit(t[i]) {
		i++
	}
	if i > 0 && i < len(t) && (t[i] == '.' || t[i] == ')') && (i+1 == len(t) || t[i+1] == ' ') {
		return t[:i] + `\` + t[i:]
	}
	return t
}
