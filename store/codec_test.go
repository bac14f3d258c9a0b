package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/srs-tool/srs/deck"
	"github.com/srs-tool/srs/fsrs"
)

func sampleState() CardState {
	t := time.Date(2026, 5, 1, 8, 30, 0, 123, time.UTC)
	return CardState{Card: fsrs.Card{Due: t.Add(72 * time.Hour), Stability: 3.25, Difficulty: 6.5, ScheduledDays: 3,
		Reps: 4, Lapses: 1, State: fsrs.Review, LastReview: t, RemainingSteps: 0}, Suspended: true, BuriedUntil: t.Add(time.Hour)}
}

func TestCodecRoundTrip(t *testing.T) {
	st := sampleState()
	got, err := decodeState(encodeState(st))
	if err != nil || got != st {
		t.Fatalf("state: %+v %v, want %+v", got, err, st)
	}
	zero := CardState{Card: fsrs.NewCard(time.Time{})}
	if got, err := decodeState(encodeState(zero)); err != nil || got != zero {
		t.Fatalf("zero state: %+v %v", got, err)
	}
	e := Entry{Key: newLogKey(st.LastReview, 3), Card: "deck\x00card", Action: ActRate, Rating: fsrs.Hard,
		Duration: 4200 * time.Millisecond, Before: zero, HadState: false, After: st}
	got2, err := decodeEntry(e.Key[:], encodeEntry(e))
	if err != nil {
		t.Fatal(err)
	}
	e.Before = CardState{Card: fsrs.NewCard(time.Time{})}
	if got2 != e {
		t.Fatalf("entry: %+v, want %+v", got2, e)
	}
	d := newDueEntry(st, "q01")
	if got, err := decodeDue(encodeDue(d)); err != nil || got.parent != "q01" || got.stability != st.Stability ||
		!got.lastReview.Equal(st.LastReview.Truncate(time.Second)) || !got.buriedUntil.Equal(st.BuriedUntil.Truncate(time.Second)) || got.learning {
		t.Fatalf("due: %+v %v", got, err)
	}
}

// The decoders read bytes from disk, which a crash, a bad disk or a
// hostile file may have mangled: they must fail cleanly, never panic, and
// whatever they accept must encode back to the same bytes.
func FuzzDecodeState(f *testing.F) {
	f.Add(encodeState(sampleState()))
	f.Add(encodeState(CardState{}))
	f.Add([]byte{1})
	f.Fuzz(func(t *testing.T, b []byte) {
		st, err := decodeState(b)
		if err != nil {
			return
		}
		if again := encodeState(st); !bytes.Equal(again, b) {
			// Varints have one canonical form; anything else decodes
			// but is not what srs writes. Decoding it again must
			// give the same state.
			if st2, err := decodeState(again); err != nil || st2 != st {
				t.Fatalf("re-encoding changed the state: %+v -> %+v (%v)", st, st2, err)
			}
		}
	})
}

func FuzzDecodeEntry(f *testing.F) {
	st := sampleState()
	k := newLogKey(st.LastReview, 1)
	f.Add(k[:], encodeEntry(Entry{Card: "d\x00a", Action: ActRate, Rating: fsrs.Good, HadState: true, Before: st, After: st}))
	f.Add(k[:], encodeEntry(Entry{Card: "d\x00b", Action: ActSuspend, After: st}))
	f.Add(k[:], encodeEntry(Entry{Card: "d\x00c", Action: ActRate, Rating: fsrs.Again, HadState: true, Before: st, After: st, Mock: true}))
	f.Add([]byte{1, 2}, []byte{1, 1, 3})
	f.Fuzz(func(t *testing.T, key, b []byte) {
		e, err := decodeEntry(key, b)
		if err != nil {
			return
		}
		if e.Action < ActRate || e.Action > ActSet || len(e.Card) > maxKeyLen {
			t.Fatalf("accepted a bad entry: %+v", e)
		}
		e2, err := decodeEntry(key, encodeEntry(e))
		if err != nil || e2 != e {
			t.Fatalf("round trip: %+v -> %+v (%v)", e, e2, err)
		}
	})
}

// TestEntryMockFlag: a mock interview's rating round-trips with its mark
// (entry version 2); every other entry is written as schema 5 wrote it
// (version 1, no flags), so old logs and new agree byte for byte and an
// old entry reads as not mock; flags this schema does not know, or a
// mock mark on anything but a rating, are refused as corrupt.
func TestEntryMockFlag(t *testing.T) {
	st := sampleState()
	k := newLogKey(st.LastReview, 0)
	plain := Entry{Key: k, Card: "d\x00a", Action: ActRate, Rating: fsrs.Good, Duration: 1500 * time.Millisecond, HadState: true, Before: st, After: st}
	mock := plain
	mock.Mock = true
	pb, mb := encodeEntry(plain), encodeEntry(mock)
	if pb[0] != entryV1 || mb[0] != entryV2 {
		t.Fatalf("versions: plain %d, mock %d; want %d and %d", pb[0], mb[0], entryV1, entryV2)
	}
	// A mock entry is the plain one with version 2 and the flags after.
	if !bytes.Equal(mb[1:len(mb)-1], pb[1:]) || mb[len(mb)-1] != entryMock {
		t.Fatalf("mock entry %x is not plain entry %x plus flags", mb, pb)
	}
	for _, want := range []Entry{plain, mock} {
		got, err := decodeEntry(k[:], encodeEntry(want))
		if err != nil || got != want {
			t.Fatalf("round trip: %+v (%v), want %+v", got, err, want)
		}
	}
	// A version-1 entry as schema 5 wrote it, byte by byte: not mock.
	old := []byte{entryV1, byte(ActRate), byte(fsrs.Good), 0, 3, 'd', 0, 'a', 0}
	after := encodeState(st)
	old = append(append(old, byte(len(after))), after...)
	if e, err := decodeEntry(k[:], old); err != nil || e.Mock || e.Rating != fsrs.Good || e.After != st {
		t.Fatalf("schema-5 entry: %+v, %v", e, err)
	}
	bad := map[string][]byte{
		"unknown flag":       append(append([]byte{}, mb[:len(mb)-1]...), 2),
		"no flags":           mb[:len(mb)-1],
		"trailing bytes":     append(append([]byte{}, mb...), 0),
		"version 3":          append([]byte{3}, mb[1:]...),
		"mock on a suspend":  encodeEntry(Entry{Card: "d\x00a", Action: ActSuspend, After: st, Mock: true}),
		"flags in version 1": append(append([]byte{}, pb...), entryMock),
	}
	for name, b := range bad {
		if _, err := decodeEntry(k[:], b); !errors.Is(err, ErrBadRecord) {
			t.Errorf("%s: decoded (%v), want ErrBadRecord", name, err)
		}
	}
}

func FuzzDecodeDue(f *testing.F) {
	f.Add(encodeDue(newDueEntry(sampleState(), "q01")))
	f.Add(encodeDue(dueEntry{}))
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := decodeDue(b)
		if err != nil {
			return
		}
		d2, err := decodeDue(encodeDue(d))
		if err != nil || d2 != d {
			t.Fatalf("round trip: %+v -> %+v (%v)", d, d2, err)
		}
	})
}

func sampleMeta() cardMeta {
	return cardMeta{ID: "q01.f1", Deck: "go", Kind: deck.KindFollowUp, Parent: "q01", Tags: []string{"a", "b::c"},
		Pos: 1 << 40, Retired: true, Sum: "0123abcd"}
}

func TestCardCodecs(t *testing.T) {
	for _, m := range []cardMeta{sampleMeta(), {ID: "x", Deck: "d", Kind: deck.KindBasic}} {
		got, err := decodeMetaValue(encodeMeta(m))
		if err != nil || !reflect.DeepEqual(got, m) {
			t.Fatalf("meta round trip: %+v -> %+v (%v)", m, got, err)
		}
		// The JSON records of schema 1 and 2 still decode.
		js, _ := json.Marshal(m)
		if got, err := decodeMetaValue(js); err != nil || !reflect.DeepEqual(got, m) {
			t.Fatalf("JSON meta: %+v -> %+v (%v)", m, got, err)
		}
	}
	for _, x := range []cardText{{Front: "Why?", Back: "Because\n\n- a", Source: "a.md:3"}, {}} {
		got, err := decodeTextValue(encodeText(x))
		if err != nil || got != x {
			t.Fatalf("text round trip: %+v -> %+v (%v)", x, got, err)
		}
		js, _ := json.Marshal(x)
		if got, err := decodeTextValue(js); err != nil || got != x {
			t.Fatalf("JSON text: %+v -> %+v (%v)", x, got, err)
		}
	}
	for _, bad := range [][]byte{nil, {2}, {metaV1}, append(encodeMeta(sampleMeta()), 0), []byte("{\"id\":")} {
		if _, err := decodeMetaValue(bad); !errors.Is(err, ErrBadRecord) {
			t.Errorf("decodeMetaValue(%q) = %v, want ErrBadRecord", bad, err)
		}
	}
}

func FuzzDecodeMeta(f *testing.F) {
	f.Add(encodeMeta(sampleMeta()))
	f.Add(encodeMeta(cardMeta{}))
	f.Add([]byte(`{"id":"a","deck":"d","kind":"basic","pos":3,"sum":"x"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := decodeMetaValue(b)
		if err != nil || len(b) > 0 && b[0] == '{' {
			return // JSON (schema 1 and 2) need only not panic
		}
		m2, err := decodeMetaValue(encodeMeta(m))
		if err != nil || !reflect.DeepEqual(m2, m) {
			t.Fatalf("round trip: %+v -> %+v (%v)", m, m2, err)
		}
	})
}

func FuzzDecodeText(f *testing.F) {
	f.Add(encodeText(cardText{Front: "f", Back: "b", Source: "s"}))
	f.Add([]byte(`{"front":"f","back":"b"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		x, err := decodeTextValue(b)
		if err != nil || len(b) > 0 && b[0] == '{' {
			return
		}
		x2, err := decodeTextValue(encodeText(x))
		if err != nil || x2 != x {
			t.Fatalf("round trip: %+v -> %+v (%v)", x, x2, err)
		}
	})
}

func FuzzParsePending(f *testing.F) {
	st := sampleState()
	raw := encodeEntry(Entry{Card: "d\x00a", Action: ActRate, Rating: fsrs.Good, HadState: true, Before: st, After: st})
	k1, k2 := newLogKey(st.LastReview, 0), newLogKey(st.LastReview, 1)
	f.Add(pendingBytes([]pendingRec{{key: k1, raw: raw}, {key: k2, raw: raw}}))
	f.Add(pendingBytes([]pendingRec{{key: k1, raw: raw}})[:20])
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		recs, err := parsePending(b)
		if err != nil {
			return
		}
		if again := pendingBytes(recs); !bytes.Equal(again, b) {
			// Only a non-canonical length varint may differ.
			if recs2, err := parsePending(again); err != nil || len(recs2) != len(recs) {
				t.Fatalf("re-encoding changed the list: %d -> %d entries (%v)", len(recs), len(recs2), err)
			}
		}
		for _, r := range recs {
			if r.card == nil || len(r.card) > maxKeyLen {
				t.Fatalf("accepted an entry without a card key: %+v", r)
			}
		}
	})
}
