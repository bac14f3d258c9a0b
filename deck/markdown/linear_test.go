package markdown

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/srs-tool/srs/deck"
	"github.com/srs-tool/srs/internal/lineartest"
)

// TestParserStaysLinear feeds the parser (and the writer) hostile inputs
// of two sizes: the work must grow with the input, not with its square
// (a quadratic path took minutes on inputs of a few MB).
func TestParserStaysLinear(t *testing.T) {
	input := func(build func(b *strings.Builder, n int)) func(n int) func() {
		return func(n int) func() {
			var b strings.Builder
			build(&b, n)
			in := []byte(b.String())
			return func() { mdParseErr(bytes.NewReader(in)) }
		}
	}
	lineartest.Check(t, []lineartest.Case{
		{Name: "md tags", N: 4000, Make: input(func(b *strings.Builder, n int) {
			b.WriteString("## Q\ntags: ")
			for i := range n {
				fmt.Fprintf(b, "t%d, ", i)
			}
		})},
		{Name: "md cards", N: 2000, Make: input(func(b *strings.Builder, n int) {
			for i := range n {
				fmt.Fprintf(b, "## Q%d\nA\n### Follow-up: F%d\nB\n", i, i)
			}
		})},
		{Name: "md fences", N: 5000, Make: input(func(b *strings.Builder, n int) {
			b.WriteString("## Q\n")
			for range n {
				b.WriteString("```\n## x\n```\n")
			}
		})},
		{Name: "md headings only", N: 30000, Make: input(func(b *strings.Builder, n int) {
			b.WriteString(strings.Repeat("## ", n))
		})},
	})
}

func mdParseErr(r *bytes.Reader) error {
	d, err := Parse(r, deck.ParseOptions{File: "big.md"})
	if err == nil {
		err = Write(&bytes.Buffer{}, d.Cards)
	}
	return err
}
