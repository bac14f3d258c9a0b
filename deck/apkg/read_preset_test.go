package apkg

import (
	"archive/zip"
	"database/sql"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/srs-tool/srs/deck"
	"github.com/srs-tool/srs/fsrs"
)

// Decks of the FSRS fixture.
const (
	fxDeckFSRS = 1800000000001
	fxDeckOld  = 1800000000002
	fxDeckEasy = 1800000000003
)

// fxMine are the FSRS-6 parameters of the fixture's "Mine" preset: a
// user's fit, unlike the defaults (every value has a short float32
// decimal, so both layouts read back the same numbers).
var fxMine = []float64{0.4, 1.2, 3.1, 9.5, 6.8, 0.7, 2.9, 0.01, 1.6, 0.2, 0.9, 1.5, 0.07, 0.3, 1.7, 0.5, 1.9, 0.6, 0.1, 0.08, 0.2}

// fxOld are FSRS-5's default parameters, kept by an older Anki.
var fxOld = []float64{0.40255, 1.18385, 3.173, 15.69105, 7.1949, 0.5345, 1.4604, 0.0046, 1.54575, 0.1192, 1.01925,
	1.9395, 0.11, 0.29605, 2.2698, 0.2315, 2.9898, 0.51655, 0.6621}

// fxFSRS is a collection whose deck options carry FSRS parameters: preset
// "Mine" (FSRS-6, desired retention 0.85) on deck FSRS and on FSRS::Easy,
// which overrides the retention with 0.8; preset "Old" (FSRS-5) on
// FSRS::Old. Its cards: "trunc", whose log starts with a review (Anki's
// own truncated-history case: ease 250%, 100 days, then Good 99 days
// later); "relearnt", learnt twice with no reset between; "old" and
// "easy" in the other decks; "moved", in FSRS::Old but at home in FSRS
// (odid), so scheduled by Mine.
func fxFSRS() *fxCollection {
	const (
		nid = 1800000000100
		cid = 1800000000200
	)
	note := func(i int64, guid string) fxNote {
		return fxNote{id: nid + i, guid: guid, mid: fxBasic, fields: []string{"Question " + guid + "?", "Answer " + guid + "."}}
	}
	// Revlog ids are unique in a collection: the cards' rows are a second
	// or so apart.
	learnt := func(card, at int64) fxRev {
		return fxRev{id: at, cid: card, ease: 3, ivl: 1, factor: 2500, typ: 0, ms: 4000}
	}
	return &fxCollection{
		crt:       fxCrt,
		notetypes: []fxNotetype{{id: fxBasic, name: "Basic", fields: []string{"Front", "Back"}, tmpls: [][2]string{{"Card 1", "{{Front}}"}}}},
		decks:     map[int64]string{1: "Default", fxDeckFSRS: "FSRS", fxDeckOld: "FSRS::Old", fxDeckEasy: "FSRS::Easy"},
		presets: []fxPreset{
			{id: 2, name: "Mine", params6: fxMine, retention: 0.85},
			{id: 3, name: "Old", params5: fxOld, retention: 0.9, sm2: 0.85},
		},
		deckConf:      map[int64]int64{fxDeckFSRS: 2, fxDeckEasy: 2, fxDeckOld: 3},
		deckRetention: map[int64]float64{fxDeckEasy: 0.8},
		notes:         []fxNote{note(1, "trunc"), note(2, "relearnt"), note(3, "old"), note(4, "easy"), note(5, "moved")},
		cards: []fxCard{
			{id: cid + 1, nid: nid + 1, did: fxDeckFSRS, typ: 2, queue: 2, due: 200, ivl: 250, factor: 2500, reps: 2},
			{id: cid + 2, nid: nid + 2, did: fxDeckFSRS, typ: 2, queue: 2, due: 10, ivl: 3, factor: 2500, reps: 7},
			{id: cid + 3, nid: nid + 3, did: fxDeckOld, typ: 2, queue: 2, due: 5, ivl: 1, factor: 2500, reps: 1},
			{id: cid + 4, nid: nid + 4, did: fxDeckEasy, typ: 2, queue: 2, due: 5, ivl: 1, factor: 2500, reps: 1},
			{id: cid + 5, nid: nid + 5, did: fxDeckOld, odid: fxDeckFSRS, typ: 2, queue: 2, due: 5, ivl: 1, factor: 2500, reps: 1},
		},
		revlog: []fxRev{
			{id: fxT0, cid: cid + 1, ease: 3, ivl: 100, lastIvl: 40, factor: 2500, typ: 1, ms: 6000},
			{id: fxT0 + 99*fxDay, cid: cid + 1, ease: 3, ivl: 250, lastIvl: 100, factor: 2500, typ: 1, ms: 5000},
			{id: 1000 + fxT0, cid: cid + 2, ease: 3, ivl: -600, typ: 0, ms: 3000},
			{id: 1000 + fxT0 + 10*fxMinute, cid: cid + 2, ease: 3, ivl: 1, lastIvl: -600, factor: 2500, typ: 0, ms: 3000},
			{id: 1000 + fxT0 + fxDay, cid: cid + 2, ease: 3, ivl: 3, lastIvl: 1, factor: 2500, typ: 1, ms: 3000},
			{id: 1000 + fxT0 + 4*fxDay, cid: cid + 2, ease: 1, ivl: -60, lastIvl: 3, typ: 0, ms: 3000},
			{id: 1000 + fxT0 + 4*fxDay + fxMinute, cid: cid + 2, ease: 3, ivl: -600, lastIvl: -60, typ: 0, ms: 3000},
			{id: 1000 + fxT0 + 4*fxDay + 11*fxMinute, cid: cid + 2, ease: 3, ivl: 1, lastIvl: -600, factor: 2500, typ: 0, ms: 3000},
			{id: 1000 + fxT0 + 6*fxDay, cid: cid + 2, ease: 3, ivl: 3, lastIvl: 1, factor: 2500, typ: 1, ms: 3000},
			learnt(cid+3, fxT0+2000), learnt(cid+4, fxT0+3000), learnt(cid+5, fxT0+4000),
		},
	}
}

// Every layout reads each card's deck options: the preset of its home
// deck, with the deck's own desired retention where it sets one, FSRS
// parameters of every version as stored.
func TestReadPresets(t *testing.T) {
	for _, layout := range fxVariants {
		path := buildAPKG(t, t.TempDir(), layout, fxFSRS())
		d, sched, err := Read(path, deck.ParseOptions{File: layout + ".apkg"}, DefaultLimits)
		if err != nil {
			t.Fatalf("%s: %v", layout, err)
		}
		if len(d.Warnings) != 0 {
			t.Errorf("%s: warnings %q", layout, d.Warnings)
		}
		preset := func(id string) *fsrs.AnkiPreset {
			for k, p := range sched {
				if _, cid := deck.SplitKey(k); cid == id {
					return p.Preset
				}
			}
			t.Fatalf("%s: no scheduling for %s", layout, id)
			return nil
		}
		mine := &fsrs.AnkiPreset{Name: "Mine", Params6: fxMine, DesiredRetention: 0.85}
		for _, tt := range []struct {
			card string
			want *fsrs.AnkiPreset
		}{
			{"trunc", mine},
			{"relearnt", mine},
			{"moved", mine}, // its home deck's options, not the deck it sits in
			{"easy", &fsrs.AnkiPreset{Name: "Mine", Params6: fxMine, DesiredRetention: 0.8}},
			{"old", &fsrs.AnkiPreset{Name: "Old", Params5: fxOld, DesiredRetention: 0.9, HistoricalRetention: 0.85}},
		} {
			if got := preset(tt.card); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("%s %s: preset %+v, want %+v", layout, tt.card, got, tt.want)
			}
		}
		if preset("trunc") != preset("relearnt") {
			t.Errorf("%s: cards of one deck do not share its preset", layout)
		}
		p, ok, errs := fsrs.FindAnkiParams(sched)
		if !ok || len(errs) != 0 || p.Preset != "Mine" || p.Cards != 3 || p.DesiredRetention != 0.85 || !reflect.DeepEqual(p.Weights, fxMine) {
			t.Errorf("%s: offered %+v %v %v", layout, p, ok, errs)
		}
	}
}

// Deck options are advice: options that cannot be read leave the cards
// to import, with a warning, and a value of the wrong type is no value
// (as Anki's default_on_invalid reads it).
func TestReadPresetsDamaged(t *testing.T) {
	col := fxFSRS()
	for _, tt := range []struct {
		name, dconf, warning string
		params               bool
	}{
		{"not JSON", `{"2": [`, "deck options unreadable", false},
		{"parameters of the wrong type", `{"2": {"id": 2, "name": "Mine", "fsrsParams6": "0.4, 1.2", "desiredRetention": "high"}}`, "", false},
		{"an unknown preset", `{"9": {"id": 9, "name": "Other", "fsrsParams6": [0.4]}}`, "", false},
	} {
		members := append([]zipMember{{"collection.anki2", fxSchema11DBWithDconf(t, col, tt.dconf), zip.Deflate}}, fxLegacyMedia(col)...)
		fixed := filepath.Join(t.TempDir(), "x.apkg")
		if err := os.WriteFile(fixed, fxZip(t, members), 0o600); err != nil {
			t.Fatal(err)
		}
		d, sched, err := Read(fixed, deck.ParseOptions{File: "x.apkg"}, DefaultLimits)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if len(d.Cards) != 5 || len(sched) != 5 {
			t.Errorf("%s: %d cards, %d scheduled", tt.name, len(d.Cards), len(sched))
		}
		warned := strings.Join(d.Warnings, "\n")
		if tt.warning != "" && !strings.Contains(warned, tt.warning) || tt.warning == "" && warned != "" {
			t.Errorf("%s: warnings %q", tt.name, warned)
		}
		if _, ok, _ := fsrs.FindAnkiParams(sched); ok != tt.params {
			t.Errorf("%s: parameters offered: %v", tt.name, ok)
		}
	}
}

// fxSchema11DBWithDconf is fxSchema11DB with col.dconf replaced.
func fxSchema11DBWithDconf(t *testing.T, col *fxCollection, dconf string) []byte {
	t.Helper()
	path := filepath.Join(t.TempDir(), "col.db")
	if err := os.WriteFile(path, fxSchema11DB(t, col), 0o600); err != nil {
		t.Fatal(err)
	}
	registerAPKGDriver()
	db, err := sql.Open(apkgDriver, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("UPDATE col SET dconf = ?", dconf); err != nil {
		t.Fatal(err)
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
