package apkg

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/srs-tool/srs/internal/sqlitefile"
)

// writeNotes writes the notes and cards tables and their indexes. A
// B-tree is written in key order, so the cards are sorted by id for the
// tables (their note rows read back from Writer.rows) and the indexes on
// (usn) and (nid), then by checksum, then by deck, queue and due date for
// the other two indexes.
func (w *Writer) writeNotes(db *sqlitefile.File, roots map[string]uint32) error {
	notes := w.notes
	w.notes = nil
	mod := w.now.Unix()
	for i := range notes {
		if s := &notes[i].sched; s.dayBased {
			s.due -= w.minDay // days since the collection's creation
		}
	}

	slices.SortFunc(notes, func(a, b apkgNote) int { return cmp.Compare(a.nid, b.nid) })
	noteRows, noteUsn := sqlitefile.NewTable(db), sqlitefile.NewIndex(db)
	cardRows, cardUsn, cardNote := sqlitefile.NewTable(db), sqlitefile.NewIndex(db), sqlitefile.NewIndex(db)
	var rec sqlitefile.Record
	var b, row []byte
	for _, n := range notes {
		row = slices.Grow(row[:0], n.size)[:n.size]
		if _, err := w.rows.ReadAt(row, n.off); err != nil {
			return fmt.Errorf("reading back note rows: %w", err)
		}
		if err := noteRows.Insert(n.nid, row); err != nil {
			return err
		}
		s := n.sched
		rec.Reset()
		rec.Null() // id, the rowid
		rec.Int(n.nid)
		rec.Int(n.did)
		rec.Int(0) // ord
		rec.Int(mod)
		rec.Int(-1) // usn
		rec.Int(s.typ)
		rec.Int(s.queue)
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
		b = rec.AppendTo(b[:0])
		if err := cardRows.Insert(n.nid, b); err != nil {
			return err
		}
		b = apkgIndexEntry(&rec, b[:0], -1, n.nid)
		if err := noteUsn.Add(b); err != nil {
			return err
		}
		if err := cardUsn.Add(b); err != nil {
			return err
		}
		b = apkgIndexEntry(&rec, b[:0], n.nid, n.nid)
		if err := cardNote.Add(b); err != nil {
			return err
		}
	}

	slices.SortFunc(notes, func(a, b apkgNote) int { return cmp.Or(cmp.Compare(a.csum, b.csum), cmp.Compare(a.nid, b.nid)) })
	noteSum := sqlitefile.NewIndex(db)
	for _, n := range notes {
		b = apkgIndexEntry(&rec, b[:0], n.csum, n.nid)
		if err := noteSum.Add(b); err != nil {
			return err
		}
	}

	slices.SortFunc(notes, func(a, b apkgNote) int {
		return cmp.Or(cmp.Compare(a.did, b.did), cmp.Compare(a.sched.queue, b.sched.queue),
			cmp.Compare(a.sched.due, b.sched.due), cmp.Compare(a.nid, b.nid))
	})
	cardSched := sqlitefile.NewIndex(db)
	for _, n := range notes {
		rec.Reset()
		rec.Int(n.did)
		rec.Int(n.sched.queue)
		rec.Int(n.sched.due)
		rec.Int(n.nid)
		b = rec.AppendTo(b[:0])
		if err := cardSched.Add(b); err != nil {
			return err
		}
	}
	return finishTrees(roots, apkgTree{"notes", noteRows}, apkgTree{"ix_notes_usn", noteUsn}, apkgTree{"ix_notes_csum", noteSum},
		apkgTree{"cards", cardRows}, apkgTree{"ix_cards_usn", cardUsn}, apkgTree{"ix_cards_nid", cardNote}, apkgTree{"ix_cards_sched", cardSched})
}

// apkgIndexEntry appends the index record (k, rowid) to b.
func apkgIndexEntry(rec *sqlitefile.Record, b []byte, k, rowid int64) []byte {
	rec.Reset()
	rec.Int(k)
	rec.Int(rowid)
	return rec.AppendTo(b)
}

// apkgTree is a B-tree of the collection and its name in the schema.
type apkgTree struct {
	name string
	t    *sqlitefile.Tree
}

// finishTrees finishes B-trees, in order, and records their root pages.
func finishTrees(roots map[string]uint32, trees ...apkgTree) error {
	for _, t := range trees {
		root, err := t.t.Finish()
		if err != nil {
			return err
		}
		roots[t.name] = root
	}
	return nil
}
