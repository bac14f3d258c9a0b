package ankitext

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/srs-tool/srs/deck"
	"github.com/srs-tool/srs/internal/ankiguid"
	"github.com/srs-tool/srs/internal/htmlmd"
)

// tsvColumns is the column layout WriteTSV writes. Front and Back carry
// the names of Anki's Basic note type, so its importer maps them by name;
// Kind, Parent and ID match no Basic field and Anki leaves them out, while
// ParseTSV reads them back.
var tsvColumns = []string{"GUID", "Deck", "Front", "Back", "Tags", "Kind", "Parent", "ID"}

// WriteTSV writes cards in Anki's text format with the header lines Anki
// 2.1.55+ reads, ankiguid.Of as the note guid (so importing again updates
// notes instead of duplicating them, across decks with the same card IDs
// too) and fronts and backs as HTML rendered from Markdown. The card ID
// has its own column, which ParseTSV prefers to the guid. See FORMATS.md
// for what a round trip through HTML normalises.
func WriteTSV(w io.Writer, cards []deck.Card) error {
	bw := bufio.NewWriter(w)
	bw.WriteString("#separator:tab\n#html:true\n")
	bw.WriteString("#columns:" + strings.Join(tsvColumns, "\t") + "\n")
	bw.WriteString("#guid column:1\n#deck column:2\n#tags column:5\n")
	fronts := make(map[string]string, len(cards))
	for _, c := range cards {
		fronts[c.Key()] = c.Front
	}
	for _, c := range cards {
		if err := deck.ValidateID(c.ID); err != nil {
			return fmt.Errorf("write tsv: %v", err)
		}
		front, err := frontHTML(c.Front)
		if err != nil {
			return fmt.Errorf("write tsv: card %q: %v", c.ID, err)
		}
		if pf, ok := fronts[deck.Key(c.Deck, c.Parent)]; ok && c.Parent != "" {
			// A follow-up shows its question above it in Anki too.
			ctx, err := frontHTML(pf)
			if err != nil {
				return fmt.Errorf("write tsv: card %q: %v", c.ID, err)
			}
			front = tsvContextOpen + "Follow-up to: " + ctx + tsvContextClose + front
		}
		back, err := htmlmd.ToHTML(c.Back)
		if err != nil {
			return fmt.Errorf("write tsv: card %q: %v", c.ID, err)
		}
		kind := string(c.Kind)
		if kind == "" {
			kind = string(deck.KindBasic)
		}
		fields := []string{ankiguid.Of(c.Deck, c.ID), c.Deck, front, unwrapParagraph(back), ankiTags(c.Tags), kind, c.Parent, c.ID}
		for i, f := range fields {
			if i > 0 {
				bw.WriteByte('\t')
			}
			bw.WriteString(tsvField(f))
		}
		bw.WriteByte('\n')
	}
	return bw.Flush()
}

// A follow-up's front in TSV starts with its question, in a div that
// ParseTSV takes off again.
const (
	tsvContextOpen  = `<div class=srs-context>`
	tsvContextClose = `</div>`
)

// frontHTML renders a front. A front is a question, not a document: a
// leading "#", "-", "1." or fence is text, so it is escaped before
// rendering rather than turned into a heading, list or code block.
func frontHTML(front string) (string, error) {
	front = strings.TrimSpace(front)
	if front != "" {
		switch front[0] {
		case '#', '-', '+', '*', '>', '`', '~', '|':
			front = `\` + front
		default:
			i := 0
			for i < len(front) && i < 9 && front[i] >= '0' && front[i] <= '9' {
				i++
			}
			if i > 0 && i < len(front) && (front[i] == '.' || front[i] == ')') {
				front = front[:i] + `\` + front[i:]
			}
		}
	}
	h, err := htmlmd.ToHTML(front)
	return unwrapParagraph(h), err
}

// unwrapParagraph drops the <p> around a side that is one paragraph, as
// Anki's editor would store it.
func unwrapParagraph(h string) string {
	inner, ok := strings.CutPrefix(h, "<p>")
	if !ok {
		return h
	}
	inner, ok = strings.CutSuffix(inner, "</p>")
	if !ok || strings.Contains(inner, "<p>") || strings.Contains(inner, "</p>") {
		return h
	}
	return inner
}

// ankiTags joins tags Anki's way. Anki tags cannot hold spaces, so a
// space inside one becomes "_".
func ankiTags(tags []string) string {
	out := make([]string, 0, len(tags))
	for _, t := range tags {
		if t = strings.Join(strings.Fields(t), "_"); t != "" {
			out = append(out, t)
		}
	}
	return strings.Join(out, " ")
}

// tsvField quotes a field when it must be: it holds a tab, quote or line
// break, or starts with "#", which Anki would take for a comment line.
func tsvField(f string) string {
	if f == "" || !strings.ContainsAny(f, "\t\"\r\n") && f[0] != '#' {
		return f
	}
	return `"` + strings.ReplaceAll(f, `"`, `""`) + `"`
}
