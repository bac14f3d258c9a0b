package main

import (
	"bytes"
	"errors"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"
	"time"
)

func TestLineReader(t *testing.T) {
	long := strings.Repeat("x", 3<<20)
	tests := []struct {
		name, in string
		want     []string
	}{
		{"lines", "a\nb\n", []string{"a", "b"}},
		{"no final newline", "a\nb", []string{"a", "b"}},
		{"CRLF", "a\r\nb\r\n", []string{"a", "b"}},
		{"empty lines", "\n\n", []string{"", ""}},
		{"nothing", "", nil},
		{"a line of 3 MiB is cut to maxLine", "1\n" + long + "\n3\n", []string{"1", long[:maxLine], "3"}},
		{"a line of exactly maxLine", strings.Repeat("y", maxLine) + "\nq", []string{strings.Repeat("y", maxLine), "q"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			readers := []io.Reader{strings.NewReader(tt.in)}
			if len(tt.in) < 1<<20 {
				// One byte at a time too: a line may arrive in pieces.
				readers = append(readers, iotest.OneByteReader(strings.NewReader(tt.in)))
			}
			for _, r := range readers {
				l := newLineReader(r)
				var got []string
				for {
					s, ok := l.next()
					if !ok {
						break
					}
					got = append(got, s)
				}
				if strings.Join(got, "|") != strings.Join(tt.want, "|") || len(got) != len(tt.want) {
					t.Fatalf("got %d lines %.40q, want %d %.40q", len(got), got, len(tt.want), tt.want)
				}
				if l.err != nil {
					t.Fatal(l.err)
				}
			}
		})
	}
	l := newLineReader(iotest.ErrReader(errors.New("disk on fire")))
	if _, ok := l.next(); ok || l.err == nil || !strings.Contains(l.err.Error(), "disk on fire") {
		t.Fatalf("read error: ok %v, err %v", ok, l.err)
	}
}

// A line longer than bufio.Scanner's limit does not end the session: it
// is answered like any line line mode does not understand, and the next
// lines reveal and rate the card.
func TestLinesLongInput(t *testing.T) {
	env := map[string]string{
		"SRS_DB": filepath.Join(t.TempDir(), "srs.db"), "SRS_USER": "ann",
		"SRS_NOW": "2026-11-27T10:00:00Z", "TZ": "UTC",
	}
	in := strings.Repeat("paste ", 400000) + "\n\n3\nq\n"
	var out, errOut bytes.Buffer
	code := Main([]string{"srs", "review"}, &IO{In: strings.NewReader(in), Out: &out, ErrOut: &errOut}, func(k string) string { return env[k] })
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	for _, want := range []string{"press Enter to show the answer", " good: ", "Reviewed 1 card"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%.2000s", want, out.String())
		}
	}
}

// A line-mode session whose rating, suspend or next card meets the
// database held by another process for longer than the lock timeout (an
// export, a backup) waits, saying so once on stderr, and goes on once the
// database is free: the rating is recorded, nothing ends with "in use".
// It ended the session before.
func TestLinesWaitForDatabase(t *testing.T) {
	env, sess, _ := reviewEnv(t, 50*time.Millisecond)
	in, typed := io.Pipe()
	var out, errOut syncBuffer
	env.IO.In, env.IO.Out, env.IO.ErrOut = in, &out, &errOut
	var sessErr error
	ended := make(chan struct{})
	go func() { sessErr = runLines(env, sess); close(ended) }()
	ctx, cancel := hangContext(t)
	defer cancel()
	waitFor := func(what string, b *syncBuffer, want string, n int) {
		t.Helper()
		for strings.Count(b.String(), want) < n {
			select {
			case <-ctx.Done():
				t.Fatalf("never %s; stdout:\n%s\nstderr:\n%s", what, out.String(), errOut.String())
			case <-ended:
				t.Fatalf("the session ended before it %s: %v", what, sessErr)
			case <-time.After(time.Millisecond):
			}
		}
	}
	const waiting = "srs: waiting for the database: another srs process is using it\n"
	waitFor("showed a card", &out, "Q: ", 1)
	typed.Write([]byte("\n")) // shows the answer

	// A rating.
	release := holdDB(t, env.DBPath)
	go typed.Write([]byte("3\n"))
	waitFor("said it waits", &errOut, waiting, 1)
	release()
	waitFor("recorded the rating", &out, "recorded ", 1)
	// A suspend: the rating's wait is over, so it says so again.
	waitFor("showed the next card", &out, "Q: ", 2)
	release = holdDB(t, env.DBPath)
	go typed.Write([]byte("s\n"))
	waitFor("said it waits again", &errOut, waiting, 2)
	release()
	waitFor("suspended the card", &out, "suspended ", 1)
	typed.Write([]byte("q\n"))
	typed.Close()
	<-ended
	if sessErr != nil {
		t.Fatalf("session: %v", sessErr)
	}
	if got := ratings(t, env); len(got) != 1 {
		t.Fatalf("ratings %v; want one", got)
	}
	if strings.Contains(out.String()+errOut.String(), "in use") {
		t.Fatalf("the session reported the database in use:\n%s\n%s", out.String(), errOut.String())
	}
}
