package markdown

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/srs-tool/srs/deck"
	"github.com/srs-tool/srs/deck/decktest"
)

func TestPinID(t *testing.T) {
	opt := deck.ParseOptions{File: "k.md"}
	q := deck.DeriveID("What is a pod?")
	f := deck.DeriveID("And a node?")
	for _, tc := range []struct {
		name   string
		src    string
		id     string
		want   string // the file after; "" when unchanged
		line   int
		pinned bool
		err    string
	}{
		{name: "derived ID pinned", src: "---\ndeck: k\n---\n## What is a pod?\nA group of containers.\n", id: q,
			want: "---\ndeck: k\n---\n## What is a pod? {#" + q + "}\nA group of containers.\n", line: 4, pinned: true},
		{name: "explicit ID kept", src: "## What is a pod? {#pod}\nA.\n", id: "pod", line: 1},
		{name: "follow-up", src: "## What is a pod? {#pod}\nA.\n### Follow-up: And a node?\nA machine.\n", id: f,
			want: "## What is a pod? {#pod}\nA.\n### Follow-up: And a node? {#" + f + "}\nA machine.\n", line: 3, pinned: true},
		{name: "CRLF line ends kept", src: "## x {#x}\r\nA\r\n## What is a pod?  \r\nB\r\n", id: q,
			want: "## x {#x}\r\nA\r\n## What is a pod? {#" + q + "}\r\nB\r\n", line: 3, pinned: true},
		{name: "lone CR counted as Parse counts it", src: "## x {#x}\rA\r## What is a pod?\rB", id: q,
			want: "## x {#x}\rA\r## What is a pod? {#" + q + "}\rB", line: 3, pinned: true},
		{name: "BOM and no final newline", src: "\uFEFF## What is a pod?", id: q,
			want: "\uFEFF## What is a pod? {#" + q + "}", line: 1, pinned: true},
		{name: "a heading in a fence is not the card", src: "## x {#x}\n```\n## What is a pod?\n```\n", id: q,
			err: "k.md: no card of that id"},
		{name: "not in the file", src: "## x {#x}\n", id: "nope", err: `k.md: no card of that id "nope"`},
		{name: "a file that does not parse", src: "### Follow-up: x\n", id: "x", err: "k.md:1: follow-up before any ## card"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, line, pinned, err := PinID([]byte(tc.src), opt, tc.id)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			want := tc.want
			if want == "" {
				want = tc.src
			}
			if string(out) != want || line != tc.line || pinned != tc.pinned {
				t.Fatalf("got %q line %d pinned %v\nwant %q line %d pinned %v", out, line, pinned, want, tc.line, tc.pinned)
			}
		})
	}
	if _, _, _, err := PinID([]byte("## x {#x}\n"), opt, "nope"); !errors.Is(err, ErrNoSuchCard) {
		t.Fatalf("not ErrNoSuchCard: %v", err)
	}
}

// Once pinned, a card's front can change and it is the same card: what
// srs edit relies on.
func TestPinnedFrontEdits(t *testing.T) {
	opt := deck.ParseOptions{File: "k.md"}
	src := "## What is a pod?\nA group of containers.\n### Follow-up: And its IP?\nShared.\n"
	id := deck.DeriveID("What is a pod?")
	out, _, _, err := PinID([]byte(src), opt, id)
	if err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(string(out), "What is a pod?", "What is a Kubernetes pod, exactly?", 1)
	d, err := Parse(strings.NewReader(edited), opt)
	if err != nil {
		t.Fatal(err)
	}
	if d.Cards[0].ID != id || d.Cards[0].Front != "What is a Kubernetes pod, exactly?" || d.Cards[1].Parent != id {
		t.Fatalf("after editing the front: %+v", d.Cards)
	}
}

// Pinning any card of any deck that parses changes no card: the same
// cards, IDs and order come back, and a second pin changes nothing.
func FuzzPinID(f *testing.F) {
	decktest.Seeds(f, "testdata/md/*.md")
	f.Add([]byte("## Q\r\nA\r\n### Follow-up: F  \rB\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		opt := deck.ParseOptions{File: "f.md"}
		d, err := Parse(bytes.NewReader(data), opt)
		if err != nil {
			return
		}
		for _, c := range d.Cards {
			out, _, _, err := PinID(data, opt, c.ID)
			if err != nil {
				t.Fatalf("pin %q: %v", c.ID, err)
			}
			again, _, pinned, err := PinID(out, opt, c.ID)
			if err != nil || pinned || !bytes.Equal(again, out) {
				t.Fatalf("pinning %q twice: pinned %v, %v", c.ID, pinned, err)
			}
		}
	})
}
