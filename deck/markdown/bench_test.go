package markdown

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/srs-tool/srs/deck"
)

// bench100k is a 100k-card Markdown deck.
func bench100k(b *testing.B) []byte {
	b.Helper()
	var m strings.Builder
	m.WriteString("---\ndeck: big\ntags: [bench]\n---\n")
	for i := 0; i < 100000; i++ {
		fmt.Fprintf(&m, "## Question %d: how would system %d fail over? {#q%06d}\nIt names the failure modes, rollout and rollback.\n\n- one\n- two\n\n", i, i, i)
	}
	return []byte(m.String())
}

func BenchmarkParse100k(b *testing.B) {
	md := bench100k(b)
	b.SetBytes(int64(len(md)))
	for b.Loop() {
		d, err := Parse(bytes.NewReader(md), deck.ParseOptions{File: "big.md"})
		if err != nil || len(d.Cards) != 100000 {
			b.Fatalf("%v %d", err, len(d.Cards))
		}
	}
}
