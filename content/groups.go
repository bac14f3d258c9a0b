package content

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/srs-tool/srs/deck"
)

// Section tags, one per part of the guide.
const (
	tagQuestions = "section:deep-questions"
	tagProbes    = "section:universal-probes"
	tagPatterns  = "section:probe-patterns"
	tagPrompts   = "section:prompts"
)

// startGroup opens a prompt group, probe pattern or probe group if line i
// is the header of one.
func (c *compiler) startGroup(i int) bool {
	t := c.lines[i]
	short := utf8.RuneCountInString(t) <= 100
	switch {
	case short && strings.HasSuffix(t, "Prompts:"):
		name := strings.TrimSpace(strings.TrimSuffix(t, "Prompts:"))
		c.openGroup(modePrompts, name, slugify(name, "prompts"))
		return true
	case short && strings.HasSuffix(t, ":") && isQuoted(c.nextLine(i)):
		name := strings.TrimSuffix(t, ":")
		c.openGroup(modeProbes, name, probeGroupSlug(name))
		return true
	}
	num, name, question, ok := patternHeader(t)
	if !ok {
		return false
	}
	u := c.newUnit(i, "pattern."+slugify(name, "p"+strconv.Itoa(num)), deck.KindPattern, c.text(question))
	u.card.Tags = []string{tagPatterns}
	u.lead = fmt.Sprintf("**Probe pattern %d: %s**", num, name)
	c.patterns = append(c.patterns, u)
	c.cur, c.mode = u, modePattern
	return true
}

func (c *compiler) openGroup(m mode, name, slug string) {
	c.mode, c.cur = m, nil
	c.group = group{context: name, slug: slug, loop: loopFor(name)}
}

// patternHeader parses "1. Failure Mode — “What is the most likely way this
// fails in production?”".
func patternHeader(t string) (num int, name, question string, ok bool) {
	dot := strings.Index(t, ". ")
	if dot < 1 || dot > 3 {
		return 0, "", "", false
	}
	num, err := strconv.Atoi(t[:dot])
	if err != nil {
		return 0, "", "", false
	}
	for _, dash := range []string{" — ", " – ", " - "} {
		name, rest, found := strings.Cut(t[dot+2:], dash)
		name = strings.TrimSpace(name)
		if !found || name == "" || utf8.RuneCountInString(name) > 60 || !isQuoted(rest) {
			continue
		}
		// The closing quote is optional: the guide drops it at times.
		question, _ = unquote(strings.TrimSpace(rest))
		if strings.TrimSpace(question) == "" {
			continue
		}
		return num, name, question, true
	}
	return 0, "", "", false
}

// addPrompt makes line i a prompt of the open group.
func (c *compiler) addPrompt(i int) {
	g := &c.group
	g.n++
	front, title, answer := splitAnswer(c.lines[i])
	u := c.newUnit(i, fmt.Sprintf("prompt.%s.%d", g.slug, g.n), deck.KindPrompt, c.text(front))
	u.card.Tags = groupTags(tagPrompts, g)
	u.setAnswer(title, c.text(answer))
}

// addProbe makes the quoted line i a probe of the open group.
func (c *compiler) addProbe(i int) {
	g := &c.group
	g.n++
	front, title, answer := splitAnswer(c.lines[i])
	if q, ok := unquote(front); ok && q != "" {
		front = q
	}
	u := c.newUnit(i, fmt.Sprintf("probe.%s.%d", g.slug, g.n), deck.KindProbe, c.text(front))
	u.card.Tags = groupTags(tagProbes, g)
	u.lead = "_" + strings.TrimSuffix(g.context, ".") + "._"
	u.setAnswer(title, c.text(answer))
}

func (u *unit) setAnswer(title, answer string) {
	if answer == "" {
		u.rubric = true
		return
	}
	u.open(title)
	u.cur.add(answer, true)
}

func groupTags(section string, g *group) []string {
	tags := []string{section, "group:" + g.slug}
	if g.loop != "" {
		tags = append(tags, deck.LoopTag+g.loop)
	}
	return tags
}

// answerMarkers introduce a model answer at the end of a prompt or probe.
var answerMarkers = []struct{ marker, title string }{
	{"(Strong answer:", "Strong Answer"},
	{"(Hint:", "Hint"},
	{"(Staff expectation:", "Staff Expectation"},
}

// splitAnswer separates a trailing "(Strong answer: ...)" and the like from
// the question before it.
func splitAnswer(t string) (front, title, answer string) {
	body := strings.TrimSuffix(t, ".")
	if !strings.HasSuffix(body, ")") {
		return t, "", ""
	}
	k, title, marker := -1, "", ""
	for _, m := range answerMarkers {
		if j := strings.Index(body, m.marker); j > 0 && (k < 0 || j < k) {
			k, title, marker = j, m.title, m.marker
		}
	}
	if k < 0 {
		return t, "", ""
	}
	front = strings.TrimSpace(t[:k])
	answer = strings.TrimSpace(body[k+len(marker) : len(body)-1])
	if front == "" || answer == "" {
		return t, "", ""
	}
	return front, title, answer
}

// probeGroupSlug names a probe group by the words that say when to ask it:
// "After any architecture or trade-off answer" is "architecture", "The two
// universal probes that work in any interview" is "universal".
func probeGroupSlug(header string) string {
	h := strings.ToLower(header)
	if rest, ok := strings.CutPrefix(h, "after any "); ok {
		rest = strings.TrimSuffix(strings.TrimSuffix(rest, " answers"), " answer")
		rest, _, _ = strings.Cut(rest, " or ")
		return slugify(rest, "probes")
	}
	if before, _, ok := strings.Cut(h, " probe"); ok {
		var words []string
		for _, w := range strings.Fields(before) {
			if !stopWords[w] {
				words = append(words, w)
			}
		}
		if s := slugify(strings.Join(words, " "), ""); s != "" {
			return s
		}
	}
	return slugify(header, "probes")
}

var stopWords = map[string]bool{
	"the": true, "a": true, "an": true, "all": true, "any": true, "some": true,
	"two": true, "three": true, "four": true, "five": true, "six": true,
}

// slugify makes an ID or tag part of s: lowercase ASCII letters and digits
// joined by hyphens, at most 40 bytes, or fallback if nothing is left.
func slugify(s, fallback string) string {
	var b strings.Builder
	sep := false
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			if sep && b.Len() > 0 {
				b.WriteByte('-')
			}
			sep = false
			b.WriteRune(r)
		case r == '\'' || r == '’':
			// "What’s" is one word
		default:
			sep = true
		}
	}
	out := b.String()
	if len(out) > 40 {
		out = out[:40]
		if k := strings.LastIndexByte(out, '-'); k > 0 {
			out = out[:k]
		}
	}
	if out == "" {
		return fallback
	}
	return out
}

// loopKeywords map what the guide calls a prompt or probe group, or a
// question's own description of itself, to interview loop types. The first
// match wins.
var loopKeywords = []struct{ word, loop string }{
	{"system design", "system-design"},
	{"debugging", "debugging"},
	{"incident", "debugging"},
	{"migration", "migration-review"},
	{"evaluate this proposal", "arch-review"},
	{"architecture", "arch-review"},
	{"trade-off", "arch-review"},
	{"calibration", "calibration"},
	{"validate", "validation"},
	{"behavioral", "behavioral"},
}

func loopFor(name string) string {
	name = strings.ToLower(name)
	for _, k := range loopKeywords {
		if strings.Contains(name, k.word) {
			return k.loop
		}
	}
	return ""
}
