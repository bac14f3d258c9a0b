package apkg

import (
	"archive/zip"
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/maphash"
	"html"
	"io"
	"io/fs"
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
	"github.com/srs-tool/srs/deck"
	"github.com/srs-tool/srs/fsrs"
	"github.com/srs-tool/srs/internal/ankiguid"
	"github.com/srs-tool/srs/internal/extsort"
	"github.com/srs-tool/srs/internal/htmlmd"
	"github.com/srs-tool/srs/internal/pdeflate"
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
// Close writes collection.anki2 itself, page by page (internal/sqlitefile).
// SQLite wants each table's rows in rowid order, and note ids are hashes,
// so rows are gathered in temporary files first; memory does not grow with
// the notes. Add validates a card and settles its ids, deck and scheduling
// in order, then hands it to a few goroutines that render the Markdown;
// one more goroutine encodes the note and card rows and appends them to a
// spill file, remembering where each note's rows are. Review log rows are
// kept compactly and sorted by time in memory up to apkgRevRun rows, then
// spilled as sorted runs (extsort.Sorter). Close writes the tables and indexes
// in key order, merging and sorting the same way, while other goroutines
// deflate the pages as they come (internal/pdeflate), then zips them. An error
// found while rendering or spilling is returned by a later Add or by
// apkgSortMemory bounds the records each of the writer's sorters holds in
// memory.
const apkgSortMemory = 8 << 20

// Close.
type Writer struct {
	out    io.Writer
	opt    Options
	now    time.Time
	loc    *time.Location
	prefix string

	dir string // temporary files

	// Owned by the goroutine calling Add.
	decks   map[string]int64 // Anki deck name to id
	deckIDs map[int64]string
	noteIDs map[int64]struct{}
	revs    *extsort.Sorter[apkgRev] // the review log
	revSeq  uint32
	n       int
	newPos  int
	minDay  int64           // earliest day number a due date or review falls on
	minDayT time.Time       // when day minDay starts
	media   map[string]bool // files the cards refer to
	cards   apkgCardIndex   // the cards added

	// Warnings names media files the cards refer to that Media lacks.
	Warnings []string
	err      error // the first failure; every later call returns it
	closed   bool

	jobs    chan *apkgJob // to the renderers
	rows    chan *apkgJob // to the row writer
	render  sync.WaitGroup
	written chan struct{} // closed when the row writer is done
	mu      sync.Mutex
	async   error // the first error of a renderer or the row writer
	fronts  apkgFrontCache

	// Owned by the row writer until it is done.
	spill    *os.File      // note and card rows, in the order they were rendered
	spillW   *bufio.Writer // appends to spill
	spillOff int64
	noteRefs *extsort.Sorter[apkgNoteRef] // where each note's rows are, by note id

	// The collection, from the first AddReview or Close on (write_notes.go).
	coll      *apkgCollection
	notesDone chan error // the notes written early, when they were started
	notesErr  error
	late      bool // a card was added after the notes were started
}

// apkgJob is one card on its way through the pipeline.
type apkgJob struct {
	card        deck.Card
	parentFront *string
	nid, did    int64
	guid, tags  string
	sched       apkgSched

	flds, sfld string // set by a renderer
	csum       int64
}

// NewWriter starts a package that Close writes to w.
func NewWriter(w io.Writer, opt Options) (*Writer, error) {
	aw := &Writer{out: w, opt: opt, now: opt.Now, prefix: opt.DeckPrefix,
		decks: map[string]int64{}, deckIDs: map[int64]string{}, noteIDs: map[int64]struct{}{}}
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
	aw.start()
	return aw, nil
}

func (w *Writer) open() error {
	dir, err := os.MkdirTemp("", "srs-apkg-*")
	if err != nil {
		return err
	}
	w.dir = dir
	w.spill, err = os.Create(filepath.Join(dir, "notes"))
	if err != nil {
		return err
	}
	w.spillW = bufio.NewWriterSize(w.spill, 256<<10)
	w.noteRefs = w.newNoteRefs()
	w.revs = extsort.New("revlog", dir, apkgRevRun, apkgRevSize, apkgRevCompare, apkgPutRev, apkgGetRev)
	return nil
}

// start launches the renderers and the row writer.
func (w *Writer) start() {
	n := min(runtime.GOMAXPROCS(0), 8)
	w.jobs = make(chan *apkgJob, 64*n)
	w.rows = make(chan *apkgJob, 256)
	w.written = make(chan struct{})
	for range n {
		w.render.Add(1)
		go func() {
			defer w.render.Done()
			for j := range w.jobs {
				if err := j.renderFields(&w.fronts); err != nil {
					w.fail(fmt.Errorf("card %q in deck %q: %w", j.card.ID, j.card.Deck, err))
					continue
				}
				w.rows <- j
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
func (w *Writer) fail(err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.async == nil {
		w.async = err
	}
}

func (w *Writer) asyncErr() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.async
}

// stop closes the pipeline and waits for it to drain.
func (w *Writer) stop() {
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
// front is shown above the follow-up); s is the card's scheduling, used
// only WithScheduling (nil means new).
func (w *Writer) Add(c deck.Card, parent *deck.Card, s *Scheduling) error {
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
	j, err := w.prepare(c, parent, s)
	if err != nil {
		w.err = fmt.Errorf("apkg export: card %q in deck %q: %w", c.ID, c.Deck, err)
		return w.err
	}
	w.noteMedia(&c)
	if w.jobs == nil {
		// The first AddReview stopped the pipeline to write the notes so
		// far; Close will write them all again, this one included.
		w.late = true
		if w.noteRefs == nil {
			w.noteRefs = w.newNoteRefs()
		}
		w.start()
	}
	w.jobs <- j
	w.n++
	if w.opt.Progress != nil && w.n%1000 == 0 {
		w.opt.Progress(w.n)
	}
	return nil
}

// prepare does the part of Add that must happen in order: checks, ids,
// decks, scheduling and the review log.
func (w *Writer) prepare(c deck.Card, parent *deck.Card, s *Scheduling) (*apkgJob, error) {
	if err := deck.ValidateID(c.ID); err != nil {
		return nil, err
	}
	if err := deck.ValidateDeckName(c.Deck); err != nil {
		return nil, err
	}
	if strings.TrimSpace(c.Front) == "" {
		return nil, errors.New("empty front")
	}
	g := ankiguid.Number(c.Deck, c.ID)
	if w.cards.has(g) {
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
				return nil, err
			}
			revs = append(revs, r)
		}
	}
	// Only writing the review log can fail from here on: commit the card's
	// ids and rows.
	w.cards.add(g, nid)
	w.noteIDs[nid] = struct{}{}
	if w.opt.WithScheduling {
		w.cards.index(c.Deck, c.ID, nid)
	}
	j := &apkgJob{card: c, nid: nid, guid: ankiguid.Base91(g), tags: " " + strings.Join(tags, " ") + " ",
		did: w.deck(apkgDeckName(w.prefix, c.Deck)), sched: w.schedule(s)}
	if parent != nil {
		j.parentFront = &parent.Front
	}
	for _, r := range revs {
		if err := w.addRev(r); err != nil {
			return nil, err
		}
	}
	return j, nil
}

// AddReview adds one review of a card already added, for callers that read
// reviews in time order rather than card by card (Scheduling.Revlog).
// Reviews may come in any order; Close writes them sorted. The first call
// starts writing the notes of the cards added so far; cards are best all
// added before it, as a card added later makes Close write them again.
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
	if w.coll == nil && w.notesDone == nil && !w.late {
		if err := w.startNotes(); err != nil {
			w.err = fmt.Errorf("apkg export: %w", err)
			return w.err
		}
	}
	cid, ok := w.cards.get(deckName, id)
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

// apkgCardIndex holds the cards added, by their guid number (Add refuses
// a card whose guid is taken: added twice) and, for AddReview, by deck and
// ID. AddReview looks one up per review, in time order, so at random: a
// map keyed by the two strings missed the cache on its slots and again on
// the strings' bytes, about half a microsecond a review, and the guid
// number is a SHA-256. Lookups go to a map keyed by a cheap hash of deck
// and ID instead; cards whose hashes collide, if any, are found by guid.
type apkgCardIndex struct {
	byGUID map[uint64]int64 // card id by guid number
	seed   maphash.Seed
	byHash map[uint64]int64 // card id, or apkgHashCollision, by hash of deck and ID
}

const apkgHashCollision = -1 // card ids are positive

func (x *apkgCardIndex) has(guid uint64) bool {
	_, ok := x.byGUID[guid]
	return ok
}

// add records a card by its guid number, which must be free.
func (x *apkgCardIndex) add(guid uint64, cid int64) {
	if x.byGUID == nil {
		x.byGUID = map[uint64]int64{}
	}
	x.byGUID[guid] = cid
}

func (x *apkgCardIndex) hash(deck, id string) uint64 {
	var h maphash.Hash
	h.SetSeed(x.seed)
	h.WriteString(deck)
	h.WriteByte(0)
	h.WriteString(id)
	return h.Sum64()
}

// index makes an added card findable by get.
func (x *apkgCardIndex) index(deck, id string, cid int64) {
	if x.byHash == nil {
		x.seed = maphash.MakeSeed()
		x.byHash = map[uint64]int64{}
	}
	h := x.hash(deck, id)
	if _, taken := x.byHash[h]; taken {
		cid = apkgHashCollision
	}
	x.byHash[h] = cid
}

// get finds a card indexed by index.
func (x *apkgCardIndex) get(deck, id string) (int64, bool) {
	cid, ok := x.byHash[x.hash(deck, id)]
	if cid == apkgHashCollision {
		cid, ok = x.byGUID[ankiguid.Number(deck, id)]
	}
	return cid, ok
}

// renderFields renders the card's Markdown and computes what Anki derives
// from the fields. It runs on a renderer goroutine.
func (j *apkgJob) renderFields(fronts *apkgFrontCache) error {
	q, err := fronts.render(j.card.Front)
	if err != nil {
		return fmt.Errorf("front: %w", err)
	}
	a, err := htmlmd.ToHTML(j.card.Back)
	if err != nil {
		return fmt.Errorf("back: %w", err)
	}
	var ctx string
	if j.parentFront != nil {
		if ctx, err = fronts.render(*j.parentFront); err != nil {
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

// apkgFrontCache keeps the HTML of the fronts rendered last: a follow-up
// shows its question's front as its Context, and questions usually come
// just before their follow-ups.
type apkgFrontCache struct {
	mu   sync.Mutex
	html map[string]string
	ring [256]string // the Markdown cached, oldest at next once full
	next int
}

func (c *apkgFrontCache) render(md string) (string, error) {
	c.mu.Lock()
	h, ok := c.html[md]
	c.mu.Unlock()
	if ok {
		return h, nil
	}
	h, err := htmlmd.ToHTML(md)
	if err != nil {
		return "", err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.html == nil {
		c.html = map[string]string{}
	}
	delete(c.html, c.ring[c.next])
	c.ring[c.next] = md
	c.next = (c.next + 1) % len(c.ring)
	c.html[md] = h
	return h, nil
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
// order, indexes, rollback journal mode so no WAL file is needed), zips it
// with an empty media map and writes the package to the writer given to
// NewWriter.
func (w *Writer) Close() error {
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

func (w *Writer) finish() error {
	if err := w.notesWritten(); err != nil {
		return err
	}
	c := w.coll
	if err := w.writeCards(c); err != nil {
		return err
	}
	if err := w.writeRevlog(c); err != nil {
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
	col := sqlitefile.NewTable(c.db)
	if err := col.Insert(1, rec.AppendTo(nil)); err != nil {
		return err
	}
	if err := finishTrees(c.roots, []apkgTree{{"col", col}, {"graves", sqlitefile.NewTable(c.db)}}); err != nil {
		return err
	}
	if err := c.db.CreateSchema(apkgSchema11, c.roots); err != nil {
		return err
	}
	page1, err := c.db.Close()
	if err != nil {
		return err
	}
	if err := c.deflater.Close(); err != nil {
		return fmt.Errorf("compressing the collection: %w", err)
	}
	return w.writeZip(page1, c.deflater)
}

// writeZip writes the package: the collection, whose pages after the first
// are already compressed, then the media.
func (w *Writer) writeZip(page1 []byte, collection *pdeflate.Writer) error {
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
	if err := collection.WriteZip(zw, "collection.anki2", w.now, page1); err != nil {
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

// cleanup releases the pipeline, the temporary files and their directory.
func (w *Writer) cleanup() {
	w.stop()
	w.waitNotes()
	if w.coll != nil {
		w.coll.discard()
		w.coll = nil
	}
	if w.spill != nil {
		w.spill.Close()
	}
	if w.noteRefs != nil {
		w.noteRefs.Close()
	}
	if w.revs != nil {
		w.revs.Close()
	}
	if w.dir != "" {
		os.RemoveAll(w.dir)
		w.dir = ""
	}
}
