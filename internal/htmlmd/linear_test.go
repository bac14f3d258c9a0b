package htmlmd

import (
	"strings"
	"testing"

	"github.com/srs-tool/srs/internal/lineartest"
)

// TestEscapeStaysLinear converts fields made of one "word" of what
// escaping looks at, at two sizes: the work must grow with the field, not
// with its square. Each "<" lowered the rest of the word and each "&"
// searched it for ";", which took minutes on a 1 MiB field (an srs
// export of such a card could not be read back).
func TestEscapeStaysLinear(t *testing.T) {
	var cases []lineartest.Case
	for _, word := range []string{`"&<`, "&", "<b", "&#x"} {
		cases = append(cases, lineartest.Case{Name: word, N: (1 << 14) / len(word), Make: func(n int) func() {
			md := strings.Repeat(word, n)
			return func() {
				h, err := ToHTML(md)
				if err != nil {
					t.Fatal(err)
				}
				ToMarkdown(h)
			}
		}})
	}
	lineartest.Check(t, cases)
}
