package apkg

import (
	"archive/zip"
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/klauspost/compress/zstd"
)

// apkgArchive is an opened package with its limits. Every byte read out of
// it is counted against those limits as it arrives.
type apkgArchive struct {
	ctx     context.Context // cancelling it stops reads between blocks
	name    string          // the file as errors name it
	zr      *zip.Reader
	lim     Limits
	members map[string]*zip.File
	total   int64 // decompressed bytes handed out so far
}

// newAPKGArchive opens f as a zip after checking its size and counting
// its central directory entries: archive/zip would otherwise allocate a File
// for every header in the directory before we could look at the count.
func newAPKGArchive(f *os.File, name string, lim Limits) (*apkgArchive, error) {
	st, err := f.Stat()
	if err != nil {
		return nil, apkgError(name, "%v", err)
	}
	size := st.Size()
	if lim.MaxFileSize > 0 && size > lim.MaxFileSize {
		return nil, apkgError(name, "file is %d bytes, over the limit of %d", size, lim.MaxFileSize)
	}
	if lim.MaxEntries > 0 {
		n, err := apkgCountZipEntries(f, size, lim.MaxEntries)
		if err != nil {
			return nil, apkgError(name, "not a valid zip archive: %v", err)
		}
		if n > lim.MaxEntries {
			return nil, apkgError(name, "zip has more than %d members", lim.MaxEntries)
		}
	}
	zr, err := zip.NewReader(f, size)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) { // member names are never used as paths
		return nil, apkgError(name, "not a valid zip archive: %v", err)
	}
	if lim.MaxEntries > 0 && len(zr.File) > lim.MaxEntries {
		return nil, apkgError(name, "zip has %d members, over the limit of %d", len(zr.File), lim.MaxEntries)
	}
	a := &apkgArchive{ctx: context.Background(), name: name, zr: zr, lim: lim, members: make(map[string]*zip.File, len(zr.File))}
	for _, m := range zr.File {
		if _, dup := a.members[m.Name]; dup {
			// Two members with one name: which one Anki would read depends
			// on its zip library, so refuse rather than guess.
			return nil, apkgError(name, "zip member %q appears twice", m.Name)
		}
		a.members[m.Name] = m
	}
	return a, nil
}

func (a *apkgArchive) has(member string) bool { _, ok := a.members[member]; return ok }

// open returns a reader of member's content, decompressed by zstd when
// zstdInner is set, that fails once the limits are passed.
func (a *apkgArchive) open(member string, zstdInner bool) (io.ReadCloser, error) {
	m, ok := a.members[member]
	if !ok {
		return nil, apkgError(a.name, "zip member %q is missing", member)
	}
	if m.Method != zip.Store && m.Method != zip.Deflate {
		// Anki's zip library only knows these two.
		return nil, apkgError(a.name, "zip member %q: unsupported compression method %d", member, m.Method)
	}
	rc, err := m.Open()
	if err != nil {
		return nil, apkgError(a.name, "zip member %q: %v", member, err)
	}
	compressed := int64(m.CompressedSize64) // archive/zip never reads past it, so it bounds the input
	raw := &apkgLimitedReader{a: a, member: member, r: rc, compressed: compressed}
	if !zstdInner {
		raw.counts = true
		return struct {
			io.Reader
			io.Closer
		}{raw, rc}, nil
	}
	maxWindow := uint64(128 << 20)
	if a.lim.MaxEntrySize > 0 && uint64(a.lim.MaxEntrySize) < maxWindow {
		maxWindow = max(uint64(a.lim.MaxEntrySize), zstd.MinWindowSize)
	}
	maxMem := uint64(1 << 40)
	if a.lim.MaxEntrySize > 0 {
		maxMem = uint64(a.lim.MaxEntrySize)
	}
	zr, err := zstd.NewReader(raw, zstd.WithDecoderConcurrency(1), zstd.WithDecoderLowmem(true),
		zstd.WithDecoderMaxWindow(maxWindow), zstd.WithDecoderMaxMemory(maxMem))
	if err != nil {
		rc.Close()
		return nil, apkgError(a.name, "zip member %q: %v", member, err)
	}
	out := &apkgLimitedReader{a: a, member: member, r: zr, compressed: compressed, counts: true}
	return struct {
		io.Reader
		io.Closer
	}{out, apkgCloser(func() error { zr.Close(); return rc.Close() })}, nil
}

type apkgCloser func() error

func (f apkgCloser) Close() error { return f() }

// read returns member's whole content; limit, when positive, is a tighter
// bound than MaxEntrySize for members that are small by nature.
func (a *apkgArchive) read(member string, zstdInner bool, limit int64) ([]byte, error) {
	rc, err := a.open(member, zstdInner)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	r := io.Reader(rc)
	if limit > 0 {
		r = io.LimitReader(rc, limit+1)
	}
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, a.readError(member, err)
	}
	if limit > 0 && int64(len(b)) > limit {
		return nil, apkgError(a.name, "zip member %q is over %d bytes", member, limit)
	}
	return b, nil
}

// copyTo streams member's content into w.
func (a *apkgArchive) copyTo(w io.Writer, member string, zstdInner bool) error {
	rc, err := a.open(member, zstdInner)
	if err != nil {
		return err
	}
	defer rc.Close()
	if _, err := io.Copy(w, rc); err != nil {
		return a.readError(member, err)
	}
	return nil
}

func (a *apkgArchive) readError(member string, err error) error {
	if cerr := a.ctx.Err(); cerr != nil {
		return cerr
	}
	var le *apkgLimitError
	if errors.As(err, &le) {
		return le
	}
	return apkgError(a.name, "zip member %q: %v", member, err)
}

type apkgLimitError struct{ msg string }

func (e *apkgLimitError) Error() string { return e.msg }

// apkgLimitedReader counts the bytes it passes on and fails, without ever
// trusting a declared size, once the member exceeds MaxEntrySize, all
// members together exceed MaxTotalSize (when counts is set), or a member past
// apkgRatioFloor exceeds MaxRatio against its compressed size.
type apkgLimitedReader struct {
	a          *apkgArchive
	member     string
	r          io.Reader
	n          int64
	compressed int64
	counts     bool
}

func (l *apkgLimitedReader) Read(p []byte) (int, error) {
	if err := l.a.ctx.Err(); err != nil {
		return 0, err
	}
	n, err := l.r.Read(p)
	l.n += int64(n)
	lim := l.a.lim
	if lim.MaxEntrySize > 0 && l.n > lim.MaxEntrySize {
		return n, &apkgLimitError{fmt.Sprintf("%s: zip member %q decompresses past the limit of %d bytes", l.a.name, l.member, lim.MaxEntrySize)}
	}
	if lim.MaxRatio > 0 && l.n > apkgRatioFloor && float64(l.n) > lim.MaxRatio*float64(max(l.compressed, 1)) {
		return n, &apkgLimitError{fmt.Sprintf("%s: zip member %q expands more than %g times (%d bytes compressed); refusing a likely zip bomb", l.a.name, l.member, lim.MaxRatio, l.compressed)}
	}
	if l.counts {
		l.a.total += int64(n)
		if lim.MaxTotalSize > 0 && l.a.total > lim.MaxTotalSize {
			return n, &apkgLimitError{fmt.Sprintf("%s: members decompress past the total limit of %d bytes (at zip member %q)", l.a.name, lim.MaxTotalSize, l.member)}
		}
	}
	return n, err
}

// apkgCountZipEntries counts central directory headers the way archive/zip
// reads them (until the first bad one), stopping once limit is passed.
func apkgCountZipEntries(f io.ReaderAt, size int64, limit int) (int, error) {
	dirOff, eocdOff, err := apkgZipDirectoryStart(f, size)
	if err != nil {
		return 0, err
	}
	br := bufio.NewReader(io.NewSectionReader(f, dirOff, max(eocdOff-dirOff, 0)))
	var hdr [46]byte
	n := 0
	for n <= limit {
		if _, err := io.ReadFull(br, hdr[:]); err != nil {
			break
		}
		if binary.LittleEndian.Uint32(hdr[:4]) != 0x02014b50 {
			break
		}
		skip := int64(binary.LittleEndian.Uint16(hdr[28:])) + int64(binary.LittleEndian.Uint16(hdr[30:])) + int64(binary.LittleEndian.Uint16(hdr[32:]))
		if _, err := br.Discard(int(skip)); err != nil {
			break
		}
		n++
	}
	return n, nil
}

// apkgZipDirectoryStart finds the end-of-central-directory record (and its zip64
// form) and returns where the central directory starts and where it ends.
func apkgZipDirectoryStart(f io.ReaderAt, size int64) (dirOff, eocdOff int64, err error) {
	const eocdLen = 22
	if size < eocdLen {
		return 0, 0, errors.New("too short")
	}
	tail := min(size, eocdLen+65535)
	buf := make([]byte, tail)
	if _, err := f.ReadAt(buf, size-tail); err != nil && err != io.EOF {
		return 0, 0, err
	}
	p := -1
	for i := len(buf) - eocdLen; i >= 0; i-- {
		if binary.LittleEndian.Uint32(buf[i:]) == 0x06054b50 {
			p = i
			break
		}
	}
	if p < 0 {
		return 0, 0, errors.New("no end of central directory")
	}
	eocdOff = size - tail + int64(p)
	e := buf[p:]
	dirSize := int64(binary.LittleEndian.Uint32(e[12:]))
	dirOff = int64(binary.LittleEndian.Uint32(e[16:]))
	if (dirOff == 0xFFFFFFFF || dirSize == 0xFFFFFFFF || binary.LittleEndian.Uint16(e[10:]) == 0xFFFF) && eocdOff >= 20 {
		var loc [20]byte
		if _, err := f.ReadAt(loc[:], eocdOff-20); err == nil && binary.LittleEndian.Uint32(loc[:]) == 0x07064b50 {
			recOff := int64(binary.LittleEndian.Uint64(loc[8:]))
			var rec [56]byte
			if recOff >= 0 && recOff < size {
				if _, err := f.ReadAt(rec[:], recOff); err == nil && binary.LittleEndian.Uint32(rec[:]) == 0x06064b50 {
					dirSize = int64(binary.LittleEndian.Uint64(rec[40:]))
					dirOff = int64(binary.LittleEndian.Uint64(rec[48:]))
					eocdOff = recOff
				}
			}
		}
	}
	// Data prepended to the zip shifts every offset; archive/zip corrects
	// for it the same way.
	var sig [4]byte
	if _, err := f.ReadAt(sig[:], dirOff); err != nil || binary.LittleEndian.Uint32(sig[:]) != 0x02014b50 {
		if alt := eocdOff - dirSize; alt >= 0 {
			dirOff = alt
		}
	}
	if dirOff < 0 || dirOff > eocdOff {
		return 0, 0, errors.New("bad central directory offset")
	}
	return dirOff, eocdOff, nil
}
