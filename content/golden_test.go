package content

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/srs-tool/srs/deck"
)

var update = flag.Bool("update", false, "rewrite testdata/guide.golden from the compiler's output")

// listing renders a deck for review: counts per kind, then one line per
// card (id, kind, parent, tags, front), then the warnings.
func listing(d *deck.Deck, warnings []Warning) string {
	var b strings.Builder
	count := map[deck.Kind]int{}
	for _, c := range d.Cards {
		count[c.Kind]++
	}
	for _, k := range deck.Kinds {
		fmt.Fprintf(&b, "# %s\t%d\n", k, count[k])
	}
	fmt.Fprintf(&b, "# total\t%d\n", len(d.Cards))
	for _, c := range d.Cards {
		front := strings.Join(strings.Fields(c.Front), " ")
		fmt.Fprintf(&b, "%s\t%s\t%s\t%s\t%s\n", c.ID, c.Kind, c.Parent, strings.Join(c.Tags, ","), clip(front, 100))
	}
	for _, w := range warnings {
		fmt.Fprintf(&b, "# warning %s\n", w)
	}
	return b.String()
}

func TestGuideGolden(t *testing.T) {
	d, warnings, err := compileBuiltIn()
	if err != nil {
		t.Fatal(err)
	}
	got := listing(d, warnings)
	path := filepath.Join("testdata", "guide.golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./content -update to create it)", err)
	}
	if got == string(want) {
		return
	}
	gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
	for i := 0; i < len(gl) || i < len(wl); i++ {
		var g, w string
		if i < len(gl) {
			g = gl[i]
		}
		if i < len(wl) {
			w = wl[i]
		}
		if g != w {
			t.Fatalf("%s line %d differs (go test ./content -update rewrites it after review):\ngot:  %q\nwant: %q", path, i+1, g, w)
		}
	}
}
