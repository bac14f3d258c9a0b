package markdown

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/srs-tool/srs/deck"
)

// Write writes cards in the house Markdown format so that
// Parse reads back the same IDs, fronts, backs, tags, parents and
// kinds. Every card gets an explicit {#id}, so editing a front later keeps
// its history. All cards must belong to one deck.
//
// Follow-ups are written under their parent, whatever their order in
// cards. What the format cannot hold is normalised (see FORMATS.md): a
// front is one line, so line breaks in it become spaces; blank lines
// around a back are dropped; a back line that would read as a card heading
// gets a leading space; an unclosed code fence in a back is closed; tags
// are words, so a tag with a space or comma is split; repeated tags
// collapse; a follow-up whose parent is not among cards (or is itself a
// follow-up) is written as a top-level card without its parent.
func Write(w io.Writer, cards []deck.Card) error {
	if len(cards) == 0 {
		return nil
	}
	name := cards[0].Deck
	seen := make(map[string]bool, len(cards))
	for i, c := range cards {
		if c.Deck != name {
			return fmt.Errorf("write markdown: cards from decks %q and %q; a Markdown file holds one deck", name, c.Deck)
		}
		if err := deck.ValidateID(c.ID); err != nil {
			return fmt.Errorf("write markdown: card %d: %v", i+1, err)
		}
		if seen[c.ID] {
			return fmt.Errorf("write markdown: id %q used twice", c.ID)
		}
		seen[c.ID] = true
		if mdFront(c.Front) == "" {
			return fmt.Errorf("write markdown: card %q: empty front", c.ID)
		}
	}
	if name != "" {
		if err := deck.ValidateDeckName(name); err != nil {
			return fmt.Errorf("write markdown: %v", err)
		}
	}

	// A card is top level unless its parent is a top-level card here.
	top := map[string]bool{}
	for _, c := range cards {
		if c.Parent == "" {
			top[c.ID] = true
		}
	}
	children := map[string][]deck.Card{}
	var roots []deck.Card
	for _, c := range cards {
		if c.Parent != "" && top[c.Parent] {
			children[c.Parent] = append(children[c.Parent], c)
		} else {
			roots = append(roots, c)
		}
	}
	defKind := commonKind(roots)
	fileTags := commonTags(cards)

	bw := bufio.NewWriter(w)
	bw.WriteString("---\n")
	if name != "" {
		fmt.Fprintf(bw, "deck: %s\n", quoteValue(name))
	}
	if len(fileTags) > 0 {
		fmt.Fprintf(bw, "tags: [%s]\n", strings.Join(fileTags, ", "))
	}
	if defKind != deck.KindBasic {
		fmt.Fprintf(bw, "kind: %s\n", defKind)
	}
	bw.WriteString("---\n")
	for _, c := range roots {
		writeMDCard(bw, c, "## ", defKind, len(fileTags))
		for _, f := range children[c.ID] {
			writeMDCard(bw, f, "### Follow-up: ", deck.KindFollowUp, len(fileTags))
		}
	}
	return bw.Flush()
}

func writeMDCard(w *bufio.Writer, c deck.Card, mark string, defKind deck.Kind, skipTags int) {
	fmt.Fprintf(w, "\n%s%s {#%s}\n", mark, mdFront(c.Front), c.ID)
	back, endsLikeMeta := mdBack(c.Back)
	if back != "" {
		w.WriteString(back)
		w.WriteString("\n")
	}
	tags := normTags(c.Tags)
	if skipTags <= len(tags) {
		tags = tags[skipTags:]
	}
	kind := c.Kind
	if kind == "" {
		kind = deck.KindBasic
	}
	if len(tags) == 0 && kind == defKind && !endsLikeMeta {
		return
	}
	if back != "" {
		w.WriteString("\n")
	}
	// An empty "tags:" line still ends the metadata run, which is what
	// protects a back whose own last line reads like metadata.
	if len(tags) > 0 || kind == defKind {
		fmt.Fprintf(w, "tags: %s\n", tagLine(tags))
	}
	if kind != defKind {
		fmt.Fprintf(w, "kind: %s\n", kind)
	}
}

// mdFront makes a front fit on a heading line.
func mdFront(front string) string {
	front = strings.ToValidUTF8(front, "\uFFFD")
	front = deck.StripControls(strings.ReplaceAll(mdNewlines(front), "\n", " "))
	return strings.TrimSpace(front)
}

// mdBack prepares a back for writing: outside code, lines that the parser
// would take for headings get a leading space (Markdown renders them the
// same), and an unclosed fence is closed so it cannot swallow the next
// card. It also reports whether the back ends in a line the parser would
// take for metadata.
func mdBack(back string) (string, bool) {
	lines := strings.Split(deck.StripControls(mdNewlines(strings.ToValidUTF8(back, "\uFFFD"))), "\n")
	var f fence
	lastMeta := false
	for i, l := range lines {
		if !f.open() {
			if level, _ := mdHeading(l); level > 0 {
				l = " " + l
			}
		}
		code := f.step(l, i+1)
		if strings.TrimSpace(l) != "" {
			_, isKind := metaKind(l)
			lastMeta = !code && (strings.HasPrefix(l, "tags:") || isKind)
		}
		lines[i] = l
	}
	if f.open() {
		lines = append(lines, f.closer())
		lastMeta = false
	}
	ls := make([]mdLine, len(lines))
	for i, l := range lines {
		ls[i] = mdLine{text: l}
	}
	ls = trimBlank(ls)
	out := make([]string, len(ls))
	for i, l := range ls {
		out[i] = l.text
	}
	return strings.Join(out, "\n"), lastMeta
}

// tagLine writes a card's tags as "a, b", or as "[a, b]" when the bare
// form would itself read as a bracketed list and lose its brackets.
func tagLine(tags []string) string {
	s := strings.Join(tags, ", ")
	if strings.HasPrefix(s, "[") && strings.HasSuffix(s, "]") {
		return "[" + s + "]"
	}
	return s
}

// normTags gives the tags as the parser will read them back: words,
// without repeats.
func normTags(tags []string) []string {
	var words []string
	for _, t := range tags {
		words = append(words, tagWords(deck.StripControls(strings.ToValidUTF8(t, "\uFFFD")))...)
	}
	return deck.AppendTags(nil, words...)
}

// commonKind picks the kind most top-level cards have, so that only the
// exceptions need a "kind:" line. Basic wins ties: it needs no front
// matter line at all.
func commonKind(cards []deck.Card) deck.Kind {
	count := map[deck.Kind]int{}
	best := deck.KindBasic
	for _, c := range cards {
		k := c.Kind
		if k == "" {
			k = deck.KindBasic
		}
		count[k]++
		if count[k] > count[best] {
			best = k
		}
	}
	return best
}

// commonTags is the longest tag prefix all cards share; it goes into the
// front matter. Only a prefix can move there: the parser puts file tags
// first, and order is kept.
func commonTags(cards []deck.Card) []string {
	if len(cards) < 2 {
		return nil
	}
	prefix := normTags(cards[0].Tags)
	for _, c := range cards[1:] {
		tags := normTags(c.Tags)
		n := 0
		for n < len(prefix) && n < len(tags) && prefix[n] == tags[n] {
			n++
		}
		prefix = prefix[:n]
	}
	return prefix
}

// quoteValue quotes a front matter value that would not read back as is.
func quoteValue(v string) string {
	if v != strings.TrimSpace(v) || strings.HasPrefix(v, `"`) || strings.HasPrefix(v, `'`) {
		return strconv.Quote(v)
	}
	return v
}
