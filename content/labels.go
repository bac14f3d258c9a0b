package content

import (
	"sort"
	"strings"
	"unicode/utf8"
)

// A label introduces a labelled part of an answer ("War Story:"). The guide
// glues most of them to the end of the previous sentence
// ("...approach.Contrarian Take: ..."), so they are found inside lines too.
type label struct {
	text  string // as it appears in the guide
	title string // section heading on the back; "" is the answer itself
	start bool   // recognised only at the start of a line
	whole bool   // nothing may follow but an optional ":" and text after it
	// heading marks the lines that may follow a question line: the answer
	// headings that make a "Qn:" line a question.
	heading bool
}

// bodyLabels are the labels of question and follow-up answers. Longer
// labels come first where one is a prefix of another.
var bodyLabels = []label{
	{text: "Strong Answer Framework:", start: true, heading: true},
	{text: "Strong Answer", start: true, whole: true, heading: true},
	{text: "What strong candidates say", start: true, whole: true, heading: true},
	{text: "What weak candidates say", title: "What Weak Candidates Say", start: true, whole: true, heading: true},
	{text: "War Story:", title: "War Story"},
	{text: "Contrarian Take:", title: "Contrarian Take"},
	// Introduces the two labels after it and is empty itself, so it renders
	// as nothing; it is a label only so that it is not answer text.
	{text: "What Most Candidates Say vs. What Great Candidates Say:", title: "What Most Candidates Say vs. What Great Candidates Say"},
	{text: "Most candidates:", title: "Most Candidates"},
	{text: "Great candidates:", title: "Great Candidates"},
	{text: "Red Flag Answer:", title: "Red Flag Answer"},
	{text: "Production Edge Case:", title: "Production Edge Case"},
	{text: "Production Note:", title: "Production Note"},
	{text: "Senior vs Staff:", title: "Senior vs Staff"},
	{text: "How this changes at senior vs staff level.", title: "Senior vs Staff"},
	{text: "Real-World Example:", title: "Real-World Example"},
	{text: "Senior Follow-up Questions:", title: "Senior Follow-up Questions"},
	{text: "Common Wrong Answers:", title: "Common Wrong Answers"},
	{text: "Further Reading:", title: "Further Reading"},
}

// validateLabel starts a section titled by its own question, up to the "?":
// "What would you validate after shipping the API?".
const validateLabel = "What would you validate"

// patternLabels are the labels inside a probe pattern.
var patternLabels = []label{
	{text: "Senior answer:", title: "Senior Answer", start: true},
	{text: "Staff answer:", title: "Staff Answer", start: true},
	{text: "Red flag:", title: "Red Flag", start: true},
	{text: "Staff-level nuance:", title: "Staff-Level Nuance", start: true},
}

// A segment is a piece of a line: text, optionally opened by a label.
type segment struct {
	label *label
	title string // the label's title (for validateLabel, its question)
	text  string
}

type hit struct {
	pos, end int // the label spans line[pos:end]
	label    *label
	title    string
}

// split cuts line at the labels in set. A label counts at the start of the
// line or glued to the end of a sentence; a label after a space is prose.
func split(line string, set []label, withValidate bool) []segment {
	var hits []hit
	for i := range set {
		l := &set[i]
		if l.start {
			if end, ok := l.matchStart(line); ok {
				hits = append(hits, hit{0, end, l, l.title})
			}
			continue
		}
		for from := 0; ; {
			k := strings.Index(line[from:], l.text)
			if k < 0 {
				break
			}
			k += from
			if k == 0 || gluedAfter(line[:k]) {
				hits = append(hits, hit{k, k + len(l.text), l, l.title})
			}
			from = k + len(l.text)
		}
	}
	if withValidate {
		for from := 0; ; {
			k := strings.Index(line[from:], validateLabel)
			if k < 0 {
				break
			}
			k += from
			from = k + len(validateLabel)
			window := line[from:min(len(line), from+200)]
			q := strings.IndexByte(window, '?')
			if q < 0 || !(k == 0 || gluedAfter(line[:k])) {
				continue
			}
			end := from + q + 1
			hits = append(hits, hit{k, end, &validate, line[k:end]})
			from = end
		}
	}
	if len(hits) == 0 {
		return []segment{{text: line}}
	}
	sort.Slice(hits, func(i, j int) bool {
		if hits[i].pos != hits[j].pos {
			return hits[i].pos < hits[j].pos
		}
		return hits[i].end > hits[j].end
	})
	var segs []segment
	if head := strings.TrimSpace(line[:hits[0].pos]); head != "" {
		segs = append(segs, segment{text: head})
	}
	taken := 0 // end of the last label used
	for i, h := range hits {
		if h.pos < taken {
			continue // overlaps a label already used
		}
		taken = h.end
		end := len(line)
		for _, next := range hits[i+1:] {
			if next.pos >= h.end {
				end = next.pos
				break
			}
		}
		rest := strings.TrimSpace(strings.TrimPrefix(line[h.end:end], ":"))
		segs = append(segs, segment{label: h.label, title: h.title, text: rest})
	}
	return segs
}

// validate stands in for validateLabel in hits; its title is per hit.
var validate = label{text: validateLabel}

func (l *label) matchStart(line string) (end int, ok bool) {
	if !strings.HasPrefix(line, l.text) {
		return 0, false
	}
	end = len(l.text)
	if l.whole && end < len(line) && line[end] != ':' {
		return 0, false
	}
	return end, true
}

// gluedAfter reports whether before ends a sentence with no space after it,
// the way the flattened guide joins a paragraph to the label after it.
func gluedAfter(before string) bool {
	r, _ := utf8.DecodeLastRuneInString(before)
	return strings.ContainsRune(".?!:;)\"'”’", r)
}

// isAnswerHeading reports whether line is a heading that starts the answer
// to a question.
func isAnswerHeading(line string) bool {
	for i := range bodyLabels {
		l := &bodyLabels[i]
		if _, ok := l.matchStart(line); ok && l.heading {
			return true
		}
	}
	return false
}
