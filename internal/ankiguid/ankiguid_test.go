package ankiguid

import (
	"crypto/sha256"
	"encoding/binary"
	"math"
	"strings"
	"testing"
)

// decode91 reads a Base91 spelling back, as Anki's alphabet defines it.
func decode91(s string) uint64 {
	const table = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&()*+,-./:;<=>?@[]^_`{|}~"
	var n uint64
	for i := range len(s) {
		n = n*91 + uint64(strings.IndexByte(table, s[i]))
	}
	return n
}

func TestBase91(t *testing.T) {
	tests := []struct {
		n    uint64
		want string
	}{
		{1, "b"}, {90, "~"}, {91, "ba"}, {91*91 + 2, "bac"},
	}
	for _, tt := range tests {
		if got := Base91(tt.n); got != tt.want {
			t.Errorf("Base91(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
	for _, n := range []uint64{1, 12345, 1 << 40, math.MaxUint64} {
		if got := decode91(Base91(n)); got != n {
			t.Errorf("Base91(%d) reads back as %d", n, got)
		}
	}
}

// A card's guid never changes between releases: Anki matches a re-imported
// note to the one it has by it. It is the first 8 bytes of SHA-256 of
// "srs:" deck NUL id, spelled in base91.
func TestOf(t *testing.T) {
	for _, c := range [][2]string{{"k8s", "oom"}, {"k8s::deep", "#odd"}, {"a", "b\x00c"}} {
		sum := sha256.Sum256([]byte("srs:" + c[0] + "\x00" + c[1]))
		want := binary.BigEndian.Uint64(sum[:8])
		if got := Number(c[0], c[1]); got != want {
			t.Errorf("Number(%q, %q) = %d, want %d", c[0], c[1], got, want)
		}
		if got := decode91(Of(c[0], c[1])); got != want {
			t.Errorf("Of(%q, %q) spells %d, want %d", c[0], c[1], got, want)
		}
	}
	if got, want := Of("k8s", "oom"), "BC6LOzZF1("; got != want {
		t.Errorf("Of(k8s, oom) = %q, want %q as every earlier release wrote", got, want)
	}
}
