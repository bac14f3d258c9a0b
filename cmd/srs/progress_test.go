package main

import (
	"bytes"
	"testing"
	"time"
)

// The progress line, on a clock the test moves: nothing for the first
// two seconds, then a line a second (on a terminal, redrawn in place
// every 200 ms and ended by a newline), and always the last count.
func TestProgressPrinter(t *testing.T) {
	type call struct {
		at          time.Duration // since the printer was made
		done, total int
	}
	tests := []struct {
		name  string
		tty   bool
		calls []call
		want  string
	}{
		{"quick work says nothing", false,
			[]call{{100 * time.Millisecond, 10, 100}, {1900 * time.Millisecond, 100, 100}, {2 * time.Second, -1, -1}}, ""},
		{"long work, a line a second", false,
			[]call{{time.Second, 1000, 0}, {2 * time.Second, 2000, 0}, {2500 * time.Millisecond, 3000, 0},
				{3 * time.Second, 4000, 0}, {3100 * time.Millisecond, 5000, 0}, {4 * time.Second, -1, -1}},
			"writing cards: 2000\nwriting cards: 4000\n"},
		{"the last count is always said", false,
			[]call{{2 * time.Second, 50, 100}, {2100 * time.Millisecond, 100, 100}},
			"writing cards: 50/100 (50%)\nwriting cards: 100/100 (100%)\n"},
		{"a terminal's line is redrawn", true,
			[]call{{2 * time.Second, 1, 4}, {2100 * time.Millisecond, 2, 4}, {2300 * time.Millisecond, 3, 4}, {2400 * time.Millisecond, -1, -1}},
			"\rwriting cards: 1/4 (25%)\rwriting cards: 3/4 (75%)\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			t0 := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
			now := t0
			p := progressPrinter(&IO{ErrOut: &out, ErrTTY: tt.tty}, func() time.Time { return now }, "writing cards")
			for _, c := range tt.calls {
				now = t0.Add(c.at)
				p(c.done, c.total)
			}
			if got := out.String(); got != tt.want {
				t.Errorf("printed %q, want %q", got, tt.want)
			}
		})
	}
}
