package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"
)

// input is one file named to `srs import`, opened once and read once. A
// pipe (`<(cat x.md)`, standard input) gives its bytes only once: reading
// the head to tell the format and then the file again found it empty, and
// an empty deck retired every card. Every limit counts the bytes actually
// read, since a device or a pipe has no size to ask for.
type input struct {
	name    string // as errors name it: the path, or "stdin" for "-"
	f       *os.File
	r       io.Reader // what is left after head
	regular bool      // a regular file: sized, seekable, read as it is
	head    []byte
}

// stdinName is how errors (and the default deck name) call "-".
const stdinName = "stdin"

// openInput opens name for reading: "-" is standard input. A regular file
// opens at once; anything else (a FIFO, whose open waits for a writer; a
// device; a pipe) is opened and read in the background, so that an
// interrupt ends the wait, and a FIFO still waiting after a second says
// so on errOut.
func openInput(ctx context.Context, name string, stdin io.Reader, errOut io.Writer) (*input, error) {
	if name == "-" {
		return &input{name: stdinName, r: stdin}, nil
	}
	fi, err := os.Stat(name)
	if err != nil {
		return nil, fmt.Errorf("import %s: %w", name, unwrapPath(err))
	}
	if fi.IsDir() {
		return nil, fmt.Errorf("import %s: is a directory", name)
	}
	in := &input{name: name, regular: fi.Mode().IsRegular()}
	if in.regular {
		in.f, err = os.Open(name)
	} else {
		if fi.Mode()&os.ModeNamedPipe != 0 {
			waiting := time.AfterFunc(time.Second, func() {
				fmt.Fprintf(errOut, "srs: import %s: waiting for a program to write to this FIFO (Ctrl-C stops)\n", name)
			})
			defer waiting.Stop()
		}
		in.f, err = background(ctx, func() (*os.File, error) { return os.Open(name) })
	}
	if err != nil {
		return nil, fmt.Errorf("import %s: %w", name, unwrapPath(err))
	}
	in.r = in.f
	return in, nil
}

// Close closes the file, if input opened one.
func (in *input) Close() error {
	if in.f == nil {
		return nil
	}
	return in.f.Close()
}

// Head returns up to n bytes from the start, for format detection; they
// are read again by ReadAll and File.
func (in *input) Head(ctx context.Context, n int) ([]byte, error) {
	if in.head == nil {
		head, err := background(ctx, func() ([]byte, error) {
			b := make([]byte, n)
			m, err := io.ReadFull(in.r, b)
			if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
				err = nil
			}
			return b[:m], err
		})
		if err != nil {
			return nil, in.readError(err)
		}
		if len(head) == 0 && !in.regular {
			return nil, in.empty()
		}
		in.head = head
		in.r = io.MultiReader(bytes.NewReader(head), in.r)
	}
	return in.head, nil
}

// ReadAll reads the whole input, refusing one over limit bytes. Nothing
// at all from a pipe or device is refused too: that is a writer that
// failed (or a file read twice), not an emptied deck, and importing it
// would retire the deck's cards.
func (in *input) ReadAll(ctx context.Context, limit int64) ([]byte, error) {
	if in.regular {
		if fi, err := in.f.Stat(); err == nil && fi.Size() > limit {
			return nil, in.tooLarge(fi.Size(), limit)
		}
	}
	data, err := background(ctx, func() ([]byte, error) {
		return io.ReadAll(io.LimitReader(in.r, limit+1))
	})
	if err != nil {
		return nil, in.readError(err)
	}
	if int64(len(data)) > limit {
		return nil, in.tooLarge(-1, limit)
	}
	if len(data) == 0 && !in.regular {
		return nil, in.empty()
	}
	return data, nil
}

// File returns the input as a regular file (an Anki package is read from
// its end): the file itself, or a copy of at most limit bytes of what
// came down the pipe, in a temporary file (in TMPDIR, which the import
// points at a directory of its own: inTempDir) that is already unlinked,
// so nothing is left behind however srs ends. Close the input when done.
func (in *input) File(ctx context.Context, limit int64) (*os.File, error) {
	if in.regular {
		return in.f, nil
	}
	tmp, err := os.CreateTemp("", "srs-import-*")
	if err != nil {
		return nil, fmt.Errorf("import %s: %w", in.name, err)
	}
	os.Remove(tmp.Name())
	n, err := background(ctx, func() (int64, error) {
		return io.Copy(tmp, io.LimitReader(in.r, limit+1))
	})
	switch {
	case err != nil:
		err = in.readError(err)
	case n > limit:
		err = in.tooLarge(-1, limit)
	case n == 0:
		err = in.empty()
	}
	if err != nil {
		tmp.Close()
		return nil, err
	}
	if in.f != nil {
		in.f.Close()
	}
	in.f = tmp
	return tmp, nil
}

// empty is the error for a pipe or device that gave nothing at all.
func (in *input) empty() error {
	return fmt.Errorf("import %s: read nothing; an empty file retires a deck's cards, an empty pipe does not", in.name)
}

func (in *input) tooLarge(size, limit int64) error {
	if size >= 0 {
		return fmt.Errorf("import %s: %d MiB, over the limit of %d MiB", in.name, size>>20, limit>>20)
	}
	return fmt.Errorf("import %s: more than %d MiB, over the limit", in.name, limit>>20)
}

func (in *input) readError(err error) error {
	if errors.Is(err, context.Canceled) {
		return err
	}
	return fmt.Errorf("import %s: %w", in.name, unwrapPath(err))
}

// background runs f in a goroutine and waits for it or for ctx: a read
// from a pipe or terminal, or the open of a FIFO, can wait forever, and
// an interrupt must end srs all the same. What f was doing is abandoned
// (the process ends soon after).
func background[T any](ctx context.Context, f func() (T, error)) (T, error) {
	type result struct {
		v   T
		err error
	}
	done := make(chan result, 1)
	go func() {
		v, err := f()
		done <- result{v, err}
	}()
	select {
	case r := <-done:
		return r.v, r.err
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	}
}
