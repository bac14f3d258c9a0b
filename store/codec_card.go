package store

import (
	"encoding/binary"
	"encoding/json"
	"fmt"

	"github.com/srs-tool/srs/deck"
)

// Card records were JSON until schema 3. An export or a re-import reads
// every card, and decoding JSON was a fifth of a 100k-card export, so
// they are now binary, versioned by their first byte like the other
// records. JSON ones (first byte '{') are still read: the migrations
// before schema 3 run on them.
const (
	metaV1 = 1
	textV1 = 1

	maxTags    = 1 << 10
	maxTextLen = 16 << 20 // far above deck's field limit
)

func appendBytes(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

func encodeMeta(m cardMeta) []byte {
	b := make([]byte, 0, 96+len(m.ID)+len(m.Parent))
	b = append(b, metaV1)
	b = appendBytes(b, m.ID)
	b = appendBytes(b, m.Deck)
	b = appendBytes(b, string(m.Kind))
	b = appendBytes(b, m.Parent)
	b = binary.AppendUvarint(b, uint64(len(m.Tags)))
	for _, t := range m.Tags {
		b = appendBytes(b, t)
	}
	b = binary.AppendUvarint(b, m.Pos)
	var flags uint64
	if m.Retired {
		flags |= 1
	}
	b = binary.AppendUvarint(b, flags)
	return appendBytes(b, m.Sum)
}

func decodeMetaValue(v []byte) (cardMeta, error) {
	var m cardMeta
	if len(v) > 0 && v[0] == '{' {
		if err := json.Unmarshal(v, &m); err != nil {
			return m, fmt.Errorf("%w: %v", ErrBadRecord, err)
		}
		return m, nil
	}
	d := &decoder{b: v}
	if ver := d.byte("card version"); d.err == nil && ver != metaV1 {
		return m, fmt.Errorf("%w: card record version %d", ErrBadRecord, ver)
	}
	m.ID = string(d.bytes("card id", maxKeyLen))
	m.Deck = string(d.bytes("card deck", maxKeyLen))
	m.Kind = deck.Kind(d.bytes("card kind", maxKeyLen))
	m.Parent = string(d.bytes("card parent", maxKeyLen))
	n := d.uvarint("card tags")
	if n > maxTags {
		d.fail("card tags")
	}
	for i := uint64(0); i < n && d.err == nil; i++ {
		m.Tags = append(m.Tags, string(d.bytes("card tag", maxKeyLen)))
	}
	m.Pos = d.uvarint("card position")
	flags := d.uvarint("card flags")
	if flags&^1 != 0 {
		d.fail("card flags")
	}
	m.Retired = flags&1 != 0
	m.Sum = string(d.bytes("card sum", maxKeyLen))
	if d.err == nil && len(d.b) != 0 {
		d.fail("card: trailing bytes")
	}
	return m, d.err
}

func encodeText(t cardText) []byte {
	b := make([]byte, 0, 8+len(t.Front)+len(t.Back)+len(t.Source))
	b = append(b, textV1)
	b = appendBytes(b, t.Front)
	b = appendBytes(b, t.Back)
	return appendBytes(b, t.Source)
}

func decodeTextValue(v []byte) (cardText, error) {
	var t cardText
	if len(v) > 0 && v[0] == '{' {
		if err := json.Unmarshal(v, &t); err != nil {
			return t, fmt.Errorf("%w: %v", ErrBadRecord, err)
		}
		return t, nil
	}
	d := &decoder{b: v}
	if ver := d.byte("text version"); d.err == nil && ver != textV1 {
		return t, fmt.Errorf("%w: text record version %d", ErrBadRecord, ver)
	}
	t.Front = string(d.bytes("front", maxTextLen))
	t.Back = string(d.bytes("back", maxTextLen))
	t.Source = string(d.bytes("source", maxTextLen))
	if d.err == nil && len(d.b) != 0 {
		d.fail("text: trailing bytes")
	}
	return t, d.err
}
