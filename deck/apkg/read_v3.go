package apkg

import (
	"crypto/sha1"
	"errors"
	"strconv"
	"strings"

	"google.golang.org/protobuf/encoding/protowire"
)

// Schema 18 (collection.anki21b) keeps note types, fields, templates and
// decks in tables of their own, with protobuf configs (Anki's
// proto/anki/notetypes.proto, decks.proto). The reader needs only a few
// fields of them, decoded with protowire; unknown fields are skipped.

// apkgProtoWalk calls fn for each top-level field of a protobuf message, with
// its varint value or its bytes.
func apkgProtoWalk(b []byte, fn func(num protowire.Number, v uint64, bytes []byte)) error {
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return protowire.ParseError(n)
		}
		b = b[n:]
		switch typ {
		case protowire.VarintType:
			v, m := protowire.ConsumeVarint(b)
			if m < 0 {
				return protowire.ParseError(m)
			}
			fn(num, v, nil)
			b = b[m:]
		case protowire.BytesType:
			v, m := protowire.ConsumeBytes(b)
			if m < 0 {
				return protowire.ParseError(m)
			}
			fn(num, 0, v)
			b = b[m:]
		default:
			m := protowire.ConsumeFieldValue(num, typ, b)
			if m < 0 {
				return protowire.ParseError(m)
			}
			b = b[m:]
		}
	}
	return nil
}

func (r *apkgReader) loadNotetypes() error {
	r.notetypes = map[int64]*apkgNotetype{}
	rows, err := r.db.Query("SELECT id, name, config FROM notetypes")
	if err != nil {
		return r.errorf("%s: notetypes: %v", r.member, err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var name string
		var config []byte
		if err := rows.Scan(&id, &name, &config); err != nil {
			return r.errorf("%s: notetypes: %v", r.member, apkgScanError(err))
		}
		nt := &apkgNotetype{name: name, qfmt: map[int]string{}}
		err := apkgProtoWalk(config, func(num protowire.Number, v uint64, _ []byte) {
			if num == 1 { // Notetype.Config.kind
				nt.cloze = v == 1
			}
		})
		if err != nil {
			return r.errorf("%s: notetypes id %d: config: %v", r.member, id, err)
		}
		r.notetypes[id] = nt
	}
	if err := rows.Err(); err != nil {
		return r.errorf("%s: notetypes: %v", r.member, err)
	}
	rows.Close()

	frows, err := r.db.Query("SELECT ntid, ord, name FROM fields ORDER BY ntid, ord")
	if err != nil {
		return r.errorf("%s: fields: %v", r.member, err)
	}
	defer frows.Close()
	for frows.Next() {
		var ntid, ord int64
		var name string
		if err := frows.Scan(&ntid, &ord, &name); err != nil {
			return r.errorf("%s: fields: %v", r.member, apkgScanError(err))
		}
		nt := r.notetypes[ntid]
		if nt == nil {
			continue
		}
		if ord != int64(len(nt.fields)) {
			return r.errorf("%s: fields of note type %q: ord %d out of sequence", r.member, nt.name, ord)
		}
		nt.fields = append(nt.fields, name)
	}
	if err := frows.Err(); err != nil {
		return r.errorf("%s: fields: %v", r.member, err)
	}
	frows.Close()

	trows, err := r.db.Query("SELECT ntid, ord, config FROM templates ORDER BY ntid, ord")
	if err != nil {
		return r.errorf("%s: templates: %v", r.member, err)
	}
	defer trows.Close()
	for trows.Next() {
		var ntid, ord int64
		var config []byte
		if err := trows.Scan(&ntid, &ord, &config); err != nil {
			return r.errorf("%s: templates: %v", r.member, apkgScanError(err))
		}
		nt := r.notetypes[ntid]
		if nt == nil || ord < 0 || ord >= apkgMaxCloze {
			continue
		}
		var qfmt string
		err := apkgProtoWalk(config, func(num protowire.Number, _ uint64, b []byte) {
			if num == 1 { // Template.Config.q_format
				qfmt = string(b)
			}
		})
		if err != nil {
			return r.errorf("%s: templates of note type %q: config: %v", r.member, nt.name, err)
		}
		nt.qfmt[int(ord)] = qfmt
	}
	if err := trows.Err(); err != nil {
		return r.errorf("%s: templates: %v", r.member, err)
	}
	return nil
}

func (r *apkgReader) loadDecks() error {
	r.decks = map[int64]string{}
	rows, err := r.db.Query("SELECT id, name FROM decks")
	if err != nil {
		return r.errorf("%s: decks: %v", r.member, err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return r.errorf("%s: decks: %v", r.member, apkgScanError(err))
		}
		// Schema 18 separates deck name components with 0x1f.
		r.decks[id] = strings.ReplaceAll(name, "\x1f", "::")
	}
	if err := rows.Err(); err != nil {
		return r.errorf("%s: decks: %v", r.member, err)
	}
	return nil
}

// apkgV3MediaEntry is one MediaEntries.MediaEntry (proto/anki/import_export.proto).
type apkgV3MediaEntry struct {
	name   string
	size   uint64
	sha1   []byte
	member string // zip member holding the file
}

// apkgParseV3MediaMap decodes the v3 media map: entry i is zip member "i"
// unless it records a legacy member name.
func apkgParseV3MediaMap(b []byte) ([]apkgV3MediaEntry, error) {
	var out []apkgV3MediaEntry
	err := apkgProtoWalk(b, func(num protowire.Number, _ uint64, eb []byte) {
		if num != 1 {
			return
		}
		e := apkgV3MediaEntry{member: strconv.Itoa(len(out))}
		werr := apkgProtoWalk(eb, func(num protowire.Number, v uint64, fb []byte) {
			switch num {
			case 1:
				e.name = string(fb)
			case 2:
				e.size = v
			case 3:
				e.sha1 = fb
			case 255:
				e.member = strconv.FormatUint(v, 10)
			}
		})
		if werr != nil {
			e.name = "\x00" // reported as unsafe below
		}
		out = append(out, e)
	})
	return out, err
}

// apkgVerifyV3Media checks a media file against its entry.
func apkgVerifyV3Media(e apkgV3MediaEntry, data []byte) error {
	if uint64(len(data)) != e.size {
		return errors.New("size does not match the media map")
	}
	if len(e.sha1) != sha1.Size {
		return errors.New("media map has no valid SHA-1")
	}
	if sum := sha1.Sum(data); string(sum[:]) != string(e.sha1) {
		return errors.New("SHA-1 does not match the media map")
	}
	return nil
}
