package main

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/srs-tool/srs/deck"
)

// srsIn runs srs in this process with env, returning stdout, stderr and
// the exit status.
func srsIn(env map[string]string, args ...string) (string, string, int) {
	var out, errOut bytes.Buffer
	code := Main(append([]string{"srs"}, args...), &IO{In: strings.NewReader(""), Out: &out, ErrOut: &errOut},
		func(k string) string { return env[k] })
	return out.String(), errOut.String(), code
}

// One limit per field everywhere: a card whose front and answer are as
// large as deck.MaxFieldSize allows goes out in every format srs writes
// and comes back in (a 10 MB front was accepted, then srs refused its own
// export of it); one byte more is refused at the door.
func TestFieldLimitRoundTrip(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"SRS_DB": filepath.Join(dir, "srs.db"), "SRS_USER": "ann",
		"SRS_NOW": "2026-11-27T10:00:00Z", "TZ": "UTC", "HOME": dir}
	// A front of words (it is one line), an answer of what HTML escapes
	// most: each grows several times on the way to Anki.
	rng := rand.New(rand.NewPCG(1, 2))
	var front strings.Builder
	for front.Len() < deck.MaxFieldSize-20 {
		fmt.Fprintf(&front, "w%x ", rng.Uint32())
	}
	f := strings.TrimSpace(front.String())
	f += strings.Repeat("x", deck.MaxFieldSize-len(f))
	back := strings.Repeat(`"&<`, deck.MaxFieldSize/3) + strings.Repeat("y", deck.MaxFieldSize%3)
	md := func(front string) string {
		return "---\ndeck: big\n---\n## " + front + " {#big}\n" + back + "\n\n## small {#small}\nok\n"
	}
	src := filepath.Join(dir, "big.md")
	if err := os.WriteFile(src, []byte(md(f)), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, stderr, code := srsIn(env, "import", src); code != 0 {
		t.Fatalf("import at the limit: %s", stderr)
	}
	for _, format := range []string{"md", "tsv", "csv", "jsonl", "apkg"} {
		out := filepath.Join(dir, "big."+format)
		if _, stderr, code := srsIn(env, "export", "--format", format, "--deck", "big", "-o", out); code != 0 {
			t.Fatalf("export %s: %s", format, stderr)
		}
		other := map[string]string{}
		for k, v := range env {
			other[k] = v
		}
		other["SRS_DB"] = filepath.Join(dir, format+".db")
		stdout, stderr, code := srsIn(other, "import", out)
		if code != 0 {
			t.Errorf("%s: srs refused its own export: %s", format, stderr)
			continue
		}
		if !strings.Contains(stdout, "added 2,") {
			t.Errorf("%s: %s", format, stdout)
		}
		cards, _, _ := srsIn(other, "cards", "--json", "--deck", "big")
		if !strings.Contains(cards, `"back":"`+strings.Repeat(`\"\u0026\u003c`, 10)) || len(cards) < 2*deck.MaxFieldSize {
			t.Errorf("%s: the big card did not come back whole (%d bytes of cards)", format, len(cards))
		}
	}
	if err := os.WriteFile(src, []byte(md(f+"z")), 0o600); err != nil {
		t.Fatal(err)
	}
	_, stderr, code := srsIn(env, "import", src)
	wantOneLineError(t, "a front one byte over", stderr, code, "big.md:4: the front is 1048577 bytes, larger than 1048576")
}
