package ankitext

import (
	"fmt"
	"strings"
	"testing"

	"github.com/srs-tool/srs/deck"
	"github.com/srs-tool/srs/internal/lineartest"
)

// TestParserStaysLinear feeds the parser hostile inputs of two sizes: the
// work must grow with the input, not with its square (a quadratic path
// took minutes on inputs of a few MB).
func TestParserStaysLinear(t *testing.T) {
	input := func(build func(b *strings.Builder, n int)) func(n int) func() {
		return func(n int) func() {
			var b strings.Builder
			build(&b, n)
			in := b.String()
			return func() { ParseCSV(strings.NewReader(in), deck.ParseOptions{File: "big.csv"}) }
		}
	}
	lineartest.Check(t, []lineartest.Case{
		{Name: "csv tags", N: 4000, Make: input(func(b *strings.Builder, n int) {
			b.WriteString("q,a,")
			for i := range n {
				fmt.Fprintf(b, "t%d ", i)
			}
		})},
		{Name: "csv rows", N: 2000, Make: input(func(b *strings.Builder, n int) {
			for i := range n {
				fmt.Fprintf(b, "\"q%d\",\"a\nb\",t\n", i)
			}
		})},
		{Name: "csv one huge quoted field", N: 8000, Make: input(func(b *strings.Builder, n int) {
			b.WriteString("\"" + strings.Repeat("x,\n", n))
		})},
	})
}
