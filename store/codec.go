package store

import (
	"encoding/binary"
	"fmt"
	"math"
	"time"

	"github.com/srs-tool/srs/fsrs"
)

// CardState is one user's state of one card: its FSRS scheduling plus the
// flags the user set on it.
type CardState struct {
	fsrs.Card
	Suspended   bool
	BuriedUntil time.Time // not shown before this time; zero when not buried
}

// Action is what a log entry did to a card.
type Action uint8

// Actions. Rate is a review; the others are the user's manual changes,
// logged too so that a rebuild from the log restores them.
const (
	ActRate Action = iota + 1
	ActSuspend
	ActUnsuspend
	ActBury
	ActSet // a state set from outside, e.g. an Anki card with SM-2 data but no review log
)

func (a Action) String() string {
	switch a {
	case ActRate:
		return "rate"
	case ActSuspend:
		return "suspend"
	case ActUnsuspend:
		return "unsuspend"
	case ActBury:
		return "bury"
	case ActSet:
		return "set"
	}
	return fmt.Sprintf("action(%d)", uint8(a))
}

// Entry is one review-log record.
type Entry struct {
	Key      LogKey
	Card     string // deck.Key(deck, id)
	Action   Action
	Rating   fsrs.Rating // for ActRate
	Duration time.Duration
	// Before is the state the entry started from; HadState is false when
	// the card had never been seen (no state record), so that undo can
	// remove the record rather than leave a New one behind.
	Before   CardState
	HadState bool
	After    CardState
	// Mock marks a rating given in a mock interview (srs mock) rather
	// than a review session. It is scheduled as any rating; the mark
	// only says where it came from.
	Mock bool
}

// Time is when the entry was made.
func (e Entry) Time() time.Time { return e.Key.Time() }

// The binary encodings below are versioned by their first byte so that a
// later schema can read old records. They are compact because the log is
// the largest thing srs stores (a heavy user has millions of entries).
const (
	stateV1 = 1
	entryV1 = 1
	// entryV2 is entryV1 followed by a uvarint of flags (entryMock).
	// An entry with no flags is still written as entryV1, so the log of
	// a user who never took a mock interview is what schema 5 wrote,
	// byte for byte, and a rebuild leaves it alone.
	entryV2 = 2
)

// Log entry flags (entryV2).
const (
	entryMock  = 1 << iota // Entry.Mock
	entryFlags = entryMock // every flag this schema knows
)

// Bounds that decoders enforce; a record outside them is corrupt.
const (
	maxKeyLen   = 512
	stateMaxLen = 128
)

func encodeState(st CardState) []byte {
	b := make([]byte, 0, 64)
	b = append(b, stateV1)
	var flags uint64
	if st.Suspended {
		flags |= 1
	}
	b = binary.AppendUvarint(b, flags)
	b = appendTime(b, st.Due)
	b = appendTime(b, st.LastReview)
	b = appendTime(b, st.BuriedUntil)
	b = binary.LittleEndian.AppendUint64(b, math.Float64bits(st.Stability))
	b = binary.LittleEndian.AppendUint64(b, math.Float64bits(st.Difficulty))
	b = binary.AppendUvarint(b, st.ScheduledDays)
	b = binary.AppendUvarint(b, st.Reps)
	b = binary.AppendUvarint(b, st.Lapses)
	b = append(b, byte(st.State))
	b = binary.AppendVarint(b, int64(st.RemainingSteps))
	return b
}

// appendTime writes t as Unix nanoseconds; the zero time is 0, which no
// real review time can be.
func appendTime(b []byte, t time.Time) []byte {
	if t.IsZero() {
		return binary.AppendVarint(b, 0)
	}
	return binary.AppendVarint(b, t.UnixNano())
}

type decoder struct {
	b   []byte
	err error
}

func (d *decoder) fail(what string) {
	if d.err == nil {
		d.err = fmt.Errorf("%w: bad %s", ErrBadRecord, what)
	}
}

func (d *decoder) byte(what string) byte {
	if d.err != nil || len(d.b) < 1 {
		d.fail(what)
		return 0
	}
	v := d.b[0]
	d.b = d.b[1:]
	return v
}

func (d *decoder) uvarint(what string) uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.fail(what)
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) varint(what string) int64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.fail(what)
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) float(what string) float64 {
	if d.err != nil || len(d.b) < 8 {
		d.fail(what)
		return 0
	}
	v := math.Float64frombits(binary.LittleEndian.Uint64(d.b))
	d.b = d.b[8:]
	if math.IsNaN(v) || math.IsInf(v, 0) {
		d.fail(what)
	}
	return v
}

func (d *decoder) time(what string) time.Time {
	n := d.varint(what)
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}

func (d *decoder) bytes(what string, max int) []byte {
	n := d.uvarint(what)
	if d.err != nil || n > uint64(max) || n > uint64(len(d.b)) {
		d.fail(what)
		return nil
	}
	v := d.b[:n]
	d.b = d.b[n:]
	return v
}

func decodeState(b []byte) (CardState, error) {
	d := &decoder{b: b}
	st := d.state()
	if d.err == nil && len(d.b) != 0 {
		d.fail("state: trailing bytes")
	}
	return st, d.err
}

func (d *decoder) state() CardState {
	var st CardState
	if v := d.byte("state version"); d.err == nil && v != stateV1 {
		d.fail(fmt.Sprintf("state version %d", v))
	}
	flags := d.uvarint("state flags")
	st.Suspended = flags&1 != 0
	st.Due = d.time("due")
	st.LastReview = d.time("last review")
	st.BuriedUntil = d.time("buried until")
	st.Stability = d.float("stability")
	st.Difficulty = d.float("difficulty")
	st.ScheduledDays = d.uvarint("scheduled days")
	st.Reps = d.uvarint("reps")
	st.Lapses = d.uvarint("lapses")
	s := d.byte("state")
	if s > byte(fsrs.Relearning) {
		d.fail("state")
	}
	st.State = fsrs.State(s)
	rs := d.varint("remaining steps")
	if rs < -1 || rs > 100 {
		d.fail("remaining steps")
	}
	st.RemainingSteps = int(rs)
	return st
}

func encodeEntry(e Entry) []byte {
	b := make([]byte, 0, 160)
	var flags uint64
	if e.Mock {
		flags |= entryMock
	}
	version := byte(entryV1)
	if flags != 0 {
		version = entryV2
	}
	b = append(b, version, byte(e.Action), byte(e.Rating))
	b = binary.AppendUvarint(b, uint64(e.Duration/time.Millisecond))
	b = binary.AppendUvarint(b, uint64(len(e.Card)))
	b = append(b, e.Card...)
	if e.HadState {
		before := encodeState(e.Before)
		b = binary.AppendUvarint(b, uint64(len(before)))
		b = append(b, before...)
	} else {
		b = binary.AppendUvarint(b, 0)
	}
	after := encodeState(e.After)
	b = binary.AppendUvarint(b, uint64(len(after)))
	b = append(b, after...)
	if version == entryV2 {
		b = binary.AppendUvarint(b, flags)
	}
	return b
}

// entryCard is the card key of an encoded entry, read without decoding
// the rest; nil if the entry is malformed (decodeEntry says how).
func entryCard(b []byte) []byte {
	d := &decoder{b: b}
	d.byte("entry version")
	d.byte("action")
	d.byte("rating")
	d.uvarint("duration")
	card := d.bytes("card key", maxKeyLen)
	if d.err != nil {
		return nil
	}
	return card
}

func decodeEntry(key, b []byte) (Entry, error) {
	var e Entry
	k, err := parseLogKey(key)
	if err != nil {
		return e, err
	}
	e.Key = k
	d := &decoder{b: b}
	version := d.byte("entry version")
	if d.err == nil && version != entryV1 && version != entryV2 {
		d.fail(fmt.Sprintf("entry version %d", version))
	}
	e.Action = Action(d.byte("action"))
	if d.err == nil && (e.Action < ActRate || e.Action > ActSet) {
		d.fail("action")
	}
	e.Rating = fsrs.Rating(d.byte("rating"))
	if d.err == nil && e.Action == ActRate && (e.Rating < fsrs.Again || e.Rating > fsrs.Easy) {
		d.fail("rating")
	}
	ms := d.uvarint("duration")
	if ms > uint64(math.MaxInt64/int64(time.Millisecond)) {
		d.fail("duration")
	}
	e.Duration = time.Duration(ms) * time.Millisecond
	e.Card = string(d.bytes("card key", maxKeyLen))
	if before := d.bytes("before", stateMaxLen); d.err == nil && len(before) > 0 {
		e.HadState = true
		e.Before, err = decodeState(before)
		if err != nil {
			return e, err
		}
	} else if d.err == nil {
		e.Before = CardState{Card: fsrs.NewCard(time.Time{})}
	}
	if after := d.bytes("after", stateMaxLen); d.err == nil {
		e.After, err = decodeState(after)
		if err != nil {
			return e, err
		}
	}
	if version == entryV2 {
		flags := d.uvarint("entry flags")
		if d.err == nil && flags&^entryFlags != 0 {
			d.fail(fmt.Sprintf("entry flags %#x", flags))
		}
		e.Mock = flags&entryMock != 0
		if e.Mock && e.Action != ActRate {
			d.fail("entry flags: mock on a " + e.Action.String())
		}
	}
	if d.err == nil && len(d.b) != 0 {
		d.fail("entry: trailing bytes")
	}
	return e, d.err
}

// dueEntry is the value of a due-index entry: what the queue needs of a
// due card, so that counting and ordering thousands of them is one range
// scan with no other reads. It is rewritten with the state it mirrors.
type dueEntry struct {
	learning    bool // in (re)learning steps rather than review
	stability   float64
	lastReview  time.Time // to the second
	buriedUntil time.Time // to the second
	parent      string
}

const dueV1 = 1

func newDueEntry(st CardState, parent string) dueEntry {
	return dueEntry{learning: st.State == fsrs.Learning || st.State == fsrs.Relearning, stability: st.Stability,
		lastReview: st.LastReview, buriedUntil: st.BuriedUntil, parent: parent}
}

func encodeDue(e dueEntry) []byte {
	b := make([]byte, 0, 24+len(e.parent))
	flags := byte(0)
	if e.learning {
		flags = 1
	}
	b = append(b, dueV1, flags)
	b = binary.LittleEndian.AppendUint64(b, math.Float64bits(e.stability))
	b = binary.AppendVarint(b, unixOrZero(e.lastReview))
	b = binary.AppendVarint(b, unixOrZero(e.buriedUntil))
	return append(b, e.parent...)
}

func unixOrZero(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}

func decodeDue(b []byte) (dueEntry, error) {
	var e dueEntry
	d := &decoder{b: b}
	if v := d.byte("due entry version"); d.err == nil && v != dueV1 {
		d.fail(fmt.Sprintf("due entry version %d", v))
	}
	flags := d.byte("due entry flags")
	e.learning = flags&1 != 0
	e.stability = d.float("due entry stability")
	if lr := d.varint("due entry last review"); lr != 0 {
		e.lastReview = time.Unix(lr, 0).UTC()
	}
	if bu := d.varint("due entry buried until"); bu != 0 {
		e.buriedUntil = time.Unix(bu, 0).UTC()
	}
	if d.err == nil {
		if len(d.b) > 200 {
			d.fail("due entry parent")
		}
		e.parent = string(d.b)
	}
	return e, d.err
}
