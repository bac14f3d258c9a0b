// Package markdown reads and writes srs's own deck format: Markdown with
// front matter, "## " cards and "### Follow-up: " follow-ups (see
// deck/FORMATS.md). Parse turns a file into a deck.Deck, naming file:line
// in every error; Write turns cards back into a file Parse reads the same.
package markdown

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/srs-tool/srs/deck"
	"github.com/srs-tool/srs/internal/srcpos"
)

const utf8BOM = "\uFEFF"

// Parse reads a deck in the house Markdown format (see deck/FORMATS.md):
// "## " headings start cards, "### Follow-up: " headings start follow-ups
// of the card above, the body up to the next such heading is the back.
// Every error names file:line; nothing is returned unless the whole file
// parses and the deck passes Validate.
func Parse(r io.Reader, opt deck.ParseOptions) (*deck.Deck, error) {
	src := srcpos.New(opt.File)
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", src, err)
	}
	lines := strings.Split(mdNewlines(strings.TrimPrefix(string(data), utf8BOM)), "\n")
	for i, l := range lines {
		if !utf8.ValidString(l) {
			return nil, src.Errorf(i+1, "invalid UTF-8")
		}
		lines[i] = deck.StripControls(l) // before anything reads the line, so all agree
	}

	fm, start, err := parseFrontMatter(src, lines)
	if err != nil {
		return nil, err
	}
	d := &deck.Deck{Name: opt.DeckName(fm.deck), Source: opt.File}
	if err := deck.ValidateDeckName(d.Name); err != nil {
		return nil, fmt.Errorf("%s: %s", src, srcpos.OneLine(err.Error()))
	}
	topKind := fm.kind
	if topKind == "" {
		topKind = deck.KindBasic
	}

	var (
		cards   []*mdCard
		cur     *mdCard
		parent  *mdCard // last "##" card: follow-ups hang off it
		code    fence
		warned  bool
		seenIDs = srcpos.IDs{}
	)
	for i := start; i < len(lines); i++ {
		n, line := i+1, lines[i]
		if !code.open() {
			if level, head := mdHeading(line); level > 0 {
				c, err := newMDCard(src, n, level, head, topKind, parent)
				if err != nil {
					return nil, err
				}
				c.Deck = d.Name
				fix := ""
				if !c.explicit {
					fix = "give one of them an explicit {#id}"
				}
				if err := seenIDs.Check(src, n, c.Deck, c.ID, fix); err != nil {
					return nil, err
				}
				if level == 2 {
					parent = c
				}
				cards = append(cards, c)
				cur = c
				continue
			}
		}
		inCode := code.step(line, n)
		if cur == nil {
			if !warned && !inCode && strings.TrimSpace(line) != "" && !strings.HasPrefix(line, "#") {
				d.Warnings = append(d.Warnings, fmt.Sprintf("%s: text before the first ## card is ignored", src.At(n)))
				warned = true
			}
			continue
		}
		cur.body = append(cur.body, mdLine{line, inCode})
	}
	if code.open() {
		return nil, src.Errorf(code.line, "code fence opened here is never closed")
	}

	for _, c := range cards {
		c.finish(fm.tags)
		if len(c.Front) > deck.MaxFieldSize {
			return nil, fmt.Errorf("%s: the front is %d bytes, larger than %d", c.Source, len(c.Front), deck.MaxFieldSize)
		}
		if len(c.Back) > deck.MaxFieldSize {
			return nil, fmt.Errorf("%s: the answer is %d bytes, larger than %d", c.Source, len(c.Back), deck.MaxFieldSize)
		}
		d.Cards = append(d.Cards, c.Card)
	}
	if err := d.Validate(); err != nil {
		return nil, fmt.Errorf("%s", srcpos.OneLine(err.Error()))
	}
	return d, nil
}

// mdNewlines turns CRLF and lone CR line endings into LF, as CommonMark
// reads them.
func mdNewlines(s string) string {
	if !strings.Contains(s, "\r") {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
}

// mdCard is a card while its body is being collected.
type mdCard struct {
	deck.Card
	explicit bool // the heading gave {#id}
	body     []mdLine
}

type mdLine struct {
	text string
	code bool // inside a fenced block: never a heading or metadata
}

// followUpPrefix marks a "###" heading that starts a follow-up; other
// "###" headings are body text.
const followUpPrefix = "follow-up:"

// HasCardHeading reports whether any of lines starts a card ("## front"
// or "### Follow-up: front"): format detection's sign of a Markdown deck.
func HasCardHeading(lines []string) bool {
	for _, l := range lines {
		if level, _ := mdHeading(l); level > 0 {
			return true
		}
	}
	return false
}

// mdHeading recognises the two headings that structure a deck: "## front"
// (level 2) and "### Follow-up: front" (level 3). It returns the heading
// text after the marks, without the "Follow-up:" prefix.
func mdHeading(line string) (int, string) {
	level := 0
	switch {
	case strings.HasPrefix(line, "###"):
		level = 3
	case strings.HasPrefix(line, "##"):
		level = 2
	default:
		return 0, ""
	}
	rest := line[level:]
	if rest != "" && rest[0] != ' ' && rest[0] != '\t' {
		return 0, ""
	}
	rest = strings.TrimSpace(rest)
	if level == 3 {
		if len(rest) < len(followUpPrefix) || !strings.EqualFold(rest[:len(followUpPrefix)], followUpPrefix) {
			return 0, ""
		}
		rest = strings.TrimSpace(rest[len(followUpPrefix):])
	}
	return level, rest
}

// splitHeadingID splits "front {#id}" into front and id. The id must be
// the last word, after a space, as in Pandoc; a front that merely contains
// "{#" somewhere stays whole.
func splitHeadingID(head string) (front, id string, explicit bool) {
	head = strings.TrimSpace(head)
	i := strings.LastIndexAny(head, " \t")
	last := head[i+1:]
	if len(last) < 3 || !strings.HasPrefix(last, "{#") || !strings.HasSuffix(last, "}") {
		return head, "", false
	}
	return strings.TrimSpace(head[:i+1]), last[2 : len(last)-1], true
}

func newMDCard(src srcpos.File, n, level int, head string, topKind deck.Kind, parent *mdCard) (*mdCard, error) {
	front, id, explicit := splitHeadingID(head)
	if front == "" {
		return nil, src.Errorf(n, "empty front")
	}
	if explicit {
		if err := deck.ValidateID(id); err != nil {
			return nil, src.Errorf(n, "bad id: %v", err)
		}
	} else {
		id = deck.DeriveID(front)
	}
	c := &mdCard{Card: deck.Card{ID: id, Kind: topKind, Front: front, Source: src.At(n)}, explicit: explicit}
	if level == 3 {
		if parent == nil {
			return nil, src.Errorf(n, "follow-up before any ## card")
		}
		c.Kind = deck.KindFollowUp
		c.Parent = parent.ID
	}
	return c, nil
}

// finish turns the collected body into the back, taking the metadata
// lines ("tags: ...", "kind: ...") off its end. Only the last run of
// metadata lines counts, and a blank line ends the run: the writer relies
// on that to keep a back that itself ends in "tags: x" intact.
func (c *mdCard) finish(fileTags []string) {
	body := trimBlank(c.body)
	end := len(body)
	var tagLines []string
	for end > 0 && !body[end-1].code {
		line := body[end-1].text
		if v, ok := strings.CutPrefix(line, "tags:"); ok {
			tagLines = append(tagLines, v)
		} else if k, ok := metaKind(line); ok {
			c.Kind = k
		} else {
			break
		}
		end--
	}
	tags := append([]string{}, fileTags...)
	for i := len(tagLines) - 1; i >= 0; i-- {
		tags = append(tags, splitTags(tagLines[i])...)
	}
	c.Tags = deck.AppendTags([]string{}, tags...)
	body = trimBlank(body[:end])
	texts := make([]string, len(body))
	for i, l := range body {
		texts[i] = l.text
	}
	c.Back = strings.Join(texts, "\n")
}

// metaKind reads a "kind: prompt" line. Only known kinds count, so a back
// that ends in "kind: of, it depends" stays prose.
func metaKind(line string) (deck.Kind, bool) {
	v, ok := strings.CutPrefix(line, "kind:")
	if !ok {
		return "", false
	}
	return deck.ParseKind(strings.TrimSpace(v))
}

// trimBlank drops blank lines from both ends. Indentation of the first
// kept line survives: it may be an indented code block.
func trimBlank(ls []mdLine) []mdLine {
	for len(ls) > 0 && !ls[0].code && strings.TrimSpace(ls[0].text) == "" {
		ls = ls[1:]
	}
	for len(ls) > 0 && !ls[len(ls)-1].code && strings.TrimSpace(ls[len(ls)-1].text) == "" {
		ls = ls[:len(ls)-1]
	}
	return ls
}
