// Package ankiguid derives the Anki note GUID of an srs card. The .apkg
// writer and the TSV writer both write it, so that importing either export
// into Anki again updates the notes instead of duplicating them.
package ankiguid

import (
	"crypto/sha256"
	"encoding/binary"
)

// Of is the Anki note guid of a card: base91 of the first 8 bytes of
// SHA-256("srs:" deck NUL id), the same in every export.
func Of(deckName, id string) string { return Base91(Number(deckName, id)) }

// Number is the guid as a number, before spelling: the .apkg writer
// indexes cards by it.
func Number(deckName, id string) uint64 {
	sum := sha256.Sum256([]byte("srs:" + deckName + "\x00" + id))
	return binary.BigEndian.Uint64(sum[:8])
}

// Base91 spells n in Anki's guid alphabet, most significant digit first
// (rslib/src/notes/mod.rs anki_base91).
func Base91(n uint64) string {
	const table = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&()*+,-./:;<=>?@[]^_`{|}~"
	var buf [11]byte
	i := len(buf)
	for n > 0 {
		i--
		buf[i] = table[n%uint64(len(table))]
		n /= uint64(len(table))
	}
	return string(buf[i:])
}
