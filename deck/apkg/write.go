package apkg

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"io/fs"
	"net/url"
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
// SQLite (modernc.org/sqlite) builds collection.anki2 in a temporary
// directory, in one transaction, without a journal or syncs: the file is
// the writer's own until Close zips it, and is removed on failure. Add
// renders a card and stages its note and card columns in a temporary
// table, in the order the cards come; reviews are kept in memory (40 bytes
// each). Close copies the staged rows into notes and cards in note id
// order (SQLite sorts them), the reviews in time order, builds the indexes
// once the rows are in, and zips the file with archive/zip's deflate.
type Writer struct {
	out    io.Writer
	opt    Options
	now    time.Time
	loc    *time.Location
	prefix string

	dir   string  // temporary directory holding the collection
	db    *sql.DB // collection.anki2 in dir
	tx    *sql.Tx // the one transaction that writes it
	stage *sql.Stmt

	decks   map[string]int64 // Anki deck name to id
	deckIDs map[int64]string
	cards   map[uint64]int64 // card (and note) id by guid number
	noteIDs map[int64]struct{}
	revs    [][]apkgRev // the review log, in the order added (write_revlog.go)
	nrevs   int
	n       int
	newPos  int
	minDay  int64           // earliest day number a due date or review falls on
	minDayT time.Time       // when day minDay starts
	media   map[string]bool // files the cards refer to

	// Warnings names media files the cards refer to that Media lacks.
	Warnings []string
	err      error // the first failure; every later call returns it
	closed   bool
}

// apkgStaged holds each card's note and card columns as Add computes them,
// until Close copies them into notes and cards in note id order. Due
// dates that are day numbers (day = 1) are still absolute then.
const apkgStaged = `CREATE TEMP TABLE staged (
  nid integer, did integer, guid text, tags text, flds text, sfld text, csum integer,
  type integer, queue integer, due integer, day integer, ivl integer, factor integer,
  reps integer, lapses integer, lft integer, data text
)`

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
	if err := aw.open(); err != nil {
		aw.cleanup()
		return nil, fmt.Errorf("apkg export: %w", err)
	}
	return aw, nil
}

// open creates the collection with its tables (the indexes come last, in
// Close) and the staging table, and begins the transaction.
func (w *Writer) open() error {
	dir, err := os.MkdirTemp("", "srs-apkg-*")
	if err != nil {
		return err
	}
	w.dir = dir
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(filepath.Join(dir, "collection.anki2"))}
	registerAPKGDriver()
	w.db, err = sql.Open(apkgDriver, u.String()+"?_pragma=journal_mode(OFF)&_pragma=synchronous(OFF)")
	if err != nil {
		return err
	}
	w.db.SetMaxOpenConns(1)
	for _, q := range append(apkgStatements(apkgSchema11Tables), apkgStaged) {
		if _, err := w.db.Exec(q); err != nil {
			return fmt.Errorf("creating the collection: %w", err)
		}
	}
	if w.tx, err = w.db.Begin(); err != nil {
		return err
	}
	w.stage, err = w.tx.Prepare(`INSERT INTO temp.staged VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	return err
}

// apkgStatements splits SQL text into its statements.
func apkgStatements(sql string) []string {
	var out []string
	for _, s := range strings.Split(sql, ";\n") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
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
	// Only writing the rows can fail from here on, and that ends the
	// export: commit the card's ids.
	w.cards[g] = nid
	w.noteIDs[nid] = struct{}{}
	did := w.deck(apkgDeckName(w.prefix, c.Deck))
	row := w.schedule(s)
	for _, r := range revs {
		if err := w.addRev(r); err != nil {
			return err
		}
	}
	_, err = w.stage.Exec(nid, did, ankiguid.Base91(g), " "+strings.Join(tags, " ")+" ", flds, sfld, csum,
		row.typ, row.queue, row.due, row.dayBased, row.ivl, row.factor, row.reps, row.lapses, row.left, row.data)
	return err
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
	mod := w.now.Unix()
	// notes.sfld is declared integer: SQLite stores a numeric sort field
	// as a number, so that such fields sort numerically.
	if _, err := w.tx.Exec(`INSERT INTO notes SELECT nid, guid, ?, ?, -1, tags, flds, sfld, csum, 0, '' FROM temp.staged ORDER BY nid`,
		apkgModelID, mod); err != nil {
		return fmt.Errorf("writing notes: %w", err)
	}
	if _, err := w.tx.Exec(`INSERT INTO cards SELECT nid, nid, did, 0, ?, -1, type, queue, CASE WHEN day THEN due - ? ELSE due END,
		ivl, factor, reps, lapses, lft, 0, 0, 0, data FROM temp.staged ORDER BY nid`, mod, w.minDay); err != nil {
		return fmt.Errorf("writing cards: %w", err)
	}
	if err := w.writeRevlog(); err != nil {
		return fmt.Errorf("writing the review log: %w", err)
	}
	crt := fsrs.AnkiDayStart(w.minDay, w.loc)
	_, off := crt.Zone()
	decks := map[string]any{"1": apkgDeckJSON(1, "Default", 0)}
	for name, id := range w.decks {
		decks[strconv.FormatInt(id, 10)] = apkgDeckJSON(id, name, w.now.Unix())
	}
	ms := w.now.UnixMilli()
	_, err := w.tx.Exec(`INSERT INTO col VALUES (1, ?, ?, ?, 11, 0, 0, 0, ?, ?, ?, ?, '{}')`, crt.Unix(), ms, ms,
		apkgConfJSON(w.newPos+1, -off/60), apkgModelsJSON(), apkgMustJSON(decks), apkgDconfJSON(w.now.Unix()))
	if err != nil {
		return fmt.Errorf("writing the collection row: %w", err)
	}
	for _, q := range apkgStatements(apkgSchema11Indexes) {
		if _, err := w.tx.Exec(q); err != nil {
			return fmt.Errorf("building the indexes: %w", err)
		}
	}
	w.stage.Close()
	if err := w.tx.Commit(); err != nil {
		return err
	}
	w.tx = nil
	err = w.db.Close()
	w.db = nil
	if err != nil {
		return err
	}
	return w.writeZip(filepath.Join(w.dir, "collection.anki2"))
}

// writeZip writes the package: the collection, the media and the map
// naming them.
func (w *Writer) writeZip(collection string) error {
	zw := zip.NewWriter(w.out)
	member := func(name string, r io.Reader) error {
		zf, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: w.now})
		if err == nil {
			_, err = io.Copy(zf, r)
		}
		return err
	}
	f, err := os.Open(collection)
	if err != nil {
		return err
	}
	err = member("collection.anki2", f)
	f.Close()
	if err != nil {
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

// cleanup closes the database and removes the temporary directory.
func (w *Writer) cleanup() {
	if w.tx != nil {
		w.tx.Rollback()
		w.tx = nil
	}
	if w.db != nil {
		w.db.Close()
		w.db = nil
	}
	if w.dir != "" {
		os.RemoveAll(w.dir)
		w.dir = ""
	}
}
