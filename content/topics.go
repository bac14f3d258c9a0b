package content

import (
	"bufio"
	"bytes"
	_ "embed"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/srs-tool/srs/deck"
)

// topicsTable says which topics and interview loops each deep question of
// the built-in guide belongs to. The guide tags nothing itself, and
// guessing topics from answer text would tag half the guide "system
// design", so the table is written and reviewed by hand. Its format is
// described at its top.
//
//go:embed topics.txt
var topicsTable []byte

// A topicTable is a parsed topics.txt.
type topicTable struct {
	topics, loops map[string]string // name: the line of the guide it comes from
	topicOrder    []string          // topics in table order
	loopOrder     []string
	rows          map[string]topicRow // card ID: its row
}

type topicRow struct {
	line          int
	topics, loops []string
}

// parseTopics reads a topics table. Every mistake is an error naming the
// line: the table is ours, and a typo must not silently untag a question.
func parseTopics(file string, src []byte) (*topicTable, error) {
	t := &topicTable{topics: map[string]string{}, loops: map[string]string{}, rows: map[string]topicRow{}}
	sc := bufio.NewScanner(bytes.NewReader(src))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if err := t.parseLine(n, line); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", file, n, err)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	return t, nil
}

func (t *topicTable) parseLine(n int, line string) error {
	f := strings.Fields(line)
	switch f[0] {
	case "topic", "loop":
		if len(f) < 3 {
			return fmt.Errorf("want %q NAME SOURCE, got %q", f[0], line)
		}
		names, order := t.topics, &t.topicOrder
		if f[0] == "loop" {
			names, order = t.loops, &t.loopOrder
		}
		if err := checkName(f[1]); err != nil {
			return err
		}
		if _, dup := names[f[1]]; dup {
			return fmt.Errorf("%s %q is declared twice", f[0], f[1])
		}
		// The source is the rest of the line, spaces and all.
		rest := strings.TrimSpace(line[len(f[0]):])
		names[f[1]] = strings.TrimSpace(rest[len(f[1]):])
		*order = append(*order, f[1])
	case "card":
		if len(f) != 4 {
			return fmt.Errorf("want card ID TOPICS LOOPS, got %q", line)
		}
		id := f[1]
		if _, dup := t.rows[id]; dup {
			return fmt.Errorf("card %q has two rows", id)
		}
		row := topicRow{line: n}
		var err error
		if row.topics, err = listOf("topic", f[2], t.topics); err != nil {
			return fmt.Errorf("card %s: %w", id, err)
		}
		if row.loops, err = listOf("loop", f[3], t.loops); err != nil {
			return fmt.Errorf("card %s: %w", id, err)
		}
		t.rows[id] = row
	default:
		return fmt.Errorf("unknown record %q: want topic, loop or card", f[0])
	}
	return nil
}

// listOf parses a comma-separated list of names declared in known.
func listOf(kind, list string, known map[string]string) ([]string, error) {
	var out []string
	for _, name := range strings.Split(list, ",") {
		if _, ok := known[name]; !ok {
			return nil, fmt.Errorf("unknown %s %q (declare it with a %q line first)", kind, name, kind)
		}
		if slices.Contains(out, name) {
			return nil, fmt.Errorf("%s %q listed twice", kind, name)
		}
		out = append(out, name)
	}
	return out, nil
}

// checkName accepts what slugify makes: lowercase ASCII words joined by
// hyphens, so that a tag is typed the way it reads.
func checkName(name string) error {
	if slugify(name, "") != name {
		return fmt.Errorf("name %q is not lowercase words joined by hyphens", name)
	}
	return nil
}

// apply tags the questions of d and their follow-ups. It fails if a
// question has no row, a row names no question or follow-up of d, or a
// row leaves out a loop the question's answer claims ("This is a
// behavioral question"): the table must be kept in step with the guide.
func (t *topicTable) apply(d *deck.Deck) error {
	index := make(map[string]int, len(d.Cards))
	for i, c := range d.Cards {
		index[c.ID] = i
	}
	ids := slices.SortedFunc(maps.Keys(t.rows), func(a, b string) int { return t.rows[a].line - t.rows[b].line })
	for _, id := range ids {
		row := t.rows[id]
		i, ok := index[id]
		if !ok {
			return fmt.Errorf("line %d: card %q is not in the guide", row.line, id)
		}
		if k := d.Cards[i].Kind; k != deck.KindQuestion && k != deck.KindFollowUp {
			return fmt.Errorf("line %d: card %q is a %s, not a question or follow-up", row.line, id, k)
		}
	}
	for i := range d.Cards {
		c := &d.Cards[i]
		row, own := t.rows[c.ID]
		switch {
		case c.Kind == deck.KindQuestion && !own:
			return fmt.Errorf("question %s (%s) has no row; add one", c.ID, c.Source)
		case c.Kind == deck.KindFollowUp && !own:
			row, own = t.rows[c.Parent]
			if !own {
				return fmt.Errorf("follow-up %s: its question %s has no row", c.ID, c.Parent)
			}
		case !own:
			continue
		}
		tags, err := row.tags(c)
		if err != nil {
			return fmt.Errorf("line %d: %w", row.line, err)
		}
		c.Tags = tags
	}
	return nil
}

// tags are c's tags with the row's topics and loops: the compiler's
// section tag first, then the topics, then the loops.
func (row topicRow) tags(c *deck.Card) ([]string, error) {
	var tags, claimed []string
	for _, tag := range c.Tags {
		if loop, ok := strings.CutPrefix(tag, deck.LoopTag); ok {
			claimed = append(claimed, loop)
		} else {
			tags = append(tags, tag)
		}
	}
	for _, topic := range row.topics {
		tags = append(tags, deck.TopicTag+topic)
	}
	for _, loop := range row.loops {
		tags = append(tags, deck.LoopTag+loop)
	}
	// A follow-up with a row of its own does not claim its question's loop.
	if c.Kind == deck.KindQuestion {
		for _, loop := range claimed {
			if !slices.Contains(row.loops, loop) {
				return nil, fmt.Errorf("%s says it is a %s question; its row lacks loop %s", c.ID, loop, loop)
			}
		}
	}
	return tags, nil
}
