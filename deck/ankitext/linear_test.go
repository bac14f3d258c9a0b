package ankitext

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/srs-tool/srs/deck"
)

// TestParserStaysLinear feeds the parser large hostile inputs; a quadratic
// path would take minutes, not milliseconds.
func TestParserStaysLinear(t *testing.T) {
	if testing.Short() {
		t.Skip("large inputs")
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
		name string
		in   string
	}{
		{"csv tags", csvTags.String()},
		{"csv rows", csvRows.String()},
		{"csv one huge quoted field", "\"" + strings.Repeat("x,\n", 300000)},
	}
	for _, tt := range tests {
		start := time.Now()
		_, err := ParseCSV(strings.NewReader(tt.in), deck.ParseOptions{File: "big.csv"})
		if d := time.Since(start); d > 10*time.Second {
			t.Errorf("%s: %v for %d bytes (%v)", tt.name, d, len(tt.in), err)
		}
	}
}
