package main

import (
	"bytes"
	"errors"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"
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
