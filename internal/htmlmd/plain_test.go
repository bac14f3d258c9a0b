package htmlmd

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// plainCases are lines at the edges of what plainParagraph takes.
var plainCases = []string{
	"How does a B-tree split a full page?",
	"Question 12: how would you design system 12 so that it survives a region outage?",
	"Follow-up 1 to 12: what breaks first at 10x?",
	"What is 2+2=4 (roughly)?",
	"Why do p99 latencies matter more than the mean?",
	"Compare TCP/IP with QUIC; which wins on lossy links?",
	"It's 100% fine.",
	"A - b",
	"A -- b",
	"Ab --- c",
	"See www.example.com now",
	"See http://example.com now",
	"Go to example.com.",
	"Mail me at a@b.co",
	"Trailing space ",
	"Two  spaces",
	"1. a list",
	"- a list",
	"Setext?\n===",
	"x:y/z",
	"A (b) c!",
	"Hi!",
}

func TestPlainParagraphMatchesGoldmark(t *testing.T) {
	check := func(s string) bool {
		h, ok := plainParagraph(s)
		if !ok {
			return false
		}
		want, err := renderMarkdown(s)
		if err != nil {
			t.Fatal(err)
		}
		if h != want {
			t.Fatalf("plainParagraph(%q) = %q, goldmark renders %q", s, h, want)
		}
		return true
	}
	taken := 0
	for _, s := range plainCases {
		if check(s) {
			taken++
		}
	}
	if taken < 10 {
		t.Fatalf("only %d of the plain cases took the fast path", taken)
	}
	// Random lines over the characters the fast path accepts, and a few
	// it must refuse, weighted toward the punctuation.
	const alphabet = "aZk09 ,.;:?!'()/%+-=wW@*_#<&\"[`~|\\\t"
	rng := rand.New(rand.NewPCG(1, 2))
	taken = 0
	for range 200000 {
		var b strings.Builder
		b.WriteByte("abcXYZw"[rng.IntN(7)])
		for range rng.IntN(24) {
			b.WriteByte(alphabet[rng.IntN(len(alphabet))])
		}
		if check(b.String()) {
			taken++
		}
	}
	if taken < 1000 {
		t.Fatalf("only %d random lines took the fast path: the test no longer tests it", taken)
	}
}

func FuzzPlainParagraph(f *testing.F) {
	for _, s := range plainCases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		h, ok := plainParagraph(s)
		if !ok {
			return
		}
		want, err := renderMarkdown(s)
		if err != nil {
			t.Fatal(err)
		}
		if h != want {
			t.Fatalf("plainParagraph(%q) = %q, goldmark renders %q", s, h, want)
		}
	})
}
