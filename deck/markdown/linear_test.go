package markdown

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/srs-tool/srs/deck"
)

// TestParserStaysLinear feeds the parser (and the writer) large hostile inputs; a
// quadratic path would take minutes, not milliseconds.
func TestParserStaysLinear(t *testing.T) {
	if testing.Short() {
		t.Skip("large inputs")
	}
	var manyTags, manyCards, deepFence strings.Builder
	manyTags.WriteString("## Q\ntags: ")
	for i := range 150000 {
		fmt.Fprintf(&manyTags, "t%d, ", i)
	}
	for i := range 100000 {
		fmt.Fprintf(&manyCards, "## Q%d\nA\n### Follow-up: F%d\nB\n", i, i)
	}
	deepFence.WriteString("## Q\n")
	for range 200000 {
		deepFence.WriteString("```\n## x\n```\n")
	}
	tests := []struct {
		name  string
		parse func(*bytes.Reader) error
		in    string
	}{
		{"md tags", mdParseErr, manyTags.String()},
		{"md cards", mdParseErr, manyCards.String()},
		{"md fences", mdParseErr, deepFence.String()},
		{"md headings only", mdParseErr, strings.Repeat("## ", 300000)},
	}
	for _, tt := range tests {
		start := time.Now()
		err := tt.parse(bytes.NewReader([]byte(tt.in)))
		if d := time.Since(start); d > 10*time.Second {
			t.Errorf("%s: %v for %d bytes (%v)", tt.name, d, len(tt.in), err)
		}
	}
}

func mdParseErr(r *bytes.Reader) error {
	d, err := Parse(r, deck.ParseOptions{File: "big.md"})
	if err == nil {
		err = Write(&bytes.Buffer{}, d.Cards)
	}
	return err
}
