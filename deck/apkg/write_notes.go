package apkg

import (
	"bufio"
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"

	"github.com/srs-tool/srs/internal/extsort"
	"github.com/srs-tool/srs/internal/pdeflate"
	"github.com/srs-tool/srs/internal/sqlitefile"
)

// Notes and cards reach collection.anki2 in note id order (a card's id is
// its note's), which is not the order they are added or rendered in. The
// row writer appends each rendered card's note row and card columns to a
// spill file, and an apkgNoteRef per note to a sorter; writeNotes reads
// them back in id order to write the notes table and its indexes, passing
// the card columns on, in that order, to a file writeCards reads.
//
// The notes table does not depend on anything reviews change (the cards'
// day-based due dates do, through the collection's first day), so with
// scheduling it is written by a goroutine of its own from the first
// AddReview on, while the caller reads its review log; Close then only
// waits. A card added after that misses the early notes: Close discards
// them and starts the collection over from the whole spill file.

// apkgSpillHeader precedes each card's rows in the spill file: note id,
// length of the note row, length of the card columns.
const apkgSpillHeader = 16

// writeRows encodes each rendered card's note and card rows and appends
// them to the spill file.
func (w *Writer) writeRows() error {
	mod := w.now.Unix()
	var rec sqlitefile.Record
	var buf []byte
	for j := range w.rows {
		buf = append(buf[:0], make([]byte, apkgSpillHeader)...)
		rec.Reset()
		rec.Null() // id, the rowid
		rec.Text(j.guid)
		rec.Int(apkgModelID)
		rec.Int(mod)
		rec.Int(-1) // usn
		rec.Text(j.tags)
		rec.Text(j.flds)
		rec.Numeric(j.sfld) // declared integer: numeric sort fields are stored as numbers
		rec.Int(j.csum)
		rec.Int(0) // flags
		rec.Text("")
		buf = rec.AppendTo(buf)
		noteLen := len(buf) - apkgSpillHeader
		buf = j.sched.appendSpill(buf, j.did, j.csum)
		ref := apkgNoteRef{nid: j.nid, off: w.spillOff + apkgSpillHeader, noteLen: uint32(noteLen), cardLen: uint32(len(buf) - apkgSpillHeader - noteLen)}
		apkgPutSpillHeader(buf, ref)
		if _, err := w.spillW.Write(buf); err != nil {
			return err
		}
		w.spillOff += int64(len(buf))
		if err := w.noteRefs.Add(ref); err != nil {
			return err
		}
	}
	return w.spillW.Flush()
}

func apkgPutSpillHeader(b []byte, r apkgNoteRef) {
	binary.LittleEndian.PutUint64(b, uint64(r.nid))
	binary.LittleEndian.PutUint32(b[8:], r.noteLen)
	binary.LittleEndian.PutUint32(b[12:], r.cardLen)
}

// rescanSpill lists every note in the spill file again, for a collection
// started over.
func (w *Writer) rescanSpill() (*extsort.Sorter[apkgNoteRef], error) {
	refs := w.newNoteRefs()
	r := bufio.NewReaderSize(io.NewSectionReader(w.spill, 0, w.spillOff), 1<<20)
	var h [apkgSpillHeader]byte
	for off := int64(0); off < w.spillOff; {
		if _, err := io.ReadFull(r, h[:]); err != nil {
			refs.Close()
			return nil, fmt.Errorf("reading back note rows: %w", err)
		}
		ref := apkgNoteRef{nid: int64(binary.LittleEndian.Uint64(h[:])), off: off + apkgSpillHeader,
			noteLen: binary.LittleEndian.Uint32(h[8:]), cardLen: binary.LittleEndian.Uint32(h[12:])}
		if _, err := r.Discard(int(ref.noteLen + ref.cardLen)); err != nil {
			refs.Close()
			return nil, fmt.Errorf("reading back note rows: %w", err)
		}
		if err := refs.Add(ref); err != nil {
			refs.Close()
			return nil, err
		}
		off = ref.off + int64(ref.noteLen+ref.cardLen)
	}
	return refs, nil
}

// apkgNoteRef locates a note's row and its card's columns in the spill file.
type apkgNoteRef struct {
	nid, off         int64
	noteLen, cardLen uint32
}

const apkgNoteRefSize = 24

func (w *Writer) newNoteRefs() *extsort.Sorter[apkgNoteRef] {
	return extsort.New("notes", w.dir, apkgSortMemory/apkgNoteRefSize, apkgNoteRefSize, apkgNoteRefCompare, apkgPutNoteRef, apkgGetNoteRef)
}

func apkgNoteRefCompare(a, b apkgNoteRef) int { return cmp.Compare(a.nid, b.nid) } // note ids are unique

func apkgPutNoteRef(b []byte, r apkgNoteRef) {
	binary.LittleEndian.PutUint64(b, uint64(r.nid))
	binary.LittleEndian.PutUint64(b[8:], uint64(r.off))
	binary.LittleEndian.PutUint32(b[16:], r.noteLen)
	binary.LittleEndian.PutUint32(b[20:], r.cardLen)
}

func apkgGetNoteRef(b []byte) apkgNoteRef {
	return apkgNoteRef{nid: int64(binary.LittleEndian.Uint64(b)), off: int64(binary.LittleEndian.Uint64(b[8:])),
		noteLen: binary.LittleEndian.Uint32(b[16:]), cardLen: binary.LittleEndian.Uint32(b[20:])}
}

// apkgCollection is collection.anki2 being built: the pages written so
// far, deflated as they come, and the B-trees' root pages.
type apkgCollection struct {
	dst      *os.File // the deflated pages
	deflater *pdeflate.Writer
	db       *sqlitefile.File
	roots    map[string]uint32
	cards    *os.File // card columns in note id order, from writeNotes to writeCards
}

func (w *Writer) newCollection() (*apkgCollection, error) {
	dst, err := os.CreateTemp(w.dir, "collection-*")
	if err != nil {
		return nil, err
	}
	cards, err := os.CreateTemp(w.dir, "cards-*")
	if err != nil {
		dst.Close()
		return nil, err
	}
	d := pdeflate.NewWriter(dst)
	return &apkgCollection{dst: dst, deflater: d, db: sqlitefile.New(d), roots: map[string]uint32{}, cards: cards}, nil
}

// discard stops the collection's goroutines and removes its files.
func (c *apkgCollection) discard() {
	c.deflater.Close()
	for _, f := range []*os.File{c.dst, c.cards} {
		f.Close()
		os.Remove(f.Name())
	}
}

// startNotes writes the notes table from here on in a goroutine of its
// own, once every card added so far is rendered and spilled.
func (w *Writer) startNotes() error {
	w.stop()
	if w.asyncErr() != nil {
		return nil // Close reports it
	}
	c, err := w.newCollection()
	if err != nil {
		return err
	}
	w.coll = c
	refs := w.noteRefs
	w.noteRefs = nil
	done := make(chan error, 1)
	w.notesDone = done
	go func() { done <- w.writeNotes(c, refs) }()
	return nil
}

// waitNotes waits for the notes started by startNotes, if any.
func (w *Writer) waitNotes() error {
	if w.notesDone != nil {
		w.notesErr = <-w.notesDone
		w.notesDone = nil
	}
	return w.notesErr
}

// notesWritten brings the collection to where writeNotes leaves it,
// waiting for the early notes or writing them now.
func (w *Writer) notesWritten() error {
	if err := w.waitNotes(); err != nil {
		return err
	}
	refs := w.noteRefs
	if w.late {
		// Cards came after the early notes: start over with every card.
		w.coll.discard()
		w.coll = nil
		refs.Close()
		var err error
		if refs, err = w.rescanSpill(); err != nil {
			return err
		}
	} else if w.coll != nil {
		return nil
	}
	w.noteRefs = nil
	c, err := w.newCollection()
	if err != nil {
		refs.Close()
		return err
	}
	w.coll = c
	return w.writeNotes(c, refs)
}

// writeNotes writes the notes table and its indexes, in note id order, and
// the card columns, in the same order, for writeCards.
func (w *Writer) writeNotes(c *apkgCollection, refs *extsort.Sorter[apkgNoteRef]) error {
	defer refs.Close()
	notes, byUsn, bySum := sqlitefile.NewTable(c.db), sqlitefile.NewIndex(c.db), sqlitefile.NewIndex(c.db)
	csums := w.newPairSorter("csum")
	defer csums.Close()
	cards := bufio.NewWriterSize(c.cards, 256<<10)
	var rec sqlitefile.Record
	var buf, entry []byte
	err := refs.Each(func(r apkgNoteRef) error {
		n := int(r.noteLen + r.cardLen)
		buf = slices.Grow(buf[:0], n)[:n]
		if _, err := w.spill.ReadAt(buf, r.off); err != nil {
			return fmt.Errorf("reading back note rows: %w", err)
		}
		if err := notes.Insert(r.nid, buf[:r.noteLen]); err != nil {
			return err
		}
		entry = apkgPairRecord(&rec, entry[:0], -1, r.nid)
		if err := byUsn.Add(entry); err != nil {
			return err
		}
		card := buf[r.noteLen:]
		csum, err := apkgSpilledCSum(card)
		if err != nil {
			return err
		}
		if err := csums.Add(apkgPair{csum, r.nid}); err != nil {
			return err
		}
		var h [12]byte
		binary.LittleEndian.PutUint64(h[:], uint64(r.nid))
		binary.LittleEndian.PutUint32(h[8:], r.cardLen)
		cards.Write(h[:])
		_, err = cards.Write(card)
		return err
	})
	if err != nil {
		return err
	}
	if err := cards.Flush(); err != nil {
		return fmt.Errorf("spilling card rows: %w", err)
	}
	err = csums.Each(func(p apkgPair) error {
		entry = apkgPairRecord(&rec, entry[:0], p.k, p.rowid)
		return bySum.Add(entry)
	})
	if err != nil {
		return err
	}
	return finishTrees(c.roots, []apkgTree{{"notes", notes}, {"ix_notes_usn", byUsn}, {"ix_notes_csum", bySum}})
}

// apkgSchedKey is an ix_cards_sched entry: (did, queue, due) and the card id.
type apkgSchedKey struct {
	did, due, cid int64
	queue         int8
}

func apkgSchedCompare(a, b apkgSchedKey) int {
	if c := cmp.Compare(a.did, b.did); c != 0 {
		return c
	}
	if c := cmp.Compare(a.queue, b.queue); c != 0 {
		return c
	}
	if c := cmp.Compare(a.due, b.due); c != 0 {
		return c
	}
	return cmp.Compare(a.cid, b.cid)
}

func apkgPutSchedKey(b []byte, k apkgSchedKey) {
	binary.LittleEndian.PutUint64(b, uint64(k.did))
	binary.LittleEndian.PutUint64(b[8:], uint64(k.due))
	binary.LittleEndian.PutUint64(b[16:], uint64(k.cid))
	b[24] = byte(k.queue)
}

func apkgGetSchedKey(b []byte) apkgSchedKey {
	return apkgSchedKey{did: int64(binary.LittleEndian.Uint64(b)), due: int64(binary.LittleEndian.Uint64(b[8:])),
		cid: int64(binary.LittleEndian.Uint64(b[16:])), queue: int8(b[24])}
}

// writeCards writes the cards table and its indexes from the card columns
// writeNotes left, once the collection's first day is known.
func (w *Writer) writeCards(c *apkgCollection) error {
	cards := sqlitefile.NewTable(c.db)
	byUsn, byNote, bySched := sqlitefile.NewIndex(c.db), sqlitefile.NewIndex(c.db), sqlitefile.NewIndex(c.db)
	sched := extsort.New("sched", w.dir, apkgSortMemory/32, 25, apkgSchedCompare, apkgPutSchedKey, apkgGetSchedKey)
	defer sched.Close()
	end, err := c.cards.Seek(0, io.SeekCurrent)
	if err != nil {
		return err
	}
	r := bufio.NewReaderSize(io.NewSectionReader(c.cards, 0, end), 256<<10)
	mod := w.now.Unix()
	var rec sqlitefile.Record
	var buf, payload []byte
	for {
		var h [12]byte
		if _, err := io.ReadFull(r, h[:]); err == io.EOF {
			break
		} else if err != nil {
			return fmt.Errorf("reading back card rows: %w", err)
		}
		nid, n := int64(binary.LittleEndian.Uint64(h[:])), int(binary.LittleEndian.Uint32(h[8:]))
		buf = slices.Grow(buf[:0], n)[:n]
		if _, err := io.ReadFull(r, buf); err != nil {
			return fmt.Errorf("reading back card rows: %w", err)
		}
		s, err := apkgReadSpill(buf)
		if err != nil {
			return err
		}
		if s.dayBased {
			s.due -= w.minDay // days since the collection's creation
		}
		rec.Reset()
		rec.Null() // id, the rowid
		rec.Int(nid)
		rec.Int(s.did)
		rec.Int(0) // ord
		rec.Int(mod)
		rec.Int(-1) // usn
		rec.Int(int64(s.typ))
		rec.Int(int64(s.queue))
		rec.Int(s.due)
		rec.Int(s.ivl)
		rec.Int(s.factor)
		rec.Int(s.reps)
		rec.Int(s.lapses)
		rec.Int(s.left)
		rec.Int(0) // odue
		rec.Int(0) // odid
		rec.Int(0) // flags
		rec.Text(s.data)
		payload = rec.AppendTo(payload[:0])
		if err := cards.Insert(nid, payload); err != nil {
			return err
		}
		payload = apkgPairRecord(&rec, payload[:0], -1, nid)
		if err := byUsn.Add(payload); err != nil {
			return err
		}
		if err := byNote.Add(apkgPairRecord(&rec, payload[:0], nid, nid)); err != nil {
			return err
		}
		if err := sched.Add(apkgSchedKey{did: s.did, queue: int8(s.queue), due: s.due, cid: nid}); err != nil {
			return err
		}
	}
	err = sched.Each(func(k apkgSchedKey) error {
		rec.Reset()
		rec.Int(k.did)
		rec.Int(int64(k.queue))
		rec.Int(k.due)
		rec.Int(k.cid)
		payload = rec.AppendTo(payload[:0])
		return bySched.Add(payload)
	})
	if err != nil {
		return err
	}
	return finishTrees(c.roots, []apkgTree{{"cards", cards}, {"ix_cards_usn", byUsn}, {"ix_cards_nid", byNote}, {"ix_cards_sched", bySched}})
}

// apkgSpilledCSum reads a note's checksum from its card's spilled columns.
func apkgSpilledCSum(b []byte) (int64, error) {
	_, n := binary.Varint(b) // the deck
	if n > 0 {
		csum, m := binary.Varint(b[n:])
		if m > 0 {
			return csum, nil
		}
	}
	return 0, errors.New("reading back card rows: damaged spill file")
}
