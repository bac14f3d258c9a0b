package deck

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
