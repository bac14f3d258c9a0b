// Package extsort sorts more fixed-size records than should be held in
// memory: past a bound they are spilled to a temporary file as sorted
// runs, which are merged as the records are read back. The .apkg writer
// uses it for the rows and index entries it must write in key order but
// receives in another.
package extsort

import (
	"bufio"
	"container/heap"
	"fmt"
	"io"
	"os"
	"slices"
)

// Sorter sorts fixed-size records in bounded memory. Up to max records
// are sorted in memory; past that they are spilled to a temporary file as
// a sorted run, and Each merges the runs with the records still in memory. A run is sorted and written by a goroutine of
// its own while the next fills, so a sorter holds up to 2×max records.
// cmp must order records totally (ties broken by something in the record)
// for the output order to be defined.
type Sorter[T any] struct {
	cmp  func(a, b T) int
	size int             // bytes per record on file
	put  func([]byte, T) // encodes a record into size bytes
	get  func([]byte) T  // decodes it
	max  int             // records held in memory
	dir  string          // where the run file goes
	name string          // for errors
	buf  []T             // records not yet spilled
	runs []int64         // records in each run

	// The run file and its writer belong to the spill in progress.
	f   *os.File
	bw  *bufio.Writer
	rec []byte

	spilling chan error // the spill in progress, if any
	inflight []T        // the records it is writing
	spare    []T        // the buffer of the last spill, for reuse
}

// New makes a sorter of records that put encodes into size bytes and get
// decodes, ordered by cmp, holding up to max of them in memory; its run
// file goes to dir and errors name it by name.
func New[T any](name, dir string, max, size int, cmp func(a, b T) int, put func([]byte, T), get func([]byte) T) *Sorter[T] {
	return &Sorter[T]{name: name, dir: dir, max: max, size: size, cmp: cmp, put: put, get: get}
}

// Add adds a record.
func (s *Sorter[T]) Add(v T) error {
	if s.buf == nil {
		s.buf = make([]T, 0, min(s.max, 4096))
	}
	s.buf = append(s.buf, v)

	if len(s.buf) >= s.max {
		return s.spill()
	}
	return nil
}

// spill starts writing the records in memory to the run file as one
// sorted run, once the previous spill is done.
func (s *Sorter[T]) spill() error {
	if err := s.wait(); err != nil {
		return err
	}
	if s.f == nil {
		f, err := os.CreateTemp(s.dir, s.name+"-*")
		if err != nil {
			return fmt.Errorf("sorting %s: %w", s.name, err)
		}
		s.f = f
		s.bw = bufio.NewWriterSize(f, 256<<10)
		s.rec = make([]byte, s.size)
	}
	full := s.buf
	if s.spare == nil {
		s.spare = make([]T, 0, s.max) // the buffer filled by appends is as large by now
	}
	s.buf, s.spare = s.spare[:0], nil
	s.runs = append(s.runs, int64(len(full)))
	s.inflight = full
	done := make(chan error, 1)
	s.spilling = done
	go func() {
		slices.SortFunc(full, s.cmp)
		for _, v := range full {
			s.put(s.rec, v)
			s.bw.Write(s.rec)
		}
		done <- s.bw.Flush()
	}()
	return nil
}

// wait waits for the spill in progress, if any.
func (s *Sorter[T]) wait() error {
	if s.spilling == nil {
		return nil
	}
	err := <-s.spilling
	s.spilling = nil
	s.spare, s.inflight = s.inflight, nil
	if err != nil {
		return fmt.Errorf("sorting %s: %w", s.name, err)
	}
	return nil
}

// Each calls fn with every record in order, then frees the sorter's memory
// and file.
func (s *Sorter[T]) Each(fn func(T) error) error {
	defer s.Close()
	if err := s.wait(); err != nil {
		return err
	}
	s.spare = nil
	slices.SortFunc(s.buf, s.cmp)
	if len(s.runs) == 0 {
		for _, v := range s.buf {
			if err := fn(v); err != nil {
				return err
			}
		}
		return nil
	}
	m := &merge[T]{cmp: s.cmp}
	off := int64(0)
	for _, n := range s.runs {
		r := bufio.NewReaderSize(io.NewSectionReader(s.f, off, n*int64(s.size)), 64<<10)
		off += n * int64(s.size)
		m.add(&run[T]{r: r, left: n, rec: make([]byte, s.size), get: s.get})
	}
	m.add(&run[T]{mem: s.buf})
	if m.err != nil {
		return fmt.Errorf("sorting %s: %w", s.name, m.err)
	}
	for m.Len() > 0 {
		src := m.srcs[0]
		if err := fn(src.cur); err != nil {
			return err
		}
		ok, err := src.next()
		if err != nil {
			return fmt.Errorf("sorting %s: %w", s.name, err)
		}
		if ok {
			heap.Fix(m, 0)
		} else {
			heap.Pop(m)
		}
	}
	return nil
}

// Close frees the sorter's memory and file; Each does it too.
func (s *Sorter[T]) Close() {
	s.wait()
	s.buf, s.spare = nil, nil
	if s.f != nil {
		s.f.Close()
		os.Remove(s.f.Name())
		s.f = nil
	}
}

// run is a sorted source being merged: a run on file or the records
// left in memory.
type run[T any] struct {
	r    *bufio.Reader
	left int64
	rec  []byte
	get  func([]byte) T
	mem  []T
	cur  T
	ord  int // position among the sources: ties go to the earlier
}

func (s *run[T]) next() (bool, error) {
	if s.r == nil {
		if len(s.mem) == 0 {
			return false, nil
		}
		s.cur, s.mem = s.mem[0], s.mem[1:]
		return true, nil
	}
	if s.left == 0 {
		return false, nil
	}
	if _, err := io.ReadFull(s.r, s.rec); err != nil {
		return false, err
	}
	s.left--
	s.cur = s.get(s.rec)
	return true, nil
}

// merge is a heap of sources, smallest current record first.
type merge[T any] struct {
	cmp   func(a, b T) int
	srcs  []*run[T]
	added int
	err   error
}

func (m *merge[T]) Len() int { return len(m.srcs) }
func (m *merge[T]) Less(i, j int) bool {
	if c := m.cmp(m.srcs[i].cur, m.srcs[j].cur); c != 0 {
		return c < 0
	}
	return m.srcs[i].ord < m.srcs[j].ord
}
func (m *merge[T]) Swap(i, j int) { m.srcs[i], m.srcs[j] = m.srcs[j], m.srcs[i] }
func (m *merge[T]) Push(x any)    { m.srcs = append(m.srcs, x.(*run[T])) }
func (m *merge[T]) Pop() any {
	x := m.srcs[len(m.srcs)-1]
	m.srcs = m.srcs[:len(m.srcs)-1]
	return x
}

// add positions s on its first record and adds it, if it has one.
func (m *merge[T]) add(s *run[T]) {
	s.ord = m.added
	m.added++
	ok, err := s.next()
	if err != nil && m.err == nil {
		m.err = err
	}
	if ok {
		heap.Push(m, s)
	}
}
