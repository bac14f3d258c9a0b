package apkg

import (
	"archive/zip"
	"bufio"
	"bytes"
	"compress/flate"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/srs-tool/srs/deck"
	"github.com/srs-tool/srs/fsrs"
	"github.com/srs-tool/srs/internal/ankiguid"
	"github.com/srs-tool/srs/internal/htmlmd"
	"github.com/srs-tool/srs/internal/sqlitefile"
)

// Writer writes cards as an Anki package in the Legacy1 layout:
// collection.anki2 (schema 11) and an empty JSON media map, which every
// Anki client imports (desktop, AnkiDroid, AnkiMobile) through the same
// importer as its own packages.
//
// Each card becomes one note of srs's own note type "srs Q/A v1" (fields
// Question, Answer, Context, Source; Markdown rendered to HTML) in Anki
// deck "<DeckPrefix>::<srs deck>", with the parent decks written too. The
// note's guid is derived from the card's deck and ID, so exporting again
// updates the same Anki notes instead of duplicating them; the Source field
// ("srs:<id> <deck>") and the tags "kind::<kind>" and "parent::<id>" let
// Read give the cards back their srs identity.
//
// Add renders a card and encodes its note row at once, appending the row
// to a temporary file and keeping the card's columns and its reviews in
// memory (about 180 bytes a card and 40 a review; with the rows too, a
// 100k-card export spent most of its time collecting garbage under the
// command's 80 MB heap limit). Close writes collection.anki2 itself, page
// by page (internal/sqlitefile; SQLite through modernc.org/sqlite took
// twice as long or more, bench/RESULTS.md), into a second temporary file:
// SQLite wants each table and index in key order, so Close sorts the
// cards by id (reading each note row back), by checksum and by schedule
// in turn, and the reviews by time, then by card, writing B-trees after
// each sort. Then it zips the file with the standard library's deflate.
type Writer struct {
	out    io.Writer
	opt    Options
	now    time.Time
	loc    *time.Location
	prefix string

	dir   string        // the temporary files
	rows  *os.File      // note rows, in the order added
	rowsW *bufio.Writer // appends to rows
	end   int64         // rows' length

	decks   map[string]int64 // Anki deck name to id
	deckIDs map[int64]string
	cards   map[uint64]int64 // card (and note) id by guid number
	noteIDs map[int64]struct{}
	notes   []apkgNote  // in the order added
	revs    [][]apkgRev // the review log, in the order added (write_revlog.go)
	nrevs   int
	n       int // cards added
	newPos  int
	minDay  int64           // earliest day number a due date or review falls on
	minDayT time.Time       // when day minDay starts
	media   map[string]bool // files the cards refer to

	// Warnings names media files the cards refer to that Media lacks.
	Warnings []string
	err      error // the first failure; every later call returns it
	closed   bool
}

// apkgNote is a card as Add leaves it for Close: where its note row is
// and its card's columns (a card's id is its note's).
type apkgNote struct {
	nid, did, csum int64
	off            int64 // of the notes row (rowid aside) in Writer.rows
	size           int
	sched          apkgSched
}

// NewWriter starts a package that Close writes to w.
func NewWriter(w io.Writer, opt Options) (*Writer, error) {
	aw := &Writer{out: w, opt: opt, now: opt.Now, prefix: opt.DeckPrefix,
		decks: map[string]int64{}, deckIDs: map[int64]string{}, cards: map[uint64]int64{}, noteIDs: map[int64]struct{}{}}
	if aw.now.IsZero() {
		aw.now = time.Now()
	}
	aw.loc = aw.now.Location()
	if aw.prefix == "" {
		aw.prefix = "srs"
	}
	aw.minDay, aw.minDayT = fsrs.AnkiDay(aw.now, aw.loc)
	var err error
	if aw.dir, err = os.MkdirTemp("", "srs-apkg-*"); err != nil {
		return nil, fmt.Errorf("apkg export: %w", err)
	}
	if aw.rows, err = os.Create(filepath.Join(aw.dir, "notes")); err != nil {
		aw.cleanup()
		return nil, fmt.Errorf("apkg export: %w", err)
	}
	aw.rowsW = bufio.NewWriterSize(aw.rows, 256<<10)
	return aw, nil
}

// Add writes one card. parent is the question a follow-up belongs to (its
// front is shown above the follow-up); s is the card's scheduling, used
// only WithScheduling (nil means new).
func (w *Writer) Add(c deck.Card, parent *deck.Card, s *Scheduling) error {
	if w.err != nil {
		return w.err
	}
	if w.closed {
		return errors.New("apkg export: Add after Close")
	}
	if err := w.add(c, parent, s); err != nil {
		w.err = fmt.Errorf("apkg export: card %q in deck %q: %w", c.ID, c.Deck, err)
		return w.err
	}
	w.noteMedia(&c)
	w.n++
	if w.opt.Progress != nil && w.n%1000 == 0 {
		w.opt.Progress(w.n)
	}
	return nil
}

func (w *Writer) add(c deck.Card, parent *deck.Card, s *Scheduling) error {
	if err := deck.ValidateID(c.ID); err != nil {
		return err
	}
	if err := deck.ValidateDeckName(c.Deck); err != nil {
		return err
	}
	if strings.TrimSpace(c.Front) == "" {
		return errors.New("empty front")
	}
	g := ankiguid.Number(c.Deck, c.ID)
	if _, dup := w.cards[g]; dup {
		return errors.New("added twice")
	}
	flds, sfld, err := apkgFields(c, parent)
	if err != nil {
		return err
	}
	csum := int64(apkgChecksum(sfld))

	tags := make([]string, 0, len(c.Tags)+2)
	for _, t := range c.Tags {
		if t = strings.Join(strings.Fields(t), "_"); t != "" && !strings.HasPrefix(t, apkgParentTag) && !strings.HasPrefix(t, apkgKindTag) {
			tags = append(tags, t)
		}
	}
	kind := c.Kind
	if kind == "" {
		kind = deck.KindBasic
	}
	tags = append(tags, apkgKindTag+string(kind))
	if c.Parent != "" {
		tags = append(tags, apkgParentTag+c.Parent)
	}

	// Note ids look like creation times and must be unique; derive them
	// from the card's identity so re-exports agree, probing on collision.
	sum := sha256.Sum256([]byte("srs:" + c.Deck + "\x00" + c.ID))
	nid := apkgIDFromHash(binary.BigEndian.Uint64(sum[8:16]))
	for {
		if _, used := w.noteIDs[nid]; !used {
			break
		}
		nid++
	}

	var revs []apkgRev
	if w.opt.WithScheduling && s != nil {
		revs = make([]apkgRev, 0, len(s.Revlog))
		for _, e := range s.Revlog {
			r, err := w.review(e, nid)
			if err != nil {
				return err
			}
			revs = append(revs, r)
		}
	}
	// Only keeping the row and the reviews can fail from here on, and that
	// ends the export: commit the card.
	w.cards[g] = nid
	w.noteIDs[nid] = struct{}{}
	var rec sqlitefile.Record
	rec.Null() // id, the rowid
	rec.Text(ankiguid.Base91(g))
	rec.Int(apkgModelID)
	rec.Int(w.now.Unix()) // mod
	rec.Int(-1)           // usn
	rec.Text(" " + strings.Join(tags, " ") + " ")
	rec.Text(flds)
	rec.Numeric(sfld) // declared integer: numeric sort fields are stored as numbers
	rec.Int(csum)
	rec.Int(0) // flags
	rec.Text("")
	row := rec.AppendTo(nil)
	w.notes = append(w.notes, apkgNote{nid: nid, did: w.deck(apkgDeckName(w.prefix, c.Deck)), csum: csum,
		off: w.end, size: len(row), sched: w.schedule(s)})
	if _, err := w.rowsW.Write(row); err != nil {
		return err
	}
	w.end += int64(len(row))
	for _, r := range revs {
		if err := w.addRev(r); err != nil {
			return err
		}
	}
	return nil
}

// AddReview adds one review of a card already added, for callers that read
// reviews in time order rather than card by card (Scheduling.Revlog).
// Reviews may come in any order; Close writes them sorted.
func (w *Writer) AddReview(deckName, id string, e fsrs.AnkiReview) error {
	if w.err != nil {
		return w.err
	}
	if w.closed {
		return errors.New("apkg export: AddReview after Close")
	}
	if !w.opt.WithScheduling {
		return errors.New("apkg export: AddReview without WithScheduling")
	}
	cid, ok := w.cards[ankiguid.Number(deckName, id)]
	if !ok {
		return fmt.Errorf("apkg export: review of card %q in deck %q, which was not added", id, deckName)
	}
	r, err := w.review(e, cid)
	if err == nil {
		err = w.addRev(r)
	}
	if err != nil {
		w.err = fmt.Errorf("apkg export: card %q in deck %q: %w", id, deckName, err)
		return w.err
	}
	return nil
}

// apkgFields renders a card's Markdown into its note's fields (joined by
// 0x1f, as Anki stores them) and computes the sort field Anki derives from
// them.
func apkgFields(c deck.Card, parent *deck.Card) (flds, sfld string, err error) {
	q, err := htmlmd.ToHTML(c.Front)
	if err != nil {
		return "", "", fmt.Errorf("front: %w", err)
	}
	a, err := htmlmd.ToHTML(c.Back)
	if err != nil {
		return "", "", fmt.Errorf("back: %w", err)
	}
	var ctx string
	if parent != nil {
		if ctx, err = htmlmd.ToHTML(parent.Front); err != nil {
			return "", "", fmt.Errorf("parent front: %w", err)
		}
	}
	fields := [4]string{q, a, ctx, html.EscapeString(apkgSourcePrefix + c.ID + " " + c.Deck)}
	for i := range fields {
		fields[i] = apkgNormalizeField(strings.TrimSpace(fields[i]))
	}
	if fields[0] == "" {
		return "", "", errors.New("empty front")
	}
	fields[0] = apkgKeepMarkdown(fields[0], c.Front)
	fields[1] = apkgKeepMarkdown(fields[1], c.Back)
	return strings.Join(fields[:], "\x1f"), apkgStripHTML(fields[0]), nil
}

// apkgMarkdownMark opens the HTML comment in which a field of srs's note
// type carries the Markdown it was rendered from. Anki shows nothing of
// it and strips it from the sort field and checksum; srs reads it back,
// so an export to Anki and back loses nothing that HTML cannot say.
const apkgMarkdownMark = "<!--srs-md:"

func apkgKeepMarkdown(field, md string) string {
	return field + apkgMarkdownMark + base64.StdEncoding.EncodeToString([]byte(md)) + "-->"
}

// apkgKeptMarkdown returns the Markdown a field of srs's note type was
// rendered from, when it carries it and its HTML is still what that
// Markdown renders to: a note edited in Anki is read from its HTML.
func apkgKeptMarkdown(field string) (string, bool) {
	i := strings.LastIndex(field, apkgMarkdownMark)
	if i < 0 {
		return "", false
	}
	rest := field[i+len(apkgMarkdownMark):]
	j := strings.Index(rest, "-->")
	if j < 0 {
		return "", false
	}
	md, err := base64.StdEncoding.DecodeString(rest[:j])
	if err != nil || !utf8.Valid(md) {
		return "", false
	}
	want, err := htmlmd.ToHTML(string(md))
	if err != nil || apkgNormalizeField(strings.TrimSpace(want)) != strings.TrimSpace(field[:i]+rest[j+3:]) {
		return "", false
	}
	return string(md), true
}

// deck returns the id of Anki deck name, registering it and its parents.
func (w *Writer) deck(name string) int64 {
	if id, ok := w.decks[name]; ok {
		return id
	}
	if i := strings.LastIndex(name, "::"); i > 0 {
		w.deck(name[:i])
	}
	id := apkgDeckID(name)
	for w.deckIDs[id] != "" || id == 1 {
		id++
	}
	w.decks[name] = id
	w.deckIDs[id] = name
	return id
}

// Close finishes the collection (its creation day set to the earliest day
// used and day-based due dates made relative to it, the review log in id
// order, indexes; rollback journal mode, so no WAL file is needed), zips
// it with the media and writes the package to the writer given to
// NewWriter.
func (w *Writer) Close() error {
	if w.closed {
		return w.err
	}
	w.closed = true
	defer w.cleanup()
	if w.err != nil {
		return w.err
	}
	if err := w.finish(); err != nil {
		w.err = fmt.Errorf("apkg export: %w", err)
		return w.err
	}
	if w.opt.Progress != nil {
		w.opt.Progress(w.n)
	}
	return nil
}

func (w *Writer) finish() error {
	if err := w.rowsW.Flush(); err != nil {
		return err
	}
	f, err := os.Create(filepath.Join(w.dir, "collection.anki2"))
	if err != nil {
		return err
	}
	defer f.Close()
	db := sqlitefile.NewOn(f)
	roots := map[string]uint32{}
	if err := w.writeNotes(db, roots); err != nil {
		return err
	}
	if err := w.writeRevlog(db, roots); err != nil {
		return err
	}
	crt := fsrs.AnkiDayStart(w.minDay, w.loc)
	_, off := crt.Zone()
	decks := map[string]any{"1": apkgDeckJSON(1, "Default", 0)}
	for name, id := range w.decks {
		decks[strconv.FormatInt(id, 10)] = apkgDeckJSON(id, name, w.now.Unix())
	}
	ms := w.now.UnixMilli()
	var rec sqlitefile.Record
	rec.Null() // id, the rowid
	rec.Int(crt.Unix())
	rec.Int(ms) // mod
	rec.Int(ms) // scm
	rec.Int(11) // ver
	rec.Int(0)  // dty
	rec.Int(0)  // usn
	rec.Int(0)  // ls
	rec.Text(apkgConfJSON(w.newPos+1, -off/60))
	rec.Text(apkgModelsJSON())
	rec.Text(apkgMustJSON(decks))
	rec.Text(apkgDconfJSON(w.now.Unix()))
	rec.Text("{}") // tags
	col := sqlitefile.NewTable(db)
	if err := col.Insert(1, rec.AppendTo(nil)); err != nil {
		return err
	}
	if err := finishTrees(roots, apkgTree{"col", col}, apkgTree{"graves", sqlitefile.NewTable(db)}); err != nil {
		return err
	}
	if err := db.CreateSchema(apkgSchema11, roots); err != nil {
		return err
	}
	if err := db.CloseOn(f); err != nil {
		return err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	return w.writeZip(f)
}

// writeZip writes the package: the collection, the media and the map
// naming them, deflated at the fastest level (archive/zip's default level
// added a sixth to a 100k-card export's time for a package an eighth
// smaller).
func (w *Writer) writeZip(collection io.Reader) error {
	zw := zip.NewWriter(w.out)
	zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(out, flate.BestSpeed)
	})
	member := func(name string, r io.Reader) error {
		zf, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: w.now})
		if err == nil {
			_, err = io.Copy(zf, r)
		}
		return err
	}
	if err := member("collection.anki2", collection); err != nil {
		return err
	}
	// Media: members "0", "1", ... and the JSON map naming them.
	names := make([]string, 0, len(w.media))
	for name := range w.media {
		names = append(names, name)
	}
	slices.Sort(names)
	index := map[string]string{}
	for _, name := range names {
		data, err := fs.ReadFile(w.opt.Media, name)
		if err != nil {
			w.Warnings = append(w.Warnings, fmt.Sprintf("media %s: not in the media directory; left out", name))
			continue
		}
		key := strconv.Itoa(len(index))
		if err := member(key, bytes.NewReader(data)); err != nil {
			return err
		}
		index[key] = name
	}
	mapJSON, err := json.Marshal(index)
	if err != nil {
		return err
	}
	if err := member("media", bytes.NewReader(mapJSON)); err != nil {
		return err
	}
	return zw.Close()
}

// apkgMediaRefRE finds the files a card's Markdown refers to: images
// and Anki's sound tags.
var apkgMediaRefRE = regexp.MustCompile(`!\[[^\]]*\]\(<?([^)\s>]+)>?\)|\[sound:([^\]]+)\]`)

// noteMedia records the plain file names c refers to, for writeZip.
func (w *Writer) noteMedia(c *deck.Card) {
	if w.opt.Media == nil {
		return
	}
	for _, text := range []string{c.Front, c.Back} {
		// Most cards have no reference at all; both forms hold one of these.
		if !strings.Contains(text, "](") && !strings.Contains(text, "[sound:") {
			continue
		}
		for _, m := range apkgMediaRefRE.FindAllStringSubmatch(text, -1) {
			name := m[1] + m[2]
			if apkgSafeMediaName(name) {
				if w.media == nil {
					w.media = map[string]bool{}
				}
				w.media[name] = true
			}
		}
	}
}

// cleanup removes the temporary files.
func (w *Writer) cleanup() {
	if w.rows != nil {
		w.rows.Close()
		w.rows = nil
	}
	if w.dir != "" {
		os.RemoveAll(w.dir)
		w.dir = ""
	}
}
