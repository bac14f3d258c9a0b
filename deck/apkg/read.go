package apkg

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"google.golang.org/protobuf/encoding/protowire"

	"github.com/srs-tool/srs/deck"
	"github.com/srs-tool/srs/fsrs"
)

// Package versions as the "meta" member states them.
const (
	apkgLegacy1 = 1
	apkgLegacy2 = 2
	apkgLatest  = 3
)

// Read reads an Anki package (any of the three layouts described at
// the top of apkg.go) into a Deck, within lim.
//
// Every card of every note becomes an srs card of kind basic whose ID is
// the note's guid (or, when the guid is not a valid card ID, "g" and 16 hex
// digits of its SHA-256); a note type with several templates gives its
// cards ord > 0 the ID guid+".t"+ord. The front is the fields the card's
// template shows, the back the other non-empty fields, labelled with their
// names when the note type has more than two. Cloze notes give one card per
// cloze number, ID guid+".c"+n. Notes of srs's own note type (written by
// Writer) get back their srs ID, deck, kind and parent.
//
// Decks keep Anki's names ("Lang::Spanish") unless opt.Deck overrides them.
// Deck.Media holds the media files the imported notes refer to.
//
// The map returned holds, by deck.Key, each card Anki has scheduled
// (not new, or suspended, or with revlog rows): its cards row and revlog
// as Anki stored them. fsrs turns them into states (Scheduler.FromAnki),
// with the parameters of the user who imports them.
func Read(path string, opt deck.ParseOptions, lim Limits) (*deck.Deck, map[string]fsrs.AnkiProgress, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	if opt.File == "" {
		opt.File = filepath.Base(path)
	}
	return ReadFile(context.Background(), f, opt, lim)
}

// ReadFile is Read of an open file, which must be a regular file (a zip
// is read from its end): a package that came down a pipe is copied to a
// file first. The file stays open; the caller closes it. Cancelling ctx
// stops the reading at the next few thousand rows, with ctx's error,
// and removes the temporary copy of the collection.
func ReadFile(ctx context.Context, f *os.File, opt deck.ParseOptions, lim Limits) (*deck.Deck, map[string]fsrs.AnkiProgress, error) {
	name := opt.File
	if name == "" {
		name = filepath.Base(f.Name())
	}
	a, err := newAPKGArchive(f, name, lim)
	if err != nil {
		return nil, nil, err
	}
	a.ctx = ctx

	version, err := apkgVersion(a)
	if err != nil {
		return nil, nil, err
	}
	member := map[int]string{apkgLegacy1: "collection.anki2", apkgLegacy2: "collection.anki21", apkgLatest: "collection.anki21b"}[version]
	if !a.has(member) {
		return nil, nil, apkgError(name, "package (version %d) has no %s", version, member)
	}

	tmp, err := os.MkdirTemp("", "srs-apkg-*")
	if err != nil {
		return nil, nil, apkgError(name, "%v", err)
	}
	defer os.RemoveAll(tmp)
	dbPath := filepath.Join(tmp, "collection.db")
	if err := apkgExtract(a, member, dbPath, version == apkgLatest); err != nil {
		return nil, nil, err
	}
	db, err := apkgOpenHostileDB(dbPath)
	if err != nil {
		return nil, nil, apkgError(name, "%s: %v", member, err)
	}
	defer db.Close()

	r := &apkgReader{ctx: ctx, name: name, member: member, db: db, lim: lim, opt: opt, version: version,
		d: &deck.Deck{Source: name}, sched: map[string]fsrs.AnkiProgress{}}
	if err := r.read(); err != nil {
		return nil, nil, err
	}
	if err := r.readMedia(a); err != nil {
		return nil, nil, err
	}
	if err := r.d.Validate(); err != nil {
		if strings.HasPrefix(err.Error(), name+":") { // already names a note by its Source
			return nil, nil, err
		}
		return nil, nil, apkgError(name, "%w", err)
	}
	return r.d, r.sched, nil
}

// apkgVersion detects the layout as Anki does (package/meta.rs).
func apkgVersion(a *apkgArchive) (int, error) {
	if !a.has("meta") {
		if a.has("collection.anki21") {
			return apkgLegacy2, nil
		}
		return apkgLegacy1, nil
	}
	b, err := a.read("meta", false, 4096)
	if err != nil {
		return 0, err
	}
	var version uint64
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return 0, apkgError(a.name, "meta: %v", protowire.ParseError(n))
		}
		b = b[n:]
		if num == 1 && typ == protowire.VarintType {
			v, m := protowire.ConsumeVarint(b)
			if m < 0 {
				return 0, apkgError(a.name, "meta: %v", protowire.ParseError(m))
			}
			version, b = v, b[m:]
			continue
		}
		m := protowire.ConsumeFieldValue(num, typ, b)
		if m < 0 {
			return 0, apkgError(a.name, "meta: %v", protowire.ParseError(m))
		}
		b = b[m:]
	}
	switch version {
	case apkgLegacy1, apkgLegacy2, apkgLatest:
		return int(version), nil
	}
	return 0, apkgError(a.name, "package version %d is not supported (made by a newer Anki?)", version)
}

// apkgExtract decompresses member into a new private file at path.
func apkgExtract(a *apkgArchive, member, path string, zstdInner bool) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return apkgError(a.name, "%v", err)
	}
	err = a.copyTo(f, member, zstdInner)
	if cerr := f.Close(); err == nil && cerr != nil {
		err = apkgError(a.name, "%v", cerr)
	}
	return err
}

// apkgNotetype is the part of an Anki note type the reader needs.
type apkgNotetype struct {
	name   string
	cloze  bool
	fields []string
	qfmt   map[int]string // template question formats by ord
}

type apkgCardRow struct {
	id, did, odid int64
	ord           int
	sched         fsrs.AnkiCard
}

type apkgReader struct {
	ctx          context.Context
	name, member string
	db           *sql.DB
	lim          Limits
	opt          deck.ParseOptions
	version      int
	d            *deck.Deck

	crt       int64
	notetypes map[int64]*apkgNotetype
	decks     map[int64]string
	cards     map[int64][]apkgCardRow      // by note id
	revlog    map[int64][]fsrs.AnkiReview  // by card id
	sched     map[string]fsrs.AnkiProgress // by deck.Key
	presets   map[int64]*fsrs.AnkiPreset   // by deck id (read_preset.go)
	refs      map[string]bool              // media names the imported notes refer to
	warned    int
	rows      int // rows read, for tick
}

// tick counts a row read and, every few thousand, asks whether the
// reader should stop (an interrupt).
func (r *apkgReader) tick() error {
	if r.rows++; r.rows%4096 == 0 {
		return r.ctx.Err()
	}
	return nil
}

// errorf names the file and the member table/row an error is about.
func (r *apkgReader) errorf(format string, args ...any) error {
	return apkgError(r.name, format, args...)
}

func (r *apkgReader) warnf(format string, args ...any) {
	const maxWarnings = 50
	r.warned++
	switch {
	case r.warned <= maxWarnings:
		r.d.Warnings = append(r.d.Warnings, fmt.Sprintf("%s: %s", r.name, fmt.Sprintf(format, args...)))
	case r.warned == maxWarnings+1:
		r.d.Warnings = append(r.d.Warnings, fmt.Sprintf("%s: more warnings not shown", r.name))
	}
}

func (r *apkgReader) read() error {
	if err := apkgCheckHostileDB(r.db, "col", "notes", "cards", "revlog"); err != nil {
		return r.errorf("%s: %v", r.member, err)
	}
	var ver int64
	var models, decks string
	err := r.db.QueryRow("SELECT crt, ver, models, decks FROM col ORDER BY id LIMIT 1").Scan(&r.crt, &ver, &models, &decks)
	if errors.Is(err, sql.ErrNoRows) {
		return r.errorf("%s: col table is empty", r.member)
	}
	if err != nil {
		return r.errorf("%s: col: %v", r.member, apkgScanError(err))
	}
	switch {
	case ver == 11:
		if err := r.loadLegacyModels(models); err != nil {
			return err
		}
		if err := r.loadLegacyDecks(decks); err != nil {
			return err
		}
	case ver >= 15 && ver <= 18:
		if err := apkgCheckHostileDB(r.db, "notetypes", "fields", "templates", "decks"); err != nil {
			return r.errorf("%s: %v", r.member, err)
		}
		if err := r.loadNotetypes(); err != nil {
			return err
		}
		if err := r.loadDecks(); err != nil {
			return err
		}
	case ver < 11:
		return r.errorf("%s: collection schema %d is too old (Anki 2.0 or earlier)", r.member, ver)
	default:
		return r.errorf("%s: collection schema %d is not supported", r.member, ver)
	}
	r.loadPresets(ver >= 15)
	if err := r.checkCounts(); err != nil {
		return err
	}
	if err := r.loadCards(); err != nil {
		return err
	}
	if err := r.loadRevlog(); err != nil {
		return err
	}
	if err := r.loadNotes(); err != nil {
		return err
	}
	r.fixParents()
	r.d.Name = r.deckName()
	return nil
}

// apkgJSONID is an Anki id in legacy JSON, which has been written both as a
// number and as a string.
type apkgJSONID int64

func (id *apkgJSONID) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(b), `"`)
	if s == "null" || s == "" {
		*id = 0
		return nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		f, ferr := strconv.ParseFloat(s, 64)
		if ferr != nil || f != float64(int64(f)) {
			return fmt.Errorf("id %.30s is not an integer", s)
		}
		n = int64(f)
	}
	*id = apkgJSONID(n)
	return nil
}

func (r *apkgReader) loadLegacyModels(js string) error {
	var models map[string]struct {
		ID   apkgJSONID `json:"id"`
		Name string     `json:"name"`
		Type apkgJSONID `json:"type"`
		Flds []struct {
			Name string `json:"name"`
		} `json:"flds"`
		Tmpls []struct {
			Qfmt string `json:"qfmt"`
		} `json:"tmpls"`
	}
	if err := json.Unmarshal([]byte(js), &models); err != nil {
		return r.errorf("%s: col.models: %v", r.member, err)
	}
	r.notetypes = make(map[int64]*apkgNotetype, len(models))
	for key, m := range models {
		id := int64(m.ID)
		if id == 0 {
			id, _ = strconv.ParseInt(key, 10, 64)
		}
		nt := &apkgNotetype{name: m.Name, cloze: m.Type == 1, qfmt: map[int]string{}}
		for _, f := range m.Flds {
			nt.fields = append(nt.fields, f.Name)
		}
		for i, t := range m.Tmpls {
			nt.qfmt[i] = t.Qfmt
		}
		r.notetypes[id] = nt
	}
	return nil
}

func (r *apkgReader) loadLegacyDecks(js string) error {
	var decks map[string]struct {
		ID   apkgJSONID `json:"id"`
		Name string     `json:"name"`
	}
	if err := json.Unmarshal([]byte(js), &decks); err != nil {
		return r.errorf("%s: col.decks: %v", r.member, err)
	}
	r.decks = make(map[int64]string, len(decks))
	for key, d := range decks {
		id := int64(d.ID)
		if id == 0 {
			id, _ = strconv.ParseInt(key, 10, 64)
		}
		r.decks[id] = d.Name
	}
	return nil
}

// apkgRevlogPerCard bounds the review log by the cards it is about:
// a card reviewed daily for years has a few hundred rows, and a package's
// average stays far below this. A flat bound let a 9.5 MB package of
// a few cards and millions of rows take 1.5 GB to read.
const apkgRevlogPerCard = 100

func (r *apkgReader) checkCounts() error {
	if r.lim.MaxNotes <= 0 {
		return nil
	}
	var cards int64
	for _, t := range []struct {
		table string
		max   func() int64
		n     *int64
	}{
		{"notes", func() int64 { return int64(r.lim.MaxNotes) }, nil},
		{"cards", func() int64 { return int64(r.lim.MaxNotes) }, &cards},
		{"revlog", func() int64 { return apkgRevlogPerCard * cards }, nil},
	} {
		var n int64
		if err := r.db.QueryRow("SELECT count(*) FROM " + t.table).Scan(&n); err != nil {
			return r.errorf("%s: %s: %v", r.member, t.table, err)
		}
		if t.table == "revlog" && n > t.max() {
			return r.errorf("%s: revlog has %d rows, over the limit of %d per card (%d cards)", r.member, n, apkgRevlogPerCard, cards)
		}
		if n > t.max() {
			return r.errorf("%s: %s has %d rows, over the limit of %d", r.member, t.table, n, t.max())
		}
		if t.n != nil {
			*t.n = n
		}
	}
	return nil
}

// apkgDueInRange reports whether a scheduled card's due, a Unix time in
// seconds (learning) or a day counted from the collection's creation crt
// (review), is a time srs can keep: times are kept as nanoseconds, from
// 1677 to 2262.
func apkgDueInRange(due, crt int64) bool {
	const minSec, maxSec = math.MinInt64 / int64(time.Second), math.MaxInt64 / int64(time.Second)
	if due > 1_000_000_000 {
		return due <= maxSec
	}
	return due >= (minSec-crt)/86400 && due <= (maxSec-crt)/86400
}

func (r *apkgReader) loadCards() error {
	rows, err := r.db.Query("SELECT id, nid, did, odid, ord, type, queue, due, ivl, factor, reps, lapses, left, data FROM cards ORDER BY nid, ord, id")
	if err != nil {
		return r.errorf("%s: cards: %v", r.member, err)
	}
	defer rows.Close()
	r.cards = map[int64][]apkgCardRow{}
	for rows.Next() {
		var c apkgCardRow
		var nid int64
		var data sql.NullString
		s := &c.sched
		if err := rows.Scan(&c.id, &nid, &c.did, &c.odid, &c.ord, &s.Type, &s.Queue, &s.Due, &s.Ivl, &s.Factor, &s.Reps, &s.Lapses, &s.Left, &data); err != nil {
			return r.errorf("%s: cards: %v", r.member, apkgScanError(err))
		}
		if s.Type != 0 && !apkgDueInRange(s.Due, r.crt) {
			return r.errorf("%s: cards id %d: due %d is a time before 1677 or after 2262", r.member, c.id, s.Due)
		}
		if c.ord < 0 || c.ord >= apkgMaxCloze {
			return r.errorf("%s: cards id %d: template ord %d out of range", r.member, c.id, c.ord)
		}
		if err := r.tick(); err != nil {
			return err
		}
		if len(data.String) <= 4096 { // Anki keeps card data small; ignore anything else
			c.sched.Data = data.String
		}
		r.cards[nid] = append(r.cards[nid], c)
	}
	if err := rows.Err(); err != nil {
		return r.errorf("%s: cards: %v", r.member, err)
	}
	return nil
}

func (r *apkgReader) loadNotes() error {
	rows, err := r.db.Query("SELECT id, guid, mid, tags, flds FROM notes ORDER BY id")
	if err != nil {
		return r.errorf("%s: notes: %v", r.member, err)
	}
	defer rows.Close()
	r.refs = map[string]bool{}
	for rows.Next() {
		var id, mid int64
		var guid, tags, flds string
		if err := rows.Scan(&id, &guid, &mid, &tags, &flds); err != nil {
			return r.errorf("%s: notes: %v", r.member, apkgScanError(err))
		}
		if err := r.tick(); err != nil {
			return err
		}
		if err := r.addNote(id, guid, mid, tags, flds); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return r.errorf("%s: notes: %v", r.member, err)
	}
	return nil
}

// deckName picks Deck.Name: the override, else the one deck all cards
// share, else their common parent, else the file name.
func (r *apkgReader) deckName() string {
	if r.opt.Deck != "" {
		return r.opt.Deck
	}
	var common []string
	for i, c := range r.d.Cards {
		parts := strings.Split(c.Deck, "::")
		if i == 0 {
			common = parts
			continue
		}
		n := 0
		for n < len(common) && n < len(parts) && common[n] == parts[n] {
			n++
		}
		common = common[:n]
	}
	if name := strings.Join(common, "::"); deck.ValidateDeckName(name) == nil {
		return name
	}
	base := strings.TrimSuffix(r.name, filepath.Ext(r.name))
	if deck.ValidateDeckName(base) == nil {
		return base
	}
	return "anki"
}

// fixParents drops parents (from srs's own note type) that did not come
// along, so a partial export still imports.
func (r *apkgReader) fixParents() {
	type key struct{ deck, id string }
	idx := make(map[key]int, len(r.d.Cards))
	for i, c := range r.d.Cards {
		idx[key{c.Deck, c.ID}] = i
	}
	for i := range r.d.Cards {
		c := &r.d.Cards[i]
		if c.Parent == "" {
			continue
		}
		p, ok := idx[key{c.Deck, c.Parent}]
		if !ok || c.Parent == c.ID || r.d.Cards[p].Parent != "" {
			r.warnf("%s: parent %q is not in the package; imported as a standalone card", c.Source, c.Parent)
			c.Parent = ""
		}
	}
}

// apkgSortedKeys returns m's keys in order, for deterministic output.
func apkgSortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
