package ankitext

import (
	"bufio"
	"encoding/base64"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

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
// has its own column, which ParseTSV prefers to the guid. A side whose
// HTML would not read back as its Markdown carries the Markdown in an
// HTML comment (see keptMark), so ParseTSV reads back exactly what was
// written. See FORMATS.md.
func WriteTSV(w io.Writer, cards []deck.Card) error { return write(w, cards, '\t') }

// WriteCSV is WriteTSV with commas, "#separator:comma".
func WriteCSV(w io.Writer, cards []deck.Card) error { return write(w, cards, ',') }

func write(w io.Writer, cards []deck.Card, sep rune) error {
	what := map[rune]string{'\t': "tsv", ',': "csv"}[sep]
	bw := bufio.NewWriter(w)
	bw.WriteString("#separator:" + map[rune]string{'\t': "tab", ',': "comma"}[sep] + "\n#html:true\n")
	bw.WriteString("#columns:" + strings.Join(tsvColumns, string(sep)) + "\n")
	bw.WriteString("#guid column:1\n#deck column:2\n#tags column:5\n")
	fronts := make(map[string]string, len(cards))
	for _, c := range cards {
		fronts[c.Key()] = c.Front
	}
	for _, c := range cards {
		if err := deck.ValidateID(c.ID); err != nil {
			return fmt.Errorf("write %s: %v", what, err)
		}
		front, err := frontHTML(c.Front)
		if err != nil {
			return fmt.Errorf("write %s: card %q: %v", what, c.ID, err)
		}
		front = keepMarkdown(front, c.Front, htmlmd.ToFrontMarkdown)
		if pf, ok := fronts[deck.Key(c.Deck, c.Parent)]; ok && c.Parent != "" {
			// A follow-up shows its question above it in Anki too.
			ctx, err := frontHTML(pf)
			if err != nil {
				return fmt.Errorf("write %s: card %q: %v", what, c.ID, err)
			}
			front = tsvContextOpen + "Follow-up to: " + ctx + tsvContextClose + front
		}
		back, err := backHTML(c.Back)
		if err != nil {
			return fmt.Errorf("write %s: card %q: %v", what, c.ID, err)
		}
		back = keepMarkdown(back, c.Back, htmlmd.ToMarkdown)
		kind := string(c.Kind)
		if kind == "" {
			kind = string(deck.KindBasic)
		}
		fields := []string{ankiguid.Of(c.Deck, c.ID), c.Deck, front, back, ankiTags(c.Tags), kind, c.Parent, c.ID}
		for i, f := range fields {
			if i > 0 {
				bw.WriteRune(sep)
			}
			bw.WriteString(quoteField(f, sep))
		}
		bw.WriteByte('\n')
	}
	return bw.Flush()
}

// keptMark opens the HTML comment in which a side carries the Markdown
// it was rendered from, base64-encoded (Markdown may hold "-->"). HTML
// cannot say all that Markdown says (a hard line break, raw HTML, a
// blank line in a list), and a round trip through HTML alone changed
// cards nobody had touched: exporting to TSV and importing the file
// again updated them. Anki shows nothing of a comment. The comment is
// written only where the HTML alone would not read back as the Markdown.
const keptMark = "<!--srs-md:"

// keepMarkdown returns html, with md kept beside it in a comment when
// read (as ParseTSV reads a field) would not give md back.
func keepMarkdown(html, md string, read func(string) string) string {
	if readSide(html, read) == md {
		return html
	}
	return html + keptMark + base64.StdEncoding.EncodeToString([]byte(md)) + "-->"
}

// readSide is what ParseTSV makes of an HTML field: Markdown without
// control characters or surrounding space.
func readSide(html string, read func(string) string) string {
	return strings.TrimSpace(deck.StripControls(read(html)))
}

// keptMarkdown returns the Markdown a field carries, when it carries one
// and its HTML is still what that Markdown renders to (render): a field
// edited since is read from its HTML.
func keptMarkdown(field string, render func(string) (string, error)) (string, bool) {
	i := strings.LastIndex(field, keptMark)
	if i < 0 {
		return "", false
	}
	rest := field[i+len(keptMark):]
	j := strings.Index(rest, "-->")
	if j < 0 || strings.TrimSpace(rest[j+3:]) != "" {
		return "", false
	}
	md, err := base64.StdEncoding.DecodeString(rest[:j])
	if err != nil || !utf8.Valid(md) {
		return "", false
	}
	want, err := render(string(md))
	if err != nil || want != field[:i] {
		return "", false
	}
	return string(md), true
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

// backHTML renders a back as WriteTSV writes it.
func backHTML(back string) (string, error) {
	h, err := htmlmd.ToHTML(back)
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

// quoteField quotes a field when it must be: it holds the separator, a
// quote or a line break, or starts with "#", which Anki would take for a
// comment line.
func quoteField(f string, sep rune) string {
	if f == "" || !strings.ContainsAny(f, string(sep)+"\"\r\n") && f[0] != '#' {
		return f
	}
	return `"` + strings.ReplaceAll(f, `"`, `""`) + `"`
}
