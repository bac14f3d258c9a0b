package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"time"
)

// LogKey identifies a log entry: the time it was made and a sequence
// number that orders entries made at the same instant (a fixed SRS_NOW
// makes every entry of a test share one time).
type LogKey [12]byte

func newLogKey(t time.Time, seq uint32) LogKey {
	var k LogKey
	binary.BigEndian.PutUint64(k[:8], uint64(t.UnixNano()))
	binary.BigEndian.PutUint32(k[8:], seq)
	return k
}

func parseLogKey(b []byte) (LogKey, error) {
	var k LogKey
	if len(b) != len(k) {
		return k, fmt.Errorf("%w: log key of %d bytes", ErrBadRecord, len(b))
	}
	copy(k[:], b)
	return k, nil
}

// Time is when the entry was made.
func (k LogKey) Time() time.Time {
	return time.Unix(0, int64(binary.BigEndian.Uint64(k[:8]))).UTC()
}

// String renders the key as "<unix ns>.<seq>", the form `srs log` prints
// and `srs undo --entry` would accept.
func (k LogKey) String() string {
	return fmt.Sprintf("%d.%d", binary.BigEndian.Uint64(k[:8]), binary.BigEndian.Uint32(k[8:]))
}

// logFrom is the smallest log key at or after t.
func logFrom(t time.Time) []byte {
	k := newLogKey(t, 0)
	return k[:]
}

// dueKey is due/<due Unix seconds BE8><card key>. Seconds are enough: the
// index only has to order cards and bound "due before the end of today".
func dueKey(due time.Time, card string) []byte {
	b := make([]byte, 8, 8+len(card))
	sec := due.Unix()
	if sec < 0 {
		sec = 0
	}
	binary.BigEndian.PutUint64(b, uint64(sec))
	return append(b, card...)
}

func dueUpTo(t time.Time) []byte {
	var b [8]byte
	sec := t.Unix()
	if sec < 0 {
		sec = 0
	}
	binary.BigEndian.PutUint64(b[:], uint64(sec))
	return b[:]
}

func parseDueKey(k []byte) (due time.Time, card string, ok bool) {
	if len(k) < 9 {
		return time.Time{}, "", false
	}
	return time.Unix(int64(binary.BigEndian.Uint64(k[:8])), 0).UTC(), string(k[8:]), true
}

// newKey is new/<deck>\x00<pos BE8>; its value is the card id. Keying by
// deck first lets `--deck` seek straight to one deck's new cards.
func newKey(deckName string, pos uint64) []byte {
	b := make([]byte, 0, len(deckName)+9)
	b = append(b, deckName...)
	b = append(b, 0)
	return binary.BigEndian.AppendUint64(b, pos)
}

func newPrefix(deckName string) []byte {
	return append([]byte(deckName), 0)
}

func parseNewKey(k, v []byte) (card string, pos uint64, ok bool) {
	i := bytes.IndexByte(k, 0)
	if i < 0 || len(k)-i-1 != 8 {
		return "", 0, false
	}
	return string(k[:i]) + "\x00" + string(v), binary.BigEndian.Uint64(k[i+1:]), true
}
