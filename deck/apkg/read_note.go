package apkg

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/srs-tool/srs/deck"
	"github.com/srs-tool/srs/internal/htmlmd"
)

// apkgCardID turns a note guid into a card ID. Anki's guids are base91 and
// valid IDs as they are; anything else (spaces, control characters, very
// long) is replaced by a hash so that it stays the same across imports.
// Room is left for the ".t<ord>" and ".c<n>" suffixes.
func apkgCardID(guid string) string {
	if deck.ValidateID(guid) == nil && len(guid) <= deck.MaxIDLen-8 {
		return guid
	}
	sum := sha256.Sum256([]byte(guid))
	return "g" + hex.EncodeToString(sum[:8])
}

var (
	apkgFieldRefRE = regexp.MustCompile(`\{\{([^{}]+)\}\}`)
	apkgClozeRefRE = regexp.MustCompile(`\{\{(?:[^{}:]*:)*cloze:([^{}]+)\}\}`)
)

// Names a template can show that are not fields.
var apkgSpecialFields = map[string]bool{
	"FrontSide": true, "Tags": true, "Type": true, "Deck": true, "Subdeck": true,
	"Card": true, "CardFlag": true, "CardID": true,
}

// apkgTemplateFields lists the fields a question format shows, in order of
// first appearance: {{Field}} and filtered {{text:Field}}, but not
// conditionals ({{#Field}}), type-in boxes or special fields.
func apkgTemplateFields(qfmt string, names []string) []int {
	var out []int
	seen := map[int]bool{}
	for _, m := range apkgFieldRefRE.FindAllStringSubmatch(qfmt, -1) {
		ref := strings.TrimSpace(m[1])
		if ref == "" || strings.ContainsAny(ref[:1], "#^/!") {
			continue
		}
		parts := strings.Split(ref, ":")
		name := strings.TrimSpace(parts[len(parts)-1])
		if len(parts) > 1 && strings.TrimSpace(parts[0]) == "type" || apkgSpecialFields[name] {
			continue
		}
		for i, n := range names {
			if n == name && !seen[i] {
				seen[i] = true
				out = append(out, i)
			}
		}
	}
	return out
}

// apkgClozeFields lists the fields the cloze template deletes from.
func apkgClozeFields(qfmt string, names []string) []int {
	var out []int
	for _, m := range apkgClozeRefRE.FindAllStringSubmatch(qfmt, -1) {
		for i, n := range names {
			if n == strings.TrimSpace(m[1]) && !slices.Contains(out, i) {
				out = append(out, i)
			}
		}
	}
	return out
}

// The note type Writer writes; see schema.go.
func apkgIsOwnNotetype(nt *apkgNotetype) bool {
	return nt.name == apkgModelName && len(nt.fields) == 4 &&
		nt.fields[0] == "Question" && nt.fields[1] == "Answer" && nt.fields[2] == "Context" && nt.fields[3] == "Source"
}

// apkgNoteText converts a note's fields to Markdown on first use, as a
// back and, apart, as a front (htmlmd.ToFrontMarkdown).
type apkgNoteText struct {
	html   []string
	md, fr []*string
}

func newAPKGNoteText(fields []string) *apkgNoteText {
	return &apkgNoteText{html: fields, md: make([]*string, len(fields)), fr: make([]*string, len(fields))}
}

func (t *apkgNoteText) markdown(i int) string {
	if t.md[i] == nil {
		s := strings.TrimSpace(htmlmd.ToMarkdown(t.html[i]))
		t.md[i] = &s
	}
	return *t.md[i]
}

// front is field i as a card's front.
func (t *apkgNoteText) front(i int) string {
	if t.fr[i] == nil {
		s := strings.TrimSpace(htmlmd.ToFrontMarkdown(t.html[i]))
		t.fr[i] = &s
	}
	return *t.fr[i]
}

// join renders the fields idx as Markdown blocks, skipping empty ones and
// labelling each with its field name when label is set. The first field
// of a front starts it (front), the others are blocks below.
func (t *apkgNoteText) join(idx []int, names []string, label, front bool) string {
	var parts []string
	for _, i := range idx {
		md := t.markdown(i)
		if front && len(parts) == 0 {
			md = t.front(i)
		}
		if md == "" {
			continue
		}
		if label {
			md = "**" + names[i] + "**\n\n" + md
		}
		parts = append(parts, md)
	}
	return strings.Join(parts, "\n\n")
}

func (r *apkgReader) addNote(id int64, guid string, mid int64, tags, flds string) error {
	nt := r.notetypes[mid]
	if nt == nil {
		return r.errorf("notes id %d: note type id %d is not in the package", id, mid)
	}
	fields := strings.Split(flds, "\x1f")
	if want := max(len(nt.fields), 1); len(fields) != want {
		return r.errorf("notes id %d: note has %d fields, note type %q has %d", id, len(fields), nt.name, want)
	}
	for i, f := range fields {
		if r.lim.MaxFieldSize > 0 && len(f) > r.lim.MaxFieldSize {
			return r.errorf("notes id %d: field %d is %d bytes, over the limit of %d", id, i+1, len(f), r.lim.MaxFieldSize)
		}
	}
	rows := r.cards[id]
	if len(rows) == 0 {
		r.warnf("notes id %d: note has no cards; skipped", id)
		return nil
	}
	src := fmt.Sprintf("%s:notes id %d", r.name, id)
	text := newAPKGNoteText(fields)
	base := deck.Card{Kind: deck.KindBasic, Tags: apkgTags(tags), Source: src}
	names := make([]string, len(fields))
	for i := range names {
		if i < len(nt.fields) {
			names[i] = apkgCleanText(nt.fields[i])
		} else {
			names[i] = "Text"
		}
	}

	added := 0
	add := func(c deck.Card, row apkgCardRow) {
		if strings.TrimSpace(c.Front) == "" {
			r.warnf("notes id %d: card %d has an empty front; skipped", id, row.ord+1)
			return
		}
		r.d.Cards = append(r.d.Cards, c)
		r.keepScheduling(c, row)
		added++
	}

	switch {
	case apkgIsOwnNotetype(nt):
		if c, ok := r.ownCard(base, text, fields[3], id); ok {
			deckName, err := r.deckOf(rows[0])
			if err != nil {
				return err
			}
			if c.Deck == "" {
				c.Deck = deckName
			}
			add(c, rows[0])
			break
		}
		fallthrough // the Source field was edited: treat it as any note
	case !nt.cloze:
		for _, row := range rows {
			c := base
			c.Tags = append([]string(nil), base.Tags...)
			c.ID = apkgCardID(guid)
			if row.ord > 0 {
				c.ID += ".t" + strconv.Itoa(row.ord)
			}
			deckName, err := r.deckOf(row)
			if err != nil {
				return err
			}
			c.Deck = deckName
			qfmt, ok := nt.qfmt[row.ord]
			if !ok && row.ord > 0 {
				r.warnf("notes id %d: card %d has no template in note type %q; skipped", id, row.ord+1, nt.name)
				continue
			}
			front := apkgTemplateFields(qfmt, names)
			if len(front) == 0 {
				front = []int{0}
			}
			var back []int
			for i := range fields {
				if !slices.Contains(front, i) {
					back = append(back, i)
				}
			}
			c.Front = text.join(front, names, false, true)
			c.Back = text.join(back, names, len(names) > 2, false)
			add(c, row)
		}
	default:
		if err := r.addCloze(base, text, names, nt, guid, id, rows, add); err != nil {
			return err
		}
	}
	if added > 0 {
		for _, f := range fields {
			apkgMediaRefs(f, func(name string) { r.refs[name] = true })
		}
	}
	return nil
}

// addCloze makes one card per cloze number that has a card row.
func (r *apkgReader) addCloze(base deck.Card, text *apkgNoteText, names []string, nt *apkgNotetype, guid string, id int64, rows []apkgCardRow, add func(deck.Card, apkgCardRow)) error {
	cf := apkgClozeFields(nt.qfmt[0], names)
	if len(cf) == 0 {
		cf = []int{0}
	}
	parsed := make([][]*apkgClozeNode, len(cf))
	have := map[int]bool{}
	for i, f := range cf {
		parsed[i] = apkgParseCloze(text.html[f])
		for _, n := range apkgClozeNumbers(parsed[i]) {
			have[n] = true
		}
	}
	var extra []int
	for i := range text.html {
		if !slices.Contains(cf, i) {
			extra = append(extra, i)
		}
	}
	for _, row := range rows {
		n := row.ord + 1
		if !have[n] {
			r.warnf("notes id %d: card %d has no cloze c%d in its text; skipped", id, n, n)
			continue
		}
		c := base
		c.Tags = append([]string(nil), base.Tags...)
		c.ID = apkgCardID(guid) + ".c" + strconv.Itoa(n)
		deckName, err := r.deckOf(row)
		if err != nil {
			return err
		}
		c.Deck = deckName
		var fronts, backs []string
		for _, nodes := range parsed {
			var blanks []string
			fh := apkgRenderCloze(nodes, n, true, func(hint string) string {
				b := "[...]"
				if h := apkgClozeHint(hint); h != "" {
					b = "[" + h + "]"
				}
				blanks = append(blanks, b)
				// A private-use marker survives HTML-to-Markdown conversion
				// unescaped; the brackets would not.
				return "\ue000" + strconv.Itoa(len(blanks)-1) + "\ue001"
			})
			f := strings.TrimSpace(htmlmd.ToFrontMarkdown(fh))
			for i, b := range blanks {
				f = strings.ReplaceAll(f, "\ue000"+strconv.Itoa(i)+"\ue001", b)
			}
			if f != "" {
				fronts = append(fronts, f)
			}
			if b := strings.TrimSpace(htmlmd.ToMarkdown(apkgRenderCloze(nodes, n, false, nil))); b != "" {
				backs = append(backs, b)
			}
		}
		c.Front = strings.Join(fronts, "\n\n")
		c.Back = strings.Join(backs, "\n\n")
		if more := text.join(extra, names, len(names) > 2, false); more != "" {
			c.Back += "\n\n" + more
		}
		add(c, row)
	}
	return nil
}

// ownCard reads back a note of srs's own note type: the Source field holds
// "srs:<id> <deck>" (an ID has no spaces), tags "kind::<kind>" and
// "parent::<id>" carry the rest.
func (r *apkgReader) ownCard(base deck.Card, text *apkgNoteText, source string, nid int64) (deck.Card, bool) {
	s := strings.TrimSpace(html.UnescapeString(apkgHTMLRE.ReplaceAllString(source, "")))
	rest, ok := strings.CutPrefix(s, apkgSourcePrefix)
	if !ok {
		return deck.Card{}, false
	}
	id, deckName, _ := strings.Cut(rest, " ")
	if deck.ValidateID(id) != nil || deck.ValidateDeckName(deckName) != nil {
		r.warnf("notes id %d: Source field %.60q is not srs:<id> <deck>; imported by guid", nid, s)
		return deck.Card{}, false
	}
	c := base
	c.ID = id
	if r.opt.Deck != "" {
		c.Deck = r.opt.Deck
	} else {
		c.Deck = deckName
	}
	c.Tags = nil
	for _, t := range base.Tags {
		switch {
		case strings.HasPrefix(t, apkgParentTag):
			c.Parent = strings.TrimPrefix(t, apkgParentTag)
		case strings.HasPrefix(t, apkgKindTag):
			if k, ok := deck.ParseKind(strings.TrimPrefix(t, apkgKindTag)); ok {
				c.Kind = k
			}
		default:
			c.Tags = append(c.Tags, t)
		}
	}
	c.Front = text.front(0)
	if md, ok := apkgKeptMarkdown(text.html[0]); ok {
		c.Front = md
	}
	c.Back = text.markdown(1)
	if md, ok := apkgKeptMarkdown(text.html[1]); ok {
		c.Back = md
	}
	return c, true
}

// apkgTags splits Anki's space-separated tags, keeping them valid UTF-8.
func apkgTags(s string) []string {
	return strings.Fields(apkgCleanText(s))
}

// apkgCleanText makes text from a package valid UTF-8 without control
// characters, for the places it is used as is (tags, field names).
func apkgCleanText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)
}

// deckOf names the deck of a card row: its home deck when it sits in a
// filtered deck, as Anki's own export does.
func (r *apkgReader) deckOf(row apkgCardRow) (string, error) {
	if r.opt.Deck != "" {
		return r.opt.Deck, nil
	}
	did := row.did
	if row.odid != 0 {
		did = row.odid
	}
	name, ok := r.decks[did]
	if !ok {
		r.warnf("cards id %d: deck id %d is not in the package; put in Default", row.id, did)
		r.decks[did] = "Default"
		return "Default", nil
	}
	if err := deck.ValidateDeckName(name); err != nil {
		return "", r.errorf("decks id %d: %v", did, err)
	}
	return name, nil
}
