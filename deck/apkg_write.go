package deck

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
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/klauspost/compress/flate"
)

// APKGWriter writes cards as an Anki package in the Legacy1 layout:
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
// ReadAPKG give the cards back their srs identity.
//
// Cards stream into a temporary SQLite file; memory does not grow with the
// notes. Add validates a card and settles its ids, deck and scheduling in
// order, then hands it to a few goroutines that render the Markdown; one
// more goroutine inserts the rows, in batches, in one transaction. Review
// log rows are kept compactly (40 bytes each) and sorted by time in memory
// up to apkgRevRun rows, then spilled as sorted runs to a scratch database
// and merged by Close, so that the revlog is written in id order. Close
// builds the indexes (cheaper once than row by row) and zips the file. An
// error found while rendering or inserting is returned by a later Add or
// by Close.
type APKGWriter struct {
	out    io.Writer
	opt    APKGOptions
	now    time.Time
	loc    *time.Location
	prefix string

	dir string
	db  *sql.DB
	tx  *sql.Tx

	// Owned by the goroutine calling Add.
	decks   map[string]int64 // Anki deck name to id
	deckIDs map[int64]string
	guids   map[uint64]struct{}
	noteIDs map[int64]struct{}
	revs    apkgRevBuf // review log rows not yet spilled
	runs    int        // sorted runs spilled to the scratch database
	n       int
	newPos  int
	minDay  int64            // earliest day number a due date or review falls on
	media   map[string]bool  // files the cards refer to
	cardIDs map[string]int64 // Key(deck, id) to Anki card id, for AddReview

	// Warnings names media files the cards refer to that Media lacks.
	Warnings []string
	err      error // the first failure; every later call returns it
	closed   bool

	jobs    chan *apkgJob // to the renderers
	rows    chan apkgMsg  // to the database writer
	render  sync.WaitGroup
	written chan struct{} // closed when the database writer is done
	mu      sync.Mutex
	async   error // the first error of a renderer or the database writer
}

// apkgJob is one card on its way through the pipeline.
type apkgJob struct {
	card        Card
	parentFront *string
	nid, did    int64
	guid, tags  string
	sched       apkgSched

	flds, sfld string // set by a renderer
	csum       int64
}

// apkgMsg is a rendered card, or sorted chunks of review rows to spill
// as one run.
type apkgMsg struct {
	job *apkgJob
	run [][]apkgRev
	seq int
}

const (
	apkgNoteBatch = 64  // notes (and cards) per INSERT
	apkgRevBatch  = 256 // revlog rows per INSERT
)

// apkgRevRun is how many review rows are kept in memory (32 bytes each)
// before they are spilled to the scratch database; a variable so tests can
// exercise the spilling.
var apkgRevRun = 1 << 20

// NewAPKGWriter starts a package that Close writes to w.
func NewAPKGWriter(w io.Writer, opt APKGOptions) (*APKGWriter, error) {
	aw := &APKGWriter{out: w, opt: opt, now: opt.Now, prefix: opt.DeckPrefix,
		decks: map[string]int64{}, deckIDs: map[int64]string{}, guids: map[uint64]struct{}{}, noteIDs: map[int64]struct{}{}}
	if aw.now.IsZero() {
		aw.now = time.Now()
	}
	aw.loc = aw.now.Location()
	if aw.prefix == "" {
		aw.prefix = "srs"
	}
	aw.minDay = aw.dayNumber(aw.now)
	if err := aw.open(); err != nil {
		aw.cleanup()
		return nil, fmt.Errorf("apkg export: %w", err)
	}
	aw.start()
	return aw, nil
}

func (w *APKGWriter) open() error {
	dir, err := os.MkdirTemp("", "srs-apkg-*")
	if err != nil {
		return err
	}
	w.dir = dir
	fileURL := func(name string) string {
		u := url.URL{Scheme: "file", Path: filepath.ToSlash(filepath.Join(dir, name))}
		return u.String()
	}
	// No journal and no syncs while building: the files are ours and
	// discarded on failure. Close switches back to a rollback journal. The
	// cache holds the note table's working set while notes arrive in
	// (random) id order.
	registerAPKGDriver()
	w.db, err = sql.Open(apkgDriver, fileURL("collection.anki2")+"?_pragma=journal_mode(OFF)&_pragma=synchronous(OFF)&_pragma=cache_size(-32768)")
	if err != nil {
		return err
	}
	w.db.SetMaxOpenConns(1)
	for _, q := range []string{
		apkgSchema11Tables,
		"ATTACH DATABASE '" + strings.ReplaceAll(fileURL("scratch.db"), "'", "''") + "' AS scratch",
		"PRAGMA scratch.journal_mode=OFF",
		"PRAGMA scratch.synchronous=OFF",
	} {
		if _, err := w.db.Exec(q); err != nil {
			return err
		}
	}
	w.tx, err = w.db.Begin()
	return err
}

// start launches the renderers and the database writer.
func (w *APKGWriter) start() {
	n := min(runtime.GOMAXPROCS(0), 8)
	w.jobs = make(chan *apkgJob, 64*n)
	w.rows = make(chan apkgMsg, 256)
	w.written = make(chan struct{})
	for range n {
		w.render.Add(1)
		go func() {
			defer w.render.Done()
			for j := range w.jobs {
				if err := j.renderFields(); err != nil {
					w.fail(fmt.Errorf("card %q in deck %q: %w", j.card.ID, j.card.Deck, err))
					continue
				}
				w.rows <- apkgMsg{job: j}
			}
		}()
	}
	go func() {
		defer close(w.written)
		if err := w.writeRows(); err != nil {
			w.fail(err)
			for range w.rows { // keep the senders from blocking
			}
		}
	}()
}

// fail records the first asynchronous error.
func (w *APKGWriter) fail(err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.async == nil {
		w.async = err
	}
}

func (w *APKGWriter) asyncErr() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.async
}

// stop closes the pipeline and waits for it to drain.
func (w *APKGWriter) stop() {
	if w.jobs == nil {
		return
	}
	close(w.jobs)
	w.render.Wait()
	close(w.rows)
	<-w.written
	w.jobs = nil
}

// Add writes one card. parent is the question a follow-up belongs to (its
// front is shown above the follow-up); p is the card's scheduling, used
// only WithScheduling (nil means new).
func (w *APKGWriter) Add(c Card, parent *Card, p *ExportProgress) error {
	if w.err == nil {
		if err := w.asyncErr(); err != nil {
			w.err = fmt.Errorf("apkg export: %w", err)
		}
	}
	if w.err != nil {
		return w.err
	}
	if w.closed {
		return errors.New("apkg export: Add after Close")
	}
	j, err := w.prepare(c, parent, p)
	if err != nil {
		w.err = fmt.Errorf("apkg export: card %q in deck %q: %w", c.ID, c.Deck, err)
		return w.err
	}
	w.noteMedia(&c)
	w.jobs <- j
	w.n++
	if w.opt.Progress != nil && w.n%1000 == 0 {
		w.opt.Progress(w.n)
	}
	return nil
}

// prepare does the part of Add that must happen in order: checks, ids,
// decks, scheduling and the review log.
func (w *APKGWriter) prepare(c Card, parent *Card, p *ExportProgress) (*apkgJob, error) {
	if err := ValidateID(c.ID); err != nil {
		return nil, err
	}
	if err := ValidateDeckName(c.Deck); err != nil {
		return nil, err
	}
	if strings.TrimSpace(c.Front) == "" {
		return nil, errors.New("empty front")
	}
	g := ankiGUIDNumber(c.Deck, c.ID)
	if _, dup := w.guids[g]; dup {
		return nil, errors.New("added twice")
	}

	tags := make([]string, 0, len(c.Tags)+2)
	for _, t := range c.Tags {
		if t = strings.Join(strings.Fields(t), "_"); t != "" && !strings.HasPrefix(t, apkgParentTag) && !strings.HasPrefix(t, apkgKindTag) {
			tags = append(tags, t)
		}
	}
	kind := c.Kind
	if kind == "" {
		kind = KindBasic
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
	if w.opt.WithScheduling && p != nil {
		revs = make([]apkgRev, 0, len(p.Log))
		for _, e := range p.Log {
			r, err := w.review(e, nid)
			if err != nil {
				return nil, err
			}
			revs = append(revs, r)
		}
	}
	// Nothing can fail from here on: commit the card's ids and rows.
	w.guids[g] = struct{}{}
	w.noteIDs[nid] = struct{}{}
	if w.opt.WithScheduling {
		if w.cardIDs == nil {
			w.cardIDs = map[string]int64{}
		}
		w.cardIDs[c.Key()] = nid
	}
	j := &apkgJob{card: c, nid: nid, guid: apkgBase91(g), tags: " " + strings.Join(tags, " ") + " ",
		did: w.deck(apkgDeckName(w.prefix, c.Deck)), sched: w.schedule(p)}
	if parent != nil {
		j.parentFront = &parent.Front
	}
	for _, r := range revs {
		w.revs.add(r)
	}
	if w.revs.n >= apkgRevRun {
		w.spill()
	}
	return j, nil
}

// AddReview adds one review of a card already added, for callers that read
// reviews in time order rather than card by card (ExportProgress.Log).
// Reviews may come in any order; Close writes them sorted.
func (w *APKGWriter) AddReview(deckName, id string, e ExportReview) error {
	if w.err != nil {
		return w.err
	}
	if w.closed {
		return errors.New("apkg export: AddReview after Close")
	}
	if !w.opt.WithScheduling {
		return errors.New("apkg export: AddReview without WithScheduling")
	}
	cid, ok := w.cardIDs[Key(deckName, id)]
	if !ok {
		return fmt.Errorf("apkg export: review of card %q in deck %q, which was not added", id, deckName)
	}
	r, err := w.review(e, cid)
	if err != nil {
		w.err = fmt.Errorf("apkg export: card %q in deck %q: %w", id, deckName, err)
		return w.err
	}
	w.revs.add(r)
	if w.revs.n >= apkgRevRun {
		w.spill()
	}
	return nil
}

// renderFields renders the card's Markdown and computes what Anki derives
// from the fields. It runs on a renderer goroutine.
func (j *apkgJob) renderFields() error {
	q, err := MarkdownToHTML(j.card.Front)
	if err != nil {
		return fmt.Errorf("front: %w", err)
	}
	a, err := MarkdownToHTML(j.card.Back)
	if err != nil {
		return fmt.Errorf("back: %w", err)
	}
	var ctx string
	if j.parentFront != nil {
		if ctx, err = MarkdownToHTML(*j.parentFront); err != nil {
			return fmt.Errorf("parent front: %w", err)
		}
	}
	fields := [4]string{q, a, ctx, html.EscapeString(apkgSourcePrefix + j.card.ID + " " + j.card.Deck)}
	for i := range fields {
		fields[i] = apkgNormalizeField(strings.TrimSpace(fields[i]))
	}
	if fields[0] == "" {
		return errors.New("empty front")
	}
	fields[0] = apkgKeepMarkdown(fields[0], j.card.Front)
	fields[1] = apkgKeepMarkdown(fields[1], j.card.Back)
	j.flds = strings.Join(fields[:], "\x1f")
	j.sfld = apkgStripHTML(fields[0])
	j.csum = int64(apkgChecksum(j.sfld))
	return nil
}

// AnkiGUID is the Anki note guid of a card: base91 of the first 8 bytes of
// SHA-256("srs:" deck NUL id), the same in every export (.apkg and TSV),
// so importing an export again updates the notes instead of duplicating
// them.
func AnkiGUID(deckName, id string) string { return apkgBase91(ankiGUIDNumber(deckName, id)) }

func ankiGUIDNumber(deckName, id string) uint64 {
	sum := sha256.Sum256([]byte("srs:" + deckName + "\x00" + id))
	return binary.BigEndian.Uint64(sum[:8])
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
	want, err := MarkdownToHTML(string(md))
	if err != nil || apkgNormalizeField(strings.TrimSpace(want)) != strings.TrimSpace(field[:i]+rest[j+3:]) {
		return "", false
	}
	return string(md), true
}

// apkgBatcher runs multi-row INSERTs, preparing one statement per row
// count. Values that are the same in every row are written into the
// tuple as literals, so fewer arguments cross database/sql.
type apkgBatcher struct {
	tx    *sql.Tx
	stmts map[string]*sql.Stmt
}

// apkgTuple is a table's VALUES tuple and how many "?" it holds.
// (Numbered parameters, which would let a tuple use one twice, bind much
// more slowly in modernc's driver.)
type apkgTuple struct {
	table, tuple string
	params       int
}

func (b *apkgBatcher) exec(t apkgTuple, args []any) error {
	rows := len(args) / t.params
	key := t.table + "/" + strconv.Itoa(rows)
	st := b.stmts[key]
	if st == nil {
		var err error
		st, err = b.tx.Prepare("INSERT INTO " + t.table + " VALUES " + strings.Repeat(t.tuple+", ", rows-1) + t.tuple)
		if err != nil {
			return err
		}
		b.stmts[key] = st
	}
	_, err := st.Exec(args...)
	return err
}

func (b *apkgBatcher) close() {
	for _, st := range b.stmts {
		st.Close()
	}
}

// Row tuples of the batched INSERTs.
var (
	apkgRevTuple = apkgTuple{"revlog", "(?, ?, -1, ?, ?, ?, ?, ?, ?)", 8}
	apkgRunTuple = apkgTuple{"", "(?, ?, ?, ?, ?, ?, ?, ?)", 8} // table set per run
)

// writeRows inserts rendered cards into notes and cards, and spilled runs
// of review rows into the scratch database.
func (w *APKGWriter) writeRows() error {
	b := &apkgBatcher{tx: w.tx, stmts: map[string]*sql.Stmt{}}
	defer b.close()
	mod := w.now.Unix()
	noteT := apkgTuple{"notes", fmt.Sprintf("(?, ?, %d, %d, -1, ?, ?, ?, ?, 0, '')", apkgModelID, mod), 6}
	cardT := apkgTuple{"cards", fmt.Sprintf("(?, ?, ?, 0, %d, -1, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, ?)", mod), 13}
	notes := make([]any, 0, apkgNoteBatch*noteT.params)
	cards := make([]any, 0, apkgNoteBatch*cardT.params)
	flush := func() error {
		if len(notes) == 0 {
			return nil
		}
		if err := b.exec(noteT, notes); err != nil {
			return err
		}
		if err := b.exec(cardT, cards); err != nil {
			return err
		}
		notes, cards = notes[:0], cards[:0]
		return nil
	}
	for m := range w.rows {
		if m.run != nil {
			if err := w.writeRun(b, m.seq, m.run); err != nil {
				return err
			}
			continue
		}
		j, s := m.job, m.job.sched
		notes = append(notes, j.nid, j.guid, j.tags, j.flds, j.sfld, j.csum)
		// odue marks day-based due dates until Close makes them relative
		// to the collection's creation day; it ends up 0 as Anki expects.
		odue := 0
		if s.dayBased {
			odue = 1
		}
		cards = append(cards, j.nid, j.nid, j.did, s.typ, s.queue, s.due, s.ivl, s.factor,
			s.reps, s.lapses, s.left, odue, s.data)
		if len(notes) == cap(notes) {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}

// deck returns the id of Anki deck name, registering it and its parents.
func (w *APKGWriter) deck(name string) int64 {
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
// order, indexes, rollback journal mode so no WAL file is needed), zips it
// with an empty media map and writes the package to the writer given to
// NewAPKGWriter.
func (w *APKGWriter) Close() error {
	if w.closed {
		return w.err
	}
	w.closed = true
	defer w.cleanup()
	w.stop()
	if w.err == nil {
		if err := w.asyncErr(); err != nil {
			w.err = fmt.Errorf("apkg export: %w", err)
		}
	}
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

func (w *APKGWriter) finish() error {
	d0 := time.Unix(w.minDay*86400, 0).UTC()
	crt := time.Date(d0.Year(), d0.Month(), d0.Day(), 4, 0, 0, 0, w.loc)
	_, off := crt.Zone()
	// The rest appends in order or sorts; SQLite sizes its sort buffers
	// from the cache size, so a smaller cache keeps the peak memory down.
	if _, err := w.tx.Exec("PRAGMA cache_size=-8000"); err != nil {
		return err
	}
	if _, err := w.tx.Exec("UPDATE cards SET due = due - ?, odue = 0 WHERE odue = 1", w.minDay); err != nil {
		return err
	}
	if _, err := w.tx.Exec(apkgSchema11UsnIndexes); err != nil {
		return err
	}
	if err := w.writeRevlog(); err != nil {
		return err
	}
	if _, err := w.tx.Exec(apkgSchema11OtherIndexes); err != nil {
		return err
	}
	decks := map[string]any{"1": apkgDeckJSON(1, "Default", 0)}
	for name, id := range w.decks {
		decks[strconv.FormatInt(id, 10)] = apkgDeckJSON(id, name, w.now.Unix())
	}
	ms := w.now.UnixMilli()
	_, err := w.tx.Exec("INSERT INTO col (id, crt, mod, scm, ver, dty, usn, ls, conf, models, decks, dconf, tags) VALUES (1, ?, ?, ?, 11, 0, 0, 0, ?, ?, ?, ?, '{}')",
		crt.Unix(), ms, ms, apkgConfJSON(w.newPos+1, -off/60), apkgModelsJSON(), apkgMustJSON(decks), apkgDconfJSON(w.now.Unix()))
	if err != nil {
		return err
	}
	if err := w.tx.Commit(); err != nil {
		return err
	}
	w.tx = nil
	for _, q := range []string{"DETACH DATABASE scratch", "PRAGMA journal_mode=DELETE"} {
		if _, err := w.db.Exec(q); err != nil {
			return err
		}
	}
	if err := w.db.Close(); err != nil {
		return err
	}
	w.db = nil
	return w.writeZip()
}

func (w *APKGWriter) writeZip() error {
	f, err := os.Open(filepath.Join(w.dir, "collection.anki2"))
	if err != nil {
		return err
	}
	defer f.Close()
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
	if err := member("collection.anki2", f); err != nil {
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
func (w *APKGWriter) noteMedia(c *Card) {
	if w.opt.Media == nil {
		return
	}
	for _, text := range []string{c.Front, c.Back} {
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

// cleanup releases the pipeline, the database and the temporary directory.
func (w *APKGWriter) cleanup() {
	w.stop()
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
