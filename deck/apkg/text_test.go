package apkg

import (
	"math/rand"
	"testing"
)

// TestAPKGStripTags checks the hand-written tag stripper against the
// regular expression it replaces (Anki's), on fixed and random inputs.
func TestAPKGStripTags(t *testing.T) {
	inputs := []string{
		"", "plain", "<p>a</p>", "a < b > c", "a <b", "<!-- x -->y", "<!-- open", "<style>p{}</style>z",
		"<STYLE type=x>p</StYlE>after", "<style>never closed", "<script>1<2</script>ok", "<scripts>x</scripts>",
		"<<>>", "<img src=a.png>", "x<br/>y\n<div\nclass=a>z</div>", "<!---->", "<style>a</style><style>b</style>c",
	}
	rng := rand.New(rand.NewSource(1))
	const alphabet = "<>!-/ styleSCRIPTabc&\n"
	for range 20000 {
		b := make([]byte, rng.Intn(24))
		for i := range b {
			b[i] = alphabet[rng.Intn(len(alphabet))]
		}
		inputs = append(inputs, string(b))
	}
	for _, in := range inputs {
		if got, want := apkgStripTags(in), apkgHTMLRE.ReplaceAllString(in, ""); got != want {
			t.Fatalf("apkgStripTags(%q) = %q, regexp gives %q", in, got, want)
		}
	}
	if got := apkgStripHTML(`a <img src="x.png"> b&nbsp;&amp;`); got != "a  x.png  b &" {
		t.Errorf("apkgStripHTML = %q", got)
	}
}

func TestAPKGNormalizeField(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain", "plain"},
		{"tab\tand\nnewline", "tab\tand\nnewline"},
		{"a\x00b\x1fc\x7fd\re", "abcde"},
		{"\x01", ""},
		{"é\x1f日本", "é日本"},
		{"e\u0301", "\u00e9"}, // NFC
		{"bad \xff byte", "bad \uFFFD byte"},
		{"\u0080\u009f kept", "\u0080\u009f kept"}, // C1 controls are not ASCII
	}
	for _, tt := range tests {
		if got := apkgNormalizeField(tt.in); got != tt.want {
			t.Errorf("apkgNormalizeField(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
