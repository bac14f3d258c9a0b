package htmlmd

import (
	"strings"
	"testing"
	"time"
)

// TestEscapeStaysLinear converts fields as large as a card's side may be
// (1 MiB) made of one "word" of what escaping looks at: each "<" lowered
// the rest of the word and each "&" searched it for ";", which took
// minutes (an srs export of such a card could not be read back).
func TestEscapeStaysLinear(t *testing.T) {
	if testing.Short() {
		t.Skip("large inputs")
	}
	for _, word := range []string{`"&<`, "&", "<b", "&#x"} {
		md := strings.Repeat(word, (1<<20)/len(word))
		start := time.Now()
		h, err := ToHTML(md)
		if err != nil {
			t.Fatal(err)
		}
		ToMarkdown(h)
		if d := time.Since(start); d > 10*time.Second {
			t.Errorf("%q x %d: %v", word, len(md)/len(word), d)
		}
	}
}
