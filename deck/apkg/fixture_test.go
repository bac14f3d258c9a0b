package apkg

import (
	"archive/zip"
	"bytes"
	"crypto/sha1"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/klauspost/compress/zstd"
	"google.golang.org/protobuf/encoding/protowire"
)

// Test fixtures: Anki packages built here, following Anki's schema, in the
// three layouts Read accepts. Nothing in them comes from our writer.

type fxNotetype struct {
	id     int64
	name   string
	cloze  bool
	fields []string
	tmpls  [][2]string // name, qfmt
}

type fxNote struct {
	id     int64
	guid   string
	mid    int64
	tags   string
	fields []string
}

type fxCard struct {
	id, nid, did, odid int64
	ord, typ, queue    int
	due, ivl, factor   int64
	reps, lapses, left int64
	data               string
}

type fxRev struct {
	id, cid                    int64
	ease, ivl, lastIvl, factor int64
	ms, typ                    int64
}

type fxMedia struct {
	name string
	data []byte
}

type fxCollection struct {
	crt       int64
	notetypes []fxNotetype
	decks     map[int64]string
	notes     []fxNote
	cards     []fxCard
	revlog    []fxRev
	media     []fxMedia
	// presets are the deck options; none means Anki's "Default" (id 1)
	// without FSRS options. deckConf gives a deck's preset (1 when
	// absent), deckRetention a deck's own desired retention.
	presets       []fxPreset
	deckConf      map[int64]int64
	deckRetention map[int64]float64
}

// fxPreset is a deck options preset with its FSRS options.
type fxPreset struct {
	id                        int64
	name                      string
	params4, params5, params6 []float64
	retention, sm2            float64
}

func (c *fxCollection) conf(deck int64) int64 {
	if id, ok := c.deckConf[deck]; ok {
		return id
	}
	return 1
}

// Fixed ids and times of the standard fixture.
const (
	fxBasic   = 1700000000001
	fxCloze   = 1700000000002
	fxVocab   = 1700000000003
	fxDeckGeo = 1700000000100
	fxDeckLng = 1700000000101
	fxDeckEsp = 1700000000102
	fxCrt     = 1767240000    // 2026-01-01 04:00 UTC
	fxT0      = 1767607200000 // 2026-01-05 10:00 UTC, ms
	fxMinute  = 60_000
	fxDay     = 86_400_000
)

var fxPNG = []byte("\x89PNG\r\n\x1a\n fake diagram")

// fxStandard is the collection most reader tests use: a Basic, a cloze and
// a 4-field two-template note type; nested decks; HTML with entities and an
// image; tags; review history with a reset and cramming; an SM-2-only
// review card; a suspended card whose guid is not a valid card ID.
func fxStandard() *fxCollection {
	return &fxCollection{
		crt: fxCrt,
		notetypes: []fxNotetype{
			{id: fxBasic, name: "Basic", fields: []string{"Front", "Back"},
				tmpls: [][2]string{{"Card 1", "{{Front}}"}}},
			{id: fxCloze, name: "Cloze", cloze: true, fields: []string{"Text", "Back Extra"},
				tmpls: [][2]string{{"Cloze", "{{cloze:Text}}"}}},
			{id: fxVocab, name: "Vocab", fields: []string{"Word", "Meaning", "Example", "Audio"},
				tmpls: [][2]string{{"Recognize", "{{Word}}"}, {"Recall", "{{#Meaning}}{{Meaning}}{{/Meaning}}"}}},
		},
		decks: map[int64]string{1: "Default", fxDeckGeo: "Geo", fxDeckLng: "Lang", fxDeckEsp: "Lang::Spanish"},
		notes: []fxNote{
			{id: 1700000000010, guid: "basic1", mid: fxBasic, tags: " geo europe ", fields: []string{"Capital of France?", "Paris"}},
			{id: 1700000000011, guid: "html1", mid: fxBasic, tags: "", fields: []string{"What is <b>bold</b>?", `Line one<br>Line&nbsp;two <img src="diagram.png">`}},
			{id: 1700000000012, guid: "cloze1", mid: fxCloze, tags: " spanish ", fields: []string{"{{c1::Madrid}} is the capital of {{c2::Spain::country}}.", "Europe"}},
			{id: 1700000000013, guid: "vocab1", mid: fxVocab, tags: " spanish verb ", fields: []string{"hablar", "to speak", "Yo hablo español.", "[sound:hablar.mp3]"}},
			{id: 1700000000014, guid: "sm2card", mid: fxBasic, tags: "", fields: []string{"SM-2 only", "reviewed before FSRS"}},
			{id: 1700000000015, guid: "odd guid", mid: fxBasic, tags: "", fields: []string{"Odd guid", "suspended"}},
		},
		cards: []fxCard{
			{id: 1700000000020, nid: 1700000000010, did: fxDeckGeo, typ: 2, queue: 2, due: 8, ivl: 4, factor: 2500, reps: 3},
			{id: 1700000000021, nid: 1700000000011, did: fxDeckGeo, typ: 1, queue: 1, due: 1767610000, reps: 1, left: 1},
			{id: 1700000000022, nid: 1700000000012, did: fxDeckEsp, ord: 0, typ: 2, queue: 2, due: 6, ivl: 2, factor: 2500, reps: 1},
			{id: 1700000000023, nid: 1700000000012, did: fxDeckEsp, ord: 1, due: 1},
			{id: 1700000000024, nid: 1700000000013, did: fxDeckEsp, ord: 0, due: 2},
			{id: 1700000000025, nid: 1700000000013, did: fxDeckEsp, ord: 1, due: 3},
			{id: 1700000000026, nid: 1700000000014, did: fxDeckGeo, typ: 2, queue: 2, due: 10, ivl: 10, factor: 2300, reps: 5, lapses: 1},
			{id: 1700000000027, nid: 1700000000015, did: fxDeckGeo, typ: 0, queue: -1, due: 4},
		},
		revlog: []fxRev{
			// basic1: learn, learn, review; then a manual reschedule (ease 0)
			// and a cram review in a filtered deck (factor 0), both ignored.
			{id: fxT0, cid: 1700000000020, ease: 1, ivl: -60, typ: 0, ms: 5000},
			{id: fxT0 + 10*fxMinute, cid: 1700000000020, ease: 3, ivl: 1, lastIvl: -60, factor: 2500, typ: 0, ms: 70000},
			{id: fxT0 + fxDay, cid: 1700000000020, ease: 3, ivl: 4, lastIvl: 1, factor: 2500, typ: 1, ms: 3000},
			{id: fxT0 + 2*fxDay, cid: 1700000000020, ease: 0, ivl: 6, lastIvl: 4, factor: 2500, typ: 4},
			{id: fxT0 + 3*fxDay, cid: 1700000000020, ease: 2, ivl: 0, lastIvl: 0, factor: 0, typ: 3, ms: 2000},
			// html1: reviewed, reset to new (manual, factor 0), learnt again.
			{id: fxT0 + 5*fxMinute, cid: 1700000000021, ease: 3, ivl: 1, typ: 0, factor: 2500, ms: 4000},
			{id: fxT0 + fxDay + 1000, cid: 1700000000021, ease: 0, typ: 4, factor: 0},
			{id: fxT0 + fxDay + fxMinute, cid: 1700000000021, ease: 4, ivl: -600, typ: 0, ms: 1500},
			// cloze1 c1
			{id: fxT0 + 20*fxMinute, cid: 1700000000022, ease: 3, ivl: 2, typ: 0, factor: 2500, ms: 6000},
		},
		media: []fxMedia{
			{name: "diagram.png", data: fxPNG},
			{name: "hablar.mp3", data: []byte("ID3 fake audio")},
			{name: "unused.png", data: []byte("never referenced")},
		},
	}
}

// fxStub is the collection Anki puts in collection.anki2 next to a
// collection.anki21(b): one note asking the user to update.
func fxStub() *fxCollection {
	return &fxCollection{
		crt:       fxCrt,
		notetypes: []fxNotetype{{id: fxBasic, name: "Basic", fields: []string{"Front", "Back"}, tmpls: [][2]string{{"Card 1", "{{Front}}"}}}},
		decks:     map[int64]string{1: "Default"},
		notes:     []fxNote{{id: 1, guid: "stub", mid: fxBasic, fields: []string{"Please update to the latest Anki version, then import the .colpkg/.apkg file again.", ""}}},
		cards:     []fxCard{{id: 1, nid: 1, did: 1}},
	}
}

// Package layouts.
const (
	fxLegacy1 = "legacy1"
	fxLegacy2 = "legacy2"
	fxV3      = "v3"
)

var fxVariants = []string{fxLegacy1, fxLegacy2, fxV3}

// buildAPKG writes col as a package of the given layout into dir and
// returns its path.
func buildAPKG(t testing.TB, dir, layout string, col *fxCollection) string {
	t.Helper()
	path := filepath.Join(dir, layout+".apkg")
	if err := os.WriteFile(path, buildAPKGBytes(t, layout, col), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func buildAPKGBytes(t testing.TB, layout string, col *fxCollection) []byte {
	t.Helper()
	var members []zipMember
	switch layout {
	case fxLegacy1:
		members = append(members, zipMember{"collection.anki2", fxSchema11DB(t, col), zip.Deflate})
		members = append(members, fxLegacyMedia(col)...)
	case fxLegacy2:
		members = append(members,
			zipMember{"meta", []byte{0x08, 0x02}, zip.Store},
			zipMember{"collection.anki2", fxSchema11DB(t, fxStub()), zip.Store},
			zipMember{"collection.anki21", fxSchema11DB(t, col), zip.Deflate})
		members = append(members, fxLegacyMedia(col)...)
	case fxV3:
		members = append(members,
			zipMember{"meta", []byte{0x08, 0x03}, zip.Store},
			zipMember{"collection.anki2", fxSchema11DB(t, fxStub()), zip.Store},
			zipMember{"collection.anki21b", fxZstd(t, fxSchema18DB(t, col)), zip.Store})
		var entries []byte
		for i, m := range col.media {
			sum := sha1.Sum(m.data)
			var e []byte
			e = protowire.AppendTag(e, 1, protowire.BytesType)
			e = protowire.AppendString(e, m.name)
			e = protowire.AppendTag(e, 2, protowire.VarintType)
			e = protowire.AppendVarint(e, uint64(len(m.data)))
			e = protowire.AppendTag(e, 3, protowire.BytesType)
			e = protowire.AppendBytes(e, sum[:])
			entries = protowire.AppendTag(entries, 1, protowire.BytesType)
			entries = protowire.AppendBytes(entries, e)
			members = append(members, zipMember{strconv.Itoa(i), fxZstd(t, m.data), zip.Store})
		}
		members = append(members, zipMember{"media", fxZstd(t, entries), zip.Store})
	default:
		t.Fatalf("unknown layout %q", layout)
	}
	return fxZip(t, members)
}

type nopWriteCloser struct{ io.Writer }

func (nopWriteCloser) Close() error { return nil }

type zipMember struct {
	name   string
	data   []byte
	method uint16
}

func fxZip(t testing.TB, members []zipMember) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, m := range members {
		if m.method != zip.Store && m.method != zip.Deflate { // written stored, labelled as asked
			zw.RegisterCompressor(m.method, func(w io.Writer) (io.WriteCloser, error) { return nopWriteCloser{w}, nil })
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: m.name, Method: m.method})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(m.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func fxLegacyMedia(col *fxCollection) []zipMember {
	m := map[string]string{}
	var out []zipMember
	for i, f := range col.media {
		m[strconv.Itoa(i)] = f.name
		out = append(out, zipMember{strconv.Itoa(i), f.data, zip.Store})
	}
	js, _ := json.Marshal(m)
	return append(out, zipMember{"media", js, zip.Store})
}

func fxZstd(t testing.TB, b []byte) []byte {
	t.Helper()
	enc, err := zstd.NewWriter(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer enc.Close()
	return enc.EncodeAll(b, nil)
}

// fxDB creates an SQLite file, runs fill on it and returns its bytes.
func fxDB(t testing.TB, fill func(db *sql.DB) error, wal bool) []byte {
	t.Helper()
	registerAPKGDriver()
	path := filepath.Join(t.TempDir(), "col.db")
	db, err := sql.Open(apkgDriver, path)
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	// Small pages keep fixtures (and fuzz seeds) small; Anki uses 4096.
	if _, err := db.Exec("PRAGMA page_size=1024"); err != nil {
		t.Fatal(err)
	}
	if err := fill(db); err != nil {
		db.Close()
		t.Fatal(err)
	}
	if wal { // Anki leaves schema-18 collections in WAL mode
		if _, err := db.Exec("PRAGMA journal_mode=WAL"); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func fxExec(db *sql.DB, q string, args ...any) error {
	if _, err := db.Exec(q, args...); err != nil {
		return fmt.Errorf("%.60s: %w", q, err)
	}
	return nil
}

func fxInsertRows(db *sql.DB, col *fxCollection) error {
	for _, n := range col.notes {
		if err := fxExec(db, "INSERT INTO notes VALUES (?,?,?,?,?,?,?,?,?,?,?)",
			n.id, n.guid, n.mid, 1767000000, -1, n.tags, strings.Join(n.fields, "\x1f"),
			apkgStripHTML(n.fields[0]), int64(apkgFieldChecksum(n.fields[0])), 0, ""); err != nil {
			return err
		}
	}
	for _, c := range col.cards {
		if err := fxExec(db, "INSERT INTO cards VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
			c.id, c.nid, c.did, c.ord, 1767000000, -1, c.typ, c.queue, c.due, c.ivl, c.factor,
			c.reps, c.lapses, c.left, 0, c.odid, 0, c.data); err != nil {
			return err
		}
	}
	for _, r := range col.revlog {
		if err := fxExec(db, "INSERT INTO revlog VALUES (?,?,?,?,?,?,?,?,?)",
			r.id, r.cid, -1, r.ease, r.ivl, r.lastIvl, r.factor, r.ms, r.typ); err != nil {
			return err
		}
	}
	return nil
}

// fxSchema11DB builds a schema-11 collection (collection.anki2/.anki21):
// note types, decks and options as JSON in the col row.
func fxSchema11DB(t testing.TB, col *fxCollection) []byte {
	return fxSchema11DBWith(t, col, apkgSchema11, "")
}

// fxSchema11DBWith is fxSchema11DB with the tables made by ddl and the SQL
// after run once the rows are in: a package Anki would not write.
func fxSchema11DBWith(t testing.TB, col *fxCollection, ddl, after string) []byte {
	models := map[string]any{}
	for _, nt := range col.notetypes {
		var flds, tmpls []any
		for i, f := range nt.fields {
			flds = append(flds, map[string]any{"name": f, "ord": i, "sticky": false, "rtl": false, "font": "Arial", "size": 20})
		}
		for i, tm := range nt.tmpls {
			tmpls = append(tmpls, map[string]any{"name": tm[0], "ord": i, "qfmt": tm[1], "afmt": "{{FrontSide}}<hr id=answer>", "did": nil, "bqfmt": "", "bafmt": ""})
		}
		typ := 0
		if nt.cloze {
			typ = 1
		}
		models[strconv.FormatInt(nt.id, 10)] = map[string]any{"id": nt.id, "name": nt.name, "type": typ, "mod": 1767000000,
			"usn": -1, "sortf": 0, "did": nil, "tmpls": tmpls, "flds": flds, "css": ".card {}", "req": []any{}}
	}
	decks := map[string]any{}
	for id, name := range col.decks {
		d := map[string]any{"id": id, "name": name, "mod": 0, "usn": 0,
			"lrnToday": []int{0, 0}, "revToday": []int{0, 0}, "newToday": []int{0, 0}, "timeToday": []int{0, 0},
			"collapsed": false, "desc": "", "dyn": 0, "conf": col.conf(id)}
		if r, ok := col.deckRetention[id]; ok {
			d["desiredRetention"] = int(r * 100) // Anki's legacy JSON keeps a deck's in percent
		}
		decks[strconv.FormatInt(id, 10)] = d
	}
	dconf := map[string]any{"1": map[string]any{"id": 1, "name": "Default"}}
	for _, p := range col.presets {
		c := map[string]any{"id": p.id, "name": p.name}
		for key, v := range map[string][]float64{"fsrsWeights": p.params4, "fsrsParams5": p.params5, "fsrsParams6": p.params6} {
			if v != nil {
				c[key] = v
			}
		}
		if p.retention != 0 {
			c["desiredRetention"] = p.retention
		}
		if p.sm2 != 0 {
			c["sm2Retention"] = p.sm2
		}
		dconf[strconv.FormatInt(p.id, 10)] = c
	}
	js := func(v any) string { b, _ := json.Marshal(v); return string(b) }
	return fxDB(t, func(db *sql.DB) error {
		if err := fxExec(db, ddl); err != nil {
			return err
		}
		if err := fxExec(db, "INSERT INTO col VALUES (1,?,?,?,11,0,0,0,?,?,?,?,'{}')", col.crt, 1767000000000, 1767000000000,
			`{"schedVer":2,"rollover":4}`, js(models), js(decks), js(dconf)); err != nil {
			return err
		}
		if err := fxInsertRows(db, col); err != nil {
			return err
		}
		if after != "" {
			return fxExec(db, after)
		}
		return nil
	}, false)
}

// fxSchema18DDL is the schema-18 layout of Anki 2.1.50+ (rslib/src/storage
// schema11.sql plus upgrades/schema14..18_upgrade.sql), as it stands after
// the upgrades.
const fxSchema18DDL = `
CREATE TABLE col (id integer PRIMARY KEY, crt integer NOT NULL, mod integer NOT NULL, scm integer NOT NULL,
  ver integer NOT NULL, dty integer NOT NULL, usn integer NOT NULL, ls integer NOT NULL, conf text NOT NULL,
  models text NOT NULL, decks text NOT NULL, dconf text NOT NULL, tags text NOT NULL);
CREATE TABLE notes (id integer PRIMARY KEY, guid text NOT NULL, mid integer NOT NULL, mod integer NOT NULL,
  usn integer NOT NULL, tags text NOT NULL, flds text NOT NULL, sfld integer NOT NULL, csum integer NOT NULL,
  flags integer NOT NULL, data text NOT NULL);
CREATE TABLE cards (id integer PRIMARY KEY, nid integer NOT NULL, did integer NOT NULL, ord integer NOT NULL,
  mod integer NOT NULL, usn integer NOT NULL, type integer NOT NULL, queue integer NOT NULL, due integer NOT NULL,
  ivl integer NOT NULL, factor integer NOT NULL, reps integer NOT NULL, lapses integer NOT NULL, left integer NOT NULL,
  odue integer NOT NULL, odid integer NOT NULL, flags integer NOT NULL, data text NOT NULL);
CREATE TABLE revlog (id integer PRIMARY KEY, cid integer NOT NULL, usn integer NOT NULL, ease integer NOT NULL,
  ivl integer NOT NULL, lastIvl integer NOT NULL, factor integer NOT NULL, time integer NOT NULL, type integer NOT NULL);
CREATE INDEX ix_notes_usn ON notes (usn);
CREATE INDEX ix_cards_usn ON cards (usn);
CREATE INDEX ix_revlog_usn ON revlog (usn);
CREATE INDEX ix_cards_nid ON cards (nid);
CREATE INDEX ix_cards_sched ON cards (did, queue, due);
CREATE INDEX ix_revlog_cid ON revlog (cid);
CREATE INDEX ix_notes_csum ON notes (csum);
CREATE TABLE deck_config (id integer PRIMARY KEY NOT NULL, name text NOT NULL COLLATE unicase,
  mtime_secs integer NOT NULL, usn integer NOT NULL, config blob NOT NULL);
CREATE TABLE config (KEY text NOT NULL PRIMARY KEY, usn integer NOT NULL, mtime_secs integer NOT NULL,
  val blob NOT NULL) without rowid;
CREATE TABLE fields (ntid integer NOT NULL, ord integer NOT NULL, name text NOT NULL COLLATE unicase,
  config blob NOT NULL, PRIMARY KEY (ntid, ord)) without rowid;
CREATE UNIQUE INDEX idx_fields_name_ntid ON fields (name, ntid);
CREATE TABLE templates (ntid integer NOT NULL, ord integer NOT NULL, name text NOT NULL COLLATE unicase,
  mtime_secs integer NOT NULL, usn integer NOT NULL, config blob NOT NULL, PRIMARY KEY (ntid, ord)) without rowid;
CREATE UNIQUE INDEX idx_templates_name_ntid ON templates (name, ntid);
CREATE INDEX idx_templates_usn ON templates (usn);
CREATE TABLE notetypes (id integer NOT NULL PRIMARY KEY, name text NOT NULL COLLATE unicase,
  mtime_secs integer NOT NULL, usn integer NOT NULL, config blob NOT NULL);
CREATE UNIQUE INDEX idx_notetypes_name ON notetypes (name);
CREATE INDEX idx_notetypes_usn ON notetypes (usn);
CREATE TABLE decks (id integer PRIMARY KEY NOT NULL, name text NOT NULL COLLATE unicase,
  mtime_secs integer NOT NULL, usn integer NOT NULL, common blob NOT NULL, kind blob NOT NULL);
CREATE UNIQUE INDEX idx_decks_name ON decks (name);
CREATE INDEX idx_notes_mid ON notes (mid);
CREATE INDEX idx_cards_odid ON cards (odid) WHERE odid != 0;
CREATE TABLE tags (tag text NOT NULL PRIMARY KEY COLLATE unicase, usn integer NOT NULL,
  collapsed boolean NOT NULL, config blob NULL) without rowid;
CREATE TABLE graves (oid integer NOT NULL, type integer NOT NULL, usn integer NOT NULL,
  PRIMARY KEY (oid, type)) WITHOUT ROWID;
CREATE INDEX idx_graves_pending ON graves (usn);
`

// fxSchema18DB builds a schema-18 collection (collection.anki21b) with
// protobuf configs, left in WAL mode as Anki leaves it.
func fxSchema18DB(t testing.TB, col *fxCollection) []byte {
	pbString := func(b []byte, num protowire.Number, s string) []byte {
		b = protowire.AppendTag(b, num, protowire.BytesType)
		return protowire.AppendString(b, s)
	}
	pbVarint := func(b []byte, num protowire.Number, v uint64) []byte {
		b = protowire.AppendTag(b, num, protowire.VarintType)
		return protowire.AppendVarint(b, v)
	}
	return fxDB(t, func(db *sql.DB) error {
		if err := fxExec(db, fxSchema18DDL); err != nil {
			return err
		}
		if err := fxExec(db, "INSERT INTO col VALUES (1,?,?,?,18,0,0,0,'','','','','')", col.crt, 1767000000000, 1767000000000); err != nil {
			return err
		}
		for _, nt := range col.notetypes {
			var cfg []byte
			if nt.cloze {
				cfg = pbVarint(cfg, 1, 1)
			}
			cfg = pbString(cfg, 3, ".card {}")
			if err := fxExec(db, "INSERT INTO notetypes VALUES (?,?,?,?,?)", nt.id, nt.name, 1767000000, -1, cfg); err != nil {
				return err
			}
			for i, f := range nt.fields {
				fcfg := pbString(nil, 3, "Arial")
				fcfg = pbVarint(fcfg, 4, 20)
				if err := fxExec(db, "INSERT INTO fields VALUES (?,?,?,?)", nt.id, i, f, fcfg); err != nil {
					return err
				}
			}
			for i, tm := range nt.tmpls {
				tcfg := pbString(nil, 1, tm[1])
				tcfg = pbString(tcfg, 2, "{{FrontSide}}<hr id=answer>")
				if err := fxExec(db, "INSERT INTO templates VALUES (?,?,?,?,?,?)", nt.id, i, tm[0], 1767000000, -1, tcfg); err != nil {
					return err
				}
			}
		}
		pbFloat := func(b []byte, num protowire.Number, f float64) []byte {
			b = protowire.AppendTag(b, num, protowire.Fixed32Type)
			return protowire.AppendFixed32(b, math.Float32bits(float32(f)))
		}
		for id, name := range col.decks {
			normal := pbVarint(nil, 1, uint64(col.conf(id))) // config_id
			if r, ok := col.deckRetention[id]; ok {
				normal = pbFloat(normal, 10, r)
			}
			kind := protowire.AppendTag(nil, 1, protowire.BytesType)
			kind = protowire.AppendBytes(kind, normal)
			if err := fxExec(db, "INSERT INTO decks VALUES (?,?,?,?,?,?)", id, strings.ReplaceAll(name, "::", "\x1f"), 0, 0, []byte{}, kind); err != nil {
				return err
			}
		}
		if err := fxExec(db, "INSERT INTO deck_config VALUES (1,'Default',0,0,?)", pbVarint(nil, 11, 0)); err != nil {
			return err
		}
		for _, p := range col.presets {
			cfg := pbVarint(nil, 11, 0)
			for _, f := range []struct {
				num protowire.Number
				v   []float64
			}{{3, p.params4}, {5, p.params5}, {6, p.params6}} {
				if f.v == nil {
					continue
				}
				var packed []byte // repeated floats are packed in proto3
				for _, x := range f.v {
					packed = protowire.AppendFixed32(packed, math.Float32bits(float32(x)))
				}
				cfg = protowire.AppendTag(cfg, f.num, protowire.BytesType)
				cfg = protowire.AppendBytes(cfg, packed)
			}
			if p.retention != 0 {
				cfg = pbFloat(cfg, 37, p.retention)
			}
			if p.sm2 != 0 {
				cfg = pbFloat(cfg, 40, p.sm2)
			}
			if err := fxExec(db, "INSERT INTO deck_config VALUES (?,?,0,0,?)", p.id, p.name, cfg); err != nil {
				return err
			}
		}
		if err := fxExec(db, "INSERT INTO config VALUES ('schedVer',0,0,?)", []byte("2")); err != nil {
			return err
		}
		return fxInsertRows(db, col)
	}, true)
}
