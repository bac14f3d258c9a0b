package ankitext

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/srs-tool/srs/deck"
)

func BenchmarkParseTSV100k(b *testing.B) {
	var t strings.Builder
	t.WriteString("#separator:tab\n#html:false\n#guid column:1\n")
	for i := 0; i < 100000; i++ {
		fmt.Fprintf(&t, "q%06d\tQuestion %d: how would system %d fail over?\tIt names the failure modes.\n", i, i, i)
	}
	tsv := []byte(t.String())
	b.SetBytes(int64(len(tsv)))
	for b.Loop() {
		d, err := ParseTSV(bytes.NewReader(tsv), deck.ParseOptions{File: "big.tsv"})
		if err != nil || len(d.Cards) != 100000 {
			b.Fatalf("%v %d", err, len(d.Cards))
		}
	}
}
