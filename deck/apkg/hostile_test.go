package apkg

import (
	"archive/zip"
	"bytes"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/srs-tool/srs/deck"
)

// TestReadAPKGHostile feeds Read packages built to hurt it. Each must
// fail with a one-line error naming the file, without panicking.
func TestReadAPKGHostile(t *testing.T) {
	zeros := make([]byte, 8<<20)
	good := buildAPKGBytes(t, fxLegacy1, fxStandard())
	schema11 := fxSchema11DB(t, fxStandard())

	manyMembers := func(n int) []byte {
		var ms []zipMember
		for i := 0; i < n; i++ {
			ms = append(ms, zipMember{name: strings.Repeat("x", i+1), data: []byte("x"), method: zip.Store})
		}
		ms = append(ms, zipMember{"collection.anki2", schema11, zip.Store})
		return fxZip(t, ms)
	}
	withDB := func(fill func(db *sql.DB) error) []byte {
		return fxZip(t, []zipMember{{"collection.anki2", fxDB(t, fill, false), zip.Deflate}})
	}
	// Tables as Anki's, less the NOT NULL and types that keep bad rows out.
	const loose = `CREATE TABLE col (id, crt, mod, scm, ver, dty, usn, ls, conf, models, decks, dconf, tags);
		CREATE TABLE notes (id, guid, mid, mod, usn, tags, flds, sfld, csum, flags, data);
		CREATE TABLE cards (id, nid, did, ord, mod, usn, type, queue, due, ivl, factor, reps, lapses, left, odue, odid, flags, data);
		CREATE TABLE revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, type);`
	damaged := func(after string) []byte {
		return fxZip(t, []zipMember{{"collection.anki2", fxSchema11DBWith(t, fxStandard(), loose, after), zip.Deflate}})
	}
	manyReviews := fxStandard()
	for i := range 100*len(manyReviews.cards) + 1 - len(manyReviews.revlog) {
		manyReviews.revlog = append(manyReviews.revlog, fxRev{id: fxT0 + 1_000_000 + int64(i), cid: 1700000000020, ease: 3, typ: 1})
	}
	badFields := fxStandard()
	badFields.notes[0].fields = append(badFields.notes[0].fields, "extra")
	noModel := fxStandard()
	noModel.notes[0].mid = 42

	tests := []struct {
		name string
		data []byte
		lim  *Limits // nil: DefaultLimits
		want string  // substring of the error
	}{
		{"not a zip", []byte("this is not a zip file at all"), nil, "not a valid zip archive"},
		{"empty file", nil, nil, "not a valid zip archive"},
		{"truncated zip", good[:len(good)/2], nil, "not a valid zip archive"},
		{"truncated tail", good[:len(good)-10], nil, "not a valid zip archive"},
		{"zip without collection", fxZip(t, []zipMember{{"media", []byte("{}"), zip.Store}}), nil, "has no collection.anki2"},
		{"meta without its collection", fxZip(t, []zipMember{{"meta", []byte{8, 3}, zip.Store}, {"collection.anki2", schema11, zip.Store}}), nil, "has no collection.anki21b"},
		{"meta too new", fxZip(t, []zipMember{{"meta", []byte{8, 4}, zip.Store}, {"collection.anki2", schema11, zip.Store}}), nil, "version 4 is not supported"},
		{"meta unknown", fxZip(t, []zipMember{{"meta", []byte{}, zip.Store}, {"collection.anki2", schema11, zip.Store}}), nil, "version 0 is not supported"},
		{"meta garbage", fxZip(t, []zipMember{{"meta", []byte{0xff}, zip.Store}, {"collection.anki2", schema11, zip.Store}}), nil, "meta:"},
		{"deflate bomb", fxZip(t, []zipMember{{"collection.anki2", zeros, zip.Deflate}}), nil, "likely zip bomb"},
		{"zstd bomb", fxZip(t, []zipMember{{"meta", []byte{8, 3}, zip.Store}, {"collection.anki21b", fxZstd(t, zeros), zip.Store}}), nil, "likely zip bomb"},
		{"entry over size limit", fxZip(t, []zipMember{{"collection.anki2", zeros[:3<<20], zip.Store}}),
			&Limits{MaxEntrySize: 2 << 20}, "past the limit of 2097152 bytes"},
		{"total over limit", good, &Limits{MaxTotalSize: 4096}, "total limit of 4096"},
		{"file over size limit", good, &Limits{MaxFileSize: 1000}, "over the limit of 1000"},
		{"too many entries", manyMembers(20), &Limits{MaxEntries: 10}, "more than 10 members"},
		{"duplicate member", fxZip(t, []zipMember{{"collection.anki2", schema11, zip.Store}, {"collection.anki2", schema11, zip.Store}}), nil, "appears twice"},
		{"unsupported method", fxZip(t, []zipMember{{"collection.anki2", schema11, 12}}), nil, "unsupported compression method 12"},
		{"media name escapes", fxZip(t, []zipMember{{"collection.anki2", schema11, zip.Store}, {"0", []byte("x"), zip.Store}, {"media", []byte(`{"0":"../x"}`), zip.Store}}),
			nil, `zip member "0": media name "../x" is not a plain file name`},
		{"media name absolute", fxZip(t, []zipMember{{"collection.anki2", schema11, zip.Store}, {"media", []byte(`{"7":"/etc/passwd"}`), zip.Store}}),
			nil, `zip member "7": media name "/etc/passwd"`},
		{"media name backslash", fxZip(t, []zipMember{{"collection.anki2", schema11, zip.Store}, {"media", []byte(`{"0":"..\\x"}`), zip.Store}}),
			nil, "is not a plain file name"},
		{"media name NUL", fxZip(t, []zipMember{{"collection.anki2", schema11, zip.Store}, {"media", []byte(`{"0":"a\u0000b"}`), zip.Store}}),
			nil, "is not a plain file name"},
		{"media map not JSON", fxZip(t, []zipMember{{"collection.anki2", schema11, zip.Store}, {"media", []byte(`[1,2`), zip.Store}}), nil, "media:"},
		{"collection not SQLite", fxZip(t, []zipMember{{"collection.anki2", []byte(strings.Repeat("garbage ", 1000)), zip.Store}}), nil, "not an SQLite database"},
		{"wrong schema", withDB(func(db *sql.DB) error { return fxExec(db, "CREATE TABLE foo (x)") }), nil, "not an Anki collection: no col table"},
		{"notes is a view", withDB(func(db *sql.DB) error {
			return fxExec(db, `CREATE TABLE col (id, crt, ver, models, decks); CREATE TABLE cards (x); CREATE TABLE revlog (x);
				CREATE VIEW notes AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) SELECT x FROM c`)
		}), nil, "notes is a view, not a table"},
		{"col empty", withDB(func(db *sql.DB) error { return fxExec(db, apkgSchema11) }), nil, "col table is empty"},
		{"schema too old", withDB(func(db *sql.DB) error {
			return fxExec(db, apkgSchema11+"INSERT INTO col VALUES (1,0,0,0,10,0,0,0,'{}','{}','{}','{}','{}');")
		}), nil, "schema 10 is too old"},
		{"models not JSON", withDB(func(db *sql.DB) error {
			return fxExec(db, apkgSchema11+"INSERT INTO col VALUES (1,0,0,0,11,0,0,0,'{}','{nope','{}','{}','{}');")
		}), nil, "col.models:"},
		{"wrong column types", withDB(func(db *sql.DB) error {
			return fxExec(db, apkgSchema11+`INSERT INTO col VALUES (1,0,0,0,11,0,0,0,'{}','{}','{}','{}','{}');
				INSERT INTO cards VALUES (1,'x',1,0,0,0,0,0,0,0,0,0,0,0,0,0,0,'');`)
		}), nil, "cards:"},
		{"field count mismatch", buildAPKGBytes(t, fxLegacy1, badFields), nil,
			`notes id 1700000000010: note has 3 fields, note type "Basic" has 2`},
		{"unknown note type", buildAPKGBytes(t, fxLegacy1, noModel), nil, "notes id 1700000000010: note type id 42 is not in the package"},
		{"field over limit", good, &Limits{MaxFieldSize: 10}, "over the limit of 10"},
		{"NULL in notes", damaged("UPDATE notes SET tags = NULL WHERE id = 1700000000011"), nil, "collection.anki2: notes: column tags is NULL"},
		{"NULL in cards", damaged("UPDATE cards SET due = NULL"), nil, "collection.anki2: cards: column due is NULL"},
		{"NULL in revlog", damaged("UPDATE revlog SET ease = NULL"), nil, "collection.anki2: revlog: column ease is NULL"},
		{"NULL in col", damaged("UPDATE col SET models = NULL"), nil, "collection.anki2: col: column models is NULL"},
		{"text in a number column", damaged("UPDATE notes SET mid = 'basic'"), nil, `collection.anki2: notes: column mid holds "basic", not a whole number`},
		{"review past 2262", damaged("UPDATE revlog SET id = 9300000000000000 WHERE cid = 1700000000022"), nil,
			"collection.anki2: revlog id 9300000000000000: a review time before 1970 or after 2262"},
		{"due past 2262", damaged("UPDATE cards SET due = 99999999999 WHERE type = 1"), nil, "cards id 1700000000021: due 99999999999 is a time before 1677 or after 2262"},
		{"due day past 2262", damaged("UPDATE cards SET due = 90000 WHERE type = 2"), nil, "cards id 1700000000020: due 90000 is a time"},
		{"review before 1970", damaged("UPDATE revlog SET id = -5 WHERE cid = 1700000000022"), nil, "revlog id -5:"},
		{"review log over 100 per card", buildAPKGBytes(t, fxLegacy1, manyReviews), nil, "revlog has 801 rows, over the limit of 100 per card (8 cards)"},
		{"too many notes", good, &Limits{MaxNotes: 2}, "notes has 6 rows, over the limit of 2"},
	}
	dir := t.TempDir()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(tt.name, " ", "_")+".apkg")
			if err := os.WriteFile(path, tt.data, 0o600); err != nil {
				t.Fatal(err)
			}
			lim := DefaultLimits
			if tt.lim != nil {
				lim = *tt.lim
			}
			d, _, err := Read(path, deck.ParseOptions{File: "hostile.apkg"}, lim)
			if err == nil {
				t.Fatalf("Read succeeded with %d cards; want an error containing %q", len(d.Cards), tt.want)
			}
			msg := err.Error()
			t.Log(msg)
			if !strings.HasPrefix(msg, "hostile.apkg: ") {
				t.Errorf("error %q does not start with the file name", msg)
			}
			if strings.ContainsAny(msg, "\n\r") {
				t.Errorf("error is not one line: %q", msg)
			}
			if !strings.Contains(msg, tt.want) {
				t.Errorf("error %q does not contain %q", msg, tt.want)
			}
		})
	}
}

// TestReadAPKGHostileMediaHash checks that a v3 media file whose content
// does not match the map's SHA-1 is refused.
func TestReadAPKGHostileMediaHash(t *testing.T) {
	data := buildAPKGBytes(t, fxV3, fxStandard())
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var ms []zipMember
	for _, f := range zr.File {
		rc, _ := f.Open()
		var buf bytes.Buffer
		buf.ReadFrom(rc)
		rc.Close()
		b := buf.Bytes()
		if f.Name == "0" { // diagram.png
			b = fxZstd(t, []byte("\x89PNG\r\n\x1a\n fake diagraM"))
		}
		ms = append(ms, zipMember{f.Name, b, f.Method})
	}
	path := filepath.Join(t.TempDir(), "x.apkg")
	os.WriteFile(path, fxZip(t, ms), 0o600)
	_, _, err = Read(path, deck.ParseOptions{}, DefaultLimits)
	if err == nil || !strings.Contains(err.Error(), `zip member "0" (media file "diagram.png"): SHA-1 does not match`) {
		t.Fatalf("err = %v, want a SHA-1 mismatch", err)
	}
}
