package deck

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// bench100k is a 100k-card deck as Markdown and as TSV.
func bench100k(b *testing.B) (md, tsv []byte) {
	b.Helper()
	var m, t strings.Builder
	m.WriteString("---\ndeck: big\ntags: [bench]\n---\n")
	t.WriteString("#separator:tab\n#html:false\n#guid column:1\n")
	for i := 0; i < 100000; i++ {
		fmt.Fprintf(&m, "## Question %d: how would system %d fail over? {#q%06d}\nIt names the failure modes, rollout and rollback.\n\n- one\n- two\n\n", i, i, i)
		fmt.Fprintf(&t, "q%06d\tQuestion %d: how would system %d fail over?\tIt names the failure modes.\n", i, i, i)
	}
	return []byte(m.String()), []byte(t.String())
}

func BenchmarkParseMarkdown100k(b *testing.B) {
	md, _ := bench100k(b)
	b.SetBytes(int64(len(md)))
	for b.Loop() {
		d, err := ParseMarkdown(bytes.NewReader(md), ParseOptions{File: "big.md"})
		if err != nil || len(d.Cards) != 100000 {
			b.Fatalf("%v %d", err, len(d.Cards))
		}
	}
}

func BenchmarkParseTSV100k(b *testing.B) {
	_, tsv := bench100k(b)
	b.SetBytes(int64(len(tsv)))
	for b.Loop() {
		d, err := ParseTSV(bytes.NewReader(tsv), ParseOptions{File: "big.tsv"})
		if err != nil || len(d.Cards) != 100000 {
			b.Fatalf("%v %d", err, len(d.Cards))
		}
	}
}
