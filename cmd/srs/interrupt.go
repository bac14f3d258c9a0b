package main

import (
	"context"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// interruptible returns a context that SIGINT or SIGTERM cancels, for a
// command that writes files (import, export): instead of dying with a
// temporary file or a half-written output left behind, it stops at its
// next check, removes what it had begun and ends with status 130. Only
// the first signal is caught: a second one ends srs at once, as it would
// have without this, should something not be listening. stop releases
// the signals.
func interruptible() (ctx context.Context, stop func()) {
	ctx, stop = signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	context.AfterFunc(ctx, stop)
	return ctx, stop
}

// interruptedError is how a command reports that a signal stopped it,
// saying what it left as it was. Main exits 130 for it, as a shell does
// for a process SIGINT ended.
type interruptedError struct{ msg string }

func (e interruptedError) Error() string { return e.msg }

// interrupted turns err into an interruptedError saying msg when the
// context was cancelled: whatever failed then failed because of it.
func interrupted(ctx context.Context, err error, msg string) error {
	if err != nil && ctx.Err() != nil {
		return interruptedError{msg}
	}
	return err
}

// ctxWriter fails every write once ctx is done, so that a writer deep in
// long work that does not look at ctx (the .apkg writer's Close) stops at
// its next write.
type ctxWriter struct {
	ctx context.Context
	w   io.Writer
}

func (c ctxWriter) Write(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.w.Write(p)
}
