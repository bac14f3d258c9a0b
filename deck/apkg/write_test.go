package apkg

import (
	"archive/zip"
	"bytes"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"html"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/srs-tool/srs/deck"
	"github.com/srs-tool/srs/fsrs"
	"github.com/srs-tool/srs/internal/ankiguid"
)

// exportNow is the export time of the tests: UTC, so day numbers do not
// depend on the machine's zone.
var exportNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// exportProgress is a card's scheduling as srs holds it: its state and the
// log that led there. scheduling turns it into what Writer.Add takes,
// through fsrs, as cmd/srs does.
type exportProgress struct {
	State     fsrs.Card
	Suspended bool
	Log       []exportReview // oldest first
}

// exportReview is one rating with the states around it.
type exportReview struct {
	Time     time.Time
	Rating   fsrs.Rating
	Duration time.Duration
	Before   fsrs.Card
	After    fsrs.Card
}

// exportScheduler converts states for the tests: default settings, so
// cards.data carries desired retention 0.9 and decay 0.1542.
var exportScheduler = func() *fsrs.Scheduler {
	s, err := fsrs.NewScheduler(fsrs.DefaultSettings())
	if err != nil {
		panic(err)
	}
	return s
}()

func (e exportReview) anki() fsrs.AnkiReview {
	return fsrs.ToAnkiReview(fsrs.ReviewEvent{Time: e.Time, Rating: e.Rating, Duration: e.Duration}, e.Before, e.After)
}

// scheduling is p as Writer.Add takes it, for a writer whose Now is in loc.
func (p *exportProgress) scheduling(loc *time.Location) *Scheduling {
	if p == nil {
		return nil
	}
	s := &Scheduling{Card: exportScheduler.ToAnki(p.State, p.Suspended, loc)}
	for _, e := range p.Log {
		s.Revlog = append(s.Revlog, e.anki())
	}
	return s
}

// nowLoc is the zone a writer with these options counts days in.
func nowLoc(opt Options) *time.Location {
	if opt.Now.IsZero() {
		return time.Local
	}
	return opt.Now.Location()
}

// exportCase is a small srs collection with its scheduling.
type exportCase struct {
	card     deck.Card
	parent   *deck.Card
	progress *exportProgress
}

// exportCases builds cards whose histories are replayed through the real
// scheduler, so states and logs are what the store would hand the writer.
func exportCases(t testing.TB) []exportCase {
	t.Helper()
	set := fsrs.DefaultSettings()
	set.TimeZone = "UTC"
	set.Fuzz = false
	sched, err := fsrs.NewScheduler(set)
	if err != nil {
		t.Fatal(err)
	}
	progress := func(suspended bool, evs ...fsrs.ReviewEvent) *exportProgress {
		before, after, err := sched.Replay(evs)
		if err != nil {
			t.Fatal(err)
		}
		p := &exportProgress{State: after[len(after)-1], Suspended: suspended}
		for i, e := range evs {
			p.Log = append(p.Log, exportReview{Time: e.Time, Rating: e.Rating, Duration: e.Duration, Before: before[i], After: after[i]})
		}
		return p
	}
	at := func(d time.Duration) time.Time { return exportNow.Add(d).Truncate(time.Millisecond) }
	q1 := deck.Card{ID: "q1", Deck: "guide", Kind: deck.KindQuestion, Front: "What is a *goroutine*?",
		Back: "A function running concurrently.\n\n- cheap\n- multiplexed onto threads\n\n```go\ngo f(x)\n```",
		Tags: []string{"go", "concurrency"}}
	return []exportCase{
		{card: q1, progress: progress(false,
			fsrs.ReviewEvent{Time: at(-30 * 24 * time.Hour), Rating: fsrs.Good, Duration: 8 * time.Second},
			fsrs.ReviewEvent{Time: at(-30*24*time.Hour + 10*time.Minute), Rating: fsrs.Good, Duration: 90 * time.Second},
			fsrs.ReviewEvent{Time: at(-20 * 24 * time.Hour), Rating: fsrs.Hard, Duration: 12 * time.Second},
			fsrs.ReviewEvent{Time: at(-2 * 24 * time.Hour), Rating: fsrs.Again, Duration: 20 * time.Second})},
		{card: deck.Card{ID: "q1-f1", Deck: "guide", Kind: deck.KindFollowUp, Parent: "q1", Front: "Why are they **cheap**?",
			Back: "Small, growable stacks.", Tags: []string{"go"}}, parent: &q1, progress: progress(false,
			fsrs.ReviewEvent{Time: at(-time.Hour), Rating: fsrs.Again, Duration: 3 * time.Second})},
		{card: deck.Card{ID: "hola", Deck: "Lang::Spanish", Kind: deck.KindBasic, Front: "hola", Back: "hello"}},
		{card: deck.Card{ID: "adios", Deck: "Lang::Spanish", Kind: deck.KindBasic, Front: "adiós & <bye>", Back: "goodbye 1 < 2"}, progress: progress(true,
			fsrs.ReviewEvent{Time: at(-10 * 24 * time.Hour), Rating: fsrs.Easy, Duration: 2 * time.Second},
			fsrs.ReviewEvent{Time: at(-3 * 24 * time.Hour), Rating: fsrs.Good, Duration: 4 * time.Second})},
		{card: deck.Card{ID: "p1", Deck: "guide", Kind: deck.KindPrompt, Front: "Explain a `select` statement.", Back: "1. waits\n2. picks one ready case"}, progress: progress(false,
			fsrs.ReviewEvent{Time: at(-40 * 24 * time.Hour), Rating: fsrs.Good, Duration: 5 * time.Second},
			fsrs.ReviewEvent{Time: at(-40*24*time.Hour + 10*time.Minute), Rating: fsrs.Good, Duration: 5 * time.Second},
			fsrs.ReviewEvent{Time: at(-25 * 24 * time.Hour), Rating: fsrs.Good, Duration: 5 * time.Second})},
	}
}

func exportAPKG(t testing.TB, cases []exportCase, opt Options) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := NewWriter(&buf, opt)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		if err := w.Add(c.card, c.parent, c.progress.scheduling(nowLoc(opt))); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// needSQLite3 returns the sqlite3 command, which CI installs (.ci/run).
// Elsewhere the test fails unless SRS_ALLOW_MISSING_TOOLS says skipping is
// fine, as for the project's other tool-driven tests.
func needSQLite3(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("sqlite3")
	if err != nil {
		if os.Getenv("SRS_ALLOW_MISSING_TOOLS") != "" {
			t.Skip("sqlite3 is not on PATH; skipping the independent check (SRS_ALLOW_MISSING_TOOLS set)")
		}
		t.Fatal("sqlite3 is not on PATH; install it, or set SRS_ALLOW_MISSING_TOOLS=1 to skip this check")
	}
	return p
}

func sqlite3Cmd(t *testing.T, bin, db string, args ...string) string {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"-bail", db}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("sqlite3 %q: %v: %s", args, err, stderr.String())
	}
	return string(out)
}

func sqlite3JSON(t *testing.T, bin, db, query string) []map[string]any {
	t.Helper()
	out := sqlite3Cmd(t, bin, db, "-json", query)
	if strings.TrimSpace(out) == "" {
		return nil
	}
	var rows []map[string]any
	dec := json.NewDecoder(strings.NewReader(out))
	dec.UseNumber()
	if err := dec.Decode(&rows); err != nil {
		t.Fatalf("sqlite3 -json %q: %v: %s", query, err, out)
	}
	return rows
}

func num(t *testing.T, v any) int64 {
	t.Helper()
	n, err := v.(json.Number).Int64()
	if err != nil {
		t.Fatalf("%v is not an integer", v)
	}
	return n
}

// unzipAPKG extracts every member into a new directory.
func unzipAPKG(t *testing.T, data []byte) (string, []string) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
		if f.Method != zip.Store && f.Method != zip.Deflate {
			t.Errorf("member %s uses method %d; Anki reads only stored and deflated members", f.Name, f.Method)
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(f.Name)), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir, names
}

// ankiSchema11 is rslib/src/storage/schema11.sql, typed out for this test.
var ankiSchema11 = []string{
	`CREATE TABLE col ( id integer PRIMARY KEY, crt integer NOT NULL, mod integer NOT NULL, scm integer NOT NULL, ver integer NOT NULL, dty integer NOT NULL, usn integer NOT NULL, ls integer NOT NULL, conf text NOT NULL, models text NOT NULL, decks text NOT NULL, dconf text NOT NULL, tags text NOT NULL )`,
	`CREATE TABLE notes ( id integer PRIMARY KEY, guid text NOT NULL, mid integer NOT NULL, mod integer NOT NULL, usn integer NOT NULL, tags text NOT NULL, flds text NOT NULL, sfld integer NOT NULL, csum integer NOT NULL, flags integer NOT NULL, data text NOT NULL )`,
	`CREATE TABLE cards ( id integer PRIMARY KEY, nid integer NOT NULL, did integer NOT NULL, ord integer NOT NULL, mod integer NOT NULL, usn integer NOT NULL, type integer NOT NULL, queue integer NOT NULL, due integer NOT NULL, ivl integer NOT NULL, factor integer NOT NULL, reps integer NOT NULL, lapses integer NOT NULL, left integer NOT NULL, odue integer NOT NULL, odid integer NOT NULL, flags integer NOT NULL, data text NOT NULL )`,
	`CREATE TABLE revlog ( id integer PRIMARY KEY, cid integer NOT NULL, usn integer NOT NULL, ease integer NOT NULL, ivl integer NOT NULL, lastIvl integer NOT NULL, factor integer NOT NULL, time integer NOT NULL, type integer NOT NULL )`,
	`CREATE TABLE graves ( usn integer NOT NULL, oid integer NOT NULL, type integer NOT NULL )`,
	`CREATE INDEX ix_notes_usn ON notes (usn)`,
	`CREATE INDEX ix_cards_usn ON cards (usn)`,
	`CREATE INDEX ix_revlog_usn ON revlog (usn)`,
	`CREATE INDEX ix_cards_nid ON cards (nid)`,
	`CREATE INDEX ix_cards_sched ON cards (did, queue, due)`,
	`CREATE INDEX ix_revlog_cid ON revlog (cid)`,
	`CREATE INDEX ix_notes_csum ON notes (csum)`,
}

// normSQL drops comments and folds whitespace so DDL compares by content.
func normSQL(s string) string {
	s = regexp.MustCompile(`--[^\n]*`).ReplaceAllString(s, "")
	s = regexp.MustCompile(`\s*([(),])\s*`).ReplaceAllString(s, " $1 ")
	return strings.Join(strings.Fields(s), " ")
}

// Keys Anki's importer requires in the col JSON (anki-apkg.md §3, from
// rslib's schema11 serde structs), plus the ones older importers read.
var (
	modelKeys    = []string{"id", "name", "type", "mod", "usn", "sortf", "did", "tmpls", "flds", "css", "latexPre", "latexPost", "req", "tags", "vers"}
	fieldKeys    = []string{"name", "ord", "sticky", "rtl", "font", "size", "media"}
	templateKeys = []string{"name", "ord", "qfmt", "afmt", "bqfmt", "bafmt", "did"}
	deckKeys     = []string{"id", "name", "mod", "usn", "lrnToday", "revToday", "newToday", "timeToday", "collapsed", "desc", "dyn", "conf", "extendNew", "extendRev"}
	dconfKeys    = []string{"id", "mod", "name", "usn", "maxTaken", "autoplay", "timer", "new", "rev", "lapse"}
	dconfNewKeys = []string{"delays", "initialFactor", "ints", "order", "perDay"}
	dconfRevKeys = []string{"ease4", "ivlFct", "maxIvl", "perDay"}
	dconfLapKeys = []string{"delays", "leechAction", "leechFails", "minInt", "mult"}
	confKeys     = []string{"activeDecks", "curDeck", "newSpread", "collapseTime", "timeLim", "estTimes", "dueCounts", "curModel", "nextPos", "sortType", "sortBackwards", "addToCur", "schedVer", "rollover", "creationOffset"}
)

func requireKeys(t *testing.T, what string, m map[string]any, keys []string) {
	t.Helper()
	for _, k := range keys {
		if _, ok := m[k]; !ok {
			t.Errorf("%s lacks key %q", what, k)
		}
	}
}

func obj(t *testing.T, what string, v any) map[string]any {
	t.Helper()
	m, ok := v.(map[string]any)
	if !ok {
		t.Fatalf("%s is %T, not an object", what, v)
	}
	return m
}

var simpleTagRE = regexp.MustCompile(`<[^>]*>`)

// TestWriteAPKGIndependent writes a package and checks it with the sqlite3
// command-line tool and encoding/json against Anki's schema and importer
// requirements, without going through our reader.
func TestWriteAPKGIndependent(t *testing.T) {
	bin := needSQLite3(t)
	for _, sched := range []bool{false, true} {
		t.Run("scheduling="+strconv.FormatBool(sched), func(t *testing.T) {
			cases := exportCases(t)
			data := exportAPKG(t, cases, Options{WithScheduling: sched, Now: exportNow})
			dir, names := unzipAPKG(t, data)
			if strings.Join(names, ",") != "collection.anki2,media" {
				t.Errorf("members = %q, want collection.anki2 and media only (Legacy1, no meta)", names)
			}
			if b, _ := os.ReadFile(filepath.Join(dir, "media")); string(b) != "{}" {
				t.Errorf("media = %q, want {}", b)
			}
			db := filepath.Join(dir, "collection.anki2")
			raw, _ := os.ReadFile(db)
			if len(raw) < 100 || raw[18] != 1 || raw[19] != 1 {
				t.Errorf("SQLite header says WAL or is damaged: % x", raw[16:20])
			}

			// Schema 11, exactly.
			var got []string
			for _, stmt := range strings.Split(sqlite3Cmd(t, bin, db, ".schema"), ";") {
				if s := normSQL(stmt); s != "" {
					got = append(got, s)
				}
			}
			var want []string
			for _, s := range ankiSchema11 {
				want = append(want, normSQL(s))
			}
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf(".schema:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			if s := strings.TrimSpace(sqlite3Cmd(t, bin, db, "PRAGMA journal_mode")); s != "delete" {
				t.Errorf("journal_mode = %q", s)
			}
			if s := strings.TrimSpace(sqlite3Cmd(t, bin, db, "PRAGMA integrity_check")); s != "ok" {
				t.Errorf("integrity_check = %q", s)
			}
			if _, err := os.Stat(db + "-wal"); err == nil {
				t.Error("a -wal file is left")
			}

			// The col row and its JSON.
			cols := sqlite3JSON(t, bin, db, "SELECT * FROM col")
			if len(cols) != 1 {
				t.Fatalf("%d col rows", len(cols))
			}
			col := cols[0]
			if num(t, col["ver"]) != 11 {
				t.Errorf("ver = %v", col["ver"])
			}
			var models, decks, dconf, conf map[string]any
			for _, j := range []struct {
				col string
				v   *map[string]any
			}{{"models", &models}, {"decks", &decks}, {"dconf", &dconf}, {"conf", &conf}} {
				if err := json.Unmarshal([]byte(col[j.col].(string)), j.v); err != nil {
					t.Fatalf("col.%s: %v", j.col, err)
				}
			}
			if len(models) != 1 {
				t.Fatalf("%d models", len(models))
			}
			var tmplCount int
			var modelID string
			for id, v := range models {
				m := obj(t, "model", v)
				modelID = id
				requireKeys(t, "model", m, modelKeys)
				if _, err := strconv.ParseInt(id, 10, 64); err != nil || m["id"].(float64) != mustFloat(id) {
					t.Errorf("model key %q does not match its id %v", id, m["id"])
				}
				if m["name"] != "srs Q/A v1" || m["type"].(float64) != 0 {
					t.Errorf("model name %v type %v", m["name"], m["type"])
				}
				var fnames []string
				for _, f := range m["flds"].([]any) {
					fm := obj(t, "field", f)
					requireKeys(t, "field", fm, fieldKeys)
					fnames = append(fnames, fm["name"].(string))
				}
				if strings.Join(fnames, ",") != "Question,Answer,Context,Source" {
					t.Errorf("fields %q", fnames)
				}
				tmpls := m["tmpls"].([]any)
				tmplCount = len(tmpls)
				for _, tm := range tmpls {
					requireKeys(t, "template", obj(t, "template", tm), templateKeys)
				}
				tm := obj(t, "template", tmpls[0])
				if tm["name"] != "Card 1" || !strings.Contains(tm["qfmt"].(string), "{{Question}}") ||
					!strings.Contains(tm["qfmt"].(string), "Follow-up to: {{Context}}") ||
					!strings.Contains(tm["afmt"].(string), "{{FrontSide}}") || !strings.Contains(tm["afmt"].(string), "<hr id=answer>") ||
					!strings.Contains(tm["afmt"].(string), "{{Answer}}") {
					t.Errorf("template %v", tm)
				}
				if css := m["css"].(string); !strings.Contains(css, "pre") || !strings.Contains(css, "overflow-x: auto") || !strings.Contains(css, "monospace") {
					t.Errorf("css lacks code block styling: %s", css)
				}
			}
			deckNames := map[string]bool{}
			for id, v := range decks {
				d := obj(t, "deck", v)
				requireKeys(t, "deck "+id, d, deckKeys)
				if strconv.FormatInt(int64(d["id"].(float64)), 10) != id {
					t.Errorf("deck key %q does not match its id %v", id, d["id"])
				}
				deckNames[d["name"].(string)] = true
			}
			for _, n := range []string{"Default", "srs", "srs::guide", "srs::Lang", "srs::Lang::Spanish"} {
				if !deckNames[n] {
					t.Errorf("deck %q missing; have %v", n, deckNames)
				}
			}
			if obj(t, "deck 1", decks["1"])["name"] != "Default" {
				t.Errorf("deck 1 is not Default")
			}
			dc := obj(t, "dconf 1", dconf["1"])
			requireKeys(t, "dconf", dc, dconfKeys)
			requireKeys(t, "dconf.new", obj(t, "new", dc["new"]), dconfNewKeys)
			requireKeys(t, "dconf.rev", obj(t, "rev", dc["rev"]), dconfRevKeys)
			requireKeys(t, "dconf.lapse", obj(t, "lapse", dc["lapse"]), dconfLapKeys)
			if f := obj(t, "new", dc["new"])["initialFactor"].(float64); f <= 1300 {
				t.Errorf("initialFactor %v ≤ 1300 resets low eases on import", f)
			}
			requireKeys(t, "conf", conf, confKeys)
			if conf["schedVer"].(float64) != 2 || conf["rollover"].(float64) != 4 {
				t.Errorf("conf schedVer %v rollover %v", conf["schedVer"], conf["rollover"])
			}
			if conf["nextPos"].(float64) < 1 {
				t.Errorf("nextPos %v", conf["nextPos"])
			}

			// Notes: csum, sfld, guid, mid, tags.
			notes := sqlite3JSON(t, bin, db, "SELECT id, guid, mid, mod, usn, tags, flds, sfld, csum, flags, data FROM notes ORDER BY id")
			if len(notes) != len(cases) {
				t.Fatalf("%d notes, want %d", len(notes), len(cases))
			}
			guids := map[string]bool{}
			for _, n := range notes {
				flds := strings.Split(n["flds"].(string), "\x1f")
				if len(flds) != 4 {
					t.Errorf("note %v has %d fields", n["id"], len(flds))
					continue
				}
				stripped := strings.ReplaceAll(html.UnescapeString(simpleTagRE.ReplaceAllString(flds[0], "")), "\u00a0", " ")
				sum := sha1.Sum([]byte(stripped))
				want, _ := strconv.ParseUint(hex.EncodeToString(sum[:])[:8], 16, 32)
				if uint64(num(t, n["csum"])) != want {
					t.Errorf("note %v csum %v, want %d (sha1 of %q)", n["id"], n["csum"], want, stripped)
				}
				if sfld := strings.TrimSpace(string(mustString(n["sfld"]))); sfld != strings.TrimSpace(stripped) {
					t.Errorf("note %v sfld %q, want %q", n["id"], sfld, stripped)
				}
				g := n["guid"].(string)
				if g == "" || guids[g] {
					t.Errorf("guid %q empty or repeated", g)
				}
				guids[g] = true
				if strconv.FormatInt(num(t, n["mid"]), 10) != modelID {
					t.Errorf("note mid %v, model %s", n["mid"], modelID)
				}
				tags := n["tags"].(string)
				if !strings.HasPrefix(tags, " ") || !strings.HasSuffix(tags, " ") || !strings.Contains(tags, " kind::") {
					t.Errorf("tags %q", tags)
				}
				if num(t, n["usn"]) != -1 || num(t, n["flags"]) != 0 || n["data"] != "" || num(t, n["mod"]) != exportNow.Unix() {
					t.Errorf("note %v usn/flags/data/mod: %v", n["id"], n)
				}
				if strings.Contains(flds[0], "Why are they") != strings.Contains(n["tags"].(string), " parent::q1 ") {
					t.Errorf("follow-up tag: %q", n["tags"])
				}
				if strings.Contains(flds[0], "Why are they") && !strings.Contains(flds[2], "goroutine") {
					t.Errorf("follow-up Context = %q", flds[2])
				}
			}

			// Cards point at notes, decks and templates that exist.
			for q, want := range map[string]int64{
				"SELECT count(*) AS n FROM cards WHERE nid NOT IN (SELECT id FROM notes)":  0,
				"SELECT count(*) AS n FROM notes WHERE id NOT IN (SELECT nid FROM cards)":  0,
				"SELECT count(*) AS n FROM cards":                                          int64(len(cases)),
				"SELECT count(*) AS n FROM cards WHERE ord >= " + strconv.Itoa(tmplCount):  0,
				"SELECT count(*) AS n FROM cards WHERE did = 1":                            0,
				"SELECT count(*) AS n FROM revlog WHERE cid NOT IN (SELECT id FROM cards)": 0,
				"SELECT count(*) AS n FROM graves":                                         0,
			} {
				if n := num(t, sqlite3JSON(t, bin, db, q)[0]["n"]); n != want {
					t.Errorf("%s = %d, want %d", q, n, want)
				}
			}
			for _, r := range sqlite3JSON(t, bin, db, "SELECT DISTINCT did FROM cards") {
				if _, ok := decks[strconv.FormatInt(num(t, r["did"]), 10)]; !ok {
					t.Errorf("card deck %v not in decks", r["did"])
				}
			}

			checkScheduling(t, bin, db, cases, sched, num(t, col["crt"]))
		})
	}
}

// checkScheduling compares the cards and revlog rows with the states and
// logs given to the writer (anki-apkg.md §5).
func checkScheduling(t *testing.T, bin, db string, cases []exportCase, sched bool, crt int64) {
	rows := sqlite3JSON(t, bin, db, "SELECT n.flds, c.* FROM cards c JOIN notes n ON n.id = c.nid")
	byFront := map[string]map[string]any{}
	for _, r := range rows {
		byFront[strings.Split(r["flds"].(string), "\x1f")[3]] = r
	}
	crtDay := time.Unix(crt, 0).In(exportNow.Location())
	if crtDay.Hour() != 4 || crtDay.Minute() != 0 {
		t.Errorf("crt %v is not 04:00", crtDay)
	}
	var revs int
	for _, c := range cases {
		r := byFront[html.EscapeString("srs:"+c.card.ID+" "+c.card.Deck)]
		if r == nil {
			t.Fatalf("no card for %s", c.card.ID)
		}
		typ, queue, due := num(t, r["type"]), num(t, r["queue"]), num(t, r["due"])
		if !sched || c.progress == nil {
			if typ != 0 || queue != 0 || due < 1 || num(t, r["ivl"]) != 0 || r["data"] != "" {
				t.Errorf("%s: new card row %v", c.card.ID, r)
			}
			continue
		}
		revs += len(c.progress.Log)
		st := c.progress.State
		wantQueue := map[fsrs.State]int64{fsrs.Review: 2, fsrs.Learning: 1, fsrs.Relearning: 1}[st.State]
		if c.progress.Suspended {
			wantQueue = -1
		}
		wantType := map[fsrs.State]int64{fsrs.Review: 2, fsrs.Learning: 1, fsrs.Relearning: 3}[st.State]
		if typ != wantType || queue != wantQueue {
			t.Errorf("%s: type %d queue %d, want %d %d (state %v)", c.card.ID, typ, queue, wantType, wantQueue, st.State)
		}
		switch st.State {
		case fsrs.Review:
			// due is the day index: crt's day + due days = the due date.
			dueDay := crtDay.AddDate(0, 0, int(due))
			wantDay := fsrs.DayOf(st.Due, exportNow.Location(), 4).Start.In(exportNow.Location())
			if dueDay.Format("2006-01-02") != wantDay.Format("2006-01-02") {
				t.Errorf("%s: due day %d = %s, want %s", c.card.ID, due, dueDay.Format("2006-01-02"), wantDay.Format("2006-01-02"))
			}
			if num(t, r["ivl"]) < 1 || num(t, r["factor"]) < 1300 {
				t.Errorf("%s: ivl %v factor %v", c.card.ID, r["ivl"], r["factor"])
			}
		default:
			if due != st.Due.Unix() {
				t.Errorf("%s: learning due %d, want unix seconds %d", c.card.ID, due, st.Due.Unix())
			}
			if num(t, r["left"]) < 1 {
				t.Errorf("%s: left %v", c.card.ID, r["left"])
			}
		}
		if num(t, r["reps"]) != int64(st.Reps) || num(t, r["lapses"]) != int64(st.Lapses) {
			t.Errorf("%s: reps %v lapses %v, want %d %d", c.card.ID, r["reps"], r["lapses"], st.Reps, st.Lapses)
		}
		var data struct {
			S, D, DR, Decay float64
			LRT             int64
		}
		if err := json.Unmarshal([]byte(r["data"].(string)), &data); err != nil {
			t.Errorf("%s: data %q: %v", c.card.ID, r["data"], err)
		}
		if abs(data.S-st.Stability) > 1e-4 || abs(data.D-st.Difficulty) > 1e-3 || data.DR != 0.9 || data.Decay != 0.154 || data.LRT != st.LastReview.Unix() {
			t.Errorf("%s: data %q for state %+v", c.card.ID, r["data"], st)
		}

		lg := sqlite3JSON(t, bin, db, "SELECT * FROM revlog WHERE cid = "+strconv.FormatInt(num(t, r["id"]), 10)+" ORDER BY id")
		if len(lg) != len(c.progress.Log) {
			t.Fatalf("%s: %d revlog rows, want %d", c.card.ID, len(lg), len(c.progress.Log))
		}
		for i, e := range c.progress.Log {
			l := lg[i]
			wantType := map[fsrs.State]int64{fsrs.New: 0, fsrs.Learning: 0, fsrs.Review: 1, fsrs.Relearning: 2}[e.Before.State]
			wantTime := min(e.Duration.Milliseconds(), 60000)
			if num(t, l["id"]) != e.Time.UnixMilli() || num(t, l["ease"]) != int64(e.Rating) || num(t, l["type"]) != wantType ||
				num(t, l["time"]) != wantTime || num(t, l["usn"]) != -1 {
				t.Errorf("%s: revlog %d = %v, want id %d ease %d type %d time %d", c.card.ID, i, l, e.Time.UnixMilli(), e.Rating, wantType, wantTime)
			}
			if f := num(t, l["factor"]); f < 100 || f > 1100 {
				t.Errorf("%s: revlog factor %d outside the FSRS 100..1100", c.card.ID, f)
			}
			ivl := num(t, l["ivl"])
			if e.After.State == fsrs.Review && ivl <= 0 || e.After.State != fsrs.Review && ivl >= 0 && e.After.Due.Sub(e.Time) < 24*time.Hour {
				t.Errorf("%s: revlog ivl %d for state %v due in %v", c.card.ID, ivl, e.After.State, e.After.Due.Sub(e.Time))
			}
		}
	}
	if n := num(t, sqlite3JSON(t, bin, db, "SELECT count(*) AS n FROM revlog")[0]["n"]); n != int64(revs) {
		t.Errorf("%d revlog rows, want %d", n, revs)
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

func mustFloat(s string) float64 {
	f, _ := strconv.ParseFloat(s, 64)
	return f
}

// mustString renders a sqlite3 -json value (sfld is declared integer, so a
// numeric sort field comes back as a number).
func mustString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case json.Number:
		return x.String()
	}
	return ""
}

// TestWriteAPKGStable checks that guids and note ids do not change between
// exports, and that note ids are unique.
func TestWriteAPKGStable(t *testing.T) {
	ids := func(data []byte) map[string][2]string {
		dir, _ := unzipAPKG(t, data)
		out := map[string][2]string{}
		registerAPKGDriver()
		db, err := apkgOpenHostileDB(filepath.Join(dir, "collection.anki2"))
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		rows, err := db.Query("SELECT id, guid, flds FROM notes")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		seen := map[int64]bool{}
		for rows.Next() {
			var id int64
			var guid, flds string
			rows.Scan(&id, &guid, &flds)
			if seen[id] {
				t.Errorf("note id %d repeated", id)
			}
			seen[id] = true
			if id < 1e12 || id > 1.7e12 {
				t.Errorf("note id %d is not a plausible past ms timestamp", id)
			}
			out[strings.Split(flds, "\x1f")[3]] = [2]string{strconv.FormatInt(id, 10), guid}
		}
		return out
	}
	cases := exportCases(t)
	a := ids(exportAPKG(t, cases, Options{WithScheduling: true, Now: exportNow}))
	b := ids(exportAPKG(t, cases, Options{Now: exportNow.Add(72 * time.Hour)}))
	if len(a) != len(cases) || len(a) != len(b) {
		t.Fatalf("%d and %d notes", len(a), len(b))
	}
	for k, v := range a {
		if b[k] != v {
			t.Errorf("%s: id/guid %v then %v", k, v, b[k])
		}
	}
	// A guid is base91 of sha256("srs:" + deck + NUL + id)[:8].
	if g := a[html.EscapeString("srs:hola Lang::Spanish")][1]; g != ankiguid.Base91(beUint64(sha256Sum("srs:Lang::Spanish\x00hola"))) {
		t.Errorf("guid %q is not the documented derivation", g)
	}
}

func sha256Sum(s string) []byte { sum := sha256.Sum256([]byte(s)); return sum[:] }

func beUint64(b []byte) uint64 { return binary.BigEndian.Uint64(b) }

// TestWriteAPKGErrors checks Add's refusals.
func TestWriteAPKGErrors(t *testing.T) {
	tests := []struct {
		name  string
		cards []deck.Card
		want  string
	}{
		{"duplicate", []deck.Card{{ID: "a", Deck: "d", Front: "x"}, {ID: "a", Deck: "d", Front: "y"}}, `card "a" in deck "d": added twice`},
		{"bad id", []deck.Card{{ID: "a b", Deck: "d", Front: "x"}}, "has a space"},
		{"bad deck", []deck.Card{{ID: "a", Deck: "", Front: "x"}}, "empty deck name"},
		{"empty front", []deck.Card{{ID: "a", Deck: "d", Front: "  "}}, "empty front"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, err := NewWriter(io.Discard, Options{Now: exportNow})
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range tt.cards {
				err = w.Add(c, nil, nil)
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "apkg export: ") {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
			if cerr := w.Close(); cerr == nil {
				t.Error("Close after a failed Add succeeded")
			}
		})
	}
}

// TestWriteAPKGRevlogIDs checks the revlog ordering and id bumping:
// reviews in the same millisecond (across cards and within one) get
// consecutive ids, in (time, card, log position) order.
func TestWriteAPKGRevlogIDs(t *testing.T) {
	base := exportNow.Add(-48 * time.Hour).Truncate(time.Millisecond)
	card := func(id string, offsets ...int) exportCase {
		p := &exportProgress{State: fsrs.Card{State: fsrs.Review, Due: exportNow.Add(24 * time.Hour), Stability: 3, Difficulty: 5,
			ScheduledDays: 3, Reps: uint64(len(offsets)), LastReview: base}}
		for _, o := range offsets {
			p.Log = append(p.Log, exportReview{Time: base.Add(time.Duration(o) * time.Millisecond), Rating: fsrs.Good,
				Before: fsrs.Card{State: fsrs.Review}, After: p.State})
		}
		return exportCase{card: deck.Card{ID: id, Deck: "d", Front: id}, progress: p}
	}
	cases := []exportCase{card("a", 0, 0, 1, 5), card("b", 0, 1, 2), card("c", 3, 3, 3, 9), card("d", -5, 100)}
	read := func() [][2]int64 {
		data := exportAPKG(t, cases, Options{WithScheduling: true, Now: exportNow})
		dir, _ := unzipAPKG(t, data)
		db, err := apkgOpenHostileDB(filepath.Join(dir, "collection.anki2"))
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		rows, err := db.Query("SELECT r.id, n.sfld FROM revlog r JOIN notes n ON n.id = r.cid ORDER BY r.id")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out [][2]int64
		for rows.Next() {
			var id int64
			var name string
			rows.Scan(&id, &name)
			out = append(out, [2]int64{id - base.UnixMilli(), int64(name[0])})
		}
		return out
	}
	rows := read()

	// Times -5; 0 0 0; 1 1; 2; 3 3 3; 5; 9; 100 take the first free id
	// at or after themselves, in (time, card, position) order.
	var ids []int64
	var cards string
	for _, r := range rows {
		ids = append(ids, r[0])
		cards += string(rune(r[1]))
	}
	if want := []int64{-5, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 100}; !reflect.DeepEqual(ids, want) {
		t.Errorf("revlog ids (ms after base) %v, want %v", ids, want)
	}
	// Which of a and b sorts first depends on their (hashed) note ids;
	// either way ties follow it consistently.
	if cards != "daababbcccacd" && cards != "dbaababcccacd" {
		t.Errorf("revlog card order %q", cards)
	}
}

// TestWriteAPKGTemporaryFiles: the writer's temporary files (the note
// rows, the collection) are in $TMPDIR while it works and gone after
// Close, whether the export succeeded or an Add failed.
func TestWriteAPKGTemporaryFiles(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	left := func() []string {
		var names []string
		filepath.WalkDir(tmp, func(path string, d os.DirEntry, err error) error {
			if path != tmp {
				names = append(names, path)
			}
			return nil
		})
		return names
	}
	for _, fail := range []bool{false, true} {
		w, err := NewWriter(io.Discard, Options{WithScheduling: true, Now: exportNow})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range exportCases(t) {
			if err := w.Add(c.card, c.parent, c.progress.scheduling(time.UTC)); err != nil {
				t.Fatal(err)
			}
		}
		if len(left()) == 0 {
			t.Fatal("no temporary file while writing: the test looks in the wrong place")
		}
		if fail {
			if err := w.Add(deck.Card{ID: "bad id", Deck: "d", Front: "x"}, nil, nil); err == nil {
				t.Fatal("a bad card was added")
			}
		}
		if err := w.Close(); (err != nil) != fail {
			t.Fatalf("fail %v: Close: %v", fail, err)
		}
		if names := left(); len(names) != 0 {
			t.Errorf("fail %v: left after Close: %q", fail, names)
		}
	}
}
