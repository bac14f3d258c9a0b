package apkg

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"strconv"
	"strings"
)

// What Writer puts in a package besides the notes: Anki's schema 11 and
// the col row's JSON (note types, decks, deck options, collection config)
// with every key Anki's importer requires (rslib/src/notetype/schema11.rs,
// decks/schema11.rs, deckconfig/schema11.rs; older Python importers read
// a few more, such as a deck's "desc").

// apkgSchema11 is Anki's collection schema 11 (rslib/src/storage/schema11.sql).
// notes.sfld is declared integer on purpose: numeric sort fields then sort
// numerically. Writer writes the B-trees these statements describe
// itself (writeNotes, writeRevlog) and keeps the statements, in this order,
// in sqlite_schema.
const apkgSchema11 = `CREATE TABLE col (
  id integer PRIMARY KEY,
  crt integer NOT NULL,
  mod integer NOT NULL,
  scm integer NOT NULL,
  ver integer NOT NULL,
  dty integer NOT NULL,
  usn integer NOT NULL,
  ls integer NOT NULL,
  conf text NOT NULL,
  models text NOT NULL,
  decks text NOT NULL,
  dconf text NOT NULL,
  tags text NOT NULL
);
CREATE TABLE notes (
  id integer PRIMARY KEY,
  guid text NOT NULL,
  mid integer NOT NULL,
  mod integer NOT NULL,
  usn integer NOT NULL,
  tags text NOT NULL,
  flds text NOT NULL,
  sfld integer NOT NULL,
  csum integer NOT NULL,
  flags integer NOT NULL,
  data text NOT NULL
);
CREATE TABLE cards (
  id integer PRIMARY KEY,
  nid integer NOT NULL,
  did integer NOT NULL,
  ord integer NOT NULL,
  mod integer NOT NULL,
  usn integer NOT NULL,
  type integer NOT NULL,
  queue integer NOT NULL,
  due integer NOT NULL,
  ivl integer NOT NULL,
  factor integer NOT NULL,
  reps integer NOT NULL,
  lapses integer NOT NULL,
  left integer NOT NULL,
  odue integer NOT NULL,
  odid integer NOT NULL,
  flags integer NOT NULL,
  data text NOT NULL
);
CREATE TABLE revlog (
  id integer PRIMARY KEY,
  cid integer NOT NULL,
  usn integer NOT NULL,
  ease integer NOT NULL,
  ivl integer NOT NULL,
  lastIvl integer NOT NULL,
  factor integer NOT NULL,
  time integer NOT NULL,
  type integer NOT NULL
);
CREATE TABLE graves (
  usn integer NOT NULL,
  oid integer NOT NULL,
  type integer NOT NULL
);
CREATE INDEX ix_notes_usn ON notes (usn);
CREATE INDEX ix_cards_usn ON cards (usn);
CREATE INDEX ix_revlog_usn ON revlog (usn);
CREATE INDEX ix_cards_nid ON cards (nid);
CREATE INDEX ix_cards_sched ON cards (did, queue, due);
CREATE INDEX ix_revlog_cid ON revlog (cid);
CREATE INDEX ix_notes_csum ON notes (csum);
`

// srs's own note type. Its id, name, field names and template name must
// never change: Anki matches note types by id and, when the names differ,
// forks a copy on every import. Bump apkgModelMod whenever the templates or
// CSS change so Anki takes the new version.
const (
	apkgModelName    = "srs Q/A v1"
	apkgModelMod     = 1767225600 // 2026-01-01, seconds
	apkgSourcePrefix = "srs:"     // Source field: "srs:<id> <deck>"
	apkgParentTag    = "parent::" // tag naming a follow-up's parent card ID
	apkgKindTag      = "kind::"   // tag naming the srs card kind
)

var apkgModelID = apkgStableID("notetype\x00" + apkgModelName)

// apkgStableID maps key to a millisecond-like id between 1.0e12 and 1.7e12
// (2001-2023): Anki treats note and note type ids as creation times and
// rewrites ids in the future.
func apkgStableID(key string) int64 {
	sum := sha256.Sum256([]byte(key))
	return apkgIDFromHash(binary.BigEndian.Uint64(sum[:8]))
}

func apkgIDFromHash(h uint64) int64 {
	return 1_000_000_000_000 + int64(h%700_000_000_000)
}

// apkgDeckID derives a deck's id from its Anki name: positive, within
// JavaScript's exact integers (int53), never 1 (the Default deck).
func apkgDeckID(name string) int64 {
	sum := sha256.Sum256([]byte("deck\x00" + name))
	return int64(binary.BigEndian.Uint64(sum[:8])>>11) | 2
}

const apkgQuestionFormat = `{{#Context}}<div class="srs-context">Follow-up to: {{Context}}</div>{{/Context}}
<div class="srs-question">{{Question}}</div>`

const apkgAnswerFormat = `{{FrontSide}}

<hr id=answer>

<div class="srs-answer">{{Answer}}</div>`

// apkgCSS keeps long Markdown answers readable: left-aligned text in a
// bounded column, headings that do not shout, code blocks that scroll
// instead of wrapping, and night-mode colours.
const apkgCSS = `.card {
  font-family: -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-size: 20px;
  line-height: 1.45;
  color: black;
  background-color: white;
  text-align: left;
}
.srs-question, .srs-answer, .srs-context {
  max-width: 42em;
  margin-left: auto;
  margin-right: auto;
}
.srs-context {
  font-size: 0.7em;
  color: #888;
  margin-bottom: 0.8em;
}
.srs-context p, .srs-question p:first-child { margin-top: 0; }
.srs-answer h1, .srs-answer h2, .srs-answer h3, .srs-answer h4 {
  font-size: 1.05em;
  margin: 1em 0 0.4em;
}
.srs-answer ul, .srs-answer ol { padding-left: 1.4em; }
.srs-answer li { margin: 0.2em 0; }
pre, code {
  font-family: "SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace;
  font-size: 0.85em;
  background: #f3f3f3;
  border-radius: 3px;
}
code { padding: 0.1em 0.3em; }
pre {
  padding: 0.6em 0.8em;
  overflow-x: auto;
  white-space: pre;
  text-align: left;
}
pre code { padding: 0; background: none; font-size: 1em; }
blockquote {
  margin: 0.5em 0;
  padding-left: 0.8em;
  border-left: 3px solid #ccc;
  color: #555;
}
table { border-collapse: collapse; }
th, td { border: 1px solid #ccc; padding: 0.2em 0.5em; }
img { max-width: 100%; }
.nightMode.card, .night_mode .card { color: #e6e6e6; background-color: #2c2c2e; }
.nightMode pre, .nightMode code, .night_mode pre, .night_mode code { background: #3a3a3c; }
.nightMode blockquote, .night_mode blockquote { color: #aaa; border-left-color: #555; }
`

// apkgLatexPre is Anki's default LaTeX header (rslib/src/notetype/header.tex).
const apkgLatexPre = "\\documentclass[12pt]{article}\n\\special{papersize=3in,5in}\n\\usepackage[utf8]{inputenc}\n\\usepackage{amssymb,amsmath}\n\\pagestyle{empty}\n\\setlength{\\parindent}{0in}\n\\begin{document}\n"

func apkgModelsJSON() string {
	field := func(name string, ord int) map[string]any {
		return map[string]any{"name": name, "ord": ord, "sticky": false, "rtl": false,
			"font": "Arial", "size": 20, "media": []any{}}
	}
	model := map[string]any{
		"id": apkgModelID, "name": apkgModelName, "type": 0, "mod": apkgModelMod, "usn": -1,
		"sortf": 0, "did": nil, "css": apkgCSS,
		"latexPre": apkgLatexPre, "latexPost": "\\end{document}", "latexsvg": false,
		"req": []any{[]any{0, "any", []any{0}}}, "tags": []any{}, "vers": []any{},
		"flds": []any{field("Question", 0), field("Answer", 1), field("Context", 2), field("Source", 3)},
		"tmpls": []any{map[string]any{
			"name": "Card 1", "ord": 0, "qfmt": apkgQuestionFormat, "afmt": apkgAnswerFormat,
			"bqfmt": "", "bafmt": "", "did": nil, "bfont": "", "bsize": 0,
		}},
	}
	return apkgMustJSON(map[string]any{strconv.FormatInt(apkgModelID, 10): model})
}

func apkgDeckJSON(id int64, name string, mod int64) map[string]any {
	return map[string]any{
		"id": id, "name": name, "mod": mod, "usn": -1,
		"lrnToday": []int{0, 0}, "revToday": []int{0, 0}, "newToday": []int{0, 0}, "timeToday": []int{0, 0},
		"collapsed": false, "browserCollapsed": false, "desc": "", "dyn": 0, "conf": 1,
		"extendNew": 0, "extendRev": 0,
	}
}

// apkgDconfJSON is the Default options group, Anki's defaults. Its
// initialFactor must stay above 1300: Anki's schema upgrade otherwise resets
// every low-ease card in the affected decks to 250%.
func apkgDconfJSON(mod int64) string {
	conf := map[string]any{
		"id": 1, "name": "Default", "mod": mod, "usn": -1,
		"maxTaken": 60, "autoplay": true, "timer": 0, "replayq": true, "dyn": false,
		"new": map[string]any{
			"bury": false, "delays": []float64{1, 10}, "initialFactor": 2500,
			"ints": []int{1, 4, 7}, "order": 1, "perDay": 20,
		},
		"rev": map[string]any{
			"bury": false, "ease4": 1.3, "ivlFct": 1, "maxIvl": 36500, "perDay": 200, "hardFactor": 1.2,
		},
		"lapse": map[string]any{
			"delays": []float64{10}, "leechAction": 1, "leechFails": 8, "minInt": 1, "mult": 0,
		},
	}
	return apkgMustJSON(map[string]any{"1": conf})
}

// apkgConfJSON is the collection config: Anki's defaults plus the v2
// scheduler keys (without schedVer 2 the importer runs the V1-to-V2
// upgrade over the cards) and the day boundary the due numbers use.
func apkgConfJSON(nextPos int, creationOffset int) string {
	return apkgMustJSON(map[string]any{
		"activeDecks": []int{1}, "curDeck": 1, "newSpread": 0, "collapseTime": 1200, "timeLim": 0,
		"estTimes": true, "dueCounts": true, "curModel": apkgModelID, "nextPos": nextPos,
		"sortType": "noteFld", "sortBackwards": false, "addToCur": true, "dayLearnFirst": false,
		"schedVer": 2, "sched2021": true, "rollover": 4, "creationOffset": creationOffset,
	})
}

func apkgMustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // only fixed shapes of maps, numbers and strings are marshalled
	}
	return string(b)
}

// apkgDeckName is the Anki deck an srs deck is exported to. Empty name
// components (from "a::::b") are dropped; Anki would rename them.
func apkgDeckName(prefix, deck string) string {
	var parts []string
	for _, p := range strings.Split(prefix+"::"+deck, "::") {
		if p = strings.TrimSpace(p); p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, "::")
}
