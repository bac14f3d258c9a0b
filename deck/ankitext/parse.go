// Package ankitext reads and writes Anki's text format, CSV and TSV as
// Anki exports and imports them: "#key:value" header lines, quoted fields,
// HTML fields (converted to and from Markdown). WriteTSV's files go back
// into Anki as updates of the same notes (their GUIDs are stable) and into
// srs with the cards' identities intact.
package ankitext

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/srs-tool/srs/deck"
	"github.com/srs-tool/srs/internal/htmlmd"
	"github.com/srs-tool/srs/internal/srcpos"
)

// ParseCSV reads Anki's text format with comma as the default separator:
// the #separator header line wins, else the separator is sniffed from the
// first records. See deck/FORMATS.md for the header lines understood.
func ParseCSV(r io.Reader, opt deck.ParseOptions) (*deck.Deck, error) {
	return parseDelimited(r, opt, ',')
}

// ParseTSV is ParseCSV with tab as the default separator, as Anki writes.
func ParseTSV(r io.Reader, opt deck.ParseOptions) (*deck.Deck, error) {
	return parseDelimited(r, opt, '\t')
}

// csvColumns says where each part of a card is, 1-based; 0 is absent.
type csvColumns struct {
	front, back, tags, deck, guid, notetype, kind, parent, id int
	count                                                     int // fields a record must have, from #columns; 0 is any
}

func parseDelimited(r io.Reader, opt deck.ParseOptions, def rune) (*deck.Deck, error) {
	src := srcpos.New(opt.File)
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", src, err)
	}
	h, body, err := parseCSVHeader(src, string(stripBOM(data)))
	if err != nil {
		return nil, err
	}
	sep := h.sep
	if sep == 0 {
		if sep = sniffSeparator(body, def); sep == 0 {
			sep = def
		}
	}
	isHTML := htmlSniff.MatchString(body)
	if h.html != nil {
		isHTML = *h.html
	}
	labels, err := splitColumns(src, h, sep)
	if err != nil {
		return nil, err
	}
	headerRow := false
	if labels == nil {
		// A spreadsheet's first row names its columns: column names,
		// not a card.
		if rec, n, ok := firstRecord(body, sep); ok && isHeaderRow(rec) {
			for _, f := range rec {
				labels = append(labels, strings.TrimSpace(f))
			}
			headerRow = true
			h.lines += strings.Count(body[:n], "\n")
			body = body[n:]
		}
	}
	cols, err := mapColumns(src, h, labels)
	if err != nil {
		return nil, err
	}
	if headerRow {
		cols.count = 0 // a row may leave out trailing columns, as without one
	}

	d := &deck.Deck{Name: opt.DeckName(h.deck), Source: opt.File, Warnings: h.warnings}
	if sep != '#' {
		if first, n := commentLines(body); n > 0 {
			d.Warnings = append(d.Warnings, fmt.Sprintf("%s: %d line(s) starting with # skipped as comments, as Anki does; quote a field that starts with #", src.At(h.lines+first), n))
		}
	}
	if err := deck.ValidateDeckName(d.Name); err != nil {
		return nil, fmt.Errorf("%s: %s", src, srcpos.OneLine(err.Error()))
	}
	p := csvParse{src: src, h: h, cols: cols, html: isHTML, deck: d, opt: opt, seen: srcpos.IDs{}}
	err = p.read(body, sep, false)
	var pe *csv.ParseError
	if errors.As(err, &pe) && errors.Is(pe.Err, csv.ErrBareQuote) {
		// Hand-made files put quotes inside unquoted fields ("5" screen");
		// read those literally rather than refuse the file.
		d.Cards = nil
		p.seen = srcpos.IDs{}
		d.Warnings = append(d.Warnings, fmt.Sprintf("%s: stray quote in an unquoted field; quotes read leniently", src.At(h.lines+pe.Line)))
		err = p.read(body, sep, true)
	}
	if err != nil {
		if errors.As(err, &pe) {
			return nil, p.quoteError(pe)
		}
		return nil, err
	}
	if err := d.Validate(); err != nil {
		return nil, fmt.Errorf("%s", srcpos.OneLine(err.Error()))
	}
	return d, nil
}

// mapColumns finds each part of a card: explicit "#x column:N" headers
// first, then #columns names, then position (the first two free columns
// are front and back, as Anki maps a Basic note).
func mapColumns(src srcpos.File, h csvHeader, labels []string) (csvColumns, error) {
	c := csvColumns{tags: h.tagsCol, deck: h.deckCol, guid: h.guidCol, notetype: h.notetypeCol, count: len(labels)}
	for i, l := range labels {
		n := i + 1
		var dst *int
		switch strings.ToLower(l) {
		case "front", "question", "text":
			dst = &c.front
		case "back", "answer", "back extra":
			dst = &c.back
		case "tags":
			dst = &c.tags
		case "deck":
			dst = &c.deck
		case "guid":
			dst = &c.guid
		case "id":
			dst = &c.id
		case "notetype", "note type":
			dst = &c.notetype
		case "kind":
			dst = &c.kind
		case "parent":
			dst = &c.parent
		}
		if dst != nil && *dst == 0 && !c.used(n) {
			*dst = n
		}
	}
	if c.front == 0 || c.back == 0 {
		// Free columns, in order, fill front then back.
		for n := 1; n <= maxColumn && (c.front == 0 || c.back == 0); n++ {
			if c.used(n) || (len(labels) > 0 && n > len(labels)) {
				continue
			}
			if c.front == 0 {
				c.front = n
			} else {
				c.back = n
			}
		}
	}
	if len(labels) == 0 && c.tags == 0 && c.deck == 0 && c.guid == 0 && c.notetype == 0 {
		// A plain file: a third column holds tags, as Anki reads Basic notes.
		for n := max(c.front, c.back) + 1; n <= maxColumn; n++ {
			if !c.used(n) {
				c.tags = n
				break
			}
		}
	}
	seen := map[int]string{}
	for _, f := range []struct {
		name string
		n    int
	}{{"front", c.front}, {"back", c.back}, {"tags", c.tags}, {"deck", c.deck}, {"guid", c.guid}, {"notetype", c.notetype}, {"kind", c.kind}, {"parent", c.parent}, {"id", c.id}} {
		if f.n == 0 {
			continue
		}
		if other, dup := seen[f.n]; dup {
			return c, src.Errorf(max(h.lines, 1), "column %d is both the %s and the %s column", f.n, other, f.name)
		}
		seen[f.n] = f.name
	}
	if c.front == 0 {
		return c, src.Errorf(max(h.lines, 1), "no column left for the front")
	}
	return c, nil
}

func (c csvColumns) used(n int) bool {
	return n == c.front || n == c.back || n == c.tags || n == c.deck || n == c.guid ||
		n == c.notetype || n == c.kind || n == c.parent || n == c.id
}

type csvParse struct {
	src  srcpos.File
	h    csvHeader
	cols csvColumns
	html bool
	deck *deck.Deck
	opt  deck.ParseOptions
	seen srcpos.IDs
}

func (p *csvParse) read(body string, sep rune, lazy bool) error {
	r := csv.NewReader(strings.NewReader(body))
	r.Comma = sep
	if sep != '#' {
		r.Comment = '#' // Anki skips "#" lines anywhere, and quotes fields that start with one
	}
	r.FieldsPerRecord = -1
	r.LazyQuotes = lazy
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		line, _ := r.FieldPos(0)
		line += p.h.lines
		for i, f := range rec {
			if len(f) > deck.MaxEncodedFieldSize {
				fl, _ := r.FieldPos(i)
				return p.src.Errorf(fl+p.h.lines, "field %d is larger than %d bytes", i+1, deck.MaxEncodedFieldSize)
			}
		}
		if blankRecord(rec) {
			continue
		}
		if p.cols.count > 0 && len(rec) != p.cols.count {
			return p.src.Errorf(line, "%d fields, but #columns names %d", len(rec), p.cols.count)
		}
		for i, f := range rec {
			if !utf8.ValidString(f) {
				fl, _ := r.FieldPos(i)
				return p.src.Errorf(fl+p.h.lines, "field %d: invalid UTF-8", i+1)
			}
		}
		c, err := p.card(rec, line)
		if err != nil {
			return err
		}
		p.deck.Cards = append(p.deck.Cards, c)
	}
}

func (p *csvParse) card(rec []string, line int) (deck.Card, error) {
	get := func(n int) string {
		if n < 1 || n > len(rec) {
			return ""
		}
		return rec[n-1]
	}
	side := func(n int, front bool) string {
		s := get(n)
		switch {
		case p.html && front:
			if md, ok := keptMarkdown(s, frontHTML); ok {
				s = md
			} else {
				s = htmlmd.ToFrontMarkdown(s)
			}
		case p.html:
			if md, ok := keptMarkdown(s, backHTML); ok {
				s = md
			} else {
				s = htmlmd.ToMarkdown(s)
			}
		}
		return strings.TrimSpace(deck.StripControls(s))
	}
	if p.html {
		// The question a follow-up was exported with (WriteTSV) is
		// context, not part of the card.
		if f := get(p.cols.front); strings.HasPrefix(f, tsvContextOpen) {
			if i := strings.Index(f, tsvContextClose); i >= 0 {
				rec[p.cols.front-1] = f[i+len(tsvContextClose):]
			}
		}
	}
	c := deck.Card{Front: side(p.cols.front, true), Back: side(p.cols.back, false), Kind: deck.KindBasic, Source: p.src.At(line)}
	if c.Front == "" {
		return c, p.src.Errorf(line, "empty front (column %d)", p.cols.front)
	}
	c.Deck = p.deck.Name
	if p.opt.Deck == "" {
		if d := strings.TrimSpace(get(p.cols.deck)); d != "" {
			if err := deck.ValidateDeckName(d); err != nil {
				return c, p.src.Errorf(line, "deck column: %v", err)
			}
			c.Deck = d
		}
	}
	// The card ID: an srs ID column (what WriteTSV adds), else the guid.
	idCol, idName := p.cols.id, "id column"
	if idCol == 0 || strings.TrimSpace(get(idCol)) == "" {
		idCol, idName = p.cols.guid, "guid column"
	}
	c.ID = strings.TrimSpace(get(idCol))
	fix := ""
	if c.ID == "" {
		c.ID = deck.DeriveID(c.Front)
		fix = "add a guid column or reword one"
	} else if err := deck.ValidateID(c.ID); err != nil {
		return c, p.src.Errorf(line, "%s: %v", idName, err)
	}
	if err := p.seen.Check(p.src, line, c.Deck, c.ID, fix); err != nil {
		return c, err
	}
	if k := strings.TrimSpace(get(p.cols.kind)); k != "" {
		kind, ok := deck.ParseKind(k)
		if !ok {
			return c, p.src.Errorf(line, "unknown kind %q (want one of %s)", k, deck.KindNames())
		}
		c.Kind = kind
	}
	c.Parent = strings.TrimSpace(get(p.cols.parent))
	c.Tags = deck.AppendTags(append([]string{}, p.h.tags...), strings.Fields(get(p.cols.tags))...)
	return c, nil
}

// firstRecord reads the first record of body and how many bytes it
// took (through its line end).
func firstRecord(body string, sep rune) ([]string, int, bool) {
	r := csv.NewReader(strings.NewReader(body))
	r.Comma = sep
	if sep != '#' {
		r.Comment = '#'
	}
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	rec, err := r.Read()
	if err != nil {
		return nil, 0, false
	}
	return rec, int(r.InputOffset()), true
}

// headerNames are the column names a first row may hold, as spreadsheets
// and other flashcard programs write them (mapColumns reads them all).
var headerNames = map[string]bool{
	"front": true, "back": true, "question": true, "answer": true, "text": true, "back extra": true,
	"tags": true, "deck": true, "guid": true, "id": true, "notetype": true, "note type": true,
	"kind": true, "parent": true,
}

// isHeaderRow reports whether a first record names columns rather than
// holding a card: every field is a column name, a front's among them, and
// no name comes twice.
func isHeaderRow(rec []string) bool {
	seen := map[string]bool{}
	front := false
	for _, f := range rec {
		name := strings.ToLower(strings.TrimSpace(f))
		if !headerNames[name] || seen[name] {
			return false
		}
		seen[name] = true
		front = front || name == "front" || name == "question" || name == "text"
	}
	return front
}

// commentLines finds the lines after the header that the reader will skip
// as comments: lines starting with "#" outside quoted fields. A card
// whose front starts with "#" would vanish silently otherwise.
func commentLines(body string) (first, n int) {
	inQuote, line := false, 1
	for i := 0; i < len(body); i++ {
		if (i == 0 || body[i-1] == '\n') && !inQuote && body[i] == '#' {
			if n == 0 {
				first = line
			}
			n++
		}
		switch body[i] {
		case '"':
			inQuote = !inQuote
		case '\n':
			line++
		}
	}
	return first, n
}

func blankRecord(rec []string) bool {
	for _, f := range rec {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

// quoteError reports a quoting problem at the record it belongs to, and
// where it was noticed when that is later (an unclosed quote is noticed
// at the end of the file).
func (p *csvParse) quoteError(pe *csv.ParseError) error {
	start, at := pe.StartLine+p.h.lines, pe.Line+p.h.lines
	if at != start {
		return p.src.Errorf(start, "%v (noticed at line %d)", pe.Err, at)
	}
	return p.src.Errorf(start, "%v (column %d)", pe.Err, pe.Column)
}
