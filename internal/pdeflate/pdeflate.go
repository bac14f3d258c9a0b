// Package pdeflate deflates a long stream on every core, as pigz does, and
// puts it into a zip archive as one member: the .apkg writer compresses
// collection.anki2 while it builds it, so that zipping adds little to an
// export (deflating the file afterwards took as long as building it).
package pdeflate

import (
	"archive/zip"
	"bytes"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"runtime"
	"sync"
	"time"

	"github.com/klauspost/compress/flate"
)

// Writer compresses a stream while it is written. The stream is cut into
// chunks that goroutines deflate independently, each ending with a sync
// flush so that the chunks concatenate into one deflate stream. Compressed
// chunks go to a file in order; memory holds only the chunks in flight.
// WriteZip later puts a head of the caller's (written last, such as a
// database's first page) in front and ends the stream.
type Writer struct {
	dst    *os.File // the compressed chunks, in order
	cur    []byte   // the chunk being filled
	size   int64    // bytes written
	crc    uint32   // their CRC-32
	work   chan *chunk
	order  chan *chunk
	free   chan []byte // chunk buffers for reuse
	wg     sync.WaitGroup
	done   chan struct{} // closed when the collector has written every chunk
	mu     sync.Mutex
	err    error
	closed bool
}

type chunk struct {
	in   []byte
	out  bytes.Buffer
	done chan struct{}
}

// chunkSize is large enough that restarting the compressor's window
// at each chunk costs nothing noticeable in size.
const chunkSize = 1 << 20

// NewWriter makes a Writer whose compressed chunks go to dst, an empty
// file it reads back in WriteZip.
func NewWriter(dst *os.File) *Writer {
	n := runtime.GOMAXPROCS(0)
	d := &Writer{dst: dst, work: make(chan *chunk, n), order: make(chan *chunk, 2*n),
		free: make(chan []byte, 3*n+1), done: make(chan struct{})}
	for range n {
		d.wg.Add(1)
		go func() {
			defer d.wg.Done()
			fw, _ := flate.NewWriter(io.Discard, flate.BestSpeed) // BestSpeed is a valid level
			for c := range d.work {
				fw.Reset(&c.out)
				_, err := fw.Write(c.in)
				if err == nil {
					err = fw.Flush()
				}
				if err != nil {
					d.fail(err)
				}
				close(c.done)
			}
		}()
	}
	go d.collect()
	return d
}

func (d *Writer) fail(err error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.err == nil {
		d.err = err
	}
}

func (d *Writer) failed() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.err
}

// collect writes the compressed chunks in order and recycles their buffers.
func (d *Writer) collect() {
	defer close(d.done)
	for c := range d.order {
		<-c.done
		if d.failed() == nil {
			if _, err := d.dst.Write(c.out.Bytes()); err != nil {
				d.fail(err)
			}
		}
		select {
		case d.free <- c.in[:0]:
		default:
		}
	}
}

// Write adds p to the stream.
func (d *Writer) Write(p []byte) (int, error) {
	if err := d.failed(); err != nil {
		return 0, err
	}
	d.size += int64(len(p))
	d.crc = crc32.Update(d.crc, crc32.IEEETable, p)
	n := len(p)
	for len(p) > 0 {
		if d.cur == nil {
			select {
			case d.cur = <-d.free:
			default:
				d.cur = make([]byte, 0, chunkSize)
			}
		}
		k := min(len(p), chunkSize-len(d.cur))
		d.cur = append(d.cur, p[:k]...)
		p = p[k:]
		if len(d.cur) == chunkSize {
			d.send()
		}
	}
	return n, nil
}

func (d *Writer) send() {
	c := &chunk{in: d.cur, done: make(chan struct{})}
	d.cur = nil
	d.order <- c // blocks while too many chunks are in flight
	d.work <- c
}

// Close compresses what is left and waits for every chunk to be written.
func (d *Writer) Close() error {
	if d.closed {
		return d.failed()
	}
	d.closed = true
	if len(d.cur) > 0 {
		d.send()
	}
	close(d.work)
	close(d.order)
	d.wg.Wait()
	<-d.done
	return d.failed()
}

// deflateChunk deflates p as a chunk of a longer stream: ending in a
// sync flush, or as the stream's last block when final is set.
func deflateChunk(p []byte, final bool) ([]byte, error) {
	var b bytes.Buffer
	fw, err := flate.NewWriter(&b, flate.BestSpeed)
	if err != nil {
		return nil, err
	}
	if _, err := fw.Write(p); err != nil {
		return nil, err
	}
	if final {
		err = fw.Close()
	} else {
		err = fw.Flush()
	}
	return b.Bytes(), err
}

// crc32Combine is the CRC-32 (IEEE) of a sequence A then B, from crcA,
// crcB and len(B): appending len(B) zero bytes to A multiplies its CRC by
// x^(8·len(B)) modulo the polynomial, computed by squaring the operator
// for one zero bit (the method of zlib's crc32_combine).
func crc32Combine(crcA, crcB uint32, lenB int64) uint32 {
	if lenB <= 0 {
		return crcA
	}
	var odd, even [32]uint32 // operators for 2^k zero bits
	odd[0] = crc32.IEEE
	for n, row := 1, uint32(1); n < 32; n, row = n+1, row<<1 {
		odd[n] = row
	}
	gf2Square(&even, &odd) // two zero bits
	gf2Square(&odd, &even) // four
	for {
		gf2Square(&even, &odd) // 8, 32, ... bits: 1, 4, ... bytes
		if lenB&1 != 0 {
			crcA = gf2Times(&even, crcA)
		}
		if lenB >>= 1; lenB == 0 {
			break
		}
		gf2Square(&odd, &even)
		if lenB&1 != 0 {
			crcA = gf2Times(&odd, crcA)
		}
		if lenB >>= 1; lenB == 0 {
			break
		}
	}
	return crcA ^ crcB
}

func gf2Times(mat *[32]uint32, vec uint32) uint32 {
	var sum uint32
	for i := 0; vec != 0; i, vec = i+1, vec>>1 {
		if vec&1 != 0 {
			sum ^= mat[i]
		}
	}
	return sum
}

func gf2Square(square, mat *[32]uint32) {
	for n := range mat {
		square[n] = gf2Times(mat, mat[n])
	}
}

// msdosTime is t in the MS-DOS date and time fields of a zip header,
// which zip.Writer.CreateRaw leaves to the caller.
func msdosTime(t time.Time) (date, tm uint16) {
	if t.Year() < 1980 {
		t = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	date = uint16(t.Day() + int(t.Month())<<5 + (t.Year()-1980)<<9)
	tm = uint16(t.Second()/2 + t.Minute()<<5 + t.Hour()<<11)
	return date, tm
}

// rawHeader is the zip header of a member whose deflated data we
// write ourselves, with the fields zip.Writer.CreateHeader would fill.
func rawHeader(name string, modified time.Time, crc uint32, compressed, size int64) *zip.FileHeader {
	fh := &zip.FileHeader{Name: name, Method: zip.Deflate, Modified: modified,
		CreatorVersion: 20, ReaderVersion: 20, CRC32: crc,
		CompressedSize64: uint64(compressed), UncompressedSize64: uint64(size)}
	fh.ModifiedDate, fh.ModifiedTime = msdosTime(modified)
	if size >= 1<<32-1 || compressed >= 1<<32-1 {
		fh.ReaderVersion = 45 // zip64
	}
	return fh
}

// WriteZip writes the zip member name, modified at modified: head, then
// the stream the closed Writer compressed, then the end of the deflate
// stream.
func (d *Writer) WriteZip(zw *zip.Writer, name string, modified time.Time, head []byte) error {
	hz, err := deflateChunk(head, false)
	if err != nil {
		return err
	}
	tail, err := deflateChunk(nil, true)
	if err != nil {
		return err
	}
	body, err := d.dst.Seek(0, io.SeekEnd)
	if err != nil {
		return err
	}
	crc := crc32Combine(crc32.ChecksumIEEE(head), d.crc, d.size)
	fh := rawHeader(name, modified, crc, int64(len(hz))+body+int64(len(tail)), int64(len(head))+d.size)
	zf, err := zw.CreateRaw(fh)
	if err != nil {
		return err
	}
	if _, err := zf.Write(hz); err != nil {
		return err
	}
	if _, err := io.Copy(zf, io.NewSectionReader(d.dst, 0, body)); err != nil {
		return fmt.Errorf("copying the compressed %s: %w", name, err)
	}
	_, err = zf.Write(tail)
	return err
}
