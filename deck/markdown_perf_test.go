package deck

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestParsersStayLinear feeds each parser large hostile inputs; a
// quadratic path would take minutes, not milliseconds.
func TestParsersStayLinear(t *testing.T) {
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
	var csvTags, csvRows strings.Builder
	csvTags.WriteString("q,a,")
	for i := range 150000 {
		fmt.Fprintf(&csvTags, "t%d ", i)
	}
	for i := range 100000 {
		fmt.Fprintf(&csvRows, "\"q%d\",\"a\nb\",t\n", i)
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
		{"csv tags", csvParseErr, csvTags.String()},
		{"csv rows", csvParseErr, csvRows.String()},
		{"csv one huge quoted field", csvParseErr, "\"" + strings.Repeat("x,\n", 300000)},
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
	d, err := ParseMarkdown(r, ParseOptions{File: "big.md"})
	if err == nil {
		err = WriteMarkdown(&bytes.Buffer{}, d.Cards)
	}
	return err
}

func csvParseErr(r *bytes.Reader) error {
	_, err := ParseCSV(r, ParseOptions{File: "big.csv"})
	return err
}
